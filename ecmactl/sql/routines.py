"""Run-step statements checked against the live database at configure time.

A procedure must exist and take the parameters its lines name (PostgreSQL ``pg_proc``, readable
by an account with EXECUTE rights only; MariaDB/MySQL ``information_schema.PARAMETERS``); a SQL
query must prepare: ``EXPLAIN`` compiles it without running it (PostgreSQL, MariaDB, SQLite), in a
transaction that is rolled back either way, so a check never writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from ecmactl.config.run_steps import (
    END_INDEX,
    START_INDEX,
    parse_parameters,
    resolve,
    routine_name,
)
from ecmactl.errors import ConfigError
from ecmactl.sql.routine_statements import query_statement


@dataclass(frozen=True)
class Routine:
    """A procedure or function as the catalog describes it."""

    kind: str  # "procedure" or "function"
    inputs: list[str]  # its input parameter names, in order
    optional: int  # how many trailing inputs have defaults


def describe_routine(conn: Connection, name: str) -> Routine | None:
    """The routine ``name`` (optionally schema.name), or None when there is none."""
    schema, _, bare = routine_name(name).rpartition(".")
    if conn.dialect.name == "postgresql":
        row = conn.execute(
            text(
                "SELECT p.prokind, p.proargnames, p.proargmodes, p.pronargs, p.pronargdefaults "
                "FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n "
                "ON n.oid = p.pronamespace WHERE p.proname::text IN "
                "(CAST(:name AS text), lower(CAST(:name AS text))) AND (CASE WHEN "
                "CAST(:schema AS text) = '' THEN pg_catalog.pg_function_is_visible(p.oid) ELSE "
                "n.nspname::text IN (CAST(:schema AS text), lower(CAST(:schema AS text))) END) "
                "LIMIT 1"
            ),
            {"name": bare, "schema": schema},
        ).first()
        if row is None:
            return None
        kind, names, modes, count, defaults = row
        names = list(names or [])
        modes = list(modes or ["i"] * len(names))
        inputs = [n for n, m in zip(names, modes, strict=False) if m in ("i", "b", "v")]
        kind_name = "procedure" if kind == "p" else "function"
        return Routine(kind_name, inputs[:count] or inputs, int(defaults or 0))
    if conn.dialect.name in ("mysql", "mariadb"):
        exists = conn.execute(
            text(
                "SELECT ROUTINE_TYPE FROM information_schema.ROUTINES WHERE ROUTINE_NAME = :name "
                "AND ROUTINE_SCHEMA = COALESCE(NULLIF(:schema, ''), DATABASE())"
            ),
            {"name": bare, "schema": schema},
        ).scalar()
        if exists is None:
            return None
        params = conn.execute(
            text(
                "SELECT PARAMETER_NAME FROM information_schema.PARAMETERS "
                "WHERE SPECIFIC_NAME = :name AND ORDINAL_POSITION > 0 "
                "AND SPECIFIC_SCHEMA = COALESCE(NULLIF(:schema, ''), DATABASE()) "
                "ORDER BY ORDINAL_POSITION"
            ),
            {"name": bare, "schema": schema},
        ).scalars()
        return Routine(str(exists).lower(), [str(p) for p in params], 0)
    return None  # other dialects: the first call reports it


def check_routine(engine: Engine, label: str, name: str, parameters_text: str | None) -> str:
    """A one-line note when ``name`` exists and takes the parameters given; else ConfigError."""
    parameters = parse_parameters(parameters_text)
    with engine.connect() as conn:
        routine = describe_routine(conn, name)
    if routine is None:
        if engine.dialect.name not in ("postgresql", "mysql", "mariadb"):
            return f"{label}: {name} (not checked on {engine.dialect.name})"
        raise ConfigError(
            f"{label}: the database has no procedure or function {name}",
            hint="Create it first, or correct the name (as the database spells it).",
        )
    given = [p.name for p in parameters]
    unknown = [g for g in given if resolve(g, routine.inputs) is None]
    if unknown:
        raise ConfigError(
            f"{label}: {name} has no parameter {', '.join(unknown)} "
            f"(it takes {', '.join(routine.inputs) or 'none'})",
            hint="Name its parameters as the procedure declares them, one Name:INPUT:Value "
            "per line.",
        )
    low = len(routine.inputs) - routine.optional
    if not low <= len(given) <= len(routine.inputs):
        raise ConfigError(
            f"{label}: {name} takes {len(routine.inputs)} parameters "
            f"({', '.join(routine.inputs)}), {len(given)} given",
            hint="Give one Name:INPUT:Value line per parameter, in the procedure's order.",
        )
    return f"{label}: {routine.kind} {name}({', '.join(given)}) found"


def check_query(
    engine: Engine, label: str, sql: str, known: list[str], page_size: int = 500
) -> str:
    """A one-line note when ``sql`` prepares (EXPLAIN, rolled back); else ConfigError with the
    database's message."""
    statement = query_statement(sql, known)
    bounds = {START_INDEX: 1, END_INDEX: page_size}
    params = statement.params(lambda name: bounds.get(name))
    with engine.connect() as conn:
        transaction = conn.begin()
        try:
            conn.execute(text("EXPLAIN " + str(statement.clause.text)), params).all()
        except DBAPIError as exc:
            first = str(exc.orig or exc).strip().splitlines()[0]
            raise ConfigError(
                f"{label} does not prepare: {first}",
                hint="Correct the statement (placeholders are @Attribute).",
            ) from None
        finally:
            transaction.rollback()
    return f"{label}: prepares"
