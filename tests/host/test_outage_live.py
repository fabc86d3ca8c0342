"""A database outage under a running `ecmactl host run` on PostgreSQL and MariaDB:
the database is reached through a loopback proxy the test cuts and restores. Writes answer 503 with
Retry-After, reads keep being served from the cache, the host recovers by itself, and no
acknowledged write is lost."""

from __future__ import annotations

import ssl
import time
from pathlib import Path

import httpx
import pytest
from db_fixtures import TcpProxy, create_employees_table
from hostproc import HostProcess, free_port, init_on_database, read_token
from sqlalchemy import text

from ecmactl.sql.connect import make_engine

pytestmark = pytest.mark.slow
SERVERS = [
    pytest.param("postgres_url", marks=pytest.mark.postgres, id="postgresql"),
    pytest.param("mariadb_url", marks=pytest.mark.mariadb, id="mariadb"),
]
CORE = "urn:ietf:params:scim:schemas:core:2.0:User"


def _user(login: str) -> dict[str, object]:
    return {
        "schemas": [CORE],
        "userName": login,
        "name": {"givenName": "Out", "familyName": "Age"},
        "active": True,
    }


@pytest.mark.parametrize("server", SERVERS)
def test_outage_answers_503_keeps_reading_and_recovers(
    tmp_path: Path, server: str, request: pytest.FixtureRequest
) -> None:
    db_url = request.getfixturevalue(server)
    create_employees_table(db_url)
    home = tmp_path / "home"
    with TcpProxy.to(db_url) as proxy:
        init_on_database(home, proxy.url_through(db_url))
        port = free_port()
        base = f"https://localhost:{port}/ecma2host_SQL/scim"
        verify = ssl.create_default_context(cafile=str(home / "certs" / "server.crt"))
        acknowledged: list[str] = []
        with HostProcess(home, port) as host, httpx.Client(verify=verify, timeout=20) as client:
            host.wait_ready()
            client.headers["Authorization"] = f"Bearer {read_token(home)}"
            first = client.post(f"{base}/Users", json=_user("before-outage"))
            assert first.status_code == 201, first.text
            acknowledged.append("before-outage")

            proxy.stop()  # the database is gone: connections dropped, new ones refused
            during = client.post(f"{base}/Users", json=_user("during-outage"))
            read = client.get(f"{base}/Users/before-outage")
            listed = client.get(f"{base}/Users", params={"filter": 'userName eq "before-outage"'})

            assert during.status_code == 503, during.text
            assert during.headers.get("retry-after")
            assert during.json()["status"] == "503"
            assert read.status_code == 200 and read.json()["userName"] == "before-outage"
            assert listed.json()["totalResults"] == 1

            proxy.start()  # the database is back on the same address
            deadline = time.monotonic() + 30
            while True:  # a client retries as Entra does; bounded by the deadline
                after = client.post(f"{base}/Users", json=_user("after-outage"))
                if after.status_code != 503 or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            assert after.status_code == 201, after.text
            acknowledged.append("after-outage")
            assert client.get(f"{base}/Users/after-outage").status_code == 200

    engine = make_engine(db_url)
    quote = engine.dialect.identifier_preparer.quote
    with engine.connect() as conn:
        query = f"SELECT {quote('ContosoLogin')} FROM {quote('Employees')}"
        stored = set(conn.execute(text(query)).scalars())
    engine.dispose()
    assert set(acknowledged) <= stored
    assert "during-outage" not in stored  # answered 503, so never half-written
