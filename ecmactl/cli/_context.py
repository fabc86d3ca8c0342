"""What every command gets from the global options: the home, output options, and whether it
may prompt.

The global options are accepted anywhere on the command line (`ecmactl -q host status` and
`ecmactl host status -q` mean the same): the root declares them, and ``add_global_options``
gives every sub-command (groups and leaves) the same options, whose callbacks write to the same
place. A value given after the sub-command wins over one given before it.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from ecmactl.home import Home, resolve_home

NO_INPUT_ENV = "ECMACTL_NO_INPUT"
HOME_HELP = "Folder holding all ecmactl state [default: the per-user config folder]."
QUIET_HELP = "Only errors and the result asked for (status commands: nothing when all is well)."
VERBOSE_HELP = "More detail."
NO_COLOR_HELP = "No colours (also NO_COLOR)."


@dataclass
class Globals:
    home_option: Path | None = None

    @property
    def home(self) -> Home:
        return resolve_home(self.home_option)


GLOBALS = Globals()


def set_home(home: Path | None, *, from_flag: bool) -> None:
    """The home for this run; a flag's home is repeated in every command ecmactl suggests."""
    from ecmactl.invocation import current

    GLOBALS.home_option = home
    current().home_flag = Path(home).expanduser().absolute() if home and from_flag else None


def set_output(*, quiet: bool, verbose: int, no_color: bool) -> None:
    from ecmactl.cli import _output

    _output.OPTIONS.quiet = quiet
    _output.OPTIONS.verbose = verbose
    _output.OPTIONS.no_color = no_color
    _output.reset_consoles()


def add_global_options(command: Any) -> None:
    """Give ``command`` and every command under it the global options (once each)."""
    if not any(p.name == "global_home" for p in command.params):
        command.params.extend(_global_options())
    for sub in getattr(command, "commands", {}).values():
        add_global_options(sub)


def _given(ctx: Any, name: str) -> bool:
    from typer import _click as click

    return ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE


def _home(ctx: typer.Context, value: Path | None) -> None:
    if value is not None and _given(ctx, "global_home"):
        set_home(value, from_flag=True)


def _quiet(ctx: typer.Context, value: bool) -> None:
    from ecmactl.cli import _output

    if value and _given(ctx, "global_quiet"):
        _output.OPTIONS.quiet = True


def _verbose(ctx: typer.Context, value: int) -> None:
    from ecmactl.cli import _output

    if value and _given(ctx, "global_verbose"):
        _output.OPTIONS.verbose += value


def _no_color(ctx: typer.Context, value: bool) -> None:
    from ecmactl.cli import _output

    if value and _given(ctx, "global_no_color"):
        _output.OPTIONS.no_color = True
        _output.reset_consoles()


def _declarations(
    global_home: Annotated[
        Path | None,
        typer.Option(
            "--home",
            file_okay=False,
            metavar="<directory>",
            help=HOME_HELP,
            show_default=False,
            callback=_home,
            expose_value=False,
        ),
    ] = None,
    global_quiet: Annotated[
        bool, typer.Option("-q", "--quiet", help=QUIET_HELP, callback=_quiet, expose_value=False)
    ] = False,
    global_verbose: Annotated[
        int,
        typer.Option(
            "-v",
            "--verbose",
            count=True,
            help=VERBOSE_HELP,
            show_default=False,
            callback=_verbose,
            expose_value=False,
        ),
    ] = 0,
    global_no_color: Annotated[
        bool,
        typer.Option("--no-color", help=NO_COLOR_HELP, callback=_no_color, expose_value=False),
    ] = False,
) -> None:
    """The global options after a sub-command: applied by their callbacks, not passed on."""


def _global_options() -> list[Any]:
    """The global options as click parameters, built by Typer (so they parse and convert as the
    root's do), with callbacks that apply a value only when it is on the command line."""
    import typer.main

    scratch = typer.Typer(add_completion=False)
    scratch.command()(_declarations)
    return list(typer.main.get_command(scratch).params)


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() not in ("", "0", "false", "no", "off")


def can_prompt(no_input: bool = False) -> bool:
    """Prompt only when both stdin and stdout are terminals and nobody said not to."""
    if no_input or _truthy(os.environ.get(NO_INPUT_ENV)):
        return False
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        return False
