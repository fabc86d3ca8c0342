"""Driver exceptions raised by a row store's reads and writes, turned into its errors.

``map_driver_errors`` wraps each database call of ``SqlRowStore``. ``translate`` maps sqlite3,
psycopg, pymysql (and, best effort, pyodbc) exceptions to ``UniqueViolation``,
``ConstraintViolation`` (naming the column wherever the database or the reflected table says
which) and ``DatabaseUnavailable``. Messages are one sentence; driver text never reaches them
except a masked first line for errors nobody recognised.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKeyConstraint, Table, UniqueConstraint
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, SQLAlchemyError, StatementError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from ecmactl.rowstore import (
    ConstraintViolation,
    DatabaseUnavailable,
    StoreError,
    UniqueViolation,
    ViolationKind,
)
from ecmactl.sql.connection_errors import connection_error, dialect_label
from ecmactl.sql.urls import mask_secrets

_DRIVER_PACKAGES = frozenset(("sqlite3", "psycopg", "psycopg2", "pymysql", "MySQLdb", "pyodbc"))

# MariaDB/MySQL error numbers meaning "not now": the server is gone, busy, read-only or a lock
# wait ran out (client codes 2002-2055 come from the driver itself).
_MYSQL_UNAVAILABLE = frozenset((0, 1040, 1053, 1152, 1158, 1159, 1160, 1161, 1927)).union(
    range(2002, 2056)
)
_MYSQL_BUSY = {1205: "timeout", 1969: "timeout", 3024: "timeout", 1213: "conflict"}
_MYSQL_BUSY.update({1290: "read_only", 1836: "read_only"})
_MYSQL_INVALID = frozenset((1264, 1265, 1292, 1366, 1367, 1411, 3140))
_PG_INVALID = frozenset(("22P02", "22007", "22008", "22003", "22018", "22023", "22P05"))
_PG_UNAVAILABLE_CLASSES = ("08", "53", "57", "58")  # connection, resources, operator, system
_PG_BUSY = {"57014": "timeout", "55P03": "timeout", "55006": "timeout"}
_PG_BUSY.update({"40001": "conflict", "40P01": "conflict", "25006": "read_only"})
_BUSY = {
    "timeout": "did not finish in time (a statement or lock timeout ran out)",
    "conflict": "aborted the write in a conflict with a concurrent transaction",
    "read_only": "accepts no writes right now (it is read-only)",
}
_SQLITE_UNAVAILABLE = (
    "database is locked",
    "database table is locked",
    "unable to open database file",
    "readonly database",
    "disk i/o error",
    "database or disk is full",
    "disk image is malformed",
    "file is not a database",
    "no such table",
    "closed database",
)


@dataclass(frozen=True)
class ErrorContext:
    """What the failed operation touched: enough to name a column the driver did not."""

    table_name: str
    url: URL
    table: Table | None = None  # reflected; None if reflection itself failed
    values: Mapping[str, Any] = field(default_factory=dict)


class map_driver_errors:  # lower case: it reads as a function, ``with map_driver_errors(…):``
    """Turn a database exception raised inside the block into its ``StoreError``; anything
    else (a bug) propagates unchanged. ``context(values)`` is built only when one is raised."""

    __slots__ = ("_context", "_values")

    def __init__(
        self,
        context: Callable[[Mapping[str, Any] | None], ErrorContext],
        values: Mapping[str, Any] | None = None,
    ) -> None:
        self._context = context
        self._values = values

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if not isinstance(exc, Exception):  # none, or KeyboardInterrupt, GeneratorExit…
            return
        translated = translate(exc, self._context(self._values))
        if translated is not None and translated is not exc:
            raise translated from exc


def translate(exc: BaseException, ctx: ErrorContext) -> StoreError | None:
    """The StoreError for a database exception, or None when ``exc`` is not one (a bug)."""
    if isinstance(exc, StoreError):
        return exc
    if isinstance(exc, PoolTimeoutError):
        return DatabaseUnavailable(
            f"All connections to the {_where(ctx.url)} are busy.",
            hint="The database answers too slowly for the load; retry later.",
        )
    if isinstance(exc, StatementError) and not isinstance(exc, DBAPIError):
        if isinstance(exc.orig, ValueError | TypeError):  # a bind processor refused a value
            return _violation(ctx, None, "invalid_value")
        return None
    orig: BaseException = exc.orig if isinstance(exc, DBAPIError) and exc.orig else exc
    package = type(orig).__module__.split(".")[0]
    if package not in _DRIVER_PACKAGES and not isinstance(exc, SQLAlchemyError):
        return None
    mapped: StoreError | None = None
    if package in ("psycopg", "psycopg2"):
        mapped = _postgres(orig, ctx)
    elif package in ("pymysql", "MySQLdb"):
        mapped = _mysql(orig, ctx)
    elif package == "sqlite3":
        mapped = _sqlite(orig, ctx)
    elif package == "pyodbc":
        mapped = _mssql(orig, ctx)
    if mapped is not None:
        return mapped
    invalidated = isinstance(exc, DBAPIError) and exc.connection_invalidated
    if invalidated or _dbapi_class(orig) in ("OperationalError", "InterfaceError"):
        return unavailable(exc, ctx)
    return StoreError(
        f"The {dialect_label(ctx.url)} database refused the operation on {ctx.table_name}: "
        f"{_first_line(orig, ctx.url)}"
    )


def unavailable(exc: BaseException, ctx: ErrorContext) -> DatabaseUnavailable:
    """DatabaseUnavailable in the Connectivity page's words when the connection test knows it."""
    known = connection_error(exc, ctx.url)
    if known.reason != "other":
        return DatabaseUnavailable(known.message, hint=known.hint)
    if ctx.url.get_backend_name() == "sqlite":  # disk I/O error, disk full, malformed…
        orig: BaseException = getattr(exc, "orig", None) or exc
        return DatabaseUnavailable(
            f"The {_where(ctx.url)} cannot be used right now: {_first_line(orig, ctx.url)}",
            hint="Check the disk and the file; the host retries by itself.",
        )
    return DatabaseUnavailable(
        f"Lost the connection to the {_where(ctx.url)}.",
        hint="The database went away or dropped the connection; retry when it is back.",
    )


