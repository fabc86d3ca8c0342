"""Active/standby with the writer lease, on real PostgreSQL and MariaDB with real host
subprocesses (one pair per database, a 1.5 s lease so a takeover takes ~2 s):

host A (no flag, its database through a TCP proxy) and host B (--standby) share one table.
In order: writes through the standby get 503 + Retry-After; `agent failover` on A's home under
continuous writes moves the lease to B with no request failing beyond 503s a retry resolves;
`agent failover` on A's home (now a standby) takes it back; the database cut for A (proxy
stopped) makes A stop writing and B take over; SIGSTOP of B lets A take over, and after
SIGCONT B's next write is 503 and never committed; `kill -9` of the active under writes: B
accepts writes and every acknowledged write is in the database. Last, `agent failover
--active-active` ends lease mode (refused on the host started with --standby).
"""

from __future__ import annotations

import json
import signal
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from clusterkit import second_home, user
from db_fixtures import TcpProxy, create_employees_table
from hostproc import HostProcess, ecmactl, free_port, init_on_database, read_token
from sqlalchemy import text

from ecmactl.sql.connect import make_engine

pytestmark = pytest.mark.slow
SERVERS = [
    pytest.param("postgres_url", marks=pytest.mark.postgres, id="postgresql"),
    pytest.param("mariadb_url", marks=pytest.mark.mariadb, id="mariadb"),
]
TTL = "1.5"
TAKEOVER_DEADLINE_S = 15.0  # the lease (1.5 s) and a tick, with room for a loaded machine


@dataclass
class Cluster:
    a: HostProcess
    b: HostProcess
    home_a: Path
    home_b: Path
    client: httpx.Client
    db_url: str

    def url(self, host: HostProcess, path: str = "/Users") -> str:
        return f"https://localhost:{host.port}/ecma2host_SQL/scim{path}"

    def post(self, host: HostProcess, login: str) -> httpx.Response:
        return self.client.post(self.url(host), json=user(login))


@dataclass
class Load:
    """Creates users one after another until stopped, through ``first`` and on a 503 or a
    dead host through the other, retrying each user until a host acknowledges it."""

    cluster: Cluster
    prefix: str
    acknowledged: list[str] = field(default_factory=list)
    retried_503: int = 0
    failures: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self, first: HostProcess) -> threading.Thread:
        thread = threading.Thread(target=self._loop, args=(first,), daemon=True)
        thread.start()
        return thread

    def _loop(self, host: HostProcess) -> None:
        c = self.cluster
        other = {id(c.a): c.b, id(c.b): c.a}
        i = 0
        while not self.stop.is_set():
            login = f"{self.prefix}{i}"
            deadline = time.monotonic() + TAKEOVER_DEADLINE_S
            while True:
                try:
                    got = c.post(host, login)
                    status = got.status_code
                except httpx.TransportError:
                    status = 0  # the host is gone (kill -9): a client retries elsewhere
                if status == 201 or (status == 409 and i > 0):
                    # 409: an earlier attempt committed but its answer was lost with the host
                    if status == 201:
                        self.acknowledged.append(login)
                    break
                if status not in (0, 503):
                    self.failures.append(f"{login}: {status} {got.text}")
                    break
                if time.monotonic() > deadline:
                    self.failures.append(f"{login}: no host accepted it in time")
                    return
                self.retried_503 += status == 503
                host = other[id(host)]
                time.sleep(0.05)  # a client's retry pause, bounded by the deadline
            i += 1


def _until(check: Callable[[], bool], what: str, deadline: float = TAKEOVER_DEADLINE_S) -> None:
    end = time.monotonic() + deadline
    while not check():
        assert time.monotonic() < end, f"timed out: {what}"
        time.sleep(0.05)


def _stored(db_url: str, logins: list[str]) -> set[str]:
    engine = make_engine(db_url)
    quote = engine.dialect.identifier_preparer.quote
    with engine.connect() as conn:
        query = f"SELECT {quote('ContosoLogin')} FROM {quote('Employees')}"
        found = set(conn.execute(text(query)).scalars())
    engine.dispose()
    return found & set(logins)


