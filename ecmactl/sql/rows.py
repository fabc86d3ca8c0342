"""``SqlRowStore``: the ``RowStore`` contract (``ecmactl.rowstore``) over one SQL table.

The table is reflected once, on first use (so a store can be opened while the database is
down, and recovers by itself when it returns); statements are parameterised; every write runs in
a transaction committed before the method returns, and insert/update read the stored row back in
that transaction (server defaults, triggers). Values are normalised by ``row_values`` so all
dialects return the same Python values; driver errors are translated by ``store_errors``.

SQLite (through ``store_engine``) takes two fast paths: the full import runs on a raw sqlite3
cursor (values converted inside sqlite3, one ``dict(zip())`` per row), and concurrent writes
share one transaction and one fsync, each in its own savepoint (``sqlite_writes``, group
commit). PostgreSQL and MariaDB stream through server-side cursors.

Child tables (multi-valued attributes) are read and written by ``child_rows`` in the same
connection and transaction as the parent row; such a connector's SQLite writes run one at a
time through SQLAlchemy instead of the group writer, and a full import reads in one snapshot.
"""

from __future__ import annotations

import re
import threading
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import (
    Column,
    MetaData,
    Select,
    Table,
    bindparam,
    delete,
    insert,
    literal,
    select,
    type_coerce,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import NoSuchTableError, SAWarning
from sqlalchemy.sql.elements import Label
from sqlalchemy.types import NullType

from ecmactl.config.models import Connector
from ecmactl.home import Home, expand_home
from ecmactl.invocation import command
from ecmactl.rowstore import (
    AsyncWrites,
    ConstraintViolation,
    DatabaseUnavailable,
    RowCount,
    RowStore,
    StoreError,
    UniqueViolation,
    multi_valued_keys,
    store_columns,
)
from ecmactl.secrets import read_secret
from ecmactl.sql.case_fold import folded_equals
from ecmactl.sql.child_rows import ChildTables
from ecmactl.sql.group_commit import Job
from ecmactl.sql.row_count import count_rows
from ecmactl.sql.row_values import ColumnSpec, Converter, column_spec, prepare, time_zone
from ecmactl.sql.sqlite_writes import SqliteGroupWriter, SqliteWrites
from ecmactl.sql.store_engine import GROUP_COMMIT, store_engine
from ecmactl.sql.store_errors import ErrorContext, map_driver_errors, missing_table, translate

__all__ = ["SqlRowStore", "store_columns"]

_ANCHOR_PARAM = "ecmactl_anchor"
_NO_ROW = object()  # an anchor no row can have (wrong type for the column)
# How long close() waits for queued SQLite writes (each group may wait busy_timeout for a lock
# another process holds); the host has already waited for its in-flight requests by then.
_CLOSE_WAIT_S = 10.0


@dataclass(frozen=True)
class _Shape:
    """What reflection taught us about the table, and the statements built from it."""

    table: Table
    anchor: Column[Any]
    specs: dict[str, ColumnSpec]  # every column of the table
    outputs: list[Label[Any]]  # the row's columns, as raw driver values (or SQLite labels)
    readers: list[tuple[str, Converter]]  # Python conversions still needed after the fetch
    select_one: Select[Any]
    full_import_sql: str | None  # SQLite with label converters: run on a raw cursor
    sqlite: SqliteWrites | None  # SQLite through store_engine: writes on raw cursors
    children: ChildTables | None  # the connector's child tables (multi-valued attributes)


class SqlRowStore:
    """One connector's table through SQLAlchemy. Thread-safe; owns (and closes) its engine."""

    def __init__(self, connector: Connector, engine: Engine) -> None:
        self._connector = connector
        self._engine = engine
        self._columns = store_columns(connector)
        self._tz = time_zone(connector.global_.data_source_time_zone)
        schema = connector.schema
        self._name = f"{schema.db_schema}.{schema.table}" if schema.db_schema else schema.table
        self._shape: _Shape | None = None
        self._lock = threading.Lock()
        self._multi = frozenset(multi_valued_keys(connector))
        # SQLite with child tables: writes leave the group writer and take turns here, so a
        # read-then-write transaction never meets another writer's snapshot (SQLITE_BUSY).
        self._sqlite_turn = threading.Lock()
        # Called inside each write transaction, before it commits, with ("upsert" | "delete",
        # anchor): the cluster's change feed (ecmactl.cluster). Not on SQLite's group writer.
        self.on_write: Callable[[Connection, str, Any], None] | None = None
        # SQLite through store_engine: concurrent writes share a transaction and its fsync.
        self._writer: SqliteGroupWriter | None = None
        if engine.get_execution_options().get(GROUP_COMMIT):
            self._writer = SqliteGroupWriter(engine, self._refused_alone, self._group_failed)

    @classmethod
    def open(cls, connector: Connector, home: Home, *, connect_timeout: float = 5) -> SqlRowStore:
        """A store on the connector's database: ``{home}`` expanded, the password read from its
        reference. Does not connect (the first call does). ``connect_timeout`` is also how long
        a SQLite write waits for another writer before reporting the database unavailable."""
        conn = connector.connectivity
        password = read_secret(conn.password_ref, home) if conn.password_ref else None
        engine = store_engine(
            expand_home(conn.database_url, home),
            user=conn.user,
            password=password,
            connect_timeout=connect_timeout,
            data_source_time_zone=connector.global_.data_source_time_zone,
        )
        return cls(connector, engine)

    @property
    def columns(self) -> list[str]:
        return list(self._columns)

    @property
    def engine(self) -> Engine:
        return self._engine

    # -- reads -----------------------------------------------------------------------------

    def iter_rows(self, batch_size: int = 10_000) -> Iterator[list[dict[str, Any]]]:
        """Every row, in batches of ``batch_size``; the driver never holds the whole table."""
        shape = self._ensure_shape()
        children = shape.children
        with map_driver_errors(self._context), self._engine.connect() as conn:
            if children is None:
                yield from self._parent_batches(conn, shape, batch_size)
                return
            if conn.dialect.name != "sqlite":  # SQLite's BEGIN holds one snapshot already
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            found = children.load_all(conn)  # every child row, then the parents stream by
            for batch in self._parent_batches(conn, shape, batch_size):
                yield children.attach(batch, found)

    def _parent_batches(
        self, conn: Connection, shape: _Shape, batch_size: int
    ) -> Iterator[list[dict[str, Any]]]:
        if shape.full_import_sql is not None:
            yield from self._sqlite_batches(conn, shape.full_import_sql, batch_size)
            return
        streaming = conn.execution_options(stream_results=True, yield_per=batch_size)
        result = streaming.execute(select(*shape.outputs).select_from(shape.table))
        for part in result.partitions(batch_size):
            yield self._dicts(shape, part)

    def count_rows(self) -> RowCount | None:
        """Exact, or the database's estimate for a large table (see ``row_count``)."""
        shape = self._ensure_shape()
        with map_driver_errors(self._context), self._engine.connect() as conn:
            return count_rows(conn, shape.table)

    def read_row(self, anchor: Any) -> dict[str, Any] | None:
        shape = self._ensure_shape()
        key = self._anchor_key(shape, anchor)
        if key is _NO_ROW:
            return None
        with map_driver_errors(self._context), self._engine.connect() as conn:
            return self._fetch(conn, shape, key)

    def read_rows_by(self, column: str, value: Any, *, case_exact: bool) -> list[dict[str, Any]]:
        """The rows whose ``column`` equals ``value`` (ignoring case unless ``case_exact``,
        as far as the column's collation allows; the caller re-checks with its own case rule).
        A value the column cannot hold matches nothing."""
        shape = self._ensure_shape()
        if column in self._multi:
            return []  # a child table's value: the cache's index answers, not a read-through
        try:
            key = prepare(shape.specs[column], value, self._tz, self._name)
        except ConstraintViolation:
            return []
        target: Any = shape.table.c[column]
        dialect = self._engine.dialect.name
        if not case_exact and isinstance(key, str) and dialect != "sqlite":
            # Every row the cache's rule (casefold) matches, whatever SQL's lower() or the
            # column's collation make of ß, ς, ligatures…; the caller re-checks.
            condition = folded_equals(target, key.casefold(), dialect)
        else:
            condition = target == key
        stmt = select(*shape.outputs).select_from(shape.table).where(condition)
        with map_driver_errors(self._context), self._engine.connect() as conn:
            return self._with_children(conn, shape, self._dicts(shape, conn.execute(stmt).all()))

    def changed_since(self, watermark: Any) -> tuple[list[dict[str, Any]], Any]:
        """Rows whose watermark column is greater than ``watermark`` (all when None), and the
        highest watermark among them. ``watermark`` may be a value of that column as this
        store returned it. Like every watermark scheme it misses deletes, and a transaction
        that commits after a later one with an earlier stamp; the autosync's full import
        catches both."""
        column_name = self._connector.global_.watermark_column
        if not column_name:
            raise StoreError(
                f"Connector {self._connector.name} has no watermark column; delta import "
                "needs one (Global page)."
            )
        shape = self._ensure_shape()
        column = shape.table.c[column_name]
        stmt = select(*shape.outputs).select_from(shape.table).order_by(column)
        if watermark is not None:
            stmt = stmt.where(column > self._watermark_param(shape, column_name, watermark))
        with map_driver_errors(self._context), self._engine.connect() as conn:
            rows = self._with_children(conn, shape, self._dicts(shape, conn.execute(stmt).all()))
        stamps = [r[column_name] for r in rows if r[column_name] is not None]
        try:
            return rows, max(stamps, default=watermark)
        except TypeError:  # mixed types in a loosely typed SQLite column: trust ORDER BY
            return rows, stamps[-1]

    # -- writes ----------------------------------------------------------------------------

    def insert(self, values: Mapping[str, Any]) -> dict[str, Any]:
        return self._inserted(self._write(*self._plan_insert(values)))

    def update(self, anchor: Any, values: Mapping[str, Any]) -> dict[str, Any] | None:
        plan = self._plan_update(anchor, values)
        return None if plan is None else cast("dict[str, Any] | None", self._write(*plan))

    def delete(self, anchor: Any) -> bool:
        plan = self._plan_delete(anchor)
        return plan is not None and bool(self._write(*plan))

    def async_writes(self) -> AsyncWrites | None:
        """SQLite through ``store_engine``, once the table is reflected: the group writer."""
        shape = self._shape
        if shape is None or shape.sqlite is None or self._writer is None:
            return None
        return _GroupWrites(self)

    # Each write is planned here (values prepared, statements chosen), then run by ``_write``
    # (blocking) or ``_write_async`` (awaited): ``work`` through SQLAlchemy, ``raw`` on SQLite.

    def _plan_insert(self, values: Mapping[str, Any]) -> _WritePlan:
        shape = self._ensure_shape()
        params, lists = self._prepare(shape, values)
        anchor = shape.anchor

        def work(conn: Connection) -> dict[str, Any] | None:
            result = conn.execute(insert(shape.table), params)
            key = params.get(anchor.name)
            inserted = result.inserted_primary_key
            if key is None and inserted is not None and anchor.primary_key:
                # An identity/rowid anchor the database chose.
                key = inserted[list(shape.table.primary_key.columns).index(anchor)]
            self._changed(conn, "upsert", key)
            return self._fetch(conn, shape, key, lists)

        def raw(sqlite: SqliteWrites, cursor: Any) -> dict[str, Any] | None:
            return self._row(shape, sqlite.insert(cursor, params))

        # One INSERT … RETURNING is atomic by itself: no savepoint needed in a group.
        atomic = shape.sqlite is not None and shape.sqlite.insert_is_one_statement
        return shape, work, raw, params, atomic

    def _inserted(self, row: Any) -> dict[str, Any]:
        if row is None:
            anchor = self._connector.schema.anchor
            raise StoreError(
                f"The row inserted into {self._name} cannot be read back by its anchor "
                f"{anchor} (a trigger may have changed it)."
            )
        return cast(dict[str, Any], row)

    def _plan_update(self, anchor: Any, values: Mapping[str, Any]) -> _WritePlan | None:
        shape = self._ensure_shape()
        key = self._anchor_key(shape, anchor)
        if key is _NO_ROW:
            return None
        params, lists = self._prepare(shape, values)

        def work(conn: Connection) -> dict[str, Any] | None:
            children = shape.children
            old: Any = None
            if children is not None and children.parent in params:
                # The children's join value changes with the row: read the old one first.
                before = self._row(
                    shape, conn.execute(shape.select_one, {_ANCHOR_PARAM: key}).first()
                )
                if before is None:
                    return None
                old = before[children.parent]
            if params:
                stmt = update(shape.table).where(shape.anchor == key).values(params)
                if conn.execute(stmt).rowcount == 0:
                    return None
            if children is not None and old is not None and old != params[children.parent]:
                children.rekey(conn, old, params[children.parent])
            # The host refuses anchor changes; if one comes anyway, follow the row.
            self._changed(conn, "upsert", params.get(shape.anchor.name, key))
            return self._fetch(conn, shape, params.get(shape.anchor.name, key), lists)

        def raw(sqlite: SqliteWrites, cursor: Any) -> dict[str, Any] | None:
            return self._row(shape, sqlite.update(cursor, key, params))

        return shape, work, raw, params, False

    def _plan_delete(self, anchor: Any) -> _WritePlan | None:
        shape = self._ensure_shape()
        key = self._anchor_key(shape, anchor)
        if key is _NO_ROW:
            return None

        def work(conn: Connection) -> bool:
            if shape.children is not None:  # children first: no orphan, no foreign-key error
                row = self._row(shape, conn.execute(shape.select_one, {_ANCHOR_PARAM: key}).first())
                if row is not None:
                    shape.children.delete(conn, row[shape.children.parent])
            found = conn.execute(delete(shape.table).where(shape.anchor == key)).rowcount > 0
            if found:
                self._changed(conn, "delete", key)
            return found

        def raw(sqlite: SqliteWrites, cursor: Any) -> bool:
            return sqlite.delete(cursor, key)

        return shape, work, raw, {}, False

    # -- health ----------------------------------------------------------------------------

    def ping(self) -> None:
        """Raise DatabaseUnavailable unless the table answers a trivial query."""
        shape = self._ensure_shape()
        with map_driver_errors(self._context), self._engine.connect() as conn:
            conn.execute(select(literal(1)).select_from(shape.table).limit(1)).all()

    def close(self) -> None:
        if self._writer is not None:  # answers the queued writes first
            self._writer.close(_CLOSE_WAIT_S)
        self._engine.dispose()

    # -- internals -------------------------------------------------------------------------

    def _write(
        self,
        shape: _Shape,
        work: Callable[[Connection], Any],
        raw: Callable[[SqliteWrites, Any], Any],
        params: Mapping[str, Any],
        atomic: bool,
    ) -> Any:
        """One transaction, committed before returning: ``work`` through SQLAlchemy, or on
        SQLite ``raw`` on a sqlite3 cursor, grouped with concurrent writes (sqlite_writes;
        ``atomic``: ``raw`` is one statement, which needs no savepoint of its own)."""
        with map_driver_errors(self._context, params):
            sqlite = shape.sqlite
            if sqlite is not None and self._writer is not None:
                return self._writer.submit(lambda cursor: raw(sqlite, cursor), params, atomic)
            if shape.children is not None and self._engine.dialect.name == "sqlite":
                with self._sqlite_turn, self._engine.begin() as conn:
                    return work(conn)
            with self._engine.begin() as conn:
                return work(conn)

    async def _write_async(
        self,
        shape: _Shape,
        _work: Callable[[Connection], Any],
        raw: Callable[[SqliteWrites, Any], Any],
        params: Mapping[str, Any],
        atomic: bool,
    ) -> Any:
        """``_write`` on the group writer, awaited (``async_writes`` checked it exists)."""
        sqlite, writer = shape.sqlite, self._writer
        assert sqlite is not None and writer is not None
        with map_driver_errors(self._context, params):
            return await writer.submit_async(lambda cursor: raw(sqlite, cursor), params, atomic)

    def _changed(self, conn: Connection, op: str, key: Any) -> None:
        if self.on_write is not None:
            self.on_write(conn, op, key)

    def _refused_alone(self, exc: Exception, job: Job) -> bool:
        """Did a constraint refuse this write only (not the transaction)?"""
        return isinstance(
            translate(exc, self._context(job.values)), UniqueViolation | ConstraintViolation
        )

    def _group_failed(self, cause: Exception) -> DatabaseUnavailable:
        """What the other writes of a failed group get: nothing of theirs was committed."""
        error = translate(cause, self._context(None))
        if isinstance(error, DatabaseUnavailable):
            return error
        return DatabaseUnavailable(
            f"A write to {self._name} was rolled back with another that failed alongside it; "
            "retry it.",
            hint="Concurrent writes to SQLite share one transaction (group commit).",
        )

    def _ensure_shape(self) -> _Shape:
        shape = self._shape
        if shape is not None:
            return shape
        with self._lock:
            if self._shape is None:
                with map_driver_errors(self._context), self._engine.connect() as conn:
                    self._shape = self._reflect(conn)
            return self._shape

    def _reflect(self, conn: Connection) -> _Shape:
        schema = self._connector.schema
        try:
            with warnings.catch_warnings():  # unknown column types: read as the driver gives
                warnings.simplefilter("ignore", SAWarning)
                table = Table(schema.table, MetaData(), schema=schema.db_schema, autoload_with=conn)
        except NoSuchTableError:
            raise missing_table(self._context(None)) from None
        missing = [n for n in self._columns if n not in table.c]
        if missing:
            raise StoreError(
                f"Table {self._name} has no column {', '.join(missing)}; the connector's "
                "schema is out of date.",
                hint="Detect the schema again: "
                f"{command('configure', 'schema', connector=self._connector.name)}",
            )
        dialect = conn.dialect.name
        configs = {c.name: c for c in schema.columns}
        specs = {c.name: column_spec(c, configs.get(c.name), dialect) for c in table.c}
        labels = dialect == "sqlite" and _label_converters_active(conn)
        outputs: list[Label[Any]] = []
        readers: list[tuple[str, Converter]] = []
        for name in self._columns:
            spec = specs[name]
            label = name
            if labels and spec.sqlite_label and "[" not in name:
                label = f"{name} [{spec.sqlite_label}]"  # sqlite3 converts it, in C
            elif spec.reader is not None:
                readers.append((name, spec.reader))
            outputs.append(type_coerce(table.c[name], NullType()).label(label))
        anchor = table.c[schema.anchor]
        children = None
        if schema.child_tables:
            children = ChildTables(self._connector, conn, specs, self._columns, self._tz)
        full_sql = None
        if labels:
            full_sql = str(select(*outputs).select_from(table).compile(dialect=conn.dialect))
        return _Shape(
            table=table,
            anchor=anchor,
            specs=specs,
            outputs=outputs,
            readers=readers,
            select_one=select(*outputs)
            .select_from(table)
            .where(anchor == bindparam(_ANCHOR_PARAM)),
            full_import_sql=full_sql if not readers else None,
            sqlite=(
                SqliteWrites(
                    self._engine,
                    table,
                    anchor,
                    outputs,
                    insert_triggers=_has_insert_trigger(conn, table),
                )
                if self._writer and children is None
                else None
            ),
            children=children,
        )

    def _sqlite_batches(
        self, conn: Connection, sql: str, batch_size: int
    ) -> Iterator[list[dict[str, Any]]]:
        names = self._columns
        cursor = conn.connection.cursor()  # raw sqlite3: no Row objects, no result processing
        try:
            cursor.execute(sql)
            while batch := cursor.fetchmany(batch_size):
                yield list(map(dict, map(zip, repeat(names), batch)))
        finally:
            cursor.close()

    def _dicts(self, shape: _Shape, rows: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
        out = list(map(dict, map(zip, repeat(self._columns), rows)))
        for name, reader in shape.readers:
            for row in out:
                value = row[name]
                if value is not None:
                    row[name] = reader(value)
        return out

    def _fetch(
        self, conn: Connection, shape: _Shape, key: Any, lists: Mapping[str, Any] | None = None
    ) -> dict[str, Any] | None:
        """The row ``key`` with its children, after replacing the sets ``lists`` gives (in the
        write's transaction); None when there is no such row."""
        row = self._row(shape, conn.execute(shape.select_one, {_ANCHOR_PARAM: key}).first())
        if row is not None and shape.children is not None:
            if lists:
                shape.children.write(conn, row[shape.children.parent], lists)
            shape.children.read_for(conn, [row])
        return row

    def _with_children(
        self, conn: Connection, shape: _Shape, rows: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        return shape.children.read_for(conn, rows) if shape.children is not None else rows

    def _row(self, shape: _Shape, row: Sequence[Any] | None) -> dict[str, Any] | None:
        return None if row is None else self._dicts(shape, [row])[0]

    def _anchor_key(self, shape: _Shape, anchor: Any) -> Any:
        if anchor is None:
            return _NO_ROW
        try:
            return prepare(shape.specs[shape.anchor.name], anchor, self._tz, self._name)
        except ConstraintViolation:  # "abc" for an integer anchor: no such row, not an error
            return _NO_ROW

    def _prepare(
        self, shape: _Shape, values: Mapping[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The parent's bound values, and the multi-valued attributes' lists (child_rows
        prepares those)."""
        params: dict[str, Any] = {}
        lists: dict[str, Any] = {}
        for name, value in values.items():
            if name in self._multi:
                lists[name] = value
                continue
            spec = shape.specs.get(name)
            if spec is None:
                raise ConstraintViolation(
                    f"Table {self._name} has no column {name}.", column=name, kind="other"
                )
            params[name] = prepare(spec, value, self._tz, self._name)
        return params, lists

    def _watermark_param(self, shape: _Shape, name: str, watermark: Any) -> Any:
        spec = shape.specs[name]
        if isinstance(watermark, str) and spec.data_type == "DateTime":
            watermark = prepare(spec, watermark, self._tz, self._name)
        return bindparam("ecmactl_watermark", watermark, type_=spec.sql_type)

    def _context(self, values: Mapping[str, Any] | None) -> ErrorContext:
        return ErrorContext(
            table_name=self._name,
            url=self._engine.url,
            table=self._shape.table if self._shape is not None else None,
            values=values or {},
        )


_WritePlan = tuple[
    _Shape,
    Callable[[Connection], Any],
    Callable[[SqliteWrites, Any], Any],
    Mapping[str, Any],
    bool,  # atomic: one statement on SQLite
]


class _GroupWrites:
    """``SqlRowStore``'s writes, awaited on the SQLite group writer (``AsyncWrites``)."""

    __slots__ = ("_store",)

    def __init__(self, store: SqlRowStore) -> None:
        self._store = store

    async def insert(self, values: Mapping[str, Any]) -> dict[str, Any]:
        store = self._store
        return store._inserted(await store._write_async(*store._plan_insert(values)))

    async def update(self, anchor: Any, values: Mapping[str, Any]) -> dict[str, Any] | None:
        plan = self._store._plan_update(anchor, values)
        if plan is None:
            return None
        return cast("dict[str, Any] | None", await self._store._write_async(*plan))

    async def delete(self, anchor: Any) -> bool:
        plan = self._store._plan_delete(anchor)
        return plan is not None and bool(await self._store._write_async(*plan))


def _has_insert_trigger(conn: Connection, table: Table) -> bool:
    """Does a SQLite trigger fire on INSERT into ``table``? (Then a row is read back after
    its insert: RETURNING would not show what the trigger changed.) Assumed for a table of
    an attached database."""
    if table.schema is not None:
        return True
    found = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? COLLATE NOCASE",
        (table.name,),
    ).all()
    return any(_INSERT_TRIGGER.search(sql or "") for (sql,) in found)


# The event clause of CREATE TRIGGER (its timing may be omitted); a body's INSERT INTO does not
# match, and a false match only costs the read-back SELECT.
_INSERT_TRIGGER = re.compile(r"\bINSERT\s+ON\b", re.IGNORECASE)


def _label_converters_active(conn: Connection) -> bool:
    """True when this engine's sqlite3 connections apply our label converters (store_engine's
    do; an engine built elsewhere may not, and then Python converts after the fetch)."""
    probe = conn.exec_driver_sql('SELECT 1 AS "probe [ecmactl_bool]"').scalar()
    return probe is True


if TYPE_CHECKING:  # mypy proves SqlRowStore implements the protocol, signatures included

    def _implements(store: SqlRowStore) -> RowStore:
        return store
