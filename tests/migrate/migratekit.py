"""Helpers for the import tests: the fixtures, the expected files, and the CLI in-process."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

from typer.testing import CliRunner, Result

from ecmactl.cli import app
from ecmactl.home import Home

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
EXPECTED = HERE / "expected"
URL = "postgresql://db01.contoso.test/hr"  # never connected to: an import does not connect
# ECMACTL_UPDATE_EXPECTED=1 rewrites tests/migrate/expected/ from the current output; review
# the diff before committing it.
UPDATE = os.environ.get("ECMACTL_UPDATE_EXPECTED") == "1"


def invoke(home: Home, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(
        app, ["--home", str(home.root), *args], input=input, catch_exceptions=False
    )


def import_args(fixture: str, *extra: str) -> list[str]:
    """`init --from` a fixture, scripted: the answers an export cannot carry come from flags."""
    return [
        "init",
        "--from",
        fixture,
        "--no-input",
        "--hostname",
        "ecma01.contoso.test",
        "--secret-store",
        "file",
        "--database-url",
        URL,
        *extra,
    ]


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``root`` with its bytes and mode, to prove nothing changed."""
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mode)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def compare(expected: Path, actual: bytes) -> None:
    if UPDATE:
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_bytes(actual)
    assert expected.exists(), f"{expected} is missing (ECMACTL_UPDATE_EXPECTED=1 writes it)"
    assert actual == expected.read_bytes(), f"differs from {expected}"


def host_helpers() -> ModuleType:
    """tests/host/hostproc.py (HostProcess, ecmactl in a subprocess), loaded by path: putting
    tests/host on sys.path would let its conftest shadow others in a whole-suite run."""
    if "hostproc" in sys.modules:
        return sys.modules["hostproc"]
    spec = importlib.util.spec_from_file_location("hostproc", HERE.parent / "host" / "hostproc.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["hostproc"] = module
    spec.loader.exec_module(module)
    return module
