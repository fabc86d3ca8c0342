"""An exclusive, non-blocking OS file lock: one host per home, one host per SQLite file."""

from __future__ import annotations

import os
import sys

# On Windows a locked byte cannot be read by others: lock one far beyond the text we write.
WINDOWS_LOCK_OFFSET = 1 << 20


def try_lock(fd: int) -> bool:
    """Take an exclusive OS lock on ``fd`` without waiting; False when another process holds it.
    The OS releases it when the process ends, however it ends (``kill -9`` included)."""
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import msvcrt

        os.lseek(fd, WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
