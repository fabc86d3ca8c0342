"""Fuzz the host with many requests: no 5xx, every 4xx a SCIM error document, no hang.

The long run of the CI fuzz suite (``tests/host/test_fuzz.py``, issue #8): the same hypothesis
strategies (``tests/host/fuzzkit.py``: filters, PATCH/POST/PUT/.search bodies, raw bodies, URL
paths and query strings, headers, the bearer token) drive the host's ASGI app **in-process**,
on an event loop in a thread, as uvicorn would call it (no TLS, no sockets: the HTTP parser and
TLS are uvicorn's; what is fuzzed is everything after them). The home is built the product's
way (``ecmactl init --sample --no-input``) on the sample SQLite database, with ``--users``
synthetic users so that scans do real work; the known bad inputs of issue #8 go first.

Each request must answer within 10 s (checked on the loop and, for a blocked loop, from the
calling thread). The host logs as ``host run --log-level debug`` would (every access line and
request body, to a file in the scratch directory): a line that cannot be written is a failure
too. Prints the requests sent, a histogram of statuses and the first failures.

Run:  .venv/bin/python bench/fuzz.py [--requests 100000] [--seed 0] [--users 1000]
          [--log-level debug] [--log-format text|json]
Exit: 0 no failure · 1 a 5xx, a 4xx that is no SCIM error document, or a hang · 2 could not run.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "host"))  # fuzzkit
import _harness as h
import fuzzkit  # the CI suite's strategies; needs hypothesis (the test extra)
from hypothesis import HealthCheck, Phase, given, seed, settings

from ecmactl.config.store import load_connector, load_settings
from ecmactl.home import Home
from ecmactl.host import Host, configure_logging

ROOT = h.SCIM


def build_host(home_dir: Path) -> Host:
    home = Home(home_dir)
    return Host(home, load_settings(home), [load_connector(home, h.CONNECTOR)])


def fuzz(driver: fuzzkit.Driver, requests: int, chosen_seed: int, report_every: int) -> None:
    started = time.monotonic()

    @seed(chosen_seed)
    @settings(
        max_examples=requests,
        database=None,
        deadline=None,
        derandomize=False,
        phases=[Phase.generate],  # no shrinking: every request counts, failures are kept
        suppress_health_check=list(HealthCheck),
    )
    @given(request=fuzzkit.requests(ROOT), auth=fuzzkit.authorizations())
    def one(request: fuzzkit.Request, auth: bytes | bool) -> None:
        driver.send(request, auth)
        sent = driver.tally.requests
        if sent % report_every == 0:
            rate = sent / (time.monotonic() - started)
            print(f"  {sent:>9,} requests, {rate:,.0f}/s, {_failures(driver)} failures", flush=True)

    one()


def _failures(driver: fuzzkit.Driver) -> int:
    tally = driver.tally
    return sum(n for status, n in tally.statuses.items() if status >= 500) + tally.hangs


def report(
    driver: fuzzkit.Driver, seconds: float, args: argparse.Namespace, unwritten: list[str]
) -> int:
    tally = driver.tally
    rate = tally.requests / seconds
    print(f"\nrequests sent: {tally.requests:,} in {seconds:,.0f} s ({rate:,.0f}/s), ", end="")
    print(f"seed {args.seed}, {args.users:,} users")
    print("| status | requests | share |\n|---|---|---|")
    for status, count in sorted(tally.statuses.items()):
        print(f"| {status} | {count:,} | {100 * count / tally.requests:.2f} % |")
    if tally.hangs:
        print(f"| no answer in {fuzzkit.DEADLINE_S:.0f} s | {tally.hangs:,} | |")
    # Wall clock in this process: it includes the fuzzer's own garbage collections.
    print(f"\nslowest answer: {tally.slowest * 1000:,.0f} ms ({tally.slowest_request!r:.200})")
    if unwritten:
        print(f"log lines that could not be written: {len(unwritten)}; the first:\n{unwritten[0]}")
    if not tally.failures and not unwritten:
        print("failures: none (no 5xx, every 4xx a SCIM error document, no hang)")
        return 0
    print(f"failures: {len(tally.failures)} kept; the first:")
    for request, found in tally.failures:
        print(f"- {request!r}\n    {'; '.join(found)}")
    return 1


def run() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0, help="hypothesis seed (a run repeats)")
    parser.add_argument("--users", type=int, default=1000, help="synthetic users in the table")
    parser.add_argument("--report-every", type=int, default=10_000)
    parser.add_argument("--log-level", default="debug", help="the host's, as host run's")
    parser.add_argument("--log-format", default="text", choices=["text", "json"])
    parser.add_argument("--keep", action="store_true", help="keep the scratch home")
    args = parser.parse_args()
    root = h.scratch("fuzz")
    try:
        home = h.init_home(root / "home")
        h.insert_users(h.db_path(home), args.users)
        host = build_host(home)
        handler = configure_logging(args.log_level, args.log_format, root / "host.log")
        unwritten: list[str] = []
        handler.handleError = lambda record: unwritten.append(traceback.format_exc())  # type: ignore[method-assign]
        print(h.machine_line())
        print(f"fuzzing {ROOT} in-process (ASGI, SQLite store): {args.requests:,} requests")
        began = time.monotonic()
        with fuzzkit.driving(host, h.token(home)) as driver:
            for request in fuzzkit.known_bad(ROOT):
                driver.send(request)
            fuzz(driver, args.requests - driver.tally.requests, args.seed, args.report_every)
            alive = fuzzkit.loop_is_alive(driver)
        seconds = time.monotonic() - began
        handler.flush()
        code = report(driver, seconds, args, unwritten)
        if not alive:
            print("the event loop no longer answers")
            code = 1
        return code
    except h.BenchError as exc:
        print(f"bench/fuzz.py: {exc}", file=sys.stderr)
        return 2
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(run())
