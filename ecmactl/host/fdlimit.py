"""Fit the connection cap under the process's open-file limit (RLIMIT_NOFILE) at start.

Every connection is a descriptor; so are the database pools (SQLite: a file, its WAL and
shared-memory files per pooled connection, 15 connections at most), the log file, the
listening socket and a certificate being reloaded. The cap must leave room for those, or the
host runs out of descriptors before the cap is hit (what the cap is for). The soft limit is
raised up to the hard one when that is enough (systemd's default soft limit is 1,024); when
even the hard limit is too low the cap is lowered, and the caller says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from ecmactl.errors import EcmactlError

BASE_HEADROOM = 64  # stdio, listening socket, event loop, log and run files, cert reloads
PER_CONNECTOR_HEADROOM = 48  # a database pool of 15 connections, 3 files each on SQLite
MIN_CONNECTIONS = 8


class DescriptorLimitError(EcmactlError):
    """The open-file limit cannot hold even a minimal host."""


@dataclass(frozen=True)
class ConnectionBudget:
    max_connections: int
    open_files: int | None  # the soft limit now (None: no such limit on this system)
    note: str | None = None  # set when the cap had to be lowered


def headroom(connectors: int) -> int:
    return BASE_HEADROOM + PER_CONNECTOR_HEADROOM * max(connectors, 1)


def fit_connection_cap(wanted: int, connectors: int) -> ConnectionBudget:
    """The cap to serve with, after raising the soft limit as far as needed and allowed."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows: no per-process descriptor limit here
        return ConnectionBudget(wanted, None)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    extra = headroom(connectors)
    need = wanted + extra
    if soft == resource.RLIM_INFINITY or soft >= need:
        return ConnectionBudget(wanted, None if soft == resource.RLIM_INFINITY else soft)
    target = need if hard == resource.RLIM_INFINITY or hard >= need else hard
    if target > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):  # pragma: no cover - a sandbox refusing it
            pass
    if soft >= need:
        return ConnectionBudget(wanted, soft)
    cap = soft - extra
    if cap < MIN_CONNECTIONS:
        raise DescriptorLimitError(
            f"the open-file limit (ulimit -n) is {soft}: too low for a host with {connectors} "
            f"connector(s), which needs at least {extra + MIN_CONNECTIONS}",
            hint=f"Raise it to {need} or more: LimitNOFILE= in the systemd unit, or "
            f"`ulimit -n {need}` in the shell that starts the host.",
        )
    note = (
        f"the open-file limit (ulimit -n) is {soft}: serving at most {cap} connections, "
        f"not {wanted} (limits.max_connections); raise LimitNOFILE= / `ulimit -n` to {need}"
    )
    return ConnectionBudget(cap, soft, note)
