"""Every command ecmactl prints for the user to run works when pasted.

One home whose path holds a space, given with --home, with two connectors: the commands printed
by init, token, host run (banner), host status, agent status, test-connection and bundle apply
are collected from their output, parsed with shlex, checked for the same --home and an existing
--connector, parsed by the CLI itself, and the read-only ones are run.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from hostproc import HostProcess, ecmactl, free_port, init_sample
from typer.testing import CliRunner

from ecmactl.cli import app

SUBCOMMANDS = ("init", "configure", "bundle", "cert", "token", "host", "agent", "completion")
# "ecmactl" then words: quoted ('…'), or plain up to a space, backtick, bracket or punctuation.
_COMMAND = re.compile(r"ecmactl((?: (?:'[^']*'|[^\s`'(),;]+))+)")
READ_ONLY = {
    ("host", "status"),
    ("agent", "status"),
    ("agent", "test-connection"),
    ("token", "show"),
    ("cert", "status"),
    ("configure", "show"),
}


def printed_commands(text: str) -> list[list[str]]:
    """Each `ecmactl …` command in ``text``, as words (headlines such as "ecmactl host - …" and
    "ecmactl 0.1.0 host (PID …)" are not commands and are skipped)."""
    found = []
    for match in _COMMAND.finditer(text):
        words = shlex.split(match.group(1))
        if not words or words[0] not in (*SUBCOMMANDS, "--home") or words[1:2] == ["-"]:
            continue
        found.append(words)
    return found


def run(*args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(app, list(args), input=input)


@pytest.fixture
def spaced_home(tmp_path: Path) -> Path:
    home = tmp_path / "my ecmactl home"
    init_sample(home)
    done = ecmactl(home, "init", "--sample", "--no-input", "--name", "HR", "--port", "8585")
    assert done.returncode == 0, done.stderr
    return home


def check_command(words: list[str], home: Path, connectors: set[str]) -> None:
    assert words[:2] == ["--home", str(home)], words
    assert words[2] in SUBCOMMANDS, words
    if "--connector" in words:
        assert words[words.index("--connector") + 1] in connectors, words
    # The CLI parses it (no unknown option, no missing command): --help is eager.
    parsed = run(*words, "--help")
    assert parsed.exit_code == 0, (words, parsed.output)
    if tuple(words[2:4]) in READ_ONLY:
        done = run(*words)
        assert done.exit_code != 2, (words, done.output)
        assert "No such" not in done.output and "no connector named" not in done.output


def test_every_printed_command_keeps_home_and_connector(spaced_home: Path, tmp_path: Path):
    home = spaced_home
    flag = ["--home", str(home)]
    outputs: dict[str, str] = {}

    first = ecmactl(home, "init", "--sample", "--no-input", "--name", "Sales", "--force")
    outputs["init"] = first.stderr
    outputs["token set"] = run(*flag, "token", "set", "-c", "HR", "--generate").output
    outputs["token show"] = run(*flag, "token", "show", "-c", "HR").output
    outputs["cert status"] = run(*flag, "cert", "status").output
    outputs["host status (stopped)"] = run(*flag, "host", "status").output
    outputs["agent status (stopped)"] = run(*flag, "agent", "status").output
    outputs["test-connection (stopped)"] = run(*flag, "agent", "test-connection").output

    port = free_port()
    with HostProcess(home, port) as host:
        host.wait_ready()
        outputs["host run banner"] = host.log
        (home / "secrets" / "HR.secret-token").write_text("not-the-token-the-host-has\n")
        (home / "secrets" / "Sales.secret-token").unlink()
        outputs["agent status (running)"] = run(*flag, "agent", "status").output
        outputs["test-connection (running)"] = run(*flag, "agent", "test-connection").output
        wrong = tmp_path / "wrong token"
        wrong.write_text("a-token-entra-does-not-have\n")
        outputs["test-connection (wrong token)"] = run(
            *flag,
            "agent",
            "test-connection",
            "-c",
            "SQL",
            "--token-file",
            str(wrong),
            *("--url", f"https://localhost:{port}/ecma2host_SQL/scim"),
        ).output
        outputs["test-connection (other port)"] = run(
            *flag, "agent", "test-connection", "-c", "SQL"
        ).output

    bundle = tmp_path / "my bundle.tar.gz"
    assert run(*flag, "bundle", "emit", "-o", str(bundle)).exit_code == 0
    target = tmp_path / "target home"
    applied = run("--home", str(target), "bundle", "apply", str(bundle))
    assert applied.exit_code == 0, applied.output
    outputs["bundle apply"] = applied.output

    connectors = {"SQL", "HR", "Sales"}
    seen: set[tuple[str, ...]] = set()
    for where, text in outputs.items():
        commands = printed_commands(text)
        assert commands or where in ("token show",), (where, text)
        expected_home = target if where == "bundle apply" else home
        for words in commands:
            check_command(words, expected_home, connectors)
            seen.add(tuple(w for w in words[2:4] if not w.startswith("-")))
    # each of these paths printed something to check
    assert {("host", "run"), ("token", "show"), ("token", "set"), ("host", "status")} <= seen
    assert ("agent", "test-connection") in seen


def test_a_home_from_the_environment_is_named_too(
    spaced_home: Path, monkeypatch: pytest.MonkeyPatch
):
    """ECMACTL_HOME (a systemd unit sets it) may not be set where the command is pasted."""
    monkeypatch.setenv("ECMACTL_HOME", str(spaced_home))
    result = run("host", "status")
    assert result.exit_code == 3
    assert f"To fix, run: ecmactl --home {shlex.quote(str(spaced_home))} host run" in result.output


def test_printed_commands_quote_the_home(spaced_home: Path):
    result = run("host", "status", "--home", str(spaced_home))
    assert f"To fix, run: ecmactl --home {shlex.quote(str(spaced_home))} host run" in result.output
    assert "'" in shlex.quote(str(spaced_home))  # the space needs quoting
