"""How a connector's configured columns differ from its live table, and the connector refreshed
to match it (`configure schema --refresh`, and the host's warnings at start).

Microsoft's host keeps the schema it detected once; a column added, dropped or retyped later
goes unnoticed until writes fail. Here the live table is detected as the wizard detects it
(``detect_columns``), so an unchanged table gives no difference at all, and each difference is
one ``ColumnChange`` a person can read and a script can parse.

A refresh keeps what the user chose (each column's data type and direction, the selected
attributes and their bindings) wherever the table still allows it: a retyped column gets its new
detected type, a removed column leaves the selected attributes, an added column joins them only
when asked. What a refresh cannot decide (the anchor gone or no longer unique, the DN, disable
or watermark column gone) is refused with the page that decides it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from ecmactl.config.models import Attribute, Column, Connector
from ecmactl.errors import ConfigError, UsageError
from ecmactl.home import Home, expand_home
from ecmactl.invocation import command

ChangeKind = Literal["added", "removed", "type", "nullable", "length", "unique", "default"]
REFRESH = ("configure", "schema", "--refresh")


def used_columns(connector: Connector) -> Iterator[tuple[str, str, str]]:
    """(column, its role, the `configure` page that sets it) for every column the host reads
    or writes."""
    schema, dep = connector.schema, connector.deprovisioning
    yield schema.anchor, "the anchor", "schema"
    if schema.dn_attribute:
        yield schema.dn_attribute, "the DN attribute", "schema"
    for attribute in connector.attributes:
        yield attribute.column, "a selected attribute", "attributes"
    if dep.disable_flow == "Set attribute value" and dep.disable_attribute:
        yield dep.disable_attribute, "the disable attribute", "deprovisioning"
    if connector.global_.delta_strategy == "Watermark" and connector.global_.watermark_column:
        yield connector.global_.watermark_column, "the watermark column", "global"


@dataclass(frozen=True)
class ColumnChange:
    """One difference between the configured column and the live one."""

    column: str
    kind: ChangeKind
    old: Any = None
    new: Any = None
    role: str | None = None  # what the connector uses the column for, if anything

    def text(self) -> str:
        used = f" ({self.role})" if self.role else ""
        name = f"column {self.column}{used}"
        if self.kind == "added":
            return f"{name} was added ({_describe(self.new)})"
        if self.kind == "removed":
            return f"{name} was removed"
        if self.kind == "type":
            return f"{name} was retyped: {self.old} → {self.new}"
        if self.kind == "nullable":
            return f"{name} is now {'NULL allowed' if self.new else 'NOT NULL'}"
        if self.kind == "length":
            return f"{name} length {_length(self.old)} → {_length(self.new)}"
        if self.kind == "unique":
            return f"{name} is {'now' if self.new else 'no longer'} unique"
        return f"{name} {'now has' if self.new else 'no longer has'} a default value"

    def to_dict(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "change": self.kind,
            "old": self.old,
            "new": self.new,
            "role": self.role,
        }


def _length(value: Any) -> str:
    return "unlimited" if value is None else str(value)


def _summary(column: Column) -> dict[str, Any]:
    """What a script needs of an added or removed column."""
    return {
        "sql_type": column.sql_type,
        "data_type": column.data_type,
        "nullable": column.nullable,
        "max_length": column.max_length,
        "has_default": column.has_default,
        "unique": column.unique,
    }


def _describe(summary: dict[str, Any]) -> str:
    null = "NULL allowed" if summary["nullable"] else "NOT NULL"
    default = ", with a default" if summary["has_default"] else ""
    return f"{summary['sql_type']} {null}{default}, {summary['data_type']}"


@dataclass(frozen=True)
class SchemaDiff:
    """Every difference between a connector's configured columns and its live table."""

    table: str
    changes: tuple[ColumnChange, ...]

    @property
    def added(self) -> list[str]:
        return [c.column for c in self.changes if c.kind == "added"]

    @property
    def removed(self) -> list[str]:
        return [c.column for c in self.changes if c.kind == "removed"]

    def __bool__(self) -> bool:
        return bool(self.changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "in_sync": not self.changes,
            "changes": [c.to_dict() for c in self.changes],
        }


def table_label(connector: Connector) -> str:
    schema = connector.schema
    return f"{schema.db_schema}.{schema.table}" if schema.db_schema else schema.table


def diff_schema(connector: Connector, live: Sequence[Column]) -> SchemaDiff:
    """The differences in table order: removed columns where they were, added ones after."""
    roles: dict[str, str] = {}
    for column, used_as, _ in used_columns(connector):
        roles.setdefault(column, used_as)
    current = {c.name: c for c in live}
    changes: list[ColumnChange] = []
    for old in connector.schema.columns:
        role = roles.get(old.name)
        new = current.get(old.name)
        if new is None:
            changes.append(ColumnChange(old.name, "removed", _summary(old), None, role))
            continue
        if _resized(old, new):
            changes.append(ColumnChange(old.name, "length", old.max_length, new.max_length, role))
        elif old.sql_type != new.sql_type:
            before, after = old.sql_type, new.sql_type
            if old.data_type != new.data_type:
                before, after = f"{before} ({old.data_type})", f"{after} ({new.data_type})"
            changes.append(ColumnChange(old.name, "type", before, after, role))
        if old.nullable != new.nullable:
            changes.append(ColumnChange(old.name, "nullable", old.nullable, new.nullable, role))
        if old.unique != new.unique:
            changes.append(ColumnChange(old.name, "unique", old.unique, new.unique, role))
        if old.has_default != new.has_default:
            changes.append(
                ColumnChange(old.name, "default", old.has_default, new.has_default, role)
            )
    known = {c.name for c in connector.schema.columns}
    for new in live:
        if new.name not in known:
            changes.append(ColumnChange(new.name, "added", None, _summary(new), None))
    return SchemaDiff(table_label(connector), tuple(changes))


