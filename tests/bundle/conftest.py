"""Fixtures for the bundle tests: a realistic source home, an empty target, a CLI runner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import pytest
import typer
from bundle_home import EPOCH, build_home
from typer.testing import CliRunner, Result

from ecmactl.home import Home


@pytest.fixture
def source(home: Home) -> Home:
    return build_home(home)


@pytest.fixture
def target(tmp_path: Path) -> Home:
    return Home(tmp_path / "target")


@pytest.fixture(autouse=True)
def _reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def _app() -> typer.Typer:
    from ecmactl.cli import _run, app

    if "bundle" in getattr(_run, "COMMANDS", {}):  # wired into the real CLI (loaded lazily)
        return app
    # Not wired into ecmactl.cli yet: the same group class and --home handling, ours only.
    from ecmactl.cli import bundle
    from ecmactl.cli._context import global_options
    from ecmactl.cli._run import EcmactlGroup

    own = typer.Typer(cls=EcmactlGroup, pretty_exceptions_show_locals=False)

    @own.callback()
    def _main(home: Annotated[Path | None, typer.Option("--home")] = None) -> None:
        global_options().home_option = home

    bundle.register(own)
    return own


Invoke = Callable[..., Result]


@pytest.fixture
def cli() -> Invoke:
    app = _app()

    def invoke(home: Home, *args: str, input: bytes | None = None) -> Result:
        return CliRunner().invoke(app, ["--home", str(home.root), "bundle", *args], input=input)

    return invoke
