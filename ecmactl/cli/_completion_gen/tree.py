"""The completion model of the click command tree, and the reader that builds it.

Every shell's script is rendered from this model; nothing here knows a shell's syntax beyond the
names that may be pasted into one (``SAFE_NAME``, ``SAFE_OPTION``).
"""

from __future__ import annotations

import re
import shlex
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

from typer import _click as click
from typer.core import TyperGroup

PROG = "ecmactl"

# Typer's dynamic-completion installers: they belong to the shim approach, not to these scripts.
_HIDDEN_OPTIONS = frozenset({"--install-completion", "--show-completion"})

# Metavars that name a path although the parameter is typed as a plain string (secret files).
_FILE_METAVARS = frozenset({"PATH", "FILE", "FILENAME"})
_DIR_METAVARS = frozenset({"DIR", "DIRECTORY", "FOLDER"})

# `--home` is typed `Path` (files pass the type check) but always names a folder. The override
# keeps the scripts right until its option declares `file_okay=False`, and is harmless after.
_VALUE_OVERRIDES: dict[tuple[tuple[str, ...], str], Literal["dir"]] = {((PROG,), "--home"): "dir"}

# Names are pasted into shell code unquoted (case patterns, fish conditions, zsh specs), so a
# name outside this set must fail loudly here rather than produce a subtly broken script.
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
SAFE_OPTION = re.compile(r"--?[A-Za-z0-9][A-Za-z0-9_.-]*")

Kind = Literal["text", "file", "dir", "choice", "connector"]
# Options whose value is a connector name: the scripts ask `ecmactl __connectors [--home DIR]`.
_CONNECTOR_OPTIONS = frozenset({"--connector"})


@dataclass(frozen=True)
class Value:
    """How a value (of an option or a positional argument) completes."""

    kind: Kind
    hint: str  # the metavar, shown by zsh while the user types a free-text value
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Option:
    names: tuple[str, ...]  # every alias, e.g. ("-q", "--quiet")
    off_names: tuple[str, ...]  # the other side of a boolean pair: ("--no-x",) for --x/--no-x
    help: str
    value: Value | None  # None: a flag
    repeatable: bool  # counted (-vv) or multiple=True
    exits: bool  # eager and exits (--help, --version): nothing else goes with it

    @property
    def all_names(self) -> tuple[str, ...]:
        return self.names + self.off_names


@dataclass(frozen=True)
class Argument:
    hint: str
    value: Value
    variadic: bool  # nargs=-1: takes every remaining positional word


@dataclass(frozen=True)
class Command:
    path: tuple[str, ...]  # ("ecmactl", "configure", "settings")
    help: str
    options: tuple[Option, ...]
    arguments: tuple[Argument, ...]
    subcommands: tuple[Command, ...]

    @property
    def key(self) -> str:
        """The path as the scripts spell it: "ecmactl configure settings"."""
        return " ".join(self.path)

    def walk(self) -> Iterator[Command]:
        yield self
        for sub in self.subcommands:
            yield from sub.walk()


def read_tree(root: click.Command, prog: str = PROG) -> Command:
    """The completion model of a click command tree (hidden commands and options left out)."""
    ctx = click.Context(root, info_name=prog, **root.context_settings)
    return _read_command(root, ctx, (prog,))


def _read_command(cmd: click.Command, ctx: click.Context, path: tuple[str, ...]) -> Command:
    options: list[Option] = []
    arguments: list[Argument] = []
    for param in cmd.get_params(ctx):
        if getattr(param, "hidden", False) or _HIDDEN_OPTIONS.intersection(param.opts):
            continue
        if param.param_type_name == "argument":
            arguments.append(_read_argument(param))
        else:
            options.append(_read_option(param, path))
    subcommands: list[Command] = []
    if isinstance(cmd, TyperGroup):
        # Sorted, so the scripts do not depend on the order commands were registered in.
        for name in sorted(cmd.list_commands(ctx)):
            sub = cmd.get_command(ctx, name)
            if sub is None or sub.hidden:
                continue
            _check(name, SAFE_NAME, "command")
            sub_ctx = click.Context(sub, parent=ctx, info_name=name, **sub.context_settings)
            subcommands.append(_read_command(sub, sub_ctx, (*path, name)))
    return Command(
        path=path,
        help=_summary(cmd.get_short_help_str(limit=80)),
        options=tuple(options),
        arguments=tuple(arguments),
        subcommands=tuple(subcommands),
    )


