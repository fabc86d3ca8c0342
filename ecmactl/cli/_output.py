"""Output for every command: data on stdout, messages on stderr, JSON without Rich wrapping.

Rich honours NO_COLOR, FORCE_COLOR and TERM=dumb itself and drops colour and animation when the
stream is not a terminal. Rich is imported on first use, so `--version` and `--help` stay fast.
The options (--quiet, --no-color) and the consoles are this run's (``_context.global_options``).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from ecmactl.cli._context import global_options

if TYPE_CHECKING:
    from rich.console import Console


def console(stderr: bool = False) -> Console:
    """The Rich console for stdout (data) or stderr (messages)."""
    options = global_options()
    if stderr not in options.consoles:
        from rich.console import Console

        options.consoles[stderr] = Console(
            stderr=stderr, no_color=options.no_color or None, highlight=False, soft_wrap=False
        )
    return options.consoles[stderr]


def quiet() -> bool:
    """--quiet: only errors and the result asked for."""
    return global_options().quiet


def info(message: str) -> None:
    """A progress or success line on stderr; silenced by --quiet."""
    if not quiet():
        console(stderr=True).print(message, soft_wrap=True)


def warn(message: str) -> None:
    from rich.markup import escape

    console(stderr=True).print(f"[yellow]![/yellow] {escape(message)}", soft_wrap=True)


def error(message: str, hint: str | None = None) -> None:
    """An error and its fix; both are plain text (escaped: they may hold `[…]`)."""
    from rich.markup import escape

    err = console(stderr=True)
    # soft_wrap: one message is one line in logs and pipes; a terminal wraps it by itself.
    err.print(f"[bold red]Error:[/bold red] {escape(message)}", highlight=False, soft_wrap=True)
    if hint:
        err.print(f"[dim]Fix:[/dim] {escape(hint)}", soft_wrap=True)


def emit_json(kind: str, payload: dict[str, Any]) -> None:
    """Print exactly one JSON document on stdout, with a ``schema`` field naming its shape."""
    import json

    document = {"schema": f"ecmactl/{kind}/v1", **payload}
    sys.stdout.write(json.dumps(document, indent=2, default=_json_default) + "\n")
    sys.stdout.flush()


def _json_default(value: Any) -> Any:
    from datetime import UTC, datetime

    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if hasattr(value, "__fspath__"):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
