"""Engines for the host's row stores: durable SQLite, strict MariaDB, pools sized for the host.

- SQLite: WAL (readers never wait for the writer), ``synchronous=FULL`` (a commit that returned
  survives a power cut), ``busy_timeout`` (concurrent writers queue instead of failing), foreign
  keys on, and the label converters that normalise values inside the sqlite3 module. The file
  is opened read-write and never created.
- PostgreSQL and MariaDB/MySQL: ``pool_pre_ping`` (a restarted server or a dropped connection
  costs one retry, not an error), a pool for the host's worker threads, statement and lock
  timeouts so a stuck database answers "unavailable" rather than hanging a request, and
  MariaDB's STRICT mode so over-long or invalid values are refused, never silently truncated.
"""

from __future__ import annotations

import contextlib
import math
import sqlite3
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine

from ecmactl.sql.connect import make_engine, sqlite_path
from ecmactl.sql.row_values import register_sqlite_converters
from ecmactl.sql.urls import parse_database_url

# Execution option: the engine runs real SQLite transactions (BEGIN emitted by us, savepoints
# work), so a store may group concurrent writes.
GROUP_COMMIT = "ecmactl_group_commit"

POOL_SIZE = 16  # the host serves 16+ concurrent requests from a thread pool
MAX_OVERFLOW = 16  # bursts: imports and syncs beside a full set of writers
STATEMENT_TIMEOUT_S = 60  # PostgreSQL statement_timeout; MariaDB: socket read/write timeouts
LOCK_TIMEOUT_S = 10  # a write waiting longer on a row lock answers "unavailable, retry"


def store_engine(
    url: str | URL,
    *,
    user: str | None = None,
    password: str | None = None,
    connect_timeout: float = 5,
    data_source_time_zone: str = "UTC",
) -> Engine:
    """An Engine configured for a ``SqlRowStore`` (connects lazily).

    ``connect_timeout`` is also SQLite's busy timeout: how long a write waits for another
    writer's lock before the store reports the database unavailable. Raises UsageError or
    DatabaseConnectionError (from ``make_engine``) for a bad URL or a missing driver.
    """
    parsed = parse_database_url(url, user=user, password=password)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(parsed, connect_timeout)
    # make_engine checks the URL and the driver and says how to fix them; the host's own
    # pool and session settings need an engine of their own.
    make_engine(parsed, connect_timeout=connect_timeout).dispose()
    if backend == "postgresql":
        args = _postgres_args(parsed, connect_timeout, data_source_time_zone)
    elif backend in ("mysql", "mariadb"):
        args = _mysql_args(parsed, connect_timeout, data_source_time_zone)
    else:  # SQL Server (pyodbc): the generic engine
        return make_engine(parsed, connect_timeout=connect_timeout)
    return create_engine(
        parsed,
        connect_args=args,
        pool_pre_ping=True,
        pool_recycle=1800,
        pool_size=POOL_SIZE,
        max_overflow=MAX_OVERFLOW,
        pool_timeout=max(10.0, connect_timeout),
    )


def _sqlite_engine(url: URL, busy_timeout: float) -> Engine:
    path = sqlite_path(url)
    own_transactions = False
    if path is None or url.query:  # :memory:, or options the user hands to sqlite3 directly
        engine = make_engine(url, connect_timeout=busy_timeout)
    else:
        own_transactions = True
        register_sqlite_converters()
        # mode=rw: a typo in the path must not become an empty database.
        uri = path.absolute().as_uri() + "?mode=rw"

        def connect() -> sqlite3.Connection:
            return sqlite3.connect(
                uri,
                uri=True,
                check_same_thread=False,
                timeout=busy_timeout,
                # Only column labels like "X [ecmactl_bool]" trigger a converter.
                detect_types=sqlite3.PARSE_COLNAMES,
            )

        engine = create_engine(
            url,
            creator=connect,
            pool_size=POOL_SIZE,
            max_overflow=MAX_OVERFLOW,
            pool_timeout=max(10.0, busy_timeout),
        )
    busy_ms = max(0, round(busy_timeout * 1000))

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        if own_transactions:
            # The sqlite3 module's implicit BEGIN breaks SAVEPOINT; we emit BEGIN (on_begin).
            dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
            mode = str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower()
            if mode not in ("wal", "memory"):
                # Persistent in the file: the first connection switches it. If another process
                # holds a lock now, the rollback journal still works; a later connection retries.
                with contextlib.suppress(sqlite3.OperationalError):
                    cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    def on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")  # writes emit their own BEGIN IMMEDIATE (sqlite_writes)

    event.listen(engine, "connect", on_connect)
    if own_transactions:
        event.listen(engine, "begin", on_begin)
        engine = engine.execution_options(**{GROUP_COMMIT: True})
    return engine


def _postgres_args(url: URL, timeout: float, zone: str) -> dict[str, Any]:
    options = [
        f"-c statement_timeout={STATEMENT_TIMEOUT_S * 1000}",
        f"-c lock_timeout={LOCK_TIMEOUT_S * 1000}",
    ]
    known = _known_zone(zone)
    if known is not None:
        # Naive timestamps (CURRENT_TIMESTAMP defaults) are then in the data source time zone.
        options.append(f"-c TimeZone={known}")
    given = url.query.get("options")
    if isinstance(given, str) and given:
        options.insert(0, given)
    return {
        "connect_timeout": max(1, math.ceil(timeout)),  # libpq takes whole seconds
        "options": " ".join(options),
        "application_name": "ecmactl",
        # A server that vanished without closing the socket is noticed within about a minute.
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 10,
        "keepalives_count": 3,
    }


def _mysql_args(url: URL, timeout: float, zone: str) -> dict[str, Any]:
    settings = [
        # Refuse rather than truncate; keep the server's other modes (ANSI_QUOTES…).
        "sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'STRICT_ALL_TABLES')",
        f"innodb_lock_wait_timeout = {LOCK_TIMEOUT_S}",
    ]
    if _known_zone(zone) == "UTC":  # named zones need the server's time zone tables
        # TIMESTAMP columns are read in the session's zone; make it the data source's.
        settings.append("time_zone = '+00:00'")
    return {
        "connect_timeout": timeout,
        "read_timeout": STATEMENT_TIMEOUT_S,
        "write_timeout": STATEMENT_TIMEOUT_S,
        "init_command": "SET SESSION " + ", ".join(settings),
    }


def _known_zone(zone: str) -> str | None:
    """The IANA name of the data source time zone, or None when it is not a valid one."""
    if zone.upper() in ("UTC", "Z", "ETC/UTC"):
        return "UTC"
    if not zone or not all(c.isalnum() or c in "/_+-" for c in zone):
        return None
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return zone
