"""Helpers for the in-process host tests: the sample connector, stores, a running host.

The connector mirrors ``ecmactl init --sample``: Microsoft's Employees table (as
templates/sample/employees.sql declares it), anchor ContosoLogin bound to userName, the disable
flow "Set attribute value" on AccountDisabled, deletes exported.

``backend`` is "memory" (``MemoryRowStore``), "sqlite" (``SqlRowStore`` on a SQLite file made
from the sample template), or "postgres"/"mariadb" (``SqlRowStore`` on a fresh database of the
server named by ECMACTL_TEST_POSTGRES_URL / ECMACTL_TEST_MARIADB_URL, with db_fixtures'
Employees table); SQL connectors take their columns from schema detection, as the wizard does.
``Backdoor`` changes the table behind the host's back, the way another application would.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from db_fixtures import EMPLOYEE_ROWS
from sqlalchemy import MetaData, Table, delete, insert, update

from ecmactl.config.models import (
    Attribute,
    Column,
    Connectivity,
    Connector,
    Deprovisioning,
    GlobalSettings,
    HostSettings,
    RunProfiles,
    Schema,
)
from ecmactl.config.store import save_connector, save_settings
from ecmactl.home import Home
from ecmactl.host import Host, MemoryRowStore
from ecmactl.rowstore import RowStore
from ecmactl.sql.connect import make_engine
from ecmactl.sql.sample import sample_schema_sql
from ecmactl.sql.schema import detect_columns
from ecmactl.sql.urls import sqlite_url
from ecmactl.tokens import set_token

TOKEN = "s3cr3t-token-for-tests-0123456789"
ADMIN = "admin-token-for-tests-9876543210"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ORIGIN = "https://host.example:8585"
ROOT = "/ecma2host_contoso/scim"
ECMA = "urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
CORE = "urn:ietf:params:scim:schemas:core:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"

# What schema detection reports for templates/sample/employees.sql on SQLite.
COLUMNS = [
    Column("ContosoLogin", "VARCHAR(128)", "String", nullable=False, unique=True, max_length=128),
    Column("FirstName", "VARCHAR(50)", "String", nullable=False, max_length=50),
    Column("LastName", "VARCHAR(50)", "String", nullable=False, max_length=50),
    Column("Email", "VARCHAR(128)", "String", max_length=128),
    Column("InternalGUID", "CHAR(36)", "String", max_length=36, has_default=True),
    Column("AzureID", "CHAR(36)", "String", max_length=36),
    Column("textID", "VARCHAR(128)", "String", max_length=128),
    Column("AccountDisabled", "BOOLEAN", "Boolean", nullable=False, has_default=True),
    Column("LastModified", "TIMESTAMP", "DateTime", nullable=False, has_default=True),
]
BINDINGS = {
    "ContosoLogin": "userName",
    "AzureID": "externalId",
    "FirstName": "name.givenName",
    "LastName": "name.familyName",
    "Email": 'emails[type eq "work"].value',
    "textID": "displayName",
}
SELECTED = ["ContosoLogin", "FirstName", "LastName", "Email", "InternalGUID", "AzureID", "textID"]


def make_connector(
    *,
    name: str = "contoso",
    database_url: str = "sqlite:///{home}/data/contoso.db",
    columns: list[Column] | None = None,
    disable_flow: str = "Set attribute value",
    delete_flow: str = "Delete",
    delta: bool = False,
    autosync_minutes: int = 120,
) -> Connector:
    return Connector(
        name=name,
        connectivity=Connectivity(database_url=database_url),
        schema=Schema(
            table="Employees",
            anchor="ContosoLogin",
            columns=[dataclasses.replace(c) for c in columns or COLUMNS],
        ),
        autosync_minutes=autosync_minutes,
        attributes=[Attribute(column=c, scim=BINDINGS.get(c)) for c in SELECTED],
        deprovisioning=Deprovisioning(
            disable_flow=disable_flow,  # type: ignore[arg-type]
            disable_attribute="AccountDisabled" if disable_flow == "Set attribute value" else None,
            disable_value=True,
            delete_flow=delete_flow,  # type: ignore[arg-type]
        ),
        global_=GlobalSettings(
            delta_strategy="Watermark" if delta else "None",
            watermark_column="LastModified" if delta else None,
        ),
        run_profiles=RunProfiles(delta_import=delta),
    )


def prepare_home(home: Home, connectors: list[Connector]) -> HostSettings:
    """Settings, connector files and each connector's secret token (in the home's files)."""
    settings = HostSettings(hostname="host.example")
    home.root.mkdir(parents=True, exist_ok=True)
    save_settings(home, settings)
    for connector in connectors:
        save_connector(home, connector)
        set_token(home, connector.name, TOKEN, store="file")
    return settings


def seed_rows() -> list[dict[str, Any]]:
    return [dict(r) for r in EMPLOYEE_ROWS]


def memory_store(connector: Connector, rows: list[dict[str, Any]] | None = None) -> MemoryRowStore:
    return MemoryRowStore.for_connector(connector, seed_rows() if rows is None else rows)


def sqlite_database(home: Home) -> str:
    """The sample database at home/data/contoso.db, from the template (5 seeded rows)."""
    path = home.root / "data" / "contoso.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as conn:
        conn.executescript(sample_schema_sql())
        conn.execute("PRAGMA journal_mode=WAL")
    return sqlite_url(path)


def detected_columns(url: str) -> list[Column]:
    """The Employees columns as the wizard's schema detection sees them in this database."""
    engine = make_engine(url)
    try:
        return detect_columns(engine, "Employees")
    finally:
        engine.dispose()


