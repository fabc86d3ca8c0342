"""Full import, autosync, delta import, and writes that race them."""

from __future__ import annotations

import threading
from typing import Any

import anyio
import anyio.to_thread
import httpx
import pytest
from conftest import Env
from hostkit import AUTH, ROOT, patch_body, running, user_body

from ecmactl.errors import UsageError

pytestmark = pytest.mark.anyio


def _holding(name: str, env: Env) -> tuple[threading.Event, threading.Event]:
    """Make the next full import stop at the hook ``name`` until ``release`` is set."""
    entered, release = threading.Event(), threading.Event()

    def hold() -> None:
        entered.set()
        assert release.wait(10), "the test never released the import"

    env.memory.hooks[name] = hold
    return entered, release


def _cache_matches_store(env: Env) -> None:
    assert env.runtime.cache.rows == env.memory.snapshot()


async def _first_import_after(env: Env, count: int = 1) -> list[Any]:
    """Wait (with a timeout) for ``count`` more imports of the autosync loop."""
    done = anyio.Event()
    seen: list[Any] = []

    def listener(result: Any) -> None:
        seen.append(result)
        if len(seen) >= count:
            done.set()

    env.syncer.listeners.append(listener)
    with anyio.fail_after(10):
        await done.wait()
    env.syncer.listeners.remove(listener)
    return seen


async def test_changes_made_in_the_database_appear_after_sync_now(env: Env) -> None:
    async with running(env.host) as client:
        env.backdoor.insert({"ContosoLogin": "newbie", "FirstName": "New", "LastName": "Bie"})
        env.backdoor.update("avance", FirstName="Adelaide")
        env.backdoor.delete("mbowen")
        stale = await client.get(f"{ROOT}/Users/mbowen")
        result = await env.host.sync_now("contoso")
        new = await client.get(f"{ROOT}/Users", params={"filter": 'userName eq "newbie"'})
        changed = await client.get(f"{ROOT}/Users/avance")
        removed = await client.get(f"{ROOT}/Users/mbowen")
    assert stale.status_code == 200  # served from the cache until the sync
    assert result["ok"] is True
    assert result["connectors"]["contoso"]["result"] == "ok"
    assert result["connectors"]["contoso"]["rows"] == 5
    assert new.json()["totalResults"] == 1
    assert changed.json()["name"]["givenName"] == "Adelaide"
    assert removed.status_code == 404


@pytest.mark.parametrize("hook", ["after_select", "before_select"])
async def test_writes_racing_a_full_import_are_neither_lost_nor_resurrected(
    mem_env: Env, hook: str
) -> None:
    env = mem_env
    async with running(env.host) as client:
        entered, release = _holding(hook, env)
        result: dict[str, Any] = {}

        async def sync() -> None:
            result.update(await env.host.sync_now())

        async with anyio.create_task_group() as group:
            group.start_soon(sync)
            await anyio.to_thread.run_sync(entered.wait, 10)
            created = await client.post(f"{ROOT}/Users", json=user_body("racer"))
            patched = await client.patch(
                f"{ROOT}/Users/avance",
                json=patch_body({"op": "replace", "path": "displayName", "value": "raced"}),
            )
            deleted = await client.delete(f"{ROOT}/Users/mbowen")
            disabled = await client.patch(
                f"{ROOT}/Users/nwilke",
                json=patch_body({"op": "Replace", "path": "active", "value": "False"}),
            )
            release.set()
        assert result["ok"] is True
        assert (created.status_code, patched.status_code) == (201, 200)
        assert (deleted.status_code, disabled.status_code) == (204, 200)
        racer = await client.get(f"{ROOT}/Users/racer")
        avance = await client.get(f"{ROOT}/Users/avance")
        mbowen = await client.get(f"{ROOT}/Users/mbowen")
        nwilke = await client.get(f"{ROOT}/Users/nwilke")
    assert racer.status_code == 200
    assert avance.json()["displayName"] == "raced"
    assert mbowen.status_code == 404
    assert nwilke.json()["active"] is False
    _cache_matches_store(env)


