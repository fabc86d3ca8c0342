"""The host registry against real databases: a member that leaves deletes only its own row,
never the row of the member that replaced it under the same host id (a reload)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import MetaData, Table
from sqlalchemy.engine import Engine

from ecmactl.cluster.registry import Registry
from ecmactl.cluster.tables import define, ensure_tables
from ecmactl.sql.connect import make_engine

SERVERS = [
    pytest.param("postgres_url", marks=pytest.mark.postgres, id="postgresql"),
    pytest.param("mariadb_url", marks=pytest.mark.mariadb, id="mariadb"),
]


@pytest.fixture(params=SERVERS)
def hosts_table(request: pytest.FixtureRequest) -> Iterator[tuple[Engine, Table]]:
    engine = make_engine(request.getfixturevalue(request.param))
    hosts, _ = define(MetaData())
    ensure_tables(engine, [hosts])
    yield engine, hosts
    engine.dispose()


def member(engine: Engine, hosts: Table, address: str) -> Registry:
    return Registry(engine, hosts, host_id="h1", connector="SQL", address=address, version="0")


def test_the_replaced_member_leaving_keeps_the_new_members_row(
    hosts_table: tuple[Engine, Table],
) -> None:
    engine, hosts = hosts_table
    old = member(engine, hosts, "old:1")
    old.register()
    new = member(engine, hosts, "new:1")  # a reload replaced the connector: same host id
    new.register()
    old.deregister()  # the retired runtime closes once idle, after the new one joined
    assert [h.address for h in new.hosts()] == ["new:1"]
    new.deregister()
    assert new.hosts() == []


def test_a_member_that_recreated_its_row_leaves_that_row(
    hosts_table: tuple[Engine, Table],
) -> None:
    """The heartbeat re-creates a row another host pruned; leaving deletes the re-created one."""
    engine, hosts = hosts_table
    registry = member(engine, hosts, "a:1")
    registry.register()
    with engine.begin() as conn:
        conn.execute(hosts.delete())  # pruned by another host after a long outage
    registry.heartbeat()
    assert [h.address for h in registry.hosts()] == ["a:1"]
    registry.deregister()
    assert registry.hosts() == []
