"""Static shell completion scripts generated from the click command tree.

Typer's own completion re-runs the program on every TAB (a Python start-up each time). These
scripts instead carry the tree itself: subcommands, options with their aliases, which options take
a value and how to complete it (choices, file or directory names, and connector names, which
the scripts ask of `ecmactl __connectors [--home DIR]`, answered in ``ecmactl/__main__.py``
before Typer loads). They are regenerated from the live tree, so generated wizard flags and
`configure` pages are picked up without a hand list, and a test fails when the copies in
``completions/`` are stale.

Run ``python -m ecmactl.cli._completion_gen [DIR]`` to rewrite the four files (default DIR:
``completions``).

The model of the tree and its reader are in ``tree``; each shell's renderer has its own module
(``bash``, ``zsh``, ``fish``, ``powershell``), and ``script`` holds what they share.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from typer import _click as click

from ecmactl.cli._completion_gen.bash import render_bash
from ecmactl.cli._completion_gen.fish import render_fish
from ecmactl.cli._completion_gen.powershell import render_powershell
from ecmactl.cli._completion_gen.tree import (
    PROG,
    Argument,
    Command,
    Option,
    Value,
    metavar_choices,
    read_tree,
)
from ecmactl.cli._completion_gen.zsh import render_zsh

__all__ = [
    "FILE_NAMES",
    "PROG",
    "RENDERERS",
    "SHELLS",
    "Argument",
    "Command",
    "Option",
    "Value",
    "generate",
    "metavar_choices",
    "read_tree",
    "render_bash",
    "render_fish",
    "render_powershell",
    "render_zsh",
    "write_all",
]

#: Shell name → the file name its completion directory expects.
FILE_NAMES: dict[str, str] = {
    "bash": f"{PROG}.bash",
    "zsh": f"_{PROG}",
    "fish": f"{PROG}.fish",
    "powershell": f"{PROG}.ps1",
}
SHELLS = tuple(FILE_NAMES)

RENDERERS: dict[str, Callable[[Command], str]] = {
    "bash": render_bash,
    "zsh": render_zsh,
    "fish": render_fish,
    "powershell": render_powershell,
}


def generate(root: click.Command, shell: str) -> str:
    """The completion script for ``shell`` (one of ``SHELLS``) of the click tree ``root``."""
    return RENDERERS[shell](read_tree(root))


def write_all(directory: Path) -> list[Path]:
    """Regenerate every shell's script into ``directory`` from the live ``ecmactl`` app."""
    from ecmactl.cli import app
    from ecmactl.cli.completion import script

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for shell, file_name in FILE_NAMES.items():
        target = directory / file_name
        target.write_text(script(app, shell), encoding="ascii", newline="\n")
        written.append(target)
    return written
