"""Fixtures shared by every test: an isolated home, an in-memory keyring, no terminal."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from hypothesis import HealthCheck, settings

from ecmactl.home import Home
from ecmactl.testing import MemoryKeyring

# Database servers (SQLite always; PostgreSQL and MariaDB from ECMACTL_TEST_*_URL).
pytest_plugins = ["db_fixtures"]

# Property tests: "ci" (the default) is derandomized, the same examples on every run, and keeps
# no example database; HYPOTHESIS_PROFILE=dev explores new random examples, ten times as many.
settings.register_profile(
    "ci",
    max_examples=200,
    derandomize=True,
    database=None,
    deadline=None,  # the fuzz suite has its own per-request deadline (a hang), not a speed check
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("dev", settings.get_profile("ci"), derandomize=False, max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _isolated_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """No test reads the developer's real home, keyring or terminal settings."""
    for name in ("ECMACTL_HOME", "ECMACTL_NO_INPUT", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg")))
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    MemoryKeyring.clear()
    yield
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def _default_port_free(monkeypatch: pytest.MonkeyPatch) -> None:
    """The wizard refuses a port another program listens on; a developer's own host on the
    default port 8585 must not fail the tests that take the default. The check itself is tested
    on ephemeral ports (tests/wizard/test_wizard_details.py) and on 8585 by patching it."""
    from ecmactl.wizard import network

    real = network.port_in_use
    monkeypatch.setattr(
        network, "port_in_use", lambda address, number: number != 8585 and real(address, number)
    )


MachineNames = Callable[[str, str], None]


@pytest.fixture(autouse=True)
def machine(monkeypatch: pytest.MonkeyPatch) -> MachineNames:
    """This machine's names as ecmactl sees them (socket.getfqdn() without an argument, and
    socket.gethostname()): pinned, so default host names and certificate SANs do not depend on
    where the tests run. By default the machine has no name but localhost; ``machine(fqdn,
    hostname)`` gives it others."""
    real_getfqdn = socket.getfqdn

    def pin(fqdn: str, hostname: str) -> None:
        monkeypatch.setattr(socket, "getfqdn", lambda name="": real_getfqdn(name) if name else fqdn)
        monkeypatch.setattr(socket, "gethostname", lambda: hostname)

    pin("localhost", "localhost")
    return pin


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home(tmp_path / "home")
