"""SqlRowStore beyond the RowStore contract (test_rows_contract.py runs that on every store):
values that differ by dialect, each dialect's own sessions, opening, and a table that changes."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from db_fixtures import (
    connector_for,
    create_employees_table,
    employees_connector,
)
from sqlalchemy import text
from sqlalchemy.engine import make_url

from ecmactl.config.models import Connectivity
from ecmactl.home import Home
from ecmactl.rowstore import (
    ConstraintViolation,
    DatabaseUnavailable,
    StoreError,
    UniqueViolation,
)
from ecmactl.sql.connect import make_engine
from ecmactl.sql.rows import SqlRowStore
from ecmactl.sql.urls import sqlite_url

OpenStore = Callable[..., SqlRowStore]
NEW_USER = {"ContosoLogin": "adele", "FirstName": "Adele", "LastName": "Vance"}


def _execute(url: str, sql: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(sql)
    finally:
        engine.dispose()


# -- values that differ by dialect -----------------------------------------------------------

_KINDS = {
    "sqlite": """CREATE TABLE kinds (login VARCHAR(20) NOT NULL UNIQUE, score DECIMAL(10,0),
        code CHAR(5), guid UUID, flag BOOLEAN, photo BLOB, born DATETIME, hired DATE,
        counter INTEGER)""",
    "postgresql": """CREATE TABLE kinds (login VARCHAR(20) NOT NULL UNIQUE, score DECIMAL(10,0),
        code CHAR(5), guid UUID, flag BOOLEAN, photo BYTEA, born TIMESTAMP(3), hired DATE,
        counter INTEGER)""",
    "mysql": """CREATE TABLE kinds (login VARCHAR(20) NOT NULL UNIQUE, score DECIMAL(10,0),
        code CHAR(5), guid CHAR(36), flag BOOLEAN, photo BLOB, born DATETIME(3), hired DATE,
        counter INTEGER)""",
}


def test_values_are_normalised_the_same_way_in_every_dialect(
    any_db_url: str, open_row_store: OpenStore
) -> None:
    _execute(any_db_url, _KINDS[make_url(any_db_url).get_backend_name()])
    store = open_row_store(connector_for(any_db_url, "kinds", "login"))
    guid = "0b5c4e52-3f3c-4a8e-9c1d-6f1e2a7b9d01"
    values = {
        "login": "a",
        "score": 42,
        "code": "ab",
        "guid": guid,
        "flag": True,
        "photo": b"\x00\xff",
        "born": datetime(2001, 2, 3, 4, 5, 6, 789000),
        "hired": date(2020, 1, 31),
        "counter": 7,
    }
    assert store.insert(values) == values  # DECIMAL(10,0) -> int, CHAR(5) unpadded
    assert store.insert({"login": "b"}) == {"login": "b"} | dict.fromkeys(list(values)[1:])
    assert [r for b in store.iter_rows() for r in b if r["login"] == "a"] == [values]
    # Inputs as Entra's dialect sends them, once through ecmactl.scim.values.
    row = store.update("a", {"flag": "false", "counter": "8", "born": "2001-02-03T04:05:06+00:00"})
    assert row is not None and row["flag"] is False and row["counter"] == 8
    assert row["born"] == datetime(2001, 2, 3, 4, 5, 6)


@pytest.mark.parametrize(
    "dialect", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_uuid_columns_read_as_lowercase_text(
    dialect: str, request: pytest.FixtureRequest, open_row_store: OpenStore
) -> None:
    url: str = request.getfixturevalue(f"{dialect}_url")
    _execute(url, "CREATE TABLE ids (login VARCHAR(20) NOT NULL UNIQUE, guid UUID)")
    store = open_row_store(connector_for(url, "ids", "login"))
    upper = "0B5C4E52-3F3C-4A8E-9C1D-6F1E2A7B9D01"
    assert store.insert({"login": "a", "guid": upper})["guid"] == upper.lower()


def test_an_integer_anchor_that_is_no_integer_finds_no_row(
    sqlite_url: str, open_row_store: OpenStore
) -> None:
    _execute(sqlite_url, "CREATE TABLE nums (id INTEGER PRIMARY KEY, name VARCHAR(40))")
    store = open_row_store(connector_for(sqlite_url, "nums", "id"))
    row = store.insert({"name": "rowid chosen by SQLite"})
    assert row == {"id": 1, "name": "rowid chosen by SQLite"}
    assert store.read_row("1") == row  # the anchor from a URL path is text
    assert store.read_row("abc") is None
    assert store.update("abc", {"name": "x"}) is None
    assert store.delete("abc") is False


# -- SQLite specifics --------------------------------------------------------------------------


def test_sqlite_sessions_are_durable_and_queue_writers(
    sqlite_url: str, open_row_store: OpenStore
) -> None:
    create_employees_table(sqlite_url)
    store = open_row_store(employees_connector(sqlite_url), connect_timeout=0.25)
    with store.engine.connect() as conn:
        pragma = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys")
        }
    assert pragma == {
        "journal_mode": "wal",
        "synchronous": 2,
        "busy_timeout": 250,
        "foreign_keys": 1,
    }


def test_sqlite_enforces_the_declared_length(sqlite_url: str, open_row_store: OpenStore) -> None:
    create_employees_table(sqlite_url)
    store = open_row_store(employees_connector(sqlite_url))
    with pytest.raises(ConstraintViolation) as info:
        store.insert({**NEW_USER, "LastName": "x" * 51})
    assert (info.value.column, info.value.kind) == ("LastName", "too_long")
    assert "51 characters, at most 50" in str(info.value)


def test_an_engine_from_elsewhere_still_normalises_and_writes(sqlite_url: str) -> None:
    create_employees_table(sqlite_url)
    # make_engine: no label converters, sqlite3's own transactions (no group commit)
    store = SqlRowStore(employees_connector(sqlite_url), make_engine(sqlite_url))
    try:
        rows = [r for b in store.iter_rows() for r in b]
        assert {type(r["AccountDisabled"]) for r in rows} == {bool}
        assert all(isinstance(r["LastModified"], datetime) for r in rows)
        row = store.insert(NEW_USER)
        assert row["AccountDisabled"] is False and isinstance(row["LastModified"], datetime)
        updated = store.update("adele", {"AccountDisabled": True})
        assert updated is not None and updated["AccountDisabled"] is True
        assert store.read_row("adele") == updated
        with pytest.raises(UniqueViolation):
            store.insert(NEW_USER)
        assert store.delete("adele") is True
    finally:
        store.close()


def test_a_large_table_streams_in_bounded_batches(
    sqlite_url: str, open_row_store: OpenStore
) -> None:
    create_employees_table(sqlite_url, seed=False)
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO Employees (ContosoLogin, FirstName, LastName) VALUES (?, 'F', 'L')",
            ((f"user{i:05d}",) for i in range(2500)),
        )
    store = open_row_store(employees_connector(sqlite_url))
    sizes = [len(b) for b in store.iter_rows(batch_size=1000)]
    assert sizes == [1000, 1000, 500]


# -- opening -------------------------------------------------------------------------------------


def test_open_expands_home_and_resolves_the_password_reference(
    home: Home, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_employees_table(postgres_url)
    monkeypatch.setenv("ECMACTL_TEST_DB_PASSWORD", "s3cret-value")
    connectivity = Connectivity(
        database_url=postgres_url, user="postgres", password_ref="env:ECMACTL_TEST_DB_PASSWORD"
    )
    store = SqlRowStore.open(employees_connector(postgres_url, connectivity=connectivity), home)
    try:
        assert store.engine.url.password == "s3cret-value"  # trust auth: accepted, unused
        assert store.read_row("avance") is not None
        with store.engine.connect() as conn:
            settings = conn.execute(
                text("SELECT current_setting('TimeZone'), current_setting('statement_timeout')")
            ).one()
        assert tuple(settings) == ("UTC", "1min")
    finally:
        store.close()


def test_open_a_sqlite_file_in_the_home(home: Home, open_row_store: OpenStore) -> None:
    (home.root / "data").mkdir(parents=True)
    create_employees_table(sqlite_url(home.root / "data" / "contoso.db"))
    connector = employees_connector(sqlite_url(home.root / "data" / "contoso.db"))
    connector.connectivity = Connectivity(database_url="sqlite:///{home}/data/contoso.db")
    assert open_row_store(connector).read_row("ljacobson") is not None


def test_mariadb_sessions_are_strict_and_utc(mariadb_url: str, open_row_store: OpenStore) -> None:
    create_employees_table(mariadb_url)
    store = open_row_store(employees_connector(mariadb_url))
    with store.engine.connect() as conn:
        mode, zone = conn.execute(text("SELECT @@SESSION.sql_mode, @@SESSION.time_zone")).one()
    assert "STRICT_ALL_TABLES" in mode and zone == "+00:00"


def test_a_missing_table_is_unavailable_until_it_is_back(
    any_db_url: str, open_row_store: OpenStore
) -> None:
    create_employees_table(any_db_url)
    connector = employees_connector(any_db_url)
    _rename_table(any_db_url, "Employees", "Gone")
    store = open_row_store(connector)  # opening does not connect
    with pytest.raises(DatabaseUnavailable, match="Table Employees does not exist"):
        store.ping()
    _rename_table(any_db_url, "Gone", "Employees")
    assert store.read_row("ljacobson") is not None  # the same store, once it is there
    _rename_table(any_db_url, "Employees", "Gone")  # and gone again while the store runs
    with pytest.raises(DatabaseUnavailable, match="Table Employees does not exist"):
        store.read_row("ljacobson")
    _rename_table(any_db_url, "Gone", "Employees")
    assert store.read_row("ljacobson") is not None


def _rename_table(url: str, old: str, new: str) -> None:
    engine = make_engine(url)
    try:
        quote = engine.dialect.identifier_preparer.quote
        with engine.begin() as conn:
            conn.exec_driver_sql(f"ALTER TABLE {quote(old)} RENAME TO {quote(new)}")
    finally:
        engine.dispose()


def test_a_column_gone_from_the_table_is_a_store_error(
    sqlite_url: str, open_row_store: OpenStore
) -> None:
    create_employees_table(sqlite_url)
    connector = employees_connector(sqlite_url)
    _execute(sqlite_url, "ALTER TABLE Employees DROP COLUMN textID")
    store = open_row_store(connector)
    with pytest.raises(StoreError, match="no column textID") as info:
        store.ping()
    assert not isinstance(info.value, DatabaseUnavailable)  # retrying will not fix it
