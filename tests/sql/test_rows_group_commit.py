"""Group commit (SQLite): concurrent writes share a transaction, and each caller still gets its
own outcome only after the commit that holds its write; a failed transaction fails them all."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from db_fixtures import create_employees_table, employees_connector

from ecmactl.rowstore import DatabaseUnavailable, UniqueViolation
from ecmactl.sql.group_commit import GroupCommitter, Job
from ecmactl.sql.rows import SqlRowStore

OpenStore = Callable[..., SqlRowStore]


# -- the committer, without a database -----------------------------------------------------------


def test_every_caller_gets_its_own_outcome_after_its_group_ran() -> None:
    groups: list[list[int]] = []
    lock = threading.Lock()

    def run_group(group: list[Job]) -> None:
        with lock:
            groups.append([job.values["i"] for job in group])
        for job in group:
            i = job.values["i"]
            if i % 7 == 0:
                job.error = ValueError(i)
            else:
                job.result = job.work(None)

    committer = GroupCommitter(run_group)
    start = threading.Barrier(32)

    def call(i: int) -> Any:
        start.wait()
        try:
            result = committer.submit(lambda _cursor: i * 10, {"i": i})
        except ValueError as exc:
            return ("error", exc.args[0])
        with lock:  # returned only once a group holding this write ran
            assert any(i in g for g in groups)
        return result

    with ThreadPoolExecutor(32) as pool:
        outcomes = list(pool.map(call, range(32)))
    assert outcomes == [("error", i) if i % 7 == 0 else i * 10 for i in range(32)]
    ran = sorted(i for g in groups for i in g)
    assert ran == list(range(32))  # each write in exactly one group


def test_writes_queued_behind_a_slow_group_share_the_next_one() -> None:
    release, first_running = threading.Event(), threading.Event()
    groups: list[list[str]] = []

    def run_group(group: list[Job]) -> None:
        groups.append([job.values["name"] for job in group])
        for job in group:
            job.result = job.work(None)

    committer = GroupCommitter(run_group)

    def slow(_cursor: Any) -> str:
        first_running.set()
        release.wait()
        return "slow"

    three_queued = threading.Event()

    class Queue(deque[Job]):  # tells the test when the three writes wait behind the slow one
        def append(self, job: Job) -> None:
            super().append(job)
            if len(self) == 3:
                three_queued.set()

    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(committer.submit, slow, {"name": "slow"})
        first_running.wait()  # its group is taken: the queue is empty now
        committer._queue = Queue()
        queued = [
            pool.submit(committer.submit, lambda _c, n=n: n, {"name": n})  # type: ignore[misc]
            for n in ("a", "b", "c")
        ]
        three_queued.wait()
        release.set()
        assert first.result() == "slow" and [f.result() for f in queued] == ["a", "b", "c"]
    assert groups[0] == ["slow"] and sorted(groups[1]) == ["a", "b", "c"]


def _enqueue_awaited(committer: GroupCommitter, work: Any, values: dict[str, Any]) -> Any:
    """A job prepared on the running loop (as loop_writes hands one over), queued."""
    loop = asyncio.get_running_loop()
    job = Job(work, values)
    job.loop, job.future = loop, loop.create_future()
    committer.enqueue(job)
    return job.future


def test_awaited_writes_share_groups_and_each_gets_its_outcome() -> None:
    groups: list[list[int]] = []

    def run_group(group: list[Job]) -> None:
        groups.append([job.values["i"] for job in group])
        for job in group:
            if job.values["i"] % 3 == 0:
                job.error = ValueError(job.values["i"])
            else:
                job.result = job.work(None)

    committer = GroupCommitter(run_group)

    async def main() -> list[object]:
        futures = [_enqueue_awaited(committer, lambda _c, i=i: i * 10, {"i": i}) for i in range(20)]
        return list(await asyncio.gather(*futures, return_exceptions=True))

    outcomes = asyncio.run(main())
    for i, outcome in enumerate(outcomes):
        if i % 3 == 0:
            assert isinstance(outcome, ValueError) and outcome.args == (i,)
        else:
            assert outcome == i * 10
    assert sorted(i for g in groups for i in g) == list(range(20))
    assert len(groups) < 20  # queued while the writer ran: grouped
    committer.close()


def test_a_closed_committer_answers_what_was_queued_and_starts_again_on_demand() -> None:
    ran: list[str] = []

    def run_group(group: list[Job]) -> None:
        for job in group:
            ran.append(job.values["name"])
            job.result = job.work(None)

    committer = GroupCommitter(run_group)
    assert committer.submit(lambda _c: 1, {"name": "a"}) == 1
    committer.close()
    assert committer._thread is None
    assert committer.submit(lambda _c: 2, {"name": "b"}) == 2  # a new writer thread
    committer.close()
    committer.close()  # idempotent
    assert ran == ["a", "b"]


def test_a_bug_in_run_group_fails_its_writes_instead_of_hanging_them() -> None:
    def run_group(group: list[Job]) -> None:
        raise KeyError("bug")

    committer = GroupCommitter(run_group)
    with pytest.raises(KeyError):
        committer.submit(lambda _c: 1, {})

    async def awaited() -> None:
        await _enqueue_awaited(committer, lambda _c: 1, {})

    with pytest.raises(KeyError):
        asyncio.run(awaited())
    committer.close()


# -- on SQLite ---------------------------------------------------------------------------------


@pytest.fixture
def store(sqlite_url: str, open_row_store: OpenStore) -> SqlRowStore:
    create_employees_table(sqlite_url)
    store = open_row_store(employees_connector(sqlite_url))
    store.ping()
    return store


def _logins(store: SqlRowStore) -> set[str]:
    path = Path(str(store.engine.url.database))
    with sqlite3.connect(path) as conn:  # another connection: sees committed rows only
        return {row[0] for row in conn.execute("SELECT ContosoLogin FROM Employees")}


def _insert_job(store: SqlRowStore, login: str) -> Job:
    shape = store._ensure_shape()
    params = {"ContosoLogin": login, "FirstName": "F", "LastName": "L"}
    assert shape.sqlite is not None
    sqlite = shape.sqlite
    return Job(lambda cursor: sqlite.insert(cursor, params), params)


def test_a_refused_write_leaves_the_rest_of_its_group_committed(store: SqlRowStore) -> None:
    assert store._writer is not None
    group = [_insert_job(store, "x"), _insert_job(store, "x"), _insert_job(store, "y")]
    store._writer._run_group(group)
    assert group[0].error is None and group[0].result[0] == "x"
    assert isinstance(group[1].error, sqlite3.IntegrityError)  # the caller maps it: 409
    assert group[2].error is None and group[2].result[0] == "y"
    assert {"x", "y"} <= _logins(store)


def test_a_failed_transaction_fails_the_whole_group(store: SqlRowStore) -> None:
    assert store._writer is not None

    def broken(_cursor: Any) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    group = [_insert_job(store, "z"), Job(broken, {}), _insert_job(store, "w")]
    store._writer._run_group(group)
    assert isinstance(group[0].error, DatabaseUnavailable)  # written, but never committed
    assert isinstance(group[1].error, sqlite3.OperationalError)
    assert isinstance(group[2].error, DatabaseUnavailable)
    assert not {"z", "w"} & _logins(store)
    assert store.insert({"ContosoLogin": "v", "FirstName": "F", "LastName": "L"})  # still fine


def test_concurrent_distinct_and_duplicate_inserts_all_land_once(store: SqlRowStore) -> None:
    start = threading.Barrier(40)

    def insert(i: int) -> str:
        start.wait()
        try:
            store.insert({"ContosoLogin": f"u{i % 20}", "FirstName": "F", "LastName": "L"})
        except UniqueViolation:
            return "duplicate"
        return "created"

    with ThreadPoolExecutor(40) as pool:
        outcomes = list(pool.map(insert, range(40)))
    assert outcomes.count("created") == 20 and outcomes.count("duplicate") == 20
    assert {f"u{i}" for i in range(20)} <= _logins(store)


def test_concurrent_updates_and_deletes_each_see_their_own_result(store: SqlRowStore) -> None:
    start = threading.Barrier(10)
    seeded = ["ljacobson", "avance", "mbowen", "nwilke", "pgupta"]

    def work(i: int) -> Any:
        start.wait()
        login = seeded[i % 5]
        if i < 5:
            row = store.update(login, {"Email": f"{login}@example.com"})
            return row and row["Email"]
        return store.delete(f"missing{i}")

    with ThreadPoolExecutor(10) as pool:
        results = list(pool.map(work, range(10)))
    assert results == [f"{login}@example.com" for login in seeded] + [False] * 5


def test_a_writer_thread_that_cannot_start_fails_the_write_not_the_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def run_group(group: list[Job]) -> None:
        for job in group:
            job.result = job.work(None)

    committer = GroupCommitter(run_group)
    start = threading.Thread.start

    def refuse(self: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", refuse)
    with pytest.raises(RuntimeError, match="can't start"):
        committer.submit(lambda _c: 1, {})
    assert not committer._queue and committer._thread is None
    monkeypatch.setattr(threading.Thread, "start", start)
    assert committer.submit(lambda _c: 2, {}) == 2  # a later write starts the writer
    committer.close()


def test_an_insert_is_one_statement_without_insert_triggers(store: SqlRowStore) -> None:
    shape = store._ensure_shape()
    assert shape.sqlite is not None and shape.sqlite.insert_is_one_statement  # UPDATE trigger only
    row = store.insert({"ContosoLogin": "ret", "FirstName": "F", "LastName": "L"})
    assert row["AccountDisabled"] is False and row["InternalGUID"]  # defaults, read back
    assert row["LastModified"] is not None


def test_an_insert_trigger_brings_back_the_read_after_the_insert(
    sqlite_url: str, open_row_store: OpenStore
) -> None:
    create_employees_table(sqlite_url)
    with sqlite3.connect(Path(sqlite_url.removeprefix("sqlite:///"))) as conn:
        conn.execute(
            "CREATE TRIGGER Employees_textID AFTER INSERT ON Employees BEGIN "
            "UPDATE Employees SET textID = 'set-by-trigger' WHERE rowid = NEW.rowid; END"
        )
    store = open_row_store(employees_connector(sqlite_url))
    store.ping()
    shape = store._ensure_shape()
    assert shape.sqlite is not None and not shape.sqlite.insert_is_one_statement
    row = store.insert({"ContosoLogin": "trig", "FirstName": "F", "LastName": "L"})
    assert row["textID"] == "set-by-trigger"  # what RETURNING would not have shown


def test_refused_one_statement_inserts_leave_the_rest_of_the_group(store: SqlRowStore) -> None:
    assert store._writer is not None
    group = [_insert_job(store, "p"), _insert_job(store, "p"), _insert_job(store, "q")]
    for job in group:
        job.atomic = True  # no savepoints: SQLite undoes the refused statement alone
    store._writer._run_group(group)
    assert group[0].error is None and group[0].result[0] == "p"
    assert isinstance(group[1].error, sqlite3.IntegrityError)
    assert group[2].error is None and group[2].result[0] == "q"
    assert {"p", "q"} <= _logins(store)
