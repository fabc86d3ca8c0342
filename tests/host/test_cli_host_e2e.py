"""`ecmactl host run` end to end, as a user runs it: subprocesses, real HTTPS on a free loopback
port, a home made by `ecmactl init --sample --no-input`.

One host serves the whole module (starting one costs about a second); the tests that change the
certificate put it back, and the SIGTERM test runs last.
"""

from __future__ import annotations

import json
import re
import signal
import ssl
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from hostproc import HostProcess, ecmactl, free_port, init_sample, read_token

from ecmactl.certs.create import create_self_signed
from ecmactl.certs.files import write_bundle
from ecmactl.config.store import load_settings, save_settings
from ecmactl.home import Home

pytestmark = pytest.mark.slow

CORE = "urn:ietf:params:scim:schemas:core:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


@dataclass
class Live:
    home: Path
    port: int
    host: HostProcess

    @property
    def base(self) -> str:
        return f"https://localhost:{self.port}/ecma2host_SQL/scim"

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token or read_token(self.home)}"}
        trust = ssl.create_default_context(cafile=self.home / "certs" / "server.crt")
        return httpx.Client(base_url=self.base, verify=trust, headers=headers, timeout=10)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    home = tmp_path_factory.mktemp("e2e") / "home"
    init_sample(home)
    port = free_port()
    settings = load_settings(Home(home))
    settings.port = port  # so the default Tenant URL is this host's (test-connection's default)
    save_settings(Home(home), settings)
    host = HostProcess(home, port)
    try:
        host.wait_ready()
        yield Live(home, port, host)
    finally:
        host.stop()


def test_banner_names_each_tenant_url(live: Live):
    assert f"SQL  Tenant URL https://localhost:{live.port}/ecma2host_SQL/scim" in live.host.log


def test_test_connection_passes(live: Live):
    done = ecmactl(live.home, "agent", "test-connection")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Test Connection succeeds." in done.stdout
    assert f"Tenant URL:    https://localhost:{live.port}/ecma2host_SQL/scim" in done.stdout
    assert 'GET /Users?filter=userName eq "' in done.stdout
    assert read_token(live.home) not in done.stdout


def test_agent_status_is_healthy(live: Live):
    done = ecmactl(live.home, "agent", "status", "--json")
    assert done.returncode == 0, done.stdout
    report = json.loads(done.stdout)
    assert report["state"] == "running"
    assert all(check["ok"] for check in report["checks"]), report["checks"]
    (sql,) = report["connectors"]
    assert sql["state"] == "ready" and sql["cache_size"] == 5
    assert sql["token"]["store"] == "file"
    assert sql["probe"]["status"] == 200
    assert report["certificate"]["hostname_in_san"] is True


def test_status_channel_needs_the_admin_token(live: Live):
    from ecmactl.host import runfile

    home = Home(live.home)
    trust = runfile.local_tls_context(home.certs_dir / "server.crt")
    with httpx.Client(base_url=f"https://127.0.0.1:{live.port}", verify=trust) as http:
        assert http.get("/health").text == "ok"  # liveness, no data
        assert http.get("/_ecmactl/status").status_code == 401
        bearer = {"Authorization": f"Bearer {read_token(live.home)}"}  # a connector's: not enough
        assert http.get("/_ecmactl/status", headers=bearer).status_code == 401
        admin = {"Authorization": f"Bearer {runfile.read_admin_token(home)}"}
        answer = http.get("/_ecmactl/status", headers=admin)
        assert answer.status_code == 200 and "SQL" in answer.json()["connectors"]
    mode = (live.home / "run" / "admin-token").stat().st_mode & 0o777
    assert mode == 0o600


def test_host_status_text(live: Live):
    done = ecmactl(live.home, "host", "status")
    assert done.returncode == 0, done.stdout
    assert done.stdout.startswith("● ecmactl host - embedded SCIM host of ")
    assert "● SQL - ready" in done.stdout
    assert "Cache: 5 users" in done.stdout


def test_scim_round_trip_over_https(live: Live):
    login = f"e2e.{uuid.uuid4().hex[:8]}"
    body = {
        "schemas": [CORE],
        "userName": login,
        "active": True,
        "externalId": str(uuid.uuid4()),
        "name": {"givenName": "Edna", "familyName": "Twoend"},
        "emails": [{"type": "work", "value": f"{login}@contoso.test", "primary": True}],
    }
    with live.client() as http:
        created = http.post("/Users", json=body)
        assert created.status_code == 201, created.text
        assert created.json()["id"] == login
        assert created.headers["location"].endswith(f"/ecma2host_SQL/scim/Users/{login}")
        assert http.get(f"/Users/{login}").json()["userName"] == login
        disable = {
            "schemas": [PATCH_OP],
            "Operations": [{"op": "Replace", "path": "active", "value": "False"}],
        }
        patched = http.patch(f"/Users/{login}", json=disable)
        assert patched.status_code in (200, 204), patched.text
        again = http.get(f"/Users/{login}")
        assert again.status_code == 200 and again.json()["active"] is False  # still returned
        found = http.get("/Users", params={"filter": f'userName eq "{login}"'}).json()
        assert found["totalResults"] == 1
        assert http.delete(f"/Users/{login}").status_code == 204
        assert http.get(f"/Users/{login}").status_code == 404


