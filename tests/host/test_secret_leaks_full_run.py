"""No secret value reaches any output of a full run, through real processes.

A home is set up with a known Secret Token (sample connector, SQLite) and a known database
password (a second connector on PostgreSQL, through an account that needs it). Then every
command a user would run, a host serving SCIM requests with debug logging (request bodies
included), the status channel and Test Connection, and a config bundle. Every stdout, stderr,
log line, file in the home (except the secret store itself) and bundle member is searched for
the values.
"""

from __future__ import annotations

import ssl
import tarfile
from pathlib import Path

import httpx
import pytest
from db_fixtures import account_with_password, create_employees_table
from hostproc import HostProcess, ecmactl, free_port

from ecmactl.certs.testing import find_leaks

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

TOKEN = "Full-Run-Token-7777gggg"
DB_PASSWORD = "Full-Run-DbPass-8888hhhh"
USER_PASSWORD = "Full-Run-UserPass-9999iiii"  # a SCIM password attribute in a request body
WRONG_TOKEN = "Full-Run-Wrong-0000jjjj"  # presented by a caller; must not be logged either
SECRETS = [TOKEN, DB_PASSWORD, USER_PASSWORD, WRONG_TOKEN]


def test_no_secret_in_any_output_of_a_full_run(
    tmp_path: Path, postgres_url: str, request: pytest.FixtureRequest
) -> None:
    home = tmp_path / "home"
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "token").write_text(TOKEN + "\n")
    (inputs / "db-password").write_text(DB_PASSWORD + "\n")
    create_employees_table(postgres_url)
    bare_url, user = account_with_password(postgres_url, DB_PASSWORD, request)
    outputs: dict[str, str] = {}

    def run(*args: str, code: int | None = 0) -> str:
        done = ecmactl(home, *args)
        outputs[f"{len(outputs)}:{' '.join(args)}"] = done.stdout + done.stderr
        if code is not None:
            assert done.returncode == code, (args, done.stdout, done.stderr)
        return done.stdout

    run(
        "init",
        "--sample",
        "--no-input",
        "--secret-store",
        "file",
        "--hostname",
        "localhost",
        "--secret-token-file",
        str(inputs / "token"),
    )
    run(
        "init",
        "--no-input",
        "--name",
        "HR",
        "--database-url",
        bare_url,
        "--db-user",
        user,
        "--db-password-file",
        str(inputs / "db-password"),
        "--table",
        "Employees",
        "--secret-token-file",
        str(inputs / "token"),
        "--json",
    )
    run(
        "init",
        "--sample",
        "--no-input",
        "--dry-run",
        "--json",
        "--force",
        "--secret-token-file",
        str(inputs / "token"),
    )
    for args in (
        ["token", "show", "-c", "SQL"],
        ["token", "show", "-c", "HR", "--json"],
        ["configure", "show", "-c", "HR"],
        ["configure", "show", "-c", "HR", "--json"],
        ["configure", "connectivity", "-c", "HR", "--no-input", "--dry-run"],
        ["cert", "status", "--json"],
    ):
        run(*args)
    bundle = tmp_path / "home.tar.gz"
    run("bundle", "emit", "-o", str(bundle))
    run("bundle", "inspect", str(bundle), "--json")

    port = free_port()
    log_file = tmp_path / "host.jsonl"
    with HostProcess(
        home, port, "--log-level", "debug", "--log-format", "json", "--log-file", str(log_file)
    ) as host:
        host.wait_ready()
        base = f"https://localhost:{port}/ecma2host_SQL/scim"
        ca = ssl.create_default_context(cafile=str(home / "certs" / "server.crt"))
        with httpx.Client(verify=ca, timeout=10) as client:
            good = {"Authorization": f"Bearer {TOKEN}"}
            created = client.post(
                f"{base}/Users",
                headers=good,
                json={
                    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                    "userName": "leakcheck",
                    "name": {"givenName": "Leak", "familyName": "Check"},
                    "password": USER_PASSWORD,
                    "active": True,
                },
            )
            assert created.status_code == 201, created.text
            patched = client.patch(
                f"{base}/Users/leakcheck",
                headers=good,
                json={
                    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                    "Operations": [{"op": "Replace", "path": "active", "value": "False"}],
                },
            )
            assert patched.status_code == 200, patched.text
            denied = client.get(f"{base}/Users", headers={"Authorization": f"Bearer {WRONG_TOKEN}"})
            assert denied.status_code == 401
            hr = client.get(
                f"https://localhost:{port}/ecma2host_HR/scim/Users?count=1", headers=good
            )
            assert hr.status_code == 200, hr.text  # the host logged in with the password
        for args in (
            ["host", "status"],
            ["host", "status", "--json"],
            ["agent", "status"],
            ["agent", "status", "--json"],
            ["agent", "test-connection", "--json", "--url", base],
            ["host", "sync", "--json"],
        ):
            run(*args)
    outputs["host stderr"] = host.log
    outputs["host log file"] = log_file.read_text()
    assert USER_PASSWORD not in outputs["host log file"] and "leakcheck" in outputs["host log file"]

    members: dict[str, bytes] = {}
    with tarfile.open(bundle) as archive:
        for member in archive.getmembers():
            extracted = archive.extractfile(member)
            if extracted is not None:
                members[f"bundle:{member.name}"] = extracted.read()

    leaks = find_leaks(
        SECRETS,
        texts={**outputs, **members},
        roots=[home, tmp_path / "home.tar.gz"],
        allowed=[home / "secrets"],
    )
    assert leaks == []
    # And the store holds them where they belong.
    assert (home / "secrets" / "SQL.secret-token").read_text().strip() == TOKEN
    assert (home / "secrets" / "HR.db-password").read_text().strip() == DB_PASSWORD