# -- PostgreSQL (psycopg) --------------------------------------------------------------------


def _postgres(orig: BaseException, ctx: ErrorContext) -> StoreError | None:
    state = str(getattr(orig, "sqlstate", None) or "")
    diag = getattr(orig, "diag", None)
    detail = str(getattr(diag, "message_detail", None) or "")
    message = str(orig)
    constraint = getattr(diag, "constraint_name", None) or _quoted(message, r'constraint "([^"]*)"')
    if state == "P0001":  # RAISE EXCEPTION in a procedure, function or trigger
        return _raised(ctx, str(getattr(diag, "message_primary", None) or message))
    if state == "23505":
        column = _single(_key_columns(detail)) or _constraint_column(ctx, constraint)
        return _duplicate(ctx, column, constraint)
    if state == "23502":
        return _violation(ctx, getattr(diag, "column_name", None), "not_null")
    if state == "22001":
        return _violation(ctx, _too_long_column(ctx), "too_long")
    if state in _PG_INVALID:
        quoted = re.search(r':\s*"(.*)"', message.splitlines()[0] if message else "")
        column = _column_with_value(ctx, quoted.group(1)) if quoted else None
        return _violation(ctx, column, "invalid_value")
    if state == "23503":
        column = _single(_key_columns(detail)) or _constraint_column(ctx, constraint)
        return _violation(ctx, column, "foreign_key", constraint)
    if state == "23514":
        return _violation(ctx, _constraint_column(ctx, constraint), "check", constraint)
    if state in _PG_BUSY:  # before the class 57 rule: 57014 is a timeout, not a shutdown
        return _busy(ctx, _PG_BUSY[state])
    if state.startswith(_PG_UNAVAILABLE_CLASSES):
        return unavailable(orig, ctx)
    if state == "42P01":  # undefined table: dropped or renamed under us
        return missing_table(ctx)
    return None


def _key_columns(detail: str) -> list[str]:
    # 'Key ("ContosoLogin")=(x) already exists.' / 'Key (dept)=(9) is not present in …'
    match = re.search(r"Key \((.*?)\)=\(", detail)
    if not match:
        return []
    return [part.strip().strip('"') for part in match.group(1).split(",")]


