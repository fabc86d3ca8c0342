"""RoutineRowStore: Export and Full Import by stored procedure (PostgreSQL, MariaDB) and by SQL
query (SQLite, PostgreSQL, MariaDB) on the sample Employees table, procedures created here."""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Callable, Iterator

import pytest
from db_fixtures import create_employees_table, employees_connector
from run_step_fixtures import (
    MARIADB_REFUSAL,
    PG_REFUSAL,
    REFUSED,
    create_procedures,
    delta_step,
    procedure_steps,
    query_steps,
)
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from ecmactl.config.models import Connector
from ecmactl.home import Home
from ecmactl.rowstore import ConstraintViolation, StoreError, UniqueViolation
from ecmactl.sql.connect import make_engine
from ecmactl.sql.routine_rows import RoutineRowStore

NEW = {"ContosoLogin": "adele", "FirstName": "Adele", "LastName": "Vance"}
EVIL = "O'Brien'); DROP TABLE \"Employees\"; --"


@pytest.fixture
def open_store(home: Home) -> Iterator[Callable[[Connector], RoutineRowStore]]:
    stores: list[RoutineRowStore] = []

    def open_it(connector: Connector) -> RoutineRowStore:
        store = RoutineRowStore.open(connector, home)
        stores.append(store)
        return store

    yield open_it
    for store in stores:
        store.close()


def _dialect(url: str) -> str:
    return url.split("+", 1)[0].split(":", 1)[0]


@pytest.fixture(
    params=[
        pytest.param("procedure-postgres", marks=pytest.mark.postgres),
        pytest.param("procedure-mariadb", marks=pytest.mark.mariadb),
        pytest.param("query-sqlite"),
        pytest.param("query-postgres", marks=pytest.mark.postgres),
        pytest.param("query-mariadb", marks=pytest.mark.mariadb),
    ]
)
def steps(request: pytest.FixtureRequest) -> tuple[str, Connector]:
    """(url, connector) with the seeded table behind procedures or queries, page size 2."""
    method, backend = str(request.param).split("-")
    url: str = request.getfixturevalue(f"{backend}_url")
    create_employees_table(url)
    connector = employees_connector(url)
    if method == "procedure":
        create_procedures(url)
        return url, procedure_steps(connector)
    return url, query_steps(connector, _dialect(url))


def _logins(store: RoutineRowStore) -> list[str]:
    return [row["ContosoLogin"] for batch in store.iter_rows() for row in batch]


def test_full_import_reads_every_page(
    steps: tuple[str, Connector], open_store: Callable[[Connector], RoutineRowStore]
) -> None:
    _url, connector = steps
    store = open_store(connector)
    assert _logins(store) == ["avance", "ljacobson", "mbowen", "nwilke", "pgupta"]  # 2, 2, 1
    row = store.read_row("pgupta")
    assert row is not None and row["AccountDisabled"] is True and row["Email"] is None
    assert row["InternalGUID"] == "40ac6d23-85eb-4f94-b172-5ecf30618c45"


def test_paging_stops_exactly_at_a_full_last_page(
    steps: tuple[str, Connector], open_store: Callable[[Connector], RoutineRowStore]
) -> None:
    _url, connector = steps
    store = open_store(connector)
    assert store.delete("pgupta")
    batches = [[r["ContosoLogin"] for r in b] for b in store.iter_rows()]
    assert batches == [["avance", "ljacobson"], ["mbowen", "nwilke"]]  # 4 rows: no empty page


def test_an_import_step_that_returns_more_rows_than_asked_is_refused(
    sqlite_url: str, open_store: Callable[[Connector], RoutineRowStore]
) -> None:
    """Bounds off by one (0-based, or inclusive twice) would end the import after one page and
    leave users out of the cache: refused, naming the fix."""
    create_employees_table(sqlite_url)
    connector = query_steps(employees_connector(sqlite_url), "sqlite")
    assert connector.full_import is not None
    loose = dataclasses.replace(
        connector.full_import,
        query='SELECT * FROM "Employees" ORDER BY "ContosoLogin" '
        "LIMIT @EndIndex - @StartIndex + 2 OFFSET @StartIndex - 1",
    )
    store = open_store(dataclasses.replace(connector, full_import=loose))
    with pytest.raises(StoreError, match="returned 3 rows for rows 1 to 2") as raised:
        _logins(store)
    assert "@StartIndex to @EndIndex" in (raised.value.hint or "")


def test_create_update_disable_delete(
    steps: tuple[str, Connector], open_store: Callable[[Connector], RoutineRowStore]
) -> None:
    _url, connector = steps
    store = open_store(connector)
    row = store.insert(NEW)
    assert row["FirstName"] == "Adele" and row["AccountDisabled"] is False
    assert row["InternalGUID"] and row["LastModified"] is not None  # defaults, read back
    updated = store.update("adele", {"Email": "adele@contoso.com"})
    assert updated is not None and updated["Email"] == "adele@contoso.com"
    assert updated["FirstName"] == "Adele"  # the update procedure got the whole row
    disabled = store.update("adele", {"AccountDisabled": True})
    assert disabled is not None and disabled["AccountDisabled"] is True
    assert store.update("nobody", {"Email": "x"}) is None
    assert store.delete("adele") is True
    assert store.delete("adele") is False
    assert store.read_row("adele") is None