def _read_option(param: click.Parameter, path: tuple[str, ...]) -> Option:
    for name in (*param.opts, *param.secondary_opts):
        _check(name, SAFE_OPTION, "option")
    is_flag = bool(getattr(param, "is_flag", False))
    count = bool(getattr(param, "count", False))
    value = None if is_flag or count else _read_value(param)
    for name in param.opts:
        if value is not None and (path, name) in _VALUE_OVERRIDES:
            value = Value(_VALUE_OVERRIDES[(path, name)], value.hint)
        if value is not None and name in _CONNECTOR_OPTIONS:
            value = Value("connector", value.hint)
    return Option(
        # Short names first, as help pages list them; also fixes the order of the help option's
        # names, which click builds from a set (so it changes from one run to the next).
        names=tuple(sorted(param.opts, key=lambda n: (n.startswith("--"), n))),
        off_names=tuple(param.secondary_opts),
        help=_summary(getattr(param, "help", None) or ""),
        value=value,
        repeatable=count or param.multiple,
        exits=param.is_eager and is_flag,  # --help, --version
    )


def _read_argument(param: click.Parameter) -> Argument:
    value = _read_value(param)
    return Argument(hint=value.hint, value=value, variadic=param.nargs == -1)


def _read_value(param: click.Parameter) -> Value:
    """Choices, then path types, then what the metavar says (`None|Delete`, `PATH`)."""
    ptype = param.type
    hint = param.metavar or (param.name or "value").upper()
    choices = getattr(ptype, "choices", None)
    if choices:
        return Value("choice", hint, tuple(_choice_text(c) for c in choices))
    if ptype.name in ("path", "file", "directory", "filename"):
        dirs_only = getattr(ptype, "dir_okay", False) and not getattr(ptype, "file_okay", True)
        return Value("dir" if dirs_only else "file", hint)
    if param.metavar:
        word = param.metavar.rstrip(".").upper()
        if word in _FILE_METAVARS:
            return Value("file", hint)
        if word in _DIR_METAVARS:
            return Value("dir", hint)
        # The wizard's plain-string flags spell their choices in the metavar: "None|'Set x'|Delete".
        listed = metavar_choices(param.metavar)
        if listed:  # the metavar is the list itself, so name the value after the parameter
            return Value("choice", (param.name or "value").replace("_", " "), listed)
    return Value("text", hint)


def metavar_choices(metavar: str) -> tuple[str, ...]:
    """The literal values a metavar such as ``None|'Set x'|Delete`` lists; () when it is not a
    list of values (one placeholder, a NAME|IP of placeholders, brackets, an open quote)."""
    if "|" not in metavar or any(c in metavar for c in "[]{}<>="):
        return ()
    lexer = shlex.shlex(metavar, posix=True)
    lexer.whitespace = "|"
    lexer.whitespace_split = True
    try:
        words = tuple(lexer)
    except ValueError:  # unbalanced quote: not a list of choices
        return ()
    # All-caps words are placeholders ("NAME|IP": a name or an address), not literal values.
    if len(words) < 2 or any(not w.strip() or w.isupper() for w in words):
        return ()
    return words


def _choice_text(choice: Any) -> str:
    return str(choice.value) if isinstance(choice, Enum) else str(choice)


def _check(name: str, pattern: re.Pattern[str], what: str) -> None:
    if not pattern.fullmatch(name):
        raise ValueError(f"the {what} name {name!r} cannot be written into a completion script")


_ASCII = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "—": "-", "–": "-", "…": "..."})


def _summary(text: str, limit: int = 80) -> str:
    """One plain-ASCII line of help: Windows PowerShell 5.1 reads BOM-less scripts as ANSI."""
    paragraph = text.replace("\b", "").strip().split("\n\n")[0]
    line = " ".join(paragraph.split()).translate(_ASCII)
    line = unicodedata.normalize("NFKD", line).encode("ascii", "ignore").decode()
    if len(line) > limit:
        line = line[: limit - 3].rsplit(" ", 1)[0].rstrip(",;:") + "..."
    return line
