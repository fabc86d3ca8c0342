"""What Prometheus metrics cost the hot path: filtered GETs with metrics on vs off.

Target: with metrics on (and scraped once a second, 15-30 times as often as a usual scrape
interval) the host answers >= 0.97x the requests per second of the same host with metrics off
(``[metrics] enabled = false``), and spends <= 1.03x the server CPU per request. The floor is
that host with metrics off, in the same run: two copies of one home (``--users`` synthetic
users) served side by side by ``ecmactl host run``, loaded one at a time by the same wrk
script as ``filter_rps.py`` (``bench/wrk/filter.lua``), alternating, ``--runs`` times; the
medians are reported. Also reported: the time one scrape takes (its answer, parsed).

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

TARGET_RATIO = 0.97  # requests/s with metrics on / off
TARGET_CPU_RATIO = 1.03  # server CPU per request with metrics on / off


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
            h.wait_quiet(ours=ours)
            with scraper:
                with_metrics.append(load(on.port, on.pid, args, token))
            h.wait_quiet(ours=ours)
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
    ok = ratio >= TARGET_RATIO and cpu_ratio <= TARGET_CPU_RATIO
    what = f"GET /Users?filter=userName eq, {args.users:,} cached, {args.connections} conn"
    rows = [
        h.row(
            f"{what}: throughput with metrics on, scraped every second",
            f">= {TARGET_RATIO:g}x metrics off",
            f"{rps_on:,.0f} req/s ({h.fmt_runs([r['rps'] for r in with_metrics], 0)})",
            f"metrics off {rps_off:,.0f} req/s ({h.fmt_runs([r['rps'] for r in without], 0)})",
            f"{ratio:.3f}x",
            ratio >= TARGET_RATIO,
        ),
        h.row(
            f"{what}: server CPU per request with metrics on",
            f"<= {TARGET_CPU_RATIO:g}x metrics off",
            f"{cpu_on:,.1f} µs",
            f"metrics off {cpu_off:,.1f} µs",
            f"{cpu_ratio:.3f}x",
            cpu_ratio <= TARGET_CPU_RATIO,
        ),
    ]
    times = sorted(scraper.times)
    notes = [
        f"<!-- one scrape under load: median {h.median(times) * 1000:.1f} ms, max "
        f"{times[-1] * 1000:.1f} ms over {len(times)} scrapes; {len(final):,} bytes -->"
    ]
    return h.report(rows, ok, notes, python=args.python)


if __name__ == "__main__":
    h.main_guard(run)
