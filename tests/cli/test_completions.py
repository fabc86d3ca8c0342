"""Shell completion: the shipped scripts match the live CLI, and they complete in real shells.

bash always runs here; zsh, fish and PowerShell run where their binaries are installed.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer import _click as click
from typer.core import TyperGroup
from typer.main import get_command
from typer.testing import CliRunner

from ecmactl.cli import app
from ecmactl.cli._completion_gen import FILE_NAMES, SHELLS, metavar_choices, read_tree
from ecmactl.cli.completion import register, root_command, script

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "completions"
REGENERATE = ".venv/bin/python -m ecmactl.cli._completion_gen completions"
CONFIGURE_PAGES = {
    "settings",
    "properties",
    "connectivity",
    "schema",
    "global",
    "run-profiles",
    "object-types",
    "attributes",
    "deprovisioning",
    "show",
}


@pytest.fixture(scope="module")
def scripts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Freshly generated scripts, so behaviour tests do not depend on the shipped copies."""
    folder = tmp_path_factory.mktemp("completions")
    paths = {}
    for shell in SHELLS:
        paths[shell] = folder / FILE_NAMES[shell]
        paths[shell].write_text(script(app, shell), encoding="ascii", newline="\n")
    return paths


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """A working directory with two folders and a file, for path completion."""
    (tmp_path / "alpha").mkdir()
    (tmp_path / "beta").mkdir()
    (tmp_path / "notes.txt").write_text("x")
    return tmp_path


# --- the shipped files --------------------------------------------------------------------


@pytest.mark.parametrize("shell", SHELLS)
def test_shipped_script_matches_the_cli(shell: str, scripts: dict[str, Path]) -> None:
    shipped = SHIPPED / FILE_NAMES[shell]
    expected = scripts[shell].read_bytes()
    actual = shipped.read_bytes() if shipped.exists() else b""
    if actual != expected:
        diff = difflib.unified_diff(
            actual.decode(errors="replace").splitlines(),
            expected.decode().splitlines(),
            f"shipped {shipped.name}",
            "generated from the CLI",
            lineterm="",
            n=1,
        )
        excerpt = "\n".join(list(diff)[:30])
        pytest.fail(
            f"completions/{shipped.name} is missing or stale (the CLI changed). Regenerate "
            f"all four from the repository root with:\n\n    {REGENERATE}\n\n{excerpt}",
            pytrace=False,
        )


def test_scripts_are_ascii_with_unix_newlines(scripts: dict[str, Path]) -> None:
    # Windows PowerShell 5.1 reads a BOM-less script as ANSI; CRLF breaks bash and zsh.
    for path in scripts.values():
        data = path.read_bytes()
        assert data.isascii() and b"\r" not in data, path.name


# --- bash, for real -----------------------------------------------------------------------


def _bash_words(line: str) -> list[str]:
    """COMP_WORDS as bash builds them: split at spaces, and around "=" (in COMP_WORDBREAKS)."""
    words: list[str] = []
    for word in line.split(" "):  # a trailing space leaves "": TAB on a new, empty word
        if word.startswith("-") and "=" in word:
            name, value = word.split("=", 1)
            words += [name, "="] + ([value] if value else [])
        else:
            words.append(word)
    return words


_BASH_DRIVER = """
source "$1"; shift
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
_ecmactl
printf '%s\\n' "${COMPREPLY[@]}"
"""


def bash_complete(scripts: dict[str, Path], line: str, cwd: Path | None = None) -> list[str]:
    """What TAB offers at the end of ``line``, from the completion function itself."""
    out = subprocess.run(
        [
            "bash",
            "--norc",
            "--noprofile",
            "-c",
            _BASH_DRIVER,
            "bash",
            str(scripts["bash"]),
            *_bash_words(line),
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": os.environ["PATH"]},
    )
    assert out.stderr == ""
    return [w for w in out.stdout.splitlines() if w]


def _live_subcommands(*path: str) -> set[str]:
    command = root_command(app)
    ctx = click.Context(command)
    for name in path:
        assert isinstance(command, TyperGroup)
        command = command.get_command(ctx, name)  # type: ignore[assignment]
        ctx = click.Context(command, parent=ctx, info_name=name)
    assert isinstance(command, TyperGroup)
    return set(command.list_commands(ctx))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("ecmactl con", ["configure"]),
        ("ecmactl init --delete-flow ", ["None", "Delete"]),
        ("ecmactl init --delete-flow=De", ["Delete"]),  # bash splits --opt=value at "="
        ("ecmactl init --delete-flow=", ["None", "Delete"]),
        ("ecmactl configure deprovisioning --disable-flow S", ["Set\\ attribute\\ value"]),
        ("ecmactl init --secret-store k", ["keyring"]),
        ("ecmactl completion ", ["bash", "zsh", "fish", "powershell"]),
        ("ecmactl init --no-dn", ["--no-dn-is-anchor"]),  # the off side of --x/--no-x
        ("ecmactl -q --home alpha con", ["configure"]),  # global options and their values
        ("ecmactl configure settings --port 8443 --sec", ["--secret-store"]),
        ("ecmactl init --name ", []),  # free text: nothing to offer, not even file names
        ("ecmactl configure show -c ", []),
        # the global options go after a sub-command too
        (
            "ecmactl -v -v configure -",
            ["--home", "-q", "--quiet", "-v", "--verbose", "--no-color", "-h", "--help"],
        ),
    ],
)
def test_bash_completes(line: str, expected: list[str], scripts: dict[str, Path]) -> None:
    assert bash_complete(scripts, line) == expected