def test_values_are_bound_never_interpolated(
    steps: tuple[str, Connector], open_store: Callable[[Connector], RoutineRowStore]
) -> None:
    _url, connector = steps
    store = open_store(connector)
    row = store.insert({**NEW, "LastName": EVIL[:50], "Email": EVIL})
    assert row["Email"] == EVIL and row["LastName"] == EVIL[:50]
    store.update("adele", {"textID": "x'; DELETE FROM Employees; --"})
    assert len(_logins(store)) == 6  # the table is still there, every row in it


def test_a_duplicate_anchor_is_a_unique_violation(
    steps: tuple[str, Connector], open_store: Callable[[Connector], RoutineRowStore]
) -> None:
    _url, connector = steps
    store = open_store(connector)
    with pytest.raises(UniqueViolation):
        store.insert({**NEW, "ContosoLogin": "avance"})


@pytest.mark.parametrize(
    "backend",
    [
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ],
)
def test_a_procedure_that_raises_is_refused_with_its_message(
    backend: str,
    request: pytest.FixtureRequest,
    open_store: Callable[[Connector], RoutineRowStore],
) -> None:
    url: str = request.getfixturevalue(f"{backend}_url")
    create_employees_table(url)
    create_procedures(url)
    store = open_store(procedure_steps(employees_connector(url)))
    with pytest.raises(ConstraintViolation) as raised:
        store.insert({**NEW, "FirstName": REFUSED})
    assert raised.value.kind == "raised"
    assert (PG_REFUSAL if backend == "postgres" else MARIADB_REFUSAL) in str(raised.value)
    with pytest.raises(ConstraintViolation):
        store.update("avance", {"FirstName": REFUSED})
    assert store.read_row("adele") is None  # nothing half-written
    row = store.read_row("avance")
    assert row is not None and row["FirstName"] == "Adele"


@pytest.mark.postgres
def test_named_parameters_on_postgres(
    postgres_url: str, open_store: Callable[[Connector], RoutineRowStore]
) -> None:
    create_employees_table(postgres_url)
    create_procedures(postgres_url)
    store = open_store(procedure_steps(employees_connector(postgres_url), named=True))
    assert store.insert(NEW)["LastName"] == "Vance"


@pytest.mark.postgres
def test_an_account_with_execute_rights_only_can_provision(
    postgres_url: str, open_store: Callable[[Connector], RoutineRowStore]
) -> None:
    create_employees_table(postgres_url)
    create_procedures(postgres_url)
    role = f"ecma_exec_{secrets.token_hex(4)}"
    admin = make_engine(postgres_url)
    try:
        with admin.begin() as conn:
            conn.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD 'pw-exec-only'"))
            conn.execute(text(f"GRANT EXECUTE ON ALL ROUTINES IN SCHEMA public TO {role}"))
        as_role = make_url(postgres_url).set(username=role, password="pw-exec-only")
        url = as_role.render_as_string(hide_password=False)
        probe = make_engine(url)
        try:
            with probe.connect() as conn, pytest.raises(DBAPIError, match="permission denied"):
                conn.execute(text('SELECT * FROM "Employees"'))
        finally:
            probe.dispose()
        connector = employees_connector(postgres_url)
        connector.connectivity = dataclasses.replace(connector.connectivity, database_url=url)
        store = open_store(procedure_steps(connector))
        assert store.insert(NEW)["FirstName"] == "Adele"
        assert store.update("adele", {"Email": "a@contoso.com"}) is not None
        assert store.delete("adele") is True
        assert len(_logins(store)) == 5
        store.close()
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP OWNED BY {role}"))
            conn.execute(text(f"DROP ROLE {role}"))
        admin.dispose()


@pytest.mark.parametrize(
    "backend",
    [
        pytest.param("sqlite"),
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ],
)
def test_delta_import_binds_the_watermark(
    backend: str,
    request: pytest.FixtureRequest,
    open_store: Callable[[Connector], RoutineRowStore],
) -> None:
    url: str = request.getfixturevalue(f"{backend}_url")
    create_employees_table(url)
    connector = employees_connector(url)
    if backend == "sqlite":
        connector = query_steps(connector, "sqlite")
    else:
        create_procedures(url)
        connector = procedure_steps(connector)
    store = open_store(delta_step(connector, _dialect(url)))
    rows, mark = store.changed_since(None)  # no watermark yet: every row
    assert len(rows) == 5 and mark == max(r["LastModified"] for r in rows)
    assert store.changed_since(mark) == ([], mark)
    store.update("avance", {"FirstName": "Z"})
    rows, newer = store.changed_since(mark)
    assert [r["ContosoLogin"] for r in rows] == ["avance"] and newer > mark
