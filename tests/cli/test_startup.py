"""Start-up budget: the CLI's entry points import no heavy library (timings live in bench/)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = {
    "sqlalchemy",
    "questionary",
    "prompt_toolkit",
    "cryptography",
    "keyring",
    "uvicorn",
    "starlette",
    "httpx",
    "yaml",
    "pydantic",
    "psycopg",
    "pymysql",
    "rich",
    "platformdirs",
}


def _modules_after(code: str) -> set[str]:
    listing = "sorted({m.split('.')[0] for m in sys.modules})"
    probe = f"{code}\nimport sys, json\nprint(json.dumps({listing}))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_loads_no_heavy_library():
    assert _modules_after("import ecmactl.cli") & HEAVY == set()


@pytest.mark.parametrize("args", [["--help"], ["--version"]])
def test_help_and_version_load_no_heavy_library(args):
    code = (
        "import sys\n"
        f"sys.argv = ['ecmactl', *{args!r}]\n"
        "from ecmactl.__main__ import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    assert _modules_after(code) & HEAVY == set()


def test_version_fast_path_matches_the_package():
    from ecmactl import __version__

    out = subprocess.run(
        [sys.executable, "-m", "ecmactl", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout == f"ecmactl {__version__}\n"


def test_every_lazy_command_is_listed_and_loads():
    from typer.testing import CliRunner

    from ecmactl.cli import app
    from ecmactl.cli._run import _available

    for name in _available():
        result = CliRunner().invoke(app, [name, "--help"], catch_exceptions=False)
        assert result.exit_code == 0, (name, result.output)
    listing = CliRunner().invoke(app, ["--help"]).stdout
    assert all(name in listing for name in _available())


def test_status_commands_do_not_load_the_host_stack():
    """`host status` / `agent status` read the run files and ask over HTTPS: no Starlette,
    SQLAlchemy or SCIM layer in that process."""
    loaded = _modules_after("import ecmactl.status, ecmactl.host.runfile, ecmactl.cli.agent")
    assert loaded & {"starlette", "sqlalchemy", "uvicorn"} == set()


def test_shipped_top_level_help_is_what_the_cli_prints():
    """`ecmactl --help` answers from ecmactl/cli/help.txt; it must match the live CLI."""
    from ecmactl.cli._static_help import HELP_FILE, render

    assert HELP_FILE.read_text(encoding="utf-8") == render(), (
        "ecmactl/cli/help.txt is stale: run `python -m ecmactl.cli._static_help`"
    )


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_fast_path_prints_the_shipped_text(flag: str):
    from ecmactl.cli._static_help import HELP_FILE

    out = subprocess.run(
        [sys.executable, "-m", "ecmactl", flag],
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, "COLUMNS": "100"},
    )
    assert out.stdout == HELP_FILE.read_text(encoding="utf-8")


def test_narrow_terminals_get_the_cli_own_wrapping():
    out = subprocess.run(
        [sys.executable, "-m", "ecmactl", "--help"],
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, "COLUMNS": "60"},
    )
    assert max(len(line) for line in out.stdout.splitlines()) <= 60