# -- MariaDB / MySQL (pymysql) ---------------------------------------------------------------


def _mysql(orig: BaseException, ctx: ErrorContext) -> StoreError | None:
    args: tuple[Any, ...] = getattr(orig, "args", ())
    code = args[0] if args and isinstance(args[0], int) else None
    message = str(args[1]) if len(args) > 1 else str(orig)
    if code is None:
        return None
    if code == 1644:  # SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = … in a procedure or trigger
        return _raised(ctx, message)
    if code == 1062:  # Duplicate entry 'x' for key 'ContosoLogin' (MySQL 8: 'Employees.X')
        key = _quoted(message, r"for key '([^']*)'")
        return _duplicate(ctx, _key_column(ctx, key), key)
    if code in (1048, 1364, 1263):  # Column 'X' cannot be null / Field 'X' has no default
        return _violation(ctx, _quoted(message, r"(?:Column|Field) '([^']*)'"), "not_null")
    if code == 1406:  # Data too long for column 'X' at row 1
        return _violation(ctx, _mysql_column(message), "too_long")
    if code in _MYSQL_INVALID:  # Incorrect integer value: 'x' for column `db`.`t`.`X` at row 1
        return _violation(ctx, _mysql_column(message), "invalid_value")
    if code in (1451, 1452, 1216, 1217):
        column = _quoted(message, r"FOREIGN KEY \(`([^`]*)`\)")
        return _violation(ctx, column, "foreign_key", _quoted(message, r"CONSTRAINT `([^`]*)`"))
    if code in (4025, 3819):  # MariaDB: CONSTRAINT `T.col` failed; MySQL: Check constraint 'x'
        name = _quoted(message, r"CONSTRAINT `([^`]*)`") or _quoted(
            message, r"constraint '([^']*)'"
        )
        return _violation(ctx, _constraint_column(ctx, name), "check", name)
    if code in _MYSQL_BUSY:
        return _busy(ctx, _MYSQL_BUSY[code])
    if code in _MYSQL_UNAVAILABLE:
        return unavailable(orig, ctx)
    if code == 1146:  # table doesn't exist
        return missing_table(ctx)
    return None


def _mysql_column(message: str) -> str | None:
    return _quoted(message, r"for column (?:`[^`]*`\.)*`([^`]*)`") or _quoted(
        message, r"for column '([^']*)'"
    )


# -- SQLite (sqlite3) ------------------------------------------------------------------------


def _sqlite(orig: BaseException, ctx: ErrorContext) -> StoreError | None:
    message = str(orig)
    low = message.lower()
    if "unique constraint failed" in low:  # UNIQUE constraint failed: Employees.ContosoLogin
        return _duplicate(ctx, _single(_sqlite_columns(message)), None)
    if "not null constraint failed" in low:
        return _violation(ctx, _single(_sqlite_columns(message)), "not_null")
    if "check constraint failed" in low:  # the constraint's name, or its expression
        name = message.split(":", 1)[1].strip() if ":" in message else None
        return _violation(ctx, _constraint_column(ctx, name), "check", name)
    if "foreign key constraint failed" in low:  # SQLite names nothing: guess from the FKs
        return _violation(ctx, _foreign_key_column(ctx), "foreign_key")
    if "datatype mismatch" in low or "cannot store" in low:
        # STRICT tables: cannot store TEXT value in INTEGER column T.X; else the rowid alias.
        column = _quoted(message, r"column (?:\S+\.)?(\S+)$") if "cannot store" in low else None
        return _violation(ctx, column or _rowid_column(ctx), "invalid_value")
    if "no such table" in low:
        return missing_table(ctx)
    if any(text in low for text in _SQLITE_UNAVAILABLE) or isinstance(
        orig, sqlite3.OperationalError | sqlite3.ProgrammingError
    ):
        return unavailable(orig, ctx)
    return None


def _sqlite_columns(message: str) -> list[str]:
    listed = message.split(":", 1)[1] if ":" in message else ""
    return [part.strip().rsplit(".", 1)[-1] for part in listed.split(",") if part.strip()]