async def test_many_writes_during_many_imports_leave_cache_equal_to_database(
    mem_env: Env,
) -> None:
    env = mem_env
    async with running(env.host) as client:

        async def writer(i: int) -> None:
            login = f"u{i}"
            await client.post(f"{ROOT}/Users", json=user_body(login))
            await client.patch(
                f"{ROOT}/Users/{login}",
                json=patch_body({"op": "replace", "path": "displayName", "value": f"d{i}"}),
            )
            if i % 3 == 0:
                await client.delete(f"{ROOT}/Users/{login}")

        async with anyio.create_task_group() as group:
            for i in range(60):
                group.start_soon(writer, i)
                if i % 15 == 0:
                    group.start_soon(env.host.sync_now)
        await env.host.sync_now()
        _cache_matches_store(env)
    assert len(env.memory.snapshot()) == 5 + 40


async def test_a_failed_sync_keeps_the_old_cache(mem_env: Env) -> None:
    env = mem_env
    async with running(env.host) as client:
        env.memory.available = False
        result = await env.host.sync_now("contoso")
        status: Any = env.host.status()["connectors"]["contoso"]
        r = await client.get(f"{ROOT}/Users/avance")
        env.memory.available = True
        again = await env.host.sync_now("contoso")
        recovered = env.host.status()["connectors"]["contoso"]
    failed = result["connectors"]["contoso"]
    assert result["ok"] is False and failed["result"] == "failed"
    assert "switched off" in failed["error"]
    assert status["state"] == "degraded" and status["cache_size"] == 5
    assert status["last_full_import"]["result"] == "failed"
    assert "full import failed" in status["last_error"]["message"]
    assert status["consecutive_failures"] == 1
    assert r.status_code == 200  # reads keep being served from the cache
    assert again["ok"] is True
    assert recovered["state"] == "ready" and recovered["consecutive_failures"] == 0


async def test_database_unreachable_at_start_503_then_recovers_by_itself(mem_env: Env) -> None:
    env = mem_env
    env.memory.available = False
    env.syncer.interval = 0.02  # back-off is capped by the interval: retry at once
    async with running(env.host, ready=False) as client:
        await _first_import_after(env, 2)  # two failed attempts
        r = await client.get(f"{ROOT}/Users")
        status = env.host.status()["connectors"]["contoso"]
        env.memory.available = True
        with anyio.fail_after(10):
            await env.host.wait_ready()
        served = await client.get(f"{ROOT}/Users/avance")
    assert r.status_code == 503 and r.headers["retry-after"]
    assert "not succeeded yet" in r.json()["detail"]
    assert status["state"] == "degraded" and status["cache_loaded"] is False
    assert status["database_reachable"] is False
    assert served.status_code == 200


async def test_the_autosync_loop_picks_up_database_changes(mem_env: Env) -> None:
    env = mem_env
    async with running(env.host) as client:
        env.backdoor.update("avance", FirstName="Looped")
        env.syncer.interval = 0.01
        env.syncer._sync_due = 0  # due now (the loop sleeps until then)
        env.syncer._wake.set()
        results = await _first_import_after(env)
        r = await client.get(f"{ROOT}/Users/avance")
    assert results[0].result == "ok"
    assert r.json()["name"]["givenName"] == "Looped"


async def test_delta_import_merges_changes_but_not_deletes(backend: str, make_env: Any) -> None:
    env = make_env(backend, delta=True)
    async with running(env.host) as client:
        watermark = env.host.status()["connectors"]["contoso"]["delta"]["watermark"]
        env.backdoor.update("avance", FirstName="Delta")
        env.backdoor.delete("mbowen")
        result = await env.syncer.delta_import()
        changed = await client.get(f"{ROOT}/Users/avance")
        still = await client.get(f"{ROOT}/Users/mbowen")
        status = env.host.status()["connectors"]["contoso"]
        await env.host.sync_now()
        gone = await client.get(f"{ROOT}/Users/mbowen")
    assert result.result == "ok" and result.kind == "delta" and result.rows == 1
    assert changed.json()["name"]["givenName"] == "Delta"
    assert still.status_code == 200  # a watermark cannot see deletes
    assert gone.status_code == 404  # the next full import does
    assert status["delta"]["enabled"] is True
    assert status["delta"]["watermark"] != watermark
    assert status["last_delta_import"]["result"] == "ok"


async def test_delta_import_journal_keeps_racing_writes(make_env: Any) -> None:
    env = make_env("memory", delta=True)
    async with running(env.host) as client:
        entered, release = threading.Event(), threading.Event()
        original = env.memory.changed_since

        def held(watermark: Any) -> Any:
            found = original(watermark)
            entered.set()
            release.wait(10)
            return found

        env.memory.changed_since = held
        env.backdoor.update("avance", FirstName="Older")
        async with anyio.create_task_group() as group:
            group.start_soon(env.syncer.delta_import)
            await anyio.to_thread.run_sync(entered.wait, 10)
            r = await client.patch(
                f"{ROOT}/Users/avance",
                json=patch_body({"op": "replace", "path": "name.givenName", "value": "Newer"}),
            )
            release.set()
        after = await client.get(f"{ROOT}/Users/avance")
    assert r.status_code == 200
    assert after.json()["name"]["givenName"] == "Newer"
    _cache_matches_store(env)


