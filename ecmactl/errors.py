"""Errors a user can act on. Each carries its exit code and, where there is one, the fix.

The CLI prints ``message`` and ``hint`` on stderr and exits with ``exit_code``; it never shows a
traceback for these. Messages must never contain secret values.
"""

from __future__ import annotations

from ecmactl.exit_codes import ExitCode


class EcmactlError(Exception):
    """A failure the user can understand and fix; never a bug."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(EcmactlError):
    """Bad or missing input (exit 2)."""

    exit_code = ExitCode.USAGE


class ConfigError(EcmactlError):
    """A config file is missing, unreadable, invalid, or from a newer ecmactl."""


class MissingInputError(UsageError):
    """Input is required but nothing may prompt for it; lists the flags that supply it."""

    def __init__(self, missing: list[tuple[str, str]]) -> None:
        # missing: (question label, flag that answers it)
        lines = "\n".join(f"  {flag:<34} {label}" for label, flag in missing)
        super().__init__(
            f"Interactive input is required but no terminal is attached (or --no-input is set).\n"
            f"Supply these values:\n{lines}",
            hint="Pass the flags above, or an --answers-file with the same keys, "
            "or run on a terminal to be asked.",
        )
        self.missing = missing


class Cancelled(EcmactlError):
    """The user cancelled (Ctrl-C); nothing was written."""

    exit_code = ExitCode.CANCELLED

    def __init__(self) -> None:
        super().__init__("Cancelled; nothing was written.")
