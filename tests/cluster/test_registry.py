"""The host registry against real databases: a member that leaves deletes only its own row,
never the row of the member that replaced it under the same host id (a reload)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Column, MetaData, Table
from sqlalchemy.engine import Engine

from ecmactl.cluster.registry import Registry
from ecmactl.cluster.tables import define, ensure_tables
from ecmactl.sql.connect import make_engine
from ecmactl.status_document import ClusterHost, ClusterStatus

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


def test_a_registry_table_from_an_older_ecmactl_gains_the_new_columns(
    request: pytest.FixtureRequest, hosts_url: str
) -> None:
    """Hosts of a new version join a registry an older one created (without ``instance``,
    ``lag_ms`` and ``pending``): the missing nullable columns are added on first use."""
    from sqlalchemy import inspect

    engine = make_engine(hosts_url)
    request.addfinalizer(engine.dispose)
    hosts, _ = define(MetaData())
    new_columns = {"instance", "lag_ms", "pending"}
    older = Table(
        hosts.name,
        MetaData(),
        *[
            Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable)
            for c in hosts.columns
            if c.name not in new_columns
        ],
    )
    older.create(engine)
    assert ensure_tables(engine, [hosts]) == []  # nothing created: the table was there
    with engine.connect() as conn:
        present = {c["name"] for c in inspect(conn).get_columns(hosts.name)}
    assert new_columns <= present
    registry = member(engine, hosts, "a:1")
    registry.register()
    registry.heartbeat(lag_ms=12.5, pending=3)
    assert ensure_tables(engine, [hosts]) == []  # a second host: nothing left to add
    (row,) = registry.hosts()
    assert (row.lag_ms, row.pending) == (12.5, 3)


def test_every_hosts_cache_lag_is_in_the_status_of_the_others(
    hosts_table: tuple[Engine, Table],
) -> None:
    from ecmactl.cluster.report import cluster_lines

    engine, hosts = hosts_table
    mine = member(engine, hosts, "a:1")
    other = Registry(engine, hosts, host_id="h2", connector="SQL", address="b:1", version="0")
    mine.register()
    other.register()
    other.heartbeat(lag_ms=40.0, pending=2)
    mine.heartbeat(lag_ms=None, pending=0)
    rows: dict[str, ClusterHost] = {
        h.address: h.to_status(this_host=h.host_id == "h1") for h in mine.hosts()
    }
    assert rows["b:1"]["lag_ms"] == 40.0 and rows["b:1"]["pending"] == 2
    assert rows["a:1"]["lag_ms"] is None and rows["a:1"]["pending"] == 0
    section: ClusterStatus = {
        "host_id": "h1",
        "connectors": {
            "SQL": {
                "enabled": True,
                "problem": None,
                "feed_connected": True,
                "changes_applied": 0,
                "resyncs": 0,
                "feed_lag_ms": {"p50": None, "p99": None, "max": None},
                "negative_cache": {"entries": 0, "hits": 0},
                "hosts": list(rows.values()),
            }
        },
    }
    (line,) = cluster_lines(section)
    assert "b:1 (active, 0, lag p99 40.0 ms, 2 pending)" in line


@pytest.fixture(params=SERVERS)
def hosts_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(request.param)
    return url
