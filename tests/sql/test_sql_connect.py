"""Engines and the connection test: success on every dialect, and each error a DBA may meet."""

from __future__ import annotations

import importlib.util
import os
import socket
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from ecmactl.errors import UsageError
from ecmactl.sql import connect
from ecmactl.sql.connect import DatabaseConnectionError, connection_error, make_engine
from ecmactl.sql.urls import sqlite_url


@pytest.fixture
def free_port() -> int:
    """A port on 127.0.0.1 nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts TCP connections and never says a word: a hung server."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield sock.getsockname()[1]


def _fails(url: str, **kwargs: object) -> DatabaseConnectionError:
    with pytest.raises(DatabaseConnectionError) as info:
        connect.test_connection(url, **kwargs)  # type: ignore[arg-type]
    return info.value


# -- success ---------------------------------------------------------------------------------


def test_sqlite_file_and_memory_connect(sqlite_url: str) -> None:
    info = connect.test_connection(sqlite_url)
    assert (info.dialect, info.driver) == ("sqlite", "pysqlite")
    assert info.server_version.startswith("3.")
    assert info.database == make_url(sqlite_url).database
    assert connect.test_connection("sqlite://").database == ":memory:"


@pytest.mark.postgres
def test_postgres_connects(postgres_url: str) -> None:
    info = connect.test_connection(postgres_url)
    assert info.dialect == "postgresql" and info.driver == "psycopg"
    assert info.database == make_url(postgres_url).database
    assert info.server_version[0].isdigit()


@pytest.mark.mariadb
def test_mariadb_connects(mariadb_url: str) -> None:
    info = connect.test_connection(mariadb_url)
    assert info.dialect in ("mariadb", "mysql") and info.driver == "pymysql"
    assert info.database == make_url(mariadb_url).database


def test_test_connection_is_not_collected_by_pytest() -> None:
    assert connect.test_connection.__test__ is False  # type: ignore[attr-defined]


# -- engines ---------------------------------------------------------------------------------


def test_sqlite_engine_never_creates_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    engine = make_engine(sqlite_url(missing))
    with pytest.raises(Exception, match="unable to open"), engine.connect():
        pass
    engine.dispose()
    assert not missing.exists()


def test_sqlite_engine_enforces_foreign_keys_and_serves_threads(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    results: list[object] = []

    def other_thread() -> None:
        with engine.connect() as conn:
            results.append(conn.execute(text("SELECT 1")).scalar())

    worker = threading.Thread(target=other_thread)
    worker.start()
    worker.join()
    engine.dispose()
    assert results == [1]


def test_in_memory_sqlite_is_one_database_for_all_threads() -> None:
    engine = make_engine("sqlite://")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))

    seen: list[object] = []

    def other_thread() -> None:
        with engine.connect() as conn:
            seen.append(conn.execute(text("SELECT count(*) FROM t")).scalar())

    worker = threading.Thread(target=other_thread)
    worker.start()
    worker.join()
    engine.dispose()
    assert seen == [0]


def test_unknown_driver_name_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="no driver 'nosuch'"):
        make_engine("postgresql+nosuch://u@db/hr")


@pytest.mark.skipif(importlib.util.find_spec("pyodbc") is not None, reason="pyodbc is installed")
def test_missing_pyodbc_names_the_extra() -> None:
    error = _fails("Driver={ODBC Driver 18 for SQL Server};Server=sql01;Database=CONTOSO")
    assert error.reason == "driver"
    assert "pyodbc" in error.message and "SQL Server" in error.message
    assert "pip install 'ecmactl[mssql]'" in (error.hint or "")


# -- SQLite files ----------------------------------------------------------------------------


def test_missing_sqlite_file_is_named_and_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "hr.db"
    error = _fails(sqlite_url(missing))
    assert error.reason == "file"
    assert str(missing) in error.message and "does not exist" in error.message
    assert not missing.exists()


def test_a_folder_or_foreign_file_is_not_a_database(tmp_path: Path) -> None:
    assert "is a folder" in _fails(sqlite_url(tmp_path)).message
    text_file = tmp_path / "notes.db"
    text_file.write_text("hello, this is not SQLite\n", encoding="utf-8")
    error = _fails(sqlite_url(text_file))
    assert error.reason == "file" and "not a SQLite database" in error.message


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads everything")
def test_unreadable_sqlite_file_is_permission_denied(sqlite_url: str) -> None:
    path = Path(make_url(sqlite_url).database or "")
    path.chmod(0o200)
    try:
        error = _fails(sqlite_url)
    finally:
        path.chmod(0o600)
    assert error.reason == "permission" and "Permission denied" in error.message


def test_permission_denied_is_reported_before_sqlite_tries(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Simulated (tests may run as root, who may read anything).
    monkeypatch.setattr(os, "access", lambda *_args, **_kw: False)
    error = _fails(sqlite_url)
    assert error.reason == "permission"
    assert "read and write access" in (error.hint or "")


# -- servers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["postgresql", "mysql"])
def test_connection_refused_names_host_and_port(scheme: str, free_port: int) -> None:
    error = _fails(f"{scheme}://someone:hunter2@127.0.0.1:{free_port}/hr")
    assert error.reason == "unreachable"
    assert f"127.0.0.1:{free_port}" in error.message and "refused" in error.message
    assert "running" in (error.hint or "")
    assert "hunter2" not in error.message + (error.hint or "")


def test_a_server_that_never_answers_times_out(silent_port: int) -> None:
    error = _fails(f"mysql://root@127.0.0.1:{silent_port}/hr", timeout=0.3)
    assert error.reason == "timeout"
    assert f"127.0.0.1:{silent_port}" in error.message and "0.3 s" in error.message


@pytest.mark.postgres
def test_wrong_postgres_database_is_named(postgres_server_url: str) -> None:
    url = make_url(postgres_server_url).set(database="no_such_db")
    error = _fails(url.render_as_string(hide_password=False))
    assert error.reason == "database"
    assert "'no_such_db' does not exist" in error.message
    assert f"{url.host}:{url.port or 5432}" in error.message


@pytest.mark.postgres
def test_unknown_postgres_role_is_an_authentication_failure(postgres_server_url: str) -> None:
    error = _fails(postgres_server_url, user="ecmactl_no_such_role", password="hunter2")
    assert error.reason == "authentication"
    assert "user 'ecmactl_no_such_role'" in error.message
    assert "hunter2" not in error.message


@pytest.mark.mariadb
def test_wrong_mariadb_user_is_an_authentication_failure(mariadb_server_url: str) -> None:
    error = _fails(mariadb_server_url, user="ecmactl_nobody", password="hunter2")
    assert error.reason == "authentication"
    assert "user 'ecmactl_nobody'" in error.message
    assert "hunter2" not in error.message + (error.hint or "")


@pytest.mark.mariadb
def test_wrong_mariadb_database_is_named(mariadb_server_url: str) -> None:
    url = make_url(mariadb_server_url).set(database="no_such_db")
    error = _fails(url.render_as_string(hide_password=False))
    assert error.reason == "database" and "'no_such_db'" in error.message


# -- mappings we cannot provoke here (driver exceptions built by hand) -----------------------


PG = make_url("postgresql+psycopg://app:hunter2@db.example.com/hr")
MY = make_url("mysql+pymysql://app:hunter2@db.example.com/hr")
ODBC = make_url(
    "mssql+pyodbc:///?odbc_connect="
    "Driver%3D%7BODBC+Driver+18+for+SQL+Server%7D%3BServer%3Dsql01%3BPWD%3Dhunter2"
)


class _Pyodbc(Exception):
    """Stands in for pyodbc's exceptions (args = (sqlstate, message))."""


