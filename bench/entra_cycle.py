"""Entra's initial provisioning cycle against the host: for each of 10,000 users, ``GET
/Users?filter=userName eq "<user>"`` (a miss: 200 with an empty ListResponse), then ``POST
/Users`` with the body Entra sends (201), from 4 concurrent keep-alive HTTPS clients.

Target (issue #4, item 9): the 10,000 users take <= 6 s, from the first request of any client
to the last 201 of all. wrk (``bench/wrk/entra.lua``, one thread per connection) checks every
answer (200 with ``"totalResults":0`` for the GET, 201 for the POST); afterwards the database
must hold the run's 10,000 users. Each run uses new user names on the same host (a table of
``--users`` existing users first, default the sample's 5); median of ``--runs``.

Run:  .venv/bin/python bench/entra_cycle.py [--cycle-users 10000] [--clients 4] [--runs 3]
Exit: 0 target met · 1 target missed (or a wrong answer, or rows missing) · 2 could not measure.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as h

TARGET_S = 6.0


def cycle(host: h.HostProcess, args: argparse.Namespace, token: str, prefix: str) -> dict[str, Any]:
    meter = h.CpuMeter([host.pid])
    result = h.run_wrk(
        "entra.lua",
        host.port,
        h.USERS,
        connections=args.clients,
        threads=args.clients,
        duration=120,
        args=[token, str(args.cycle_users), prefix, str(args.clients)],
        stop_after_threads=True,
    )
    result["cpu"] = meter.stop()
    threads = result["threads"]
    if len(threads) != args.clients:
        raise h.BenchError(
            f"only {len(threads)} of {args.clients} clients finished:\n{result['text']}"
        )
    result["seconds"] = max(t["last"] for t in threads) - min(t["first"] for t in threads)
    result["misses"] = sum(int(t["misses"]) for t in threads)
    result["created"] = sum(int(t["created"]) for t in threads)
    result["unexpected"] = sum(int(t["unexpected"]) for t in threads)
    result["rows"] = h.count_rows(h.db_path(host.home), "ContosoLogin LIKE ?", [prefix + "%"])
    result["correct"] = (
        result["misses"] == args.cycle_users
        and result["created"] == args.cycle_users
        and result["rows"] == args.cycle_users
        and result["unexpected"] == 0
    )
    if not result["correct"]:
        problems = " ".join(str(t["problems"]) for t in threads)
        print(
            f"<!-- {prefix}: {result['misses']} misses, {result['created']} 201s, "
            f"{result['rows']} rows, {result['unexpected']} unexpected: {problems[:1500]} -->",
            file=sys.stderr,
        )
    return result


def run() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cycle-users", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--users", type=int, default=0, help="users in the table first")
    parser.add_argument("--runs", type=int, default=3)
    h.add_host_bench_args(parser)
    args = parser.parse_args()
    h.apply_common(args)
    py_spy = h.find_py_spy(args.py_spy) if args.profile else None
    h.require_wrk()
    root, home, _ = h.home_with_users("entra", args.users)
    token = h.token(home)
    host = h.HostProcess(home, log_level=args.log_level, python=args.python)
    results: list[dict[str, Any]] = []
    try:
        host.start()
        host.wait_ready()
        for i in range(args.runs):
            h.wait_quiet(ours=[host.pid])
            profiler = None
            if py_spy is not None and i == args.runs - 1:
                raw = args.profile.with_suffix(".collapsed")
                profiler = h.Profiler(py_spy, host.pid, 300, raw)
            results.append(cycle(host, args, token, f"entra{i}-"))
            if profiler is not None:
                profiler.stop()
                args.profile.write_text("\n".join(h.summarize_profile(raw, top=30)))
            r = results[-1]
            print(
                f"<!-- run {i + 1}: {r['seconds']:.2f} s, {r['created']} created, "
                f"p99 {r['p99_ms']:.1f} ms, {r['cpu']} -->",
                file=sys.stderr,
            )
    finally:
        host.stop()
        h.cleanup(root, args.keep)
    seconds = h.median([r["seconds"] for r in results])
    correct = all(r["correct"] for r in results)
    ok = seconds <= TARGET_S and correct
    per_s = 2 * args.cycle_users / seconds
    table = [
        h.row(
            f"Entra initial cycle: {args.cycle_users:,} x (GET filter miss + POST), "
            f"{args.clients} clients",
            f"<= {TARGET_S:g} s",
            f"{seconds:.2f} s ({h.fmt_runs([r['seconds'] for r in results])}); {per_s:,.0f} req/s;"
            f" p99 {h.median([r['p99_ms'] for r in results]):.1f} ms; all answers and rows right: "
            f"{'yes' if correct else '**NO**'}",
            "(none set)",
            "",
            ok,
        )
    ]
    notes = [
        f"<!-- host CPU {h.median([r['cpu']['server_cores'] for r in results]):.2f} cores, "
        f"wrk {h.median([r['cpu']['client_cores'] for r in results]):.2f} cores; other processes "
        f"used at most {max(r['cpu']['others_cores'] for r in results):.2f} cores; host "
        f"--log-level {args.log_level} -->",
        f"<!-- host CPU per request: "
        f"{h.median([h.cpu_us_per(r, 2 * args.cycle_users) for r in results]):,.0f}"
        " µs -->",
    ]
    return h.report(table, ok, notes, python=args.python)


if __name__ == "__main__":
    h.main_guard(run)
