"""Awaited SQLite writes: statements on the event loop's thread, the COMMIT in a thread, the
same outcomes as the writer thread's group commit, and never a wait for a lock on the loop."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from db_fixtures import create_employees_table, employees_connector

from ecmactl.rowstore import DatabaseUnavailable, UniqueViolation
from ecmactl.sql.rows import SqlRowStore

OpenStore = Callable[..., SqlRowStore]


@pytest.fixture
def store(sqlite_url: str, open_row_store: OpenStore) -> SqlRowStore:
    create_employees_table(sqlite_url)
    store = open_row_store(employees_connector(sqlite_url), connect_timeout=10)
    store.ping()
    return store


def _path(store: SqlRowStore) -> Path:
    return Path(str(store.engine.url.database))


def _logins(store: SqlRowStore) -> set[str]:
    with sqlite3.connect(_path(store)) as conn:  # another connection: committed rows only
        return {row[0] for row in conn.execute("SELECT ContosoLogin FROM Employees")}


def _values(login: str) -> dict[str, Any]:
    return {"ContosoLogin": login, "FirstName": "F", "LastName": "L"}


def _writes(store: SqlRowStore) -> Any:
    writes = store.async_writes()
    assert writes is not None
    return writes


def test_concurrent_awaited_inserts_group_and_each_gets_its_outcome(store: SqlRowStore) -> None:
    async def main() -> list[object]:
        writes = _writes(store)
        logins = [f"w{i % 15}" for i in range(20)]  # five duplicates
        return list(
            await asyncio.gather(
                *(writes.insert(_values(x)) for x in logins), return_exceptions=True
            )
        )

    outcomes = asyncio.run(main())
    created = [o for o in outcomes if isinstance(o, dict)]
    assert len(created) == 15 and sum(isinstance(o, UniqueViolation) for o in outcomes) == 5
    assert {f"w{i}" for i in range(15)} <= _logins(store)
    assert all(row["InternalGUID"] for row in created)  # defaults, read back


def test_the_statements_run_on_the_loop_thread_and_the_commit_elsewhere(
    store: SqlRowStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: dict[str, str] = {}
    shape = store._ensure_shape()
    assert shape.sqlite is not None
    insert = shape.sqlite.insert

    def noting_insert(cursor: Any, params: Any) -> Any:
        threads["insert"] = threading.current_thread().name
        return insert(cursor, params)

    monkeypatch.setattr(shape.sqlite, "insert", noting_insert)

    async def main() -> None:
        threads["loop"] = threading.current_thread().name
        await _writes(store).insert(_values("onloop"))

    asyncio.run(main())
    assert threads["insert"] == threads["loop"]
    assert "onloop" in _logins(store)


def test_a_database_locked_elsewhere_is_waited_for_off_the_loop(store: SqlRowStore) -> None:
    other = sqlite3.connect(_path(store), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process's writer holds the lock

    async def main() -> None:
        write = asyncio.ensure_future(_writes(store).insert(_values("waited")))
        ticks = 0
        while ticks < 50:  # the loop keeps turning while the write waits for the lock
            await asyncio.sleep(0)
            ticks += 1
        assert not write.done()
        other.execute("COMMIT")  # the writer thread, waiting in busy_timeout, gets the lock
        row = await asyncio.wait_for(write, 10)
        assert row["ContosoLogin"] == "waited"

    asyncio.run(main())
    assert "waited" in _logins(store)
    other.close()


def test_a_failed_commit_fails_every_write_of_its_group(
    store: SqlRowStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = store.engine
    raw_connection = engine.raw_connection

    class Cursor:
        def __init__(self, cursor: Any) -> None:
            self._cursor = cursor

        def execute(self, sql: str, *args: Any) -> Any:
            if sql == "COMMIT":
                raise sqlite3.OperationalError("disk I/O error")
            return self._cursor.execute(sql, *args)

        def __getattr__(self, name: str) -> Any:
            return getattr(self._cursor, name)

    class Raw:
        def __init__(self, raw: Any) -> None:
            self._raw = raw

        def cursor(self) -> Cursor:
            return Cursor(self._raw.cursor())

        def __getattr__(self, name: str) -> Any:
            return getattr(self._raw, name)

    monkeypatch.setattr(engine, "raw_connection", lambda: Raw(raw_connection()))

    async def main() -> list[object]:
        writes = _writes(store)
        return list(
            await asyncio.gather(
                *(writes.insert(_values(f"lost{i}")) for i in range(3)), return_exceptions=True
            )
        )

    outcomes = asyncio.run(main())
    assert all(isinstance(o, DatabaseUnavailable) for o in outcomes), outcomes
    monkeypatch.undo()
    assert not {"lost0", "lost1", "lost2"} & _logins(store)  # nothing of the group committed
    assert asyncio.run(_writes(store).insert(_values("after")))["ContosoLogin"] == "after"


def test_a_cancelled_caller_does_not_take_the_others_with_it(store: SqlRowStore) -> None:
    async def main() -> object:
        writes = _writes(store)
        gone = asyncio.ensure_future(writes.insert(_values("gone")))
        kept = asyncio.ensure_future(writes.insert(_values("kept")))
        await asyncio.sleep(0)
        gone.cancel()
        return await kept

    row = asyncio.run(main())
    assert isinstance(row, dict) and row["ContosoLogin"] == "kept"
    assert "kept" in _logins(store)  # (and "gone" was written or not, but never half)


def test_writes_from_one_loop_after_another(store: SqlRowStore) -> None:
    for i in range(3):
        row = asyncio.run(_writes(store).insert(_values(f"loop{i}")))
        assert row["ContosoLogin"] == f"loop{i}"
    assert {"loop0", "loop1", "loop2"} <= _logins(store)


def test_a_loop_closed_with_a_write_queued_does_not_stall_the_next(store: SqlRowStore) -> None:
    loop = asyncio.new_event_loop()

    left: list[object] = []
    shape, writer = store._ensure_shape(), store._writer
    assert shape.sqlite is not None and writer is not None
    sqlite, params = shape.sqlite, _values("abandoned")

    async def submit_and_leave() -> None:
        left.append(writer.submit_async(lambda cursor: sqlite.insert(cursor, params), params))
        assert writer._loop_writer._scheduled
        asyncio.get_running_loop().stop()  # before the group could start

    left.append(loop.create_task(submit_and_leave()))
    loop.run_forever()
    loop.close()
    row = asyncio.run(asyncio.wait_for(_writes(store).insert(_values("next")), 10))
    assert row["ContosoLogin"] == "next"


def test_a_loop_closed_during_a_commit_does_not_stall_the_next(
    store: SqlRowStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = store._writer
    assert writer is not None
    loop_writer = writer._loop_writer
    release = threading.Event()
    commit = loop_writer._commit

    def slow_commit(*args: Any) -> None:
        release.wait(10)
        commit(*args)

    monkeypatch.setattr(loop_writer, "_commit", slow_commit)

    left: list[object] = []

    async def start_one() -> None:
        left.append(asyncio.ensure_future(_writes(store).insert(_values("mid-commit"))))
        for _ in range(5):
            await asyncio.sleep(0)  # the group ran its statements and went to commit

    asyncio.run(start_one())  # the loop closes with the COMMIT still waiting
    release.set()
    monkeypatch.undo()
    row = asyncio.run(asyncio.wait_for(_writes(store).insert(_values("later")), 10))
    assert row["ContosoLogin"] == "later"
    assert {"mid-commit", "later"} <= _logins(store)  # committed, though nobody was told
    assert not loop_writer._running  # the new loop's groups run on it again


def test_two_live_loops_each_get_their_own_outcomes(store: SqlRowStore) -> None:
    """Loop A has a group scheduled but not started (A's thread is busy) when loop B, in
    another thread, writes: B's write must not join A's group (A's thread would settle B's
    future) and must get its own outcome on B."""
    shape, writer = store._ensure_shape(), store._writer
    assert shape.sqlite is not None and writer is not None
    sqlite = shape.sqlite
    a_scheduled, b_done = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def insert(login: str) -> Any:
        params = _values(login)
        return writer.submit_async(lambda cursor: sqlite.insert(cursor, params), params)

    async def loop_a() -> None:
        future = insert("a0")
        a_scheduled.set()
        b_done.wait(20)  # A's thread is busy: its group cannot start meanwhile
        results["a"] = (await asyncio.wait_for(future, 10))[0]

    async def loop_b() -> None:
        results["b"] = (await asyncio.wait_for(insert("b0"), 10))[0]

    def in_thread_b() -> None:
        a_scheduled.wait(20)
        try:
            asyncio.run(loop_b())
        finally:
            b_done.set()

    thread = threading.Thread(target=in_thread_b)
    thread.start()
    asyncio.run(loop_a())
    thread.join(30)
    assert results == {"a": "a0", "b": "b0"}
    assert {"a0", "b0"} <= _logins(store)


def test_busy_is_recognised_with_extended_codes() -> None:
    from ecmactl.sql.loop_writes import is_busy

    def error(code: int | None, message: str = "x") -> sqlite3.OperationalError:
        exc = sqlite3.OperationalError(message)
        if code is not None:
            exc.sqlite_errorcode = code
        return exc

    assert is_busy(error(sqlite3.SQLITE_BUSY)) and is_busy(error(261))  # BUSY_RECOVERY
    assert not is_busy(error(10))  # SQLITE_IOERR
    assert is_busy(error(None, "database is locked")) and not is_busy(error(None))