# -- SQL Server (pyodbc), best effort --------------------------------------------------------


def _mssql(orig: BaseException, ctx: ErrorContext) -> StoreError | None:
    args: tuple[Any, ...] = getattr(orig, "args", ())
    state = str(args[0]) if args else ""
    message = str(args[1]) if len(args) > 1 else str(orig)
    if "(2627)" in message or "(2601)" in message:
        name = _quoted(message, r"(?:constraint|index) '([^']*)'")
        return _duplicate(ctx, _key_column(ctx, name), name)
    raised = re.search(r"\((5\d{4,})\)", message)  # THROW/RAISERROR with a user error number
    if raised and int(raised.group(1)) >= 50000:
        return _raised(ctx, message.rsplit("]", 1)[-1].split(" (", 1)[0])
    if "(515)" in message:
        return _violation(ctx, _quoted(message, r"into column '([^']*)'"), "not_null")
    if state == "22001" or "(2628)" in message or "(8152)" in message:
        column = _quoted(message, r"column '([^']*)'") or _too_long_column(ctx)
        return _violation(ctx, column, "too_long")
    if state in ("22018", "22007", "22008", "22003"):
        return _violation(ctx, None, "invalid_value")
    if "(547)" in message:
        name = _quoted(message, r'constraint "([^"]*)"')
        kind: ViolationKind = "foreign_key" if "FOREIGN KEY" in message else "check"
        column = _quoted(message, r"column '([^']*)'") or _constraint_column(ctx, name)
        return _violation(ctx, column, kind, name)
    if state.startswith("08") or state in ("HYT00", "HYT01", "40001"):
        return unavailable(orig, ctx)
    return None


# -- naming the column -----------------------------------------------------------------------


def _key_column(ctx: ErrorContext, key: str | None) -> str | None:
    """The one column of the unique key or index called ``key``."""
    if not key:
        return None
    table = ctx.table
    key = key.rsplit(".", 1)[-1]  # MySQL 8 prefixes the table
    if table is None:  # a store writing through procedures: a key named after a written column
        return key if key in ctx.values else None
    if key.upper() == "PRIMARY":
        return _single(c.name for c in table.primary_key.columns)
    for index in table.indexes:
        if index.name == key:
            return _single(c.name for c in index.columns)
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint) and constraint.name == key:
            return _single(c.name for c in constraint.columns)
    return key if key in table.c else None


def _constraint_column(ctx: ErrorContext, name: str | None) -> str | None:
    """The column a check (or other) constraint is about, from its name or its expression."""
    if not name or ctx.table is None:
        return None
    table = ctx.table
    for constraint in table.constraints:
        if constraint.name != name:
            continue
        if isinstance(constraint, CheckConstraint):
            return _single(_columns_in(table, str(constraint.sqltext)))
        if isinstance(constraint, UniqueConstraint | ForeignKeyConstraint):
            return _single(c.name for c in constraint.columns)
    # Generated names carry the column (PostgreSQL Employees_Age_check, MariaDB Employees.Age);
    # SQLite reports an unnamed check by its expression.
    return _single(_columns_in(table, name))


def _columns_in(table: Table, text: str) -> list[str]:
    # Underscores and dots separate words here: generated names join table and column with them.
    return [
        column.name
        for column in table.c
        if re.search(rf"(?<![A-Za-z0-9]){re.escape(column.name)}(?![A-Za-z0-9])", text)
    ]


def _too_long_column(ctx: ErrorContext) -> str | None:
    if ctx.table is None:
        return None
    too_long = []
    for name, value in ctx.values.items():
        length = getattr(ctx.table.c[name].type, "length", None) if name in ctx.table.c else None
        if isinstance(value, str | bytes) and isinstance(length, int) and len(value) > length:
            too_long.append(name)
    return too_long[0] if too_long else None


def _column_with_value(ctx: ErrorContext, shown: str) -> str | None:
    return _single(name for name, value in ctx.values.items() if str(value) == shown)


def _foreign_key_column(ctx: ErrorContext) -> str | None:
    if ctx.table is None:
        return None
    written = {name for name, value in ctx.values.items() if value is not None}
    return _single(c.parent.name for c in ctx.table.foreign_keys if c.parent.name in written)


