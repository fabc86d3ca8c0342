"""`ecmactl token set|rotate|show` through the real command tree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ecmactl.cli import app
from ecmactl.config.models import Connectivity, Connector, HostSettings, Schema
from ecmactl.config.store import load_connector, save_connector, save_settings
from ecmactl.home import Home
from ecmactl.testing import MemoryKeyring
from ecmactl.tokens import accepted_tokens

TOKEN = "Token-For-Entra-0123456789"


def make_connector(home: Home, name: str) -> None:
    save_connector(
        home,
        Connector(
            name=name,
            connectivity=Connectivity(database_url="sqlite:///{home}/data/hr.db"),
            schema=Schema(table="Employees", anchor="ContosoLogin"),
        ),
    )


@pytest.fixture
def sql(home: Home) -> str:
    save_settings(home, HostSettings(hostname="ecma01.contoso.test"))
    make_connector(home, "SQL")
    return "SQL"


def run(
    home: Home, *args: str, input: str | None = None, env: dict[str, str] | None = None
) -> Result:
    return CliRunner().invoke(
        app,
        ["--home", str(home.root), "token", *args],
        input=input,
        env=env,
        catch_exceptions=False,
    )


def flat(text: str) -> str:
    return " ".join(text.split())


def test_set_from_a_file_then_show_masked_and_revealed(
    home: Home, sql: str, tmp_path: Path
) -> None:
    token_file = tmp_path / "token.txt"
    token_file.write_text(TOKEN + "\n")
    result = run(home, "set", "--token-file", str(token_file))
    assert result.exit_code == 0, result.output
    assert TOKEN not in result.output and "Set the secret token of SQL" in flat(result.stderr)
    shown = run(home, "show")
    assert shown.exit_code == 0 and TOKEN not in shown.output
    assert "*" * (len(TOKEN) - 2) + "89" in shown.stdout and "(26 characters)" in shown.stdout
    assert run(home, "show", "--reveal").stdout == TOKEN + "\n"
    doc = json.loads(run(home, "show", "--json").stdout)
    assert doc["schema"] == "ecmactl/token/v1" and doc["store"] == "keyring"
    assert TOKEN not in json.dumps(doc)


def test_set_from_stdin_env_and_generate(home: Home, sql: str) -> None:
    assert run(home, "set", "--secret-token-file", "-", input=TOKEN + "\n").exit_code == 0
    assert run(home, "show", "--reveal").stdout == TOKEN + "\n"
    assert run(home, "set", env={"ECMACTL_SECRET_TOKEN": "from-the-env-123"}).exit_code == 0
    assert run(home, "show", "--reveal").stdout == "from-the-env-123\n"
    generated = run(home, "set", "--generate", "--reveal")
    value = generated.stdout.strip()
    assert generated.exit_code == 0 and len(value) == 32 and value.isalnum()
    assert run(home, "show", "--reveal").stdout == value + "\n"


def test_set_without_any_input_names_the_flags(home: Home, sql: str) -> None:
    result = run(home, "set")
    assert result.exit_code == 2
    assert "--secret-token-file" in result.stderr and "--generate" in result.stderr


def test_short_token_and_reveal_with_json_are_refused(home: Home, sql: str) -> None:
    short = run(home, "set", "--token-file", "-", input="short\n")
    assert short.exit_code == 2 and "at least 12 characters" in flat(short.stderr)
    assert "short" not in short.stderr.replace("(this one has 5)", "")
    both = run(home, "show", "--reveal", "--json")
    assert both.exit_code == 2 and both.stdout == ""


def test_rotate_keeps_the_old_token_for_the_grace_period(home: Home, sql: str) -> None:
    run(home, "set", "--token-file", "-", input=TOKEN + "\n")
    result = run(home, "rotate", "--grace", "2h", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["schema"] == "ecmactl/token-change/v1" and doc["action"] == "rotated"
    assert doc["previous_accepted_until"] and TOKEN not in result.stdout
    new = run(home, "show", "--reveal").stdout.strip()
    assert accepted_tokens(load_connector(home, "SQL"), home) == [new, TOKEN]
    shown = run(home, "show").stdout
    assert "still accepted until" in shown
    text = run(home, "rotate", "--grace", "0")
    assert text.exit_code == 0 and "no longer accepted" in flat(text.stderr)
    assert TOKEN not in accepted_tokens(load_connector(home, "SQL"), home)


def test_rotate_bad_grace(home: Home, sql: str) -> None:
    run(home, "set", "--generate")
    assert run(home, "rotate", "--grace", "tomorrow").exit_code == 2
    assert run(home, "rotate", "--grace", "31d").exit_code == 2


def test_choosing_the_connector(home: Home, sql: str) -> None:
    make_connector(home, "HR")
    ambiguous = run(home, "show")
    assert ambiguous.exit_code == 2 and "--connector" in ambiguous.stderr
    assert run(home, "set", "-c", "HR", "--generate").exit_code == 0
    unknown = run(home, "show", "--connector", "Nope")
    assert unknown.exit_code == 2 and "no connector named 'Nope'" in unknown.stderr


def test_no_connector_at_all(home: Home) -> None:
    result = run(home, "show")
    assert result.exit_code == 1 and f"ecmactl --home {home.root} init" in result.stderr


def test_show_without_a_token(home: Home, sql: str) -> None:
    shown = run(home, "show")
    assert shown.exit_code == 0 and "none" in shown.stdout
    assert run(home, "show", "--reveal").exit_code == 1


# The settings say where a new token goes (secret_store = "file"); each breaks differently.
BROKEN_SETTINGS = {
    "syntax": ("port = = 3\n", "is not valid TOML"),
    "type": ('[limits]\nmax_connections = "many"\n', "limits.max_connections"),
    "rule": ("[limits]\nmax_header_count = 1\n", "limits.max_header_count = 1 is out of range"),
}


@pytest.mark.parametrize("breakage", sorted(BROKEN_SETTINGS))
def test_set_with_broken_settings_is_the_error_not_another_store(home: Home, breakage: str) -> None:
    save_settings(home, HostSettings(hostname="ecma01.contoso.test", secret_store="file"))
    make_connector(home, "SQL")
    appended, expected = BROKEN_SETTINGS[breakage]
    home.settings_path.write_text(home.settings_path.read_text().split("[limits]")[0] + appended)
    connector_before = home.connector_path("SQL").read_bytes()

    result = run(home, "set", "--generate")

    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and str(home.settings_path) in errors[0], result.stderr
    assert expected in flat(result.stderr)
    assert home.connector_path("SQL").read_bytes() == connector_before
    assert not home.secrets_dir.exists() and not MemoryKeyring._store


def test_a_token_file_that_is_not_utf8_is_bad_input(home: Home, sql: str, tmp_path: Path) -> None:
    token_file = tmp_path / "token.txt"
    token_file.write_bytes(b"\xff\xfe" + TOKEN.encode("utf-16-le"))
    result = run(home, "set", "--token-file", str(token_file))
    assert result.exit_code == 2, result.output
    assert f"token-file: {token_file} is not UTF-8 text" in flat(result.stderr)
    assert "Save it as UTF-8 text" in flat(result.stderr)
