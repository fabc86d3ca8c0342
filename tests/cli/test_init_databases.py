"""`init` and `configure` against real PostgreSQL and MariaDB servers, with no terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from db_fixtures import account_with_password, create_employees_table
from typer.testing import CliRunner

from ecmactl.cli import app
from ecmactl.config.store import load_connector
from ecmactl.home import Home
from ecmactl.secrets import read_secret

SERVERS = [
    pytest.param("postgres_url", marks=pytest.mark.postgres, id="postgresql"),
    pytest.param("mariadb_url", marks=pytest.mark.mariadb, id="mariadb"),
]


def invoke(home: Home, *args: str):
    return CliRunner().invoke(app, ["--home", str(home.root), *args], catch_exceptions=False)


@pytest.mark.parametrize("server", SERVERS)
def test_init_then_configure_on_a_real_server(
    server: str, request: pytest.FixtureRequest, home: Home, tmp_path: Path
):
    url = request.getfixturevalue(server)
    create_employees_table(url)
    bare_url, user = account_with_password(url, "S3cret-pw-for-test", request)
    password_file = tmp_path / "pw"
    password_file.write_text("S3cret-pw-for-test\n")

    result = invoke(
        home,
        "init",
        "--no-input",
        "--hostname",
        "ecma01.contoso.test",
        "--secret-store",
        "file",
        "--name",
        "HR",
        "--database-url",
        bare_url,
        "--db-user",
        user,
        "--db-password-file",
        str(password_file),
        "--table",
        "Employees",
        "--disable-flow",
        "Delete",
    )

    assert result.exit_code == 0, result.stderr
    connector = load_connector(home, "HR")
    assert connector.schema.anchor == "ContosoLogin"
    assert {c.name: c.data_type for c in connector.schema.columns}["AccountDisabled"] == "Boolean"
    assert connector.connectivity.password_ref == "file:secrets/HR.db-password"
    assert read_secret(connector.connectivity.password_ref, home) == "S3cret-pw-for-test"
    assert "S3cret-pw-for-test" not in (home.root / "connectors" / "HR.toml").read_text()
    assert connector.connectivity.user == user

    # Both pages that talk to the database reuse the stored password without asking.
    again = invoke(home, "configure", "connectivity", "--no-input")
    schema = invoke(home, "configure", "schema", "--no-input", "--direction", "AzureID=Import")

    assert again.exit_code == 0, again.stderr
    assert schema.exit_code == 0, schema.stderr
    assert load_connector(home, "HR").column("AzureID").direction == "Import"  # type: ignore[union-attr]
    assert (
        load_connector(home, "HR").connectivity.password_ref == connector.connectivity.password_ref
    )