def refresh_problems(connector: Connector, live: Sequence[Column]) -> Iterator[ConfigError]:
    """What a refresh cannot decide on its own: each with the page that decides it."""
    name = connector.name
    table = table_label(connector)
    current = {c.name: c for c in live}
    anchor = connector.schema.anchor
    live_anchor = current.get(anchor)
    if live_anchor is None:
        yield ConfigError(
            f"connector {name!r}: the anchor column {anchor!r} is gone from table {table}",
            hint=f"Restore the column, or choose a new anchor with "
            f"`{command('configure', 'schema', connector=name)}` (a new anchor is a new SCIM "
            "id for every user: Entra must match them again).",
        )
    elif not live_anchor.unique or live_anchor.nullable:
        lost = "UNIQUE" if not live_anchor.unique else "NOT NULL"
        yield ConfigError(
            f"connector {name!r}: the anchor column {anchor!r} of table {table} is no longer "
            f"{lost}, so it no longer identifies one user",
            hint=f"Restore the {lost} constraint on {anchor}, or choose a new anchor with "
            f"`{command('configure', 'schema', connector=name)}`.",
        )
    elif live_anchor.data_type in ("Boolean", "Binary"):
        yield ConfigError(
            f"connector {name!r}: the anchor column {anchor!r} of table {table} is now "
            f"{live_anchor.sql_type} ({live_anchor.data_type}), which cannot be an anchor",
            hint=f"Restore its type, or choose a new anchor with "
            f"`{command('configure', 'schema', connector=name)}`.",
        )
    for column, role, page in used_columns(connector):
        if column == anchor or role == "a selected attribute" or column in current:
            continue
        yield ConfigError(
            f"connector {name!r}: column {column!r} ({role}) is gone from table {table}",
            hint=f"Choose {role} again with `{command('configure', page, connector=name)}`, "
            "or restore the column; then refresh.",
        )
    disable = connector.deprovisioning.disable_attribute
    live_disable = current.get(disable) if disable else None
    if (
        connector.deprovisioning.disable_flow == "Set attribute value"
        and live_disable is not None
        and live_disable.data_type != "Boolean"
    ):
        yield ConfigError(
            f"connector {name!r}: the disable attribute {disable!r} is now "
            f"{live_disable.sql_type}, not a Boolean column",
            hint=f"Choose another disable flow or column with "
            f"`{command('configure', 'deprovisioning', connector=name)}`, or restore its type.",
        )


def refreshed_connector(
    connector: Connector, live: Sequence[Column], add: Sequence[str] = ()
) -> Connector:
    """``connector`` fitted to the live table; ``add``: added columns to select as attributes.

    Raises the first of ``refresh_problems`` (a ConfigError naming the fix), or a UsageError
    when ``add`` names a column that was not added."""
    for problem in refresh_problems(connector, live):
        raise problem
    configured = {c.name: c for c in connector.schema.columns}
    added = [c.name for c in live if c.name not in configured]
    unknown = [name for name in add if name not in added]
    if unknown:
        offered = ", ".join(added) if added else "none"
        raise UsageError(
            f"--add-column {unknown[0]}: not a column added to table {table_label(connector)} "
            f"(added columns: {offered})",
            hint="To select a column that was already there, use "
            f"`{command('configure', 'attributes', connector=connector.name)}`.",
        )
    columns = [_refit(configured.get(c.name), c) for c in live]
    present = {c.name for c in live}
    attributes = [a for a in connector.attributes if a.column in present]
    chosen = set(add)
    attributes += [Attribute(column=c.name) for c in live if c.name in chosen]
    schema = replace(connector.schema, columns=columns)
    return replace(connector, schema=schema, attributes=attributes)


def _resized(old: Column, new: Column) -> bool:
    """The same kind of text column with another length: VARCHAR(128) → VARCHAR(256)."""
    return (
        old.max_length is not None
        and new.max_length is not None
        and old.max_length != new.max_length
        and old.sql_type.split("(")[0] == new.sql_type.split("(")[0]
    )


def _refit(old: Column | None, new: Column) -> Column:
    """The live column, keeping the user's data type and direction while its SQL type holds
    (a longer or shorter text column still holds)."""
    if old is None or (old.sql_type != new.sql_type and not _resized(old, new)):
        return new
    direction = "Import" if new.direction == "Import" else old.direction
    return replace(new, data_type=old.data_type, direction=direction)


def read_live_columns(home: Home, connector: Connector, *, timeout: float = 5) -> list[Column]:
    """The connector's table as the wizard detects it. Raises DatabaseConnectionError when the
    database cannot be reached and UsageError when the table is missing."""
    from ecmactl.secrets import read_secret
    from ecmactl.sql.connect import make_engine, test_connection
    from ecmactl.sql.schema import detect_columns

    conn = connector.connectivity
    password = read_secret(conn.password_ref, home) if conn.password_ref else None
    url = expand_home(conn.database_url, home)
    test_connection(url, conn.user, password, timeout=timeout)  # its error explains the failure
    engine = make_engine(url, user=conn.user, password=password, connect_timeout=timeout)
    try:
        return detect_columns(engine, connector.schema.table, connector.schema.db_schema)
    finally:
        engine.dispose()


def refresh_command(connector: str, *extra: str) -> str:
    """The pasteable `configure schema --refresh` for ``connector``."""
    return command(*REFRESH, *extra, connector=connector)
