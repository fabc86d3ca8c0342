"""Engines and the Connectivity page's connection test, with errors a DBA understands.

Driver exceptions (psycopg, pymysql, sqlite3, pyodbc) are mapped to DatabaseConnectionError with
one sentence naming the server, user or file, and a hint naming the fix. Passwords never appear
in messages: driver text is masked before it is shown.
"""

from __future__ import annotations

import math
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from ecmactl.errors import UsageError
from ecmactl.sql.connection_errors import DatabaseConnectionError, connection_error, dialect_label
from ecmactl.sql.urls import parse_database_url

__all__ = [
    "ConnectionInfo",
    "DatabaseConnectionError",
    "connection_error",
    "make_engine",
    "sqlite_path",
    "test_connection",
]

_SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class ConnectionInfo:
    """What a successful connection test found."""

    dialect: str  # sqlite, postgresql, mariadb, mysql, mssql
    driver: str  # pysqlite, psycopg, pymysql, pyodbc
    server_version: str
    database: str | None


def make_engine(
    url: str | URL,
    *,
    user: str | None = None,
    password: str | None = None,
    connect_timeout: float = 5,
) -> Engine:
    """An Engine with pool settings fit for a long-running host; connects lazily.

    A SQLite file is opened read-write but never created (a typo must not yield an empty
    database); ``:memory:`` is shared by all threads. Raises DatabaseConnectionError when the
    Python driver is not installed.
    """
    return _build_engine(parse_database_url(url, user=user, password=password), connect_timeout)


def test_connection(
    url: str | URL,
    user: str | None = None,
    password: str | None = None,
    timeout: float = 5,
) -> ConnectionInfo:
    """Connect, run a trivial query and say what answered; raise DatabaseConnectionError if not."""
    parsed = parse_database_url(url, user=user, password=password)
    path = sqlite_path(parsed)
    if path is not None:
        _check_sqlite_file(path)
    engine = _build_engine(parsed, timeout, probe=True)
    try:
        with engine.connect() as conn:
            return _describe(conn, parsed)
    except (SQLAlchemyError, sqlite3.Error, OSError) as exc:
        raise connection_error(exc, parsed, timeout=timeout) from exc
    finally:
        engine.dispose()


test_connection.__test__ = False  # type: ignore[attr-defined]  # not a pytest test when imported


