"""Active/standby: how long after `kill -9` of the active host the standby accepts writes.

Two `ecmactl host run` on one PostgreSQL and/or MariaDB database (servers named by
ECMACTL_TEST_POSTGRES_URL / ECMACTL_TEST_MARIADB_URL, as the tests use; each run makes and
drops its own database): host A without a flag, host B with ``--standby``, both with
``--lease-ttl T``. Each round kills the active host with SIGKILL and times, from the kill, until
a ``POST /Users`` through the standby answers 201 (tried every 10 ms); the killed host is then
started again as a standby and the next round kills the new active one.

Floor, measured in the same run: the lease TTL itself (the standby may take the lease only once
it expired, by the database's clock: the holder's last renewal was up to TTL/5 before the kill,
the standby looks every TTL/5), and the database round trip (``SELECT 1``, median of 200).

Run:  .venv/bin/python bench/takeover.py [--database postgresql|mariadb|both]
      [--ttl 10 --ttl 1.5] [--runs 10]
Exit: 0 measured (every takeover within the 15 s target) · 1 a takeover missed it · 2 could not
measure. Prints Markdown rows for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import ssl
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "tests"))
sys.path.insert(0, str(BENCH.parent / "tests" / "host"))
import _harness as h  # noqa: E402
import httpx  # noqa: E402
from cluster_feed import DEFAULTS, ENV, Database  # noqa: E402
from clusterkit import second_home, user  # noqa: E402
from hostproc import HostProcess, ecmactl, free_port, init_on_database, read_token  # noqa: E402
from sqlalchemy import create_engine  # noqa: E402

TARGET_S = 15.0
POLL_S = 0.01


def round_trip_ms(url: str, count: int = 200) -> float:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1").all()
            times = []
            for _ in range(count):
                started = time.perf_counter()
                conn.exec_driver_sql("SELECT 1").all()
                times.append((time.perf_counter() - started) * 1000)
    finally:
        engine.dispose()
    return statistics.median(times)


def role(home: Path) -> str | None:
    done = ecmactl(home, "host", "status", "--json")
    try:
        entry = json.loads(done.stdout)["cluster"]["connectors"]["SQL"]
    except (ValueError, KeyError):
        return None
    return str(entry.get("role"))


def wait_for(check: object, what: str, deadline: float = 60.0) -> None:
    end = time.monotonic() + deadline
    while not check():  # type: ignore[operator]
        if time.monotonic() > end:
            raise RuntimeError(f"timed out: {what}")
        time.sleep(0.05)


def accepts(client: httpx.Client, port: int, login: str) -> bool:
    try:
        got = client.post(f"https://localhost:{port}/ecma2host_SQL/scim/Users", json=user(login))
    except httpx.TransportError:
        return False
    return got.status_code == 201


def measure(url: str, ttl: float, runs: int, scratch: Path) -> list[float]:
    home_a, home_b = scratch / "home-a", scratch / "home-b"
    init_on_database(home_a, url)
    second_home(home_a, home_b)
    verify = ssl.create_default_context(cafile=str(home_a / "certs" / "server.crt"))
    flags = ("--lease-ttl", str(ttl))
    with httpx.Client(verify=verify, timeout=30) as client:
        client.headers["Authorization"] = f"Bearer {read_token(home_a)}"
        active = HostProcess(home_a, free_port(), *flags)
        active.wait_ready(120)
        standby = HostProcess(home_b, free_port(), "--standby", *flags)
        standby.wait_ready(120)
        wait_for(lambda: accepts(client, active.port, "warm-up"), "the first active host")
        takeovers: list[float] = []
        try:
            for i in range(runs):
                wait_for(lambda s=standby: role(s.home) == "standby", "a standby")
                active.proc.kill()  # SIGKILL: no release, the lease must expire
                killed_at = time.monotonic()
                active.proc.wait()
                while not accepts(client, standby.port, f"r{i}"):
                    if time.monotonic() - killed_at > 4 * TARGET_S:
                        raise RuntimeError("the standby never took over")
                    time.sleep(POLL_S)
                takeovers.append(time.monotonic() - killed_at)
                print(f"  round {i + 1}: {takeovers[-1]:.2f} s", file=sys.stderr)
                active.stop()  # closes its log
                active, standby = (
                    standby,
                    HostProcess(active.home, free_port(), "--standby", *flags),
                )
                standby.wait_ready(120)
        finally:
            for host in (active, standby):
                host.stop(signal.SIGTERM)
    return takeovers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["postgresql", "mariadb", "both"], default="both")
    parser.add_argument("--ttl", type=float, action="append", help="seconds [10 and 1.5]")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    ttls = args.ttl or [10.0, 1.5]
    databases = ["postgresql", "mariadb"] if args.database == "both" else [args.database]
    rows = []
    missed = False
    for database in databases:
        server = os.environ.get(ENV[database], DEFAULTS[database])
        for ttl in ttls:
            with Database(server) as db, tempfile.TemporaryDirectory() as scratch:
                print(f"{database}, lease TTL {ttl} s:", file=sys.stderr)
                rtt = round_trip_ms(db.url)
                try:
                    times = measure(db.url, ttl, args.runs, Path(scratch))
                except RuntimeError as exc:
                    print(f"could not measure: {exc}", file=sys.stderr)
                    return 2
            median = statistics.median(times)
            missed |= max(times) > TARGET_S
            rows.append(
                f"| {database} | {ttl:g} s | {median:.2f} s | {min(times):.2f} s | "
                f"{max(times):.2f} s | {ttl:g} s (TTL) · {rtt:.2f} ms (SELECT 1) | "
                f"{median / ttl:.2f}× TTL |"
            )
    print(f"\n### Takeover after kill -9 (median of {args.runs}) — {h.machine_line()}\n")
    print("| database | lease TTL | median | min | max | floor | ratio |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print(row)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
