"""Which connector a command means: one rule for every command.

- A command that acts on one connector (`token …`, `configure PAGE`, `configure show`) takes
  --connector NAME; without it, the home's only connector; when the home has several, it is an
  error that lists them and gives the command to run.
- A command that naturally covers all connectors (`host status`, `agent status`,
  `agent test-connection`, `host run`, `host sync`) covers all of them without --connector.
- A name the home does not have is bad input (exit 2) in every command, and the error lists the
  names it has (names are case-sensitive; a near miss is suggested).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from ecmactl.errors import ConfigError, UsageError
from ecmactl.home import Home
from ecmactl.invocation import command, in_command, rerun_with


def choose_one(home: Home, given: str | None) -> str:
    """The one connector a command acts on (see the module's rule)."""
    names = home.connector_names()
    if given is not None:
        return check_known(home, [given])[0]
    if len(names) == 1:
        return names[0]
    if not names:
        raise no_connectors(home)
    raise several(names)


def several(names: list[str]) -> UsageError:
    return UsageError(
        f"this home has {len(names)} connectors ({', '.join(names)}); say which one with "
        "--connector NAME",
        hint=_example(names[0]),
    )


def check_known(home: Home, given: Iterable[str]) -> list[str]:
    """``given`` unchanged when the home has every one of them; else an error (exit 2)."""
    names = list(given)
    for name in names:
        # exists, not is_file: a connector path that is there but broken (a directory, say)
        # is the loader's to explain, naming the file.
        if not home.connector_path(name).exists():
            raise unknown(home, name)
    return names


def unknown(home: Home, name: str) -> UsageError:
    names = home.connector_names()
    if not names:
        return UsageError(
            f"there is no connector named {name!r}: {home.root} has no connector",
            hint=f"Create one with `{command('init')}`.",
        )
    folded = {n.casefold(): n for n in names}
    close = folded.get(name.casefold()) or next(
        iter(difflib.get_close_matches(name, names, n=1)), names[0]
    )
    return UsageError(
        f"there is no connector named {name!r} in {home.root} (it has: {', '.join(names)}; "
        "names are case-sensitive)",
        hint=_example(close),
    )


def _example(name: str) -> str:
    """The user's command again with ``--connector name``; outside a command (a serving host
    refusing a reload) the command line that started it is no fix, so the name and where to
    look at it."""
    if in_command():
        return f"For example: {rerun_with('--connector', name)}"
    return f"Did you mean {name!r}? `{command('configure', 'show', connector=name)}` shows it."


def no_connectors(home: Home) -> ConfigError:
    return ConfigError(
        f"there is no connector in {home.root}", hint=f"Create one with `{command('init')}`."
    )
