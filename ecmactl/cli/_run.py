"""The root command group: one error policy, and sub-commands loaded only when used.

Error policy: a user error (EcmactlError) is one message on stderr and its exit code; Ctrl-C is
exit 130. It lives in the group's ``invoke`` so the console script and ``CliRunner`` agree.
Bugs still raise (with locals hidden), because a bug needs its traceback.

Lazy loading: each sub-command lives in its own module with a ``register(app)`` function. The
root lists them from ``COMMANDS`` (name, module, one-line help) and imports a module only when
its command is invoked, so `ecmactl --help` and `--version` do not pay for the wizard's ~50
generated flags, SQLAlchemy or cryptography.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Sequence
from typing import Any

import typer
import typer.main
from typer.core import TyperGroup

from ecmactl.cli import _output
from ecmactl.cli._context import add_global_options
from ecmactl.errors import EcmactlError
from ecmactl.exit_codes import ExitCode

# name -> (module, one-line help shown by `ecmactl --help`)
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("ecmactl.cli.init", "Create a connector: the guided wizard, or flags/answers."),
    "configure": ("ecmactl.cli.configure", "Change one wizard page of a connector or the host."),
    "bundle": ("ecmactl.cli.bundle", "Emit, verify, inspect and apply portable config bundles."),
    "cert": ("ecmactl.cli.cert", "Create, import, inspect and renew the host certificate."),
    "token": ("ecmactl.cli.token", "Show, set and rotate a connector's secret token."),
    "host": ("ecmactl.cli.host", "Run the SCIM host; show its status; sync now."),
    "agent": ("ecmactl.cli.agent", "Check the provisioning path: status, test-connection."),
    "completion": ("ecmactl.cli.completion", "Print a shell completion script."),
}


def _available() -> dict[str, tuple[str, str]]:
    return {name: spec for name, spec in COMMANDS.items() if importlib.util.find_spec(spec[0])}


class EcmactlGroup(TyperGroup):
    def list_commands(self, ctx: Any) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(_available()))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None or cmd_name not in COMMANDS:
            return command
        module = importlib.import_module(COMMANDS[cmd_name][0])
        scratch = typer.Typer(rich_markup_mode=None)
        scratch.callback()(lambda: None)  # always a group, so the command keeps its name
        module.register(scratch)
        group = typer.main.get_command(scratch)
        loaded = group.commands.get(cmd_name)  # type: ignore[attr-defined]
        if loaded is not None:
            add_global_options(loaded)
            self.add_command(loaded, cmd_name)
        return loaded

    def _main_shell_completion(self, *args: Any, **kwargs: Any) -> None:
        """Typer's own completion (an environment variable that hijacks any run) is off:
        `ecmactl completion SHELL` is the one mechanism."""

    def main(self, args: Sequence[str] | None = None, *rest: Any, **kwargs: Any) -> Any:
        """One run: an ``Invocation`` records the arguments as typed (for the commands it
        suggests) and ends with the run, so a second run in this process starts clean."""
        from ecmactl.invocation import Invocation, running

        typed = tuple(sys.argv[1:] if args is None else args)
        with running(Invocation(args=typed)):
            return super().main(args, *rest, **kwargs)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = [(name, spec[1]) for name, spec in sorted(_available().items())]
        rows += [
            (name, cmd.get_short_help_str(60))
            for name, cmd in self.commands.items()
            if name not in COMMANDS and not cmd.hidden
        ]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(sorted(rows))

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except EcmactlError as exc:
            _output.error(exc.message, exc.hint)
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            _output.console(stderr=True).print("\nCancelled; nothing was written.")
            raise typer.Exit(int(ExitCode.CANCELLED)) from None
