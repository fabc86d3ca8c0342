"""``RoutineRowStore``: the ``RowStore`` contract through the run-step pages, for a database
that allows a provisioning account to run procedures (or given statements) but not to write
its tables.

Full import runs the Full Import step (a view, or a procedure/query returning one page of rows
per call with ``@StartIndex``/``@EndIndex`` bound); exports run the Add/Update/Delete procedures
or the Insert/Update/Delete queries. Each write is one transaction, committed before the method
returns, in which the row is read back through the import step (a procedure cannot say what it
stored): by the anchor for Table and View, by reading pages until the anchor is found for a
procedure or query, which costs up to one full read per write. An update passes every
attribute: the stored row's values with the changed ones over them, so an Update procedure
sees the whole row, as Microsoft's connector gives it. A Table step is delegated to
``SqlRowStore``. Driver errors, a procedure's own (RAISE EXCEPTION, SIGNAL, THROW) included,
are translated by ``store_errors`` as the table store's are.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column as SqlColumn
from sqlalchemy import TextClause, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.types import NullType

from ecmactl.config.models import Connector, ImportStep
from ecmactl.config.run_step_rules import attribute_names
from ecmactl.config.run_steps import ANCHOR, END_INDEX, START_INDEX, WATERMARK, resolve
from ecmactl.home import Home
from ecmactl.rowstore import (
    AsyncWrites,
    ConstraintViolation,
    RowCount,
    RowStore,
    StoreError,
    store_columns,
)
from ecmactl.sql.routine_statements import (
    RoutineKind,
    Statement,
    postgres_routine_kind,
    query_statement,
    routine_statement,
)
from ecmactl.sql.row_values import ColumnSpec, column_spec, prepare, time_zone
from ecmactl.sql.rows import SqlRowStore
from ecmactl.sql.store_errors import ErrorContext, map_driver_errors

_NO_ROW = object()


class RoutineRowStore:
    """One connector through its run steps. Thread-safe; owns (and closes) its engine."""

    def __init__(self, connector: Connector, engine: Engine) -> None:
        self._connector = connector
        self._engine = engine
        self._dialect = engine.dialect.name
        self._columns = store_columns(connector)
        self._anchor = connector.schema.anchor
        self._tz = time_zone(connector.global_.data_source_time_zone)
        schema = connector.schema
        self._name = f"{schema.db_schema}.{schema.table}" if schema.db_schema else schema.table
        configs = {c.name: c for c in schema.columns}
        self._specs: dict[str, ColumnSpec] = {
            name: column_spec(SqlColumn(name, NullType()), configs.get(name), self._dialect)
            for name in dict.fromkeys([*attribute_names(connector), *self._columns])
        }
        self._table = SqlRowStore(connector, engine)  # the Table steps, and ping
        self._import = connector.full_import or ImportStep()
        self._kinds: dict[str, RoutineKind] = {}
        self._statements: dict[str, Statement] = {}  # built on first use (a catalog lookup)

    @classmethod
    def open(
        cls, connector: Connector, home: Home, *, connect_timeout: float = 5
    ) -> RoutineRowStore:
        table = SqlRowStore.open(connector, home, connect_timeout=connect_timeout)
        return cls(connector, table.engine)

    @property
    def columns(self) -> list[str]:
        return list(self._columns)

    # -- reads -----------------------------------------------------------------------------

    def iter_rows(self, batch_size: int = 10_000) -> Iterator[list[dict[str, Any]]]:
        if self._import.operation_method == "Table":
            yield from self._table.iter_rows(batch_size)
            return
        with map_driver_errors(self._context), self._engine.connect() as conn:
            yield from self._pages(conn)

    def count_rows(self) -> RowCount | None:
        if self._import.operation_method == "Table":
            return self._table.count_rows()
        self.ping()  # unknown before the procedure has run, but an outage is still reported
        return None

    def read_row(self, anchor: Any) -> dict[str, Any] | None:
        key = self._anchor_key(anchor)
        if key is _NO_ROW:
            return None
        with map_driver_errors(self._context), self._engine.connect() as conn:
            return self._read(conn, key)

    def changed_since(self, watermark: Any) -> tuple[list[dict[str, Any]], Any]:
        """Rows changed after ``watermark``: the Delta Import step with ``@Watermark`` bound,
        or (its Table method) the watermark column compared, in the table or, after a full
        read of the import step, here. The new watermark is the highest value seen."""
        column = self._connector.global_.watermark_column
        if not column:
            raise StoreError(
                f"Connector {self._connector.name} has no watermark column; delta import "
                "needs one (Global page)."
            )
        delta = self._connector.delta_method
        if delta == "Table" and self._import.operation_method == "Table":
            return self._table.changed_since(watermark)
        spec = self._specs[column]
        if isinstance(watermark, str) and spec.data_type == "DateTime":
            watermark = prepare(spec, watermark, self._tz, self._name)
        if delta != "Table" and watermark is not None:
            with map_driver_errors(self._context), self._engine.connect() as conn:
                statement = self._delta_statement(conn)
                bound = statement.params(lambda _name: watermark)
                rows = self._dicts(conn.execute(statement.clause, bound).mappings().all())
        else:
            rows = [r for batch in self.iter_rows() for r in batch]
            if watermark is not None:
                rows = [r for r in rows if r[column] is not None and r[column] > watermark]
        rows.sort(key=lambda r: (r[column] is None, r[column]))
        stamps = [r[column] for r in rows if r[column] is not None]
        return rows, max(stamps, default=watermark)

    # -- writes ----------------------------------------------------------------------------

    def insert(self, values: Mapping[str, Any]) -> dict[str, Any]:
        if self._connector.export_method == "Table":
            return self._table.insert(values)
        params = self._prepare(values)
        key = params.get(self._anchor)
        with map_driver_errors(self._context, params), self._engine.begin() as conn:
            self._run(conn, "add", params, key)
            row = self._read(conn, key) if key is not None else None
            if row is None:
                raise StoreError(
                    f"The row added to {self._name} cannot be read back by its anchor "
                    f"{self._anchor} through the Full Import step.",
                    hint="The import procedure or query must return every row the Add "
                    "procedure or Insert query writes, with the anchor as given.",
                )
            return row

    def update(self, anchor: Any, values: Mapping[str, Any]) -> dict[str, Any] | None:
        if self._connector.export_method == "Table":
            return self._table.update(anchor, values)
        key = self._anchor_key(anchor)
        if key is _NO_ROW:
            return None
        params = self._prepare(values)
        with map_driver_errors(self._context, params), self._engine.begin() as conn:
            current = self._read(conn, key)
            if current is None or not params:  # nothing to change: the row as it is
                return current
            merged = {**self._prepare(current), **params}
            self._run(conn, "update", merged, key)
            return self._read(conn, key)

    def delete(self, anchor: Any) -> bool:
        if self._connector.export_method == "Table":
            return self._table.delete(anchor)
        key = self._anchor_key(anchor)
        if key is _NO_ROW:
            return False
        with map_driver_errors(self._context), self._engine.begin() as conn:
            current = self._read(conn, key)
            if current is None:
                return False
            self._run(conn, "delete", self._prepare(current), key)
            return True

    def async_writes(self) -> AsyncWrites | None:
        return None

    def ping(self) -> None:
        """The import step answers a page of one row (as the table store's ping asks the
        table, not only the server)."""
        if self._import.operation_method == "Table":
            self._table.ping()
            return
        with map_driver_errors(self._context), self._engine.connect() as conn:
            if self._import.operation_method == "View":
                conn.execute(text(f"{self._view_select().text} WHERE 1 = 0")).all()
                return
            statement = self._import_statement(conn)
            bounds = {START_INDEX: 1, END_INDEX: 1}
            conn.execute(statement.clause, statement.params(bounds.__getitem__)).all()

    def close(self) -> None:
        self._table.close()

    # -- internals -------------------------------------------------------------------------

    def _run(self, conn: Connection, operation: str, values: Mapping[str, Any], key: Any) -> None:
        statement = self._export_statement(conn, operation)

        def value_of(placeholder: str) -> Any:
            return key if placeholder == ANCHOR else values.get(placeholder)

        result = conn.execute(statement.clause, statement.params(value_of))
        if result.returns_rows:
            result.all()  # a function's result (often void), read so the cursor is done

    def _export_statement(self, conn: Connection, operation: str) -> Statement:
        statement = self._statements.get(operation)
        if statement is None:
            statement = self._statements[operation] = self._build_export(conn, operation)
        return statement

    def _build_export(self, conn: Connection, operation: str) -> Statement:
        step = self._connector.export
        assert step is not None
        known = [*attribute_names(self._connector), ANCHOR]
        if step.operation_method == "SQL Query":
            query = getattr(step, {"add": "insert_query"}.get(operation, f"{operation}_query"))
            return query_statement(query, known)
        name = getattr(step, f"{operation}_sp_name")
        return routine_statement(
            self._dialect,
            name,
            getattr(step, f"{operation}_sp_parameters"),
            known,
            named=step.use_named_parameters,
            kind=self._kind(conn, name),
        )

    def _import_statement(self, conn: Connection) -> Statement:
        statement = self._statements.get("import")
        if statement is None:
            statement = self._statements["import"] = self._build_import(conn)
        return statement

    def _build_import(self, conn: Connection) -> Statement:
        step = self._import
        known = [START_INDEX, END_INDEX]
        if step.operation_method == "SQL Query":
            assert step.query is not None
            return query_statement(step.query, known)
        assert step.sp_name is not None
        return routine_statement(
            self._dialect,
            step.sp_name,
            step.sp_parameters,
            known,
            named=bool(self._connector.export and self._connector.export.use_named_parameters),
            kind=self._kind(conn, step.sp_name),
        )

    def _delta_statement(self, conn: Connection) -> Statement:
        statement = self._statements.get("delta")
        if statement is None:
            step = self._connector.delta_import
            assert step is not None
            if step.operation_method == "SQL Query":
                assert step.query is not None
                statement = query_statement(step.query, [WATERMARK])
            else:
                assert step.sp_name is not None
                statement = routine_statement(
                    self._dialect,
                    step.sp_name,
                    step.sp_parameters,
                    [WATERMARK],
                    named=bool(
                        self._connector.export and self._connector.export.use_named_parameters
                    ),
                    kind=self._kind(conn, step.sp_name),
                )
            self._statements["delta"] = statement
        return statement

    def _kind(self, conn: Connection, name: str) -> RoutineKind:
        if self._dialect != "postgresql":
            return "procedure"
        kind = self._kinds.get(name)
        if kind is None:
            kind = self._kinds[name] = postgres_routine_kind(conn, name)
        return kind

    def _pages(self, conn: Connection) -> Iterator[list[dict[str, Any]]]:
        """The import step's rows, one page per call; the first short page is the last. A
        statement that ignores the page bounds (a page larger than the page size, or the same
        first row twice) is read once, not forever."""
        if self._import.operation_method == "View":
            yield self._dicts(conn.execute(self._view_select()).mappings().all())
            return
        statement = self._import_statement(conn)
        size = self._import.page_size
        start, first = 1, _NO_ROW
        while True:
            bounds = {START_INDEX: start, END_INDEX: start + size - 1}
            rows = conn.execute(statement.clause, statement.params(bounds.__getitem__))
            page = self._dicts(rows.mappings().all())
            if page and page[0][self._anchor] == first:
                raise StoreError(
                    f"The Full Import step of {self._connector.name} returned the same rows "
                    "for two pages: it ignores @StartIndex/@EndIndex.",
                    hint="Return only rows @StartIndex to @EndIndex (1-based, inclusive).",
                )
            if len(page) > size:  # off-by-one bounds would end the import after one page
                raise StoreError(
                    f"The Full Import step of {self._connector.name} returned {len(page)} rows "
                    f"for rows {start} to {start + size - 1}: it does not page as asked.",
                    hint="Return only rows @StartIndex to @EndIndex (1-based, inclusive).",
                )
            if page:
                yield page
            if len(page) < size:
                return
            first, start = page[0][self._anchor], start + size

    def _read(self, conn: Connection, key: Any) -> dict[str, Any] | None:
        if self._import.operation_method in ("Table", "View"):
            anchor = self._quote(self._anchor)
            clause = text(f"{self._view_select().text} WHERE {anchor} = :ecmactl_anchor")
            rows = conn.execute(clause, {"ecmactl_anchor": key}).mappings().all()
            return self._dicts(rows)[0] if rows else None
        wanted = self._anchor_key(key)
        for page in self._pages(conn):
            for row in page:
                if self._anchor_key(row[self._anchor]) == wanted:
                    return row
        return None

    def _view_select(self) -> TextClause:
        source = self._import.view if self._import.operation_method == "View" else None
        if source is None:
            schema = self._connector.schema
            source = f"{schema.db_schema}.{schema.table}" if schema.db_schema else schema.table
            source = ".".join(self._quote(p) for p in source.split("."))
        columns = ", ".join(self._quote(c) for c in self._columns)
        return text(f"SELECT {columns} FROM {source}")

    def _quote(self, name: str) -> str:
        return str(self._engine.dialect.identifier_preparer.quote_identifier(name))

    def _dicts(self, rows: Sequence[Mapping[Any, Any]]) -> list[dict[str, Any]]:
        if not rows:
            return []
        keys = [str(k) for k in rows[0]]
        found = {name: resolve(name, keys) for name in self._columns}
        missing = [name for name, key in found.items() if key is None]
        if missing:
            raise StoreError(
                f"The Full Import step of {self._connector.name} returns no column "
                f"{', '.join(missing)} (it returns {', '.join(keys)}).",
                hint="Return every selected attribute, the anchor and the disable and "
                "watermark columns, named as in Schema 2.",
            )
        out: list[dict[str, Any]] = []
        for row in rows:
            item: dict[str, Any] = {}
            for name, key in found.items():
                value = row[key]
                reader = self._specs[name].reader if name in self._specs else None
                item[name] = reader(value) if reader is not None and value is not None else value
            out.append(item)
        return out

    def _anchor_key(self, anchor: Any) -> Any:
        if anchor is None:
            return _NO_ROW
        try:
            return prepare(self._specs[self._anchor], anchor, self._tz, self._name)
        except StoreError:
            return _NO_ROW

    def _prepare(self, values: Mapping[str, Any]) -> dict[str, Any]:
        params: dict[str, Any] = {}
        for name, value in values.items():
            spec = self._specs.get(name)
            if spec is None:
                raise ConstraintViolation(
                    f"{self._name} has no attribute {name}.", column=name, kind="other"
                )
            params[name] = prepare(spec, value, self._tz, self._name)
        return params

    def _context(self, values: Mapping[str, Any] | None) -> ErrorContext:
        return ErrorContext(table_name=self._name, url=self._engine.url, values=values or {})


def open_store(connector: Connector, home: Home, *, connect_timeout: float = 5) -> RowStore:
    """The store the connector's run steps call for: the table store when every step is the
    Table method, else a ``RoutineRowStore``."""
    if not connector.uses_run_steps:
        return SqlRowStore.open(connector, home, connect_timeout=connect_timeout)
    return RoutineRowStore.open(connector, home, connect_timeout=connect_timeout)


if TYPE_CHECKING:

    def _implements(store: RoutineRowStore) -> RowStore:
        return store
