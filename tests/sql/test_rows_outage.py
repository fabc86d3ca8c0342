"""SqlRowStore under pressure: a database that goes away mid-run and comes back. No sleeps:
locks and a proxy we switch off and on. (Fifty writers racing for one anchor is part of the row
store contract, ecmactl.rowstore_contract, run on every store.)"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from db_fixtures import TcpProxy, create_employees_table, employees_connector

from ecmactl.rowstore import DatabaseUnavailable
from ecmactl.sql.connect import make_engine
from ecmactl.sql.rows import SqlRowStore
from ecmactl.sql.urls import sqlite_url

OpenStore = Callable[..., SqlRowStore]


def _logins(url: str) -> list[str]:
    """The anchors in the table, read past the store (and past any proxy)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            quote = engine.dialect.identifier_preparer.quote
            sql = f"SELECT {quote('ContosoLogin')} FROM {quote('Employees')}"
            return sorted(str(v) for v in conn.exec_driver_sql(sql).scalars())
    finally:
        engine.dispose()


# -- PostgreSQL and MariaDB: the server goes away ------------------------------------------------


@pytest.fixture(
    params=[
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ]
)
def server_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(f"{request.param}_url")
    create_employees_table(url)
    return url


def test_a_server_outage_is_unavailable_and_the_store_recovers(
    server_url: str, open_row_store: OpenStore
) -> None:
    with TcpProxy.to(server_url) as proxy:
        # A password in the URL must never reach a message (trust/no-password servers ignore it).
        through = proxy.url_through(server_url)
        if "postgresql" in through:
            through = through.replace("postgres@", "postgres:hunter2@")
        store = open_row_store(employees_connector(through), connect_timeout=2)
        assert store.insert({"ContosoLogin": "before", "FirstName": "B", "LastName": "B"})

        proxy.stop()  # every connection dropped, new ones refused
        outage = [
            lambda: store.insert({"ContosoLogin": "during", "FirstName": "D", "LastName": "D"}),
            lambda: store.update("before", {"Email": "lost@contoso.com"}),
            lambda: store.delete("avance"),
            lambda: store.read_row("before"),
            lambda: list(store.iter_rows()),
            lambda: store.changed_since(None),
            store.ping,
        ]
        for call in outage:
            with pytest.raises(DatabaseUnavailable) as info:
                call()
            message = str(info.value)
            assert "\n" not in message and "hunter2" not in message

        proxy.start()  # the same port: the same store works again, by itself
        assert store.insert({"ContosoLogin": "after", "FirstName": "A", "LastName": "A"})
        row = store.update("before", {"Email": "kept@contoso.com"})
        assert row is not None and row["Email"] == "kept@contoso.com"
        assert len([r for b in store.iter_rows() for r in b]) == 7
    # Every acknowledged write is in the database; nothing refused got in.
    logins = _logins(server_url)
    assert {"before", "after"} <= set(logins) and "during" not in logins
    assert "avance" in logins


@pytest.mark.postgres
def test_a_postgres_stream_cut_mid_import_is_unavailable(
    postgres_url: str, open_row_store: OpenStore
) -> None:
    create_employees_table(postgres_url)
    with TcpProxy.to(postgres_url) as proxy:
        store = open_row_store(employees_connector(proxy.url_through(postgres_url)))
        stream = store.iter_rows(batch_size=2)  # a server-side cursor: one FETCH per batch
        assert len(next(stream)) == 2
        proxy.stop()
        with pytest.raises(DatabaseUnavailable):
            next(stream)
        proxy.start()
        assert sum(len(b) for b in store.iter_rows(batch_size=2)) == 5


# -- SQLite: the file is locked, or not there ------------------------------------------------


def test_a_sqlite_lock_held_beyond_the_busy_timeout_is_unavailable(
    sqlite_url: str, open_row_store: OpenStore
) -> None:
    create_employees_table(sqlite_url)
    store = open_row_store(employees_connector(sqlite_url), connect_timeout=0.2)
    assert store.insert({"ContosoLogin": "before", "FirstName": "B", "LastName": "B"})
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    locker = sqlite3.connect(path, isolation_level=None)
    try:
        locker.execute("BEGIN IMMEDIATE")  # another process writing, for too long
        with pytest.raises(DatabaseUnavailable, match="locked"):
            store.insert({"ContosoLogin": "during", "FirstName": "D", "LastName": "D"})
        with pytest.raises(DatabaseUnavailable):
            store.update("before", {"Email": "lost@contoso.com"})
        assert store.read_row("before") is not None  # WAL: readers carry on
        locker.execute("ROLLBACK")
    finally:
        locker.close()
    assert store.insert({"ContosoLogin": "after", "FirstName": "A", "LastName": "A"})
    logins = _logins(sqlite_url)
    assert {"before", "after"} <= set(logins) and "during" not in logins


def test_a_sqlite_file_that_appears_later_is_picked_up(
    tmp_path: Path, open_row_store: OpenStore
) -> None:
    path = tmp_path / "restored.db"
    scratch = tmp_path / "scratch.db"
    sqlite3.connect(scratch).close()
    create_employees_table(sqlite_url(scratch))
    connector = employees_connector(sqlite_url(scratch))
    connector.connectivity.database_url = sqlite_url(path)
    store = open_row_store(connector, connect_timeout=0.2)
    with pytest.raises(DatabaseUnavailable, match="cannot open"):
        store.ping()
    assert not path.exists()  # never created by the store
    scratch.rename(path)  # the backup is restored
    store.ping()
    assert store.insert({"ContosoLogin": "after", "FirstName": "A", "LastName": "A"})
    assert "after" in _logins(sqlite_url(path))
