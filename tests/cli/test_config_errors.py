"""Every config read error is a one-line message naming the file and the fix, in every command
that loads config: no traceback, exit 1, nothing served."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from ecmactl.cli import app
from ecmactl.config.store import load_connector
from ecmactl.errors import ConfigError
from ecmactl.home import Home
from tests.host.hostproc import make_home

# Commands that load the settings and the connector (each must report, never crash).
COMMANDS: list[list[str]] = [
    ["host", "run", "--port", "0"],
    ["host", "status"],
    ["agent", "status"],
    ["configure", "show", "--connector", "SQL"],
    ["bundle", "emit", "--output", "-"],
]
# `token show` reads only the connector.
CONNECTOR_ONLY: list[list[str]] = [["token", "show", "--connector", "SQL"]]


def invoke(home: Home, *args: str) -> Result:
    return CliRunner().invoke(app, ["--home", str(home.root), *args], catch_exceptions=False)


def one_error(result: Result, path: Path) -> str:
    """The Error line naming the file (and no traceback anywhere)."""
    text = result.output  # stdout and stderr, as a terminal shows them
    assert "Traceback" not in text
    lines = [line for line in text.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, text
    assert str(path) in lines[0], text
    assert "Fix:" in text, text
    return lines[0]


def _latin1(path: Path) -> None:
    path.write_bytes(path.read_bytes().replace(b'hostname = "localhost"', b'hostname = "h\xe9"'))


def _latin1_connector(path: Path) -> None:
    path.write_bytes(path.read_bytes() + b'description = "Fran\xe7ois"\n')


def _bad_syntax(path: Path) -> None:
    path.write_text(path.read_text() + "port = = 3\n")


def _directory(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _unreadable(path: Path) -> None:
    os.chmod(path, 0)


BREAKAGES: dict[str, tuple[Callable[[Path], None], str]] = {
    "settings-latin1": (_latin1, "is not valid UTF-8 (byte 0xe9 on line"),
    "settings-syntax": (_bad_syntax, "is not valid TOML"),
    "settings-directory": (_directory, "is a directory"),
    "connector-latin1": (_latin1_connector, "is not valid UTF-8"),
    "connector-directory": (_directory, "is a directory"),
}


CASES = [
    (breakage, command)
    for breakage in sorted(BREAKAGES)
    for command in COMMANDS + (CONNECTOR_ONLY if breakage.startswith("connector") else [])
]


def edit(path: Path, mutate: Callable[[dict[str, Any]], None]) -> None:
    import tomllib

    import tomli_w

    data = tomllib.loads(path.read_text())
    mutate(data)
    path.write_text(tomli_w.dumps(data))


IDS = [f"{breakage}-{command[0]}-{command[1]}" for breakage, command in CASES]


@pytest.mark.parametrize(("breakage", "command"), CASES, ids=IDS)
def test_a_broken_file_is_one_line_naming_it(home: Home, breakage: str, command: list[str]) -> None:
    make_home(home)
    path = home.connector_path("SQL") if breakage.startswith("connector") else home.settings_path
    damage, expected = BREAKAGES[breakage]
    damage(path)
    result = invoke(home, *command)
    assert result.exit_code != 0
    assert expected in one_error_or_check(result, path)


def one_error_or_check(result: Result, path: Path) -> str:
    """`host status`/`agent status` report a failing check; other commands an Error line."""
    text = result.output  # stdout and stderr, as a terminal shows them
    assert "Traceback" not in text
    if "Error:" in text:
        return one_error(result, path)
    failing = [line for line in text.splitlines() if line.startswith("✗") and str(path) in line]
    assert len(failing) == 1, text
    return failing[0]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_permission_denied_names_the_file_and_the_fix(home: Home) -> None:
    make_home(home)
    _unreadable(home.settings_path)
    try:
        line = one_error(invoke(home, "host", "run", "--port", "0"), home.settings_path)
    finally:
        os.chmod(home.settings_path, 0o600)
    assert "permission denied" in line


def test_syntax_error_gives_line_and_column(home: Home) -> None:
    make_home(home)
    _bad_syntax(home.settings_path)
    with pytest.raises(ConfigError) as caught:
        from ecmactl.config.store import load_settings

        load_settings(home)
    assert "line" in caught.value.message and "column" in caught.value.message


def test_wrong_type_and_unknown_version_name_the_file(home: Home) -> None:
    make_home(home)
    path = home.connector_path("SQL")
    text = path.read_text()
    path.write_text(text.replace("schema_version = 1", "schema_version = 99"))
    with pytest.raises(ConfigError, match="newer ecmactl") as caught:
        load_connector(home, "SQL")
    assert str(path) in caught.value.message and caught.value.hint
    path.write_text(text)
    edit(path, lambda data: data.update(autosync_minutes="soon"))
    with pytest.raises(ConfigError) as caught:
        load_connector(home, "SQL")
    assert caught.value.message.startswith(f"{path}:")
    assert "autosync_minutes" in caught.value.message and caught.value.hint


# -- every field by the wizard's rules ------------------------------------------------------------


@pytest.mark.parametrize("value", [-5, 0, 10081])
def test_autosync_out_of_range_is_refused_on_load(home: Home, value: int) -> None:
    make_home(home)
    path = home.connector_path("SQL")
    edit(path, lambda data: data.update(autosync_minutes=value))
    result = invoke(home, "host", "run", "--port", "0")
    line = one_error(result, path)
    assert result.exit_code == 1
    assert f"autosync_minutes = {value}" in line and "from 1 to 10080" in line
    assert "configure properties --connector SQL" in result.output


@pytest.mark.parametrize(
    ("key", "value", "shown", "allowed"),
    [
        ("port", 0, "0", "from 1 to 65535"),
        ("port", 70000, "70000", "from 1 to 65535"),
        ("hostname", "bad name!", '"bad name!"', "not a valid host name"),
        ("bind_address", "everywhere", '"everywhere"', "not an IP address"),
    ],
)
@pytest.mark.parametrize("command", [["host", "status"], ["host", "run", "--port", "0"]])
def test_settings_fields_follow_the_wizards_rules(
    home: Home, key: str, value: Any, shown: str, allowed: str, command: list[str]
) -> None:
    make_home(home)
    path = home.settings_path
    edit(path, lambda data: data.update({key: value}))
    result = invoke(home, *command)
    assert result.exit_code != 0
    line = one_error_or_check(result, path)
    assert f"{key} = {shown}" in line and allowed in line


def test_connector_time_zone_and_secret_reference_are_checked(home: Home) -> None:
    make_home(home)
    path = home.connector_path("SQL")
    text = path.read_text()
    edit(path, lambda data: data["global"].update(data_source_time_zone="Mars/Olympus"))
    with pytest.raises(ConfigError, match="not an IANA time zone"):
        load_connector(home, "SQL")
    path.write_text(text.replace("file:secrets/SQL.secret-token", "vault:x"))
    with pytest.raises(ConfigError, match="secret_token_ref"):
        load_connector(home, "SQL")


def test_the_wizard_and_the_loader_share_one_rule() -> None:
    from ecmactl.config import rules
    from ecmactl.wizard import validators
    from ecmactl.wizard.questions import Invalid

    with pytest.raises(Invalid) as wizard:
        validators.autosync_minutes(0, None)  # type: ignore[arg-type]
    with pytest.raises(rules.RuleError) as loader:
        rules.autosync_minutes(0)
    assert str(wizard.value) == str(loader.value)


def test_bindings_follow_the_wizards_rules(home: Home) -> None:
    make_home(home)
    path = home.connector_path("SQL")
    text = path.read_text()
    edit(path, lambda data: data["attributes"][0].update(scim="userNames"))
    with pytest.raises(ConfigError, match=r"attributes\[0\].scim = \"userNames\""):
        load_connector(home, "SQL")
    path.write_text(text)
    edit(path, lambda data: data["attributes"].append({"column": "Login", "scim": "userName"}))
    with pytest.raises(ConfigError, match="userName is bound to both Login and Login"):
        load_connector(home, "SQL")


def test_the_printed_configure_command_can_fix_the_file(home: Home) -> None:
    """The Fix line's command opens the file its rules refuse (else it could never fix it)."""
    import shlex

    make_home(home)
    path = home.connector_path("SQL")
    edit(path, lambda data: data.update(autosync_minutes=-5))
    result = invoke(home, "host", "status")
    line = next(ln for ln in result.output.splitlines() if "configure properties" in ln)
    printed = shlex.split(line.split("`")[1])
    assert printed[:3] == ["ecmactl", "--home", str(home.root)]
    fixed = invoke(home, *printed[3:], "--autosync-minutes", "5", "--no-input")
    assert fixed.exit_code == 0, fixed.output
    assert load_connector(home, "SQL").autosync_minutes == 5


