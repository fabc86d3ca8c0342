"""The text of the run-step pages, parsed: procedure parameters and ``@name`` placeholders.

Microsoft's Generic SQL connector writes a procedure's parameters one per line as
``Name:Direction:Value`` (``EmployeeName:INPUT:@EmployeeName``) and marks values in SQL
statements as ``@Attribute``. Both are parsed here, without a database, so the load-time rules
(``rules.py``) and the SQL layer read them the same way. A placeholder inside a string literal,
a quoted identifier or a comment is text, not a placeholder; ``@@name`` (a MariaDB/SQL Server
system variable) is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

ANCHOR = "Anchor"  # @Anchor: the row's anchor value, in any export statement
START_INDEX = "StartIndex"  # first row of a page (1-based, inclusive)
END_INDEX = "EndIndex"  # last row of a page (inclusive)
PAGE_NAMES = (START_INDEX, END_INDEX)
WATERMARK = "Watermark"  # the highest watermark seen, in a Delta Import statement
DIRECTIONS = ("INPUT",)  # output parameters carry nothing ecmactl could use
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class StatementError(ValueError):
    """The text cannot be used; the message says what to write instead."""


@dataclass(frozen=True)
class Parameter:
    """One ``Name:Direction:Value`` line. ``placeholder`` is the name after ``@`` (an
    attribute, Anchor, StartIndex or EndIndex), or None when ``literal`` is bound instead."""

    name: str
    placeholder: str | None
    literal: str | None


@dataclass(frozen=True)
class Placeholder:
    """``@name`` at ``text[start:end]``."""

    name: str
    start: int
    end: int


def routine_name(value: str) -> str:
    """A procedure or function name, optionally schema-qualified: it is written into the
    statement (names cannot be bound), so nothing but an identifier is accepted."""
    value = value.strip()
    if not IDENTIFIER.match(value):
        raise StatementError(
            f"{value!r} is not a procedure name (letters, digits, '_' and '$', optionally "
            "schema.name)"
        )
    return value


def parameter_lines(text: str | None) -> list[str]:
    """The lines of ``text``; without a line break, ``;`` separates them (one flag value)."""
    text = text or ""
    return text.splitlines() if "\n" in text else text.split(";")


def parse_parameters(text: str | None) -> list[Parameter]:
    """The ``Name:Direction:Value`` lines of ``text`` (blank lines skipped)."""
    found: list[Parameter] = []
    for number, line in enumerate(parameter_lines(text), 1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(":", 2)]
        if len(parts) != 3 or not parts[0]:
            raise StatementError(
                f"line {number} ({line.strip()!r}) is not Name:Direction:Value "
                "(for example EmployeeName:INPUT:@EmployeeName)"
            )
        name, direction, value = parts
        if not _NAME.fullmatch(name.lstrip("@")):
            raise StatementError(f"line {number}: {name!r} is not a parameter name")
        if direction.upper() not in DIRECTIONS:
            raise StatementError(
                f"line {number}: direction {direction!r} is not supported; use INPUT "
                "(ecmactl passes values in; results come back as rows)"
            )
        if value.startswith("@"):
            placeholder = value[1:]
            if not _NAME.fullmatch(placeholder):
                raise StatementError(f"line {number}: {value!r} is not an @Attribute")
            found.append(Parameter(name.lstrip("@"), placeholder, None))
        else:
            found.append(Parameter(name.lstrip("@"), None, value))
    names = [p.name.casefold() for p in found]
    duplicate = next((p.name for p in found if names.count(p.name.casefold()) > 1), None)
    if duplicate is not None:
        raise StatementError(f"parameter {duplicate} is given twice")
    return found


def placeholders(sql: str) -> list[Placeholder]:
    """Every ``@name`` of ``sql`` outside literals, quoted identifiers and comments."""
    found: list[Placeholder] = []
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in "'\"`[":
            close = "]" if ch == "[" else ch
            i = _skip_quoted(sql, i + 1, close)
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            i = n if end < 0 else end + 1
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif ch == "@":
            if sql.startswith("@@", i):
                match = _NAME.match(sql, i + 2)
                i = match.end() if match else i + 2
                continue
            match = _NAME.match(sql, i + 1)
            if match is None:
                raise StatementError(f"'@' at position {i + 1} is not followed by a name")
            found.append(Placeholder(match.group(), i, match.end()))
            i = match.end()
        else:
            i += 1
    return found


def _skip_quoted(sql: str, i: int, close: str) -> int:
    """The index after the literal that started before ``i`` (a doubled quote is escaped)."""
    n = len(sql)
    while i < n:
        if sql[i] == close:
            if close != "]" and i + 1 < n and sql[i + 1] == close:
                i += 2
                continue
            return i + 1
        if sql[i] == "\\" and close == "'":  # MariaDB's backslash escapes, harmless elsewhere
            i += 2
            continue
        i += 1
    raise StatementError("a quote is not closed")


def resolve(name: str, known: Iterable[str]) -> str | None:
    """The known name ``name`` means (case-insensitively, as Microsoft's connector matches
    attribute names), or None."""
    folded = name.casefold()
    return next((k for k in known if k.casefold() == folded), None)
