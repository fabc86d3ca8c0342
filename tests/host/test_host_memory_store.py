"""MemoryRowStore behaves like a database where the host can tell."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from hostkit import make_connector, memory_store

from ecmactl.host import MemoryRowStore
from ecmactl.rowstore import ConstraintViolation, DatabaseUnavailable, UniqueViolation


@pytest.fixture
def store() -> MemoryRowStore:
    return memory_store(make_connector(delta=True))


def test_columns_are_those_a_sql_store_would_read(store: MemoryRowStore) -> None:
    assert store.columns == [
        "ContosoLogin",
        "FirstName",
        "LastName",
        "Email",
        "InternalGUID",
        "AzureID",
        "textID",
        "AccountDisabled",
        "LastModified",
    ]
    none_flow = memory_store(make_connector(disable_flow="None"))
    assert "AccountDisabled" not in none_flow.columns and "LastModified" not in none_flow.columns


def test_insert_fills_defaults_and_returns_a_copy(store: MemoryRowStore) -> None:
    row = store.insert({"ContosoLogin": "x", "FirstName": "F", "LastName": "L"})
    assert row["AccountDisabled"] is False and row["Email"] is None
    assert isinstance(row["LastModified"], datetime)
    row["FirstName"] = "changed"
    assert store.read_row("x") == {**row, "FirstName": "F"}


def test_constraints(store: MemoryRowStore) -> None:
    with pytest.raises(UniqueViolation) as unique:
        store.insert({"ContosoLogin": "avance", "FirstName": "F", "LastName": "L"})
    assert unique.value.column == "ContosoLogin"
    with pytest.raises(ConstraintViolation) as missing:
        store.insert({"ContosoLogin": "y", "FirstName": "F"})
    assert (missing.value.column, missing.value.kind) == ("LastName", "not_null")
    with pytest.raises(ConstraintViolation) as long:
        store.update("avance", {"FirstName": "x" * 51})
    assert (long.value.column, long.value.kind) == ("FirstName", "too_long")
    assert store.read_row("avance")["FirstName"] == "Adele"  # type: ignore[index]


def test_update_delete_and_missing_rows(store: MemoryRowStore) -> None:
    assert store.update("nobody", {"FirstName": "x"}) is None
    assert store.update("avance", {"FirstName": "A"})["FirstName"] == "A"  # type: ignore[index]
    assert store.delete("avance") and not store.delete("avance")
    store.insert({"ContosoLogin": "avance", "FirstName": "Re", "LastName": "Born"})


def test_changed_since_follows_the_watermark(store: MemoryRowStore) -> None:
    rows, mark = store.changed_since(None)
    assert len(rows) == 5
    assert store.changed_since(mark) == ([], mark)
    store.update("avance", {"FirstName": "Z"})
    rows, newer = store.changed_since(mark)
    assert [r["ContosoLogin"] for r in rows] == ["avance"] and newer > mark


def test_outage_switch(store: MemoryRowStore) -> None:
    store.available = False
    for call in (store.ping, lambda: store.read_row("avance"), lambda: list(store.iter_rows())):
        with pytest.raises(DatabaseUnavailable):
            call()
    store.available = True
    assert sum(len(b) for b in store.iter_rows(batch_size=2)) == 5


def test_concurrent_inserts_of_one_anchor_yield_one_row(store: MemoryRowStore) -> None:
    outcomes: list[str] = []
    start = threading.Barrier(50)

    def insert() -> None:
        start.wait()
        try:
            store.insert({"ContosoLogin": "same", "FirstName": "F", "LastName": "L"})
            outcomes.append("ok")
        except UniqueViolation:
            outcomes.append("dup")

    threads = [threading.Thread(target=insert) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1 and outcomes.count("dup") == 49
