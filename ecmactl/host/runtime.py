"""One connector at run time: its store, its cache, its writes, its counters.

Writes go to the database first (a blocking ``RowStore`` call in a worker thread) and reach the
cache only once the store returned, i.e. once the transaction committed: the cache never holds
what the database does not. Writes to one anchor are serialised (a per-anchor lock), so two
PATCHes of the same user cannot commit in one order and reach the cache in the other.

Every write that reaches the cache while an import runs is also appended to that import's
journal; the import replays the journal onto its fresh cache before swapping it in, so a write
that raced the import is neither lost (committed after the import's SELECT) nor resurrected (a
delete committed after the SELECT). Replaying is idempotent for writes the SELECT already saw.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import anyio
import anyio.to_thread

from ecmactl.config.models import Connector
from ecmactl.host.cache import Cache, Row, Spec, key_function
from ecmactl.rowstore import DatabaseUnavailable, RowStore
from ecmactl.scim.errors import ScimError
from ecmactl.scim.mapping import RowChanges, UserMapping

if TYPE_CHECKING:  # imported by the host only for SQL stores (it brings SQLAlchemy)
    from ecmactl.cluster.member import ClusterMember

log = logging.getLogger("ecmactl.host")
T = TypeVar("T")
JournalEntry = tuple[Literal["upsert", "delete"], Any]
STATUS_CLASSES = ("2xx", "3xx", "4xx", "5xx")
_STATUS_CLASS = {int(c[0]): c for c in STATUS_CLASSES}


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime | None) -> str | None:
    """ISO-8601 UTC with a Z, milliseconds (what status shows)."""
    if moment is None:
        return None
    text = moment.astimezone(UTC).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


class RuntimeRetired(Exception):
    """A reload replaced or removed this runtime: its store is closed or closing, and a write
    that starts now belongs to its successor (the client retries: 503 + Retry-After)."""


class KeyedLocks:
    """One lock per key, created on demand and dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[Hashable, tuple[anyio.Lock, list[int]]] = {}

    @asynccontextmanager
    async def hold(self, key: Hashable) -> AsyncIterator[None]:
        entry = self._locks.get(key)
        if entry is None:
            entry = self._locks[key] = (anyio.Lock(), [0])
        entry[1][0] += 1
        try:
            async with entry[0]:
                yield
        finally:
            entry[1][0] -= 1
            if entry[1][0] == 0:
                del self._locks[key]


