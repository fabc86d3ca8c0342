"""Completion: one mechanism (`ecmactl completion SHELL`), and connector names for -c/--connector
read from the home on the command line being completed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from test_completions import _BASH_DRIVER, _bash_words
from typer.testing import CliRunner

from ecmactl.cli import app
from ecmactl.cli._completion_gen import FILE_NAMES
from ecmactl.cli.completion import script
from ecmactl.home import Home

BIN = str(Path(sys.executable).parent)  # where the `ecmactl` console script is


@pytest.fixture(scope="module")
def scripts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("completions")
    paths = {shell: folder / name for shell, name in FILE_NAMES.items()}
    for shell, path in paths.items():
        path.write_text(script(app, shell), encoding="ascii", newline="\n")
    return paths


@pytest.fixture
def spaced(tmp_path: Path) -> Home:
    """A home whose path has a space, with three connectors (only their file names matter)."""
    home = Home(tmp_path / "a home")
    home.connectors_dir.mkdir(parents=True)
    for name in ("HR", "SQL", "Sales"):
        home.connector_path(name).write_text("")
    return home


def complete(scripts: dict[str, Path], line: str | list[str], **env: str) -> list[str]:
    """What TAB offers after ``line`` (a list: COMP_WORDS as bash splits a quoted line)."""
    words = _bash_words(line) if isinstance(line, str) else line
    out = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", _BASH_DRIVER, "bash", str(scripts["bash"]), *words],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "HOME": "/nonexistent", **env},
    )
    assert out.stderr == ""
    return [w for w in out.stdout.splitlines() if w]


def test_bash_completes_connector_names_of_the_home_on_the_line(
    scripts: dict[str, Path], spaced: Home
) -> None:
    quoted = "'" + str(spaced.root) + "'"
    words = ["ecmactl", "--home", quoted, "token", "show", "-c", ""]
    assert complete(scripts, words) == ["HR", "SQL", "Sales"]
    escaped = str(spaced.root).replace(" ", "\\ ")
    words = ["ecmactl", "token", "show", "--home", escaped, "--connector", "S"]
    assert complete(scripts, words) == ["SQL", "Sales"]
    words = ["ecmactl", "host", "run", "--home", "=", quoted, "-c", "H"]  # --home=...
    assert complete(scripts, words) == ["HR"]


def test_bash_completes_connector_names_of_ecmactl_home(
    scripts: dict[str, Path], spaced: Home
) -> None:
    found = complete(scripts, "ecmactl agent test-connection -c ", ECMACTL_HOME=str(spaced.root))
    assert found == ["HR", "SQL", "Sales"]


def test_bash_connector_names_of_a_home_without_connectors(
    scripts: dict[str, Path], tmp_path: Path
) -> None:
    assert complete(scripts, f"ecmactl --home {tmp_path} token show -c ") == []


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completes_connector_names(scripts: dict[str, Path], spaced: Home) -> None:
    line = f"ecmactl --home {json.dumps(str(spaced.root))} token set -c S"
    out = subprocess.run(
        ["fish", "--no-config", "-c", f"source {scripts['fish']}\ncomplete -C {json.dumps(line)}"],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"},
    )
    assert sorted(w.split("\t")[0] for w in out.stdout.splitlines()) == ["SQL", "Sales"]


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_connector_function_reads_the_home_on_the_line(
    scripts: dict[str, Path], spaced: Home
) -> None:
    # _describe is zsh's; here it prints the candidates instead of offering them.
    probe = (
        f"autoload -Uz compinit; compinit -u -D; source {scripts['zsh']}; "
        "_describe() { print -l ${(P)${@[-1]}} }; "
        f"LBUFFER=\"ecmactl --home '{spaced.root}' configure show -c \"; _ecmactl_connectors"
    )
    out = subprocess.run(
        ["zsh", "-f", "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "HOME": str(spaced.root.parent)},
    )
    assert out.stdout.split() == ["HR", "SQL", "Sales"]


def test_the_names_come_without_loading_the_cli(spaced: Home) -> None:
    probe = (
        "import sys, json\n"
        f"sys.argv = ['ecmactl', '__connectors', '--home', {str(spaced.root)!r}]\n"
        "from ecmactl.__main__ import main\nmain()\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    *names, modules = out.stdout.splitlines()
    assert names == ["HR", "SQL", "Sales"]
    assert {"typer", "click", "rich"}.isdisjoint(json.loads(modules))


def test_typers_completion_mechanism_is_gone(spaced: Home) -> None:
    for flag in ("--install-completion", "--show-completion"):
        result = CliRunner().invoke(app, [flag])
        assert result.exit_code == 2 and "No such option" in result.output
    # Its environment variable no longer hijacks a run either.
    env = {**os.environ, "_ECMACTL_COMPLETE": "bash_source", "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "ecmactl", "--home", str(spaced.root), "agent", "status"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 3 and "provisioning path of" in done.stdout


def test_completion_command_is_the_one_mechanism() -> None:
    result: Any = CliRunner().invoke(app, ["completion", "bash"])
    assert result.exit_code == 0 and "__connectors" in result.stdout
