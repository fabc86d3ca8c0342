"""Fixtures for certificate and token tests: a home with host settings, a fixed clock, a CA.

Keys come from ecmactl.certs.testing.cached_key (one per type per process) because RSA key
generation is slow; tests that do not care about the key type use EC P-256.
"""

from __future__ import annotations

import pytest
from cert_helpers import HOSTNAME, NOW

from ecmactl.certs.testing import TestCA
from ecmactl.config.models import Connectivity, Connector, HostSettings, Schema
from ecmactl.config.store import save_connector, save_settings
from ecmactl.home import Home


@pytest.fixture
def settings(home: Home) -> HostSettings:
    value = HostSettings(hostname=HOSTNAME, secret_store="keyring")
    save_settings(home, value)
    return value


@pytest.fixture
def connector(home: Home, settings: HostSettings) -> Connector:
    value = Connector(
        name="SQL",
        connectivity=Connectivity(database_url="sqlite:///{home}/data/hr.db"),
        schema=Schema(table="Employees", anchor="ContosoLogin"),
    )
    save_connector(home, value)
    return value


@pytest.fixture(scope="session")
def ca() -> TestCA:
    return TestCA.create(now=NOW)