class Runtime:
    """Everything the host keeps for one connector. All methods run on the event loop."""

    def __init__(
        self,
        connector: Connector,
        open_store: Callable[[], RowStore],
        *,
        limiter: anyio.CapacityLimiter,
    ) -> None:
        self.connector = connector
        self.name = connector.name
        self.mapping = UserMapping(connector)
        self.store: RowStore | None = None
        self._open_store = open_store
        self._limiter = limiter
        self.cache: Cache | None = None
        self.ready = anyio.Event()  # set once the first full import succeeded
        self.journals: list[list[JournalEntry]] = []
        self.wanted_specs: set[Spec] = self._matching_specs()
        self._locks = KeyedLocks()
        self._inflight = 0
        self._idle = anyio.Event()
        self._idle.set()
        self.stop_flag = threading.Event()  # tells an import thread to give up early
        self.retired = False  # replaced or removed by a reload: never opens its store again
        # Health, for status(): where the database stands and what failed last.
        self.database_reachable: bool | None = None
        self.recovered = anyio.Event()  # set when the database answers again after an outage
        self.sync_failed = False
        self.requests: dict[str, int] = {"total": 0, **dict.fromkeys(STATUS_CLASSES, 0)}
        self.last_error: tuple[str, datetime] | None = None
        self.last_client_error: tuple[str, datetime] | None = None
        self.on_outage: Callable[[], None] = lambda: None  # the scheduler's recovery hook
        self.cluster: ClusterMember | None = None  # set by the host for SQL connectors

    def _matching_specs(self) -> set[Spec]:
        """Indexes every import builds: the matching attributes Entra uses by default."""
        specs: set[Spec] = set()
        for name in ("userName", "externalId"):
            target = self.mapping.resolve(name)
            if target is not None and target.column is not None and target.indexable:
                specs.add((target.column.name, target.case_exact))
        return specs

    # -- state --------------------------------------------------------------------------------

    @property
    def state(self) -> Literal["importing", "ready", "degraded"]:
        """importing: no cache yet and nothing failed; degraded: an import failed or the
        database was unreachable at the last attempt; ready otherwise."""
        if self.sync_failed or self.database_reachable is False:
            return "degraded"
        return "importing" if self.cache is None else "ready"

    def count(self, status: int) -> None:
        self.requests["total"] += 1
        self.requests[_STATUS_CLASS[min(max(status // 100, 2), 5)]] += 1

    def record_error(self, message: str, *, client: bool = False) -> None:
        if client:
            self.last_client_error = (message, utc_now())
        else:
            self.last_error = (message, utc_now())

    # -- the store, in worker threads ---------------------------------------------------------

    def retire(self) -> None:
        """Out of service for good: loops stop, and no new store work starts (in-flight work
        finishes, then the host closes the store)."""
        self.retired = True
        self.stop_flag.set()

    async def ensure_store(self) -> RowStore:
        if self.retired:
            raise RuntimeRetired(self.name)
        if self.store is None:
            self.store = await anyio.to_thread.run_sync(self._open_store, limiter=self._limiter)
        return self.store

    async def call(self, func: Callable[..., T], *args: Any) -> T:
        """A store call in a worker thread; tracks reachability and in-flight writes."""
        # Not shielded: waiting for a thread may be cancelled; once running, anyio finishes it.
        return await self._tracked(
            anyio.to_thread.run_sync(func, *args, limiter=self._limiter), shield=False
        )

    async def write(self, op: Literal["insert", "update", "delete"], *args: Any) -> Any:
        """A store write: awaited on the store's own writer when it has one (SQLite's group
        writer: no worker thread per request), else ``call`` in a worker thread. A standby
        refuses it here (NotWriter) before it starts; the store's fence checks again inside the
        transaction."""
        if self.cluster is not None:
            self.cluster.admit_write()
        store = await self.ensure_store()
        writes = store.async_writes()
        if writes is None:
            return await self.call(getattr(store, op), *args)
        return await self._tracked(getattr(writes, op)(*args), shield=True)

    async def _tracked(self, work: Awaitable[T], *, shield: bool) -> T:
        self._inflight += 1
        self._idle = anyio.Event() if self._inflight == 1 else self._idle
        try:
            # Like a running worker thread, a queued write is never abandoned by a cancellation:
            # its outcome (committed or not) reaches the cache before the request goes away.
            with anyio.CancelScope(shield=shield):
                result = await work
        except DatabaseUnavailable as exc:
            self.mark_unreachable(str(exc))
            raise
        finally:
            self._inflight -= 1
            if self._inflight == 0:
                self._idle.set()
        self.mark_reachable()
        return result

    def mark_reachable(self) -> None:
        if self.database_reachable is False:
            log.info("connector %s: the database answers again", self.name)
            self.recovered.set()
        self.database_reachable = True

    def mark_unreachable(self, message: str) -> None:
        first = self.database_reachable is not False
        self.database_reachable = False
        self.record_error(f"database unavailable: {message}")
        if first:
            log.warning("connector %s: the database is unavailable: %s", self.name, message)
            self.recovered = anyio.Event()
            self.on_outage()

    async def wait_idle(self) -> None:
        await self._idle.wait()

    # -- the cache after a commit -------------------------------------------------------------

    def _committed_upsert(self, row: Row) -> None:
        assert self.cache is not None
        self.cache.upsert(row)
        for journal in self.journals:
            journal.append(("upsert", row))

    def _committed_delete(self, anchor: Any) -> None:
        if self.cache is not None:
            self.cache.delete(anchor)
        for journal in self.journals:
            journal.append(("delete", anchor))

    @staticmethod
    def replay(cache: Cache, journal: list[JournalEntry]) -> None:
        for action, item in journal:
            if action == "upsert":
                cache.upsert(item)
            else:
                cache.delete(item)

    # -- writes (the cache exists: the routes answer 503 before that) --------------------------

    @staticmethod
    def _lock_key(anchor: Any) -> Hashable:
        # Case variants of one anchor are serialised too: many databases compare them equal.
        return anchor.casefold() if isinstance(anchor, str) else anchor

    async def create(self, changes: RowChanges) -> Row:
        """INSERT; the database decides uniqueness (UniqueViolation → 409)."""
        await self.ensure_store()
        anchor = changes.columns[self.mapping.anchor.name]
        async with self._locks.hold(self._lock_key(anchor)):
            row: Row = await self.write("insert", changes.columns)
            self._committed_upsert(row)
            return row

    async def modify(
        self, anchor: Any, resource_id: str, compute: Callable[[Row], RowChanges]
    ) -> tuple[Literal["updated", "unchanged", "deleted"], Row | None]:
        """PUT/PATCH: ``compute`` turns the current row into changes (under the anchor's lock).

        A disable with the Delete disable flow deletes the row."""
        await self.ensure_store()
        async with self._locks.hold(self._lock_key(anchor)):
            current = await self._current(anchor, resource_id)
            changes = compute(current)
            if changes.disable and self.mapping.disable_deletes:
                await self.write("delete", anchor)
                self._committed_delete(anchor)
                return "deleted", None
            if not changes.columns:
                return "unchanged", current
            row = await self.write("update", anchor, changes.columns)
            if row is None:  # deleted in the database behind our back
                self._committed_delete(anchor)
                raise ScimError.not_found(resource_id)
            self._committed_upsert(row)
            return "updated", row

    async def delete(self, anchor: Any, resource_id: str) -> bool:
        """DELETE; False when the delete flow is None (the row stays, as in ECMA2Host)."""
        await self.ensure_store()
        async with self._locks.hold(self._lock_key(anchor)):
            await self._current(anchor, resource_id)
            if self.connector.deprovisioning.delete_flow != "Delete":
                return False
            found = await self.write("delete", anchor)
            self._committed_delete(anchor)
            if not found:
                raise ScimError.not_found(resource_id)
            return True

    # -- several hosts: the change feed and read-through ---------------------------------------

    @property
    def clustered(self) -> bool:
        """Other hosts may write this table: a cache miss asks the database before 404."""
        member = self.cluster
        return member is not None and member.shares_database and not member.alone

    async def refresh_row(self, anchor: Any) -> None:
        """Another host committed a write to ``anchor``: re-read the row, update or evict it."""
        store = await self.ensure_store()
        async with self._locks.hold(self._lock_key(anchor)):
            row = await self.call(store.read_row, anchor)
            if row is not None:
                self._remote_upsert(row)
            else:
                self._committed_delete(anchor)

    async def read_through(self, anchor: Any) -> Row | None:
        """A miss on ``anchor`` checked against the database (clustered connectors only)."""
        member = self.cluster
        if member is None or not member.shares_database or anchor is None:
            return None
        missing = ((self.mapping.anchor.name, True), anchor)
        if member.feed_live and member.negative.known_missing(missing):
            return None
        async with self._locks.hold(self._lock_key(anchor)):
            return await self._load_missing(anchor)

    async def _load_missing(self, anchor: Any) -> Row | None:
        """``read_through`` with the anchor's lock held."""
        cached = self.cache.get(anchor) if self.cache is not None else None
        if cached is not None or not self.clustered:  # the feed may have delivered it meanwhile
            return cached
        assert self.cluster is not None
        store = await self.ensure_store()
        row = await self.call(store.read_row, anchor)
        if row is None:
            # Remembered only while changes arrive: one that arrives clears it again.
            if self.cluster.feed_live:
                self.cluster.negative.add(((self.mapping.anchor.name, True), anchor))
            return None
        self._remote_upsert(row)
        return row

    async def read_through_by(self, spec: Spec, key: Hashable) -> list[Row]:
        """An index miss (``spec``, ``key``) checked against the database: the rows found
        (added to the cache), matched by the cache's own key rule."""
        member = self.cluster
        if member is None or not member.shares_database:
            return []
        missing = (spec, key)
        if member.feed_live and member.negative.known_missing(missing):
            return []
        store = await self.ensure_store()
        reader = getattr(store, "read_rows_by", None)
        if reader is None:
            return []
        column, case_exact = spec
        rows: list[Row] = await self.call(lambda: reader(column, key, case_exact=case_exact))
        keyfn = key_function(case_exact)
        found = [r for r in rows if r.get(column) is not None and keyfn(r[column]) == key]
        if not found:
            if member.feed_live:  # remembered only while changes arrive to clear it
                member.negative.add(missing)
            return []
        # Each row again under its anchor's lock: the read above held none, so another host may
        # have changed or deleted it since (its feed message found nothing cached to evict).
        anchor = self.mapping.anchor.name
        current: list[Row] = []
        for row in found:
            async with self._locks.hold(self._lock_key(row[anchor])):
                fresh = await self._load_missing(row[anchor])
            if fresh is not None and fresh.get(column) is not None and keyfn(fresh[column]) == key:
                current.append(fresh)
        return current

    def _remote_upsert(self, row: Row) -> None:
        if self.cache is not None:
            self.cache.upsert(row)
        for journal in self.journals:  # an import under way must not lose it
            journal.append(("upsert", row))

    async def _current(self, anchor: Any, resource_id: str) -> Row:
        """The row to change (the anchor's lock held): from the cache, or on a clustered
        connector from the database when another host wrote it a moment ago."""
        row = self.cache.get(anchor) if self.cache is not None else None
        if row is None and self.clustered:
            row = await self._load_missing(anchor)
        if row is None:
            raise ScimError.not_found(resource_id)
        return row
