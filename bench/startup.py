"""Start-up time of the CLI: `ecmactl --version`, `--help` and `init --help`, wall clock.

Target (issue #2): --version and --help <= 0.15 s on a 2-core machine. Also measures
`python -c pass` and `python -c "import typer"` in the same run as floors.

Run:  .venv/bin/python bench/startup.py [--runs 30]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
ECMACTL = shutil.which("ecmactl", path=str(VENV_BIN)) or "ecmactl"
CASES = {
    "python -c pass (floor)": [sys.executable, "-c", "pass"],
    "python -c 'import typer' (floor)": [sys.executable, "-c", "import typer"],
    "ecmactl --version": [ECMACTL, "--version"],
    "ecmactl --help": [ECMACTL, "--help"],
    "ecmactl init --help": [ECMACTL, "init", "--help"],
}
TARGET = 0.15


def measure(argv: list[str], runs: int) -> list[float]:
    samples = []
    env = {**os.environ, "NO_COLOR": "1"}
    subprocess.run(argv, capture_output=True, check=True, env=env)  # warm the page cache
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=True, env=env)
        samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    print(
        f"# Start-up, {args.runs} runs each; {platform.python_version()}, "
        f"{os.cpu_count()} cores, {platform.machine()}"
    )
    print("| command | median s | min s | p90 s | target |")
    print("|---|---|---|---|---|")
    failed = False
    for name, argv in CASES.items():
        samples = sorted(measure(argv, args.runs))
        median = statistics.median(samples)
        p90 = samples[int(0.9 * (len(samples) - 1))]
        target = ""
        if name in ("ecmactl --version", "ecmactl --help"):
            ok = median <= TARGET
            failed |= not ok
            target = f"<= {TARGET} {'met' if ok else 'MISSED'}"
        print(f"| {name} | {median:.3f} | {samples[0]:.3f} | {p90:.3f} | {target} |")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
