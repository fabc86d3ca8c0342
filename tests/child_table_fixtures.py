"""Candidate child tables next to the sample Employees table, the same on SQLite, PostgreSQL
and MariaDB: for configuring multi-valued attributes (detection by foreign key or by column
name, a join of another type). The store's and SCIM's tests use multi_valued_fixtures.py."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, MetaData, String, Table
from sqlalchemy import Column as SqlColumn
from sqlalchemy.engine import Engine

# MariaDB refuses a foreign key between tables of different character sets.
MARIADB_TABLE: dict[str, Any] = {"mysql_engine": "InnoDB", "mysql_charset": "utf8mb4"}


def create_candidate_tables(engine: Engine) -> None:
    """EmployeeEmails (a foreign key to Employees), EmployeePhones (only a column of the same
    name) and Badges (an Integer join column)."""
    metadata = MetaData()
    Table("Employees", metadata, autoload_with=engine)
    Table(
        "EmployeeEmails",
        metadata,
        SqlColumn("Id", Integer, primary_key=True),
        SqlColumn("ContosoLogin", String(128), ForeignKey("Employees.ContosoLogin")),
        SqlColumn("Email", String(128), nullable=False),
        SqlColumn("EmailType", String(20)),
        SqlColumn("IsPrimary", Boolean),
        **MARIADB_TABLE,
    )
    Table(
        "EmployeePhones",
        metadata,
        SqlColumn("Id", Integer, primary_key=True),
        SqlColumn("contosologin", String(128)),
        SqlColumn("Phone", String(40)),
    )
    Table(
        "Badges",
        metadata,
        SqlColumn("ContosoLogin", Integer),
        SqlColumn("Badge", String(20)),
    )
    metadata.create_all(engine, tables=[t for n, t in metadata.tables.items() if n != "Employees"])
