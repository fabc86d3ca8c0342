"""Fixtures for the import tests: an isolated home, run from the fixtures folder (so reports
name the fixture as given, the same on every machine)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from migratekit import FIXTURES

from ecmactl.home import Home

# The host tests' subprocess helpers (HostProcess, ecmactl) serve the end-to-end import test.
sys.path.insert(0, str(Path(__file__).parents[1] / "host"))


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Home:
    monkeypatch.chdir(FIXTURES)
    return Home(tmp_path / "home")
