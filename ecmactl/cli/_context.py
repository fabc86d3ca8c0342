"""What every command gets from the global options: the home, and whether it may prompt."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from ecmactl.home import Home, resolve_home

NO_INPUT_ENV = "ECMACTL_NO_INPUT"


@dataclass
class Globals:
    home_option: Path | None = None

    @property
    def home(self) -> Home:
        return resolve_home(self.home_option)


GLOBALS = Globals()


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
