"""Host.reload in process: what a reload cannot apply live says so, a retired
runtime never reopens its store, and a reload never outlives the host's shutdown."""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
import threading
from typing import Any

import anyio
import pytest
from hostkit import make_connector, memory_store, prepare_home, running, sqlite_database

from ecmactl.config.store import save_settings
from ecmactl.errors import ConfigError
from ecmactl.home import Home
from ecmactl.host import Host, app
from ecmactl.host.http import RETRY_AFTER
from ecmactl.host.reload import NewConfig, read_config
from ecmactl.host.runtime import RuntimeRetired
from ecmactl.invocation import Invocation, command
from ecmactl.invocation import running as running_cli

pytestmark = pytest.mark.anyio


async def test_a_limits_change_needs_a_restart(home: Home) -> None:
    connector = make_connector()
    settings = prepare_home(home, [connector])
    host = Host(home, settings, [connector], stores={"contoso": memory_store(connector)})
    async with running(host):
        limits = dataclasses.replace(settings.limits, max_connections=50)
        save_settings(home, dataclasses.replace(settings, limits=limits))
        result = await host.reload()
    assert result.result == "ok", result.error
    assert result.restart_needed == ["limits"]  # the listener and edge were built at start
    assert host.settings.limits == settings.limits  # so a later reload still says so


async def test_a_retired_runtime_never_reopens_its_store(home: Home) -> None:
    """A request that took a connector's runtime before a reload removed (or replaced) it must
    not reopen the closed store and write to the old database: 503 + Retry-After instead."""
    kept, removed = make_connector(), make_connector(name="other")
    settings = prepare_home(home, [kept, removed])
    stores = {c.name: memory_store(c) for c in (kept, removed)}
    host = Host(home, settings, [kept, removed], stores=stores)  # type: ignore[arg-type]
    async with running(host):
        old = host.runtimes["other"]
        home.connector_path("other").unlink()
        result = await host.reload()
        assert result.changes["removed"] == ["other"], result.error
        await asyncio.gather(*host._closing)  # the old store is closed once idle
        assert old.store is None
        rows = len(stores["other"].snapshot())
        with pytest.raises(RuntimeRetired):
            await old.write("insert", {"ContosoLogin": "late", "FirstName": "A", "LastName": "B"})
        assert old.store is None and len(stores["other"].snapshot()) == rows
        scope = {"type": "http", "method": "POST", "path": "/ecma2host_other/scim/Users"}
        reply = host.scim._failure(RuntimeRetired("other"), old, scope)
    assert reply.status == 503
    assert (b"retry-after", RETRY_AFTER) in reply.headers


