"""The writer lease: while it is on for a connector, one host at a time commits its writes.

One row per connector in ``ecmactl_lease`` (``tables.define_lease``): the holder's host id, an
epoch that grows by one at every change of holder, and when the lease expires by the DATABASE's
clock (the hosts' clocks may disagree). Lease mode is on exactly while the row exists: a host
started with ``--standby`` creates it (``enable``); deleting it (``disable``) returns the
connector to active-active.

Every change is one conditional UPDATE, so two hosts never hold the lease at once: ``acquire``
takes a free or expired lease (one nobody held yet only a TTL after lease mode was switched on:
until then a host that read "no lease row" may still skip the fence, ``LeaseKeeper.fence``),
``renew`` extends it only under the epoch its holder was given,
``hand_over`` / ``release`` pass it on with epoch+1, ``take`` seizes it (a deliberate failover
run on a standby; the old holder is fenced). Fencing (``locked``) reads the row inside each
write transaction with a shared lock (PostgreSQL ``FOR SHARE``, MariaDB ``LOCK IN SHARE
MODE``): a takeover's UPDATE waits for writes in flight to commit, and a write that reads the
row after the takeover sees the new epoch and is refused, so a write is committed under the
epoch it checked or not at all. Blocking: call from a worker thread.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

DEFAULT_TTL_S = 10.0  # with renewals every TTL/5: a standby takes over within ~12 s
MIN_TTL_S = 1.0
_NOW: Any = bindparam("ecmactl_now")  # the database's clock, read first in the same transaction
_SETTLED: Any = bindparam("ecmactl_settled")  # _NOW - ttl: a lease switched on before is settled


def renew_interval(ttl: float) -> float:
    """How often the holder renews and a standby looks at the lease."""
    return max(ttl / 5.0, 0.2)


@dataclass(frozen=True)
class LeaseState:
    """The lease row as one read saw it; ``remaining_s`` by the database's clock (negative:
    expired), None when nobody holds it."""

    holder: str | None
    epoch: int
    remaining_s: float | None

    @property
    def held(self) -> bool:
        return self.holder is not None and self.remaining_s is not None and self.remaining_s > 0


class Lease:
    """The lease row of one connector."""

    def __init__(self, engine: Engine, table: Table, connector: str) -> None:
        self._engine, self._table, self.connector = engine, table, connector

    def _mine(self) -> Any:
        return self._table.c.connector == self.connector

    def read(self) -> LeaseState | None:
        """The row, or None when lease mode is off for this connector."""
        c = self._table.c
        with self._engine.connect() as conn:
            now = database_now(conn)
            row = conn.execute(select(c.holder, c.epoch, c.expires).where(self._mine())).first()
        if row is None:
            return None
        remaining = None
        if row.holder is not None and row.expires is not None:
            remaining = (row.expires - now).total_seconds()
        return LeaseState(row.holder, int(row.epoch), remaining)

    def enable(self) -> bool:
        """Switch lease mode on (the row, free, epoch 0); False when it was on already."""
        try:
            with self._engine.begin() as conn:
                if conn.execute(select(self._table.c.epoch).where(self._mine())).first():
                    return False
                conn.execute(
                    insert(self._table).values(
                        connector=self.connector, holder=None, epoch=0, changed=database_now(conn)
                    )
                )
        except IntegrityError:  # another host enabled it at the same moment
            return False
        return True

    def disable(self) -> bool:
        """Back to active-active: delete the row; False when lease mode was off."""
        with self._engine.begin() as conn:
            return bool(conn.execute(delete(self._table).where(self._mine())).rowcount)

    def acquire(self, host: str, ttl: float) -> int | None:
        """Take the lease if it is free or expired: the new epoch, or None. A lease nobody
        held yet is taken only ``ttl`` after lease mode was switched on (see ``take``)."""
        c = self._table.c
        free = or_(c.holder.is_(None), c.expires.is_(None), c.expires < _NOW)
        return self._change(free & self._settled(), host, ttl)

    def _settled(self) -> Any:
        # Epoch 0 (never held): ``changed`` is when lease mode was switched on.
        c = self._table.c
        return or_(c.epoch > 0, c.changed <= _SETTLED)

    def take(self, host: str, ttl: float) -> int | None:
        """Take the lease whoever holds it (a deliberate failover): the new epoch, or None
        when lease mode is off, or was switched on less than ``ttl`` ago and nobody held it yet:
        a host that read "no lease row" just before may still write without the check for
        ``OFF_FRESH_S`` (``LeaseKeeper.fence``), which is under any host's ``ttl``."""
        return self._change(self._settled(), host, ttl)

    def hand_over(self, host: str, epoch: int, target: str, ttl: float) -> int | None:
        """Pass the lease ``host`` holds under ``epoch`` to ``target``: the new epoch, or None
        when ``host`` no longer holds it."""
        c = self._table.c
        return self._change((c.holder == host) & (c.epoch == epoch), target, ttl)

    def release(self, host: str, epoch: int) -> bool:
        """Give the lease up (at shutdown): free at once, epoch+1."""
        c = self._table.c
        return self._change((c.holder == host) & (c.epoch == epoch), None, 0.0) is not None

    def renew(self, host: str, epoch: int, ttl: float) -> bool:
        """Extend the lease ``host`` holds under ``epoch`` (even if it lapsed: nobody took it,
        so nobody wrote meanwhile); False when it is lost."""
        c = self._table.c
        with self._engine.begin() as conn:
            now = database_now(conn)
            stmt = (
                update(self._table)
                .where(self._mine(), c.holder == host, c.epoch == epoch)
                .values(expires=now + timedelta(seconds=ttl))
            )
            return bool(conn.execute(stmt).rowcount)

    def locked(self, conn: Connection) -> tuple[str | None, int] | None:
        """Inside a write transaction: (holder, epoch) read with a shared lock held until the
        transaction ends, or None when lease mode is off."""
        c = self._table.c
        stmt = select(c.holder, c.epoch).where(self._mine()).with_for_update(read=True)
        row = conn.execute(stmt).first()
        return None if row is None else (row.holder, int(row.epoch))

    @staticmethod
    def end_if_idle(conn: Connection, seconds: float) -> None:
        """Inside a fenced write transaction: have the database end it (and free the shared
        lock ``locked`` took) if this host stops talking for ``seconds`` (paused, frozen): a
        takeover waits for that lock, so a hung holder would otherwise keep the lease from
        every standby. MySQL has no such setting (MariaDB 10.3+ and PostgreSQL do)."""
        if conn.dialect.name == "postgresql":
            ms = max(int(seconds * 1000), 1000)
            conn.exec_driver_sql(f"SET LOCAL idle_in_transaction_session_timeout = {ms}")
        elif getattr(conn.dialect, "is_mariadb", False):  # this connection's write transactions
            whole = max(math.ceil(seconds), 1)
            conn.exec_driver_sql(f"SET SESSION idle_write_transaction_timeout = {whole}")

    def _change(self, condition: Any, holder: str | None, ttl: float) -> int | None:
        c = self._table.c
        with self._engine.begin() as conn:
            now = database_now(conn)
            where = [self._mine()]
            if condition is not None:
                where.append(condition)
            stmt = (
                update(self._table)
                .where(*where)
                .values(
                    holder=holder,
                    epoch=c.epoch + 1,
                    expires=now + timedelta(seconds=ttl) if holder is not None else None,
                    changed=now,
                )
            )
            params = {"ecmactl_now": now, "ecmactl_settled": now - timedelta(seconds=ttl)}
            if not conn.execute(stmt, params).rowcount:
                return None
            return int(conn.execute(select(c.epoch).where(self._mine())).scalar_one())


def database_now(conn: Connection) -> datetime:
    """The database's clock, to the microsecond (aware on PostgreSQL, naive in the session's
    zone on MariaDB, like the stamps it stores)."""
    if conn.dialect.name == "postgresql":
        now = conn.execute(select(func.clock_timestamp())).scalar_one()
    else:
        now = conn.exec_driver_sql("SELECT NOW(6)").scalar_one()
    assert isinstance(now, datetime)
    return now