async def test_fifty_simultaneous_creates_of_one_user(env: Env) -> None:
    async with running(env.host) as client:
        responses = await _gather(
            [client.post(f"{ROOT}/Users", json=user_body("same")) for _ in range(50)]
        )
    codes = sorted(r.status_code for r in responses)
    assert codes.count(201) == 1 and codes.count(409) == 49
    assert env.backdoor.row("same") is not None


async def _gather(calls: list[Any]) -> list[Any]:
    results: list[Any] = [None] * len(calls)

    async def run(i: int, call: Any) -> None:
        results[i] = await call

    async with anyio.create_task_group() as group:
        for i, call in enumerate(calls):
            group.start_soon(run, i, call)
    return results


async def test_database_outage_writes_503_reads_continue_recovery_automatic(
    mem_env: Env,
) -> None:
    env = mem_env
    env.syncer.interval = 0.02  # ping back-off capped by the interval
    async with running(env.host) as client:
        before = await client.post(f"{ROOT}/Users", json=user_body("before"))
        env.memory.available = False
        failed = await client.post(f"{ROOT}/Users", json=user_body("during"))
        patch = await client.patch(
            f"{ROOT}/Users/avance",
            json=patch_body({"op": "replace", "path": "displayName", "value": "x"}),
        )
        read = await client.get(f"{ROOT}/Users", params={"filter": 'userName eq "before"'})
        down: Any = env.host.status()["connectors"]["contoso"]
        recovered = env.runtime.recovered
        env.memory.available = True
        with anyio.fail_after(10):
            await recovered.wait()  # the loop pings with back-off until the database answers
            while env.runtime.state != "ready":  # the failed import's retry, now in flight
                await anyio.sleep(0.01)  # a poll interval, bounded by fail_after
        after = await client.post(f"{ROOT}/Users", json=user_body("after"))
        up = env.host.status()["connectors"]["contoso"]
    assert before.status_code == 201 and after.status_code == 201
    assert failed.status_code == 503 and failed.headers["retry-after"]
    assert patch.status_code == 503
    assert read.status_code == 200 and read.json()["totalResults"] == 1
    assert down["database_reachable"] is False and down["state"] == "degraded"
    assert "database unavailable" in down["last_error"]["message"]
    assert up["database_reachable"] is True and up["state"] == "ready"
    stored = env.memory.snapshot()
    assert "before" in stored and "after" in stored and "during" not in stored
    _cache_matches_store(env)


async def test_sync_now_of_all_and_of_an_unknown_connector(mem_env: Env) -> None:
    result = await mem_env.host.sync_now()  # works before startup too
    assert list(result["connectors"]) == ["contoso"] and result["ok"] is True
    with pytest.raises(UsageError, match="no connector named 'nope'"):
        await mem_env.host.sync_now("nope")


async def test_shutdown_waits_for_an_in_flight_write(mem_env: Env) -> None:
    env = mem_env
    entered, go = threading.Event(), threading.Event()
    original = env.memory.insert

    def slow_insert(values: Any) -> Any:
        entered.set()
        go.wait(10)
        return original(values)

    await env.host.startup()
    await env.host.wait_ready()
    env.memory.insert = slow_insert  # type: ignore[method-assign]
    transport = httpx.ASGITransport(app=env.host.asgi)
    stopped = anyio.Event()
    async with httpx.AsyncClient(transport=transport, base_url="https://h") as client:
        responses: list[Any] = []

        async def post() -> None:
            responses.append(
                await client.post(f"{ROOT}/Users", json=user_body("inflight"), headers=AUTH)
            )

        async def stop() -> None:
            await env.host.shutdown()
            stopped.set()

        async with anyio.create_task_group() as group:
            group.start_soon(post)
            await anyio.to_thread.run_sync(entered.wait, 10)
            group.start_soon(stop)
            await anyio.wait_all_tasks_blocked()
            assert not stopped.is_set()  # shutdown waits for the write
            go.set()
    assert responses[0].status_code == 201
    assert "inflight" in env.memory.snapshot() and env.memory.closed
