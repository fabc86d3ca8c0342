"""Global options (--home, -q, -v, --no-color) work before or after the sub-command, in every
command, and -q makes the status commands answer with their exit code alone.
"""

from __future__ import annotations

from typing import Any

import pytest
from hostproc import make_home
from test_agent_status import connector_status, fake_clients, host_answers, running
from typer import _click as click
from typer.core import TyperGroup
from typer.main import get_command
from typer.testing import CliRunner

from ecmactl.cli import app
from ecmactl.home import Home


@pytest.fixture
def status_home(home: Home) -> Home:
    return make_home(home)


@pytest.fixture
def fake_host(monkeypatch: pytest.MonkeyPatch) -> Any:
    def install(handler: Any) -> None:
        monkeypatch.setattr("ecmactl.status.default_client", fake_clients(handler))

    return install


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def test_home_after_the_subcommand(status_home: Home):
    result = run("host", "status", "--home", str(status_home.root))
    assert result.exit_code == 3, result.output  # not running: exit 3, not "No such option" (2)
    assert f"embedded SCIM host of {status_home.root}" in result.stdout


def test_home_after_the_subcommand_wins_over_one_before(status_home: Home, tmp_path: Any):
    result = run(
        "--home", str(tmp_path / "other"), "agent", "status", "--home", str(status_home.root)
    )
    assert f"provisioning path of {status_home.root}" in result.stdout


@pytest.mark.parametrize("where", ["before", "after"])
@pytest.mark.parametrize("kind", ["host", "agent"])
def test_quiet_status_prints_nothing_when_healthy(
    status_home: Home, fake_host: Any, where: str, kind: str
):
    running(status_home)
    fake_host(host_answers())
    home = ["--home", str(status_home.root)]
    args = ["-q", *home, kind, "status"] if where == "before" else [kind, "status", *home, "-q"]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr == ""


def test_quiet_status_prints_only_the_failing_checks_and_their_fixes(
    status_home: Home, fake_host: Any
):
    running(status_home)
    fake_host(host_answers(connectors=[connector_status(state="degraded", last_error="boom")]))
    result = run("host", "status", "--home", str(status_home.root), "--quiet")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == "✗ SQL: degraded (boom)"
    assert "To fix" in result.stderr and "embedded SCIM host" not in result.stderr


def test_quiet_status_when_stopped_says_why_and_the_fix(status_home: Home):
    result = run("agent", "status", "-q", "--home", str(status_home.root))
    assert result.exit_code == 3
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "✗ Process: not running"
    assert lines[1].startswith("  To fix, run: ecmactl ") and lines[1].endswith(" host run")


def test_quiet_test_connection_prints_only_the_failure_and_its_fix(status_home: Home):
    result = run("agent", "test-connection", "--home", str(status_home.root), "-q")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith("✗ SQL: ") and "(host_not_running)" in lines[0]
    assert lines[1].startswith("  To fix: ecmactl --home ")


def test_verbose_and_no_color_after_the_subcommand(status_home: Home):
    result = run("host", "status", "-vv", "--no-color", "--home", str(status_home.root))
    assert result.exit_code == 3, result.output
    assert "\x1b[" not in result.stdout


def _leaves(cmd: click.Command, path: tuple[str, ...]) -> list[tuple[str, ...]]:
    if not isinstance(cmd, TyperGroup):
        return [path]
    ctx = click.Context(cmd, info_name=path[-1] if path else "ecmactl")
    found = [path] if path else []
    for name in cmd.list_commands(ctx):
        sub = cmd.get_command(ctx, name)
        if sub is not None and not sub.hidden:
            found += _leaves(sub, (*path, name))
    return found


def test_every_command_accepts_the_global_options_after_it(tmp_path: Any):
    """`--help` is eager, but an unknown option fails the parse before it: exit 2."""
    paths = _leaves(get_command(app), ())
    assert ("host", "status") in paths and ("configure", "settings") in paths
    for path in paths:
        args = [*path, "--home", str(tmp_path), "-q", "-v", "--no-color", "--help"]
        result = run(*args)
        assert result.exit_code == 0, (path, result.output)
