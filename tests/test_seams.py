"""Public within the package means no underscore: a ``_name`` is never imported across modules.

A name that another module needs is public in its own module (and documented there). A private
*module* (``cli/_output.py``) may be imported by modules inside its own package, as httpx does
with its ``_modules``, but not from outside that package.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent / "ecmactl"


@dataclass(frozen=True)
class Crossing:
    """One import of a private name (or a private module from outside its package)."""

    file: str  # relative to the directory that holds the package, with forward slashes
    line: int
    name: str
    source: str  # the module the name is imported from

    def describe(self) -> str:
        return f"{self.file}:{self.line}: imports {self.name} from {self.source}"


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _module_of(path: Path, top: Path) -> tuple[str, str]:
    """(module, package it is in) for a file under ``top`` (the directory holding the package)."""
    parts = list(path.relative_to(top).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
        return ".".join(parts), ".".join(parts)
    return ".".join(parts), ".".join(parts[:-1])


def _is_module(dotted: str, top: Path) -> bool:
    base = top.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _private_module_outside(dotted: str, importer: str) -> bool:
    """True when ``dotted`` has a private part that ``importer`` is not inside the package of."""
    parts = dotted.split(".")
    for i, part in enumerate(parts):
        if _is_private(part):
            owner = ".".join(parts[:i])  # the package the private module belongs to
            if importer != owner and not importer.startswith(owner + "."):
                return True
    return False


def scan(package_dir: Path) -> list[Crossing]:
    """Every import in ``package_dir`` that takes a private name of the package across modules."""
    top = package_dir.parent
    package = package_dir.name
    found: list[Crossing] = []
    for path in sorted(package_dir.rglob("*.py")):
        module, in_package = _module_of(path, top)
        rel = path.relative_to(top).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == package and _private_module_outside(
                        alias.name, module
                    ):
                        found.append(Crossing(rel, node.lineno, alias.name, alias.name))
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = in_package.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                if source.split(".")[0] != package:
                    continue
                if _private_module_outside(source, module):
                    found.append(Crossing(rel, node.lineno, source, source))
                    continue
                for alias in node.names:
                    if not _is_private(alias.name):
                        continue
                    submodule = f"{source}.{alias.name}"
                    if _is_module(submodule, top):
                        if _private_module_outside(submodule, module):
                            found.append(Crossing(rel, node.lineno, alias.name, source))
                    elif source != module:
                        found.append(Crossing(rel, node.lineno, alias.name, source))
    return found


def test_no_private_name_is_imported_across_modules() -> None:
    crossings = list(scan(PACKAGE_ROOT))
    assert not crossings, (
        "private names imported across modules; make each public in its module (with a "
        "docstring) or keep it where it is used:\n" + "\n".join(c.describe() for c in crossings)
    )


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_scanner_finds_each_kind_of_crossing(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "pkg/__init__.py": "__version__ = '1'\n",
            "pkg/a.py": "_secret = 1\npublic = 2\n",
            "pkg/_helpers.py": "value = 1\n",
            "pkg/sub/__init__.py": "",
            "pkg/sub/_inner.py": "value = 1\n",
            "pkg/b.py": (
                "from pkg.a import _secret\n"  # 1: a private name, absolute
                "from .a import _secret as s\n"  # 2: a private name, relative
                "from pkg.a import public\n"  # public: fine
                "from pkg import _helpers\n"  # a private module of its own package: fine
                "from pkg import __version__\n"  # dunder: fine
                "from typer import _click\n"  # another package's business
                "from pkg.sub import _inner\n"  # 7: a private module from outside its package
                "import pkg.sub._inner\n"  # 8: the same, as a plain import
                "from pkg.sub._inner import value\n"  # 9: the same, reaching through it
                "def f():\n"
                "    from pkg.a import _secret\n"  # 11: inside a function counts too
            ),
            "pkg/sub/c.py": (
                "from .. import _helpers\n"  # a private module of an enclosing package: fine
                "from . import _inner\n"  # a private module of its own package: fine
                "from ..a import _secret\n"  # 3: a private name, two levels up
            ),
            "pkg/sub/__main__.py": "from pkg.sub._inner import value\n",  # inside: fine
        },
    )
    found = sorted((c.file, c.line, c.name) for c in scan(tmp_path / "pkg"))
    assert found == [
        ("pkg/b.py", 1, "_secret"),
        ("pkg/b.py", 2, "_secret"),
        ("pkg/b.py", 7, "_inner"),
        ("pkg/b.py", 8, "pkg.sub._inner"),
        ("pkg/b.py", 9, "pkg.sub._inner"),
        ("pkg/b.py", 11, "_secret"),
        ("pkg/sub/c.py", 3, "_secret"),
    ]
    assert Crossing("pkg/b.py", 1, "_secret", "pkg.a").describe() == (
        "pkg/b.py:1: imports _secret from pkg.a"
    )


def test_scanner_sees_the_real_package() -> None:
    """Guards against a scan of nothing: the package has many imports of its own modules."""
    assert (PACKAGE_ROOT / "__init__.py").is_file()
    assert len(list(PACKAGE_ROOT.rglob("*.py"))) > 100


def test_the_host_module_map_names_every_module() -> None:
    """``ecmactl/host/__init__.py`` maps the package for a reader; a module it omits is news."""
    host = PACKAGE_ROOT / "host"
    doc = ast.get_docstring(ast.parse((host / "__init__.py").read_text(encoding="utf-8"))) or ""
    modules = sorted(p.name for p in host.glob("*.py") if p.name != "__init__.py")
    missing = [name for name in modules if f"``{name}``" not in doc]
    assert not missing, f"add to the module map in ecmactl/host/__init__.py: {', '.join(missing)}"
