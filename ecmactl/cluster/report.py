"""The ``cluster`` section of the host's status document (what `host status --json` shows).

Kept apart from the rest of the status so the document's own shape can change around it: one
entry per connector that runs among several hosts, from what the last heartbeat read (status
never queries the database itself).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ecmactl.cluster.member import ClusterMember


def cluster_status(host_id: str, members: Mapping[str, ClusterMember | None]) -> dict[str, Any]:
    """``{"host_id", "connectors": {name: {...}}}``; connectors on SQLite are not listed."""
    connectors: dict[str, Any] = {}
    for name, member in members.items():
        if member is None or (not member.enabled and member.problem is None):
            continue
        connectors[name] = {
            "enabled": member.enabled,
            "problem": member.problem,
            "feed_connected": member.feed_live,
            "changes_applied": member.applied,
            "resyncs": member.resyncs,
            "feed_lag_ms": member.lag_ms(),
            "negative_cache": {"entries": len(member.negative), "hits": member.negative.hits},
            "hosts": [{**h.to_dict(), "this_host": h.host_id == host_id} for h in member.hosts],
        }
    return {"host_id": host_id, "connectors": connectors}


def cluster_lines(section: Mapping[str, Any] | None) -> list[str]:
    """One line per clustered connector, for the text of `host status` / `agent status`."""
    if not section:
        return []
    lines = []
    for name, entry in (section.get("connectors") or {}).items():
        if not isinstance(entry, Mapping):
            continue
        if not entry.get("enabled"):
            lines.append(f"{name}: alone ({entry.get('problem') or 'not joined yet'})")
            continue
        hosts = [h for h in entry.get("hosts") or [] if isinstance(h, Mapping)]
        live = [h for h in hosts if h.get("live")]
        others = ", ".join(
            f"{h.get('address')} ({h.get('role')}, {h.get('version')})"
            for h in live
            if not h.get("this_host")
        )
        feed = "feed connected" if entry.get("feed_connected") else "feed DISCONNECTED"
        lag = (entry.get("feed_lag_ms") or {}).get("p99")
        lag_text = f" · lag p99 {lag} ms" if lag is not None else ""
        lines.append(
            f"{name}: {len(live)} live host(s) on its database"
            + (f" · others: {others}" if others else "")
            + f" · {feed}{lag_text}"
        )
    return lines