def _accepts(cluster: Cluster, host: HostProcess, login: str) -> Callable[[], bool]:
    def check() -> bool:
        try:
            return cluster.post(host, login).status_code == 201
        except httpx.TransportError:
            return False

    return check


@pytest.mark.parametrize("server", SERVERS)
def test_active_standby_failover_and_fencing(
    tmp_path: Path, server: str, request: pytest.FixtureRequest
) -> None:
    db_url = request.getfixturevalue(server)
    create_employees_table(db_url, seed=False)
    home_a, home_b = tmp_path / "home-a", tmp_path / "home-b"
    with TcpProxy.to(db_url) as proxy:
        through_proxy = proxy.url_through(db_url)
        init_on_database(home_a, through_proxy)
        second_home(home_a, home_b)
        connector_file = home_b / "connectors" / "SQL.toml"
        config = connector_file.read_text()
        assert through_proxy in config
        connector_file.write_text(config.replace(through_proxy, db_url))  # B: no proxy
        verify = ssl.create_default_context(cafile=str(home_a / "certs" / "server.crt"))
        with HostProcess(home_a, free_port(), "--lease-ttl", TTL) as a:
            a.wait_ready()  # active-active, alone, until B switches the lease on
            b = HostProcess(home_b, free_port(), "--standby", "--lease-ttl", TTL)
            client = httpx.Client(verify=verify, timeout=20)
            with b, client:
                b.wait_ready()
                client.headers["Authorization"] = f"Bearer {read_token(home_a)}"
                cluster = Cluster(a, b, home_a, home_b, client, db_url)
                _standby_refuses_writes(cluster)
                _failover_under_load(cluster)
                _failover_from_a_standby_takes_the_lease(cluster)
                _database_cut_for_the_active(cluster, proxy)
                _paused_active_is_fenced(cluster)
                _kill_9_of_the_active_under_load(cluster)
                with HostProcess(home_a, free_port(), "--lease-ttl", TTL) as again:
                    again.wait_ready()  # A restarted (it joins as a standby)
                    cluster.a = again
                    _back_to_active_active(cluster)


def _standby_refuses_writes(c: Cluster) -> None:
    _until(_accepts(c, c.a, "first"), "host A to take the fresh lease")
    refused = c.post(c.b, "through-standby")
    assert refused.status_code == 503, refused.text
    assert refused.headers["retry-after"] == "5"
    assert refused.json()["status"] == "503" and "standby" in refused.json()["detail"]
    patch = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "name.familyName", "value": "X"}],
    }
    assert c.client.patch(c.url(c.b, "/Users/first"), json=patch).status_code == 503
    assert c.client.delete(c.url(c.b, "/Users/first")).status_code == 503
    assert c.client.get(c.url(c.b, "/Users/first")).status_code == 200  # reads are served
    assert _stored(c.db_url, ["through-standby", "first"]) == {"first"}
    assert "standing by" in c.b.log
    status = ecmactl(c.home_b, "host", "status", "--json")
    assert status.returncode == 30, status.stdout  # a healthy standby
    entry = json.loads(status.stdout)["cluster"]["connectors"]["SQL"]
    assert entry["role"] == "standby"
    assert entry["lease"]["holder_address"] == f"localhost:{c.a.port}" and entry["lease"]["held"]
    assert "this host: standby" in " ".join(ecmactl(c.home_b, "host", "status").stdout.split())
    assert ecmactl(c.home_a, "agent", "status").returncode == 0  # the active one is healthy
    probe = ecmactl(c.home_b, "agent", "test-connection", "--url", c.url(c.b, ""))
    assert probe.returncode == 0 and "STANDBY" in probe.stdout, probe.stdout


def _failover_under_load(c: Cluster) -> None:
    load = Load(c, "fo-")
    thread = load.run(c.a)
    _until(lambda: len(load.acknowledged) >= 5, "writes before the failover")
    done = ecmactl(c.home_a, "agent", "failover", "--json")
    assert done.returncode == 0, done.stderr
    moved = json.loads(done.stdout)["connectors"]["SQL"]
    assert moved["action"] == "handed" and moved["to_address"] == f"localhost:{c.b.port}"
    count = len(load.acknowledged)
    _until(lambda: len(load.acknowledged) >= count + 5, "writes after the failover")
    load.stop.set()
    thread.join(30)
    assert load.failures == []
    assert _stored(c.db_url, load.acknowledged) == set(load.acknowledged)
    assert c.post(c.a, "a-after-failover").status_code == 503
    assert c.post(c.b, "b-after-failover").status_code == 201


