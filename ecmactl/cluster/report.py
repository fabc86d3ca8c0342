"""The ``cluster`` section of the host's status document (what `host status --json` shows).

One entry per connector that runs among several hosts, from what the last heartbeat read (status
never queries the database itself). Its shape is ``ClusterStatus`` in ``ecmactl.status_document``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ecmactl.status_document import ClusterConnector, ClusterHost, ClusterStatus, LeaseStatus

if TYPE_CHECKING:
    from ecmactl.cluster.member import ClusterMember


def cluster_status(host_id: str, members: Mapping[str, ClusterMember | None]) -> ClusterStatus:
    """This host's id and its clustered connectors; connectors on SQLite are not listed."""
    connectors: dict[str, ClusterConnector] = {}
    for name, member in members.items():
        if member is None or (not member.enabled and member.problem is None):
            continue
        lag = member.lag_ms()
        hosts = [h.to_status(this_host=h.host_id == host_id) for h in member.hosts]
        connectors[name] = {
            "enabled": member.enabled,
            "problem": member.problem,
            "feed_connected": member.feed_live,
            "changes_applied": member.applied,
            "resyncs": member.resyncs,
            "feed_lag_ms": {"p50": lag["p50"], "p99": lag["p99"], "max": lag["max"]},
            "negative_cache": {"entries": len(member.negative), "hits": member.negative.hits},
            "hosts": hosts,
            "role": member.role,
            "lease": _lease(member),
        }
    return {"host_id": host_id, "connectors": connectors}


def _lease(member: ClusterMember) -> LeaseStatus | None:
    keeper = member.lease
    state = keeper.state if keeper is not None else None
    if keeper is None or not keeper.mode or state is None:
        return None
    address = next((h.address for h in member.hosts if h.host_id == state.holder), None)
    remaining = None if state.remaining_s is None else round(state.remaining_s, 1)
    return {
        "holder": state.holder,
        "holder_address": address,
        "epoch": state.epoch,
        "remaining_s": remaining,
        "held": state.held,
        "ttl_s": keeper.ttl,
    }


def cluster_lines(section: ClusterStatus | None) -> list[str]:
    """One line per clustered connector, for the text of `host status` / `agent status`."""
    if not section:
        return []
    lines = []
    for name, entry in section["connectors"].items():
        if not entry["enabled"]:
            lines.append(f"{name}: alone ({entry['problem'] or 'not joined yet'})")
            continue
        live = [h for h in entry["hosts"] if h["live"]]
        others = ", ".join(
            f"{h['address']} ({h['role']}, {h['version']}{_host_lag(h)})"
            for h in live
            if not h["this_host"]
        )
        feed = "feed connected" if entry["feed_connected"] else "feed DISCONNECTED"
        lag = entry["feed_lag_ms"]["p99"]
        lag_text = f" · lag p99 {lag} ms" if lag is not None else ""
        lines.append(
            f"{name}: {len(live)} live host(s) on its database"
            + (f" · others: {others}" if others else "")
            + f" · {feed}{lag_text}"
            + _lease_text(entry)
        )
    return lines


def _host_lag(host: ClusterHost) -> str:
    lag, pending = host.get("lag_ms"), host.get("pending")
    text = f", lag p99 {lag} ms" if lag is not None else ""
    return text + (f", {pending} pending" if pending else "")


def _lease_text(entry: ClusterConnector) -> str:
    lease = entry.get("lease")
    if lease is None:
        return " · active-active" if "lease" in entry else ""
    role = entry.get("role", "?")
    if not lease["held"]:
        return f" · writer lease: NO HOST HOLDS IT (epoch {lease['epoch']}) · this host: {role}"
    holder = lease["holder_address"] or lease["holder"]
    return f" · writer lease: {holder}, epoch {lease['epoch']} · this host: {role}"
