"""Child tables ("Multi-Values Tables", as MIM's Generic SQL connector names them): the
multi-valued attributes of ``SqlRowStore`` rows, read and written beside the parent row.

Each child row belongs to the parent whose ``parent_column`` (default: the anchor) equals its
``join_column``, and gives one value to each multi-valued attribute of its table whose value
column is not NULL. A row dict holds each attribute's list under its key (the shape is in
``ecmactl.rowstore``).

Reads: a full import reads each child table once, streamed, into a dict by parent key, and
hands each parent row its lists as the parent rows stream by (what is left belongs to no parent
and is dropped): one query per child table, never one per row; the lists built are the ones the
cache keeps, so the peak is the cache plus one batch. Any other read (a row, a delta, a lookup)
asks for the children of the rows it found, ``_CHUNK`` parent keys per query.

A delta import reads the parents whose watermark moved, with all their children. A change to
child rows alone (another application's INSERT into the child table) does not move the parent's
watermark, so a delta does not see it, unless a trigger on the child table touches the parent
row; the autosync's full import does. ecmactl's own writes of a set alone leave the parent row
as it is too: the host's cache and the cluster's change feed carry them instead.

Writes run in the parent's transaction (``SqlRowStore`` calls ``write`` after its own statement,
``delete`` before): a list replaces the attribute's whole set, by DELETE and INSERT of its rows
(on a table holding several attributes, the attribute's columns are cleared first and rows left
with no value deleted). Values are bound parameters, prepared like parent values.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from sqlalchemy import Column as SqlColumn
from sqlalchemy import MetaData, Select, Table, and_, bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import NoSuchTableError, SAWarning

from ecmactl.config.models import ChildTable, Column, Connector, DataType, MultiValuedAttribute
from ecmactl.invocation import command
from ecmactl.rowstore import ConstraintViolation, StoreError, sort_elements
from ecmactl.sql.row_values import ColumnSpec, column_spec, prepare

__all__ = ["ChildTables"]

_CHUNK = 500  # parent keys per IN (...) query: far below every dialect's parameter limit
_BATCH = 10_000  # child rows fetched at a time in a full import
Found = dict[str, dict[Any, list[dict[str, Any]]]]  # attribute key -> parent key -> elements
_KEYS = "ecmactl_parent_keys"


@dataclass(frozen=True)
class _Attribute:
    key: str
    value: ColumnSpec
    type: ColumnSpec | None
    primary: ColumnSpec | None


@dataclass(frozen=True)
class _Child:
    name: str  # for messages: [schema.]table
    table: Table
    join: SqlColumn[Any]
    join_spec: ColumnSpec  # typed like the parent column, so keys compare equal
    attributes: list[_Attribute]
    select_all: Select[Any]  # join column, then each attribute's value, type, primary


class ChildTables:
    """The child tables of one connector, reflected with the parent table."""

    def __init__(
        self,
        connector: Connector,
        conn: Connection,
        parent: Mapping[str, ColumnSpec],
        readable: list[str],
        tz: tzinfo,
    ) -> None:
        """``parent``: the parent table's column specs; ``readable``: the columns its rows
        hold (the joined parent column must be one of them)."""
        schema = connector.schema
        columns = {c.parent_column or schema.anchor for c in schema.child_tables}
        if len(columns) != 1:
            # One parent value per row joins every child table: several would need each read.
            raise StoreError(
                f"The child tables of {connector.name} join different parent columns "
                f"({', '.join(sorted(columns))}); join them all to one (usually the anchor).",
                hint=_hint(connector),
            )
        (self.parent,) = columns
        if self.parent not in readable or self.parent not in parent:
            raise StoreError(
                f"The child tables of {connector.name} join {schema.table}.{self.parent}, "
                "which is neither the anchor nor a selected attribute.",
                hint=_hint(connector),
            )
        self.keys = [a.key for _, a in schema.multi_valued()]
        self._tz = tz
        join_type = parent[self.parent].data_type
        self._children = [self._reflect(conn, child, join_type) for child in schema.child_tables]

    @staticmethod
    def _reflect(conn: Connection, child: ChildTable, join_type: DataType) -> _Child:
        name = f"{child.db_schema}.{child.table}" if child.db_schema else child.table
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", SAWarning)
                table = Table(child.table, MetaData(), schema=child.db_schema, autoload_with=conn)
        except NoSuchTableError:
            raise StoreError(
                f"The child table {name} does not exist (or this account cannot see it).",
                hint="Create it, or remove it from the connector's schema.child_tables.",
            ) from None
        dialect = conn.dialect.name

        def spec(column: str, data_type: DataType) -> ColumnSpec:
            if column not in table.c:
                raise StoreError(
                    f"The child table {name} has no column {column}; the connector's schema "
                    "is out of date.",
                    hint="Correct schema.child_tables in the connector file.",
                )
            detected = child.column(column)
            config = Column(
                name=column,
                sql_type=detected.sql_type if detected is not None else "",
                data_type=data_type,
            )
            return column_spec(table.c[column], config, dialect)

        attributes: list[_Attribute] = []
        outputs: list[SqlColumn[Any]] = [table.c[child.join_column]]
        for a in child.attributes:
            attribute = _attribute(a, spec)
            attributes.append(attribute)
            outputs += [
                table.c[s.name]
                for s in (attribute.value, attribute.type, attribute.primary)
                if s is not None
            ]
        return _Child(
            name=name,
            table=table,
            join=table.c[child.join_column],
            join_spec=spec(child.join_column, join_type),
            attributes=attributes,
            select_all=select(*outputs).select_from(table),
        )

    # -- reads ---------------------------------------------------------------------------------

    def load_all(self, conn: Connection) -> Found:
        """Every child row, grouped by attribute key then parent key (the full import)."""
        found: Found = {key: {} for key in self.keys}
        for child in self._children:
            if conn.dialect.name == "sqlite":  # a raw cursor: tuples, no Row objects
                sql = str(child.select_all.compile(dialect=conn.dialect))
                cursor = conn.connection.cursor()
                try:
                    cursor.execute(sql)
                    while part := cursor.fetchmany(_BATCH):
                        _group(child, part, found)
                finally:
                    cursor.close()
                continue
            streaming = conn.execution_options(stream_results=True, yield_per=_BATCH)
            for part in streaming.execute(child.select_all).partitions(_BATCH):
                _group(child, part, found)
        return found

    def attach(self, rows: list[dict[str, Any]], found: Found) -> list[dict[str, Any]]:
        """Give each row its lists from ``found`` (taken out of it: the full import)."""
        parent = self.parent
        for key in self.keys:
            by_parent = found[key]
            pop = by_parent.pop
            for row in rows:
                elements = pop(row[parent], None)
                if elements is None:
                    row[key] = []
                else:
                    row[key] = sort_elements(elements) if len(elements) > 1 else elements
        return rows

    def read_for(self, conn: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Give ``rows`` their lists, read for their keys only."""
        values = list({r[self.parent] for r in rows if r.get(self.parent) is not None})
        found: Found = {key: {} for key in self.keys}
        for child in self._children:
            stmt = child.select_all.where(child.join.in_(bindparam(_KEYS, expanding=True)))
            for start in range(0, len(values), _CHUNK):
                chunk = [
                    prepare(child.join_spec, v, self._tz, child.name)
                    for v in values[start : start + _CHUNK]
                ]
                _group(child, conn.execute(stmt, {_KEYS: chunk}).all(), found)
        return self.attach(rows, found)

    # -- writes (inside the parent's transaction) ------------------------------------------------

    def write(self, conn: Connection, key: Any, values: Mapping[str, Any]) -> None:
        """Replace the set of each multi-valued attribute in ``values`` for parent ``key``."""
        if key is None:  # no parent value: child rows would join nothing, and read back as []
            lists = [k for k in self.keys if values.get(k)]
            if lists:
                raise ConstraintViolation(
                    f"{', '.join(lists)} need a value in {self.parent}, which joins the child "
                    "rows to this row; set it in the same write.",
                    column=self.parent,
                    kind="not_null",
                )
            return
        for child in self._children:
            given = [a for a in child.attributes if a.key in values]
            if not given:
                continue
            join_key = prepare(child.join_spec, key, self._tz, child.name)
            where = child.join == join_key
            if len(child.attributes) == 1:
                conn.execute(delete(child.table).where(where))
            else:
                cleared: dict[str, Any] = {}
                for a in given:
                    cleared.update({s.name: None for s in _specs(a)})
                conn.execute(update(child.table).where(where).values(cleared))
                empty = [child.table.c[a.value.name].is_(None) for a in child.attributes]
                conn.execute(delete(child.table).where(where, and_(*empty)))
            rows: list[dict[str, Any]] = []
            for a in given:
                rows += [
                    _child_row(child, a, join_key, e, self._tz) for e in _elements(values[a.key], a)
                ]
            if rows:
                conn.execute(insert(child.table), _same_keys(rows))

    def rekey(self, conn: Connection, old: Any, new: Any) -> None:
        """Move the child rows of parent ``old`` to ``new`` (the joined parent column changed)."""
        for child in self._children:
            was = prepare(child.join_spec, old, self._tz, child.name)
            now = prepare(child.join_spec, new, self._tz, child.name)
            conn.execute(
                update(child.table).where(child.join == was).values({child.join.name: now})
            )

    def delete(self, conn: Connection, key: Any) -> None:
        """Delete the child rows of parent ``key`` (before the parent: no orphan, no FK error)."""
        if key is None:  # no parent value: no child row of its own (NULL joins nothing)
            return
        for child in self._children:
            join_key = prepare(child.join_spec, key, self._tz, child.name)
            conn.execute(delete(child.table).where(child.join == join_key))