def _failover_from_a_standby_takes_the_lease(c: Cluster) -> None:
    done = ecmactl(c.home_a, "agent", "failover")
    assert done.returncode == 0, done.stderr
    assert "took the writer lease" in done.stdout
    assert c.post(c.a, "a-took-it").status_code == 201
    _until(lambda: c.post(c.b, "b-fenced").status_code == 503, "B to stand by")
    assert _stored(c.db_url, ["b-fenced"]) == set()


def _database_cut_for_the_active(c: Cluster, proxy: TcpProxy) -> None:
    proxy.stop()
    try:
        assert c.post(c.a, "a-cut").status_code == 503
        _until(_accepts(c, c.b, "b-took-over"), "B to take over from the cut-off host")
        assert _stored(c.db_url, ["a-cut"]) == set()
    finally:
        proxy.start()
    _until(lambda: c.post(c.a, "a-back").status_code == 503, "A to stand by once back")
    _until(lambda: "lost the writer lease" in c.a.log, "A to log that it lost the lease")


def _paused_active_is_fenced(c: Cluster) -> None:
    c.b.proc.send_signal(signal.SIGSTOP)
    try:
        _until(_accepts(c, c.a, "a-while-b-paused"), "A to take over from the paused host")
    finally:
        c.b.proc.send_signal(signal.SIGCONT)
    late = c.post(c.b, "b-after-pause")
    assert late.status_code == 503, late.text
    assert _stored(c.db_url, ["b-after-pause"]) == set()


def _kill_9_of_the_active_under_load(c: Cluster) -> None:
    load = Load(c, "kill-")
    thread = load.run(c.a)
    _until(lambda: len(load.acknowledged) >= 5, "writes before the kill")
    c.a.proc.kill()
    c.a.proc.wait(10)
    count = len(load.acknowledged)
    _until(lambda: len(load.acknowledged) >= count + 5, "writes through the standby")
    load.stop.set()
    thread.join(30)
    assert load.failures == []
    assert _stored(c.db_url, load.acknowledged) == set(load.acknowledged)
    after = ecmactl(c.home_b, "host", "status", "--json")
    assert after.returncode == 0, after.stdout  # B holds the lease now: active, healthy
    entry = json.loads(after.stdout)["cluster"]["connectors"]["SQL"]
    assert entry["role"] == "active" and entry["lease"]["holder_address"] == f"localhost:{c.b.port}"
    # A's registry row stays until its heartbeat is two beats old: then no standby is left.
    _until(lambda: _others_fresh(c.home_b) == 0, "A's heartbeat to age", deadline=30)
    alone = ecmactl(c.home_b, "agent", "failover")
    assert alone.returncode == 1 and "no standby host is live" in alone.stderr, alone.stderr
    assert "ecmactl host run --standby" in alone.stderr  # the fix
    gone = ecmactl(c.home_a, "agent", "failover")
    assert gone.returncode == 3 and "no host is running" in gone.stderr, gone.stderr


def _back_to_active_active(c: Cluster) -> None:
    refused = ecmactl(c.home_b, "agent", "failover", "--active-active")
    assert refused.returncode == 1 and "without --standby" in refused.stderr, refused.stderr
    done = ecmactl(c.home_a, "agent", "failover", "--active-active", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["connectors"]["SQL"]["action"] == "active-active"
    _until(_accepts(c, c.b, "b-active-active"), "B to write without the lease")
    assert c.post(c.a, "a-active-active").status_code == 201
    assert ecmactl(c.home_a, "agent", "failover").returncode == 1  # nothing to hand over


def _others_fresh(home: Path) -> int:
    status = json.loads(ecmactl(home, "host", "status", "--json").stdout)
    hosts = status["cluster"]["connectors"]["SQL"]["hosts"]
    return sum(1 for h in hosts if not h["this_host"] and h["heartbeat_age_s"] <= 7.0)
