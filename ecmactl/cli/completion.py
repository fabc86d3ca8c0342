"""`ecmactl completion SHELL`: print a static completion script for bash, zsh, fish or PowerShell.

Printing rather than installing (as `gh completion` does) leaves rc files alone and lets packages
ship the same scripts; the repository keeps them in ``completions/``. The generator lives in
``_completion_gen`` and is imported only when the command runs.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from typer import _click as click

HELP = """Print the shell completion script for SHELL (bash, zsh, fish or powershell).

The script is static: TAB completes subcommands, options and their choices, and file names
without starting ecmactl; for -c/--connector it asks `ecmactl __connectors` (a fast hidden
answer that does not load the CLI) for the connector names of the home on the command line
(--home), else of ECMACTL_HOME or the default home. Regenerate the script after upgrading
ecmactl. Packages may install it already. This is the only completion mechanism.

\b
Install it where the shell looks for completions:
  bash        ecmactl completion bash > ~/.local/share/bash-completion/completions/ecmactl
              (system-wide: /etc/bash_completion.d/ecmactl; needs bash-completion)
  zsh         ecmactl completion zsh > ~/.zfunc/_ecmactl
              (any directory in $fpath, named _ecmactl; add fpath=(~/.zfunc $fpath)
              before compinit in ~/.zshrc)
  fish        ecmactl completion fish > ~/.config/fish/completions/ecmactl.fish
  powershell  ecmactl completion powershell > ~/ecmactl.ps1
              then add this line to $PROFILE:  . ~/ecmactl.ps1

\b
Or load it into the current shell only, e.g. in bash:
  source <(ecmactl completion bash)
"""


class Shell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"
    powershell = "powershell"


def _is_registered(app: typer.Typer) -> bool:
    return any(info.name == "completion" for info in app.registered_commands)


def register(app: typer.Typer) -> None:
    """Add `completion` to ``app``; a second call on the same app does nothing."""
    if _is_registered(app):
        return

    @app.command("completion", help=HELP)
    def completion(
        ctx: typer.Context,
        shell: Annotated[
            Shell,
            typer.Argument(
                metavar="SHELL", help="bash, zsh, fish or powershell.", show_default=False
            ),
        ],
    ) -> None:
        from ecmactl.cli._completion_gen import generate

        # The root of the running command, not ``app``: the CLI may register this command on
        # a scratch app and load it lazily, and the script must describe the whole tree.
        sys.stdout.write(generate(ctx.find_root().command, shell.value))


def root_command(app: typer.Typer) -> click.Command:
    """``app``'s click tree, with `completion` in it even where ``app`` does not register it."""
    from typer import _click
    from typer.core import TyperGroup
    from typer.main import get_command

    root = get_command(app)
    if (
        isinstance(root, TyperGroup)
        and root.get_command(_click.Context(root), "completion") is None
    ):
        scratch = typer.Typer()
        scratch.callback()(lambda: None)  # a group, so the command keeps its name
        register(scratch)
        group = get_command(scratch)
        assert isinstance(group, TyperGroup)
        root.add_command(group.commands["completion"], "completion")
    return root


def script(app: typer.Typer, shell: str) -> str:
    """The completion script for ``shell``, generated from ``app``'s live command tree."""
    from ecmactl.cli._completion_gen import generate

    return generate(root_command(app), shell)
