"""Group commit: concurrent writes share one transaction, so one fsync makes them all durable.

SQLite allows one writer at a time and, with ``synchronous=FULL``, each commit waits for the
disk. One writer thread per store takes every queued write, runs each in its
own SAVEPOINT of one ``BEGIN IMMEDIATE`` transaction, commits once, then hands each caller its
own outcome. A write refused by a constraint is rolled back to its savepoint alone; if the
transaction itself fails (BEGIN, COMMIT, an I/O error), every write of the group fails and
nothing of it is committed. No caller gets an outcome before the commit that holds its write.

Callers block (``submit``, from any thread); a job prepared on an event loop (``loop`` and
``future`` set, see loop_writes) can be queued too (``enqueue``) and is settled on its loop,
one wake-up per group.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

MAX_GROUP = 64  # bounds how long one transaction holds the write lock


class Job:
    """One caller's write: ``work(connection)`` and, once its group ran, its outcome."""

    __slots__ = ("atomic", "error", "future", "loop", "notify", "result", "values", "work")

    def __init__(
        self, work: Callable[[Any], Any], values: Mapping[str, Any], atomic: bool = False
    ) -> None:
        self.work = work
        self.values = values
        self.atomic = atomic  # one statement: a refusal changes nothing, no savepoint needed
        self.result: Any = None
        self.error: BaseException | None = None
        self.notify: Callable[[], None] | None = None  # a blocking caller's wake-up
        self.loop: asyncio.AbstractEventLoop | None = None  # an awaiting caller's loop...
        self.future: asyncio.Future[Any] | None = None  # ...and what it awaits


def fail_group(
    group: list[Job],
    exc: Exception,
    culprit: Job | None,
    group_failed: Callable[[Exception], Exception],
) -> None:
    """Nothing of the group was committed: the write that failed (or every write, when the
    transaction itself did) gets ``exc``; the others get ``group_failed(exc)``."""
    for job in group:
        job.result = None
        job.error = exc if job is culprit or culprit is None else group_failed(exc)


class GroupCommitter:
    """Runs jobs in groups through ``run_group`` (which must set each job's result or error)
    on one writer thread, started by a write when none runs and stopped by ``close`` (the
    store's engine can be reused after ``dispose``, and so can this)."""

    def __init__(self, run_group: Callable[[list[Job]], None], *, name: str = "writer") -> None:
        self._run_group = run_group
        self._name = name
        self._cond = threading.Condition(threading.Lock())
        self._queue: deque[Job] = deque()
        self._thread: threading.Thread | None = None
        self._stopping = False

    def submit(
        self, work: Callable[[Any], Any], values: Mapping[str, Any], atomic: bool = False
    ) -> Any:
        """Run ``work`` in the next group; return its result, or raise its error."""
        job = Job(work, values, atomic)
        done = threading.Event()
        job.notify = done.set
        self._put(job)
        done.wait()
        if job.error is not None:
            raise job.error
        return job.result

    def enqueue(self, job: Job) -> None:
        """Queue a job prepared elsewhere (an awaiting one keeps its loop and future)."""
        self._put(job)

    def close(self, timeout: float | None = None) -> None:
        """Answer the queued writes, then stop the writer thread (waiting at most ``timeout``
        seconds; a writer still busy after that finishes on its own, as a daemon)."""
        with self._cond:
            thread = self._thread
            if thread is None:
                return
            self._stopping = True
            self._cond.notify()
        if thread is not threading.current_thread():
            thread.join(timeout)

    # -- the writer thread --------------------------------------------------------------------

    def _put(self, job: Job) -> None:
        with self._cond:
            self._queue.append(job)
            if self._thread is None:
                thread = threading.Thread(
                    target=self._write_forever, name=f"ecmactl-{self._name}", daemon=True
                )
                try:
                    thread.start()  # it waits for this lock before it looks at anything
                except BaseException:  # no thread (limits, interpreter shutdown): fail this write
                    self._queue.pop()
                    raise
                self._thread = thread
            self._cond.notify()

    def _write_forever(self) -> None:
        while True:
            with self._cond:
                queue = self._queue
                while not queue and not self._stopping:
                    self._cond.wait()
                if not queue:  # closed, and every write was answered
                    self._thread, self._stopping = None, False
                    return
                group = [queue.popleft() for _ in range(min(len(queue), MAX_GROUP))]
            self._run(group)

    def _run(self, group: list[Job]) -> None:
        try:
            self._run_group(group)
        except BaseException as exc:  # a bug in run_group: fail the group, never hang a caller
            for job in group:
                job.error = exc
        by_loop: dict[asyncio.AbstractEventLoop, list[Job]] = {}
        for job in group:
            if job.loop is None:
                assert job.notify is not None
                job.notify()
            else:
                by_loop.setdefault(job.loop, []).append(job)
        for loop, settled in by_loop.items():
            # One wake-up per loop per group; a closed loop has nobody waiting any more.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(settle, settled)


def settle(settled: list[Job]) -> None:
    """On the jobs' loop: hand each awaiting caller its outcome (cancelled ones are skipped)."""
    for job in settled:
        future = job.future
        assert future is not None
        if future.cancelled():
            continue  # the request went away; its write stands (it was committed or not)
        if job.error is not None:
            future.set_exception(job.error)
        else:
            future.set_result(job.result)