def sql_store(connector: Connector, home: Home) -> RowStore:
    from ecmactl.host.app import open_sql_store

    return open_sql_store(connector, home)


class Backdoor:
    """Changes rows without the host: another application writing to the same table."""

    def __init__(self, store: RowStore, url: str | None) -> None:
        self.store = store
        self.engine = make_engine(url) if url is not None else None
        self.table = (
            Table("Employees", MetaData(), autoload_with=self.engine) if self.engine else None
        )

    def close(self) -> None:
        if self.engine is not None:
            self.engine.dispose()

    def insert(self, row: dict[str, Any]) -> None:
        if self.engine is None or self.table is None:
            self.store.insert(row)
            return
        with self.engine.begin() as conn:
            conn.execute(insert(self.table), [row])

    def update(self, anchor: str, **values: Any) -> None:
        if self.engine is None or self.table is None:
            assert self.store.update(anchor, values) is not None
            return
        with self.engine.begin() as conn:
            where = self.table.c.ContosoLogin == anchor
            assert conn.execute(update(self.table).where(where).values(**values)).rowcount == 1

    def delete(self, anchor: str) -> None:
        if self.engine is None or self.table is None:
            assert self.store.delete(anchor)
            return
        with self.engine.begin() as conn:
            where = self.table.c.ContosoLogin == anchor
            assert conn.execute(delete(self.table).where(where)).rowcount == 1

    def row(self, anchor: str) -> dict[str, Any] | None:
        return self.store.read_row(anchor)


@asynccontextmanager
async def running(
    host: Host, *, ready: bool = True, headers: dict[str, str] | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """Start the host (lifespan as uvicorn would), yield a client, stop it."""
    await host.startup()
    try:
        transport = httpx.ASGITransport(app=host.asgi)
        async with httpx.AsyncClient(
            transport=transport, base_url=ORIGIN, headers=AUTH if headers is None else headers
        ) as client:
            if ready:
                await host.wait_ready()
            yield client
    finally:
        await host.shutdown()


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    """Drive an ASGI app's lifespan the way uvicorn does (startup, then shutdown)."""
    import anyio

    to_app, app_inbox = anyio.create_memory_object_stream[dict[str, Any]](4)
    app_outbox, from_app = anyio.create_memory_object_stream[dict[str, Any]](4)
    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    async with anyio.create_task_group() as group:
        group.start_soon(app, scope, app_inbox.receive, app_outbox.send)
        await to_app.send({"type": "lifespan.startup"})
        assert (await from_app.receive())["type"] == "lifespan.startup.complete"
        try:
            yield
        finally:
            await to_app.send({"type": "lifespan.shutdown"})
            assert (await from_app.receive())["type"] == "lifespan.shutdown.complete"


def user_body(login: str, **extra: Any) -> dict[str, Any]:
    """A create body the way Entra sends it for the sample's mappings."""
    body: dict[str, Any] = {
        "schemas": [CORE, ENTERPRISE],
        "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
        "userName": login,
        "active": True,
        "emails": [{"primary": True, "type": "work", "value": f"{login}@contoso.com"}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "Given Family", "familyName": "Family", "givenName": "Given"},
        "roles": [],
    }
    body.update(extra)
    return body


def patch_body(*operations: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [PATCH_OP], "Operations": list(operations)}
