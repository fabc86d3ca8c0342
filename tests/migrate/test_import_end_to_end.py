"""An imported connector works: ECMA2Host's Table-method export, imported over a SQLite copy of
the tutorial's Employees table, is served by `ecmactl host run` and passes Entra's Test
Connection; and, on a terminal, the import asks only what an export cannot carry."""

from __future__ import annotations

import ssl
from pathlib import Path

import httpx
from db_fixtures import create_employees_table
from migratekit import FIXTURES, host_helpers

from ecmactl.home import Home
from ecmactl.migrate import read_export
from ecmactl.migrate.plan import plan_import
from ecmactl.sql.urls import sqlite_url as sqlite_url_for
from ecmactl.testing import ScriptedPrompter
from ecmactl.wizard.engine import Sources

hostproc = host_helpers()
HostProcess, ecmactl, free_port, read_token = (
    hostproc.HostProcess,
    hostproc.ecmactl,
    hostproc.free_port,
    hostproc.read_token,
)


def test_an_imported_connector_is_served_by_the_host(tmp_path: Path):
    database = tmp_path / "contoso.db"
    url = sqlite_url_for(database)
    create_employees_table(url)
    home, port = tmp_path / "home", free_port()
    done = ecmactl(
        home,
        "init",
        "--from",
        str(FIXTURES / "ecma2host_table_anchor_dn.xml"),
        "--no-input",
        "--hostname",
        "localhost",
        "--secret-store",
        "file",
        "--database-url",
        url,
        "--port",
        str(port),
    )
    assert done.returncode == 0, done.stderr

    with HostProcess(home, port) as host:
        host.wait_ready()
        checked = ecmactl(home, "agent", "test-connection")
        assert checked.returncode == 0, checked.stdout + checked.stderr
        trust = ssl.create_default_context(cafile=home / "certs" / "server.crt")
        response = httpx.get(
            f"https://localhost:{port}/ecma2host_SQL/scim/Users",
            headers={"Authorization": f"Bearer {read_token(home)}"},
            verify=trust,
            timeout=10,
        )
    assert response.status_code == 200, response.text
    users = response.json()["Resources"]
    assert users and all(u["userName"] for u in users)  # ContosoLogin, bound by the import


def test_on_a_terminal_only_what_the_export_cannot_carry_is_asked(tmp_path: Path):
    home = Home(tmp_path / "home")
    url = sqlite_url_for(tmp_path / "hr.db")
    create_employees_table(url)
    prompter = ScriptedPrompter({"connectivity.database_url": url})
    export = read_export(FIXTURES / "mim_table.xml")

    planned = plan_import(home, export, Sources(), prompter, force=False)

    connector_questions = [k for k in prompter.asked if not k.startswith("settings.")]
    assert connector_questions == ["properties.secret_token", "connectivity.database_url"]
    assert prompter.pages == ["settings", "import"]
    assert ("settings.port", 8585) in prompter.offered
    assert [c.connectivity.database_url for c in planned.connectors] == [url]
    assert not home.root.exists()  # planned, not written


def test_the_exports_user_name_is_offered_for_a_server_database(tmp_path: Path):
    home = Home(tmp_path / "home")
    prompter = ScriptedPrompter({"connectivity.database_url": "postgresql://db01.contoso.test/hr"})

    planned = plan_import(
        home, read_export(FIXTURES / "mim_table.xml"), Sources(), prompter, force=False
    )

    assert ("connectivity.user", "svc_mim") in prompter.offered
    assert "connectivity.password" in prompter.asked
    assert planned.connectors[0].connectivity.user == "svc_mim"
