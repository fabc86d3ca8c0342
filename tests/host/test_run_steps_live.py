"""A DBA who allows only procedures: `ecmactl init`, `configure export` / `full-import` (checked
against the live database) and `host run`, all as a PostgreSQL account with EXECUTE on the
procedures and no table rights; Entra's create then reaches the table over real HTTPS."""

from __future__ import annotations

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

from ecmactl.config.store import load_settings, save_settings
from ecmactl.home import Home
from ecmactl.sql.connect import make_engine

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
CORE = "urn:ietf:params:scim:schemas:core:2.0:User"


@pytest.fixture
def execute_only_url(postgres_url: str) -> Iterator[str]:
    """The Employees table behind procedures, and a login allowed to run them and nothing else."""
    create_employees_table(postgres_url)
    create_procedures(postgres_url)
    role = f"ecma_exec_{secrets.token_hex(4)}"
    admin = make_engine(postgres_url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD 'pw-exec-only'"))
        conn.execute(text(f"GRANT EXECUTE ON ALL ROUTINES IN SCHEMA public TO {role}"))
    try:
        url = make_url(postgres_url).set(username=role, password="pw-exec-only")
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP OWNED BY {role}"))
            conn.execute(text(f"DROP ROLE {role}"))
        admin.dispose()


def test_an_execute_only_account_provisions_through_procedures(
    execute_only_url: str, postgres_url: str, tmp_path: Path
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
    admin = make_engine(postgres_url)
    try:
        with admin.connect() as conn:
            stored = conn.execute(
                text('SELECT "FirstName" FROM "Employees" WHERE "ContosoLogin" = \'adele\'')
            ).scalar()
        assert stored == "Adele"
    finally:
        admin.dispose()
