"""One connector's place among the hosts that share its database.

``attach`` runs in the worker thread that opens the connector's store, before the first import
reads the table: it installs the store's ``on_write`` hook (the writer-lease fence, then the
change-feed announcement), creates ecmactl's tables when missing, registers this host and starts
the feed reader. ``run`` (a task on the host's event loop)
renews the registration and applies what the feed delivers: each change re-reads its row,
through ``refresh`` (the runtime's, under the anchor's write lock), so the cache converges on
the database whatever order changes arrive in. A reader that lost the database asks for
``resync`` (a full import) once it reads again. ``run`` also keeps the writer lease
(``lease_keeper``): until this host has read the lease, a write is refused (503), never
committed unfenced.

SQLite has no feed and is never clustered (``sqlite_claim`` keeps a second host off its file).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import statistics
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import anyio
import anyio.to_thread
from sqlalchemy import MetaData, Table
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from ecmactl.cluster.change_feed import (
    Change,
    ChangeLogPoller,
    PostgresListener,
    prune_change_log,
    writer,
)
from ecmactl.cluster.lease import DEFAULT_TTL_S, Lease, renew_interval
from ecmactl.cluster.lease_keeper import OFF_CHECK_S, LeaseKeeper
from ecmactl.cluster.negative import NegativeCache
from ecmactl.cluster.registry import HEARTBEAT_S, STALE_S, HostRow, Registry
from ecmactl.cluster.tables import ClusterSetupError, define, define_lease, ensure_tables
from ecmactl.config.models import Connector
from ecmactl.errors import EcmactlError
from ecmactl.rowstore import NotWriter, RowStore

log = logging.getLogger("ecmactl.host")
CLUSTERED_DIALECTS = ("postgresql", "mysql", "mariadb")
APPLY_WORKERS = 4  # rows re-read at once
_READY_WAIT_S = 10.0
_LAGS_KEPT = 10_000
_DRAIN_S = 30.0  # a failover waits this long for writes in flight
_HANDOVER_AGE_S = 2 * HEARTBEAT_S + 1.0  # a standby's heartbeat at most this old


class FailoverError(EcmactlError):
    """`agent failover` has nothing to do or cannot do it (``reason`` says why: not_clustered,
    not_lease_mode, no_standby, settling, database)."""

    def __init__(self, message: str, *, reason: str = "conflict", hint: str | None = None):
        super().__init__(message, hint=hint)
        self.reason = reason


class ClusterMember:
    """Registry row, change feed and negative cache of one connector on this host."""

    def __init__(
        self,
        connector: Connector,
        *,
        host_id: str,
        address: str,
        version: str,
        standby: bool = False,
        lease_ttl: float = DEFAULT_TTL_S,
    ) -> None:
        self.connector = connector
        self.standby, self.lease_ttl = standby, lease_ttl
        self.lease: LeaseKeeper | None = None  # once the lease table exists and was read
        self._announce: Callable[[Connection, str, Any], None] | None = None
        self.host_id, self.address, self.version = host_id, address, version
        schema = connector.schema
        self.table = f"{schema.db_schema}.{schema.table}" if schema.db_schema else schema.table
        self.enabled = False  # registered, feed running, writes announced
        self.problem: str | None = None  # why it is not (for status)
        self.negative = NegativeCache()
        self.hosts: list[HostRow] = []  # the registry as of the last heartbeat
        self.loop: asyncio.AbstractEventLoop | None = None  # set by the host before any store
        self.applied = 0
        self.resyncs = 0
        self.lags: collections.deque[float] = collections.deque(maxlen=_LAGS_KEPT)
        self._store: RowStore | None = None
        self._engine: Engine | None = None
        self._registry: Registry | None = None
        self._changes: Table | None = None
        self._reader: PostgresListener | ChangeLogPoller | None = None
        self._pending: dict[Any, float] = {}  # anchor -> when its newest change was written
        self._wake: asyncio.Event | None = None
        self._resync_wanted: asyncio.Event | None = None
        self._joined_at: float | None = None  # time.monotonic() when it last joined
        self._foreign_at = 0.0  # time.monotonic() of the last change another host made
        self._refused = False  # the tables cannot be created: this host runs alone
        self._lock = threading.Lock()

    # -- in the worker thread that opens the store ---------------------------------------------

    def attach(self, store: RowStore) -> RowStore:
        """Join the cluster through ``store`` when its database can carry one; never raises
        (a database that is down now is retried by ``run``)."""
        engine = getattr(store, "engine", None)
        on_sqlite = self.connector.connectivity.database_url.lower().startswith("sqlite")
        if not isinstance(engine, Engine) and self.connector.uses_run_steps and not on_sqlite:
            # Procedures and queries write through statements we cannot announce from: say so
            # (status shows it) rather than let two hosts serve it with caches that disagree.
            self.problem = (
                "not clustered: a connector whose run steps use stored procedures or SQL "
                "queries runs on one host"
            )
            log.warning("connector %s: %s", self.connector.name, self.problem)
            return store
        if not isinstance(engine, Engine) or engine.dialect.name not in CLUSTERED_DIALECTS:
            return store
        self._store, self._engine = store, engine
        # From the first write on: fenced (refused until the lease was read), then announced.
        setattr(store, "on_write", self._on_write)  # noqa: B010 - SqlRowStore's hook
        self._try_setup()
        return store

    def _try_setup(self) -> None:
        with self._lock:
            if self.enabled or self._engine is None or self._refused:
                return
            try:
                self._setup(self._engine)
            except ClusterSetupError as exc:  # until the account may create them: a restart
                self.problem, self._refused = exc.message, True
                log.error("connector %s: %s. %s", self.connector.name, exc.message, exc.hint)
            except Exception as exc:  # the database is down: run() tries again
                first = self.problem is None
                self.problem = f"cannot join the cluster yet: {str(exc).splitlines()[0]}"
                if first:
                    log.warning("connector %s: %s", self.connector.name, self.problem)

    def _setup(self, engine: Engine) -> None:
        dialect = engine.dialect.name
        metadata, db_schema = MetaData(), self.connector.schema.db_schema
        hosts, changes = define(metadata, db_schema)
        lease_table = define_lease(metadata, db_schema)
        wanted = [hosts, lease_table] if dialect == "postgresql" else [hosts, changes, lease_table]
        created = ensure_tables(engine, wanted)
        # Announce this host's writes from now on: other hosts need them even while this one
        # has not finished joining (its registry row or its own feed may still fail and retry).
        self._announce = writer(
            dialect, changes, table=self.table, connector=self.connector.name, host=self.host_id
        )
        if self.lease is None:
            keeper = LeaseKeeper(
                Lease(engine, lease_table, self.connector.name),
                self.host_id,
                standby=self.standby,
                ttl=self.lease_ttl,
            )
            keeper.start()
            self.lease = keeper
        if created:
            log.info(
                "connector %s: created %s in the database (ecmactl's own: the host registry%s; "
                "the connector's table is untouched)",
                self.connector.name,
                " and ".join(created),
                ", writer lease" if dialect == "postgresql" else ", change log, writer lease",
            )
        registry = Registry(
            engine,
            hosts,
            host_id=self.host_id,
            connector=self.connector.name,
            address=self.address,
            version=self.version,
            role=self.role,
        )
        registry.register()
        reader: PostgresListener | ChangeLogPoller
        if dialect == "postgresql":
            reader = PostgresListener(engine, self._deliver, self._ask_resync)
        else:
            reader = ChangeLogPoller(engine, changes, self._deliver, self._ask_resync)
            reader.begin()
        reader.start()
        try:
            if not reader.ready.wait(_READY_WAIT_S):
                raise TimeoutError("the change feed did not start")
            registered = registry.hosts()
        except BaseException:  # the next attempt starts a new reader: never leave this one
            reader.stop()
            with contextlib.suppress(Exception):  # the database may be what failed
                registry.deregister()
            raise
        self._registry, self._changes, self._reader = registry, changes, reader
        self.hosts = registered
        self._joined_at = time.monotonic()
        self.enabled, self.problem = True, None
        live = sum(1 for h in self.hosts if h.live)
        log.info(
            "connector %s: cluster member %s (%d live host(s) on this database)",
            self.connector.name,
            self.host_id,
            live,
        )

    def close(self, *, release_lease: bool = True) -> None:
        """Stop reading the feed and leave the registry (blocking; at shutdown). Without
        ``release_lease`` (a reload's successor on this host adopted it) the lease stays."""
        reader, self._reader = self._reader, None
        self.enabled = False
        if reader is not None:
            reader.stop()
            reader.join(timeout=3)
        if self._store is not None and hasattr(self._store, "on_write"):
            setattr(self._store, "on_write", None)  # noqa: B010
        keeper = self.lease
        if keeper is not None and release_lease:
            try:  # a standby takes over at its next tick, not after the TTL
                keeper.release()
            except Exception as exc:  # it expires after the TTL instead
                log.debug("connector %s: releasing the lease: %s", self.connector.name, exc)
        if self._registry is not None:
            try:
                self._registry.deregister()
            except Exception as exc:  # the row goes stale and is pruned by the others
                log.debug("connector %s: leaving the registry: %s", self.connector.name, exc)

    # -- inside each write transaction (a worker thread) ---------------------------------------

    def _on_write(self, conn: Connection, op: str, anchor: Any) -> None:
        if self._refused:  # the account may not create ecmactl's tables: this host runs alone
            return
        keeper = self.lease
        if keeper is None:
            raise NotWriter(
                f"This host has not joined connector {self.connector.name}'s cluster yet "
                "(it cannot read the writer lease); nothing was written. Retry."
            )
        keeper.fence(conn)
        if self._announce is not None:
            self._announce(conn, op, anchor)

    # -- from the feed reader's thread ---------------------------------------------------------

    def _deliver(self, change: Change) -> None:
        if change.host == self.host_id or change.table != self.table or self.loop is None:
            return
        self._foreign_at = time.monotonic()  # another host writes here, whatever the registry says
        self.loop.call_soon_threadsafe(self._arrived, change)

    def _ask_resync(self) -> None:
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self._resync_arrived)

    # -- on the event loop ---------------------------------------------------------------------

    @property
    def role(self) -> str:
        """active (it may write) or standby (another host holds the writer lease)."""
        return self.lease.role if self.lease is not None else "active"

    def admit_write(self) -> None:
        """Before a write starts: NotWriter when this host is a standby (503 + Retry-After)."""
        if self.lease is not None:
            self.lease.admit()

    @property
    def shares_database(self) -> bool:
        """Its database can carry a cluster and the host is (or is still trying to become) a
        member: other hosts may write the table, so a miss must ask the database, also while
        this host is still joining or its feed is down."""
        return self._engine is not None and not self._refused

    @property
    def alone(self) -> bool:
        """No other host is live on this database, none has written lately, and changes
        arrive: a miss cannot be another host's fresh write, so it need not cost a query (Entra's
        initial cycle on a single host is all misses). Never within ``STALE_S`` of joining."""
        if not self.feed_live or self._joined_at is None:
            return False
        now = time.monotonic()
        if now - max(self._joined_at, self._foreign_at) < STALE_S:
            return False
        return not any(h.live and h.host_id != self.host_id for h in self.hosts)

    @property
    def feed_live(self) -> bool:
        """Changes are arriving: a key the database lacked stays lacking until one does."""
        reader = self._reader
        return self.enabled and reader is not None and reader.connected

    def _arrived(self, change: Change) -> None:
        self._pending.pop(change.anchor, None)  # keep the newest at the end
        self._pending[change.anchor] = change.written
        self._forget_missing(change.anchor)
        if self._wake is not None:
            self._wake.set()

    def _resync_arrived(self) -> None:
        self.negative.clear()
        if self._resync_wanted is not None:
            self._resync_wanted.set()

    def _forget_missing(self, anchor: Any) -> None:
        name = self.connector.schema.anchor
        self.negative.discard(((name, True), anchor))
        if isinstance(anchor, str):
            self.negative.discard(((name, False), anchor.casefold()))

    async def run(
        self,
        refresh: Callable[[Any], Awaitable[None]],
        resync: Callable[[], Awaitable[Any]],
    ) -> None:
        """Heartbeat and apply the feed until cancelled."""
        self._wake, self._resync_wanted = asyncio.Event(), asyncio.Event()
        async with anyio.create_task_group() as group:
            group.start_soon(self._beat)
            for _ in range(APPLY_WORKERS):
                group.start_soon(self._apply, refresh)
            group.start_soon(self._resyncer, resync)
            group.start_soon(self._keep_lease)

    async def _keep_lease(self) -> None:
        quiet = False
        while True:
            keeper = self.lease
            interval = renew_interval(self.lease_ttl)
            if keeper is not None and not keeper.mode:  # keep "no lease row" fresh for writes
                interval = min(interval, OFF_CHECK_S)
            await anyio.sleep(interval)
            keeper = self.lease
            if keeper is None:
                continue
            try:
                await anyio.to_thread.run_sync(keeper.tick)
                quiet = False
            except Exception as exc:  # the holder's local deadline stops its writes meanwhile
                if not quiet:
                    log.warning(
                        "connector %s: cannot read the writer lease: %s",
                        self.connector.name,
                        str(exc).splitlines()[0],
                    )
                quiet = True

    async def _beat(self) -> None:
        quiet = False
        while True:
            await anyio.sleep(HEARTBEAT_S)
            if not self.enabled:
                if self._engine is not None:
                    await anyio.to_thread.run_sync(self._try_setup)
                    if self.enabled:  # joined late: writes before now were not followed
                        self._resync_arrived()
                continue
            try:
                await anyio.to_thread.run_sync(self._heartbeat)
                quiet = False
            except Exception as exc:  # the feed reader says so too; keep trying
                if not quiet:
                    log.warning("connector %s: heartbeat failed: %s", self.connector.name, exc)
                quiet = True

    def _heartbeat(self) -> None:
        registry, reader = self._registry, self._reader
        if registry is None or self._engine is None:
            return
        consumed = reader.floor if isinstance(reader, ChangeLogPoller) else None
        registry.heartbeat(
            consumed, role=self.role, lag_ms=self.lag_ms()["p99"], pending=len(self._pending)
        )
        self.hosts = registry.hosts()
        if isinstance(reader, ChangeLogPoller) and self._changes is not None:
            floors = [h.consumed for h in self.hosts if h.live and h.consumed is not None]
            prune_change_log(self._engine, self._changes, [f for f in floors if f is not None])

    async def _apply(self, refresh: Callable[[Any], Awaitable[None]]) -> None:
        while True:
            while not self._pending:
                assert self._wake is not None
                self._wake.clear()
                await self._wake.wait()
            anchor = next(iter(self._pending))
            written = self._pending.pop(anchor)
            try:
                await refresh(anchor)
            except Exception as exc:  # the database failed the re-read: the feed reader
                # notices the outage too; a resync after it covers this row
                log.warning(
                    "connector %s: cannot re-read %r after a change: %s",
                    self.connector.name,
                    anchor,
                    exc,
                )
                self._resync_arrived()
                continue
            self.applied += 1
            if written:
                self.lags.append(max(time.time() - written, 0.0))

    async def _resyncer(self, resync: Callable[[], Awaitable[Any]]) -> None:
        wanted = self._resync_wanted
        assert wanted is not None
        while True:
            await wanted.wait()
            while not self.feed_live:  # changes are lost until the feed reads again
                await anyio.sleep(0.2)
            wanted.clear()
            self.resyncs += 1
            self.negative.clear()
            await resync()

    # -- a deliberate failover (`agent failover`) ------------------------------------------------

    async def end_lease_mode(self) -> dict[str, Any]:
        """Back to active-active: delete the lease row; every host writes from its next tick.
        Refused on a host started with --standby (it would switch lease mode on again at its
        next start)."""
        with self._database_failing("ending lease mode"):
            return await self._end_lease_mode()

    async def failover(self, wait_idle: Callable[[], Awaitable[None]]) -> dict[str, Any]:
        """On the holder: stop admitting writes, let those in flight finish (``wait_idle``),
        then hand the lease to a live standby (epoch+1: it takes it at its next tick). On a
        standby: take the lease (the holder is fenced at its next write). FailoverError when
        there is nothing to fail over to, or the database fails."""
        with self._database_failing("the failover"):
            return await self._failover(wait_idle)

    @contextlib.contextmanager
    def _database_failing(self, what: str) -> Iterator[None]:
        try:
            yield
        except SQLAlchemyError as exc:  # a FailoverError (exit 1), not a 500 with a traceback
            raise FailoverError(
                f"connector {self.connector.name}: the database failed during {what}: "
                f"{str(exc.orig if isinstance(exc, DBAPIError) else exc).splitlines()[0]}",
                reason="database",
            ) from exc

    async def _end_lease_mode(self) -> dict[str, Any]:
        keeper, name = self.lease, self.connector.name
        if keeper is None or not self.enabled:
            raise FailoverError(
                f"connector {name} has not joined its database's cluster", reason="not_clustered"
            )
        if self.standby:
            raise FailoverError(
                f"connector {name}: this host runs with --standby, which switches lease mode on "
                "at every start; restart it without --standby first",
                reason="standby_flag",
            )
        if not await anyio.to_thread.run_sync(keeper.lease.disable):
            raise FailoverError(
                f"connector {name} runs active-active already", reason="not_lease_mode"
            )
        await anyio.to_thread.run_sync(keeper.tick)
        log.info("connector %s: writer lease mode switched off: every host writes", name)
        return {"action": "active-active"}

    async def _failover(self, wait_idle: Callable[[], Awaitable[None]]) -> dict[str, Any]:
        keeper, registry = self.lease, self._registry
        name = self.connector.name
        if keeper is None or registry is None or not self.enabled:
            raise FailoverError(
                f"connector {name} has not joined its database's cluster"
                + (f" ({self.problem})" if self.problem else ""),
                reason="not_clustered",
            )
        await anyio.to_thread.run_sync(keeper.tick)
        if not keeper.mode:
            raise FailoverError(
                f"connector {name} runs active-active: every host writes, there is no writer "
                "lease to hand over",
                reason="not_lease_mode",
            )
        previous = keeper.state.holder if keeper.state else None
        if not keeper.holding:
            epoch = await anyio.to_thread.run_sync(keeper.take)
            if epoch is None:
                if await anyio.to_thread.run_sync(keeper.lease.read) is None:
                    raise FailoverError(f"connector {name}: lease mode was switched off meanwhile")
                raise FailoverError(
                    f"connector {name}: lease mode was switched on less than {self.lease_ttl:g} s "
                    "ago and hosts that have not seen it yet may still write; the lease did not "
                    "move",
                    reason="settling",
                )
            return {"action": "took", "from": previous, "to": self.host_id, "epoch": epoch}
        self.hosts = await anyio.to_thread.run_sync(registry.hosts)
        # Fresher than ``live``: a standby that beat within the last two heartbeats (one that
        # died a moment ago would hold the lease for a TTL without taking writes).
        standbys = sorted(
            (
                h
                for h in self.hosts
                if h.age_s <= _HANDOVER_AGE_S and h.host_id != self.host_id and h.role == "standby"
            ),
            key=lambda h: h.age_s,
        )
        if not standbys:
            raise FailoverError(
                f"connector {name}: no standby host is live on its database; this host keeps "
                "the writer lease",
                reason="no_standby",
            )
        target = standbys[0]
        keeper.draining = True
        try:
            with anyio.move_on_after(_DRAIN_S):
                await wait_idle()
            epoch = await anyio.to_thread.run_sync(keeper.hand_over, target.host_id)
        finally:
            keeper.draining = False
        if epoch is None:
            raise FailoverError(f"connector {name}: this host lost the lease meanwhile")
        return {
            "action": "handed",
            "from": self.host_id,
            "to": target.host_id,
            "to_address": target.address,
            "epoch": epoch,
        }

    # -- status --------------------------------------------------------------------------------

    def lag_ms(self) -> dict[str, float | None]:
        """Change-feed lag (commit on another host → this cache), over the recent changes."""
        lags = sorted(self.lags)
        if not lags:
            return {"p50": None, "p99": None, "max": None}
        p99 = lags[min(len(lags) - 1, int(len(lags) * 0.99))]
        return {
            "p50": round(statistics.median(lags) * 1000, 1),
            "p99": round(p99 * 1000, 1),
            "max": round(lags[-1] * 1000, 1),
        }
