"""Fixtures for the import tests: an isolated home, run from the fixtures folder (so reports
name the fixture as given, the same on every machine)."""

from __future__ import annotations

from pathlib import Path

import pytest
from migratekit import FIXTURES

from ecmactl.home import Home


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Home:
    monkeypatch.chdir(FIXTURES)
    return Home(tmp_path / "home")
