"""The embedded sample: a SQLite copy of the Employees table from Microsoft's SQL tutorial.

Built with the standard library's sqlite3 from ``templates/sample/employees.sql`` (fast, no
SQLAlchemy), written atomically: a reader sees no database or a complete one, never half.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from pathlib import Path

import ecmactl
from ecmactl.errors import EcmactlError, UsageError

SAMPLE_TABLE = "Employees"
SAMPLE_ANCHOR = "ContosoLogin"
SAMPLE_DISABLE_COLUMN = "AccountDisabled"
SAMPLE_WATERMARK_COLUMN = "LastModified"
SAMPLE_TEMPLATE = Path("sample") / "employees.sql"
_SIDECARS = ("-wal", "-shm", "-journal")


def templates_dir() -> Path:
    """The templates folder: inside the package in a wheel, at the repository root in a checkout."""
    package = Path(ecmactl.__file__).parent
    for candidate in (package / "templates", package.parent / "templates"):
        if (candidate / SAMPLE_TEMPLATE).is_file():
            return candidate
    raise EcmactlError(  # a broken installation, not a user mistake
        "The sample database template is missing from this ecmactl installation.",
        hint="Reinstall ecmactl (pip install --force-reinstall ecmactl).",
    )


def sample_schema_sql() -> str:
    """The SQL script that creates and seeds the sample Employees table (SQLite dialect)."""
    return (templates_dir() / SAMPLE_TEMPLATE).read_text(encoding="utf-8")


def create_sample_database(path: Path, *, overwrite: bool = False) -> Path:
    """Create the sample SQLite database at ``path`` (WAL journal mode); return its absolute path.

    Refuses to replace an existing file unless ``overwrite``. Builds in a temporary file in
    the same folder and renames it into place, so a failure leaves nothing behind.
    """
    path = Path(path).expanduser().absolute()
    if path.exists() and not overwrite:
        raise UsageError(
            f"{path} already exists.",
            hint="Pass --force to replace it, or choose another path.",
        )
    script = sample_schema_sql()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _write_error(path, exc) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        _build(tmp, script)
        if overwrite:
            # A stale WAL of the old database would be replayed onto the new file.
            _remove_sidecars(path)
        os.replace(tmp, path)
    except BaseException as exc:
        _remove(tmp)
        _remove_sidecars(tmp)
        if isinstance(exc, OSError):
            raise _write_error(path, exc) from exc
        raise
    return path


def _build(path: Path, script: str) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.executescript(script)
        conn.commit()
        # WAL lets the host's readers and its single writer work side by side; the mode is
        # stored in the file, so every later connection gets it.
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if str(mode).lower() != "wal":  # pragma: no cover - only on filesystems without mmap
            raise EcmactlError(
                f"SQLite could not switch {path.parent} to WAL journal mode.",
                hint="Create the sample on a local disk, not a network share.",
            )
    finally:
        conn.close()  # the last connection checkpoints and removes the -wal and -shm files


def _write_error(path: Path, exc: OSError) -> EcmactlError:
    reason = exc.strerror or type(exc).__name__
    return EcmactlError(
        f"Cannot write the sample database {path}: {reason}.",
        hint="Choose a folder you can write to, with free space.",
    )


def _remove_sidecars(path: Path) -> None:
    for suffix in _SIDECARS:
        _remove(path.with_name(path.name + suffix))


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
