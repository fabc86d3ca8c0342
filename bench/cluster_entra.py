"""Entra's initial cycle for 10,000 users through one host vs two hosts on one database.

The cycle is ``bench/entra_cycle.py``'s (``bench/wrk/entra.lua``: per user, ``GET
/Users?filter=userName eq "<user>"``, a miss, then ``POST /Users``; every answer checked),
against a PostgreSQL and/or MariaDB database (servers named by ECMACTL_TEST_POSTGRES_URL /
ECMACTL_TEST_MARIADB_URL; each run makes and drops its own database):

- **one host** (the floor, same run, same database): host A alone, ``--clients`` connections.
  Measured once A has been alone for longer than the registry's stale time, as a host that runs
  alone is (a lone host answers a miss from its cache: ``ClusterMember.alone``).
- **two hosts**: A and B (B's home from A's bundle) both live; one wrk per host, each with half
  the connections and half the users (split by user: the topology of two Entra agents, each
  with its own local host). Every miss on either host now asks the database (the read-through
  that keeps another host's fresh create from being answered "not found").

wrk drives one host per connection, so a user's GET and POST cannot go through different hosts
here; that pattern is checked for correctness by ``tests/host/test_cluster_live.py``. Between
runs the run's rows are deleted, so every run starts from the same table. Both hosts share this
machine's cores with wrk and the database: the ratio shows what the second host and the
read-through cost, not what a second machine would add. On PostgreSQL a case-insensitive miss
compares ``lower(column)``, a scan of the table unless it has an index on ``lower(column)``
(``--lower-index`` creates one, as a DBA would; ecmactl never changes the user's table).

Run:  .venv/bin/python bench/cluster_entra.py [--database postgresql|mariadb|both]
      [--cycle-users 10000] [--clients 4] [--runs 3] [--lower-index]
Exit: 0 every answer and row right · 1 a wrong answer or missing rows · 2 could not measure.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import _harness as h  # noqa: E402
from cluster_feed import DEFAULTS, ENV, Database, feed  # noqa: E402
from clusterkit import second_home  # noqa: E402
from hostproc import HostProcess, free_port, init_on_database, read_token  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from ecmactl.cluster.registry import HEARTBEAT_S, STALE_S  # noqa: E402


def cycle(
    hosts: list[HostProcess], db_url: str, args: argparse.Namespace, token: str, prefix: str
) -> dict[str, Any]:
    """One cycle, the users split over ``hosts`` (one wrk each); the run's rows deleted after."""
    per_host = args.clients // len(hosts)
    results: list[dict[str, Any]] = [{} for _ in hosts]
    errors: list[BaseException] = []

    def drive(part: int) -> None:
        try:
            results[part] = h.run_wrk(
                "entra.lua",
                hosts[part].port,
                h.USERS,
                connections=per_host,
                threads=per_host,
                duration=900,
                args=[
                    token,
                    str(args.cycle_users),
                    prefix,
                    str(per_host),
                    str(part),
                    str(len(hosts)),
                ],
                stop_after_threads=True,
            )
        except BaseException as exc:
            errors.append(exc)

    meter = h.CpuMeter([host.proc.pid for host in hosts])
    drivers = [threading.Thread(target=drive, args=(i,)) for i in range(len(hosts))]
    for t in drivers:
        t.start()
    for t in drivers:
        t.join()
    cpu = meter.stop()
    if errors:
        raise h.BenchError(str(errors[0]))
    threads = [t for r in results for t in r["threads"]]
    if len(threads) != per_host * len(hosts):
        raise h.BenchError(f"only {len(threads)} clients finished")
    engine = create_engine(db_url)
    pattern = {"p": prefix + "%"}
    with engine.begin() as conn:
        rows = conn.execute(
            text('SELECT COUNT(*) FROM "Employees" WHERE "ContosoLogin" LIKE :p')
            if engine.dialect.name == "postgresql"
            else text("SELECT COUNT(*) FROM Employees WHERE ContosoLogin LIKE :p"),
            pattern,
        ).scalar_one()
        conn.execute(
            text('DELETE FROM "Employees" WHERE "ContosoLogin" LIKE :p')
            if engine.dialect.name == "postgresql"
            else text("DELETE FROM Employees WHERE ContosoLogin LIKE :p"),
            pattern,
        )
    engine.dispose()
    misses = sum(int(t["misses"]) for t in threads)
    created = sum(int(t["created"]) for t in threads)
    unexpected = sum(int(t["unexpected"]) for t in threads)
    correct = misses == created == rows == args.cycle_users and unexpected == 0
    if not correct:
        problems = " ".join(str(t["problems"]) for t in threads)
        print(f"<!-- {prefix}: {misses} misses, {created} 201s, {rows} rows: {problems[:1500]} -->")
    return {
        "seconds": max(t["last"] for t in threads) - min(t["first"] for t in threads),
        "correct": correct,
        "p99_ms": max(r["p99_ms"] for r in results),
        "cpu": cpu,
    }


