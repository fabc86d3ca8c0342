"""Read-through on a cache miss against a real PostgreSQL database: a row another host deletes
while this host is reading it through never comes back into the cache."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import anyio
import anyio.to_thread
import pytest
from db_fixtures import create_employees_table, employees_connector

from ecmactl.cluster.member import ClusterMember
from ecmactl.home import Home
from ecmactl.host.runtime import Runtime
from ecmactl.host.sync import Syncer
from ecmactl.sql.rows import SqlRowStore


@pytest.mark.postgres
def test_a_row_deleted_during_a_filter_read_through_is_not_cached(
    postgres_url: str, home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_employees_table(postgres_url)
    connector = employees_connector(postgres_url)
    other = SqlRowStore.open(connector, home)  # host B, writing past this host's cache
    store = SqlRowStore.open(connector, home)
    member = ClusterMember(connector, host_id="hA", address="a:1", version="0")
    read, go_on = threading.Event(), threading.Event()
    reader = store.read_rows_by

    def read_then_wait(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        rows = reader(*args, **kwargs)
        read.set()  # the row is read, no lock held: B deletes it now
        assert go_on.wait(10)
        return rows

    async def scenario() -> tuple[int, bool]:
        member.loop = asyncio.get_running_loop()
        runtime = Runtime(connector, lambda: member.attach(store), limiter=anyio.CapacityLimiter(8))
        runtime.cluster = member
        await Syncer(runtime, time.monotonic).full_import()
        assert runtime.cache is not None and runtime.clustered
        row = await anyio.to_thread.run_sync(
            other.insert, {"ContosoLogin": "ghost", "FirstName": "G", "LastName": "H"}
        )
        anchor = row["ContosoLogin"]
        monkeypatch.setattr(store, "read_rows_by", read_then_wait)

        async def b_deletes_and_a_applies_the_feed() -> None:
            assert await anyio.to_thread.run_sync(read.wait, 10)
            await anyio.to_thread.run_sync(other.delete, anchor)
            await runtime.refresh_row(anchor)  # what the member does on B's delete notice
            go_on.set()

        async with anyio.create_task_group() as group:
            group.start_soon(b_deletes_and_a_applies_the_feed)
            found = await runtime.read_through_by(("ContosoLogin", False), "ghost")
        return len(found), runtime.cache.get(anchor) is not None

    try:
        found, cached = asyncio.run(scenario())
    finally:
        member.close()
        store.close()
        other.close()
    assert found == 0 and not cached


@pytest.mark.postgres
def test_a_host_alone_on_its_database_skips_the_read_through_until_another_writes(
    postgres_url: str, home: Home
) -> None:
    """Entra's initial cycle on a single host is all misses: once it has been alone for a while
    with its feed live, a miss costs no query; another host's change ends that at once."""
    from ecmactl.cluster.change_feed import Change
    from ecmactl.cluster.registry import STALE_S

    create_employees_table(postgres_url)
    connector = employees_connector(postgres_url)
    store = SqlRowStore.open(connector, home)
    member = ClusterMember(connector, host_id="hA", address="a:1", version="0")

    async def scenario() -> list[bool]:
        member.loop = asyncio.get_running_loop()
        member.attach(store)
        assert member.enabled and member.feed_live
        seen = [member.alone]  # just joined: another host may not be registered yet
        member._joined_at = time.monotonic() - STALE_S - 1  # as if joined a while ago
        seen.append(member.alone)
        member._deliver(Change(table=member.table, anchor="x", op="upsert", host="hB"))
        seen.append(member.alone)  # hB writes here, whatever the registry says
        return seen

    try:
        seen = asyncio.run(scenario())
    finally:
        member.close()
        store.close()
    assert seen == [False, True, False]


@pytest.mark.postgres
def test_a_connector_on_procedures_or_queries_says_it_runs_on_one_host(
    postgres_url: str, home: Home, caplog: pytest.LogCaptureFixture
) -> None:
    from run_step_fixtures import query_steps

    from ecmactl.sql.routine_rows import RoutineRowStore

    create_employees_table(postgres_url)
    connector = query_steps(employees_connector(postgres_url), "postgresql")
    store = RoutineRowStore.open(connector, home)
    member = ClusterMember(connector, host_id="hA", address="a:1", version="0")
    try:
        with caplog.at_level("WARNING", logger="ecmactl.host"):
            member.attach(store)
    finally:
        member.close()
        store.close()
    assert not member.enabled and not member.shares_database
    assert member.problem is not None and "runs on one host" in member.problem
    assert any("runs on one host" in r.getMessage() for r in caplog.records)