# -- the wizard's name and object-type rules hold on load too -------------------------------------


@pytest.mark.parametrize("typed", ["Group", "groups", "Department"])
def test_a_hand_written_target_object_is_refused_on_load(home: Home, typed: str) -> None:
    make_home(home)
    path = home.connector_path("SQL")
    edit(path, lambda data: data.setdefault("object_type", {}).update(target_object=typed))
    result = invoke(home, "token", "show", "--connector", "SQL")
    assert result.exit_code == 1
    line = one_error(result, path)
    assert f'object_type.target_object = "{typed}" is not allowed' in line
    assert "use User" in line
    fix = next(ln for ln in result.output.splitlines() if ln.startswith("Fix:"))
    assert f"--home {home.root} configure object-types --connector SQL" in fix
    printed = fix.split("`")[1].split()[3:]  # the command it prints repairs the file
    fixed = invoke(home, *printed, "--target-object", "User", "--no-input")
    assert fixed.exit_code == 0, fixed.output
    assert load_connector(home, "SQL").object_type.target_object == "User"


def test_a_hand_written_prefixed_connector_name_is_refused_on_load(home: Home) -> None:
    make_home(home, connectors=("SQL", "ecma2host_HR"))
    path = home.connector_path("ecma2host_HR")
    result = invoke(home, "token", "show", "--connector", "ecma2host_HR")
    assert result.exit_code == 1
    line = one_error(result, path)
    assert 'name = "ecma2host_HR" is not allowed: the host adds the ecma2host_ prefix' in line
    assert "name it HR" in line
    assert f"Fix: Correct it in {path} and rename the file to match" in result.output


def test_the_wizard_refuses_with_the_loaders_rules() -> None:
    from ecmactl.config import rules
    from ecmactl.wizard import validators
    from ecmactl.wizard.context import WizardContext
    from ecmactl.wizard.questions import Invalid

    ctx = WizardContext(home=Home(Path("/nonexistent")), existing_connectors=set())
    for check, rule, value in [
        (validators.target_object, rules.target_object, "Group"),
        (validators.connector_name, rules.connector_name, "ECMA2HOST_HR"),
    ]:
        with pytest.raises(Invalid) as wizard:
            check(value, ctx)
        with pytest.raises(rules.RuleError) as loader:
            rule(value)
        assert str(wizard.value) == str(loader.value)
    assert validators.target_object("user", ctx) == rules.target_object("user") == "User"


def test_lease_ttl_nan_is_a_bad_flag_not_a_broken_lease(home: Home) -> None:
    make_home(home)
    result = invoke(home, "host", "run", "--port", "0", "--lease-ttl", "nan")
    assert result.exit_code == 2, result.output
    assert "--lease-ttl" in result.output and "1<=x<=300" in result.output
