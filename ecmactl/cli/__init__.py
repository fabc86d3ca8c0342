"""The ``ecmactl`` command line: a thin layer that parses flags, calls the core, renders results.

Sub-commands are loaded on use (see ``_run.COMMANDS``) and keep heavy imports (SQLAlchemy,
questionary, cryptography, uvicorn) inside their bodies, so `--help` and `--version` answer at once.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ecmactl import __version__
from ecmactl.cli._context import (
    HOME_HELP,
    NO_COLOR_HELP,
    QUIET_HELP,
    VERBOSE_HELP,
    set_home,
    set_output,
)
from ecmactl.cli._run import EcmactlGroup

app = typer.Typer(
    name="ecmactl",
    cls=EcmactlGroup,
    help="Open, scriptable ECMA Connector Host: provision Microsoft Entra ID users "
    "into an on-premises SQL database over SCIM 2.0. The options below go before or after "
    "the command (`ecmactl host status --home DIR -q`).",
    no_args_is_help=True,
    add_completion=False,  # `ecmactl completion SHELL` is the one completion mechanism
    pretty_exceptions_show_locals=False,  # never show tokens or keys in a traceback
    rich_markup_mode=None,  # plain help: rich help rendering is slow to load on every call
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version_callback(value: bool) -> None:
    if value:
        sys.stdout.write(f"ecmactl {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    home: Annotated[
        Path | None,
        typer.Option(
            "--home",
            envvar="ECMACTL_HOME",
            file_okay=False,
            metavar="<directory>",
            help=HOME_HELP,
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help=QUIET_HELP)] = False,
    verbose: Annotated[int, typer.Option("-v", "--verbose", count=True, help=VERBOSE_HELP)] = 0,
    no_color: Annotated[bool, typer.Option("--no-color", help=NO_COLOR_HELP)] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=_version_callback, help="Show the version."
        ),
    ] = False,
) -> None:
    """Open, scriptable ECMA Connector Host for Microsoft Entra ID provisioning.

    Exit codes: 0 ok, 1 error, 2 bad or missing input, 3 host not running, 4 status unknown,
    10 certificate renewal due, 11 certificate expired or not yet valid, 12 certificate
    unusable, 13 certificate missing, 20 changes pending (--dry-run --detailed-exitcode),
    130 cancelled.
    """
    from typer import _click as click

    from_flag = ctx.get_parameter_source("home") is click.core.ParameterSource.COMMANDLINE
    set_home(ctx, home, from_flag=from_flag)
    set_output(ctx, quiet=quiet, verbose=verbose, no_color=no_color)


def main() -> None:
    """Console-script entry point (the error policy lives in ``_run.EcmactlGroup``)."""
    app(prog_name="ecmactl")