def sqlite_path(url: str | URL) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and ``:memory:``."""
    parsed = parse_database_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database).expanduser()


# -- engines ---------------------------------------------------------------------------------


def _build_engine(url: URL, connect_timeout: float, *, probe: bool = False) -> Engine:
    kwargs: dict[str, Any] = {"connect_args": _connect_args(url, connect_timeout, probe)}
    if url.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if (url.database or "") in ("", ":memory:"):
            kwargs["poolclass"] = StaticPool  # one shared in-memory database for all threads
        elif path is not None and not url.query:  # with options, the user drives sqlite3
            kwargs["creator"] = _sqlite_creator(path, connect_timeout)
    else:
        # pre_ping: a host runs for weeks; servers drop idle connections (MySQL wait_timeout).
        kwargs.update(pool_pre_ping=True, pool_recycle=1800, pool_size=5, max_overflow=10)
    try:
        engine = create_engine(url, **kwargs)
    except ImportError as exc:
        raise _driver_missing(url, exc) from exc
    except NoSuchModuleError:
        raise UsageError(
            f"SQLAlchemy has no driver '{url.get_driver_name()}' for {dialect_label(url)}.",
            hint=f"Leave the driver out ({url.get_backend_name()}://…) to use the one "
            "ecmactl ships.",
        ) from None
    if url.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_on_connect)
    return engine


def _connect_args(url: URL, timeout: float, probe: bool) -> dict[str, Any]:
    driver = url.get_driver_name()
    if url.get_backend_name() == "sqlite":
        return {"check_same_thread": False, "timeout": timeout}  # timeout = wait on a lock
    if driver in ("psycopg", "psycopg2"):
        return {"connect_timeout": max(1, math.ceil(timeout))}  # libpq takes whole seconds
    if driver in ("pymysql", "mysqldb"):
        args: dict[str, Any] = {"connect_timeout": timeout}
        if probe:  # pymysql's connect_timeout does not cover a server that never greets
            args.update(read_timeout=timeout, write_timeout=timeout)
        return args
    if driver == "pyodbc":
        return {"timeout": max(1, math.ceil(timeout))}  # ODBC login timeout
    return {}


def _sqlite_creator(path: Path, timeout: float) -> Any:
    # mode=rw: open an existing file only; plain sqlite3.connect would create an empty one.
    uri = path.absolute().as_uri() + "?mode=rw"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=timeout)

    return connect


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _driver_missing(url: URL, exc: ImportError) -> DatabaseConnectionError:
    module = exc.name or url.get_driver_name()
    if module == "pyodbc":
        hint = (
            "Install it with: pip install 'ecmactl[mssql]' "
            "(and Microsoft's ODBC Driver 18 for SQL Server)."
        )
    else:
        default = {"postgresql": "psycopg", "mysql": "pymysql", "mariadb": "pymysql"}.get(
            url.get_backend_name()
        )
        hint = f"Install it with: pip install {module}"
        if default and default != module:
            hint += f", or use {url.get_backend_name()}://…, which uses {default} (shipped)"
        hint += "."
    return DatabaseConnectionError(
        f"The Python driver for {dialect_label(url)} ({module}) is not installed.",
        hint=hint,
        reason="driver",
    )


# -- the connection test ---------------------------------------------------------------------


def _check_sqlite_file(path: Path) -> None:
    """Say precisely what is wrong with a SQLite path before SQLite says 'unable to open'."""
    if not path.exists():
        raise DatabaseConnectionError(
            f"The SQLite database file {path} does not exist.",
            hint="Check the path (a relative path is relative to the current folder); "
            "ecmactl never creates an empty database in place of a missing one.",
            reason="file",
        )
    if path.is_dir():
        raise DatabaseConnectionError(
            f"{path} is a folder, not a SQLite database file.",
            hint="Give the path of the database file itself.",
            reason="file",
        )
    if not os.access(path, os.R_OK | os.W_OK):
        raise DatabaseConnectionError(
            f"Permission denied on the SQLite database file {path}.",
            hint="Give the account running ecmactl read and write access to the file.",
            reason="permission",
        )
    if not os.access(path.absolute().parent, os.W_OK | os.X_OK):
        raise DatabaseConnectionError(
            f"Permission denied on the folder of the SQLite database file {path}.",
            hint="Give the account running ecmactl write access to the folder: "
            "SQLite writes its journal next to the database.",
            reason="permission",
        )
    with path.open("rb") as handle:
        header = handle.read(len(_SQLITE_HEADER))
    if header and header != _SQLITE_HEADER:
        raise DatabaseConnectionError(
            f"{path} is not a SQLite database.",
            hint="Check the path; the file exists but holds something else.",
            reason="file",
        )


_PROBES = {
    "sqlite": "SELECT sqlite_version(), NULL",
    "postgresql": "SELECT current_setting('server_version'), current_database()",
    "mysql": "SELECT VERSION(), DATABASE()",
    "mssql": "SELECT CAST(SERVERPROPERTY('ProductVersion') AS NVARCHAR(128)), DB_NAME()",
}


def _describe(conn: Connection, url: URL) -> ConnectionInfo:
    dialect = conn.dialect
    probe = _PROBES.get(dialect.name)
    version: str | None = None
    database: str | None = None
    if probe is not None:
        row = conn.execute(text(probe)).one()
        version = None if row[0] is None else str(row[0])
        database = None if row[1] is None else str(row[1])
    else:
        conn.execute(text("SELECT 1"))
    if version is None:
        info = dialect.server_version_info or ()
        version = ".".join(str(part) for part in info) or "unknown"
    if dialect.name == "sqlite":
        database = url.database or ":memory:"
    name = "mariadb" if getattr(dialect, "is_mariadb", False) else dialect.name
    return ConnectionInfo(
        dialect=name, driver=dialect.driver, server_version=version, database=database
    )
