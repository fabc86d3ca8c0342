"""A DBA who allows only procedures: `ecmactl init`, `configure export` / `full-import` (checked
against the live database) and `host run`, all as a PostgreSQL or MariaDB account with EXECUTE
on the procedures and no table rights; the cache is loaded through the import procedure page by
page, and Entra's create then reaches the table over real HTTPS."""

from __future__ import annotations

import contextlib
import secrets
import ssl
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from db_fixtures import create_employees_table
from hostproc import HostProcess, ecmactl, free_port, init_on_database, read_token
from run_step_fixtures import ATTRIBUTE_PARAMS, create_procedures
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from ecmactl.config.store import load_settings, save_settings
from ecmactl.home import Home
from ecmactl.sql.connect import make_engine

pytestmark = pytest.mark.slow
CORE = "urn:ietf:params:scim:schemas:core:2.0:User"
INIT = ("init", "--no-input", "--hostname", "localhost", "--secret-store", "file", "--name", "SQL")


@pytest.fixture(
    params=[
        pytest.param("postgres_url", marks=pytest.mark.postgres, id="postgresql"),
        pytest.param("mariadb_url", marks=pytest.mark.mariadb, id="mariadb"),
    ]
)
def admin_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(request.param)
    return url


@contextlib.contextmanager
def execute_only(admin_url: str, *, definition: bool = True) -> Iterator[str]:
    """The Employees table behind procedures, and a login allowed to run them and nothing else
    (MariaDB's procedures run with their definer's rights, PostgreSQL's functions are granted).
    ``definition``: on MariaDB, also REFERENCES on the table, which reads no rows but lets the
    wizard see its columns (PostgreSQL shows every account the catalog)."""
    create_employees_table(admin_url)
    create_procedures(admin_url)
    role = f"ecma_exec_{secrets.token_hex(4)}"
    admin = make_engine(admin_url)
    postgres = admin.dialect.name == "postgresql"
    with admin.begin() as conn:
        if postgres:
            conn.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD 'pw-exec-only'"))
            conn.execute(text(f"GRANT EXECUTE ON ALL ROUTINES IN SCHEMA public TO {role}"))
        else:
            database = make_url(admin_url).database
            conn.execute(text(f"CREATE USER '{role}'@'%' IDENTIFIED BY 'pw-exec-only'"))
            conn.execute(text(f"GRANT EXECUTE ON `{database}`.* TO '{role}'@'%'"))
            if definition:
                conn.execute(text(f"GRANT REFERENCES ON `{database}`.Employees TO '{role}'@'%'"))
    try:
        url = make_url(admin_url).set(username=role, password="pw-exec-only")
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            if postgres:
                conn.execute(text(f"DROP OWNED BY {role}"))
                conn.execute(text(f"DROP ROLE {role}"))
            else:
                conn.execute(text(f"DROP USER '{role}'@'%'"))
        admin.dispose()


@pytest.fixture
def execute_only_url(admin_url: str) -> Iterator[str]:
    with execute_only(admin_url) as url:
        probe = make_engine(url)
        try:  # the account reads no rows itself
            table = probe.dialect.identifier_preparer.quote("Employees")
            with probe.connect() as conn, pytest.raises(DBAPIError, match="denied"):
                conn.execute(text(f"SELECT * FROM {table}"))
        finally:
            probe.dispose()
        yield url


@pytest.mark.mariadb
def test_an_account_that_may_not_read_the_tables_definition_is_told_the_grant(
    mariadb_url: str, tmp_path: Path
) -> None:
    with execute_only(mariadb_url, definition=False) as url:
        done = ecmactl(tmp_path / "home", *INIT, "--database-url", url, "--table", "Employees")
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "may not read the definition of Employees" in done.stderr
    assert "REFERENCES" in done.stderr


def test_an_execute_only_account_provisions_through_procedures(
    execute_only_url: str, admin_url: str, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    init_on_database(home, execute_only_url)
    every = ";".join(f"p_{name}:INPUT:@{attribute}" for name, attribute in ATTRIBUTE_PARAMS)
    done = ecmactl(
        home,
        "configure",
        "export",
        "--no-input",
        "--export-method",
        "Stored Procedure",
        "--add-sp-name",
        "add_employee",
        "--add-sp-parameters",
        every,
        "--update-sp-name",
        "update_employee",
        "--update-sp-parameters",
        every.replace("@ContosoLogin", "@Anchor"),
        "--delete-sp-name",
        "delete_employee",
        "--delete-sp-parameters",
        "p_login:INPUT:@Anchor",
    )
    assert done.returncode == 0, done.stderr
    done = ecmactl(
        home,
        "configure",
        "full-import",
        "--no-input",
        "--import-method",
        "Stored Procedure",
        "--import-sp-name",
        "get_employees",
        "--import-sp-parameters",
        "p_start:INPUT:@StartIndex;p_end:INPUT:@EndIndex",
        "--import-page-size",
        "2",
    )
    assert done.returncode == 0, done.stderr
    port = free_port()
    settings = load_settings(Home(home))
    settings.port = port
    save_settings(Home(home), settings)
    with HostProcess(home, port) as host:
        host.wait_ready()
        trust = ssl.create_default_context(cafile=home / "certs" / "server.crt")
        headers = {"Authorization": f"Bearer {read_token(home)}"}
        base = f"https://localhost:{port}/ecma2host_SQL/scim"
        with httpx.Client(base_url=base, verify=trust, headers=headers, timeout=10) as client:
            assert client.get("/Users").json()["totalResults"] == 5
            extension = "urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User"
            body = {
                "schemas": [CORE, extension],
                "userName": "adele",
                extension: {"ContosoLogin": "adele", "FirstName": "Adele", "LastName": "Vance"},
            }
            created = client.post("/Users", json=body)
            assert created.status_code == 201, created.text
    admin = make_engine(admin_url)
    try:
        with admin.connect() as conn:
            table = admin.dialect.identifier_preparer.quote("Employees")
            login = admin.dialect.identifier_preparer.quote("ContosoLogin")
            first = admin.dialect.identifier_preparer.quote("FirstName")
            stored = conn.execute(
                text(f"SELECT {first} FROM {table} WHERE {login} = 'adele'")
            ).scalar()
        assert stored == "Adele"
    finally:
        admin.dispose()
