"""Two runs of the CLI in one process (tests, a program embedding it) share nothing: the global
options, the consoles made from them and standard input belong to one run, kept on its click
context, never in module state."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ecmactl.cli import app
from ecmactl.config.models import Connectivity, Connector, Schema
from ecmactl.config.store import save_connector
from ecmactl.home import Home

CLI_PACKAGE = Path(__file__).parents[2] / "ecmactl" / "cli"
TOKEN = "Token-For-Entra-0123456789"


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=input, env=env, catch_exceptions=False)


def home_with(root: Path, connector: str) -> Home:
    home = Home(root)
    save_connector(
        home,
        Connector(
            name=connector,
            connectivity=Connectivity(database_url="sqlite:///{home}/data/db.sqlite"),
            schema=Schema(table="Employees", anchor="ContosoLogin"),
        ),
    )
    assert run("--home", str(root), "token", "set", "--generate").exit_code == 0
    return home


@pytest.fixture
def homes(tmp_path: Path) -> tuple[str, str]:
    """Home A holds the connector HR, home B the connector SQL."""
    home_with(tmp_path / "a", "HR")
    home_with(tmp_path / "b", "SQL")
    return str(tmp_path / "a"), str(tmp_path / "b")


def test_json_then_human_output_and_one_home_then_another(homes: tuple[str, str]) -> None:
    a, b = homes
    first = run("--home", a, "token", "show", "--json")
    assert first.exit_code == 0 and json.loads(first.stdout)["connector"] == "HR"

    second = run("token", "show", "--home", b)  # the global option after the sub-command
    assert second.exit_code == 0, second.output
    assert "SQL" in second.stdout and "HR" not in second.stdout
    assert not second.stdout.lstrip().startswith("{")

    third = run("--home", a, "token", "show")
    assert third.exit_code == 0 and "HR" in third.stdout and "SQL" not in third.stdout


def test_a_home_given_once_is_not_the_next_runs_home(homes: tuple[str, str]) -> None:
    a, _ = homes
    assert run("token", "show", "--home", a).exit_code == 0
    # No --home and no ECMACTL_HOME: the per-user home, which holds no connector.
    fresh = run("token", "show")
    assert fresh.exit_code != 0 and "HR" not in fresh.output


def test_quiet_ends_with_its_run(homes: tuple[str, str]) -> None:
    from ecmactl.cli import _output
    from ecmactl.cli._context import GlobalOptions, global_options

    a, _ = homes
    quiet = run("--home", a, "token", "set", "--generate", "-q")
    assert quiet.exit_code == 0 and quiet.stderr == ""
    assert not _output.quiet() and global_options() == GlobalOptions()  # outside a run

    loud = run("--home", a, "token", "set", "--generate")
    assert loud.exit_code == 0 and "Set the secret token of HR" in loud.stderr


def test_no_color_ends_with_its_run(homes: tuple[str, str]) -> None:
    a, _ = homes
    forced = {"FORCE_COLOR": "1"}
    coloured = run("--home", a, "token", "show", "--connector", "NOPE", env=forced)
    plain = run("--home", a, "token", "show", "--connector", "NOPE", "--no-color", env=forced)
    again = run("--home", a, "token", "show", "--connector", "NOPE", env=forced)

    assert coloured.exit_code == plain.exit_code == again.exit_code == 2
    red = "\x1b[1;31m"  # bold stays without colour; red does not
    assert red in coloured.stderr and red in again.stderr
    assert red not in plain.stderr and "Error:" in plain.stderr


def test_a_failed_run_leaves_nothing_for_the_next(homes: tuple[str, str]) -> None:
    a, _ = homes
    failed = run("--home", a, "-q", "token", "set", "--secret-token-file", "-", input="short\n")
    assert failed.exit_code == 2 and "at least 12 characters" in failed.stderr

    # Standard input is this run's to read again; not quiet; the same home, named again.
    ok = run("--home", a, "token", "set", "--secret-token-file", "-", input=TOKEN + "\n")
    assert ok.exit_code == 0, ok.output
    assert "Set the secret token of HR" in ok.stderr and "Error" not in ok.stderr
    assert run("--home", a, "token", "show", "--reveal").stdout == TOKEN + "\n"


def test_the_old_module_state_holders_are_gone() -> None:
    from ecmactl.cli import _context, _output

    assert not hasattr(_context, "GLOBALS")
    assert not hasattr(_output, "OPTIONS") and not hasattr(_output, "_consoles")


MUTATORS = frozenset(
    {"append", "add", "clear", "discard", "extend", "insert", "pop", "popitem", "remove"}
    | {"setdefault", "update"}
)


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _module_state_writes(source: str, label: str) -> list[str]:
    """Places in one module that write to a module-level name (its own or an imported
    module's): ``NAME.x = …``, ``NAME[k] = …``, ``NAME.clear()``, ``global NAME``."""
    tree = ast.parse(source)
    module_names = {
        target.id
        for stmt in tree.body
        if isinstance(stmt, ast.Assign | ast.AnnAssign)
        for target in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target])
        if isinstance(target, ast.Name)
    }
    module_names |= {
        (alias.asname or alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        local = {a.arg for a in ast.walk(function.args) if isinstance(a, ast.arg)}
        local |= {
            n.id
            for n in ast.walk(function)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
        }
        shared = module_names - local
        for node in ast.walk(function):
            where = f"{label}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Global):
                found.append(f"{where}: global {', '.join(node.names)}")
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign | ast.Delete):
                targets = list(node.targets)
            elif isinstance(node, ast.AugAssign | ast.AnnAssign):
                targets = [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute | ast.Subscript) and (
                    _root_name(target) in shared
                ):
                    found.append(f"{where}: writes {ast.unparse(target)}")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in MUTATORS
                and isinstance(node.func.value, ast.Name | ast.Attribute | ast.Subscript)
                and _root_name(node.func.value) in shared
                and _root_name(node.func.value) != "self"
            ):
                found.append(f"{where}: calls {ast.unparse(node.func)}()")
    return found


def test_no_cli_module_keeps_state_in_module_globals() -> None:
    """A run's state goes on its click context (``_context.global_options``): a module-level
    holder written by a command would leak from one run into the next."""
    writes = [
        write
        for path in sorted(CLI_PACKAGE.rglob("*.py"))
        for write in _module_state_writes(path.read_text(encoding="utf-8"), str(path))
    ]
    assert writes == []


def test_the_state_check_sees_a_module_level_holder() -> None:
    source = (
        "from ecmactl.cli import _output\n"
        "STATE = {}\n"
        "def remember(ctx, value):\n"
        "    STATE['home'] = value\n"
        "    _output.OPTIONS.quiet = True\n"
        "    STATE.clear()\n"
        "    ctx.meta['ok'] = value\n"
    )
    writes = _module_state_writes(source, "probe.py")
    assert [w.split(": ", 1)[1] for w in writes] == [
        "writes STATE['home']",
        "writes _output.OPTIONS.quiet",
        "calls STATE.clear()",
    ]
