"""The top-level `ecmactl --help`, generated from the CLI and shipped as text.

People and scripts call `ecmactl --help` often, and loading Typer alone takes longer than its
answer may (``bench/startup.py`` holds it to its target). ``ecmactl/__main__.py`` prints this
file for a bare `--help`/`-h` on a terminal at least 80 columns wide (or no terminal); anything
else goes through the CLI.
A test fails when the file differs from what the CLI renders; regenerate with
``python -m ecmactl.cli._static_help``.
"""

from __future__ import annotations

from pathlib import Path

HELP_FILE = Path(__file__).with_name("help.txt")
WIDTH = 80  # click's default maximum content width


def render() -> str:
    """`ecmactl --help` as the CLI itself prints it (not the fast path), at WIDTH columns."""
    import os
    import subprocess
    import sys

    code = "import sys; sys.argv = ['ecmactl', '--help']\nfrom ecmactl.cli import main\nmain()"
    env = {**os.environ, "COLUMNS": str(WIDTH), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


if __name__ == "__main__":
    HELP_FILE.write_text(render(), encoding="utf-8", newline="\n")
    print(HELP_FILE)
