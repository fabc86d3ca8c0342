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
