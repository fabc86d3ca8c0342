"""One run of ecmactl: how it was called, so every command it prints can be pasted as is, and
what it has consumed (standard input, which only one secret may read).

The CLI opens an ``Invocation`` per run (``running``); the core reads it through ``current()``
when it writes a hint. It lives in a context variable, not in module state, so a second run in
the same process (tests, a program embedding the CLI) starts clean. Outside a run ``current()``
is a fresh default: no --home flag, nothing consumed.

Home rule: a home given with ``--home`` or ``ECMACTL_HOME`` is repeated (absolute, quoted) in
every suggested command, ``command`` and ``rerun_with`` alike: the command may be pasted where
that variable is not set (a systemd unit sets it; an admin reads the unit's journal in a login
shell), or in another folder. The default home is not.

A host that serves (``serving``) is no longer running the command that started it: a problem it
meets later (a reload refused) is not about that command line, so no hint repeats it.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from ecmactl.errors import UsageError
from ecmactl.home import HOME_ENV

PROG = "ecmactl"


@dataclass
class Invocation:
    home_flag: Path | None = None  # --home as given on the command line, made absolute
    args: tuple[str, ...] = ()  # the arguments after the program name, as typed
    stdin_reader: str | None = None  # the flag that read stdin in this run

    def claim_stdin(self, flag: str) -> None:
        """Let ``flag`` read standard input; a second flag in the same run may not."""
        if self.stdin_reader is not None:
            raise UsageError(
                f"{flag} -: standard input is already used by {self.stdin_reader}",
                hint="Give one of them a file instead of '-'.",
            )
        self.stdin_reader = flag


_CURRENT: ContextVar[Invocation | None] = ContextVar("ecmactl_invocation", default=None)


@contextmanager
def running(invocation: Invocation) -> Iterator[Invocation]:
    """Make ``invocation`` the current one for the duration of a run."""
    token = _CURRENT.set(invocation)
    try:
        yield invocation
    finally:
        _CURRENT.reset(token)


@contextmanager
def serving() -> Iterator[None]:
    """From here on this process is a host serving, not a command the user typed: hints keep
    the home rule but no longer offer the command line back (``rerun_with`` is unavailable)."""
    with running(Invocation(home_flag=current().home_flag)):
        yield


def in_command() -> bool:
    """True within a CLI run whose command line ``rerun_with`` can offer back."""
    return bool(current().args)


def current() -> Invocation:
    found = _CURRENT.get()
    return found if found is not None else Invocation()


def command(*words: str, connector: str | None = None) -> str:
    """A command for the user to run, e.g. ``command("token", "show", connector="HR")`` →
    ``ecmactl --home '/srv/my home' token show --connector HR``: this run's --home, the
    connector named explicitly (it works however many connectors the home has), each word
    quoted for a POSIX shell."""
    if connector is not None:  # right after the sub-command, where people look for it
        at = next((i for i, w in enumerate(words) if w.startswith("-")), len(words))
        words = (*words[:at], "--connector", connector, *words[at:])
    return _join((*_home_words(), *words))


def rerun_with(option: str, value: str) -> str:
    """The command the user just ran, with ``option value`` in place of any value it gave that
    option (long form, its ``-x`` short form, ``--option=value``), e.g. to name a connector.
    The home follows the home rule: any --home typed is replaced by the absolute one, placed
    first as ``command`` places it, and a home from ``ECMACTL_HOME`` is named too."""
    args = list(current().args)
    end = args.index("--") if "--" in args else len(args)
    head, tail = args[:end], args[end:]
    short = _SHORT.get(option)
    kept: list[str] = []
    skip = False
    for word in head:
        if skip:
            skip = False
        elif word in (option, short, _HOME):
            skip = True
        elif not word.startswith((f"{option}=", f"{_HOME}=")) and not (
            short and _glued(word, short)
        ):
            kept.append(word)
    return _join((*_home_words(), *kept, option, value, *tail))


_HOME = "--home"  # a global option: accepted before the sub-command and after it


_SHORT = {"--connector": "-c"}


def _glued(word: str, short: str) -> bool:
    """``-cHR``: a short option with its value in the same word."""
    return word.startswith(short) and len(word) > len(short) and not word.startswith("--")


def _home_words() -> tuple[str, ...]:
    home = current().home_flag
    if home is None and os.environ.get(HOME_ENV):
        # A home from the environment is named too: the command may be read where that
        # variable is not set (a systemd unit's journal, read by an admin in a login shell).
        home = Path(os.environ[HOME_ENV]).expanduser().absolute()
    return (_HOME, str(home)) if home is not None else ()


def _join(words: tuple[str, ...]) -> str:
    return shlex.join((PROG, *words))
