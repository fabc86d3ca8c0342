"""One vocabulary and one -c rule across commands.

- the same thing has the same flag in every command (old spellings still work, hidden);
- commands that act on one connector require --connector when the home has several, with the
  same error listing the names and a command to paste; status and test-connection cover all;
- an unknown connector is bad input (exit 2) in every command.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pytest
from hostproc import free_port, make_home
from typer.testing import CliRunner

from ecmactl.cli import app
from ecmactl.cli._completion_gen import read_tree
from ecmactl.cli.completion import root_command
from ecmactl.home import Home


def run(home: Home, *args: str) -> Any:
    return CliRunner().invoke(app, ["--home", str(home.root), *args])


@pytest.fixture
def two(tmp_path: Path) -> Home:
    return make_home(Home(tmp_path / "two homes"), connectors=("HR", "SQL"))


def visible_flags() -> dict[str, set[str]]:
    tree = read_tree(root_command(app))
    return {c.key: {n for o in c.options for n in o.all_names} for c in tree.walk()}


@pytest.mark.parametrize(
    ("name", "old", "commands"),
    [
        ("--bind-address", "--bind", ["ecmactl init", "ecmactl host run"]),
        ("--secret-store", "--store", ["ecmactl init", "ecmactl token set"]),
        (
            "--secret-token-file",
            "--token-file",
            [
                "ecmactl init",
                "ecmactl token set",
                "ecmactl token rotate",
                "ecmactl agent test-connection",
            ],
        ),
    ],
)
def test_one_name_per_thing(name: str, old: str, commands: list[str]):
    flags = visible_flags()
    for command in commands:
        assert name in flags[command], (command, name)
        if command != "ecmactl init":  # `init --bind` is the attribute binding, another thing
            assert old not in flags[command], (command, old)


def test_old_spellings_still_work(two: Home, tmp_path: Path):
    token = tmp_path / "token"
    token.write_text("an-old-spelling-token-123\n")
    done = run(two, "token", "set", "-c", "HR", "--store", "file", "--token-file", str(token))
    assert done.exit_code == 0, done.output
    assert (
        two.root / "secrets" / "HR.secret-token"
    ).read_text().strip() == token.read_text().strip()
    done = run(two, "token", "rotate", "-c", "HR", "--token-file", str(token))
    assert done.exit_code == 2 and "same" in done.output  # parsed: the token is the current one
    done = run(two, "host", "run", "--bind", "192.0.2.7", "--port", str(free_port()))
    assert done.exit_code == 2 and "--bind-address" in done.output  # parsed, and named anew


ONE_CONNECTOR = [
    ("token", "show"),
    ("token", "set", "--generate"),
    ("token", "rotate"),
    ("configure", "show"),
    ("configure", "connectivity", "--no-input"),
]


@pytest.mark.parametrize("args", ONE_CONNECTOR)
def test_one_connector_commands_need_c_with_several(two: Home, args: tuple[str, ...]):
    done = run(two, *args)
    assert done.exit_code == 2, done.output
    lines = done.stderr.splitlines()
    assert lines[0] == (
        "Error: this home has 2 connectors (HR, SQL); say which one with --connector NAME"
    )
    expected = shlex.join(["ecmactl", "--home", str(two.root), *args, "--connector", "HR"])
    assert lines[1] == f"Fix: For example: {expected}"


def test_the_suggested_command_works(two: Home):
    done = run(two, "token", "show")
    suggested = shlex.split(done.stderr.splitlines()[1].removeprefix("Fix: For example: "))
    again = CliRunner().invoke(app, suggested[1:])
    assert again.exit_code == 0, again.output
    assert "HR" in again.stdout


@pytest.mark.parametrize(
    "args", [("host", "status"), ("agent", "status"), ("agent", "test-connection")]
)
def test_read_only_commands_cover_every_connector(two: Home, args: tuple[str, ...]):
    done = run(two, *args)
    assert done.exit_code != 2, done.output
    assert "HR" in done.output and "SQL" in done.output


UNKNOWN = [
    *ONE_CONNECTOR,
    ("agent", "test-connection"),
    ("host", "run", "--port", "0"),
    ("host", "sync"),
]


@pytest.mark.parametrize("args", UNKNOWN)
def test_an_unknown_connector_is_bad_input_everywhere(two: Home, args: tuple[str, ...]):
    done = run(two, *args, "-c", "hr")
    assert done.exit_code == 2, done.output
    lines = done.stderr.splitlines()
    assert lines[0].startswith("Error: there is no connector named 'hr' in ")
    assert "(it has: HR, SQL; names are case-sensitive)" in lines[0]
    expected = shlex.join(["ecmactl", "--home", str(two.root), *args, "--connector", "HR"])
    assert lines[1] == f"Fix: For example: {expected}"  # the near miss, in place of the typo


def test_the_example_names_a_home_from_the_environment(two: Home, monkeypatch):
    # The hint may be read where ECMACTL_HOME is not set (a unit's journal): it names the home.
    monkeypatch.setenv("ECMACTL_HOME", str(two.root))
    done = CliRunner().invoke(app, ["token", "show", "-c", "NOPE"])
    assert done.exit_code == 2, done.output
    expected = shlex.join(
        ["ecmactl", "--home", str(two.root), "token", "show", "--connector", "HR"]
    )
    assert done.stderr.splitlines()[1] == f"Fix: For example: {expected}"


def test_the_example_names_a_relative_home_absolute(two: Home, monkeypatch):
    monkeypatch.chdir(two.root.parent)
    done = CliRunner().invoke(app, ["token", "show", "--home", two.root.name, "-c", "sql"])
    assert done.exit_code == 2, done.output
    expected = shlex.join(
        ["ecmactl", "--home", str(two.root), "token", "show", "--connector", "SQL"]
    )
    assert done.stderr.splitlines()[1] == f"Fix: For example: {expected}"
