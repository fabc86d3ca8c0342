"""``GET /Users?filter=userName eq "…"`` against the host with 100,000 users cached.

Target (issue #4, item 9): >= 10,000 requests/s with 16 keep-alive HTTPS connections, p99 <=
10 ms. Floor, in the same run: ``bench/baseline_app.py``, a bare Starlette endpoint doing the
same dict lookup on the same server stack (uvicorn, same HTTP/loop implementation, one worker,
TLS through the product's TLS context), loaded by the same wrk script.

Each request asks for a random one of the N synthetic users (``bench/wrk/filter.lua``), so
every answer is a ListResponse with one resource. The host runs as in production
(``ecmactl host run``, log level ``--log-level``, default info: one access-log line per request
to a file). Both servers run side by side; after a warm-up of each, wrk loads one at a time,
alternating, ``--runs`` times; the medians are reported. Before each measurement the script
waits (bounded) for a quiet machine and reports the CPU other processes used during it.

Run:  .venv/bin/python bench/filter_rps.py [--users 100000] [--connections 16] [--duration 6]
Exit: 0 targets met · 1 a target missed · 2 could not measure.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as h

TARGET_RPS = 10_000.0
TARGET_P99_MS = 10.0


def cpu_us(results: list[dict[str, Any]]) -> float:
    """Median server CPU microseconds per request (robust to other load on the machine: a
    Python server runs on one core, so 1e6 / this bounds its requests/s)."""
    return h.median([h.cpu_us_per(r, r["requests"]) for r in results])


def distinct(requests: float, users: int) -> float:
    """Expected number of distinct users among ``requests`` uniform random picks."""
    return users * (1 - (1 - 1 / users) ** requests)


def sanity(port: int, cafile: Path, token: str, attribute: str) -> None:
    """One lookup through the real path: the user is found, exactly once."""
    client = h.Https(port, cafile)
    try:
        path = f"{h.USERS}?filter={attribute}+eq+%22{h.login(42)}%22"
        code, body = client.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    finally:
        client.close()
    if code != 200 or not isinstance(body, dict) or body.get("totalResults") != 1:
        raise h.BenchError(f"GET {path} on port {port} answered {code}: {body!r:.400}")


def load(
    port: int, pid: int, args: argparse.Namespace, token: str, duration: float
) -> dict[str, Any]:
    meter = h.CpuMeter([pid])
    result = h.run_wrk(
        "filter.lua",
        port,
        h.USERS,
        connections=args.connections,
        threads=args.threads,
        duration=duration,
        args=[token, str(args.users), args.attribute],
    )
    result["cpu"] = meter.stop()
    errors = sum(int(v) for v in result["errors"].values())
    if errors:
        raise h.BenchError(f"wrk saw errors on port {port}: {result['errors']}\n{result['text']}")
    return result


def run() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--duration", type=float, default=6.0, help="seconds per measurement")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--attribute", default="userName", help="the filtered attribute")
    h.add_host_bench_args(
        parser,
        profile_help="after the runs, py-spy the host and the floor under load "
        "and write the summaries to this Markdown file",
    )
    args = parser.parse_args()
    h.apply_common(args)
    py_spy = h.find_py_spy(args.py_spy) if args.profile else None
    h.require_wrk()
    root, home, _ = h.home_with_users("filter", args.users)
    token = h.token(home)
    host = h.HostProcess(home, log_level=args.log_level, python=args.python)
    base = h.BaselineProcess(home, python=args.python)
    hosts: list[dict[str, Any]] = []
    floors: list[dict[str, Any]] = []
    try:
        host.start()
        base.start()
        base.wait_ready()
        host.wait_ready()
        sanity(host.port, host.cafile, token, args.attribute)
        sanity(base.port, host.cafile, token, "userName")
        ours = [host.pid, base.pid]
        rss_ready = host.rss_mib() or 0.0
        warm_requests = load(host.port, host.pid, args, token, 3)["requests"]  # warm-up
        load(base.port, base.pid, args, token, 3)
        for i in range(args.runs):
            for port, pid, out in ((host.port, host.pid, hosts), (base.port, base.pid, floors)):
                h.wait_quiet(ours=ours)
                out.append(load(port, pid, args, token, args.duration))
            print(
                f"<!-- run {i + 1}: host {hosts[-1]['rps']:.0f} rps p99 {hosts[-1]['p99_ms']:.2f}"
                f" ms {hosts[-1]['cpu']}; floor {floors[-1]['rps']:.0f} rps p99 "
                f"{floors[-1]['p99_ms']:.2f} ms {floors[-1]['cpu']} -->",
                file=sys.stderr,
            )
        rss_after = host.rss_mib() or 0.0
        served = warm_requests + sum(r["requests"] for r in hosts)
        if py_spy is not None:
            sections = []
            for name, port, pid in (("host", host.port, host.pid), ("floor", base.port, base.pid)):
                h.wait_quiet(ours=ours)
                raw = args.profile.with_name(f"{args.profile.stem}.{name}.collapsed")
                profiler = h.Profiler(py_spy, pid, args.duration - 1, raw)
                result = load(port, pid, args, token, args.duration)
                profiler.wait()
                sections += [f"### {name}: {result['rps']:,.0f} req/s under py-spy", ""]
                sections += [*h.summarize_profile(raw), ""]
            args.profile.write_text("\n".join(sections))
            print(f"<!-- profiles written to {args.profile} -->", file=sys.stderr)
    finally:
        host.stop()
        base.stop()
        h.cleanup(root, args.keep)
    rps = h.median([r["rps"] for r in hosts])
    p99 = h.median([r["p99_ms"] for r in hosts])
    floor_rps = h.median([r["rps"] for r in floors])
    floor_p99 = h.median([r["p99_ms"] for r in floors])
    others = max(r["cpu"]["others_cores"] for r in hosts + floors)
    rps_ok, p99_ok = rps >= TARGET_RPS, p99 <= TARGET_P99_MS
    what = (
        f'GET /Users?filter={args.attribute} eq "…", {args.users:,} cached, {args.connections} conn'
    )
    rows = [
        h.row(
            f"{what}: throughput",
            f">= {TARGET_RPS:,.0f} req/s",
            f"{rps:,.0f} req/s ({h.fmt_runs([r['rps'] for r in hosts], 0)})",
            f"bare Starlette {floor_rps:,.0f} req/s ({h.fmt_runs([r['rps'] for r in floors], 0)})",
            f"{rps / floor_rps:.2f}x",
            rps_ok,
        ),
        h.row(
            f"{what}: p99 latency",
            f"<= {TARGET_P99_MS:g} ms",
            f"{p99:.2f} ms (p50 {h.median([r['p50_ms'] for r in hosts]):.2f} ms; "
            f"{h.fmt_runs([r['p99_ms'] for r in hosts])})",
            f"bare Starlette p99 {floor_p99:.2f} ms",
            f"{p99 / floor_p99:.2f}x",
            p99_ok,
        ),
        h.row(
            f"{what}: server CPU per request",
            "(info)",
            f"{cpu_us(hosts):,.0f} µs ({h.fmt_runs([cpu_us([r]) for r in hosts], 0)}); "
            f"one core's worth: {1e6 / cpu_us(hosts):,.0f} req/s",
            f"bare Starlette {cpu_us(floors):,.0f} µs; one core's worth: "
            f"{1e6 / cpu_us(floors):,.0f} req/s",
            f"{cpu_us(hosts) / cpu_us(floors):.2f}x",
            True,
        ),
    ]
    notes = [
        f"<!-- host CPU {h.median([r['cpu']['server_cores'] for r in hosts]):.2f} cores, "
        f"wrk {h.median([r['cpu']['client_cores'] for r in hosts]):.2f} cores; other processes "
        f"used at most {others:.2f} cores during a measurement; "
        f"host --log-level {args.log_level} -->",
        f"<!-- host RSS {rss_ready:,.0f} MiB when ready, {rss_after:,.0f} MiB after the runs "
        f"(~{distinct(served, args.users):,.0f} distinct users answered"
        " since start) -->",
    ]
    return h.report(rows, rps_ok and p99_ok, notes, python=args.python)


if __name__ == "__main__":
    h.main_guard(run)
