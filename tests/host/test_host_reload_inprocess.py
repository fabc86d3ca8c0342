"""Host.reload in process (issue #8 review): what a reload cannot apply live says so, a retired
runtime never reopens its store, and a reload never outlives the host's shutdown."""

from __future__ import annotations

import dataclasses

import pytest
from hostkit import make_connector, memory_store, prepare_home, running

from ecmactl.config.store import save_settings
from ecmactl.home import Home
from ecmactl.host import Host

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
