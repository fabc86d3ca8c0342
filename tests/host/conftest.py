"""Fixtures for the in-process host tests (see hostkit.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from db_fixtures import create_employees_table
from hostkit import (
    ADMIN,
    Backdoor,
    detected_columns,
    make_connector,
    memory_store,
    prepare_home,
    sql_store,
    sqlite_database,
)

from ecmactl.config.models import Connector
from ecmactl.home import Home
from ecmactl.host import Host, MemoryRowStore
from ecmactl.rowstore import RowStore


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # uvicorn's loop; the host uses asyncio tasks


@dataclass
class Env:
    """A host on one connector, its store, and a way around the host to its table."""

    home: Home
    connector: Connector
    store: RowStore
    backdoor: Backdoor
    host: Host
    backend: str

    @property
    def memory(self) -> MemoryRowStore:
        assert isinstance(self.store, MemoryRowStore), "a memory-store-only test"
        return self.store

    @property
    def runtime(self) -> Any:
        return self.host.runtimes[self.connector.name]

    @property
    def syncer(self) -> Any:
        return self.host.syncers[self.connector.name]


EnvFactory = Callable[..., Env]


@pytest.fixture(
    params=[
        pytest.param("memory"),
        pytest.param("sqlite"),
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ]
)
def backend(request: pytest.FixtureRequest) -> str:
    """The same test on the in-memory store and on real databases (PostgreSQL and MariaDB
    when ECMACTL_TEST_POSTGRES_URL / ECMACTL_TEST_MARIADB_URL name a server)."""
    return str(request.param)


@pytest.fixture
def make_env(home: Home, request: pytest.FixtureRequest) -> Iterator[EnvFactory]:
    """``make_env(backend="memory", rows=None, **connector options)`` → an Env (not started)."""
    backdoors: list[Backdoor] = []

    def build(
        backend: str = "memory", rows: list[dict[str, Any]] | None = None, **options: Any
    ) -> Env:
        url: str | None = None
        if backend == "memory":
            connector = make_connector(**options)
            settings = prepare_home(home, [connector])
            store: RowStore = memory_store(connector, rows)
        else:
            if backend == "sqlite":
                home.root.mkdir(parents=True, exist_ok=True)
                url = sqlite_database(home)
            else:
                url = str(request.getfixturevalue(f"{backend}_url"))
                create_employees_table(url)
            columns = detected_columns(url)
            connector = make_connector(database_url=url, columns=columns, **options)
            settings = prepare_home(home, [connector])
            store = sql_store(connector, home)
        host = Host(home, settings, [connector], stores={connector.name: store}, admin_token=ADMIN)
        backdoor = Backdoor(store, url)
        backdoors.append(backdoor)
        return Env(home, connector, store, backdoor, host, backend)

    yield build
    for backdoor in backdoors:
        backdoor.close()


@pytest.fixture
def env(make_env: EnvFactory, backend: str) -> Env:
    return make_env(backend)


@pytest.fixture
def mem_env(make_env: EnvFactory) -> Env:
    return make_env("memory")