_Pyodbc.__module__ = "pyodbc"


@pytest.mark.parametrize(
    ("exc", "url", "reason", "words"),
    [
        (psycopg.errors.ConnectionTimeout("connection timeout expired"), PG, "timeout",
         "Timed out after 5 s connecting to the PostgreSQL server at db.example.com:5432"),
        (psycopg.OperationalError('connection failed: FATAL:  password authentication failed '
                                  'for user "app"'), PG, "authentication", "user 'app'"),
        (psycopg.OperationalError("failed to resolve host 'db.example.com': [Errno -2]"), PG,
         "unreachable", "'db.example.com'"),
        (psycopg.OperationalError('FATAL:  no pg_hba.conf entry for host "10.0.0.5", user '
                                  '"app"'), PG, "authentication", "pg_hba"),
        (psycopg.OperationalError("fe_sendauth: no password supplied"), PG, "authentication",
         "requires a password"),
        (_Pyodbc("IM002", "[IM002] Data source name not found and no default driver"), ODBC,
         "driver", "'ODBC Driver 18 for SQL Server' is not installed"),
        (_Pyodbc("01000", "[01000] Can't open lib 'ODBC Driver 18 for SQL Server'"), ODBC,
         "driver", "not installed"),
        (_Pyodbc("28000", "Login failed for user 'sa'."), ODBC, "authentication", "user 'sa'"),
        (_Pyodbc("HYT00", "Login timeout expired"), ODBC, "timeout", "SQL Server server at sql01"),
        (_Pyodbc("08001", "TCP Provider: Error code 0x2749"), ODBC, "unreachable", "sql01"),
        (sqlite3.OperationalError("database is locked"), make_url("sqlite:///x.db"), "timeout",
         "locked"),
        (sqlite3.OperationalError("attempt to write a readonly database"),
         make_url("sqlite:///x.db"), "permission", "read-only"),
    ],
)  # fmt: skip
def test_driver_errors_map_to_clear_messages(
    exc: BaseException, url: object, reason: str, words: str
) -> None:
    error = connection_error(exc, url, timeout=5)  # type: ignore[arg-type]
    assert error.reason == reason
    assert words in error.message + " " + (error.hint or "")
    assert "hunter2" not in error.message + (error.hint or "")


def test_unknown_errors_fall_back_to_the_drivers_first_line_without_password() -> None:
    exc = RuntimeError("weird failure with password=hunter2 and hunter2 again\nsecond line")
    error = connection_error(exc, MY)
    assert error.reason == "other"
    assert error.message.startswith("Cannot connect to the MySQL/MariaDB server at db.example.com")
    assert "hunter2" not in error.message and "second line" not in error.message
