"""Child tables of multi-valued attributes (MIM's "Multi-Values Table"): which tables may be one,
and whether a configured one matches the live database.

A child table holds one row per value, joined to the parent table (Schema 2's) by a column:
``EmployeeEmails.EmployeeID = Employees.ID``. Candidates are tables with a foreign key to the
parent, and tables having a column the user named as the join column. A configured child
table that lost a column is reported by `configure schema --refresh` (``child_table_drift``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from ecmactl.config.models import ChildTable, Column, Connector
from ecmactl.errors import ConfigError, UsageError
from ecmactl.home import Home, expand_home
from ecmactl.invocation import command
from ecmactl.sql.schema import detect_columns, list_tables


@dataclass(frozen=True)
class ChildTableCandidate:
    """A table that may hold a multi-valued attribute's values for the parent's rows."""

    table: str
    join_column: str  # the child's column holding the parent's key
    parent_column: str  # the parent's column it refers to
    found_by: Literal["foreign key", "column name"]

    @property
    def join(self) -> str:
        return f"{self.table}.{self.join_column}"


def child_table_candidates(
    engine: Engine,
    parent: str,
    schema: str | None = None,
    *,
    join_column: str | None = None,
    parent_column: str | None = None,
) -> list[ChildTableCandidate]:
    """Tables with a single-column foreign key to ``parent``; and, when ``join_column`` is
    named, every other table with a column of that name (case-insensitive) joined to
    ``parent_column``. Views are left out: a child table is written on export."""
    inspector = inspect(engine)
    found: dict[str, ChildTableCandidate] = {}
    tables = [t.name for t in list_tables(engine, schema) if t.kind == "table"]
    for table in tables:
        if table == parent:
            continue
        for key in inspector.get_foreign_keys(table, schema):
            columns, referred = key["constrained_columns"], key["referred_columns"]
            referred_schema = key.get("referred_schema")
            same_schema = referred_schema in (None, schema) or schema is None
            if key["referred_table"] == parent and same_schema and len(columns) == 1:
                found.setdefault(
                    table, ChildTableCandidate(table, columns[0], referred[0], "foreign key")
                )
    if join_column and parent_column:
        wanted = join_column.casefold()
        for table in tables:
            if table == parent or table in found:
                continue
            names = [str(c["name"]) for c in inspector.get_columns(table, schema)]
            match = next((n for n in names if n.casefold() == wanted), None)
            if match is not None:
                found[table] = ChildTableCandidate(table, match, parent_column, "column name")
    return sorted(found.values(), key=lambda c: (c.found_by != "foreign key", c.table))


@dataclass(frozen=True)
class ChildTableShape:
    """What a child table must have, as configured."""

    table: str
    join_column: str
    parent_column: str
    value_columns: tuple[str, ...]
    type_column: str | None = None
    primary_column: str | None = None


def check_child_table(
    engine: Engine,
    parent: str,
    shape: ChildTableShape,
    schema: str | None = None,
    *,
    parent_columns: Sequence[Column] | None = None,
) -> list[Column]:
    """The child table's live columns, after checking that the table and each configured
    column exist and that the join columns' types can be compared; raises UsageError naming
    the fix otherwise. ``parent_columns`` saves reading the parent again."""
    if shape.table == parent:
        raise UsageError(
            f"{shape.table} is the connector's own table; a child table is another table "
            "holding one row per value",
            hint="Name the table holding the values, such as EmployeeEmails.",
        )
    columns = detect_columns(engine, shape.table, schema)
    if parent_columns is None:
        parent_columns = detect_columns(engine, parent, schema)
    child = {c.name: c for c in columns}
    parents = {c.name: c for c in parent_columns}
    join = _column(child, shape.table, shape.join_column, "join column")
    key = _column(parents, parent, shape.parent_column, "join condition's parent column")
    if join.data_type != key.data_type:
        raise UsageError(
            f"{shape.table}.{join.name} is {join.sql_type} ({join.data_type}) but {parent}."
            f"{key.name} is {key.sql_type} ({key.data_type}): a join compares values of one "
            "kind",
            hint=f"Join on a column of {shape.table} with the type of {parent}.{key.name}, "
            f"or join to another column of {parent}.",
        )
    for name in shape.value_columns:
        value = _column(child, shape.table, name, "value column")
        if value.name == join.name:
            raise UsageError(
                f"{shape.table}.{name} is the join column; it cannot also hold the values",
                hint=f"Choose another column of {shape.table} as the value.",
            )
    if shape.type_column is not None:
        kind = _column(child, shape.table, shape.type_column, "type column")
        if kind.data_type != "String":
            raise UsageError(
                f"{shape.table}.{kind.name} is {kind.sql_type}; a type column holds text such "
                'as "work" or "home"',
                hint=f"Choose a text column of {shape.table}, or leave the type column out.",
            )
    if shape.primary_column is not None:
        flag = _column(child, shape.table, shape.primary_column, "primary column")
        if flag.data_type not in ("Boolean", "Integer"):
            raise UsageError(
                f"{shape.table}.{flag.name} is {flag.sql_type}; a primary column holds "
                "true/false (BOOLEAN, BIT or 0/1)",
                hint=f"Choose a boolean column of {shape.table}, or leave the primary column out.",
            )
    return columns


def _column(columns: dict[str, Column], table: str, name: str, role: str) -> Column:
    found = columns.get(name)
    if found is not None:
        return found
    close = [n for n in columns if n.casefold() == name.casefold()]
    hint = (
        f"Did you mean {close[0]}? Column names are case-sensitive here."
        if close
        else f"Columns of {table}: {', '.join(columns)}."
    )
    raise UsageError(f"{table} has no column {name!r} (the {role}).", hint=hint)


def configured_columns(child: ChildTable) -> Iterator[tuple[str, str]]:
    """(column, its role) for each column of ``child`` the connector reads or writes."""
    yield child.join_column, "the join column"
    for attribute in child.attributes:
        yield attribute.column, f"the values of {attribute.scim or attribute.key}"
        if attribute.type_column:
            yield attribute.type_column, f"the type of {attribute.scim}"
        if attribute.primary_column:
            yield attribute.primary_column, f"the primary flag of {attribute.scim}"


def child_table_drift(
    connector: Connector, live: dict[str, list[Column] | None]
) -> Iterator[ConfigError]:
    """Each child table gone, or a configured column gone from it (``live``: the child
    tables' live columns by table, None when the table is missing), with the fix."""
    name = connector.name
    for child in connector.schema.child_tables:
        columns = live.get(child.table)
        fix = command("configure", "multivalue", "--child-table", child.table, connector=name)
        remove = command("configure", "multivalue", "--remove", child.table, connector=name)
        if columns is None:
            yield ConfigError(
                f"connector {name!r}: the child table {child.table} is gone",
                hint=f"Restore it, or remove it from the connector with `{remove}`.",
            )
            continue
        present = {c.name for c in columns}
        for column, role in dict.fromkeys(configured_columns(child)):
            if column not in present:
                yield ConfigError(
                    f"connector {name!r}: column {column!r} ({role}) is gone from child "
                    f"table {child.table}",
                    hint=f"Restore the column, or choose the child table's columns again with "
                    f"`{fix}` (or drop it: `{remove}`); then refresh.",
                )


def read_live_child_columns(
    home: Home, connector: Connector, *, timeout: float = 5
) -> dict[str, list[Column] | None]:
    """The connector's child tables as the wizard detects them (None: the table is missing)."""
    from ecmactl.secrets import read_secret
    from ecmactl.sql.connect import make_engine

    if not connector.schema.child_tables:
        return {}
    conn = connector.connectivity
    password = read_secret(conn.password_ref, home) if conn.password_ref else None
    url = expand_home(conn.database_url, home)
    engine = make_engine(url, user=conn.user, password=password, connect_timeout=timeout)
    live: dict[str, list[Column] | None] = {}
    try:
        for child in connector.schema.child_tables:
            schema = child.db_schema or connector.schema.db_schema
            try:
                live[child.table] = detect_columns(engine, child.table, schema)
            except UsageError:  # the table does not exist
                live[child.table] = None
    finally:
        engine.dispose()
    return live
