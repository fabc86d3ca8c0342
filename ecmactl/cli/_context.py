"""What every command gets from the global options: the home, output options, and whether it
may prompt.

The global options are accepted anywhere on the command line (`ecmactl -q host status` and
`ecmactl host status -q` mean the same): the root declares them, and ``add_global_options``
gives every sub-command (groups and leaves) the same options, whose callbacks write to the same
place. A value given after the sub-command wins over one given before it.

That place is one ``GlobalOptions`` per run, kept on the run's click context (``ctx.meta``,
which every nested context shares) rather than in module state: two runs in one process (tests,
a program embedding the CLI) never see each other's --home, --quiet or consoles.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer import _click as click
from typer._click.globals import get_current_context

from ecmactl.home import Home, resolve_home

if TYPE_CHECKING:
    from rich.console import Console

NO_INPUT_ENV = "ECMACTL_NO_INPUT"
HOME_HELP = "Folder holding all ecmactl state [default: the per-user config folder]."
QUIET_HELP = "Only errors and the result asked for (status commands: nothing when all is well)."
VERBOSE_HELP = "More detail."
NO_COLOR_HELP = "No colours (also NO_COLOR)."


@dataclass
class GlobalOptions:
    """The global options of one run, and the Rich consoles made from them."""

    home_option: Path | None = None
    quiet: bool = False
    verbose: int = 0
    no_color: bool = False
    # stdout (False) and stderr (True); made on first use, after the options are known
    consoles: dict[bool, Console] = field(default_factory=dict, repr=False, compare=False)

    @property
    def home(self) -> Home:
        return resolve_home(self.home_option)

    def set_no_color(self) -> None:
        self.no_color = True
        self.consoles.clear()  # made before --no-color was seen


_KEY = "ecmactl.global_options"


def global_options(ctx: click.Context | None = None) -> GlobalOptions:
    """This run's global options (kept on ``ctx``, by default the current click context);
    outside a run (a library call, a test of one helper), the defaults, fresh on every call."""
    if ctx is None:
        ctx = get_current_context(silent=True)
    if ctx is None:
        return GlobalOptions()
    found = ctx.meta.get(_KEY)
    if not isinstance(found, GlobalOptions):
        found = ctx.meta[_KEY] = GlobalOptions()
    return found


def set_home(ctx: typer.Context, home: Path | None, *, from_flag: bool) -> None:
    """The home for this run; a flag's home is repeated in every command ecmactl suggests."""
    from ecmactl.invocation import current

    global_options(ctx).home_option = home
    current().home_flag = Path(home).expanduser().absolute() if home and from_flag else None


def set_output(ctx: typer.Context, *, quiet: bool, verbose: int, no_color: bool) -> None:
    options = global_options(ctx)
    options.quiet = quiet
    options.verbose = verbose
    if no_color:
        options.set_no_color()


def add_global_options(command: Any) -> None:
    """Give ``command`` and every command under it the global options (once each)."""
    if not any(p.name == "global_home" for p in command.params):
        command.params.extend(_global_options())
    for sub in getattr(command, "commands", {}).values():
        add_global_options(sub)


def _given(ctx: Any, name: str) -> bool:
    return ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE


def _home(ctx: typer.Context, value: Path | None) -> None:
    if value is not None and _given(ctx, "global_home"):
        set_home(ctx, value, from_flag=True)


def _quiet(ctx: typer.Context, value: bool) -> None:
    if value and _given(ctx, "global_quiet"):
        global_options(ctx).quiet = True


def _verbose(ctx: typer.Context, value: int) -> None:
    if value and _given(ctx, "global_verbose"):
        global_options(ctx).verbose += value


def _no_color(ctx: typer.Context, value: bool) -> None:
    if value and _given(ctx, "global_no_color"):
        global_options(ctx).set_no_color()


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
