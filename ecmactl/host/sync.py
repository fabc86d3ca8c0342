"""Full import, delta import and the autosync schedule of one connector.

- **Full import** streams ``store.iter_rows()`` into a new ``Cache`` in a worker thread (index
  building included, so the event loop keeps serving the old cache), then, back on the loop,
  replays the writes journaled since the import started and swaps the new cache in, with no
  ``await`` in between: a request sees the old cache or the new one, never a mix.
- **Delta import** (Global page: delta strategy Watermark, Run Profiles: delta import) merges
  ``store.changed_since(watermark)`` into the current cache, replaying its own journal after
  the merge. A watermark cannot see deletes: rows deleted by someone else disappear at the next
  full import, which runs at start, on ``sync_now`` and every ``FULL_IMPORT_EVERY`` ticks.
- **Schedule**: an import at start, then every ``autosync_minutes``. A failed import keeps the
  old cache (state degraded, error recorded) and is retried with back-off (2 s doubling, at most
  60 s and at most the autosync interval); so is the first import when the database cannot be
  reached at start, while /Users answers 503. A write that finds the database unavailable
  schedules pings with the same back-off until it answers again.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

import anyio
import anyio.to_thread

from ecmactl.host.cache import Cache, Spec
from ecmactl.host.gc_tuning import fewer_collections
from ecmactl.host.progress import ImportProgress
from ecmactl.host.runtime import JournalEntry, Runtime, iso, utc_now
from ecmactl.rowstore import DatabaseUnavailable, RowStore
from ecmactl.status_document import ImportStatus

log = logging.getLogger("ecmactl.host")

FULL_IMPORT_EVERY = 6  # with a delta strategy: every 6th autosync tick is a full import
MAX_BACKOFF_S = 60.0
PROGRESS_EVERY = 100_000  # rows between progress log lines


def backoff(failures: int, interval: float) -> float:
    """Seconds before retry number ``failures`` (1-based): 2, 4, 8 … capped."""
    return min(2.0 * 2.0 ** min(failures - 1, 10), MAX_BACKOFF_S, interval)


class _Stopped(Exception):
    """The host is shutting down: the import thread gives up."""


@dataclass
class SyncResult:
    """One import, as status() and sync_now() report it."""

    connector: str
    kind: Literal["full", "delta"]
    started: datetime
    finished: datetime | None = None
    duration_s: float | None = None
    rows: int = 0
    result: Literal["running", "ok", "failed"] = "running"
    error: str | None = None
    # What a full import expects to read (status shows "rows of total"); see _expected_rows.
    total: int | None = None
    total_exact: bool = True

    @property
    def progress(self) -> ImportProgress:
        return ImportProgress(self.rows, self.total, self.total_exact)

    def to_dict(self) -> ImportStatus:
        return {
            "connector": self.connector,
            "kind": self.kind,
            "started": iso(self.started),
            "finished": iso(self.finished),
            "duration_s": self.duration_s,
            "rows": self.rows,
            "result": self.result,
            "error": self.error,
        }


class Syncer:
    """Runs one connector's imports, one at a time, and its autosync loop."""

    def __init__(self, runtime: Runtime, clock: Callable[[], float]) -> None:
        self.rt = runtime
        self.clock = clock
        connector = runtime.connector
        self.interval = max(connector.autosync_minutes, 1) * 60.0
        g = connector.global_
        self.watermark_column = g.watermark_column if g.delta_strategy == "Watermark" else None
        self.delta_enabled = bool(self.watermark_column) and connector.run_profiles.delta_import
        self.watermark: Any = None
        self.last_full: SyncResult | None = None
        self.last_delta: SyncResult | None = None
        self.current: SyncResult | None = None
        self.failures = 0
        self._ticks_since_full = 0
        self._lock = anyio.Lock()
        self._sync_due = clock()  # the first import runs at once
        self._ping_due: float | None = None
        self._ping_failures = 0
        self._wake = anyio.Event()
        # Called on the event loop after every import (ok or failed): tests, progress displays.
        self.listeners: list[Callable[[SyncResult], None]] = []
        runtime.on_outage = self._schedule_ping

    # -- schedule -----------------------------------------------------------------------------

    def next_sync_at(self) -> datetime:
        return utc_now() + timedelta(seconds=max(self._sync_due - self.clock(), 0.0))

    def set_interval(self, minutes: int) -> None:
        """A reload changed autosync_minutes: the next tick moves by the difference."""
        interval = minutes * 60.0
        self._sync_due += interval - self.interval
        self.interval = interval
        self._wake.set()

    def _schedule_ping(self) -> None:
        """A write found the database unavailable: ping it until it answers."""
        self._ping_failures = 0
        self._ping_due = self.clock() + backoff(1, self.interval)
        self._wake.set()

    def _after(self, ok: bool) -> None:
        now = self.clock()
        if ok:
            self.failures = 0
            self._sync_due = now + self.interval
        else:
            self.failures += 1
            self._sync_due = now + backoff(self.failures, self.interval)
        self._wake.set()

    async def run(self) -> None:
        """The autosync loop (a background task until the host stops)."""
        while True:
            action = await self._wait_due()
            if action == "ping":
                await self._ping()
            elif action == "delta":
                await self.delta_import()
            else:
                await self.full_import()

    async def _wait_due(self) -> Literal["full", "delta", "ping"]:
        while True:
            now = self.clock()
            if self._ping_due is not None and self._ping_due <= now:
                return "ping"
            if self._sync_due <= now:
                full = self.rt.cache is None or not self.delta_enabled
                full = full or self._ticks_since_full + 1 >= FULL_IMPORT_EVERY
                return "full" if full else "delta"
            due = min(self._sync_due, self._ping_due or math.inf)
            self._wake = anyio.Event()
            with anyio.move_on_after(due - now):
                await self._wake.wait()

    async def _ping(self) -> None:
        try:
            store = await self.rt.ensure_store()
            await self.rt.call(store.ping)
        except Exception as exc:  # DatabaseUnavailable, or a store that cannot be opened
            self.rt.database_reachable = False
            self._ping_failures += 1
            self._ping_due = self.clock() + backoff(self._ping_failures + 1, self.interval)
            log.debug("connector %s: ping failed: %s", self.rt.name, exc)
            return
        self._ping_due = None

    # -- full import --------------------------------------------------------------------------

    async def full_import(self) -> SyncResult:
        async with self._lock:
            previous = len(self.rt.cache) if self.rt.cache is not None else None
            result = self.current = SyncResult(self.rt.name, "full", utc_now())
            result.total, result.total_exact = previous, False  # until the database says
            self.last_full = result
            started = self.clock()
            journal: list[JournalEntry] = []
            self.rt.journals.append(journal)
            log.info("connector %s: full import started", self.rt.name)
            try:
                store = await self.rt.ensure_store()
                specs = set(self.rt.wanted_specs)
                if self.rt.cache is not None:
                    specs.update(self.rt.cache.index_specs)
                cache, watermark = await anyio.to_thread.run_sync(
                    self._build, store, specs, result, abandon_on_cancel=True
                )
            except Exception as exc:
                self.rt.journals.remove(journal)
                self._failed(result, started, exc)
                return result
            # No await from here to the swap: the journal cannot grow behind our back.
            self.rt.journals.remove(journal)
            Runtime.replay(cache, journal)
            self.rt.cache = cache
            self.watermark = watermark
            self._ticks_since_full = 0
            result.rows = len(cache)
            self._succeeded(result, started)
            self.rt.ready.set()
            return result

    def _build(self, store: RowStore, specs: set[Spec], result: SyncResult) -> tuple[Cache, Any]:
        """In a worker thread: the new cache, and the highest watermark seen."""
        with fewer_collections():
            return self._load(store, specs, result)

    def _load(self, store: RowStore, specs: set[Spec], result: SyncResult) -> tuple[Cache, Any]:
        self._expected_rows(store, result)
        cache = Cache(self.rt.mapping, specs)
        column = self.watermark_column
        watermark: Any = None
        next_report = PROGRESS_EVERY
        for batch in store.iter_rows():
            if self.rt.stop_flag.is_set():
                raise _Stopped("the host is stopping")
            cache.load(batch)
            if column is not None:
                stamps = [r[column] for r in batch if r.get(column) is not None]
                if stamps:
                    top = max(stamps)
                    watermark = top if watermark is None or top > watermark else watermark
            result.rows = len(cache)  # progress, read by status()
            if result.rows >= next_report:
                log.info("connector %s: imported %s", self.rt.name, result.progress.describe())
                next_report += PROGRESS_EVERY
        return cache, watermark

    def _expected_rows(self, store: RowStore, result: SyncResult) -> None:
        """The total for the progress display, from the database when it is cheap to know
        (exact, or its estimate for a large table); otherwise the rows of the cache, which
        mirrors the table as of the previous import ("about"). Never fails the import."""
        try:
            count = store.count_rows()
        except Exception as exc:  # the import itself will say what is wrong
            log.debug("connector %s: cannot count the rows: %s", self.rt.name, exc)
            return
        if count is not None:
            result.total, result.total_exact = count.rows, count.exact

    # -- delta import -------------------------------------------------------------------------

    async def delta_import(self) -> SyncResult:
        if self.rt.cache is None or not self.delta_enabled:
            return await self.full_import()
        async with self._lock:
            result = self.current = SyncResult(self.rt.name, "delta", utc_now())
            self.last_delta = result
            started = self.clock()
            journal: list[JournalEntry] = []
            self.rt.journals.append(journal)
            try:
                store = await self.rt.ensure_store()
                rows, watermark = await self.rt.call(store.changed_since, self.watermark)
            except Exception as exc:
                self.rt.journals.remove(journal)
                self._failed(result, started, exc)
                return result
            self.rt.journals.remove(journal)
            cache = self.rt.cache
            if cache is not None:
                for row in rows:
                    cache.upsert(row)
                Runtime.replay(cache, journal)
            self.watermark = watermark
            self._ticks_since_full += 1
            result.rows = len(rows)
            self._succeeded(result, started)
            return result

    # -- outcome ------------------------------------------------------------------------------

    def _succeeded(self, result: SyncResult, started: float) -> None:
        result.result = "ok"
        result.finished = utc_now()
        result.duration_s = round(self.clock() - started, 3)
        self.rt.sync_failed = False
        self.rt.mark_reachable()
        self._ping_due = None
        self._after(ok=True)
        self._notify(result)
        log.info(
            "connector %s: %s import done: %s rows in %.2f s",
            self.rt.name,
            result.kind,
            f"{result.rows:,}",
            result.duration_s,
        )

    def _notify(self, result: SyncResult) -> None:
        for listener in list(self.listeners):
            try:
                listener(result)
            except Exception:
                log.exception("connector %s: an import listener failed", self.rt.name)

    def _failed(self, result: SyncResult, started: float, exc: Exception) -> None:
        message = describe_error(exc)
        result.result = "failed"
        result.error = message
        result.finished = utc_now()
        result.duration_s = round(self.clock() - started, 3)
        self.rt.sync_failed = True
        if isinstance(exc, DatabaseUnavailable):
            if self.rt.database_reachable is not False:
                self.rt.recovered = anyio.Event()
            self.rt.database_reachable = False
        self.rt.record_error(f"{result.kind} import failed: {message}")
        self._after(ok=False)
        self._notify(result)
        retry = self._sync_due - self.clock()
        keeps = "keeping the previous cache" if self.rt.cache is not None else "serving 503"
        args = (self.rt.name, result.kind, message, keeps, retry)
        if isinstance(exc, DatabaseUnavailable | _Stopped) or _is_expected(exc):
            log.warning("connector %s: %s import failed (%s); %s, retrying in %.0f s", *args)
        else:  # a bug or an unexpected driver error: keep the traceback in the log
            log.error(
                "connector %s: %s import failed (%s); %s, retrying in %.0f s", *args, exc_info=exc
            )


def _is_expected(exc: Exception) -> bool:
    from ecmactl.errors import EcmactlError

    return isinstance(exc, EcmactlError)


def describe_error(exc: BaseException) -> str:
    """A one-line message for logs and status, with any URL password masked."""
    from ecmactl.host.logs import scrub

    text = str(exc) or type(exc).__name__
    return scrub(text.splitlines()[0] if text else text)
