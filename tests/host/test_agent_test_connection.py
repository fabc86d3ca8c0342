"""`agent test-connection`'s logic in-process: the matching attribute, the choice of connector,
and each failure's explanation, against a stand-in host served by the real runner over TLS."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from hostproc import FakeHost, ThreadedServer, free_port, make_home

from ecmactl.certs.create import create_self_signed
from ecmactl.certs.files import write_bundle
from ecmactl.certs.testing import cached_key
from ecmactl.config.models import ECMA_EXTENSION_URN, Attribute
from ecmactl.config.store import load_connector, load_settings
from ecmactl.connection_test import (
    choose_connector,
    explain_status,
    matching_attribute,
    run_test,
)
from ecmactl.errors import UsageError
from ecmactl.home import Home
from ecmactl.host import server
from ecmactl.host.server import RunOptions

TOKEN = "token-of-SQL-123"


@dataclasses.dataclass
class Served:
    home: Home
    port: int
    fake: FakeHost

    def test(self, url: str | None = None, **kwargs: Any) -> Any:
        settings = load_settings(self.home)
        settings.port = self.port
        connector = load_connector(self.home, "SQL")
        return run_test(self.home, connector, settings, url=url, timeout=5, **kwargs)

    def url(self, host: str = "localhost", name: str = "SQL") -> str:
        return f"https://{host}:{self.port}/ecma2host_{name}/scim"


@pytest.fixture
def served(home: Home) -> Iterator[Served]:
    make_home(home)
    prepared = server.prepare(home, RunOptions(port=0, bind="127.0.0.1"))
    fake = FakeHost(home, None, prepared.connectors, tokens={"SQL": TOKEN})
    with ThreadedServer(prepared, fake).running():
        yield Served(home, prepared.port, fake)


def test_passes_like_entra(served: Served):
    result = served.test()
    assert result.ok, result.failure
    assert [s.name for s in result.steps] == ["url", "token", "tcp", "tls", "request"]
    assert result.tenant_url == served.url()
    assert result.request.startswith('GET /Users?filter=userName eq "')
    assert result.to_dict()["token"] == {
        "store": "file",
        "reference": "file:secrets/SQL.secret-token",
    }


def test_wrong_token(served: Served):
    result = served.test(token="what-was-pasted-0000")
    assert result.failure is not None and result.failure.code == "wrong_token"
    assert "ecmactl token show --connector SQL --reveal" in result.failure.fix


def test_wrong_connector_name(served: Served):
    result = served.test(url=served.url(name="HR"))
    assert result.failure is not None and result.failure.code == "wrong_connector"
    assert "No connector named 'HR'" in result.failure.message
    assert "(configured: SQL)" in result.failure.message


def test_still_importing(served: Served):
    served.fake.state = "importing"
    result = served.test()
    assert result.failure is not None and result.failure.code == "importing"
    assert result.failure.message.startswith(
        "The ECMA host is currently importing data from the target application (HTTP 503, "
        "Retry-After 5 s)"
    )


def test_name_mismatch(served: Served):
    bundle = create_self_signed("localhost", key=cached_key("ec256"), include_loopback=False)
    write_bundle(bundle, served.home.certs_dir / "server.crt", served.home.certs_dir / "server.key")
    result = served.test(url=served.url("127.0.0.1"))
    assert result.failure is not None and result.failure.code == "name_mismatch"
    assert "(localhost) do not cover 127.0.0.1" in result.failure.message
    assert result.failure.fix.startswith("`ecmactl cert create --force`")


def test_expired_certificate(served: Served):
    past = datetime.now(UTC) - timedelta(days=30)
    bundle = create_self_signed("localhost", key=cached_key("ec256"), now=past, days=1)
    write_bundle(bundle, served.home.certs_dir / "server.crt", served.home.certs_dir / "server.key")
    result = served.test()
    assert result.failure is not None and result.failure.code == "expired"
    assert result.failure.message.startswith("The host's certificate expired on ")
    assert result.failure.fix.startswith("`ecmactl cert renew`")


def test_a_certificate_other_than_the_homes(served: Served):
    """The home's certificate file changed, but the one served is another self-signed one."""
    other = create_self_signed("localhost", key=cached_key("ec256", slot=1))
    (served.home.certs_dir / "server.crt").write_bytes(other.cert_pem)  # key mismatch: not loaded
    result = served.test()
    assert result.failure is not None and result.failure.code == "untrusted"
    assert "other than this home's" in result.failure.message


def test_wrong_port(served: Served, home: Home):
    from ecmactl.host import runfile

    assert runfile.read_run_info(home) is not None  # the runner's run file says where it is
    result = served.test(url=served.url().replace(str(served.port), str(free_port())))
    assert result.failure is not None and result.failure.code == "wrong_port"
    assert f"runs on port {served.port}" in result.failure.message


def test_host_not_running(home: Home):
    make_home(home)
    settings = load_settings(home)
    settings.port = free_port()
    result = run_test(home, load_connector(home, "SQL"), settings, timeout=5)
    assert result.failure is not None and result.failure.code == "host_not_running"
    assert result.failure.fix.startswith("ecmactl host run")
    assert [s.ok for s in result.steps] == [True, True, False]


def test_http_url_is_refused(home: Home):
    make_home(home)
    result = run_test(
        home, load_connector(home, "SQL"), load_settings(home), url="http://localhost/x"
    )
    assert result.failure is not None and result.failure.code == "bad_url"


def test_unresolvable_host_name(home: Home):
    make_home(home)
    result = run_test(
        home,
        load_connector(home, "SQL"),
        load_settings(home),
        url="https://no-such-host.invalid:8585/ecma2host_SQL/scim",
    )
    assert result.failure is not None and result.failure.code == "dns"


@pytest.mark.parametrize(
    ("status", "body", "headers", "code"),
    [
        (200, {"schemas": ["x"], "totalResults": 1, "Resources": [{}]}, {}, "bad_answer"),
        (400, {"scimType": "invalidFilter", "detail": "no such attribute"}, {}, "invalid_filter"),
        (500, {"detail": "boom"}, {}, "server_error"),
        (403, {}, {}, "wrong_token"),
    ],
)
def test_other_answers_are_explained(
    home: Home, status: int, body: dict[str, Any], headers: dict[str, str], code: str
):
    make_home(home)
    response = httpx.Response(status, json=body, headers=headers)
    explained = explain_status(home, load_connector(home, "SQL"), "https://h/x", response)
    assert explained is not None and explained[0] == code


def test_matching_attribute(home: Home):
    make_home(home)
    connector = load_connector(home, "SQL")
    assert matching_attribute(connector) == "userName"
    connector.attributes = [Attribute("Login", "externalId")]
    assert matching_attribute(connector) == f"{ECMA_EXTENSION_URN}:Login"


def test_choose_connector(home: Home):
    make_home(home, connectors=("HR", "SQL"))
    assert choose_connector(home, None, None) == ["HR", "SQL"]
    assert choose_connector(home, "HR", None) == ["HR"]
    assert choose_connector(home, None, "https://h:1/ecma2host_SQL/scim") == ["SQL"]
    with pytest.raises(UsageError, match="this home has 2 connectors"):
        choose_connector(home, None, "https://h:1/ecma2host_Other/scim")
