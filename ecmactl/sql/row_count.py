"""How many rows a full import will read, known before it starts, for its progress display.

The count must cost next to nothing next to the import itself:

- SQLite: ``COUNT(*)`` (a walk of the smallest b-tree, cheap next to reading every row;
  SQLite keeps no row-count statistics to read instead).
- PostgreSQL: ``COUNT(*)`` is a full scan (MVCC: no stored count), so for a table the planner's
  estimate ``pg_class.reltuples`` says is large, that estimate is used and labelled "about";
  a smaller table, or one never analysed (``reltuples`` -1), is counted exactly.
- MariaDB/MySQL: the same with ``information_schema.TABLES.TABLE_ROWS`` (InnoDB's estimate).
- A view has no statistics and counting it runs its query: it is not counted (the host then
  uses the previous import's count).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, func, select, text
from sqlalchemy.engine import Connection

from ecmactl.rowstore import RowCount

# Above this many rows (by the database's estimate) the estimate is used instead of COUNT(*):
# counting a table this small is cheap; counting millions holds up the import.
LARGE_TABLE_ROWS = 100_000


def count_rows(conn: Connection, table: Table, *, large: int = LARGE_TABLE_ROWS) -> RowCount | None:
    """The table's row count (exact, or the database's estimate when the table is large), or
    None when it cannot be known cheaply (a view)."""
    dialect = conn.dialect.name
    if dialect == "postgresql":
        estimate = _postgresql_estimate(conn, table)
    elif dialect in ("mysql", "mariadb"):
        estimate = _mariadb_estimate(conn, table)
    elif dialect == "sqlite":
        estimate = _sqlite_kind(conn, table)
    else:
        estimate = _Estimate(True, None)
    if not estimate.is_table:
        return None
    if estimate.rows is not None and estimate.rows >= large:
        return RowCount(estimate.rows, exact=False)
    return RowCount(int(conn.execute(select(func.count()).select_from(table)).scalar_one()), True)


@dataclass(frozen=True)
class _Estimate:
    is_table: bool
    rows: int | None  # None: no estimate (never analysed, or the dialect keeps none)


def _postgresql_estimate(conn: Connection, table: Table) -> _Estimate:
    row = conn.execute(
        text(
            "SELECT c.relkind, c.reltuples FROM pg_catalog.pg_class c "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = :name AND n.nspname = COALESCE(:schema, current_schema())"
        ),
        {"name": table.name, "schema": table.schema},
    ).first()
    if row is None:
        return _Estimate(True, None)
    kind, tuples = str(row[0]), float(row[1])
    # r: table, p: partitioned table (its reltuples is -1 on old servers: counted), m: matview
    return _Estimate(kind in ("r", "p", "m"), int(tuples) if tuples >= 0 else None)


def _mariadb_estimate(conn: Connection, table: Table) -> _Estimate:
    row = conn.execute(
        text(
            "SELECT TABLE_TYPE, TABLE_ROWS FROM information_schema.TABLES "
            "WHERE TABLE_NAME = :name AND TABLE_SCHEMA = COALESCE(:schema, DATABASE())"
        ),
        {"name": table.name, "schema": table.schema},
    ).first()
    if row is None:
        return _Estimate(True, None)
    kind, rows = str(row[0]).upper(), _int(row[1])
    return _Estimate("VIEW" not in kind, rows)


def _sqlite_kind(conn: Connection, table: Table) -> _Estimate:
    quote = conn.dialect.identifier_preparer.quote_identifier
    master = f"{quote(table.schema)}.sqlite_master" if table.schema else "sqlite_master"
    kind = conn.execute(
        text(f"SELECT type FROM {master} WHERE name = :name"), {"name": table.name}
    ).scalar()
    return _Estimate(kind != "view", None)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
