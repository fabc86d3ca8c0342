"""Inside ``ecmactl.cli`` a private module (``_output``, ``_context``…) may be imported by its
siblings, as httpx's private modules are behind its curated package; a name that starts with
``_`` may not cross from one module to another: it is made public in its module, or stays put."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

CLI_PACKAGE = Path(__file__).parents[2] / "ecmactl" / "cli"


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def test_no_private_name_crosses_between_cli_modules() -> None:
    crossings = []
    for path in sorted(CLI_PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.ImportFrom) and node.module):
                continue
            if not node.module.startswith("ecmactl.cli"):
                continue
            for alias in node.names:
                private = alias.name.startswith("_") and not alias.name.startswith("__")
                if private and not _is_module(f"{node.module}.{alias.name}"):
                    crossings.append(f"{path.name}:{node.lineno}: {node.module}.{alias.name}")
    assert crossings == []
