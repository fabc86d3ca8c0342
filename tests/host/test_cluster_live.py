"""Several `ecmactl host run` on one PostgreSQL or MariaDB database (real subprocesses): a write
through one host is seen by the other at once (read-through on a miss) and lands in its cache
through the change feed; concurrent creates of one user through both hosts give one 201, one 409
and one row; the feed recovers from a killed database session; SQLite refuses a second host."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import httpx
import pytest
from clusterkit import Pair, two_hosts, user
from db_fixtures import create_employees_table
from hostproc import HostProcess, ecmactl, free_port, init_on_database, init_sample
from sqlalchemy import text

from ecmactl.cluster.registry import HEARTBEAT_S
from ecmactl.sql.connect import make_engine

pytestmark = pytest.mark.slow
SERVERS = [
    pytest.param("postgres_url", marks=pytest.mark.postgres, id="postgresql"),
    pytest.param("mariadb_url", marks=pytest.mark.mariadb, id="mariadb"),
]
FEED_DEADLINE_S = 1.0  # the change feed's promise: another host's cache within a second
RECOVERY_DEADLINE_S = 30.0


REGISTRY_DEADLINE_S = 3 * HEARTBEAT_S + 5  # a heartbeat or two late on a loaded machine


def family_name(pair: Pair, host: HostProcess, login: str) -> str | None:
    got = pair.client.get(pair.url(host, f"/Users/{login}"))
    return got.json()["name"]["familyName"] if got.status_code == 200 else None


def wait_for_family(pair: Pair, host: HostProcess, login: str, want: str, deadline: float) -> bool:
    end = time.monotonic() + deadline
    while True:  # a poll bounded by the deadline
        if family_name(pair, host, login) == want:
            return True
        if time.monotonic() > end:
            return False
        time.sleep(0.01)


def stored_logins(db_url: str) -> list[str]:
    engine = make_engine(db_url)
    quote = engine.dialect.identifier_preparer.quote
    with engine.connect() as conn:
        query = f"SELECT {quote('ContosoLogin')} FROM {quote('Employees')}"
        logins = list(conn.execute(text(query)).scalars())
    engine.dispose()
    return logins


@pytest.mark.parametrize("server", SERVERS)
def test_a_write_through_one_host_is_seen_by_the_other(
    tmp_path: Path, server: str, request: pytest.FixtureRequest
) -> None:
    db_url = request.getfixturevalue(server)
    create_employees_table(db_url)
    with two_hosts(tmp_path, db_url) as pair:
        created = pair.client.post(pair.url(pair.a), json=user("ada"))
        assert created.status_code == 201, created.text

        # B never saw it in an import: a miss asks the database, not 404.
        got = pair.client.get(pair.url(pair.b, "/Users/ada"))
        assert got.status_code == 200, got.text
        found = pair.client.get(pair.url(pair.b), params={"filter": 'userName eq "ada"'})
        assert found.json()["totalResults"] == 1

        # A PATCH through B reaches A's cache (A answers from its cache: it created the user).
        patch = {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "path": "name.familyName", "value": "Patched"}],
        }
        patched = pair.client.patch(pair.url(pair.b, "/Users/ada"), json=patch)
        assert patched.status_code == 200, patched.text
        assert wait_for_family(pair, pair.a, "ada", "Patched", FEED_DEADLINE_S)

        # A user created through B and never read through A: A's cache gets it from the feed
        # (a scan filter never reads through, so it answers from the cache alone).
        assert pair.client.post(pair.url(pair.b), json=user("bob", "Feed")).status_code == 201
        end = time.monotonic() + FEED_DEADLINE_S
        flt = {"filter": 'name.familyName eq "Feed"'}
        while pair.client.get(pair.url(pair.a), params=flt).json()["totalResults"] != 1:
            assert time.monotonic() < end, "bob never reached host A's cache"
            time.sleep(0.01)

        # A delete through A: gone from B at once.
        assert pair.client.delete(pair.url(pair.a, "/Users/bob")).status_code == 204
        end = time.monotonic() + FEED_DEADLINE_S
        while pair.client.get(pair.url(pair.b, "/Users/bob")).status_code != 404:
            assert time.monotonic() < end, "bob is still in host B's cache"
            time.sleep(0.01)

        # Both hosts are in the registry: status shows it as of the last heartbeat, so a host
        # that registered after this one's last beat appears within one more.
        end = time.monotonic() + REGISTRY_DEADLINE_S
        while True:
            status = json.loads(ecmactl(pair.home, "host", "status", "--json").stdout)
            hosts = status["cluster"]["connectors"]["SQL"]["hosts"]
            if len([h for h in hosts if h["live"]]) == 2:
                break
            assert time.monotonic() < end, f"the registry never showed both hosts: {hosts}"
            time.sleep(0.2)
        assert {h["address"] for h in hosts} == {f"localhost:{p.port}" for p in (pair.a, pair.b)}
        assert {h["role"] for h in hosts} == {"active"}
        assert [h["this_host"] for h in hosts].count(True) == 1
        text_status = ecmactl(pair.home, "host", "status").stdout
        assert "Cluster: SQL: 2 live host(s)" in " ".join(text_status.split())
    assert "created ecmactl_hosts" in pair.a.log or "created ecmactl_hosts" in pair.b.log


@pytest.mark.parametrize("server", SERVERS)
def test_concurrent_creates_through_both_hosts_give_one_201_and_one_409(
    tmp_path: Path, server: str, request: pytest.FixtureRequest
) -> None:
    db_url = request.getfixturevalue(server)
    create_employees_table(db_url, seed=False)
    logins = [f"twin{i:02d}" for i in range(20)]
    with two_hosts(tmp_path, db_url) as pair:
        statuses: dict[str, list[int]] = {login: [] for login in logins}
        lock = threading.Lock()
        start = threading.Barrier(2 * len(logins))

        def create(host: HostProcess, login: str) -> None:
            start.wait()
            answer = pair.client.post(pair.url(host), json=user(login))
            with lock:
                statuses[login].append(answer.status_code)

        threads = [
            threading.Thread(target=create, args=(host, login))
            for login in logins
            for host in (pair.a, pair.b)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        for login in logins:
            assert sorted(statuses[login]) == [201, 409], (login, statuses[login])
            for host in (pair.a, pair.b):
                assert pair.client.get(pair.url(host, f"/Users/{login}")).status_code == 200
    assert sorted(stored_logins(db_url)) == logins


@pytest.mark.postgres
def test_the_feed_converges_after_its_database_session_is_killed(
    tmp_path: Path, postgres_url: str
) -> None:
    create_employees_table(postgres_url)
    with two_hosts(tmp_path, postgres_url) as pair:
        assert pair.client.post(pair.url(pair.a), json=user("kim", "Before")).status_code == 201
        assert pair.client.get(pair.url(pair.b, "/Users/kim")).status_code == 200  # B caches it

        admin = make_engine(postgres_url)
        with admin.connect() as conn:  # every session of both hosts, listeners included
            killed = conn.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar()
        admin.dispose()
        assert killed and killed >= 2

        patch = {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "path": "name.familyName", "value": "After"}],
        }
        end = time.monotonic() + RECOVERY_DEADLINE_S
        while True:  # a client retries a 503 as Entra does; bounded by the deadline
            answer = pair.client.patch(pair.url(pair.a, "/Users/kim"), json=patch)
            if answer.status_code != 503 or time.monotonic() > end:
                break
            time.sleep(0.1)
        assert answer.status_code == 200, answer.text
        assert wait_for_family(pair, pair.b, "kim", "After", RECOVERY_DEADLINE_S), pair.b.log
    assert "listening again" in pair.b.log


def test_a_second_host_on_one_sqlite_file_refuses_to_start(tmp_path: Path) -> None:
    first = tmp_path / "first"
    init_sample(first)
    database = next((first / "data").glob("*.db"))
    second = tmp_path / "second"
    init_on_database(second, f"sqlite:///{database}")
    with HostProcess(first, free_port()) as host:
        host.wait_ready()
        other = HostProcess(second, free_port())
        code = other.proc.wait(timeout=30)
        other.stop()
        assert code != 0
        lines = [line for line in other.log.splitlines() if "SQLite" in line]
        assert lines and "another ecmactl host serves the SQLite database" in lines[0], other.log
        assert str(first) in lines[0]
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"https://localhost:{other.port}/health", verify=False)


@pytest.mark.parametrize("server", SERVERS)
def test_entra_initial_cycle_through_two_hosts_never_misses_a_created_user(
    tmp_path: Path, server: str, request: pytest.FixtureRequest
) -> None:
    """Two Entra agents run the initial cycle over the same users at once, each matching
    (GET by filter) through one host and creating (POST) through the other: a GET that starts
    after a create was acknowledged always finds the user, and the table holds each user once."""
    db_url = request.getfixturevalue(server)
    create_employees_table(db_url, seed=False)
    logins = [f"cycle{i:02d}" for i in range(30)]
    created_at: dict[str, float] = {}
    wrong: list[str] = []
    lock = threading.Lock()
    with two_hosts(tmp_path, db_url) as pair:

        def agent(match: HostProcess, create: HostProcess, order: list[str]) -> None:
            for login in order:
                asked = time.monotonic()
                found = pair.client.get(
                    pair.url(match), params={"filter": f'userName eq "{login}"'}
                ).json()["totalResults"]
                with lock:
                    if not found and created_at.get(login, asked) < asked:
                        wrong.append(f"{login}: not found after its create")
                if found:
                    continue
                answer = pair.client.post(pair.url(create), json=user(login))
                with lock:
                    if answer.status_code == 201:
                        created_at.setdefault(login, time.monotonic())
                    elif answer.status_code != 409:
                        wrong.append(f"{login}: POST {answer.status_code} {answer.text}")

        agents = [
            threading.Thread(target=agent, args=(pair.a, pair.b, logins)),
            threading.Thread(target=agent, args=(pair.b, pair.a, logins[::-1])),
        ]
        for thread in agents:
            thread.start()
        for thread in agents:
            thread.join(timeout=120)
    assert not wrong, wrong
    assert sorted(created_at) == logins
    assert sorted(stored_logins(db_url)) == logins
