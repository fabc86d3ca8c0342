"""Full import with one child table (multi-valued attributes) against the same import without.

No target (issue #11, item 2, reports it): the cost of the child table's rows, as a ratio.
Floor, measured in the same run on the same database: ``SqlRowStore.iter_rows`` over the
sample Employees table with the connector's child table left out. Measured: the same with
``EmployeeEmails`` bound to ``emails`` (1.5 addresses per user on average, with type and
primary), read as the host does (one query for the child table, joined by parent key in
Python). Both in this process, alternating, with the host's import-time GC thresholds, median
of ``--runs``; the synthetic database is
built with the standard library in a scratch directory.

Run:  .venv/bin/python bench/import_children.py [--users 200000] [--runs 3]
Exit: 0 measured · 2 could not measure.
"""

from __future__ import annotations

import argparse
import dataclasses
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from ecmactl.config.models import (
    Attribute,
    ChildTable,
    Connectivity,
    Connector,
    MultiValuedAttribute,
    Schema,
)
from ecmactl.host.gc_tuning import fewer_collections
from ecmactl.sql.rows import SqlRowStore
from ecmactl.sql.sample import sample_schema_sql
from ecmactl.sql.schema import detect_columns
from ecmactl.sql.store_engine import store_engine
from ecmactl.sql.urls import sqlite_url

CHILD = """CREATE TABLE EmployeeEmails (EmployeeLogin VARCHAR(128) NOT NULL,
    Address VARCHAR(128) NOT NULL, Kind VARCHAR(20), IsPrimary BOOLEAN NOT NULL DEFAULT 0)"""


def build(db: Path, users: int) -> None:
    with sqlite3.connect(db) as conn:
        conn.executescript(sample_schema_sql())
        conn.execute("DELETE FROM Employees")
        conn.execute(CHILD)
        conn.executemany(
            "INSERT INTO Employees (ContosoLogin, FirstName, LastName, Email) VALUES (?,?,?,?)",
            ((f"user{i}", "First", f"Last{i}", f"user{i}@contoso.com") for i in range(users)),
        )
        conn.executemany(
            "INSERT INTO EmployeeEmails VALUES (?,?,?,?)",
            (
                (f"user{i}", f"user{i}.{k}@contoso.com", ("work", "home")[k], k == 0)
                for i in range(users)
                for k in range(1 + i % 2)
            ),
        )


def connectors(url: str) -> tuple[Connector, Connector]:
    engine = store_engine(url, user=None, password=None, connect_timeout=5)
    try:
        columns = detect_columns(engine, "Employees")
    finally:
        engine.dispose()
    selected = ["ContosoLogin", "FirstName", "LastName", "Email", "InternalGUID", "AzureID"]
    plain = Connector(
        name="bench",
        connectivity=Connectivity(database_url=url),
        schema=Schema(table="Employees", anchor="ContosoLogin", columns=columns),
        attributes=[Attribute(c) for c in selected],
    )
    child = ChildTable(
        table="EmployeeEmails",
        join_column="EmployeeLogin",
        attributes=[
            MultiValuedAttribute(
                column="Address", scim="emails", type_column="Kind", primary_column="IsPrimary"
            )
        ],
    )
    schema = dataclasses.replace(plain.schema, child_tables=[child])
    return plain, dataclasses.replace(plain, schema=schema)


def timed_import(connector: Connector, url: str) -> tuple[float, int]:
    store = SqlRowStore(connector, store_engine(url, user=None, password=None, connect_timeout=5))
    try:
        with fewer_collections():  # as the host's import runs (ecmactl.host.gc_tuning)
            began = time.perf_counter()
            rows = sum(len(batch) for batch in store.iter_rows())
            return time.perf_counter() - began, rows
    finally:
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ecmactl-bench-children-") as scratch:
        db = Path(scratch) / "children.db"
        build(db, args.users)
        url = sqlite_url(db)
        plain, with_child = connectors(url)
        floors: list[float] = []
        measured: list[float] = []
        for _ in range(args.runs):
            seconds, rows = timed_import(plain, url)
            floors.append(seconds)
            seconds, child_rows = timed_import(with_child, url)
            measured.append(seconds)
            if rows != args.users or child_rows != args.users:
                print(f"expected {args.users} rows, read {rows} / {child_rows}", file=sys.stderr)
                return 2
    floor, took = statistics.median(floors), statistics.median(measured)
    children = args.users + args.users // 2
    print(
        f"| full import, {args.users:,} users + {children:,} child rows (emails) | "
        f"`bench/import_children.py` | – | **{took:.2f} s** ({args.users / took:,.0f} users/s) | "
        f"same import without the child table {floor:.2f} s ({args.users / floor:,.0f} users/s) "
        f"| {took / floor:.2f}× | – |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
