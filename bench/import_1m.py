"""Full import of 1,000,000 users from SQLite into the host's cache.

Targets (issue #4, item 9): the import takes <= 8 s and the host's peak RSS stays <= 1.2 GB
(1,200 MiB; read from /proc/<pid>/status VmHWM once the connector is ready). Floor, measured
in the same run: a raw ``sqlite3`` ``SELECT * FROM Employees`` + ``fetchall()`` of the same table
(in a fresh subprocess, page cache warm, like the host's).

Each run starts the real host (``python -m ecmactl --home H host run``) on a home made by
``ecmactl init --sample --no-input`` plus N synthetic users, waits until its status says the
first full import succeeded, and records the import's own duration (``last_full_import.duration_s``
of the host's status), the wall clock from spawning the process to ready, and the peak RSS.
Median of ``--runs`` runs (floor and host alternate); the RSS target is checked on the largest.

Run:  .venv/bin/python bench/import_1m.py [--users 1000000] [--runs 3] [--keep]
Exit: 0 targets met · 1 a target missed · 2 could not measure.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as h

TARGET_S = 8.0
TARGET_RSS_MIB = 1200.0

_FLOOR = r"""
import json, sqlite3, sys, time
began = time.perf_counter()
conn = sqlite3.connect(sys.argv[1])
rows = conn.execute("SELECT * FROM Employees").fetchall()
seconds = time.perf_counter() - began
cpu = time.process_time()
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
out = {"seconds": seconds, "cpu_s": cpu, "rows": len(rows), "peak_rss_mib": peak / 1024}
print(json.dumps(out))
"""


def floor(db: Path) -> dict[str, float]:
    out = subprocess.run([h.PYTHON, "-c", _FLOOR, str(db)], capture_output=True, text=True)
    if out.returncode != 0:
        raise h.BenchError(f"sqlite3 floor failed: {out.stderr}")
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def one_host_run(
    home: Path, python: str, py_spy: str | None = None, profile: Path | None = None
) -> dict[str, float]:
    meter = h.CpuMeter()
    with h.HostProcess(home, python=python) as host:
        profiler = None
        if py_spy is not None and profile is not None:  # from spawn: the import is the point
            profiler = h.Profiler(py_spy, host.pid, 30, profile.with_suffix(".collapsed"))
        conn = host.wait_ready(timeout=180)
        cpu_s = h.cpu_seconds(host.pid) or 0.0
        busy = meter.stop()
        if profiler is not None:
            host.stop()
            profiler.wait()
            summary = h.summarize_profile(profile.with_suffix(".collapsed"), top=25)
            profile.write_text("\n".join(["### host start-up and full import", "", *summary]))
        last = conn["last_full_import"]
        return {
            "import_s": float(last["duration_s"]),
            "ready_s": float(host.ready_after_s or 0.0),
            "rows": float(last["rows"]),
            "peak_rss_mib": float(host.peak_rss_mib() or 0.0),
            "rss_mib": float(host.rss_mib() or 0.0),
            "cpu_s": cpu_s,  # the host's CPU from spawn to ready: start-up + import
            "others_cores": busy["others_cores"] - cpu_s / busy["elapsed_s"],
        }


def read_all(home: Path, python: str) -> dict[str, float]:
    """Start the host, then read every user once (``GET /Users`` in pages of 1,000, the most
    a page holds) so that the host renders each; its RSS afterwards."""
    with h.HostProcess(home, python=python) as host:
        conn = host.wait_ready(timeout=180)
        total = int(conn["cache_size"])
        client = h.Https(host.port, host.cafile, timeout=120)
        auth = {"Authorization": f"Bearer {h.token(home)}"}
        began = time.perf_counter()
        seen = 0
        try:
            for start in range(1, total + 1, 1000):
                code, body = client.request(
                    "GET", f"{h.USERS}?startIndex={start}&count=1000", headers=auth
                )
                if code != 200 or not isinstance(body, dict):
                    raise h.BenchError(f"GET /Users?startIndex={start} answered {code}")
                seen += len(body.get("Resources", []))
        finally:
            client.close()
        return {
            "users": float(seen),
            "seconds": time.perf_counter() - began,
            "peak_rss_mib": float(host.peak_rss_mib() or 0.0),
            "rss_mib": float(host.rss_mib() or 0.0),
        }


def run() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the scratch home")
    parser.add_argument(
        "--profile",
        type=Path,
        help="after the runs, py-spy one more host start and import "
        "and write the summary to this Markdown file",
    )
    parser.add_argument("--py-spy", help="py-spy executable (default: on PATH)")
    parser.add_argument(
        "--read-all",
        action="store_true",
        help="then start the host once more and read every "
        "user once (pages of GET /Users): the RSS once every user's rendering is cached (info)",
    )
    h.add_python_arg(parser)
    args = parser.parse_args()
    h.apply_common(args)
    py_spy = h.find_py_spy(args.py_spy) if args.profile else None
    root, home, insert_s = h.home_with_users("import", args.users)
    try:
        db = h.db_path(home)
        total = h.count_rows(db)
        print(f"<!-- {total} rows inserted in {insert_s:.1f} s into {db} -->", file=sys.stderr)
        floors, hosts = [], []
        for i in range(args.runs):
            h.wait_quiet()
            floors.append(floor(db))
            h.wait_quiet()
            hosts.append(one_host_run(home, args.python))
            print(f"<!-- run {i + 1}: floor {floors[-1]} host {hosts[-1]} -->", file=sys.stderr)
        if py_spy is not None:
            one_host_run(home, args.python, py_spy, args.profile)
            print(f"<!-- profile written to {args.profile} -->", file=sys.stderr)
        everyone = read_all(home, args.python) if args.read_all else None
        for result in hosts:
            if int(result["rows"]) != total:
                raise h.BenchError(f"the host imported {result['rows']:.0f} rows of {total}")
    finally:
        h.cleanup(root, args.keep)
    floor_s = h.median([f["seconds"] for f in floors])
    import_s = h.median([r["import_s"] for r in hosts])
    ready_s = h.median([r["ready_s"] for r in hosts])
    peak = max(r["peak_rss_mib"] for r in hosts)
    floor_peak = max(f["peak_rss_mib"] for f in floors)
    time_ok = import_s <= TARGET_S
    rss_ok = peak <= TARGET_RSS_MIB
    n = f"{args.users:,}"
    rows = [
        h.row(
            f"full import, {n} users (host status duration)",
            f"<= {TARGET_S:g} s",
            f"{import_s:.2f} s ({h.fmt_runs([r['import_s'] for r in hosts])})",
            f"sqlite3 fetchall {floor_s:.2f} s ({h.fmt_runs([f['seconds'] for f in floors])})",
            f"{import_s / floor_s:.2f}x",
            time_ok,
        ),
        h.row(
            f"full import, {n} users (wall: spawn to ready)",
            "(info)",
            f"{ready_s:.2f} s ({h.fmt_runs([r['ready_s'] for r in hosts])})",
            f"sqlite3 fetchall {floor_s:.2f} s",
            f"{ready_s / floor_s:.2f}x",
            True,
        ),
        h.row(
            f"host peak RSS, {n} users cached",
            f"<= {TARGET_RSS_MIB:,.0f} MiB",
            f"{peak:,.0f} MiB max ({h.fmt_runs([r['peak_rss_mib'] for r in hosts], 0)}); "
            f"{h.median([r['rss_mib'] for r in hosts]):,.0f} MiB after",
            f"fetchall peak {floor_peak:,.0f} MiB",
            f"{peak / floor_peak:.2f}x",
            rss_ok,
        ),
    ]
    if everyone is not None:
        rows.append(
            h.row(
                f"host peak RSS after reading all {everyone['users']:,.0f} users once",
                "(info: the import target is above)",
                f"{everyone['peak_rss_mib']:,.0f} MiB ({everyone['seconds']:.0f} s of GET /Users "
                "pages)",
                f"after the import {peak:,.0f} MiB",
                f"{everyone['peak_rss_mib'] / peak:.2f}x",
                True,
            )
        )
    notes = [
        f"<!-- host CPU from spawn to ready {h.median([r['cpu_s'] for r in hosts]):.2f} s "
        f"({h.fmt_runs([r['cpu_s'] for r in hosts])}); fetchall CPU "
        f"{h.median([f['cpu_s'] for f in floors]):.2f} s; other processes used at most "
        f"{max(r['others_cores'] for r in hosts):.2f} cores during an import -->"
    ]
    return h.report(rows, time_ok and rss_ok, notes, python=args.python)


if __name__ == "__main__":
    h.main_guard(run)
