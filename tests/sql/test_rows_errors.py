"""SqlRowStore errors: each refusal of each database becomes the right class, naming the column.

The first half makes SQLite, PostgreSQL and MariaDB refuse real writes; the second feeds the
translation table driver exceptions that are hard to provoke on demand (a server going away).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import psycopg
import pymysql
import pytest
from db_fixtures import connector_for, create_employees_table, employees_connector
from sqlalchemy import Column, Integer, MetaData, String, Table, UniqueConstraint
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError as SAOperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from ecmactl.rowstore import (
    ConstraintViolation,
    DatabaseUnavailable,
    StoreError,
    UniqueViolation,
)
from ecmactl.sql.connect import make_engine
from ecmactl.sql.rows import SqlRowStore
from ecmactl.sql.store_errors import ErrorContext, translate

OpenStore = Callable[..., SqlRowStore]

_PEOPLE = (
    "CREATE TABLE depts (id INTEGER NOT NULL PRIMARY KEY)",
    "INSERT INTO depts (id) VALUES (1)",
    """CREATE TABLE people (
        login VARCHAR(20) NOT NULL UNIQUE,
        name VARCHAR(10) NOT NULL,
        email VARCHAR(50) NULL UNIQUE,
        dept INTEGER NULL,
        age INTEGER NULL CHECK (age >= 0),
        FOREIGN KEY (dept) REFERENCES depts (id)
    )""",
    "INSERT INTO people (login, name, email) VALUES ('taken', 'Taken', 'taken@contoso.com')",
)


@pytest.fixture
def people(any_db_url: str, open_row_store: OpenStore) -> SqlRowStore:
    """A table with every kind of constraint, on each dialect."""
    _execute(any_db_url, *_PEOPLE)
    return open_row_store(connector_for(any_db_url, "people", "login"))


def _execute(url: str, *statements: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


def _one_sentence(exc: BaseException) -> str:
    message = str(exc)
    assert "\n" not in message and message.endswith(".")
    for noise in ("DETAIL", "[SQL", "psycopg", "pymysql", "sqlite3", "(Background"):
        assert noise not in message
    return message


# -- real refusals, every dialect --------------------------------------------------------------


_DUPLICATES = [
    ({"login": "taken", "name": "Again"}, "login"),  # the anchor
    ({"login": "new", "name": "New", "email": "taken@contoso.com"}, "email"),  # another column
]
_REFUSALS = [
    ({"login": "new"}, "name", "not_null"),  # omitted, no default
    ({"login": "new", "name": None}, "name", "not_null"),  # given as NULL
    ({"login": "new", "name": "x" * 11}, "name", "too_long"),
    ({"login": "new", "name": "N", "dept": 99}, "dept", "foreign_key"),
    ({"login": "new", "name": "N", "age": -1}, "age", "check"),
    ({"login": "new", "name": "N", "age": "abc"}, "age", "invalid_value"),
    ({"login": "new", "name": "N", "shoe_size": 42}, "shoe_size", "other"),
]


def test_a_duplicate_is_a_unique_violation_naming_the_column(people: SqlRowStore) -> None:
    # One table for all cases (a fresh database per case costs a second on PostgreSQL).
    for values, column in _DUPLICATES:
        with pytest.raises(UniqueViolation) as info:
            people.insert(values)
        assert info.value.column == column, values
        assert column in _one_sentence(info.value)
    assert people.read_row("new") is None  # nothing was written


def test_a_refused_insert_is_a_constraint_violation_naming_the_column(
    people: SqlRowStore,
) -> None:
    for values, column, kind in _REFUSALS:
        with pytest.raises(ConstraintViolation) as info:
            people.insert(values)  # type: ignore[arg-type]
        assert (info.value.column, info.value.kind) == (column, kind), values
        assert column in _one_sentence(info.value)
    assert people.read_row("new") is None


def test_text_with_nul_or_a_lone_surrogate_is_refused_naming_the_column(
    people: SqlRowStore,
) -> None:
    # A lone surrogate was a UnicodeEncodeError on every driver, NUL an anonymous StoreError on
    # PostgreSQL (both a 500), while MariaDB found the row "taken" for the anchor "taken\0".
    # Each is now an invalid value naming the column, in every dialect; as an anchor to look
    # up, no such row.
    before = people.read_row("taken")
    refused = [({"login": "new", "name": "s\ud800"}, "name"), ({"login": "n\udfff"}, "login")]
    refused += [({"login": "new", "name": "a\x00b"}, "name"), ({"login": "n\x00"}, "login")]
    for values, column in refused:
        with pytest.raises(ConstraintViolation) as info:
            people.insert({"name": "N", **values})
        assert (info.value.column, info.value.kind) == (column, "invalid_value"), values
        assert column in _one_sentence(info.value)
    with pytest.raises(ConstraintViolation):
        people.update("taken", {"name": "\udc00"})
    for anchor in ("taken\x00", "taken\ud800"):
        assert people.read_row(anchor) is None
        assert people.delete(anchor) is False
    assert people.read_row("new") is None
    assert people.read_row("taken") == before


def test_a_refused_update_changes_nothing(people: SqlRowStore) -> None:
    before = people.read_row("taken")
    with pytest.raises(ConstraintViolation) as info:
        people.update("taken", {"email": "new@contoso.com", "name": None})
    assert (info.value.column, info.value.kind) == ("name", "not_null")
    assert people.read_row("taken") == before


def test_the_sample_tables_not_null_error_names_first_name(
    employees_url: str, open_row_store: OpenStore
) -> None:
    """What Entra shows for the tutorial's own example (reference §1.3)."""
    store = open_row_store(employees_connector(employees_url))
    with pytest.raises(ConstraintViolation) as info:
        store.insert({"ContosoLogin": "new", "LastName": "Only"})
    assert (info.value.column, info.value.kind) == ("FirstName", "not_null")
    assert _one_sentence(info.value) == (
        "Column FirstName of Employees requires a value (it is NOT NULL and has no default)."
    )


