"""The SCIM host in front of the run steps: Entra's create, update, disable and delete through
stored procedures (PostgreSQL, MariaDB) and SQL queries (SQLite), a procedure's refusal coming
back as a SCIM error with its message, and the cache loaded page by page at start."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from db_fixtures import create_employees_table
from hostkit import (
    ADMIN,
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
from run_step_fixtures import (
    MARIADB_REFUSAL,
    PG_REFUSAL,
    REFUSED,
    create_procedures,
    procedure_steps,
    query_steps,
)

from ecmactl.home import Home
from ecmactl.host import Host
from ecmactl.rowstore import RowStore
from ecmactl.sql.routine_rows import RoutineRowStore

pytestmark = pytest.mark.anyio


@pytest.fixture(
    params=[
        pytest.param("procedure-postgres", marks=pytest.mark.postgres),
        pytest.param("procedure-mariadb", marks=pytest.mark.mariadb),
        pytest.param("query-sqlite"),
    ]
)
def host(request: pytest.FixtureRequest, home: Home) -> Iterator[tuple[Host, str]]:
    """A host on one connector whose export and import are run steps; (host, backend)."""
    method, backend = str(request.param).split("-")
    if backend == "sqlite":
        home.root.mkdir(parents=True, exist_ok=True)
        url = sqlite_database(home)
    else:
        url = str(request.getfixturevalue(f"{backend}_url"))
        create_employees_table(url)
    base = make_connector(database_url=url, columns=detected_columns(url))
    if method == "procedure":
        create_procedures(url)
        connector = procedure_steps(base)
    else:
        connector = query_steps(base, "sqlite")
    settings = prepare_home(home, [connector])
    store: RowStore = sql_store(connector, home)
    assert isinstance(store, RoutineRowStore)
    yield (
        Host(home, settings, [connector], stores={connector.name: store}, admin_token=ADMIN),
        (backend),
    )
    store.close()


async def test_entra_create_update_disable_delete(host: tuple[Host, str]) -> None:
    app, _backend = host
    async with running(app) as client:
        listed = await client.get(f"{ROOT}/Users")
        assert listed.json()["totalResults"] == 5  # three pages of two
        created = await client.post(f"{ROOT}/Users", json=user_body("adele"))
        assert created.status_code == 201, created.text
        assert created.json()["name"]["givenName"] == "Given"
        replaced = await client.patch(
            f"{ROOT}/Users/adele",
            json=patch_body({"op": "Replace", "path": "name.familyName", "value": "Vance"}),
        )
        assert replaced.status_code == 200, replaced.text
        name = replaced.json()["name"]
        assert (name["givenName"], name["familyName"]) == ("Given", "Vance")
        disabled = await client.patch(
            f"{ROOT}/Users/adele",
            json=patch_body({"op": "Replace", "path": "active", "value": "False"}),
        )
        assert disabled.status_code == 200, disabled.text
        assert disabled.json()["active"] is False
        duplicate = await client.post(f"{ROOT}/Users", json=user_body("adele"))
        assert duplicate.status_code == 409, duplicate.text
        deleted = await client.delete(f"{ROOT}/Users/adele")
        assert deleted.status_code == 204
        gone = await client.get(f"{ROOT}/Users/adele")
        assert gone.status_code == 404


@pytest.mark.parametrize(
    "host",
    [
        pytest.param("procedure-postgres", marks=pytest.mark.postgres),
        pytest.param("procedure-mariadb", marks=pytest.mark.mariadb),
    ],
    indirect=True,
)
async def test_a_procedure_refusal_is_a_scim_400_with_its_message(
    host: tuple[Host, str],
) -> None:
    app, backend = host
    message = PG_REFUSAL if backend == "postgres" else MARIADB_REFUSAL
    body = user_body("adele", name={"givenName": REFUSED, "familyName": "Vance"})
    async with running(app) as client:
        refused = await client.post(f"{ROOT}/Users", json=body)
        assert refused.status_code == 400, refused.text
        assert refused.json()["scimType"] == "invalidValue"
        assert message in refused.json()["detail"]
        patched = await client.patch(
            f"{ROOT}/Users/avance",
            json=patch_body({"op": "Replace", "path": "name.givenName", "value": REFUSED}),
        )
        assert patched.status_code == 400 and message in patched.json()["detail"]
        kept = await client.get(f"{ROOT}/Users/avance")
        assert kept.json()["name"]["givenName"] == "Adele"
        assert (await client.get(f"{ROOT}/Users/adele")).status_code == 404