def test_bash_completes_every_configure_page(scripts: dict[str, Path]) -> None:
    offered = bash_complete(scripts, "ecmactl configure ")
    assert set(offered) == _live_subcommands("configure")
    assert set(offered) >= CONFIGURE_PAGES


def test_bash_completes_options_by_prefix(scripts: dict[str, Path]) -> None:
    offered = bash_complete(scripts, "ecmactl init --del")
    assert "--delete-flow" in offered
    assert all(o.startswith("--del") for o in offered)


def test_bash_completes_global_options_without_typers_installers(scripts: dict[str, Path]) -> None:
    offered = bash_complete(scripts, "ecmactl -")
    assert {
        "--home",
        "-q",
        "--quiet",
        "-v",
        "--verbose",
        "--no-color",
        "--version",
        "-h",
        "--help",
    } == set(offered)


def test_bash_completes_directories_for_home(scripts: dict[str, Path], files: Path) -> None:
    assert sorted(bash_complete(scripts, "ecmactl --home ", cwd=files)) == ["alpha", "beta"]
    assert bash_complete(scripts, "ecmactl --home=b", cwd=files) == ["beta"]


def test_bash_completes_files_for_path_options(scripts: dict[str, Path], files: Path) -> None:
    assert sorted(bash_complete(scripts, "ecmactl init --answers-file ", cwd=files)) == [
        "alpha",
        "beta",
        "notes.txt",
    ]
    # A plain-string option whose metavar says PATH (the secret files) completes paths too.
    assert bash_complete(scripts, "ecmactl init --secret-token-file n", cwd=files) == ["notes.txt"]


