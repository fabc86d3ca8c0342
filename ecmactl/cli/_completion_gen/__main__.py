"""``python -m ecmactl.cli._completion_gen [DIR]``: rewrite the four scripts in DIR (default:
``completions``) and print their paths."""

from __future__ import annotations

import argparse
from pathlib import Path

from ecmactl.cli._completion_gen import write_all

if __name__ == "__main__":
    # argparse, so `--help` prints usage instead of becoming a folder named "--help".
    parser = argparse.ArgumentParser(
        prog="python -m ecmactl.cli._completion_gen",
        description="Regenerate the shell completion scripts shipped in completions/.",
    )
    parser.add_argument("directory", nargs="?", default="completions", type=Path)
    for written_path in write_all(parser.parse_args().directory):
        print(written_path)