_INVALID_LITERAL = {
    # A value the database itself refuses (the store's own checks would catch it first).
    "sqlite": ("CREATE TABLE strict_t (n INTEGER) STRICT", "INSERT INTO strict_t VALUES ('abc')"),
    "postgresql": ("CREATE TABLE strict_t (n INTEGER)", "INSERT INTO strict_t VALUES ('abc')"),
    "mysql": ("CREATE TABLE strict_t (n INTEGER)", "INSERT INTO strict_t VALUES ('abc')"),
}


def test_a_value_the_database_refuses_is_invalid_value_naming_the_column(any_db_url: str) -> None:
    create, bad = _INVALID_LITERAL[make_url(any_db_url).get_backend_name()]
    _execute(any_db_url, create)
    engine = make_engine(any_db_url, connect_timeout=5)
    table = Table("strict_t", MetaData(), autoload_with=engine)
    ctx = ErrorContext("strict_t", engine.url, table, {"n": "abc"})
    try:
        with pytest.raises(Exception) as raised, engine.begin() as conn:
            if engine.dialect.name == "mysql":
                conn.exec_driver_sql("SET SESSION sql_mode = 'STRICT_ALL_TABLES'")
            conn.exec_driver_sql(bad)
    finally:
        engine.dispose()
    error = translate(raised.value, ctx)
    assert isinstance(error, ConstraintViolation)
    assert (error.column, error.kind) == ("n", "invalid_value")


# -- the translation table ---------------------------------------------------------------------

_TABLE = Table(
    "Employees",
    MetaData(),
    Column("ContosoLogin", String(128), nullable=False),
    Column("FirstName", String(50), nullable=False),
    Column("Age", Integer),
    UniqueConstraint("ContosoLogin", name="uq_login"),
)
_PG = ErrorContext("Employees", make_url("postgresql+psycopg://app:hunter2@db:5432/hr"), _TABLE)
_MY = ErrorContext("Employees", make_url("mysql+pymysql://app:hunter2@db:3306/hr"), _TABLE)
_LITE = ErrorContext("Employees", make_url("sqlite:////srv/hr.db"), _TABLE)


def _wrapped(orig: BaseException) -> SAOperationalError:
    return SAOperationalError("SELECT 1", {}, orig)


@pytest.mark.parametrize(
    ("exc", "ctx"),
    [
        (psycopg.errors.AdminShutdown("terminating connection due to administrator command"), _PG),
        (psycopg.OperationalError("consuming input failed: server closed the connection"), _PG),
        (
            psycopg.OperationalError(
                'connection to server at "db" (10.0.0.5), port 5432 failed: Connection refused'
            ),
            _PG,
        ),
        (psycopg.errors.QueryCanceled("canceling statement due to statement timeout"), _PG),
        (psycopg.errors.LockNotAvailable("canceling statement due to lock timeout"), _PG),
        (psycopg.errors.ReadOnlySqlTransaction("cannot execute INSERT in a read-only txn"), _PG),
        (psycopg.errors.TooManyConnections("sorry, too many clients already"), _PG),
        (psycopg.InterfaceError("the connection is closed"), _PG),
        (pymysql.err.OperationalError(2006, "MySQL server has gone away"), _MY),
        (pymysql.err.OperationalError(2013, "Lost connection to MySQL server during query"), _MY),
        (
            pymysql.err.OperationalError(
                2003, "Can't connect to MySQL server on 'db' ([Errno 111] Connection refused)"
            ),
            _MY,
        ),
        (pymysql.err.InterfaceError(0, ""), _MY),
        (pymysql.err.OperationalError(1205, "Lock wait timeout exceeded; try restarting"), _MY),
        (pymysql.err.OperationalError(1290, "The MariaDB server is running with --read-only"), _MY),
        (pymysql.err.OperationalError(1927, "Connection was killed"), _MY),
        (sqlite3.OperationalError("database is locked"), _LITE),
        (sqlite3.OperationalError("unable to open database file"), _LITE),
        (sqlite3.OperationalError("attempt to write a readonly database"), _LITE),
        (sqlite3.OperationalError("disk I/O error"), _LITE),
        (sqlite3.DatabaseError("database disk image is malformed"), _LITE),
        (sqlite3.ProgrammingError("Cannot operate on a closed database."), _LITE),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, BaseException) else "",
)
@pytest.mark.parametrize("wrap", [False, True], ids=["raw", "sqlalchemy"])
def test_a_database_that_is_not_there_is_unavailable(
    exc: BaseException, ctx: ErrorContext, wrap: bool
) -> None:
    error = translate(_wrapped(exc) if wrap else exc, ctx)
    assert isinstance(error, DatabaseUnavailable)
    assert "hunter2" not in _one_sentence(error)


