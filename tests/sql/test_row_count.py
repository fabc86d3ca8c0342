"""The rows a full import will read, known before it starts (for progress).

Exact where counting is cheap; the database's own estimate, labelled not exact, for a large
PostgreSQL or MariaDB table (where COUNT(*) is a full scan); nothing for a view.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from db_fixtures import EMPLOYEE_ROWS, connector_for, employees_connector
from sqlalchemy import MetaData, Table
from sqlalchemy.engine import make_url

from ecmactl.rowstore import RowCount
from ecmactl.sql.connect import make_engine
from ecmactl.sql.row_count import count_rows
from ecmactl.sql.rows import SqlRowStore

OpenStore = Callable[..., SqlRowStore]


def _execute(url: str, *statements: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            for sql in statements:
                conn.exec_driver_sql(sql)
    finally:
        engine.dispose()


def test_a_small_table_is_counted_exactly(employees_url: str, open_row_store: OpenStore) -> None:
    store = open_row_store(employees_connector(employees_url))
    assert store.count_rows() == RowCount(len(EMPLOYEE_ROWS), exact=True)


def test_a_large_table_gives_the_database_estimate(employees_url: str) -> None:
    dialect = make_url(employees_url).get_backend_name()
    analyse = {"postgresql": 'ANALYZE "Employees"', "mysql": "ANALYZE TABLE Employees"}
    if dialect in analyse:
        _execute(employees_url, analyse[dialect])
    engine = make_engine(employees_url)
    try:
        with engine.connect() as conn:
            table = Table("Employees", MetaData(), autoload_with=conn)
            count = count_rows(conn, table, large=2)  # "large" from 2 rows: the estimate
    finally:
        engine.dispose()
    assert count is not None
    if dialect == "sqlite":  # no statistics to read: COUNT(*) is the cheap way
        assert count == RowCount(len(EMPLOYEE_ROWS), exact=True)
    else:  # after ANALYZE the estimate of a small table is right, but it is an estimate
        assert count == RowCount(len(EMPLOYEE_ROWS), exact=False)


def test_a_view_is_not_counted(employees_url: str, open_row_store: OpenStore) -> None:
    quote = '"' if make_url(employees_url).get_backend_name() == "postgresql" else ""
    _execute(
        employees_url,
        f"CREATE VIEW {quote}People{quote} AS SELECT * FROM {quote}Employees{quote}",
    )
    store = open_row_store(connector_for(employees_url, "People", "ContosoLogin"))
    assert store.count_rows() is None
    assert sum(len(batch) for batch in store.iter_rows()) == len(EMPLOYEE_ROWS)


@pytest.mark.parametrize("rows", [0, 3])
def test_the_count_follows_the_table(
    employees_url: str, open_row_store: OpenStore, rows: int
) -> None:
    store = open_row_store(employees_connector(employees_url))
    for row in next(iter(store.iter_rows()))[rows:]:
        store.delete(row["ContosoLogin"])
    assert store.count_rows() == RowCount(rows, exact=True)
