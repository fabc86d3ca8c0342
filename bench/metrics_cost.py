"""What Prometheus metrics cost the hot path: filtered GETs with metrics on vs off.

Target: the work metrics add to each request (``RequestMetrics.observe``, timed in process,
best of 5 x 1,000,000 calls) is <= 1% of the server CPU one request costs the host (measured
under wrk in the same run). Reported beside it, with their own floors: the host's throughput
and CPU per request with metrics on (scraped once a second, 15-30 times as often as a usual
scrape interval) against the same host with metrics off (``[metrics] enabled = false``): two
copies of one home (``--users`` synthetic users) served side by side by ``ecmactl host run``,
loaded one at a time by the same wrk script as ``filter_rps.py`` (``bench/wrk/filter.lua``),
alternating (either first in turn), ``--runs`` times; the medians are reported. On a shared
machine those two ratios move by +-10% from run to run with the other processes' load (the
notes give it), far more than metrics could cost, hence the in-process target.

Run:  .venv/bin/python bench/metrics_cost.py [--users 10000] [--connections 16] [--duration 6]
Exit: 0 target met · 1 target missed · 2 could not measure.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as h

TARGET_SHARE = 0.01  # observe() per request / the host's CPU per request


def observe_us(calls: int = 1_000_000) -> float:
    """Microseconds one ``RequestMetrics.observe`` takes (best of 5)."""
    import timeit

    from ecmactl.host.metrics import RequestMetrics

    metrics = RequestMetrics()
    timer = timeit.Timer(lambda: metrics.observe("SQL", "GET", 200, 0.0012))
    return min(timer.repeat(5, calls)) / calls * 1e6


class Scraper:
    """GET /metrics every ``interval`` seconds in a thread while a measurement runs."""

    def __init__(self, url: str, interval: float = 1.0) -> None:
        self.url, self.interval = url, interval
        self.times: list[float] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def scrape(self) -> str:
        began = time.perf_counter()
        with urllib.request.urlopen(self.url, timeout=10) as answer:
            text: str = answer.read().decode()
        self.times.append(time.perf_counter() - began)
        return text

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.scrape()

    def __enter__(self) -> Scraper:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()


def load(port: int, pid: int, args: argparse.Namespace, token: str) -> dict[str, Any]:
    meter = h.CpuMeter([pid])
    result = h.run_wrk(
        "filter.lua",
        port,
        h.USERS,
        connections=args.connections,
        threads=args.threads,
        duration=args.duration,
        args=[token, str(args.users), "userName"],
    )
    result["cpu"] = meter.stop()
    errors = sum(int(v) for v in result["errors"].values())
    if errors:
        raise h.BenchError(f"wrk saw errors on port {port}: {result['errors']}\n{result['text']}")
    return result


def run() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--duration", type=float, default=6.0, help="seconds per measurement")
    parser.add_argument("--runs", type=int, default=3)
    h.add_host_bench_args(parser, profile_help="(not used here)")
    args = parser.parse_args()
    h.apply_common(args)
    h.require_wrk()
    root, home_on, _ = h.home_with_users("metrics", args.users)
    home_off = root / "home-off"
    shutil.copytree(home_on, home_off)
    metrics_port = h.free_port()
    h.ecmactl(home_on, "configure", "settings", "--no-input", "--metrics-port", str(metrics_port))
    h.ecmactl(home_off, "configure", "settings", "--no-input", "--no-metrics")
    token = h.token(home_on)
    on = h.HostProcess(home_on, log_level=args.log_level, python=args.python)
    off = h.HostProcess(home_off, log_level=args.log_level, python=args.python)
    scraper = Scraper(f"http://127.0.0.1:{metrics_port}/metrics")
    with_metrics: list[dict[str, Any]] = []
    without: list[dict[str, Any]] = []
    try:
        on.start()
        off.start()
        on.wait_ready()
        off.wait_ready()
        if "ecmactl_cache_users" not in scraper.scrape():
            raise h.BenchError("the metrics host does not serve ecmactl_cache_users")
        ours = [on.pid, off.pid]
        load(on.port, on.pid, args, token)  # warm-up, both
        load(off.port, off.pid, args, token)
        for i in range(args.runs):
            for metrics_on in (True, False) if i % 2 == 0 else (False, True):  # either first
                h.wait_quiet(ours=ours)
                if metrics_on:
                    with scraper:
                        with_metrics.append(load(on.port, on.pid, args, token))
                else:
                    without.append(load(off.port, off.pid, args, token))
            print(
                f"<!-- run {i + 1}: metrics on {with_metrics[-1]['rps']:.0f} rps "
                f"{with_metrics[-1]['cpu']}; off {without[-1]['rps']:.0f} rps "
                f"{without[-1]['cpu']} -->",
                file=sys.stderr,
            )
        final = scraper.scrape()
    finally:
        on.stop()
        off.stop()
        h.cleanup(root, args.keep)
    rps_on = h.median([r["rps"] for r in with_metrics])
    rps_off = h.median([r["rps"] for r in without])
    cpu_on = h.median([h.cpu_us_per(r, r["requests"]) for r in with_metrics])
    cpu_off = h.median([h.cpu_us_per(r, r["requests"]) for r in without])
    ratio, cpu_ratio = rps_on / rps_off, cpu_on / cpu_off
    per_request = observe_us()
    share = per_request / cpu_off
    ok = share <= TARGET_SHARE
    what = f"GET /Users?filter=userName eq, {args.users:,} cached, {args.connections} conn"
    rows = [
        h.row(
            "metrics work per request (RequestMetrics.observe, in process)",
            f"<= {TARGET_SHARE:.0%} of a request's host CPU",
            f"{per_request:.2f} µs",
            f"host CPU per request, metrics off, {cpu_off:,.1f} µs",
            f"{share:.2%}",
            ok,
        ),
        h.row(
            f"{what}: throughput with metrics on, scraped every second",
            "(info)",
            f"{rps_on:,.0f} req/s ({h.fmt_runs([r['rps'] for r in with_metrics], 0)})",
            f"metrics off {rps_off:,.0f} req/s ({h.fmt_runs([r['rps'] for r in without], 0)})",
            f"{ratio:.3f}x",
            True,
        ),
        h.row(
            f"{what}: server CPU per request with metrics on",
            "(info)",
            f"{cpu_on:,.1f} µs",
            f"metrics off {cpu_off:,.1f} µs",
            f"{cpu_ratio:.3f}x",
            True,
        ),
    ]
    times = sorted(scraper.times)
    others = max(r["cpu"]["others_cores"] for r in with_metrics + without)
    notes = [
        f"<!-- other processes used at most {others:.2f} of the machine's cores during a "
        "measurement -->",
        f"<!-- one scrape under load: median {h.median(times) * 1000:.1f} ms, max "
        f"{times[-1] * 1000:.1f} ms over {len(times)} scrapes; {len(final):,} bytes -->",
    ]
    return h.report(rows, ok, notes, python=args.python)


if __name__ == "__main__":
    h.main_guard(run)