def test_wrong_token_is_401(live: Live):
    with live.client("not-the-token-at-all") as http:
        answer = http.get("/Users", params={"filter": 'userName eq "x"'})
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.filterwarnings("ignore:ssl.TLSVersion.TLSv1_1 is deprecated:DeprecationWarning")
def test_tls_1_1_is_refused(live: Live):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    context.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
    context.maximum_version = ssl.TLSVersion.TLSv1_1
    context.set_ciphers("DEFAULT:@SECLEVEL=0")  # so the client can offer TLS 1.1 at all
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{live.base}/Users", verify=context)


def test_test_connection_explains_a_wrong_token(live: Live, tmp_path: Path):
    pasted = tmp_path / "pasted.txt"
    pasted.write_text("what-was-pasted-into-entra\n")
    done = ecmactl(live.home, "agent", "test-connection", "--token-file", str(pasted), "--json")
    assert done.returncode == 1
    (result,) = json.loads(done.stdout)["results"]
    assert result["failure"]["code"] == "wrong_token"
    assert "HTTP 401" in result["failure"]["message"]
    reveal = f"ecmactl --home {live.home} token show --connector SQL --reveal"
    assert reveal in result["failure"]["fix"]


def test_token_set_is_picked_up_by_the_running_host(live: Live, tmp_path: Path):
    new = tmp_path / "new.txt"
    new.write_text("a-brand-new-token-0123456789\n")
    assert ecmactl(live.home, "token", "set", "--token-file", str(new)).returncode == 0
    done = ecmactl(live.home, "agent", "test-connection")
    assert done.returncode == 0, done.stdout
    with live.client("a-brand-new-token-0123456789") as http:
        assert http.get("/ServiceProviderConfig").status_code == 200


def test_test_connection_explains_a_wrong_connector_name(live: Live):
    url = f"https://localhost:{live.port}/ecma2host_HR/scim"
    done = ecmactl(live.home, "agent", "test-connection", "--url", url)
    assert done.returncode == 1
    assert "No connector named 'HR' is served at this URL (HTTP 404)" in done.stdout
    assert "configured: SQL" in done.stdout
    assert "Test Connection fails (wrong_connector)." in done.stdout


def test_test_connection_explains_certificate_problems(live: Live):
    home = Home(live.home)
    # A certificate for "localhost" only (no loopback IPs): 127.0.0.1 is not covered.
    made = ecmactl(live.home, "cert", "create", "--force", "--no-loopback")
    assert made.returncode == 0, made.stderr
    url = f"https://127.0.0.1:{live.port}/ecma2host_SQL/scim"
    done = ecmactl(live.home, "agent", "test-connection", "--url", url, "--json")
    assert done.returncode == 1
    (result,) = json.loads(done.stdout)["results"]
    assert result["failure"]["code"] == "name_mismatch", result
    # (and this machine's own names, which every self-signed certificate covers)
    assert re.search(
        r"\(localhost(, [\w.-]+)*\) do not cover 127\.0\.0\.1", result["failure"]["message"]
    )
    assert f"ecmactl --home {live.home} cert create --force" in result["failure"]["fix"]

    # An expired one, served from the next connection without a restart.
    past = datetime.now(UTC) - timedelta(days=10)
    expired = create_self_signed("localhost", now=past, days=1)
    write_bundle(expired, home.certs_dir / "server.crt", home.certs_dir / "server.key")
    done = ecmactl(live.home, "agent", "test-connection", "--json")
    (result,) = json.loads(done.stdout)["results"]
    assert done.returncode == 1
    assert result["failure"]["code"] == "expired", result
    assert result["failure"]["fix"].startswith(f"`ecmactl --home {live.home} cert renew`")
    # The local channel still works with an expired certificate: degraded, with the fix.
    status = ecmactl(live.home, "host", "status")
    assert status.returncode == 1, status.stdout
    assert f"To fix, run: ecmactl --home {live.home} cert renew" in status.stdout

    assert ecmactl(live.home, "cert", "create", "--force").returncode == 0
    assert ecmactl(live.home, "agent", "test-connection").returncode == 0


def test_sigterm_stops_cleanly(live: Live):
    """Last: the host stops; run files go; status says not running; test-connection says so."""
    assert live.host.stop(signal.SIGTERM) == 0, live.host.log
    assert not (live.home / "run" / "host.json").exists()
    assert not (live.home / "run" / "admin-token").exists()
    assert "Traceback" not in live.host.log
    status = ecmactl(live.home, "host", "status")
    assert status.returncode == 3
    done = ecmactl(live.home, "agent", "test-connection", "--json")
    assert done.returncode == 1
    (result,) = json.loads(done.stdout)["results"]
    assert result["failure"]["code"] == "host_not_running"
    assert result["failure"]["fix"].startswith(f"ecmactl --home {live.home} host run")
