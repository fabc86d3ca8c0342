"""Two hosts on one database: change-feed lag under write load, and the cost of a read-through.

What it measures, on PostgreSQL and/or MariaDB (servers named by ECMACTL_TEST_POSTGRES_URL /
ECMACTL_TEST_MARIADB_URL, as the tests use; each run makes and drops its own database):

- **feed lag**: host A takes ``POST /Users`` from ``--writers`` keep-alive HTTPS clients for
  ``--duration`` seconds; host B reports, per change it applied, the time from the writer's
  clock inside the write transaction to the row being in B's cache (``host status --json``,
  ``cluster.connectors.SQL.feed_lag_ms``: p50/p99 over its last 10,000 changes). Checked: B
  applied every create (its counter equals the 201 answers).
- **floor** (same run, same database server): what the database itself needs to deliver a
  change, with no ecmactl in between. PostgreSQL: ``NOTIFY`` on one psycopg connection to
  ``LISTEN`` on another, at the same rate. MariaDB: ``INSERT`` + ``COMMIT`` of a log row to a
  reader polling it without pause.
- **read-through**: ``GET /Users/{id}`` through host B, sequentially on one connection, for a
  cached user (hit: the floor), a missing id asked again (the negative cache answers), and a
  new missing id each time (one indexed ``SELECT``); the same for ``filter=userName eq``.

Run:  .venv/bin/python bench/cluster_feed.py [--database postgresql|mariadb|both]
      [--writers 8] [--duration 10] [--append]
Exit: 0 measured (p99 lag within the 1 s target) · 1 target missed or a change not applied ·
2 could not measure. ``--append`` adds the Markdown section to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "tests"))
sys.path.insert(0, str(BENCH.parent / "tests" / "host"))
import _harness as h  # noqa: E402
import httpx  # noqa: E402
from clusterkit import second_home, user  # noqa: E402
from hostproc import HostProcess, ecmactl, free_port, init_on_database, read_token  # noqa: E402
from sqlalchemy import create_engine, make_url, text  # noqa: E402

TARGET_P99_MS = 1000.0
ENV = {"postgresql": "ECMACTL_TEST_POSTGRES_URL", "mariadb": "ECMACTL_TEST_MARIADB_URL"}
DEFAULTS = {
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
    "mariadb": "mysql+pymysql://root@127.0.0.1:3306/test",
}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


class Database:
    """A fresh database on the server, dropped on exit."""

    def __init__(self, server: str) -> None:
        self.server = make_url(server)
        self.postgres = self.server.get_backend_name() == "postgresql"
        self.name = f"ecmactl_bench_{secrets.token_hex(4)}"
        admin_url = self.server if self.postgres else self.server._replace(database=None)
        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.url = self.server.set(database=self.name).render_as_string(hide_password=False)

    def __enter__(self) -> Database:
        suffix = "" if self.postgres else " CHARACTER SET utf8mb4"
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {self.name}{suffix}")
        from db_fixtures import create_employees_table

        create_employees_table(self.url, seed=False)
        return self

    def __exit__(self, *exc: object) -> None:
        force = " WITH (FORCE)" if self.postgres else ""
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {self.name}{force}")
        self.admin.dispose()


def status(home: Path) -> dict[str, Any]:
    done = ecmactl(home, "host", "status", "--json", timeout=30)
    return json.loads(done.stdout)


def feed(home: Path) -> dict[str, Any]:
    return status(home)["cluster"]["connectors"]["SQL"]


def write_load(
    port: int, cafile: Path, token: str, writers: int, duration: float
) -> tuple[int, float]:
    """Creates through one host from ``writers`` threads; (201 answers, seconds)."""
    created = [0] * writers
    failed: list[str] = []
    end = time.monotonic() + duration
    verify = ssl.create_default_context(cafile=str(cafile))

    def run(slot: int) -> None:
        url = f"https://localhost:{port}/ecma2host_SQL/scim/Users"
        with httpx.Client(verify=verify, timeout=30) as client:
            client.headers["Authorization"] = f"Bearer {token}"
            n = 0
            while time.monotonic() < end:
                answer = client.post(url, json=user(f"load-{slot}-{n}"))
                n += 1
                if answer.status_code == 201:
                    created[slot] += 1
                else:
                    failed.append(f"{answer.status_code} {answer.text[:200]}")

    began = time.monotonic()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failed:
        raise h.BenchError(f"{len(failed)} creates failed, first: {failed[0]}")
    return sum(created), time.monotonic() - began


def wait_applied(home: Path, expected: int, deadline: float = 30.0) -> dict[str, Any]:
    end = time.monotonic() + deadline
    while True:
        state = feed(home)
        if state["changes_applied"] >= expected or time.monotonic() > end:
            return state
        time.sleep(0.2)


def floor_postgres(url: str, count: int, rate: float) -> list[float]:
    """NOTIFY → LISTEN latency of a bare psycopg pair, ``count`` messages at ``rate``/s."""
    import psycopg

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    listener = psycopg.connect(conninfo, autocommit=True)
    sender = psycopg.connect(conninfo, autocommit=True)
    listener.execute("LISTEN ecmactl_bench_floor")
    lags: list[float] = []

    def listen() -> None:
        for notice in listener.notifies(timeout=count / rate + 10, stop_after=count):
            lags.append(time.time() - float(notice.payload))

    reader = threading.Thread(target=listen)
    reader.start()
    for _ in range(count):
        sender.execute("SELECT pg_notify('ecmactl_bench_floor', %s)", (repr(time.time()),))
        time.sleep(1 / rate)
    reader.join()
    listener.close()
    sender.close()
    return lags


def floor_mariadb(url: str, count: int, rate: float) -> list[float]:
    """INSERT + COMMIT of a log row → seen by a reader polling without pause."""
    engine = create_engine(url, pool_size=2)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE bench_floor (id BIGINT AUTO_INCREMENT PRIMARY KEY, w DOUBLE)"
        )
    lags: list[float] = []
    done = threading.Event()

    def poll() -> None:
        last = 0
        while not done.is_set() or len(lags) < count:
            with engine.connect() as conn:
                rows = conn.execute(
                    text("SELECT id, w FROM bench_floor WHERE id > :last ORDER BY id"),
                    {"last": last},
                ).all()
            now = time.time()
            for ident, written in rows:
                lags.append(now - written)
                last = ident
            if done.is_set() and len(lags) >= count:
                return

    reader = threading.Thread(target=poll)
    reader.start()
    with engine.connect() as conn:
        for _ in range(count):
            conn.execute(text("INSERT INTO bench_floor (w) VALUES (:w)"), {"w": time.time()})
            conn.commit()
            time.sleep(1 / rate)
    done.set()
    reader.join(timeout=30)
    engine.dispose()
    return lags


def latency(call: Callable[[int], httpx.Response], n: int, want: int) -> float:
    """Median ms of ``n`` sequential calls (each must answer ``want``)."""
    for i in range(20):  # warm-up: connection, TLS session, first renderings
        call(n + i)
    samples = []
    for i in range(n):
        began = time.perf_counter()
        answer = call(i)
        samples.append((time.perf_counter() - began) * 1000)
        if answer.status_code != want:
            raise h.BenchError(f"expected {want}, got {answer.status_code}: {answer.text[:200]}")
    return statistics.median(samples)


def read_through(port: int, cafile: Path, token: str, n: int = 400) -> dict[str, float]:
    base = f"https://localhost:{port}/ecma2host_SQL/scim/Users"
    verify = ssl.create_default_context(cafile=str(cafile))
    with httpx.Client(verify=verify, timeout=30) as c:
        c.headers["Authorization"] = f"Bearer {token}"
        by = "userName eq"
        return {
            "hit": latency(lambda i: c.get(f"{base}/load-0-{i % 50}"), n, 200),
            "miss (negative cache)": latency(lambda i: c.get(f"{base}/absent"), n, 404),
            "miss (database)": latency(lambda i: c.get(f"{base}/new-{i}"), n, 404),
            "filter hit": latency(
                lambda i: c.get(base, params={"filter": f'{by} "load-0-{i % 50}"'}), n, 200
            ),
            "filter miss (database)": latency(
                lambda i: c.get(base, params={"filter": f'{by} "nobody-{i}"'}), n, 200
            ),
        }


def run_one(dialect: str, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    server = os.environ.get(ENV[dialect]) or DEFAULTS[dialect]
    with Database(server) as db:
        home_a, home_b = work / f"{dialect}-a", work / f"{dialect}-b"
        init_on_database(home_a, db.url)
        second_home(home_a, home_b)
        cafile = home_a / "certs" / "server.crt"
        token = read_token(home_a)
        with HostProcess(home_a, free_port()) as a, HostProcess(home_b, free_port()) as b:
            a.wait_ready(60)
            b.wait_ready(60)
            created, seconds = write_load(a.port, cafile, token, args.writers, args.duration)
            state = wait_applied(home_b, created)
            reads = read_through(b.port, cafile, token)
        rate = created / seconds
        count = min(max(created, 200), 2000)
        floors = (floor_postgres if db.postgres else floor_mariadb)(db.url, count, rate)
    lag = state["feed_lag_ms"]
    return {
        "dialect": dialect,
        "created": created,
        "rate": rate,
        "applied": state["changes_applied"],
        "lag_p50": lag["p50"],
        "lag_p99": lag["p99"],
        "lag_max": lag["max"],
        "floor_p50": statistics.median(floors) * 1000,
        "floor_p99": pct(floors, 0.99) * 1000,
        "reads": reads,
    }


def markdown(results: list[dict[str, Any]], args: argparse.Namespace) -> str:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=BENCH
    ).stdout.strip()
    lines = [
        f"## Cluster change feed and read-through (issue #10, `bench/cluster_feed.py`), "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit {commit}",
        "",
        h.machine_line(),
        "",
        f"Two hosts on one database; {args.writers} HTTPS clients create users through host A "
        f"for {args.duration:.0f} s; host B's cache lag per change (writer's clock in the "
        "transaction → row in B's cache); floor: the database's own delivery at the same rate "
        "(PostgreSQL NOTIFY→LISTEN, MariaDB INSERT+COMMIT→tight poll). Target: p99 ≤ 1,000 ms.",
        "",
        "| database | creates/s via A | applied by B | lag p50 / p99 / max (ms) "
        "| floor p50 / p99 (ms) | p99 ÷ floor p99 |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        ratio = r["lag_p99"] / r["floor_p99"] if r["floor_p99"] else float("nan")
        lines.append(
            f"| {r['dialect']} | {r['rate']:.0f} | {r['applied']:,} of {r['created']:,} | "
            f"{r['lag_p50']} / {r['lag_p99']} / {r['lag_max']} | "
            f"{r['floor_p50']:.1f} / {r['floor_p99']:.1f} | {ratio:.1f}× |"
        )
    lines += [
        "",
        "Read-through on host B (median ms of 400 sequential requests on one connection; "
        "the hit is the floor):",
        "",
        "| database | " + " | ".join(results[0]["reads"]) + " |",
        "|---|" + "---|" * len(results[0]["reads"]),
    ]
    for r in results:
        hit = r["reads"]["hit"]
        cells = [f"{v:.2f} ({v / hit:.2f}×)" for v in r["reads"].values()]
        lines.append(f"| {r['dialect']} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["postgresql", "mariadb", "both"], default="both")
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--append", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args()
    dialects = ["postgresql", "mariadb"] if args.database == "both" else [args.database]
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    try:
        with tempfile.TemporaryDirectory(prefix="ecmactl-cluster-bench-") as scratch:
            results = [run_one(d, args, Path(scratch)) for d in dialects]
    except (h.BenchError, AssertionError) as exc:
        print(f"cluster_feed: could not measure: {exc}", file=sys.stderr)
        return 2
    text_out = markdown(results, args)
    print(text_out)
    if args.append:
        with (BENCH / "RESULTS.md").open("a") as out:
            out.write("\n" + text_out)
    ok = all(r["lag_p99"] is not None and r["lag_p99"] <= TARGET_P99_MS for r in results)
    ok = ok and all(r["applied"] >= r["created"] for r in results)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
