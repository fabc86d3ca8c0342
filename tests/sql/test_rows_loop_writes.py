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
        return await asyncio.gather(
            *(writes.insert(_values(x)) for x in logins), return_exceptions=True
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
        return await asyncio.gather(
            *(writes.insert(_values(f"lost{i}")) for i in range(3)), return_exceptions=True
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
