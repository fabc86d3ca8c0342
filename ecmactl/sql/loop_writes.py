"""SQLite group commit for writes awaited on an event loop: statements on the loop's thread,
only the COMMIT (the fsync) in a thread.

A writer thread that runs the statements loses the GIL to the event loop at every ``sqlite3``
call and waits to win it back: in the host, a group of inserts spent ten times as long in its
statements as they take alone (bench/RESULTS.md). Run on the loop's own thread, a statement
costs what it costs; the COMMIT, which waits for the disk,
releases the GIL and runs in a thread while the loop goes on serving.

One group at a time per store (SQLite has one writer): writes awaited meanwhile wait for the
next one. ``BEGIN IMMEDIATE`` is tried without waiting; when another connection or process
holds the write lock, the group goes to the store's writer thread, which waits for the lock
(busy_timeout) off the loop. Outcomes are the group commit's: each write in its savepoint
(none for a one-statement write), a refused write alone, a failed transaction fails its group,
and no future is settled before the COMMIT that holds its write.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy.engine import Engine

from ecmactl.sql.group_commit import MAX_GROUP, Job, fail_group, settle

RunJob = Callable[..., None]  # (cursor, job, *, savepoint) -> None; sets job.result/error


class LoopGroupWriter:
    """The loop side of ``SqliteGroupWriter``: ``submit`` from a coroutine, await the result."""

    def __init__(
        self,
        engine: Engine,
        run_job: RunJob,
        group_failed: Callable[[Exception], Exception],
        to_thread: Callable[[Job], None],
    ) -> None:
        self._engine = engine
        self._run_job = run_job
        self._group_failed = group_failed
        self._to_thread = to_thread  # the writer thread's queue (waits for a busy database)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending: list[Job] = []
        self._running = False  # a group holds the write lock (statements or COMMIT)
        self._scheduled = False
        self._committer: ThreadPoolExecutor | None = None
        self._busy_ms: int | None = None

    def submit(self, job: Job) -> asyncio.Future[Any]:
        loop = asyncio.get_running_loop()
        job.loop, job.future = loop, loop.create_future()
        if self._loop is not loop and not self._adopt(loop):
            self._to_thread(job)  # another live loop's group is on: not ours to join
            return job.future
        self._pending.append(job)
        if not self._running and not self._scheduled:
            self._scheduled = True  # writes submitted in this turn of the loop share a group
            loop.call_soon(self._start)
        return job.future

    def _adopt(self, loop: asyncio.AbstractEventLoop) -> bool:
        """Serve ``loop`` from now on, unless the loop served so far still has work."""
        old = self._loop
        busy = self._running or self._scheduled or bool(self._pending)
        if old is not None and not old.is_closed() and busy:
            return False
        # A closed loop's leftovers have nobody waiting for them: a group it was committing
        # finishes in the commit thread (and releases its connection) without being settled.
        self._loop, self._pending = loop, []
        self._running = self._scheduled = False
        return True

    def close(self) -> None:
        if self._committer is not None:
            self._committer.shutdown(wait=True)
            self._committer = None

    # -- on the loop ---------------------------------------------------------------------------

    def _start(self) -> None:
        self._scheduled = False
        if self._running or not self._pending:
            return
        group, self._pending = self._pending[:MAX_GROUP], self._pending[MAX_GROUP:]
        self._running = True
        try:
            raw = self._engine.raw_connection()
        except Exception as exc:
            self._done(group, exc)
            return
        culprit: Job | None = None
        cursor: Any = None
        try:
            try:
                cursor = raw.cursor()
                if not self._begin(raw, cursor):  # another writer holds the lock
                    self._release(raw, cursor)
                    self._hand_off(group)  # it waits for the lock off the loop
                    return
                for job in group:
                    culprit = job
                    self._run_job(cursor, job, savepoint=len(group) > 1)
                culprit = None
                if self._committer is None:
                    self._committer = ThreadPoolExecutor(1, "ecmactl-sqlite-commit")
                loop = asyncio.get_running_loop()
                self._committer.submit(self._commit, loop, raw, cursor, group)
            except BaseException:
                self._rollback(raw)
                self._release(raw, cursor)
                raise
        except Exception as exc:  # nothing of the group is committed: each gets its error
            self._done(group, exc, culprit)

    def _begin(self, raw: Any, cursor: Any) -> bool:
        """``BEGIN IMMEDIATE`` without waiting; False when the database is busy."""
        if self._busy_ms is None:
            self._busy_ms = int(cursor.execute("PRAGMA busy_timeout").fetchone()[0])
        cursor.execute("PRAGMA busy_timeout = 0")
        try:
            cursor.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if is_busy(exc):
                return False
            raise
        finally:
            try:
                cursor.execute(f"PRAGMA busy_timeout = {self._busy_ms}")
            except Exception:
                raw.invalidate()  # never back to the pool with busy_timeout 0
                raise
        return True

    def _hand_off(self, group: list[Job]) -> None:
        for index, job in enumerate(group):
            try:
                self._to_thread(job)
            except Exception as exc:  # the writer thread cannot start: fail what is left
                self._done(group[index:], exc)
                return
        self._running = False
        self._start_next()

    def _done(self, group: list[Job], exc: Exception | None, culprit: Job | None = None) -> None:
        if exc is not None:
            fail_group(group, exc, culprit, self._group_failed)
        try:
            settle(group)
        finally:
            self._running = False
            self._start_next()

    def _start_next(self) -> None:
        if self._pending and not self._scheduled and self._loop is not None:
            self._scheduled = True
            self._loop.call_soon(self._start)

    # -- in the commit thread ------------------------------------------------------------------

    def _commit(
        self, loop: asyncio.AbstractEventLoop, raw: Any, cursor: Any, group: list[Job]
    ) -> None:
        error: Exception | None = None
        try:
            cursor.execute("COMMIT")  # the fsync: the GIL is released meanwhile
        except Exception as exc:
            self._rollback(raw)
            error = exc
        finally:
            self._release(raw, cursor)
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits (see _adopt)
            loop.call_soon_threadsafe(self._done, group, error)

    @staticmethod
    def _rollback(raw: Any) -> None:
        with contextlib.suppress(Exception):
            if raw.driver_connection is not None and raw.driver_connection.in_transaction:
                raw.driver_connection.rollback()

    @staticmethod
    def _release(raw: Any, cursor: Any) -> None:
        if cursor is not None:
            with contextlib.suppress(Exception):
                cursor.close()
        with contextlib.suppress(Exception):
            raw.close()


def is_busy(exc: sqlite3.OperationalError) -> bool:
    """Does this SQLite error mean another connection holds the lock? SQLITE_BUSY, extended
    codes included (BUSY_RECOVERY while another connection recovers the WAL); "database is
    locked" when the driver gives no code."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return "database is locked" in str(exc)
    return bool(code & 0xFF == sqlite3.SQLITE_BUSY)