def live_hosts(home: Path) -> int:
    return sum(1 for host in feed(home)["hosts"] if host["live"])


def wait_for(condition: Any, deadline: float, what: str) -> None:
    end = time.monotonic() + deadline
    while not condition():
        if time.monotonic() > end:
            raise h.BenchError(f"timed out waiting for {what}")
        time.sleep(0.5)  # a poll interval, bounded by the deadline


def run_one(dialect: str, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    server = os.environ.get(ENV[dialect]) or DEFAULTS[dialect]
    one: list[dict[str, Any]] = []
    two: list[dict[str, Any]] = []
    with Database(server) as db:
        home_a, home_b = work / f"{dialect}-a", work / f"{dialect}-b"
        if args.lower_index and db.postgres:  # what a DBA adds for case-insensitive lookups
            engine = create_engine(db.url)
            with engine.begin() as conn:
                conn.exec_driver_sql('CREATE INDEX ON "Employees" (lower("ContosoLogin"))')
            engine.dispose()
        init_on_database(home_a, db.url)
        second_home(home_a, home_b)
        token = read_token(home_a)
        with HostProcess(home_a, free_port()) as a:
            a.wait_ready(60)
            began = time.monotonic()
            wait_for(lambda: feed(home_a)["enabled"], 60, "host A to join")
            # A lone host skips the read-through STALE_S after it joined (its steady state).
            time.sleep(max(0.0, STALE_S + HEARTBEAT_S - (time.monotonic() - began)))
            for i in range(args.runs):
                one.append(cycle([a], db.url, args, token, f"one{i}-"))
                print(f"<!-- {dialect} one host, run {i + 1}: {one[-1]['seconds']:.2f} s -->",
                      file=sys.stderr)  # fmt: skip
            with HostProcess(home_b, free_port()) as b:
                b.wait_ready(60)
                wait_for(
                    lambda: live_hosts(home_a) == 2 and live_hosts(home_b) == 2,
                    60,
                    "both hosts to see each other",
                )
                for i in range(args.runs):
                    two.append(cycle([a, b], db.url, args, token, f"two{i}-"))
                    print(f"<!-- {dialect} two hosts, run {i + 1}: {two[-1]['seconds']:.2f} s -->",
                          file=sys.stderr)  # fmt: skip
    return {"dialect": dialect, "one": one, "two": two}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["postgresql", "mariadb", "both"], default="both")
    parser.add_argument("--cycle-users", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=4, help="split evenly over the hosts")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--lower-index",
        action="store_true",
        help='PostgreSQL: index lower("ContosoLogin") first, as a DBA would for the read-through',
    )
    args = parser.parse_args()
    if args.clients < 2 or args.clients % 2:
        parser.error("--clients must be even (half of them per host)")
    dialects = ["postgresql", "mariadb"] if args.database == "both" else [args.database]
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    h.require_wrk()
    try:
        with tempfile.TemporaryDirectory(prefix="ecmactl-cluster-entra-") as scratch:
            results = [run_one(d, args, Path(scratch)) for d in dialects]
    except (h.BenchError, AssertionError) as exc:
        print(f"cluster_entra: could not measure: {exc}", file=sys.stderr)
        return 2
    rows, notes = [], []
    ok = True
    for r in results:
        one = h.median([x["seconds"] for x in r["one"]])
        two = h.median([x["seconds"] for x in r["two"]])
        correct = all(x["correct"] for x in r["one"] + r["two"])
        ok = ok and correct
        rows.append(
            h.row(
                f"Entra initial cycle on {r['dialect']}: {args.cycle_users:,} x (GET filter miss "
                f"+ POST), {args.clients} clients, two hosts (half the users each)",
                "(info)",
                f"{two:.2f} s ({h.fmt_runs([x['seconds'] for x in r['two']])}); "
                f"{2 * args.cycle_users / two:,.0f} req/s; all answers and rows right: "
                f"{'yes' if correct else '**NO**'}",
                f"one host {one:.2f} s ({h.fmt_runs([x['seconds'] for x in r['one']])}); "
                f"{2 * args.cycle_users / one:,.0f} req/s",
                f"{two / one:.2f}x the time",
                correct,
            )
        )
        for label in ("one", "two"):
            cpu = r[label]
            notes.append(
                f"<!-- {r['dialect']} {label} host(s): hosts "
                f"{h.median([x['cpu']['server_cores'] for x in cpu]):.2f} cores, wrk "
                f"{h.median([x['cpu']['client_cores'] for x in cpu]):.2f} cores, others (the "
                f"database among them) at most {max(x['cpu']['others_cores'] for x in cpu):.2f}"
                " cores -->"
            )
    return h.report(rows, ok, notes)


if __name__ == "__main__":
    sys.exit(main())
