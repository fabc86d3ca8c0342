"""Schema detection on SQLite, PostgreSQL and MariaDB with the same tables."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Boolean, Index, Integer, MetaData, String, Table, UniqueConstraint, insert
from sqlalchemy import Column as SqlColumn
from sqlalchemy.engine import Engine

from ecmactl.config.models import Column
from ecmactl.errors import UsageError
from ecmactl.sql.connect import make_engine
from ecmactl.sql.schema import (
    MAX_OBJECT_TYPES,
    NO_ANCHOR_MESSAGE,
    TableInfo,
    anchor_candidates,
    detect_columns,
    list_tables,
    no_anchor_error,
    no_anchor_hint,
    object_types_from_table,
)


@pytest.fixture
def engine(employees_url: str) -> Iterator[Engine]:
    """An engine on any_db_url, with the sample Employees table."""
    engine = make_engine(employees_url)
    yield engine
    engine.dispose()


def _by_name(columns: list[Column]) -> dict[str, Column]:
    return {c.name: c for c in columns}


def _check(column: Column, expected: dict[str, Any]) -> None:
    actual = {key: getattr(column, key) for key in expected}
    assert actual == expected, column.name


def _quote(engine: Engine, name: str) -> str:
    return engine.dialect.identifier_preparer.quote(name)


# -- the Employees table ---------------------------------------------------------------------


def test_employees_columns_are_detected_alike_on_every_dialect(engine: Engine) -> None:
    columns = detect_columns(engine, "Employees")
    assert [c.name for c in columns] == [
        "ContosoLogin", "FirstName", "LastName", "Email", "InternalGUID", "AzureID", "textID",
        "AccountDisabled", "LastModified",
    ]  # fmt: skip
    by_name = _by_name(columns)
    string = {"data_type": "String", "primary_key": False, "direction": "ImportExport"}
    _check(
        by_name["ContosoLogin"],
        {
            **string,
            "sql_type": "VARCHAR(128)",
            "max_length": 128,
            "nullable": False,
            "unique": True,
            "has_default": False,
        },
    )
    _check(
        by_name["FirstName"],
        {**string, "sql_type": "VARCHAR(50)", "max_length": 50, "nullable": False, "unique": False},
    )
    _check(by_name["Email"], {**string, "max_length": 128, "nullable": True, "unique": False})
    _check(by_name["textID"], {**string, "max_length": 128, "nullable": True})
    for uuid_column in ("InternalGUID", "AzureID"):
        _check(by_name[uuid_column], {**string, "max_length": 36, "nullable": True})
    assert by_name["InternalGUID"].has_default and not by_name["AzureID"].has_default
    _check(
        by_name["AccountDisabled"],
        {"data_type": "Boolean", "nullable": False, "has_default": True, "max_length": None},
    )
    _check(
        by_name["LastModified"], {"data_type": "DateTime", "nullable": False, "has_default": True}
    )
    assert by_name["LastModified"].sql_type.startswith("TIMESTAMP")

    expected_types = {
        "sqlite": ("CHAR(36)", "BOOLEAN"),
        "postgresql": ("UUID", "BOOLEAN"),
        "mysql": ("CHAR(36)", "TINYINT(1)"),
    }[engine.dialect.name]
    assert (by_name["InternalGUID"].sql_type, by_name["AccountDisabled"].sql_type) == expected_types

    assert [c.name for c in anchor_candidates(columns)] == ["ContosoLogin"]


def test_tables_and_views_are_listed_with_their_kind(engine: Engine) -> None:
    def q(name: str) -> str:
        return _quote(engine, name)

    with engine.begin() as conn:
        conn.exec_driver_sql(
            f"CREATE VIEW {q('ActiveEmployees')} AS SELECT {q('ContosoLogin')}, "
            f"{q('FirstName')} FROM {q('Employees')}"
        )
    assert list_tables(engine) == [
        TableInfo("Employees", "table"),
        TableInfo("ActiveEmployees", "view"),
    ]
    view_columns = detect_columns(engine, "ActiveEmployees")
    assert [c.name for c in view_columns] == ["ContosoLogin", "FirstName"]
    assert anchor_candidates(view_columns) == []
    assert "view" in no_anchor_hint("ActiveEmployees", view_columns, is_view=True)


def test_a_missing_table_lists_the_tables_that_exist(engine: Engine) -> None:
    with pytest.raises(UsageError, match="'Employes' does not exist") as info:
        detect_columns(engine, "Employes")
    assert "Employees" in (info.value.hint or "")


@pytest.mark.parametrize(
    "db", [pytest.param("postgres", marks=pytest.mark.postgres),
           pytest.param("mariadb", marks=pytest.mark.mariadb)],
)  # fmt: skip
def test_a_wrongly_cased_table_name_gets_a_did_you_mean(
    db: str, request: pytest.FixtureRequest
) -> None:
    # SQLite ignores case in table names, so only the servers can get this wrong.
    url = request.getfixturevalue(f"{db}_url")
    from db_fixtures import create_employees_table

    create_employees_table(url, seed=False)
    engine = make_engine(url)
    try:
        with pytest.raises(UsageError) as info:
            detect_columns(engine, "employees")
    finally:
        engine.dispose()
    assert "Did you mean Employees?" in (info.value.hint or "")


# -- keys and anchors ------------------------------------------------------------------------


def test_uniqueness_comes_from_pk_constraints_and_indexes(any_db_url: str) -> None:
    metadata = MetaData()
    Table(
        "Accounts",
        metadata,
        SqlColumn("id", Integer, primary_key=True),
        SqlColumn("code", String(20), unique=True),  # unique, but NULL allowed
        SqlColumn("a", String(10), nullable=False),
        SqlColumn("b", String(10), nullable=False),
        SqlColumn("flag", Boolean, nullable=False, unique=True),
        SqlColumn("login", String(30), nullable=False),
        UniqueConstraint("a", "b"),  # unique together, not each
        Index("ix_accounts_login", "login", unique=True),
    )
    engine = make_engine(any_db_url)
    try:
        metadata.create_all(engine)
        columns = detect_columns(engine, "Accounts")
    finally:
        engine.dispose()
    by_name = _by_name(columns)
    _check(
        by_name["id"],
        {
            "primary_key": True,
            "unique": True,
            "nullable": False,
            "data_type": "Integer",
            "has_default": True,
        },
    )
    _check(by_name["code"], {"unique": True, "nullable": True})
    assert not by_name["a"].unique and not by_name["b"].unique
    _check(by_name["flag"], {"unique": True, "data_type": "Boolean"})
    _check(by_name["login"], {"unique": True, "nullable": False})
    # Booleans can't be anchors; a nullable unique column neither.
    assert [c.name for c in anchor_candidates(columns)] == ["id", "login"]


def test_a_table_without_a_unique_column_offers_no_anchor(any_db_url: str) -> None:
    metadata = MetaData()
    Table(
        "Contacts",
        metadata,
        SqlColumn("FullName", String(80), nullable=False),
        SqlColumn("Mail", String(128)),
    )
    engine = make_engine(any_db_url)
    try:
        metadata.create_all(engine)
        columns = detect_columns(engine, "Contacts")
    finally:
        engine.dispose()
    assert anchor_candidates(columns) == []
    hint = no_anchor_hint("Contacts", columns)
    assert "ALTER TABLE Contacts ADD CONSTRAINT" in hint and "UNIQUE (Mail)" in hint
    error = no_anchor_error("Contacts", columns)
    assert error.message == NO_ANCHOR_MESSAGE
    assert "UNIQUE" in NO_ANCHOR_MESSAGE and "NOT NULL" in NO_ANCHOR_MESSAGE


def test_the_hint_for_a_unique_nullable_column_says_make_it_not_null() -> None:
    columns = [Column("Login", "VARCHAR(50)", unique=True, nullable=True)]
    assert "make it NOT NULL" in no_anchor_hint("Users", columns)


# -- types beyond the sample -----------------------------------------------------------------


_TYPES_DDL = {
    "sqlite": """CREATE TABLE "Types" (
        id INTEGER PRIMARY KEY, guid UUID NOT NULL UNIQUE, dt2 DATETIME2, d DATE,
        flag TINYINT(1), whole NUMERIC(10,0), money NUMERIC(10,2), data BLOB, odd FOO,
        code NVARCHAR(20), t TEXT, r REAL, tm TIME,
        gen INTEGER GENERATED ALWAYS AS (id * 2) VIRTUAL)""",
    "postgresql": """CREATE TABLE "Types" (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, guid UUID NOT NULL UNIQUE,
        dt2 TIMESTAMPTZ, d DATE, flag BOOLEAN, whole NUMERIC(10,0), money NUMERIC(10,2),
        data BYTEA, odd INTERVAL, code VARCHAR(20), t TEXT, r REAL, tm TIME,
        gen BIGINT GENERATED ALWAYS AS (id * 2) STORED)""",
    "mysql": """CREATE TABLE `Types` (
        id INT AUTO_INCREMENT PRIMARY KEY, guid CHAR(36) NOT NULL UNIQUE, dt2 DATETIME,
        d DATE, flag BOOL, whole DECIMAL(10,0), money DECIMAL(10,2), data VARBINARY(16),
        odd JSON, code VARCHAR(20), t TEXT, r FLOAT, tm TIME, bit1 BIT(1), bits BIT(8),
        gen INT AS (CHAR_LENGTH(guid)) VIRTUAL)""",
}


def test_types_map_to_ecma_data_types(any_db_url: str) -> None:
    engine = make_engine(any_db_url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(_TYPES_DDL[engine.dialect.name])
            if engine.dialect.name != "mysql":  # MySQL/MariaDB have no partial indexes
                conn.exec_driver_sql('CREATE UNIQUE INDEX ux_code ON "Types" (code) '
                                     "WHERE code IS NOT NULL")  # fmt: skip
        by_name = _by_name(detect_columns(engine, "Types"))
    finally:
        engine.dispose()
    _check(by_name["id"], {"data_type": "Integer", "primary_key": True, "has_default": True})
    _check(by_name["guid"], {"data_type": "String", "unique": True, "max_length": 36})
    _check(by_name["dt2"], {"data_type": "DateTime"})
    _check(by_name["d"], {"data_type": "DateTime"})
    _check(by_name["flag"], {"data_type": "Boolean"})
    _check(by_name["whole"], {"data_type": "Integer"})
    _check(by_name["money"], {"data_type": "String"})
    _check(by_name["data"], {"data_type": "Binary"})
    _check(by_name["odd"], {"data_type": "String"})  # unknown types are String
    # A partial unique index does not make a column unique.
    _check(by_name["code"], {"data_type": "String", "max_length": 20, "unique": False})
    _check(by_name["t"], {"data_type": "String", "max_length": None})
    _check(by_name["r"], {"data_type": "String"})
    _check(by_name["tm"], {"data_type": "String"})
    _check(by_name["gen"], {"direction": "Import", "has_default": True})
    if engine.dialect.name == "sqlite":
        assert (by_name["guid"].sql_type, by_name["odd"].sql_type) == ("UUID", "FOO")
    if engine.dialect.name == "postgresql":
        assert by_name["dt2"].sql_type == "TIMESTAMP WITH TIME ZONE"
    if engine.dialect.name == "mysql":
        _check(by_name["bit1"], {"data_type": "Boolean"})
        _check(by_name["bits"], {"data_type": "Integer"})


# -- object types (Schema 1, method "Table") -------------------------------------------------


def _directory(engine: Engine, types: list[str | None]) -> None:
    metadata = MetaData()
    table = Table(
        "Directory",
        metadata,
        SqlColumn("Name", String(50), primary_key=True),
        SqlColumn("ObjectType", String(20)),
    )
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            insert(table), [{"Name": f"n{i}", "ObjectType": t} for i, t in enumerate(types)]
        )


def test_object_types_are_the_distinct_non_empty_values(any_db_url: str) -> None:
    engine = make_engine(any_db_url)
    try:
        _directory(engine, ["User", "Group", "User", None, " ", "Group"])
        assert object_types_from_table(engine, "Directory", "ObjectType") == ["Group", "User"]
        with pytest.raises(UsageError, match="no column 'Kind'") as info:
            object_types_from_table(engine, "Directory", "Kind")
        assert "ObjectType" in (info.value.hint or "")
        with pytest.raises(UsageError, match="does not exist"):
            object_types_from_table(engine, "Nowhere", "ObjectType")
    finally:
        engine.dispose()


def test_a_column_with_too_many_values_is_not_a_list_of_object_types(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    try:
        _directory(engine, [f"Type{i}" for i in range(MAX_OBJECT_TYPES + 1)])
        with pytest.raises(UsageError, match="more than 100 distinct values"):
            object_types_from_table(engine, "Directory", "ObjectType")
    finally:
        engine.dispose()