def _rowid_column(ctx: ErrorContext) -> str | None:
    if ctx.table is None:
        return None
    return _single(c.name for c in ctx.table.primary_key.columns)


def _single(names: Iterable[str]) -> str | None:
    unique = list(dict.fromkeys(names))
    return unique[0] if len(unique) == 1 else None


# -- messages --------------------------------------------------------------------------------


def _duplicate(ctx: ErrorContext, column: str | None, key: str | None) -> UniqueViolation:
    if column is None:
        named = f" ({key})" if key else ""
        return UniqueViolation(
            f"The row would duplicate a unique value{named} of {ctx.table_name}.", column=None
        )
    value = ctx.values.get(column)
    shown = f" {_show(value)}" if value is not None else ""
    return UniqueViolation(
        f"{ctx.table_name} already has a row with {column}{shown}.", column=column
    )


_WHAT = {
    "not_null": "requires a value (it is NOT NULL and has no default)",
    "too_long": "is too long",
    "invalid_value": "is not valid for the column's type",
    "foreign_key": "does not match any row of the table it references",
    "check": "breaks a CHECK constraint",
    "other": "was refused",
}


def _violation(
    ctx: ErrorContext, column: str | None, kind: ViolationKind, constraint: str | None = None
) -> ConstraintViolation:
    what = _WHAT[kind]
    if kind == "too_long" and column and ctx.table is not None and column in ctx.table.c:
        length = getattr(ctx.table.c[column].type, "length", None)
        if isinstance(length, int):
            what += f" (at most {length} characters)"
    if kind in ("check", "foreign_key") and constraint:
        what += f" ({constraint})"
    if column is None:
        message = f"A value written to {ctx.table_name} {what}."
    elif kind == "not_null":
        message = f"Column {column} of {ctx.table_name} {what}."
    else:
        message = f"The value for column {column} of {ctx.table_name} {what}."
    return ConstraintViolation(message, column=column, kind=kind)


def _raised(ctx: ErrorContext, message: str) -> ConstraintViolation:
    """A procedure's own refusal: its message, as the database gave it (first line, masked)."""
    line = next((part.strip() for part in message.splitlines() if part.strip()), "")
    line = mask_secrets(line)[:300] or "no message"
    return ConstraintViolation(
        f"{ctx.table_name}: the database raised an error: {line}", column=None, kind="raised"
    )


def _busy(ctx: ErrorContext, why: str) -> DatabaseUnavailable:
    return DatabaseUnavailable(f"The {_where(ctx.url)} {_BUSY[why]}.", hint="Retry later.")


def missing_table(ctx: ErrorContext) -> DatabaseUnavailable:
    """The table is gone (dropped, renamed, or the wrong database): not now, maybe later."""
    return DatabaseUnavailable(
        f"Table {ctx.table_name} does not exist in the {_where(ctx.url)}.",
        hint="Restore the table, or point the connector at the right database.",
    )


def _where(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return f"SQLite database {url.database or ':memory:'}"
    if not url.host:
        return f"{dialect_label(url)} server"
    port = f":{url.port}" if url.port else ""
    return f"{dialect_label(url)} server at {url.host}{port}"


def _dbapi_class(orig: BaseException) -> str | None:
    for cls in type(orig).__mro__:
        if cls.__name__ in ("OperationalError", "InterfaceError", "IntegrityError", "DataError"):
            return cls.__name__
    return None


def _first_line(orig: BaseException, url: URL) -> str:
    args: tuple[Any, ...] = getattr(orig, "args", ())
    text = str(args[1]) if len(args) == 2 and isinstance(args[1], str) else str(orig)
    line = next((part.strip() for part in text.splitlines() if part.strip()), type(orig).__name__)
    if isinstance(url.password, str) and url.password:
        line = line.replace(url.password, "***")
    line = mask_secrets(line)
    if len(line) > 200:
        line = line[:197] + "..."
    return line.rstrip(".") + "."


def _quoted(message: str, pattern: str) -> str | None:
    match = re.search(pattern, message)
    return match.group(1) if match else None


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "..."
