"""One host per home: an OS file lock on ``<home>/run/host.lock``, held for the host's lifetime.

Checking the run file and then writing it is a race (two hosts started at the same moment both
see no run file and both serve). The lock is atomic instead: ``fcntl.flock`` on POSIX,
``msvcrt.locking`` on Windows, taken before the port is bound; the OS drops it when the process
ends, however it ends (SIGKILL included), so a stale lock cannot block the next start.

The holder writes its PID (and, once bound, its address) into the file, so the one that loses
can say which host is running. The file itself is never removed: removing a locked file would let
the next host lock a new file beside a still-running one.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from ecmactl.errors import EcmactlError
from ecmactl.file_lock import try_lock
from ecmactl.home import Home
from ecmactl.host import runfile
from ecmactl.invocation import command

LOCK_FILE = "host.lock"
_DESCRIBE_WAIT_S = 2.0  # how long the loser waits for the holder to write its address


class HostAlreadyRunning(EcmactlError):
    """Another `host run` holds this home's lock (exit 1)."""


def lock_path(home: Home) -> Path:
    return home.root / "run" / LOCK_FILE


class InstanceLock:
    """The held lock; ``describe`` records who holds it, ``release`` lets it go."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path, self._fd = path, fd

    def describe(self, text: str) -> None:
        """Replace the file's text (``PID n on https://…``) for a host that loses the race."""
        if self._fd < 0:
            return
        data = text.encode()
        os.lseek(self._fd, 0, os.SEEK_SET)
        os.write(self._fd, data)
        os.ftruncate(self._fd, len(data))

    def release(self) -> None:
        fd, self._fd = self._fd, -1
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.close(fd)  # closing the descriptor drops the lock (both platforms)

    def __enter__(self) -> InstanceLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def acquire(home: Home) -> InstanceLock:
    """Take the home's lock, or raise HostAlreadyRunning naming the holder."""
    path = lock_path(home)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):  # advisory on Windows (ACLs)
            os.chmod(path.parent, 0o700)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:  # run/ is a file, a read-only home (systemd's ProtectSystem=)
        raise runfile.unwritable(home, exc) from None
    try:
        locked = try_lock(fd)
    except BaseException:
        os.close(fd)
        raise
    if not locked:
        os.close(fd)
        raise HostAlreadyRunning(
            f"a host is already running from {home.root} ({_holder(path)})",
            hint="Stop it first (`systemctl stop ecmactl-host`, or Ctrl-C where it runs); "
            f"`{command('host', 'status')}` shows it.",
        )
    lock = InstanceLock(path, fd)
    lock.describe(f"PID {os.getpid()}, starting")
    return lock


def _holder(path: Path) -> str:
    """What the holder wrote; it may still be binding, so wait a moment for its address."""
    end = time.monotonic() + _DESCRIBE_WAIT_S
    text = ""
    while True:
        with contextlib.suppress(OSError, UnicodeDecodeError):
            text = path.read_bytes()[:200].decode().strip()
        if " on " in text or time.monotonic() >= end:
            return text or "PID unknown"
        time.sleep(0.05)  # a poll interval, bounded by the deadline