async def test_a_reload_that_ends_during_shutdown_starts_nothing(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGHUP, then SIGTERM while the reload still reads the config: after shutdown no loop
    runs and no store is open (the reload is refused, not applied behind the shutdown)."""
    kept, added = make_connector(), make_connector(name="other")
    settings = prepare_home(home, [kept, added])
    stores = {c.name: memory_store(c) for c in (kept, added)}
    host = Host(home, settings, [kept], stores=stores)  # type: ignore[arg-type]
    entered, release = threading.Event(), threading.Event()

    def held_read(*args: Any) -> NewConfig:
        entered.set()
        assert release.wait(10)
        return NewConfig(settings, [kept, added])

    monkeypatch.setattr(app, "read_config", held_read)
    async with running(host):
        reloading = asyncio.create_task(host.reload())
        assert await anyio.to_thread.run_sync(entered.wait, 10)
        stopping = asyncio.create_task(host.shutdown())
        await asyncio.sleep(0)  # let the shutdown begin (one turn of the loop, not a delay)
        release.set()
        result = await reloading
        await stopping
        autosync = [t for t in asyncio.all_tasks() if t.get_name().startswith("ecmactl-autosync")]
        assert autosync == [] and host._tasks == {}
        assert result.result == "refused" and "stopping" in (result.error or "")
        assert "other" not in host.runtimes


def test_a_home_left_without_connectors_names_init_with_this_home(home: Home) -> None:
    connector = make_connector()
    prepare_home(home, [connector])
    home.connector_path(connector.name).unlink()
    with running_cli(Invocation(home_flag=home.root)):
        with pytest.raises(ConfigError) as caught:
            read_config(home, (), {connector.name: connector})
        pasteable = command("init")
    assert "--home" in pasteable  # the home the host serves, as every printed command has it
    assert f"`{pasteable}`" in (caught.value.hint or "")


async def test_a_reload_adding_a_sqlite_connector_claims_its_file(home: Home) -> None:
    """A reload takes the one-host claim on a SQLite file it adds, as a start does: another
    host's file refuses the reload, and a file the reload claimed refuses another host."""
    from ecmactl.cluster.sqlite_claim import SqliteClaims, SqliteInUse

    kept = make_connector()
    settings = prepare_home(home, [kept])
    url = sqlite_database(home)
    taken = make_connector(name="taken", database_url=url.replace("contoso.db", "taken.db"))
    shutil.copy(home.root / "data" / "contoso.db", home.root / "data" / "taken.db")
    added = make_connector(name="added", database_url=url)
    other_host = SqliteClaims()  # another home's host, serving taken.db
    other_host.claim(home.root / "data" / "taken.db", Home(home.root / "elsewhere"), "taken")
    host = Host(home, settings, [kept], stores={"contoso": memory_store(kept)})
    host.sqlite_claims = SqliteClaims()
    try:
        async with running(host):
            prepare_home(home, [kept, taken])
            refused = await host.reload()
            assert refused.result == "refused"
            assert "another ecmactl host serves the SQLite database" in (refused.error or "")
            assert "taken" not in host.runtimes
            home.connector_path("taken").unlink()
            prepare_home(home, [kept, added])
            result = await host.reload()
            assert result.result == "ok", result.error
            assert result.changes["added"] == ["added"]
        with pytest.raises(SqliteInUse):  # a second host on contoso.db now refuses to start
            SqliteClaims().claim(home.root / "data" / "contoso.db", Home(home.root / "b"), "x")
    finally:
        host.sqlite_claims.release()
        other_host.release()


@pytest.mark.postgres
async def test_a_reload_that_removes_a_connector_gives_its_writer_lease_up(
    home: Home, postgres_url: str
) -> None:
    """A removed connector has no successor on this host to adopt its lease: release it, so a
    standby takes over at its next check, not a TTL later."""
    from datetime import timedelta

    from db_fixtures import create_employees_table, employees_connector
    from sqlalchemy import MetaData, update

    from ecmactl.cluster.lease import Lease, database_now
    from ecmactl.cluster.tables import define_lease, ensure_tables
    from ecmactl.sql.connect import make_engine

    create_employees_table(postgres_url, seed=False)
    leased = dataclasses.replace(employees_connector(postgres_url), name="SQL")
    kept = make_connector()
    settings = prepare_home(home, [kept, leased])
    engine = make_engine(postgres_url)
    table = define_lease(MetaData())
    ensure_tables(engine, [table])
    lease = Lease(engine, table, "SQL")
    assert lease.enable()  # lease mode on, switched on long ago (no settling wait)
    with engine.begin() as conn:
        ago = database_now(conn) - timedelta(hours=1)
        conn.execute(update(table).where(table.c.connector == "SQL").values(changed=ago))
    host = Host(
        home, settings, [kept, leased], stores={"contoso": memory_store(kept)}, lease_ttl=30
    )
    try:
        async with running(host):
            with anyio.fail_after(30):
                while (state := lease.read()) is None or state.holder != host.host_id:
                    await anyio.sleep(0.05)  # a poll interval, bounded by fail_after
            home.connector_path("SQL").unlink()
            result = await host.reload()
            assert result.changes["removed"] == ["SQL"], result.error
            await asyncio.gather(*host._closing)
            state = lease.read()
            assert state is not None and state.holder is None and not state.held
    finally:
        engine.dispose()
