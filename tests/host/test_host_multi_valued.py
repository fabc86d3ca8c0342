"""Multi-valued attributes from child tables through the host, on SQLite, PostgreSQL and
MariaDB: Entra's requests (create with emails, the matching-attribute lookup, Add/Replace/Remove
by value path, an extension set), a SCIM client's add/remove/replace and filters, each change
checked in the child tables; the full import at start and a re-read (the cluster feed's)
bringing children in; a refused child value leaving no half-written user."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from db_fixtures import create_employees_table
from hostkit import (
    ADMIN,
    ECMA,
    ROOT,
    detected_columns,
    make_connector,
    patch_body,
    prepare_home,
    running,
    sql_store,
    sqlite_database,
    user_body,
)
from multi_valued_fixtures import count, execute, with_child_tables

from ecmactl.config.models import Attribute, Connector
from ecmactl.home import Home
from ecmactl.host import Host

pytestmark = pytest.mark.anyio
ROLES = f"{ECMA}:roleCodes"


@pytest.fixture(
    params=[
        pytest.param("sqlite"),
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ]
)
def database(request: pytest.FixtureRequest, home: Home) -> tuple[str, Connector]:
    """(URL, connector) for the Employees table and its two child tables."""
    if request.param == "sqlite":
        home.root.mkdir(parents=True, exist_ok=True)
        url = sqlite_database(home)
    else:
        url = str(request.getfixturevalue(f"{request.param}_url"))
        create_employees_table(url)
    base = make_connector(database_url=url, columns=detected_columns(url))
    # emails comes from the child table, so the Email column is no longer bound to it
    attributes = [
        Attribute(a.column, None if a.column == "Email" else a.scim) for a in base.attributes
    ]
    return url, with_child_tables(dataclasses.replace(base, attributes=attributes), url)


def start(home: Home, connector: Connector) -> Iterator[Host]:
    settings = prepare_home(home, [connector])
    store = sql_store(connector, home)
    try:
        yield Host(home, settings, [connector], stores={connector.name: store}, admin_token=ADMIN)
    finally:
        store.close()


def emails_in_db(url: str, login: str) -> list[tuple[str, str | None, bool]]:
    from sqlalchemy import text

    from ecmactl.sql.connect import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            sql = (
                'SELECT "Address", "Kind", "IsPrimary" FROM "EmployeeEmails" '
                'WHERE "EmployeeLogin" = :k ORDER BY "Address"'
            )
            if engine.dialect.name == "mysql":
                sql = sql.replace('"', "`")
            rows = conn.execute(text(sql), {"k": login}).all()
    finally:
        engine.dispose()
    return [(a, k, bool(p)) for a, k, p in rows]


def roles_in_db(url: str, login: str) -> int:
    return count(url, 'SELECT COUNT(*) FROM "EmployeeRoles" WHERE "EmployeeLogin" = :k', k=login)


async def _query(client: Any, text: str) -> list[str]:
    listed = await client.get(f"{ROOT}/Users", params={"filter": text})
    assert listed.status_code == 200, listed.text
    return [r["userName"] for r in listed.json()["Resources"]]


async def test_entra_and_a_scim_client_add_remove_replace_and_filter(
    database: tuple[str, Connector], home: Home
) -> None:
    url, connector = database
    for app in start(home, connector):
        async with running(app) as client:
            # Entra: is the user there (by its matching attribute), then create it.
            assert await _query(client, 'emails[type eq "work"].value eq "adele@contoso.com"') == []
            body = user_body("adele", **{ECMA: {"roleCodes": ["auditor"]}})
            created = await client.post(f"{ROOT}/Users", json=body)
            assert created.status_code == 201, created.text
            user = created.json()
            assert user["emails"] == [
                {"value": "adele@contoso.com", "type": "work", "primary": True}
            ]
            assert user[ECMA]["roleCodes"] == ["auditor"]
            assert emails_in_db(url, "adele") == [("adele@contoso.com", "work", True)]
            assert roles_in_db(url, "adele") == 1
            found = await _query(client, 'emails[type eq "work"].value eq "adele@contoso.com"')
            assert found == ["adele"]

            # Entra's dialect: Add by value path (a new type), Replace an existing one.
            patched = await client.patch(
                f"{ROOT}/Users/adele",
                json=patch_body(
                    {
                        "op": "Add",
                        "path": 'emails[type eq "home"].value',
                        "value": "a@home.example",
                    },
                    {
                        "op": "Replace",
                        "path": 'emails[type eq "work"].value',
                        "value": "av@contoso.com",
                    },
                    {"op": "Add", "path": ROLES, "value": [{"value": "admin"}, {"value": "dev"}]},
                ),
            )
            assert patched.status_code == 200, patched.text
            assert emails_in_db(url, "adele") == [
                ("a@home.example", "home", False),
                ("av@contoso.com", "work", True),
            ]
            assert roles_in_db(url, "adele") == 3
            assert await _query(client, 'emails.value eq "A@HOME.example"') == ["adele"]
            assert await _query(client, f'{ROLES} eq "dev"') == ["adele"]
            assert await _query(client, 'emails co "@home."') == ["adele"]

            # A SCIM client: remove one value, make another primary, replace a whole set.
            patched = await client.patch(
                f"{ROOT}/Users/adele",
                json=patch_body(
                    {"op": "remove", "path": 'emails[value eq "av@contoso.com"]'},
                    {"op": "replace", "path": 'emails[type eq "home"].primary', "value": True},
                    {"op": "Remove", "path": ROLES, "value": [{"value": "auditor"}]},
                ),
            )
            assert patched.status_code == 200, patched.text
            assert emails_in_db(url, "adele") == [("a@home.example", "home", True)]
            assert patched.json()[ECMA]["roleCodes"] == ["admin", "dev"]
            replaced = await client.patch(
                f"{ROOT}/Users/adele",
                json=patch_body(
                    {"op": "replace", "path": "emails", "value": [{"value": "x@y.example"}]}
                ),
            )
            assert replaced.status_code == 200, replaced.text
            assert emails_in_db(url, "adele") == [("x@y.example", None, False)]
            assert await _query(client, 'emails.value eq "a@home.example"') == []

            # Two primaries in one body are the client's mistake: 400, nothing written.
            two = [
                {"value": "p@x.example", "primary": True},
                {"value": "q@x.example", "primary": True},
            ]
            put = await client.put(f"{ROOT}/Users/adele", json=user_body("adele", emails=two))
            assert put.status_code == 400 and "primary" in put.json()["detail"]
            assert emails_in_db(url, "adele") == [("x@y.example", None, False)]

            deleted = await client.delete(f"{ROOT}/Users/adele")
            assert deleted.status_code == 204
            assert emails_in_db(url, "adele") == [] and roles_in_db(url, "adele") == 0


async def test_children_load_at_start_and_come_with_a_re_read(
    database: tuple[str, Connector], home: Home
) -> None:
    url, connector = database
    execute(
        url,
        'INSERT INTO "EmployeeEmails" ("EmployeeLogin", "Address", "Kind", "IsPrimary") '
        "VALUES ('avance', 'avance@contoso.com', 'work', TRUE)",
    )
    for app in start(home, connector):
        async with running(app) as client:  # the full import at start
            user = (await client.get(f"{ROOT}/Users/avance")).json()
            assert user["emails"] == [
                {"value": "avance@contoso.com", "type": "work", "primary": True}
            ]
            execute(
                url,
                'INSERT INTO "EmployeeRoles" ("EmployeeLogin", "Role") VALUES (:k, :r)',
                k="avance",
                r="ops",
            )
            # What the cluster member does on another host's change notice: re-read the row.
            await app.runtimes[connector.name].refresh_row("avance")
            user = (await client.get(f"{ROOT}/Users/avance")).json()
            assert user[ECMA]["roleCodes"] == ["ops"]


async def test_a_refused_child_value_writes_nothing(
    database: tuple[str, Connector], home: Home
) -> None:
    url, connector = database
    for app in start(home, connector):
        async with running(app) as client:
            bad = [{"value": "not-an-address", "type": "work"}]
            created = await client.post(f"{ROOT}/Users", json=user_body("nobody", emails=bad))
            assert created.status_code == 400, created.text
            assert (
                count(url, 'SELECT COUNT(*) FROM "Employees" WHERE "ContosoLogin" = \'nobody\'')
                == 0
            )
            assert (await client.get(f"{ROOT}/Users/nobody")).status_code == 404
