"""A connector whose secret token cannot be read: `host run` refuses to
start with the fix; when the secret disappears while running, requests get a SCIM 503 (not
500) and `host status` fails until it is back. Real `ecmactl host run` subprocesses."""

from __future__ import annotations

import json
import ssl
import time
from pathlib import Path

import httpx
import pytest
from hostproc import HostProcess, cli_env, ecmactl, free_port, init_sample, read_token

from ecmactl.config.store import load_connector, save_connector
from ecmactl.home import Home

SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


def _client(home: Path, port: int, token: str) -> httpx.Client:
    trust = ssl.create_default_context(cafile=home / "certs" / "server.crt")
    return httpx.Client(
        base_url=f"https://localhost:{port}/ecma2host_SQL/scim",
        verify=trust,
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def test_a_missing_secret_file_refuses_the_start_with_the_fix(tmp_path: Path) -> None:
    home = tmp_path / "home"
    init_sample(home)
    (home / "secrets" / "SQL.secret-token").unlink()
    host = HostProcess(home, free_port())
    code = host.proc.wait(timeout=60)
    log = host.log
    host.stop()
    assert code == 1, log
    errors = [line for line in log.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, log
    assert "connector 'SQL': the secret token cannot be read" in errors[0]
    assert "SQL.secret-token is missing" in errors[0]
    assert f"`ecmactl --home {home} token set --connector SQL`" in log
    assert "Traceback" not in log and "Tenant URL" not in log  # refused before the banner


def test_an_unset_environment_variable_refuses_the_start(tmp_path: Path) -> None:
    home = tmp_path / "home"
    init_sample(home)
    connector = load_connector(Home(home), "SQL")
    connector.secret_token_ref = "env:ECMACTL_TEST_UNSET_TOKEN"
    save_connector(Home(home), connector)
    done = ecmactl(home, "host", "run", "--port", str(free_port()))
    assert done.returncode == 1
    assert "environment variable ECMACTL_TEST_UNSET_TOKEN is not set" in done.stderr
    assert "Export ECMACTL_TEST_UNSET_TOKEN" in done.stderr


def test_a_secret_that_disappears_gives_503_and_a_failing_status(tmp_path: Path) -> None:
    home = tmp_path / "home"
    init_sample(home)
    port = free_port()
    secret = home / "secrets" / "SQL.secret-token"
    token = read_token(home)
    with HostProcess(home, port) as host, _client(home, port, token) as client:
        host.wait_ready()
        assert client.get("/Users").status_code == 200
        kept = secret.read_bytes()
        secret.unlink()
        status = ecmactl(home, "host", "status")
        assert status.returncode == 1, status.stdout
        assert "cannot read the secret token" in status.stdout
        assert f"To fix, run: ecmactl --home {home} token set --connector SQL" in status.stdout
        document = json.loads(ecmactl(home, "host", "status", "--json").stdout)
        (sql,) = document["connectors"]
        assert sql["authentication"]["ok"] is False
        answer = client.get("/Users")
        assert answer.status_code == 503, answer.text
        assert answer.headers["content-type"].startswith("application/scim+json")
        assert answer.json()["schemas"] == [SCIM_ERROR] and "Retry-After" in answer.headers
        secret.write_bytes(kept)
        assert ecmactl(home, "host", "status").returncode == 0
        end = time.monotonic() + 10  # a request retries the read at most once a second
        while client.get("/Users").status_code != 200:
            assert time.monotonic() < end, "the restored token is not accepted"
            time.sleep(0.1)  # a poll interval, bounded by the deadline
    assert "cannot read the secret token" in host.log


def test_a_home_from_the_environment_is_named_in_the_fix(tmp_path: Path) -> None:
    """ECMACTL_HOME (a systemd unit's Environment=) may not be set where the fix is pasted."""
    import subprocess
    import sys

    home = tmp_path / "home"
    init_sample(home)
    (home / "secrets" / "SQL.secret-token").unlink()
    env = cli_env() | {"ECMACTL_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-m", "ecmactl", "host", "run", "--port", str(free_port())],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1
    assert f"`ecmactl --home {home} token set --connector SQL`" in done.stderr


@pytest.mark.parametrize("kind", ["host", "agent"])
def test_status_of_a_stopped_host_is_unchanged(tmp_path: Path, kind: str) -> None:
    home = tmp_path / "home"
    init_sample(home)
    assert ecmactl(home, kind, "status").returncode == 3


NOT_UTF8 = b"tok\xff\xfeen\n"  # Latin-1 or binary bytes: no UTF-8 text


def test_a_secret_file_that_is_not_utf8_refuses_the_start_with_the_fix(tmp_path: Path) -> None:
    home = tmp_path / "home"
    init_sample(home)
    secret = home / "secrets" / "SQL.secret-token"
    secret.write_bytes(NOT_UTF8)
    done = ecmactl(home, "host", "run", "--port", str(free_port()))
    assert done.returncode == 1, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        "Error: connector 'SQL': the secret token cannot be read: the secret file "
        f"{secret} is not UTF-8 text (invalid byte at offset 3)"
    ], done.stderr
    assert f"`ecmactl --home {home} token set --connector SQL`" in done.stderr
    assert "Traceback" not in done.stderr and "UnicodeDecodeError" not in done.stderr

    status = ecmactl(home, "agent", "status")  # stopped host: the token check fails, no trace
    assert status.returncode == 3, status.stdout + status.stderr
    assert f"the secret file {secret} is not UTF-8 text" in status.stdout
    assert f"To fix, run: ecmactl --home {home} token set --connector SQL" in status.stdout
    assert "Traceback" not in status.stdout + status.stderr


def test_a_secret_file_rewritten_as_not_utf8_gives_503_and_a_failing_status(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    init_sample(home)
    port = free_port()
    secret = home / "secrets" / "SQL.secret-token"
    token = read_token(home)
    with HostProcess(home, port) as host, _client(home, port, token) as client:
        host.wait_ready()
        assert client.get("/Users").status_code == 200
        secret.write_bytes(NOT_UTF8)
        for kind in ("host", "agent"):
            status = ecmactl(home, kind, "status")
            assert status.returncode == 1, status.stdout + status.stderr
            assert "is not UTF-8 text" in status.stdout, status.stdout
        answer = client.get("/Users")
        assert answer.status_code == 503, answer.text
        assert answer.json()["schemas"] == [SCIM_ERROR] and "Retry-After" in answer.headers
    assert "Traceback" not in host.log and "ExceptionGroup" not in host.log, host.log
