"""The host registry: which hosts serve a connector from this database, and since when.

Each host writes its row (host id, address, version, role, started) when it attaches to the
connector's database and renews ``heartbeat`` every ``HEARTBEAT_S``; a row whose heartbeat is
older than ``STALE_S`` belongs to a host that stopped or lost the database and is ignored, and
one older than ``PRUNE_S`` is deleted by whichever host renews next. Times are the database's
own clock, so hosts on machines whose clocks disagree still agree on who is live.

A row is keyed by (host id, connector), which a reload that replaces the connector shares with
the member it replaces; each ``Registry`` writes its own ``instance`` id into the row and leaves
only a row that carries it, so the old member's cleanup never deletes the new one's row.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine

from ecmactl.status_document import ClusterHost

HEARTBEAT_S = 3.0
STALE_S = 15.0
PRUNE_S = 300.0


@dataclass(frozen=True)
class HostRow:
    """One registered host, as ``host status`` shows it."""

    host_id: str
    connector: str
    address: str
    version: str
    role: str
    started: datetime
    heartbeat: datetime
    age_s: float  # seconds since its last heartbeat, by the database's clock
    consumed: int | None
    lag_ms: float | None = None  # its cache's lag behind the database (p99 ms), as it reported
    pending: int | None = None  # changes it received and has not applied yet

    @property
    def live(self) -> bool:
        return self.age_s <= STALE_S

    def to_status(self, this_host: bool) -> ClusterHost:
        """This row as the status document shows it."""
        return {
            "host_id": self.host_id,
            "connector": self.connector,
            "address": self.address,
            "version": self.version,
            "role": self.role,
            "started": _iso(self.started),
            "heartbeat": _iso(self.heartbeat),
            "heartbeat_age_s": round(self.age_s, 1),
            "live": self.live,
            "this_host": this_host,
            "lag_ms": self.lag_ms,
            "pending": self.pending,
        }


class Registry:
    """This host's row in ``hosts`` for one connector. Blocking: call from a worker thread."""

    def __init__(
        self,
        engine: Engine,
        hosts: Table,
        *,
        host_id: str,
        connector: str,
        address: str,
        version: str,
        role: str = "active",
    ) -> None:
        self._engine, self._hosts = engine, hosts
        self.host_id, self.connector = host_id, connector
        self.instance = secrets.token_hex(8)
        self._row = {
            "address": address,
            "version": version,
            "role": role,
            "instance": self.instance,
        }

    def register(self) -> None:
        """Write this host's row (replacing one a previous run under the same id left)."""
        now = func.current_timestamp()
        with self._engine.begin() as conn:
            conn.execute(self._delete_mine())
            conn.execute(
                insert(self._hosts).values(
                    host_id=self.host_id,
                    connector=self.connector,
                    started=now,
                    heartbeat=now,
                    **self._row,
                )
            )

    def heartbeat(
        self,
        consumed: int | None = None,
        *,
        role: str | None = None,
        lag_ms: float | None = None,
        pending: int | None = None,
    ) -> None:
        """Renew this host's row (re-creating it if a long outage let another host prune it),
        and prune the rows of hosts gone for good."""
        with self._engine.begin() as conn:
            if role is not None:
                self._row["role"] = role
            values: dict[str, Any] = {
                "heartbeat": func.current_timestamp(),
                "role": self._row["role"],
                "lag_ms": lag_ms,
                "pending": pending,
            }
            if consumed is not None:
                values["consumed"] = consumed
            mine = self._hosts.c
            renewed = conn.execute(
                update(self._hosts)
                .where(mine.host_id == self.host_id, mine.connector == self.connector)
                .values(**values)
            ).rowcount
            if not renewed:
                conn.execute(
                    insert(self._hosts).values(
                        host_id=self.host_id,
                        connector=self.connector,
                        started=func.current_timestamp(),
                        **values,
                        **{k: v for k, v in self._row.items() if k not in values},
                    )
                )
            now = _database_now(conn)
            conn.execute(
                delete(self._hosts).where(mine.heartbeat < now - timedelta(seconds=PRUNE_S))
            )

    def hosts(self) -> list[HostRow]:
        """Every registered host of this connector, live or stale, oldest first."""
        c = self._hosts.c
        with self._engine.connect() as conn:
            now = _database_now(conn)
            rows = conn.execute(
                select(self._hosts).where(c.connector == self.connector).order_by(c.started)
            ).all()
        return [
            HostRow(
                host_id=r.host_id,
                connector=r.connector,
                address=r.address,
                version=r.version,
                role=r.role,
                started=r.started,
                heartbeat=r.heartbeat,
                age_s=max((now - r.heartbeat).total_seconds(), 0.0),
                consumed=r.consumed,
                lag_ms=r.lag_ms,
                pending=r.pending,
            )
            for r in rows
        ]

    def deregister(self) -> None:
        """Delete this instance's row, and no other: after a reload the row under this host id
        and connector may be the replacing member's."""
        with self._engine.begin() as conn:
            conn.execute(self._delete_mine().where(self._hosts.c.instance == self.instance))

    def _delete_mine(self) -> Any:
        c = self._hosts.c
        return delete(self._hosts).where(c.host_id == self.host_id, c.connector == self.connector)


def _database_now(conn: Connection) -> datetime:
    # Aware on PostgreSQL, naive (the session's zone) on MariaDB, like the stored stamps.
    now = conn.execute(select(func.current_timestamp())).scalar_one()
    assert isinstance(now, datetime)
    return now


def _iso(moment: datetime) -> str:
    text = moment.isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")
