"""The tables ecmactl owns in a connector's database when several hosts share it.

``ecmactl_hosts`` is the host registry (one row per host and connector, renewed by a
heartbeat); ``ecmactl_changes`` is MariaDB/MySQL's change log (PostgreSQL uses NOTIFY and never
writes it); ``ecmactl_lease`` holds the writer lease of connectors run active/standby (one row
per connector, only while that mode is on). All are created on first use, beside the
connector's table and never inside it; an account that may not create tables gets the
statement to run instead.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    inspect,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.schema import CreateColumn, CreateTable

from ecmactl.errors import EcmactlError

HOSTS = "ecmactl_hosts"
CHANGES = "ecmactl_changes"
LEASE = "ecmactl_lease"
# Microsecond timestamps on MariaDB (its DATETIME keeps whole seconds by default).
_STAMP = DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
_ID = BigInteger().with_variant(Integer(), "sqlite")


class ClusterSetupError(EcmactlError):
    """The registry or the change log cannot be created or used (the hint says how to fix)."""


def define(metadata: MetaData, schema: str | None = None) -> tuple[Table, Table]:
    hosts = Table(
        HOSTS,
        metadata,
        Column("host_id", String(64), primary_key=True),
        Column("connector", String(128), primary_key=True),
        Column("address", String(255), nullable=False),
        Column("version", String(32), nullable=False),
        Column("role", String(16), nullable=False),
        Column("started", _STAMP, nullable=False),
        Column("heartbeat", _STAMP, nullable=False),
        Column("consumed", BigInteger, nullable=True),  # the change log, read up to here
        # Which member wrote the row: a reload's new member shares host id and connector with
        # the one it replaces, whose cleanup must not delete the new row.
        Column("instance", String(32), nullable=True),
        # How far its cache is behind the database: p99 ms of the changes it applied recently,
        # and the changes received but not applied yet (for every host's status).
        Column("lag_ms", Float, nullable=True),
        Column("pending", Integer, nullable=True),
        schema=schema,
    )
    changes = Table(
        CHANGES,
        metadata,
        Column("id", _ID, primary_key=True, autoincrement=True),
        Column("payload", Text, nullable=False),
        Column("created", _STAMP, nullable=False),
        schema=schema,
        mysql_engine="InnoDB",
    )
    return hosts, changes


def define_lease(metadata: MetaData, schema: str | None = None) -> Table:
    """The writer lease: its holder, the epoch (+1 at every change of holder) and when it
    expires by the database's clock (see ``lease``)."""
    return Table(
        LEASE,
        metadata,
        Column("connector", String(128), primary_key=True),
        Column("holder", String(64), nullable=True),
        Column("epoch", BigInteger, nullable=False),
        Column("expires", _STAMP, nullable=True),
        Column("changed", _STAMP, nullable=False),
        schema=schema,
        mysql_engine="InnoDB",
    )


def ensure_tables(engine: Engine, tables: list[Table]) -> list[str]:
    """Create the tables that do not exist yet; the names of those created."""
    created: list[str] = []
    try:
        with engine.begin() as conn:
            present = inspect(conn)
            for table in tables:
                if not present.has_table(table.name, schema=table.schema):
                    table.create(conn, checkfirst=True)
                    created.append(table.name)
        for table in tables:
            if table.name not in created:
                add_missing_columns(engine, table)
    except DBAPIError as exc:
        missing = [t for t in tables if not _exists(engine, t)]
        if not missing:
            older = [(t, c) for t in tables for c in missing_columns(engine, t)]
            if not older:  # another host created them at the same moment
                return []
            if not _is_permission(exc):
                raise
            ddl = "; ".join(
                f"ALTER TABLE {engine.dialect.identifier_preparer.format_table(t)} ADD COLUMN "
                f"{CreateColumn(c).compile(dialect=engine.dialect)}"
                for t, c in older
            )
            raise ClusterSetupError(
                f"ecmactl's cluster table(s) {', '.join(sorted({t.name for t, _ in older}))} "
                "were created by an older ecmactl and the database account may not add the "
                "new columns; this host runs alone (no change feed)",
                hint=f"Grant it ALTER on them, or run once as an admin: {ddl}",
            ) from None
        if not _is_permission(exc):
            raise
        ddl = "; ".join(str(CreateTable(t).compile(engine)).strip() for t in missing)
        raise ClusterSetupError(
            f"the database account may not create ecmactl's cluster table(s) "
            f"{', '.join(t.name for t in missing)}; this host runs alone (no change feed)",
            hint=f"Grant it CREATE on the database/schema, or create them once as an admin: {ddl}",
        ) from None
    return created


def add_missing_columns(engine: Engine, table: Table) -> list[str]:
    """Add the (nullable) columns a newer ecmactl defines to a table an older one created, so
    hosts of both versions share it; the names added."""
    added: list[str] = []
    for column in missing_columns(engine, table):
        spec = CreateColumn(column).compile(dialect=engine.dialect)
        name = engine.dialect.identifier_preparer.format_table(table)
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql(f"ALTER TABLE {name} ADD COLUMN {spec}")
            added.append(column.name)
        except DBAPIError:
            if column.name in {c.name for c in missing_columns(engine, table)}:
                raise  # not another host adding it at the same moment
    return added


def missing_columns(engine: Engine, table: Table) -> list[Column[Any]]:
    with engine.connect() as conn:
        present = {c["name"].lower() for c in inspect(conn).get_columns(table.name, table.schema)}
    return [c for c in table.columns if c.name.lower() not in present]


def _exists(engine: Engine, table: Table) -> bool:
    try:
        with engine.connect() as conn:
            return inspect(conn).has_table(table.name, schema=table.schema)
    except DBAPIError:
        return False


def _is_permission(exc: DBAPIError) -> bool:
    text = str(exc.orig).lower()
    # PostgreSQL 42501 "permission denied for schema"; MariaDB 1142 "CREATE command denied".
    return "permission denied" in text or "command denied" in text or "42501" in text
