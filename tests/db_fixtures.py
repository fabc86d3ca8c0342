"""pytest plugin: real databases for tests (loaded by conftest.py's ``pytest_plugins``).

``sqlite_url`` is always available. ``postgres_url`` and ``mariadb_url`` need a server named by
ECMACTL_TEST_POSTGRES_URL / ECMACTL_TEST_MARIADB_URL, for example
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres`` and
``mysql+pymysql://root@127.0.0.1:3306/test``. Each test gets a fresh database
(``ecmactl_test_<random>``) that is dropped afterwards. Unset variable: skipped locally, a
failure when CI=true (so CI cannot silently skip them). Set but unreachable: always a failure.

``any_db_url`` runs a test on all three; ``create_employees_table`` creates the sample
Employees table (as in templates/sample/employees.sql) in each dialect's own types.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import MetaData, Table, create_engine, insert
from sqlalchemy.engine import URL, make_url

from ecmactl.config.models import (
    Attribute,
    Connectivity,
    Connector,
    Deprovisioning,
    GlobalSettings,
    Schema,
)
from ecmactl.sql.connect import DatabaseConnectionError, make_engine, sqlite_path
from ecmactl.sql.connect import test_connection as probe_connection
from ecmactl.sql.sample import sample_schema_sql
from ecmactl.sql.schema import detect_columns
from ecmactl.sql.urls import display_url, parse_database_url
from ecmactl.sql.urls import sqlite_url as sqlite_url_for

if TYPE_CHECKING:
    from ecmactl.home import Home
    from ecmactl.sql.rows import SqlRowStore

POSTGRES_ENV = "ECMACTL_TEST_POSTGRES_URL"
MARIADB_ENV = "ECMACTL_TEST_MARIADB_URL"
_EXAMPLES = {
    POSTGRES_ENV: "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
    MARIADB_ENV: "mysql+pymysql://root@127.0.0.1:3306/test",
}
_START_HINTS = {
    POSTGRES_ENV: "Start PostgreSQL (for example: docker run -d -p 5432:5432 "
    "-e POSTGRES_HOST_AUTH_METHOD=trust postgres:16), or unset the variable to skip.",
    MARIADB_ENV: "Start MariaDB (for example: docker run -d -p 3306:3306 "
    "-e MARIADB_ALLOW_EMPTY_ROOT_PASSWORD=1 mariadb:11), or unset the variable to skip.",
}

# The seed rows of templates/sample/employees.sql (test_sql_sample checks they agree).
# fmt: off
EMPLOYEE_COLUMNS = (
    "ContosoLogin", "FirstName", "LastName", "Email", "InternalGUID", "AzureID", "textID",
    "AccountDisabled",
)
_SEED = (
    ("ljacobson", "Lola", "Jacobson", "ljacobson@contoso.com",
     "0b5c4e52-3f3c-4a8e-9c1d-6f1e2a7b9d01", None, "ljacobson", False),
    ("avance", "Adele", "Vance", "avance@contoso.com",
     "1d7f3a90-52b8-4c61-8e4f-2b9c0d3e5f12", None, "avance", False),
    ("mbowen", "Megan", "Bowen", "mbowen@contoso.com",
     "2e8a4b01-63c9-4d72-9f50-3cad1e4f6a23", None, "mbowen", False),
    ("nwilke", "Nestor", "Wilke", "nwilke@contoso.com",
     "3f9b5c12-74da-4e83-a061-4dbe2f507b34", None, "nwilke", False),
    ("pgupta", "Pradeep", "Gupta", None,
     "40ac6d23-85eb-4f94-b172-5ecf30618c45", None, "pgupta", True),
)
# fmt: on
EMPLOYEE_ROWS: list[dict[str, Any]] = [dict(zip(EMPLOYEE_COLUMNS, r, strict=True)) for r in _SEED]

_POSTGRES_EMPLOYEES = (
    """
    CREATE TABLE "Employees" (
        "ContosoLogin"    VARCHAR(128) NOT NULL UNIQUE,
        "FirstName"       VARCHAR(50)  NOT NULL,
        "LastName"        VARCHAR(50)  NOT NULL,
        "Email"           VARCHAR(128) NULL,
        "InternalGUID"    UUID         NULL DEFAULT gen_random_uuid(),
        "AzureID"         UUID         NULL,
        "textID"          VARCHAR(128) NULL,
        "AccountDisabled" BOOLEAN      NOT NULL DEFAULT FALSE,
        "LastModified"    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
    )
    """,
    """
    CREATE FUNCTION "Employees_touch"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW."LastModified" IS NOT DISTINCT FROM OLD."LastModified" THEN
            NEW."LastModified" := CURRENT_TIMESTAMP;
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER "Employees_LastModified" BEFORE UPDATE ON "Employees"
    FOR EACH ROW EXECUTE FUNCTION "Employees_touch"()
    """,
)
_MARIADB_EMPLOYEES = (
    """
    CREATE TABLE `Employees` (
        `ContosoLogin`    VARCHAR(128) NOT NULL UNIQUE,
        `FirstName`       VARCHAR(50)  NOT NULL,
        `LastName`        VARCHAR(50)  NOT NULL,
        `Email`           VARCHAR(128) NULL,
        `InternalGUID`    CHAR(36)     NULL DEFAULT (UUID()),
        `AzureID`         CHAR(36)     NULL,
        `textID`          VARCHAR(128) NULL,
        `AccountDisabled` BOOLEAN      NOT NULL DEFAULT 0,
        `LastModified`    TIMESTAMP(3) NOT NULL
                          DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
    """,
)


def create_employees_table(url: str, *, seed: bool = True) -> None:
    """Create the sample Employees table at ``url`` (SQLite: the template itself)."""
    path = sqlite_path(url)
    if path is not None:
        with sqlite3.connect(path) as conn:
            conn.executescript(sample_schema_sql())
            if not seed:
                conn.execute("DELETE FROM Employees")
        return
    engine = make_engine(url)
    try:
        ddl = _POSTGRES_EMPLOYEES if engine.dialect.name == "postgresql" else _MARIADB_EMPLOYEES
        with engine.begin() as conn:
            for statement in ddl:
                conn.exec_driver_sql(statement)
            if seed:
                table = Table("Employees", MetaData(), autoload_with=conn)
                conn.execute(
                    insert(table), [_for_dialect(row, engine.dialect.name) for row in EMPLOYEE_ROWS]
                )
    finally:
        engine.dispose()


def _for_dialect(row: dict[str, Any], dialect: str) -> dict[str, Any]:
    if dialect != "postgresql":
        return row
    return {k: uuid.UUID(v) if k.endswith(("GUID", "AzureID")) and v else v for k, v in row.items()}


# -- fixtures --------------------------------------------------------------------------------


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh, empty SQLite database file (ecmactl never creates missing files itself)."""
    path = tmp_path / "test.db"
    sqlite3.connect(path).close()
    return sqlite_url_for(path)


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """ECMACTL_TEST_POSTGRES_URL, checked once: for tests that need the server, not a database."""
    return _reachable_server(POSTGRES_ENV)


@pytest.fixture(scope="session")
def mariadb_server_url() -> str:
    """ECMACTL_TEST_MARIADB_URL, checked once: for tests that need the server, not a database."""
    return _reachable_server(MARIADB_ENV)


@pytest.fixture
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    """A fresh PostgreSQL database on the server of ECMACTL_TEST_POSTGRES_URL."""
    yield from _fresh_database(postgres_server_url)


@pytest.fixture
def mariadb_url(mariadb_server_url: str) -> Iterator[str]:
    """A fresh MariaDB/MySQL database on the server of ECMACTL_TEST_MARIADB_URL."""
    yield from _fresh_database(mariadb_server_url)


@pytest.fixture(
    params=[
        pytest.param("sqlite"),
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ]
)
def any_db_url(request: pytest.FixtureRequest) -> str:
    """The same test on SQLite, PostgreSQL and MariaDB."""
    url: str = request.getfixturevalue(f"{request.param}_url")
    return url


@pytest.fixture
def employees_url(any_db_url: str) -> str:
    """any_db_url with the sample Employees table, seeded."""
    create_employees_table(any_db_url)
    return any_db_url


def _reachable_server(env: str) -> str:
    server = _server_url(env)
    # MariaDB: the database in the URL need not exist; the fixtures create their own.
    probe = server if server.get_backend_name() == "postgresql" else server._replace(database=None)
    try:
        probe_connection(probe, timeout=3)
    except DatabaseConnectionError as exc:
        pytest.fail(
            f"{env}={display_url(server)} is set but the server is not usable: {exc.message} "
            + _START_HINTS[env],
            pytrace=False,
        )
    return server.render_as_string(hide_password=False)


def _fresh_database(server_url: str) -> Iterator[str]:
    server = make_url(server_url)
    name = f"ecmactl_test_{secrets.token_hex(4)}"
    is_postgres = server.get_backend_name() == "postgresql"
    # MariaDB: the admin connection must not depend on a database that may not exist.
    admin_url = server if is_postgres else server._replace(database=None)
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    quoted = admin.dialect.identifier_preparer.quote(name)
    try:
        with admin.connect() as conn:
            suffix = "" if is_postgres else " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
            conn.exec_driver_sql(f"CREATE DATABASE {quoted}{suffix}")
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            force = " WITH (FORCE)" if is_postgres else ""  # a test may leak a connection
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {quoted}{force}")
        admin.dispose()


def _server_url(env: str) -> URL:
    value = os.environ.get(env, "").strip()
    if not value:
        if os.environ.get("CI") == "true":
            pytest.fail(
                f"{env} is not set, and CI must run the database tests: set it to the "
                f"server's URL, for example {env}={_EXAMPLES[env]}",
                pytrace=False,
            )
        pytest.skip(f"{env} is not set")
    return parse_database_url(value)


# -- row store helpers (tests/sql/test_rows*.py; usable by host tests) -----------------------


def connector_for(url: str, table: str, anchor: str, **overrides: Any) -> Connector:
    """A connector on ``table`` at ``url`` whose columns are detected from the database itself
    (so each dialect's own types are used); every column is selected unless ``attributes``
    (a list of column names) says otherwise."""
    engine = make_engine(url)
    try:
        columns = detect_columns(engine, table)
    finally:
        engine.dispose()
    selected = overrides.pop("attributes", None) or [c.name for c in columns]
    return Connector(
        name=overrides.pop("name", "test"),
        connectivity=overrides.pop("connectivity", None) or Connectivity(database_url=url),
        schema=Schema(table=table, anchor=anchor, columns=columns),
        attributes=[Attribute(column=name) for name in selected],
        **overrides,
    )


def employees_connector(url: str, **overrides: Any) -> Connector:
    """The sample connector (wizard's --sample answers) on the Employees table at ``url``:
    disable flow "Set attribute value" on AccountDisabled, LastModified as the watermark."""
    overrides.setdefault(
        "attributes",
        ["ContosoLogin", "FirstName", "LastName", "Email", "InternalGUID", "AzureID", "textID"],
    )
    overrides.setdefault(
        "deprovisioning",
        Deprovisioning(disable_flow="Set attribute value", disable_attribute="AccountDisabled"),
    )
    overrides.setdefault(
        "global_", GlobalSettings(delta_strategy="Watermark", watermark_column="LastModified")
    )
    return connector_for(url, "Employees", "ContosoLogin", **overrides)


class TcpProxy:
    """A loopback TCP proxy in front of a database server, to stage an outage.

    ``stop()`` drops every proxied connection (the client sees the server hang up) and refuses
    new ones; ``start()`` serves again on the same port. Use as a context manager.
    """

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0  # chosen by the first start(), kept afterwards
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._accepting: threading.Thread | None = None
        self._open: set[socket.socket] = set()

    @classmethod
    def to(cls, url: str) -> TcpProxy:
        parsed = make_url(url)
        default = 5432 if parsed.get_backend_name() == "postgresql" else 3306
        return cls(parsed.host or "127.0.0.1", parsed.port or default)

    def url_through(self, url: str) -> str:
        """``url`` with host and port replaced by the proxy's."""
        parsed = make_url(url).set(host="127.0.0.1", port=self.port)
        return parsed.render_as_string(hide_password=False)

    def start(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        with self._lock:
            self._listener = listener
        self._accepting = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        self._accepting.start()

    def stop(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            sockets, self._open = self._open, set()
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
            listener.close()
        for sock in sockets:
            _hang_up(sock)
        if self._accepting is not None:
            self._accepting.join(timeout=5)

    def __enter__(self) -> TcpProxy:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                if self._listener is not listener:  # stopped while connecting
                    _hang_up(client)
                    _hang_up(upstream)
                    return
                self._open.update((client, upstream))
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:  # one side hung up: so does the other
            with self._lock:
                self._open.difference_update((src, dst))
            _hang_up(src)
            _hang_up(dst)


def _hang_up(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked in recv() on it
    sock.close()


@pytest.fixture
def open_row_store(home: Home) -> Iterator[Callable[..., SqlRowStore]]:
    """``open_row_store(connector, **kwargs)``: ``SqlRowStore.open`` in the test's home, closed
    after the test (before its database is dropped)."""
    from ecmactl.sql.rows import SqlRowStore

    stores: list[SqlRowStore] = []

    def open_store(connector: Connector, **kwargs: Any) -> SqlRowStore:
        store = SqlRowStore.open(connector, home, **kwargs)
        stores.append(store)
        return store

    yield open_store
    for store in stores:
        store.close()


def account_with_password(
    url: str, password: str, request: pytest.FixtureRequest
) -> tuple[str, str]:
    """A database account that must log in with ``password``; returns (URL without user, user).

    The account is dropped when the test ends (accounts are server-wide, unlike the database).
    """
    from sqlalchemy import text

    user = f"ecma_{secrets.token_hex(4)}"
    parsed = make_url(url)
    engine = make_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"CREATE ROLE {user} LOGIN PASSWORD '{password}'"))
            conn.execute(text(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {user}"))
        else:
            conn.execute(text(f"CREATE USER '{user}'@'%' IDENTIFIED BY '{password}'"))
            conn.execute(text(f"CREATE USER '{user}'@'localhost' IDENTIFIED BY '{password}'"))
            for host in ("%", "localhost"):
                conn.execute(text(f"GRANT ALL ON `{parsed.database}`.* TO '{user}'@'{host}'"))
    engine.dispose()

    def drop() -> None:
        cleanup = make_engine(url)
        with cleanup.begin() as conn:
            if cleanup.dialect.name == "postgresql":
                conn.execute(text(f"DROP OWNED BY {user}"))
                conn.execute(text(f"DROP ROLE {user}"))
            else:
                for host in ("%", "localhost"):
                    conn.execute(text(f"DROP USER IF EXISTS '{user}'@'{host}'"))
        cleanup.dispose()

    request.addfinalizer(drop)
    bare = parsed.set(username=None, password=None).render_as_string(hide_password=False)
    return bare, user
