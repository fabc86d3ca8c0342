"""The status document across the seam: what ``Host.status()`` builds, sent as JSON by the
status route, comes out of ``parse_status_document`` (the one reader) equal to what was built."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from conftest import Env
from hostkit import ADMIN, ROOT, running

from ecmactl.status_document import STATUS_SCHEMA_VERSION, parse_status_document

pytestmark = pytest.mark.anyio
ADMIN_AUTH = {"Authorization": f"Bearer {ADMIN}"}


async def _sent_and_built(env: Env, client: httpx.AsyncClient) -> tuple[Any, Any]:
    answer = await client.get("/_ecmactl/status", headers=ADMIN_AUTH)
    assert answer.status_code == 200
    built = dict(env.host.status())
    sent = dict(parse_status_document(answer.json()))
    # The uptime moves between the two calls; everything else must be equal.
    assert isinstance(sent.pop("uptime_s"), float)
    built.pop("uptime_s")
    return sent, built


async def test_a_serving_host_with_a_reload_round_trips(mem_env: Env) -> None:
    async with running(mem_env.host) as client:
        await client.get(f"{ROOT}/Users/avance")
        await client.get(f"{ROOT}/Users/nobody")
        await mem_env.host.reload()
        sent, built = await _sent_and_built(mem_env, client)
    assert sent == built
    assert sent["schema_version"] == STATUS_SCHEMA_VERSION
    assert sent["reload"] is not None and sent["reload"]["result"] == "ok"
    assert sent["connectors"]["contoso"]["requests"]["4xx"] == 1


async def test_a_failing_import_and_its_errors_round_trip(mem_env: Env) -> None:
    async with running(mem_env.host) as client:
        mem_env.memory.available = False
        sync = await client.post("/_ecmactl/sync?connector=contoso", headers=ADMIN_AUTH)
        assert sync.json()["ok"] is False
        sent, built = await _sent_and_built(mem_env, client)
    assert sent == built
    connector = sent["connectors"]["contoso"]
    assert connector["last_full_import"] is not None
    assert connector["last_full_import"]["result"] == "failed"
    assert connector["last_error"] is not None and connector["database_reachable"] is False
