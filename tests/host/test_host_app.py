"""Host: lifespan, /health, the status channel, status() contents."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import anyio
import httpx
import pytest
from conftest import Env
from hostkit import (
    ADMIN,
    ORIGIN,
    ROOT,
    TOKEN,
    lifespan,
    make_connector,
    memory_store,
    prepare_home,
    running,
)

from ecmactl.home import Home
from ecmactl.host import Host

ADMIN_AUTH = {"Authorization": f"Bearer {ADMIN}"}


@pytest.mark.anyio
async def test_health_is_a_bare_liveness_answer(mem_env: Env) -> None:
    async with running(mem_env.host, headers={}) as client:
        r = await client.get("/health")
    assert r.status_code == 200 and r.text == "ok"


@pytest.mark.anyio
async def test_status_channel_needs_the_admin_token(mem_env: Env) -> None:
    async with running(mem_env.host, headers={}) as client:
        none = await client.get("/_ecmactl/status")
        scim_token = await client.get(
            "/_ecmactl/status", headers={"Authorization": f"Bearer {TOKEN}"}
        )
        ok = await client.get("/_ecmactl/status", headers=ADMIN_AUTH)
        sync_get = await client.get("/_ecmactl/sync", headers=ADMIN_AUTH)
        sync = await client.post("/_ecmactl/sync?connector=contoso", headers=ADMIN_AUTH)
        unknown = await client.post("/_ecmactl/sync?connector=nope", headers=ADMIN_AUTH)
        sync_denied = await client.post("/_ecmactl/sync")
    assert none.status_code == 401 and scim_token.status_code == 401
    assert ok.status_code == 200 and "contoso" in ok.json()["connectors"]
    assert sync_get.status_code == 405
    assert sync.status_code == 200, sync.text
    assert sync.json()["connectors"]["contoso"]["result"] == "ok"
    assert unknown.status_code == 404 and "nope" in unknown.json()["detail"]
    assert sync_denied.status_code == 401


@pytest.mark.anyio
async def test_without_an_admin_token_the_status_channel_does_not_exist(home: Home) -> None:
    connector = make_connector()
    settings = prepare_home(home, [connector])
    host = Host(home, settings, [connector], stores={"contoso": memory_store(connector)})
    async with running(host, headers={"Authorization": "Bearer "}) as client:
        r = await client.get("/_ecmactl/status", headers={"Authorization": "Bearer "})
    assert r.status_code == 404


@pytest.mark.anyio
async def test_status_reports_everything_and_no_secret(mem_env: Env) -> None:
    async with running(mem_env.host) as client:
        await client.get(f"{ROOT}/Users/avance")
        await client.get(f"{ROOT}/Users/nobody")
        await client.get(f"{ROOT}/Users", params={"filter": 'userName eq "avance"'})
        await client.get(f"{ROOT}/Users", headers={"Authorization": "Bearer nope-nope-nope"})
        status: Any = mem_env.host.status()
    text = json.dumps(status)
    assert TOKEN not in text and ADMIN not in text
    assert status["uptime_s"] >= 0 and status["started"].endswith("Z")
    c = status["connectors"]["contoso"]
    assert c["state"] == "ready" and c["cache_size"] == 5 and c["cache_loaded"] is True
    assert c["requests"] == {"total": 4, "2xx": 2, "3xx": 0, "4xx": 2, "5xx": 0}
    assert c["autosync_minutes"] == 120 and c["database_reachable"] is True
    assert c["scim_path"] == "/ecma2host_contoso/scim"
    full = c["last_full_import"]
    assert full["result"] == "ok" and full["rows"] == 5 and full["error"] is None
    for key in ("started", "finished"):
        assert datetime.fromisoformat(full[key].replace("Z", "+00:00"))
    next_at = datetime.fromisoformat(c["next_sync_at"].replace("Z", "+00:00"))
    started = datetime.fromisoformat(full["finished"].replace("Z", "+00:00"))
    assert 7100 < (next_at - started).total_seconds() <= 7201
    assert "ContosoLogin (ci)" in c["indexes"]  # userName's index, built at import
    assert c["delta"] == {"strategy": "None", "enabled": False, "watermark": None}


@pytest.mark.anyio
async def test_lifespan_runs_startup_and_shutdown(mem_env: Env) -> None:
    """What uvicorn does: the Starlette lifespan starts the imports and stops everything."""
    transport = httpx.ASGITransport(app=mem_env.host.asgi)
    async with (
        lifespan(mem_env.host.asgi),
        httpx.AsyncClient(
            transport=transport, base_url=ORIGIN, headers={"Authorization": f"Bearer {TOKEN}"}
        ) as client,
    ):
        await mem_env.host.wait_ready()
        r = await client.get(f"{ROOT}/Users/avance")
        assert r.status_code == 200
        assert mem_env.host.status()["connectors"]["contoso"]["next_sync_at"] is not None
    assert mem_env.memory.closed


@pytest.mark.anyio
async def test_several_connectors_each_with_its_own_token(home: Home) -> None:
    first, second = make_connector(), make_connector(name="fabrikam")
    settings = prepare_home(home, [first, second])
    from ecmactl.tokens import set_token

    set_token(home, "fabrikam", "another-token-for-fabrikam", store="file")
    stores: dict[str, Any] = {"contoso": memory_store(first), "fabrikam": memory_store(second, [])}
    host = Host(home, settings, [first, second], stores=stores)
    async with running(host) as client:
        a = await client.get(f"{ROOT}/Users")
        b = await client.get("/ecma2host_fabrikam/scim/Users")
        c = await client.get(
            "/ecma2host_fabrikam/scim/Users",
            headers={"Authorization": "Bearer another-token-for-fabrikam"},
        )
    assert a.json()["totalResults"] == 5
    assert b.status_code == 401
    assert c.status_code == 200 and c.json()["totalResults"] == 0


@pytest.mark.anyio
async def test_startup_returns_before_the_import_finishes(mem_env: Env) -> None:
    import threading

    release = threading.Event()

    def hold() -> None:
        release.wait(10)

    mem_env.memory.hooks["before_select"] = hold
    with anyio.fail_after(5):
        await mem_env.host.startup()
    assert mem_env.host.status()["connectors"]["contoso"]["state"] == "importing"
    release.set()
    await mem_env.host.wait_ready()
    await mem_env.host.shutdown()


@pytest.mark.anyio
async def test_requests_are_served_while_an_index_is_built_lazily(mem_env: Env) -> None:
    async with running(mem_env.host) as client:
        r = await client.get(f"{ROOT}/Users", params={"filter": 'name.familyName eq "VANCE"'})
        await mem_env.host.sync_now()
    assert r.json()["totalResults"] == 1
    assert "LastName (ci)" in mem_env.host.status()["connectors"]["contoso"]["indexes"]


@pytest.mark.anyio
async def test_status_shows_the_rows_an_import_has_read_so_far(
    mem_env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = list(mem_env.memory.snapshot().values())
    halfway, release = threading.Event(), threading.Event()

    def two_batches(batch_size: int = 10_000) -> Iterator[list[dict[str, Any]]]:
        yield rows[:2]
        halfway.set()
        assert release.wait(10)
        yield rows[2:]

    monkeypatch.setattr(mem_env.memory, "iter_rows", two_batches)
    async with running(mem_env.host, ready=False):
        assert await anyio.to_thread.run_sync(halfway.wait, 10)
        importing = mem_env.host.status()["connectors"]["contoso"]
        release.set()
        await mem_env.host.wait_ready()
        ready = mem_env.host.status()["connectors"]["contoso"]
    assert importing["state"] == "importing" and importing["import_running"] is True
    assert importing["imported_rows"] == 2
    assert ready["imported_rows"] is None and ready["cache_size"] == len(rows)


@pytest.mark.anyio
async def test_status_shows_the_total_an_import_expects(
    mem_env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The total is counted when the import starts (exact here); when the
    store cannot count (a view), the rows of the current cache stand in, labelled not exact."""
    rows = list(mem_env.memory.snapshot().values())
    halfway, release = threading.Event(), threading.Event()

    def two_batches(batch_size: int = 10_000) -> Iterator[list[dict[str, Any]]]:
        yield rows[:2]
        halfway.set()
        assert release.wait(10)
        yield rows[2:]

    async def seen_halfway() -> dict[str, Any]:
        assert await anyio.to_thread.run_sync(halfway.wait, 10)
        halfway.clear()
        status = dict(mem_env.host.status()["connectors"]["contoso"])
        release.set()
        return status

    monkeypatch.setattr(mem_env.memory, "iter_rows", two_batches)
    async with running(mem_env.host, ready=False):
        first = await seen_halfway()
        await mem_env.host.wait_ready()
        release.clear()
        monkeypatch.setattr(mem_env.memory, "count_rows", lambda: None)
        async with anyio.create_task_group() as group:
            group.start_soon(mem_env.host.sync_now)
            second = await seen_halfway()
    assert (first["imported_rows"], first["import_total"]) == (2, len(rows))
    assert first["import_total_exact"] is True
    assert (second["imported_rows"], second["import_total"]) == (2, len(rows))
    assert second["import_total_exact"] is False
