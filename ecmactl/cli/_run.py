"""One error policy for every command: a user error is one message on stderr and an exit code.

It lives in the group's ``invoke`` so the console script and ``typer.testing.CliRunner`` behave
the same. Bugs still raise (with locals hidden), because a bug needs its traceback.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from ecmactl.cli import _output
from ecmactl.errors import EcmactlError
from ecmactl.exit_codes import ExitCode


class EcmactlGroup(TyperGroup):
    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except EcmactlError as exc:
            _output.error(exc.message, exc.hint)
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            _output.console(stderr=True).print("\nCancelled; nothing was written.")
            raise typer.Exit(int(ExitCode.CANCELLED)) from None