def test_an_exhausted_pool_is_unavailable() -> None:
    error = translate(PoolTimeoutError("QueuePool limit of size 16 overflow 16 reached"), _PG)
    assert isinstance(error, DatabaseUnavailable)
    assert _one_sentence(error) == "All connections to the PostgreSQL server at db:5432 are busy."


@pytest.mark.parametrize(
    ("exc", "ctx", "column", "kind"),
    [
        (
            pymysql.err.IntegrityError(1062, "Duplicate entry 'x' for key 'Employees.uq_login'"),
            _MY,
            "ContosoLogin",
            "unique",
        ),  # MySQL 8 names the key with its table
        (
            pymysql.err.IntegrityError(1062, "Duplicate entry 'x' for key 'uq_login'"),
            _MY,
            "ContosoLogin",
            "unique",
        ),  # MariaDB
        (
            pymysql.err.OperationalError(1364, "Field 'FirstName' doesn't have a default value"),
            _MY,
            "FirstName",
            "not_null",
        ),
        (
            pymysql.err.DataError(1406, "Data too long for column 'FirstName' at row 1"),
            _MY,
            "FirstName",
            "too_long",
        ),
        (
            pymysql.err.DataError(
                1292, "Incorrect datetime value: 'x' for column `hr`.`Employees`.`Age` at row 1"
            ),
            _MY,
            "Age",
            "invalid_value",
        ),
        (
            pymysql.err.DataError(1264, "Out of range value for column 'Age' at row 1"),
            _MY,
            "Age",
            "invalid_value",
        ),
        (
            pymysql.err.OperationalError(
                4025, "CONSTRAINT `Employees.Age` failed for `hr`.`Employees`"
            ),
            _MY,
            "Age",
            "check",
        ),
        (
            sqlite3.IntegrityError("UNIQUE constraint failed: Employees.ContosoLogin"),
            _LITE,
            "ContosoLogin",
            "unique",
        ),
        (
            sqlite3.IntegrityError("NOT NULL constraint failed: Employees.FirstName"),
            _LITE,
            "FirstName",
            "not_null",
        ),
        (sqlite3.IntegrityError("CHECK constraint failed: Age >= 0"), _LITE, "Age", "check"),
        (
            psycopg.errors.CheckViolation(
                'new row for relation "Employees" violates check constraint "Employees_Age_check"'
            ),
            _PG,
            "Age",
            "check",
        ),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, BaseException) else "",
)
def test_refusals_by_message(
    exc: BaseException, ctx: ErrorContext, column: str | None, kind: str
) -> None:
    error = translate(exc, ctx)
    if kind == "unique":
        assert isinstance(error, UniqueViolation)
    else:
        assert isinstance(error, ConstraintViolation) and error.kind == kind
    assert error.column == column
    _one_sentence(error)


def test_an_unrecognised_database_error_is_a_store_error_without_secrets() -> None:
    exc = psycopg.errors.InsufficientPrivilege(
        "permission denied for table Employees (postgresql://app:hunter2@db/hr)\nHINT: grant it"
    )
    error = translate(exc, _PG)
    assert type(error) is StoreError
    message = _one_sentence(error)
    assert message.startswith("The PostgreSQL database refused the operation on Employees: ")
    assert "hunter2" not in message and "HINT" not in message


def test_a_bug_is_not_a_database_error() -> None:
    assert translate(KeyError("FirstName"), _PG) is None


def test_an_unreachable_store_never_shows_the_password(
    home: Any, sqlite_url: str, open_row_store: OpenStore
) -> None:
    create_employees_table(sqlite_url)
    connector = employees_connector(sqlite_url)
    connector.connectivity.database_url = "postgresql://app:hunter2@127.0.0.1:9/hr"
    store = open_row_store(connector, connect_timeout=1)
    with pytest.raises(DatabaseUnavailable) as info:
        store.ping()
    assert "hunter2" not in _one_sentence(info.value)
    assert "refused" in str(info.value).lower()
