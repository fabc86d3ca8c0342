"""SqlRowStore on SQLite, PostgreSQL and MariaDB against the one RowStore contract suite
(``ecmactl.rowstore_contract``; the memory store runs it in tests/host/test_host_memory_store.py).

The outage: PostgreSQL and MariaDB are reached through a TCP proxy that is switched off (every
connection dropped, new ones refused); SQLite's table is renamed away (a file cannot be taken
from a process that holds it open), which the store reports as unavailable too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from db_fixtures import EMPLOYEE_ROWS, TcpProxy, create_employees_table, employees_connector

from ecmactl.config.models import Connector
from ecmactl.rowstore import RowStore
from ecmactl.rowstore_contract import RowStoreContract, SampleTable
from ecmactl.sql.connect import make_engine
from ecmactl.sql.rows import SqlRowStore

OpenStore = Callable[..., SqlRowStore]


class TestSqliteRowStore(RowStoreContract):
    @pytest.fixture
    def sample(self, sqlite_url: str, open_row_store: OpenStore) -> SampleTable:
        return sqlite_sample(sqlite_url, open_row_store)


@pytest.mark.postgres
class TestPostgresRowStore(RowStoreContract):
    @pytest.fixture
    def sample(self, postgres_url: str, open_row_store: OpenStore) -> Iterator[SampleTable]:
        yield from server_sample(postgres_url, open_row_store)


@pytest.mark.mariadb
class TestMariadbRowStore(RowStoreContract):
    @pytest.fixture
    def sample(self, mariadb_url: str, open_row_store: OpenStore) -> Iterator[SampleTable]:
        yield from server_sample(mariadb_url, open_row_store)


def sqlite_sample(url: str, open_row_store: OpenStore) -> SampleTable:
    create_employees_table(url)

    @contextmanager
    def table_gone(_store: RowStore) -> Iterator[None]:
        _rename_table(url, "Employees", "Gone")
        try:
            yield
        finally:
            _rename_table(url, "Gone", "Employees")

    return SampleTable(employees_connector(url), EMPLOYEE_ROWS, open_row_store, table_gone)


def server_sample(url: str, open_row_store: OpenStore) -> Iterator[SampleTable]:
    create_employees_table(url)
    with TcpProxy.to(url) as proxy:

        @contextmanager
        def proxy_off(_store: RowStore) -> Iterator[None]:
            proxy.stop()
            try:
                yield
            finally:
                proxy.start()  # the same port

        def open_store(connector: Connector) -> RowStore:
            return open_row_store(connector, connect_timeout=2)

        yield SampleTable(
            employees_connector(proxy.url_through(url)), EMPLOYEE_ROWS, open_store, proxy_off
        )


def _rename_table(url: str, old: str, new: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f'ALTER TABLE "{old}" RENAME TO "{new}"')
    finally:
        engine.dispose()
