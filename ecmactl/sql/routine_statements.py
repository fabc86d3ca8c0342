"""The run-step statements of a connector (Export and Full Import by procedure or SQL query),
built once per dialect as SQLAlchemy ``text()`` with every value a bound parameter.

A procedure's name is checked to be an identifier (``config.run_steps.routine_name``) and
written as given, as a DBA would type it; each ``Name:Direction:Value`` line becomes one bound
parameter, by position (MariaDB ``CALL``, and the default) or by name (PostgreSQL ``name =>``,
SQL Server ``@name =``). A SQL query's ``@name`` placeholders become bound parameters and every
other colon is escaped, so nothing in the text is read as a parameter by accident.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import TextClause, text
from sqlalchemy.engine import Connection

from ecmactl.config.run_steps import (
    Parameter,
    parse_parameters,
    placeholders,
    resolve,
    routine_name,
)

RoutineKind = Literal["procedure", "function"]
# A value for one bound parameter: (the name after '@' as the config resolved it, or None) and
# the literal bound when there is no placeholder.
Binding = tuple[str | None, str | None]


@dataclass(frozen=True)
class Statement:
    """One executable statement and where each of its bound parameters takes its value."""

    clause: TextClause
    bindings: dict[str, Binding]  # bound parameter -> (placeholder, literal)

    def params(self, value_of: Callable[[str], Any]) -> dict[str, Any]:
        """The bound values, ``value_of(placeholder)`` for each placeholder."""
        return {
            key: value_of(placeholder) if placeholder is not None else literal
            for key, (placeholder, literal) in self.bindings.items()
        }


def query_statement(sql: str, known: list[str]) -> Statement:
    """``sql`` with each ``@name`` bound (``known`` resolves its case) and colons escaped."""
    parts: list[str] = []
    bindings: dict[str, Binding] = {}
    position = 0
    for number, found in enumerate(placeholders(sql)):
        parts.append(_escape(sql[position : found.start]))
        key = f"ecmactl_p{number}"
        parts.append(f":{key}")
        bindings[key] = (resolve(found.name, known) or found.name, None)
        position = found.end
    parts.append(_escape(sql[position:]))
    return Statement(text("".join(parts)), bindings)


def routine_statement(
    dialect: str,
    name: str,
    parameters_text: str | None,
    known: list[str],
    *,
    named: bool,
    kind: RoutineKind,
) -> Statement:
    """A call of procedure (or function) ``name`` with its parameter lines bound."""
    name = routine_name(name)
    parameters = parse_parameters(parameters_text)
    bindings: dict[str, Binding] = {}
    arguments: list[str] = []
    for number, parameter in enumerate(parameters):
        key = f"ecmactl_p{number}"
        bindings[key] = _binding(parameter, known)
        arguments.append(_argument(dialect, parameter.name, key, named=named))
    joined = ", ".join(arguments)
    if dialect == "postgresql":
        sql = f"CALL {name}({joined})" if kind == "procedure" else f"SELECT * FROM {name}({joined})"
    elif dialect == "mssql":
        sql = f"EXEC {name} {joined}".rstrip()
    else:
        sql = f"CALL {name}({joined})"
    return Statement(text(sql), bindings)


def postgres_routine_kind(conn: Connection, name: str) -> RoutineKind:
    """Procedure (CALL) or function (SELECT * FROM) on PostgreSQL, from the catalog (readable
    by a role with EXECUTE rights only); a function when the catalog does not know the name,
    so the call itself reports it."""
    schema, _, bare = name.rpartition(".")
    found = conn.execute(
        text(
            "SELECT p.prokind FROM pg_catalog.pg_proc p "
            "JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
            "WHERE p.proname::text IN (CAST(:name AS text), lower(CAST(:name AS text))) AND "
            "(CASE WHEN CAST(:schema AS text) = '' THEN pg_catalog.pg_function_is_visible(p.oid) "
            "ELSE n.nspname::text IN (CAST(:schema AS text), lower(CAST(:schema AS text))) END) "
            "LIMIT 1"
        ),
        {"name": bare, "schema": schema},
    ).scalar()
    return "procedure" if found == "p" else "function"


def _binding(parameter: Parameter, known: list[str]) -> Binding:
    if parameter.placeholder is None:
        return None, parameter.literal
    return resolve(parameter.placeholder, known) or parameter.placeholder, None


def _argument(dialect: str, name: str, key: str, *, named: bool) -> str:
    if not named:
        return f":{key}"
    if dialect == "postgresql":
        return f"{name} => :{key}"
    if dialect == "mssql":
        return f"@{name} = :{key}"
    return f":{key}"  # MariaDB/MySQL: by position only (the rules refuse named there)


def _escape(sql: str) -> str:
    """``text()`` reads ``:name`` as a bound parameter; a backslash keeps the colon literal
    (and ``text()`` leaves every other backslash as written)."""
    return sql.replace(":", "\\:")
