"""``POST /Users`` creates into SQLite (WAL), 16 keep-alive HTTPS connections.

Target (issue #4, item 9): >= 2,000 creates/s, every one committed before its 201. Checked
after each run: the number of rows with the run's userName prefix in the database equals the
number of 201 answers wrk counted, and no create failed. wrk (``bench/wrk/create.lua``) sends
creates for ``--duration`` seconds, then only one ``GET /health`` a second per connection for
two more seconds, so no create is in flight when wrk closes its connections. creates/s = 201
answers / (last 201 - first create sent).

Floor, in the same run (information; the issue sets none): one thread doing ``INSERT`` +
``COMMIT`` of one row per transaction with the standard library's sqlite3 on a copy of the same
database in the same directory (WAL, ``synchronous`` as given by ``--floor-synchronous``,
default FULL, i.e. an fsync per commit): the rate the disk allows one writer.

Run:  .venv/bin/python bench/create_rps.py [--users 100000] [--connections 16] [--duration 6]
Exit: 0 target met · 1 target missed (or a create not committed / not answered) · 2 could not
measure.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as h

TARGET = 2_000.0


def floor(db: Path, synchronous: str, seconds: float = 2.0) -> float:
    """Single-writer INSERT+COMMIT rate on a copy of the database (same filesystem)."""
    copy = db.with_name("floor.db")
    shutil.copyfile(db, copy)
    conn = sqlite3.connect(copy, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA synchronous={synchronous}")
        sql = "INSERT INTO Employees (ContosoLogin, FirstName, LastName) VALUES (?, ?, ?)"
        n, began = 0, time.perf_counter()
        while time.perf_counter() - began < seconds:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(sql, (f"floor-{n}", "Bench", f"User {n}"))
            conn.execute("COMMIT")
            n += 1
        return n / (time.perf_counter() - began)
    finally:
        conn.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)


def sanity(host: h.HostProcess, token: str) -> None:
    client = h.Https(host.port, host.cafile)
    body = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "bench-sanity",
        "name": {"givenName": "A", "familyName": "B"},
        "active": True,
    }
    try:
        code, doc = client.request(
            "POST", h.USERS, body, headers={"Authorization": f"Bearer {token}"}
        )
    finally:
        client.close()
    if code != 201 or h.count_rows(h.db_path(host.home), "ContosoLogin = ?", ["bench-sanity"]) != 1:
        raise h.BenchError(f"POST {h.USERS} answered {code}: {doc!r:.400}")


def load(
    host: h.HostProcess, args: argparse.Namespace, token: str, prefix: str, seconds: float
) -> dict[str, Any]:
    meter = h.CpuMeter([host.pid])
    result = h.run_wrk(
        "create.lua",
        host.port,
        h.USERS,
        connections=args.connections,
        threads=args.threads,
        duration=seconds + 2,  # creates stop at `seconds`; at least 2 s for the last answers
        args=[token, str(seconds), prefix],
    )
    result["cpu"] = meter.stop()
    extra = result["extra"]
    created, failed = int(extra["created"]), int(extra["failed"])
    rows = h.count_rows(h.db_path(host.home), "ContosoLogin LIKE ?", [prefix + "%"])
    result["rows"] = rows
    result["created"] = created
    result["consistent"] = rows == created and failed == 0
    if not result["consistent"]:
        print(
            f"<!-- {prefix}: {rows} rows in the database, {created} answered 201, "
            f"{failed} failed: {extra['failures']} -->",
            file=sys.stderr,
        )
    return result


def run() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100_000, help="users in the table first")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--duration", type=float, default=6.0, help="seconds of creating")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--floor-synchronous", default="FULL", choices=["FULL", "NORMAL", "EXTRA"])
    h.add_host_bench_args(parser)
    args = parser.parse_args()
    h.apply_common(args)
    py_spy = h.find_py_spy(args.py_spy) if args.profile else None
    h.require_wrk()
    root, home, _ = h.home_with_users("create", args.users)
    token = h.token(home)
    host = h.HostProcess(home, log_level=args.log_level, python=args.python)
    results: list[dict[str, Any]] = []
    floors: list[float] = []
    try:
        host.start()
        host.wait_ready()
        sanity(host, token)
        load(host, args, token, "bench-warm-t", 2)
        for i in range(args.runs):
            h.wait_quiet(ours=[host.pid])
            floors.append(floor(h.db_path(home), args.floor_synchronous))
            h.wait_quiet(ours=[host.pid])
            profiler = None
            if py_spy is not None and i == args.runs - 1:
                raw = args.profile.with_suffix(".collapsed")
                profiler = h.Profiler(py_spy, host.pid, args.duration, raw)
            results.append(load(host, args, token, f"bench-r{i}-t", args.duration))
            if profiler is not None:
                profiler.wait()
                args.profile.write_text("\n".join(h.summarize_profile(raw, top=30)))
            extra = results[-1]["extra"]
            print(
                f"<!-- run {i + 1}: {extra['creates_per_s']:.0f} creates/s, {results[-1]['rows']} "
                f"rows / {results[-1]['created']} 201s, p99 {results[-1]['p99_ms']:.1f} ms, "
                f"{results[-1]['cpu']}; floor {floors[-1]:.0f} commits/s -->",
                file=sys.stderr,
            )
    finally:
        host.stop()
        h.cleanup(root, args.keep)
    rate = h.median([r["extra"]["creates_per_s"] for r in results])
    floor_rate = h.median(floors)
    consistent = all(r["consistent"] for r in results)
    ok = rate >= TARGET and consistent
    rows_vs = ", ".join(f"{r['rows']}={r['created']}" for r in results)
    table = [
        h.row(
            f"POST /Users into SQLite (WAL), {args.connections} conn, {args.users:,} rows first",
            f">= {TARGET:,.0f} creates/s, rows == 201s",
            f"{rate:,.0f} creates/s "
            f"({h.fmt_runs([r['extra']['creates_per_s'] for r in results], 0)});"
            f" p99 {h.median([r['p99_ms'] for r in results]):.1f} ms; rows == 201s: "
            f"{'yes' if consistent else '**NO**'} ({rows_vs})",
            f"sqlite3 1 writer, synchronous={args.floor_synchronous}: {floor_rate:,.0f} commits/s",
            f"{rate / floor_rate:.2f}x",
            ok,
        )
    ]
    per_create = h.median([h.cpu_us_per(r, r["created"]) for r in results])
    notes = [
        f"<!-- host CPU per create {per_create:,.0f} µs "
        f"({h.fmt_runs([h.cpu_us_per(r, r['created']) for r in results], 0)}), i.e. "
        f"{per_create * rate / 1e6:.2f} cores while creating; one core's worth: "
        f"{1e6 / per_create:,.0f} creates/s. Other processes used at most "
        f"{max(r['cpu']['others_cores'] for r in results):.2f} cores; host --log-level "
        f"{args.log_level} -->",
    ]
    return h.report(table, ok, notes, python=args.python)


if __name__ == "__main__":
    h.main_guard(run)
