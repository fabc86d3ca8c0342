"""The change feed: every write a host commits, told to every other host of the connector.

The writer side runs inside the write transaction (``SqlRowStore.on_write``), so a change is
announced exactly when its row commits and never for a rolled-back write:

- PostgreSQL: ``pg_notify`` on one channel; the server delivers it at commit, to every session
  that listens (``PostgresListener``, one dedicated connection per connector);
- MariaDB/MySQL: a row in ``ecmactl_changes``, committed with the user's row; every host polls
  the log (``ChangeLogPoller``). Auto-increment ids are taken at insert and committed in any
  order, so the poller keeps reading above the highest id below which it has seen every id (its
  ``floor``), and gives up on a missing id (a rolled-back insert, an increment step) only after
  ``GAP_GRACE_S``. Rows every live host has read are pruned, and any older than ``KEEP_S``.

A change names the table, the anchor and the operation, never the values: the receiver re-reads
the row, so the cache holds what the database holds even when changes arrive out of order.
Notifications can be lost while a listener is disconnected; after such an outage the reader
asks for a full resync of the cache.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.engine import Connection, Engine

log = logging.getLogger("ecmactl.host")

CHANNEL = "ecmactl_changes"
POLL_S = 0.05  # MariaDB: how often the change log is read
IDLE_S = 1.0  # PostgreSQL: a quiet listener checks its connection this often
GAP_GRACE_S = 5.0
KEEP_S = 600.0
BATCH = 5_000
_MAX_BACKOFF_S = 10.0


@dataclass(frozen=True, slots=True)
class Change:
    """One committed write: ``op`` is "upsert" or "delete"; ``host`` the host that made it."""

    table: str
    anchor: Any
    op: str
    host: str
    connector: str = ""
    written: float = 0.0  # the writer's clock (time.time()) inside the transaction: for lag

    def encode(self) -> str:
        document = {
            "t": self.table,
            "a": self.anchor,
            "o": self.op,
            "h": self.host,
            "c": self.connector,
            "w": round(self.written, 4),
        }
        return json.dumps(document, separators=(",", ":"), default=str)

    @classmethod
    def decode(cls, payload: str) -> Change | None:
        """None for a payload that is not ours (another program may share the channel)."""
        try:
            d = json.loads(payload)
            written = float(d.get("w", 0.0))
            return cls(str(d["t"]), d["a"], str(d["o"]), str(d["h"]), str(d.get("c", "")), written)
        except (ValueError, KeyError, TypeError):
            return None


Deliver = Callable[[Change], None]
Notify = Callable[[], None]


def writer(
    dialect: str, changes: Table, *, table: str, connector: str, host: str
) -> Callable[[Connection, str, Any], None]:
    """The ``on_write`` hook for a store: announce a change inside its transaction."""

    def notify(conn: Connection, op: str, anchor: Any) -> None:
        payload = Change(table, anchor, op, host, connector, time.time()).encode()
        conn.execute(select(func.pg_notify(CHANNEL, payload)))

    def log_row(conn: Connection, op: str, anchor: Any) -> None:
        payload = Change(table, anchor, op, host, connector, time.time()).encode()
        conn.execute(insert(changes).values(payload=payload, created=func.current_timestamp()))

    return notify if dialect == "postgresql" else log_row


class _Reader(threading.Thread):
    """A daemon thread that follows the feed until ``stop``; ``started`` once it reads."""

    def __init__(self, name: str, deliver: Deliver, resync: Notify) -> None:
        super().__init__(name=name, daemon=True)
        self._deliver, self._resync = deliver, resync
        self._stopping = threading.Event()
        self.ready = threading.Event()
        self.connected = False
        self.reconnects = 0

    def stop(self) -> None:
        self._stopping.set()

    def _pause(self, failures: int) -> None:
        self._stopping.wait(min(0.2 * 2**failures, _MAX_BACKOFF_S))

    def _emit(self, payload: str) -> None:
        change = Change.decode(payload)
        if change is not None:
            self._deliver(change)


class PostgresListener(_Reader):
    """LISTEN on a connection of its own (taken from the store's engine, then detached from
    its pool); reconnects with back-off after an outage, then asks for a resync."""

    def __init__(self, engine: Engine, deliver: Deliver, resync: Notify) -> None:
        super().__init__("ecmactl-feed-listen", deliver, resync)
        self._engine = engine
        self._conn: Any = None

    def run(self) -> None:
        failures = 0
        outage = False
        while not self._stopping.is_set():
            try:
                self._listen(resync=outage)
            except Exception as exc:
                if self._stopping.is_set():
                    break
                if self.connected or not outage:
                    log.warning("change feed: the listener lost the database (%s)", _line(exc))
                self.connected, outage = False, True
                failures += 1
                self._pause(failures)
                continue
            failures = 0
        self._close()

    def _listen(self, *, resync: bool) -> None:
        raw = self._engine.raw_connection()
        conn = self._conn = raw.driver_connection
        raw.detach()  # its own session for good: LISTEN outlives any pooled checkout
        assert conn is not None
        conn.autocommit = True
        conn.execute(f"LISTEN {CHANNEL}")
        self.connected = True
        if resync:
            self.reconnects += 1
            log.info("change feed: listening again; resynchronising the cache")
            self._resync()
        self.ready.set()
        while not self._stopping.is_set():
            quiet = True
            for notice in conn.notifies(timeout=IDLE_S):
                quiet = False
                self._emit(notice.payload)
                if self._stopping.is_set():
                    break
            if quiet:
                conn.execute("SELECT 1")  # a half-open connection errors here, not silently

    def _close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception as exc:  # closing a dead connection: nothing left to do
                log.debug("change feed: closing the listener: %s", exc)


class ChangeLogPoller(_Reader):
    """Reads ``ecmactl_changes`` every ``POLL_S``; ``floor`` is what it has consumed."""

    def __init__(self, engine: Engine, changes: Table, deliver: Deliver, resync: Notify) -> None:
        super().__init__("ecmactl-feed-poll", deliver, resync)
        self._engine, self._changes = engine, changes
        self.floor = 0
        self._seen: set[int] = set()
        self._gaps: dict[int, float] = {}

    def begin(self) -> None:
        """Start from the log's end (blocking; before the first import reads the table)."""
        with self._engine.connect() as conn:
            top = conn.execute(select(func.max(self._changes.c.id))).scalar()
        self.floor = int(top or 0)

    def run(self) -> None:
        failures = 0
        down_since: float | None = None
        self.connected = True
        self.ready.set()
        while not self._stopping.is_set():
            try:
                self._poll()
            except Exception as exc:
                if down_since is None:
                    down_since = time.monotonic()
                    log.warning("change feed: cannot read the change log (%s)", _line(exc))
                self.connected = False
                failures += 1
                self._pause(failures)
                continue
            if down_since is not None:
                # A short outage loses nothing (the log keeps what this host has not read while
                # its heartbeat is live); a long one may have been pruned away.
                if time.monotonic() - down_since > GAP_GRACE_S * 3:
                    self.reconnects += 1
                    log.info("change feed: reading the log again; resynchronising the cache")
                    self._resync()
                down_since, failures, self.connected = None, 0, True
            self._stopping.wait(POLL_S)

    def _poll(self) -> None:
        c = self._changes.c
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(c.id, c.payload).where(c.id > self.floor).order_by(c.id).limit(BATCH)
            ).all()
        now = time.monotonic()
        for ident, payload in rows:
            if ident not in self._seen:
                self._seen.add(ident)
                self._emit(payload)
        if rows:
            for missing in range(self.floor + 1, rows[-1][0]):
                if missing not in self._seen:
                    self._gaps.setdefault(missing, now)
        self._advance(now)

    def _advance(self, now: float) -> None:
        while True:
            following = self.floor + 1
            if following in self._seen:
                self._seen.discard(following)
            elif following in self._gaps and now - self._gaps[following] > GAP_GRACE_S:
                del self._gaps[following]
            else:
                return
            self._gaps.pop(following, None)
            self.floor = following


def prune_change_log(engine: Engine, changes: Table, consumed: list[int]) -> int:
    """Delete what every live host has read (``consumed``: their floors), and anything older
    than ``KEEP_S``. Returns the rows deleted."""
    c = changes.c
    with engine.begin() as conn:
        now = conn.execute(select(func.current_timestamp())).scalar_one()
        condition = c.created < now - timedelta(seconds=KEEP_S)
        if consumed:
            condition = condition | (c.id <= min(consumed))
        return int(conn.execute(delete(changes).where(condition)).rowcount)


def _line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