def test_bash_offers_each_commands_own_options(scripts: dict[str, Path]) -> None:
    """For every command in the live tree, `ecmactl PATH -<TAB>` offers exactly its options."""
    tree = read_tree(root_command(app))
    commands = list(tree.walk())
    lines = "\n".join(
        f'COMP_WORDS=({cmd.key} -); COMP_CWORD={len(cmd.path)}; _ecmactl; echo "${{COMPREPLY[*]}}"'
        for cmd in commands
    )
    out = subprocess.run(
        [
            "bash",
            "--norc",
            "--noprofile",
            "-c",
            f'source "$1"\n{lines}',
            "bash",
            str(scripts["bash"]),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    offered = out.stdout.splitlines()
    assert len(offered) == len(commands)
    init_flags = 0
    for cmd, words in zip(commands, offered, strict=True):
        expected = {n for o in cmd.options for n in o.all_names}
        assert set(words.split()) == expected, cmd.key
        assert not {"--install-completion", "--show-completion"} & expected
        if cmd.key == "ecmactl init":
            init_flags = len(expected)
    assert init_flags > 50  # the wizard's generated flags are all there


def test_bash_tab_in_an_interactive_shell(scripts: dict[str, Path], files: Path) -> None:
    """A real TAB through readline: the `complete -F` registration and file-name quoting."""
    pexpect = pytest.importorskip("pexpect")
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(files),
        "TERM": "dumb",
        "PS1": "READY$ ",
        "INPUTRC": "/dev/null",
    }
    shell = pexpect.spawn(
        "bash",
        ["--norc", "--noprofile", "-i"],
        cwd=str(files),
        env=env,
        encoding="utf-8",
        timeout=30,  # a hang bound, not a speed check
    )
    try:
        shell.expect_exact("READY$ ")
        shell.sendline(f"source {scripts['bash']}")
        shell.expect_exact("READY$ ")
        shell.send("ecmactl configure deprov\t")
        shell.expect_exact("deprovisioning ")
        shell.send("--delete-flow De\t")
        shell.expect_exact("Delete ")
        shell.sendcontrol("c")
        shell.expect_exact("READY$ ")
        shell.send("ecmactl --home al\t")
        shell.expect_exact("alpha/")  # -o filenames: a folder gets its slash
    finally:
        shell.close(force=True)


# --- zsh, fish, PowerShell where installed ------------------------------------------------


def _needs(binary: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(shutil.which(binary) is None, reason=f"{binary} is not installed")


@_needs("zsh")
def test_zsh_script_loads_and_registers(scripts: dict[str, Path]) -> None:
    subprocess.run(["zsh", "-n", str(scripts["zsh"])], check=True)
    probe = f"autoload -Uz compinit; compinit -u -D; source {scripts['zsh']}; "
    probe += "print $_comps[ecmactl]"
    out = subprocess.run(
        ["zsh", "-f", "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": os.environ["PATH"], "HOME": str(scripts["zsh"].parent)},
    )
    assert out.stdout.strip() == "_ecmactl"


@_needs("fish")
def test_fish_completes(scripts: dict[str, Path], files: Path) -> None:
    cases = {
        "ecmactl con": ["configure"],
        "ecmactl init --delete-flow ": ["Delete", "None"],
        "ecmactl completion ": ["bash", "fish", "powershell", "zsh"],
        "ecmactl --home ": ["alpha/", "beta/"],
    }
    program = f"source {scripts['fish']}\n" + "\n".join(
        f"echo '>>>'; complete -C {json.dumps(line)}" for line in cases
    )
    out = subprocess.run(
        ["fish", "--no-config", "-c", program],
        cwd=files,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": os.environ["PATH"]},
    )
    results = [
        sorted(line.split("\t")[0] for line in block.strip().splitlines())
        for block in out.stdout.split(">>>")[1:]
    ]
    assert results == [sorted(v) for v in cases.values()]
    pages = subprocess.run(
        [
            "fish",
            "--no-config",
            "-c",
            f"source {scripts['fish']}\ncomplete -C 'ecmactl configure '",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert {line.split("\t")[0] for line in pages.splitlines()} == _live_subcommands("configure")


@_needs("pwsh")
def test_powershell_completes(scripts: dict[str, Path], files: Path) -> None:
    cases = {
        "ecmactl con": ["configure"],
        "ecmactl init --delete-flow ": ["Delete", "None"],
        "ecmactl init --del": ["--delete-flow", "--delta-import", "--delta-strategy"],
        "ecmactl completion ": ["bash", "fish", "powershell", "zsh"],
        "ecmactl configure ": sorted(_live_subcommands("configure")),
    }
    program = (
        f". '{scripts['powershell']}'\n"
        "$cases = ConvertFrom-Json $env:CASES\n"
        "$result = foreach ($line in $cases) {\n"
        "  ,@((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches |\n"
        "     ForEach-Object { $_.CompletionText } | Sort-Object)\n"
        "}\n"
        "ConvertTo-Json -InputObject @($result) -Compress"
    )
    out = subprocess.run(
        ["pwsh", "-NoProfile", "-NonInteractive", "-Command", program],
        cwd=files,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "CASES": json.dumps(list(cases))},
    )
    assert json.loads(out.stdout) == [sorted(v) for v in cases.values()]


# --- the `completion` command -------------------------------------------------------------


def _invoke(*args: str) -> Any:
    root = get_command(app)
    if root.get_command(click.Context(root), "completion") is None:  # type: ignore[attr-defined]
        register(app)  # until the CLI lists `completion` itself
    return CliRunner().invoke(app, list(args))


@pytest.mark.parametrize("shell", SHELLS)
def test_command_prints_the_script(shell: str, scripts: dict[str, Path]) -> None:
    result = _invoke("completion", shell)
    assert result.exit_code == 0, result.output
    assert result.stdout == scripts[shell].read_text(encoding="ascii")


def test_command_rejects_an_unknown_shell_naming_the_valid_ones() -> None:
    result = _invoke("completion", "tcsh")
    assert result.exit_code == 2
    assert all(f"'{shell}'" in result.stderr for shell in SHELLS), result.stderr
    assert result.stdout == ""


def test_command_help_says_where_to_install() -> None:
    text = " ".join(_invoke("completion", "--help").stdout.split())
    for where in (
        "~/.local/share/bash-completion/completions/ecmactl",
        "/etc/bash_completion.d",
        "$fpath",
        "_ecmactl",
        "~/.config/fish/completions/ecmactl.fish",
        "$PROFILE",
    ):
        assert where in text


def test_command_module_imports_no_generator_or_heavy_library() -> None:
    probe = (
        "import sys, ecmactl.cli.completion\n"
        "print(sorted(m for m in sys.modules if m.startswith(('ecmactl.cli._completion_gen',"
        " 'sqlalchemy', 'cryptography', 'questionary', 'rich'))))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- reading the tree ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("metavar", "choices"),
    [
        ("None|'Set attribute value'|Delete", ("None", "Set attribute value", "Delete")),
        ("generate|existing|keep", ("generate", "existing", "keep")),
        ("NAME|IP", ()),  # placeholders, not values
        ("COLUMN=TYPE", ()),
        ("COLUMN", ()),
    ],
)
def test_choices_spelled_in_a_metavar(metavar: str, choices: tuple[str, ...]) -> None:
    assert metavar_choices(metavar) == choices
