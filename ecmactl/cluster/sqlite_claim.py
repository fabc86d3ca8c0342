"""SQLite serves one host: a second `host run` on the same database file refuses to start.

SQLite has no change feed (no NOTIFY, and a polled change log would contend for its single
write lock with the connector's own writes), so two hosts on one file would each answer from a
cache that misses the other's writes. The first host takes an exclusive OS lock on
``<database>.ecmactl-host.lock`` beside the file (held for its lifetime, dropped by the OS
however it ends); a host from another home that finds it held says which host has it. Use
PostgreSQL or MariaDB to run several hosts.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from ecmactl.config.models import Connector
from ecmactl.errors import EcmactlError
from ecmactl.file_lock import try_lock
from ecmactl.home import Home, expand_home

SUFFIX = ".ecmactl-host.lock"


class SqliteInUse(EcmactlError):
    """Another host serves this SQLite database (exit 1)."""


class SqliteClaims:
    """The locks this host holds; ``release`` gives them back."""

    def __init__(self) -> None:
        self._fds: dict[Path, int] = {}

    def release(self) -> None:
        fds, self._fds = self._fds, {}
        for fd in fds.values():
            with contextlib.suppress(OSError):
                os.close(fd)

    def claim(self, path: Path, home: Home, connector: str) -> None:
        path = path.resolve()
        if path in self._fds:  # two connectors of this home on one file: one host, fine
            return
        lock = path.with_name(path.name + SUFFIX)
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:  # a read-only directory: SQLite cannot write there either; say so later
            return
        if not try_lock(fd):
            holder = _read(fd)
            os.close(fd)
            raise SqliteInUse(
                f"connector {connector}: another ecmactl host serves the SQLite database {path} "
                f"({holder}); SQLite serves one host",
                hint="Stop that host, or move the connector to PostgreSQL or MariaDB to run "
                "several hosts on one database.",
            )
        data = f"PID {os.getpid()}, home {home.root}".encode()
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, data)
        self._fds[path] = fd

    def claim_all(self, home: Home, connectors: list[Connector]) -> None:
        """Lock every SQLite database file ``connectors`` use (at start, and for the connectors
        a reload adds or replaces), or raise SqliteInUse holding none of the new ones."""
        from ecmactl.sql.connect import sqlite_path

        before = set(self._fds)
        try:
            for connector in connectors:
                path = sqlite_path(expand_home(connector.connectivity.database_url, home))
                if path is not None and path.exists():
                    self.claim(path, home, connector.name)
        except BaseException:
            for path in set(self._fds) - before:
                with contextlib.suppress(OSError):
                    os.close(self._fds.pop(path))
            raise


def claim_sqlite_databases(home: Home, connectors: list[Connector]) -> SqliteClaims:
    """Lock every SQLite database file the connectors use, or raise SqliteInUse."""
    claims = SqliteClaims()
    claims.claim_all(home, connectors)
    return claims


def _read(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return os.read(fd, 300).decode(errors="replace").strip() or "PID unknown"
    except OSError:
        return "PID unknown"
