"""Why a connection failed: driver exceptions of connecting turned into messages a DBA
understands (the wizard's connection test, ``connect``; ``store_errors`` reuses them for a
store whose database went away).

psycopg reports connection failures as text only (no SQLSTATE before the session exists), so
PostgreSQL is matched on libpq's English messages; pymysql and pyodbc carry error codes and
SQLSTATEs. Whatever is not recognised falls back to the driver's first line, passwords masked.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from ecmactl.errors import EcmactlError
from ecmactl.sql.urls import mask_secrets, parse_odbc_string

ErrorReason = Literal[
    "unreachable", "timeout", "authentication", "database", "driver", "file", "permission", "other"
]

_LABELS = {
    "sqlite": "SQLite",
    "postgresql": "PostgreSQL",
    "mysql": "MySQL/MariaDB",
    "mariadb": "MariaDB",
    "mssql": "SQL Server",
}
_DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306, "mariadb": 3306, "mssql": 1433}
_SERVER_HINT = (
    "Check that the server is running and listens on that host and port, "
    "and that no firewall blocks it."
)
_AUTH_HINT = "Check the user name and password, and that this user may log in from this host."


class DatabaseConnectionError(EcmactlError):
    """The database could not be reached or opened; ``reason`` says which kind of failure."""

    def __init__(
        self, message: str, *, hint: str | None = None, reason: ErrorReason = "other"
    ) -> None:
        super().__init__(message, hint=hint)
        self.reason: ErrorReason = reason


def dialect_label(url: URL) -> str:
    """The product name for messages: PostgreSQL, MariaDB, SQL Server…"""
    backend = url.get_backend_name()
    return _LABELS.get(backend, backend)


def connection_error(
    exc: BaseException,
    url: URL | str,
    *,
    timeout: float | None = None,
    password: str | None = None,
) -> DatabaseConnectionError:
    """Map an exception raised while connecting to ``url`` to a DatabaseConnectionError."""
    if isinstance(url, str):
        try:
            url = make_url(url)
        except ArgumentError:
            url = URL.create("unknown")
    orig: BaseException = getattr(exc, "orig", None) or exc
    package = type(orig).__module__.split(".")[0]
    mapped: DatabaseConnectionError | None = None
    if isinstance(exc, PoolTimeoutError):
        mapped = DatabaseConnectionError(
            f"All connections to the {_where(url)} are busy.",
            hint="Lower the load or raise the pool size.",
            reason="timeout",
        )
    elif package in ("psycopg", "psycopg2"):
        mapped = _postgres(str(orig), url, timeout)
    elif package in ("pymysql", "MySQLdb"):
        mapped = _mysql(orig, url, timeout)
    elif package == "sqlite3":
        mapped = _sqlite(str(orig), url)
    elif package == "pyodbc":
        mapped = _odbc(orig, url)
    if mapped is not None:
        return mapped
    secret = password if password is not None else url.password
    return DatabaseConnectionError(
        f"Cannot connect to the {_where(url)}: {_first_line(orig, secret)}",
        hint="Check the database URL, user name and password.",
    )


# -- per driver ------------------------------------------------------------------------------


def _postgres(message: str, url: URL, timeout: float | None) -> DatabaseConnectionError | None:
    user = url.username or _quoted(message, r'user "([^"]*)"') or "(default)"
    low = message.lower()
    if "connection refused" in low:
        return _refused(url)
    if "failed to resolve host" in low or "could not translate host name" in low:
        return _unresolved(url)
    if "timeout expired" in low or "timed out" in low:
        return _timed_out(url, timeout)
    if "password authentication failed" in low or "authentication failed" in low:
        return _auth_failed(user, url)
    if "no password supplied" in low:
        return DatabaseConnectionError(
            f"The {_where(url)} requires a password for user '{user}'.",
            hint="Give the password (it is asked separately from the URL).",
            reason="authentication",
        )
    if "role" in low and "does not exist" in low:
        role = _quoted(message, r'role "([^"]*)"') or user
        return _auth_failed(role, url, f" (role '{role}' does not exist)")
    if "database" in low and "does not exist" in low:
        name = _quoted(message, r'database "([^"]*)"') or url.database or ""
        return _no_database(name, url)
    if "no pg_hba.conf entry" in low:
        return DatabaseConnectionError(
            f"The {_where(url)} does not accept connections from this host for user '{user}'.",
            hint="Add a matching line to pg_hba.conf on the server and reload it.",
            reason="authentication",
        )
    if "permission denied for database" in low or "not permitted to log in" in low:
        return DatabaseConnectionError(
            f"User '{user}' may not connect to database '{url.database}' on the {_where(url)}.",
            hint=f"GRANT CONNECT ON DATABASE {url.database} TO {user}; or ALTER ROLE … LOGIN.",
            reason="permission",
        )
    return None


def _mysql(orig: BaseException, url: URL, timeout: float | None) -> DatabaseConnectionError | None:
    args: tuple[Any, ...] = getattr(orig, "args", ())
    code = args[0] if args and isinstance(args[0], int) else None
    message = str(args[1]) if len(args) > 1 else str(orig)
    low = message.lower()
    if code in (1045, 1698):  # 1698: the account authenticates by unix socket only
        user = _quoted(message, r"user '([^']*)'") or url.username or ""
        return _auth_failed(user, url)
    if code == 1049:
        return _no_database(_quoted(message, r"database '([^']*)'") or url.database or "", url)
    if code == 1044:
        user = _quoted(message, r"user '([^']*)'") or url.username or ""
        return DatabaseConnectionError(
            f"User '{user}' may not use database '{url.database}' on the {_where(url)}.",
            hint=f"GRANT SELECT, INSERT, UPDATE, DELETE ON {url.database}.* TO the user.",
            reason="permission",
        )
    if code == 1130:
        return DatabaseConnectionError(
            f"The {_where(url)} does not accept connections from this host.",
            hint="Create the user for this host on the server (CREATE USER 'name'@'host' …).",
            reason="authentication",
        )
    if code in (2003, 2013):
        if "timed out" in low:
            return _timed_out(url, timeout)
        if "refused" in low:
            return _refused(url)
        if (
            "name or service not known" in low
            or "nodename nor servname" in low
            or ("getaddrinfo" in low)
        ):
            return _unresolved(url)
        if code == 2013:
            return DatabaseConnectionError(
                f"The {_where(url)} closed the connection during the handshake.",
                hint="Check that this port belongs to a MySQL/MariaDB server and that "
                "its TLS settings match.",
                reason="unreachable",
            )
    return None


def _sqlite(message: str, url: URL) -> DatabaseConnectionError | None:
    path = url.database or ":memory:"
    low = message.lower()
    if "unable to open database file" in low:
        return DatabaseConnectionError(
            f"SQLite cannot open {path}.",
            hint="Check that the file exists and that ecmactl may read and write it and its "
            "folder.",
            reason="file",
        )
    if "file is not a database" in low:
        return DatabaseConnectionError(
            f"{path} is not a SQLite database.",
            hint="Check the path; the file exists but holds something else.",
            reason="file",
        )
    if "readonly database" in low:
        return DatabaseConnectionError(
            f"Permission denied: the SQLite database {path} is read-only.",
            hint="Give the account running ecmactl write access to the file and its folder.",
            reason="permission",
        )
    if "database is locked" in low:
        return DatabaseConnectionError(
            f"The SQLite database {path} is locked by another process.",
            hint="Stop the other writer, or retry when it is done.",
            reason="timeout",
        )
    return None


def _odbc(orig: BaseException, url: URL) -> DatabaseConnectionError | None:
    args: tuple[Any, ...] = getattr(orig, "args", ())
    state = str(args[0]) if args else ""
    message = str(args[1]) if len(args) > 1 else str(orig)
    if state == "IM002" or "can't open lib" in message.lower():
        driver = _odbc_driver(url) or "named in the connection string"
        return DatabaseConnectionError(
            f"The ODBC driver {driver} is not installed on this machine.",
            hint="Install Microsoft ODBC Driver 18 for SQL Server (msodbcsql18), or fix "
            "Driver= in the connection string (odbcinst -q -d lists installed drivers).",
            reason="driver",
        )
    if state == "28000":
        user = _quoted(message, r"user '([^']*)'") or url.username or ""
        return _auth_failed(user, url)
    if state == "HYT00":
        return _timed_out(url, None)
    if state in ("08001", "08S01"):
        return DatabaseConnectionError(
            f"Cannot reach the {_where(url)}.", hint=_SERVER_HINT, reason="unreachable"
        )
    if state == "42000" and "cannot open database" in message.lower():
        name = _quoted(message, r'database "([^"]*)"') or url.database or ""
        return _no_database(name, url)
    return None


# -- shared messages -------------------------------------------------------------------------


def _refused(url: URL) -> DatabaseConnectionError:
    return DatabaseConnectionError(
        f"Connection refused by the {_where(url)}.", hint=_SERVER_HINT, reason="unreachable"
    )


def _unresolved(url: URL) -> DatabaseConnectionError:
    return DatabaseConnectionError(
        f"The host name '{url.host}' of the {dialect_label(url)} server cannot be resolved.",
        hint="Check the host name in the database URL (or use its IP address).",
        reason="unreachable",
    )


def _timed_out(url: URL, timeout: float | None) -> DatabaseConnectionError:
    after = f" after {timeout:g} s" if timeout else ""
    return DatabaseConnectionError(
        f"Timed out{after} connecting to the {_where(url)}.",
        hint=_SERVER_HINT + " Raise the timeout for a slow link.",
        reason="timeout",
    )


def _auth_failed(user: str, url: URL, detail: str = "") -> DatabaseConnectionError:
    return DatabaseConnectionError(
        f"Authentication failed for user '{user}' on the {_where(url)}{detail}.",
        hint=_AUTH_HINT,
        reason="authentication",
    )


def _no_database(name: str, url: URL) -> DatabaseConnectionError:
    return DatabaseConnectionError(
        f"Database '{name}' does not exist on the {_where(url)}.",
        hint=f"Check the database name in the URL, or create it: CREATE DATABASE {name};",
        reason="database",
    )


def _where(url: URL) -> str:
    """'PostgreSQL server at db.example.com:5432' (or the SQLite file)."""
    label = dialect_label(url)
    if url.get_backend_name() == "sqlite":
        return f"SQLite database {url.database or ':memory:'}"
    host = url.host or _odbc_server(url)
    if not host:
        return f"{label} server"
    port = url.port or _DEFAULT_PORTS.get(url.get_backend_name())
    if url.host is None or port is None:  # an ODBC Server= value carries its own port
        return f"{label} server at {host}"
    return f"{label} server at {host}:{port}"


def _odbc_pairs(url: URL) -> dict[str, str]:
    odbc = url.query.get("odbc_connect")
    if not isinstance(odbc, str):
        return {}
    try:
        return {key.lower(): value for key, value in parse_odbc_string(odbc).items()}
    except ValueError:
        return {}


def _odbc_server(url: URL) -> str | None:
    return _odbc_pairs(url).get("server")


def _odbc_driver(url: URL) -> str | None:
    driver = _odbc_pairs(url).get("driver")
    return f"'{driver}'" if driver else None


def _quoted(message: str, pattern: str) -> str | None:
    match = re.search(pattern, message)
    return match.group(1) if match else None


def _first_line(orig: BaseException, secret: str | None) -> str:
    args: tuple[Any, ...] = getattr(orig, "args", ())
    # pymysql and pyodbc: (code, message)
    message = str(args[1]) if len(args) == 2 and isinstance(args[1], str) else str(orig)
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    line = lines[0] if lines else type(orig).__name__
    if secret:
        line = line.replace(secret, "***")
    return mask_secrets(line).rstrip(".") + "."