def _attribute(a: MultiValuedAttribute, spec: Callable[[str, DataType], ColumnSpec]) -> _Attribute:
    return _Attribute(
        key=a.key,
        value=spec(a.column, a.data_type),
        type=spec(a.type_column, "String") if a.type_column else None,
        primary=spec(a.primary_column, "Boolean") if a.primary_column else None,
    )


def _specs(a: _Attribute) -> list[ColumnSpec]:
    return [s for s in (a.value, a.type, a.primary) if s is not None]


def _group(child: _Child, part: Iterable[Sequence[Any]], found: Found) -> None:
    """Add one batch of child rows to ``found``: attribute key -> parent key -> elements.
    The full import's hot loop: one dict per value, readers only where a column needs one."""
    read_join = child.join_spec.reader
    position = 1
    for a in child.attributes:
        at = position
        type_at = at + 1 if a.type is not None else None
        primary_at = at + 1 + (type_at is not None) if a.primary is not None else None
        position += len(_specs(a))
        read_value = a.value.reader
        read_type = a.type.reader if a.type is not None else None
        read_primary = a.primary.reader if a.primary is not None else None
        by_parent = found[a.key]
        for row in part:
            parent, value = row[0], row[at]
            if parent is None or value is None:
                continue
            if read_join is not None:
                parent = read_join(parent)
            element = {"value": read_value(value) if read_value is not None else value}
            if type_at is not None:
                kind = row[type_at]
                element["type"] = read_type(kind) if read_type and kind is not None else kind
            if primary_at is not None:
                flag = row[primary_at]
                if read_primary is not None and flag.__class__ is not int and flag is not None:
                    flag = read_primary(flag)  # 0/1 need none: bool() below
                element["primary"] = bool(flag)
            elements = by_parent.get(parent)
            if elements is None:
                by_parent[parent] = [element]
            else:
                elements.append(element)


