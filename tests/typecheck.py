"""Type-check the tests: ``python tests/typecheck.py`` (part of the README's test command).

The tests import their helpers by bare name, as pytest imports them (``from hostkit import …``,
``from conftest import …``), and several directories have a ``conftest.py`` of their own, so one
mypy run over ``tests/`` would see the same module name twice. Each directory is checked on its
own instead, with ``tests/`` on the search path: what a test imports is what pytest imports.

The level is mypy's strict mode (``[tool.mypy]`` in pyproject.toml, as for ``ecmactl/``) except
that a test function or fixture need not be annotated; the body of one that is not is still
checked (``--check-untyped-defs``). Exit status: 0 when every directory passes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
LEVEL = [
    "--allow-untyped-defs",
    "--allow-incomplete-defs",
    "--allow-untyped-calls",
    "--check-untyped-defs",
]


def groups() -> list[list[str]]:
    """Each test directory, then the top-level helpers: no two ``conftest.py`` in one run."""
    directories = sorted(p for p in TESTS.iterdir() if p.is_dir() and any(p.glob("*.py")))
    top = sorted(str(p) for p in TESTS.glob("*.py"))
    return [[str(d)] for d in directories] + [top]


def main() -> int:
    env = {**os.environ, "MYPYPATH": str(TESTS)}
    # A cache of its own: these flags differ from the strict run over ecmactl/, and sharing a
    # cache would make each run invalidate the other's.
    cache = TESTS.parent / ".mypy_cache" / "tests"
    failed = 0
    for files in groups():
        command = [sys.executable, "-m", "mypy", "--cache-dir", str(cache), *LEVEL, *files]
        done = subprocess.run(command, cwd=TESTS.parent, env=env, check=False)
        failed += done.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
