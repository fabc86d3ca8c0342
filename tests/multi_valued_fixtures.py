"""Child tables beside the sample Employees table, and the connector that reads them as
multi-valued attributes: for the store, SCIM and host tests of multi-valued attributes.

``EmployeeEmails`` (address, kind, primary flag) is bound to the core ``emails``;
``EmployeeRoles`` is the extension attribute ``roleCodes``. Both join ``EmployeeLogin`` to the
anchor ``ContosoLogin`` with a foreign key (enforced on PostgreSQL and MariaDB). An address
must contain ``@`` (a CHECK constraint): a bad one makes the child insert fail, for the
rollback test.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import text

from ecmactl.config.models import ChildTable, Connector, MultiValuedAttribute
from ecmactl.sql.connect import make_engine
from ecmactl.sql.schema import detect_columns

_BOOLEAN = {"sqlite": "BOOLEAN", "postgresql": "BOOLEAN", "mysql": "BOOLEAN"}


def _ddl(dialect: str) -> list[str]:
    q = "`" if dialect == "mysql" else '"'
    fk = f"REFERENCES {q}Employees{q}({q}ContosoLogin{q})"
    engine = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4" if dialect == "mysql" else ""
    return [
        f"""CREATE TABLE {q}EmployeeEmails{q} (
            {q}EmployeeLogin{q} VARCHAR(128) NOT NULL {fk},
            {q}Address{q} VARCHAR(128) NOT NULL CHECK ({q}Address{q} LIKE '%@%'),
            {q}Kind{q} VARCHAR(20) NULL,
            {q}IsPrimary{q} {_BOOLEAN[dialect]} NOT NULL DEFAULT FALSE
        ){engine}""",
        f"""CREATE TABLE {q}EmployeeRoles{q} (
            {q}EmployeeLogin{q} VARCHAR(128) NOT NULL {fk},
            {q}Role{q} VARCHAR(50) NOT NULL
        ){engine}""",
    ]


def create_child_tables(url: str) -> None:
    """Create EmployeeEmails and EmployeeRoles at ``url`` (the Employees table must exist)."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            for statement in _ddl(engine.dialect.name):
                conn.execute(text(statement))
    finally:
        engine.dispose()


def execute(url: str, sql: str, **params: object) -> None:
    """One statement with bound parameters, committed (quotes: write them as the dialect's)."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            if engine.dialect.name == "mysql":
                sql = sql.replace('"', "`")
            conn.execute(text(sql), params)
    finally:
        engine.dispose()


def count(url: str, sql: str, **params: object) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "mysql":
                sql = sql.replace('"', "`")
            return int(conn.execute(text(sql), params).scalar_one())
    finally:
        engine.dispose()


def child_tables(url: str | None = None) -> list[ChildTable]:
    """The two child tables; with ``url``, their columns detected from that database."""
    emails = ChildTable(
        table="EmployeeEmails",
        join_column="EmployeeLogin",
        attributes=[
            MultiValuedAttribute(
                column="Address", scim="emails", type_column="Kind", primary_column="IsPrimary"
            )
        ],
    )
    roles = ChildTable(
        table="EmployeeRoles",
        join_column="EmployeeLogin",
        attributes=[MultiValuedAttribute(column="Role", name="roleCodes")],
    )
    if url is not None:
        engine = make_engine(url)
        try:
            emails.columns = detect_columns(engine, "EmployeeEmails")
            roles.columns = detect_columns(engine, "EmployeeRoles")
        finally:
            engine.dispose()
    return [emails, roles]


def with_child_tables(connector: Connector, url: str | None = None) -> Connector:
    """``connector`` (on Employees) with the two child tables; with ``url``, the tables are
    created there first."""
    if url is not None:
        create_child_tables(url)
    schema = dataclasses.replace(connector.schema, child_tables=child_tables(url))
    return dataclasses.replace(connector, schema=schema)