def _elements(value: Any, a: _Attribute) -> list[Mapping[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(e, Mapping) for e in value):
        raise ConstraintViolation(
            f"The values of {a.key} must be a list of elements.", column=a.key, kind="other"
        )
    return value


def _child_row(
    child: _Child, a: _Attribute, join_key: Any, element: Mapping[str, Any], tz: tzinfo
) -> dict[str, Any]:
    row = {child.join.name: join_key}
    row[a.value.name] = prepare(a.value, element.get("value"), tz, child.name)
    if row[a.value.name] is None:
        raise ConstraintViolation(
            f"A value of {a.key} is empty (column {a.value.name} of {child.name}).",
            column=a.value.name,
            kind="not_null",
        )
    if a.type is not None:
        row[a.type.name] = prepare(a.type, element.get("type"), tz, child.name)
    if a.primary is not None:
        row[a.primary.name] = bool(element.get("primary"))
    return row


def _same_keys(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """executemany needs one set of keys: columns a row lacks are NULL."""
    names = list(dict.fromkeys(k for r in rows for k in r))
    return [{n: r.get(n) for n in names} for r in rows]


def _hint(connector: Connector) -> str:
    return (
        f"Correct schema.child_tables: {command('configure', 'schema', connector=connector.name)}"
    )
