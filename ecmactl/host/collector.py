"""No cyclic garbage collection while a full import builds its cache.

A full import allocates a dict per row (millions) that all survive: the collector would walk
the growing cache again at every generation-1 and -2 pass while it is built (~3 % of a 1M-row
import, 2,500 passes). Rows and indexes hold no reference cycles, so nothing is lost by pausing
it; reference counting frees everything as usual, and the collector resumes when the last
concurrent import ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_imports = 0  # imports running now (one per connector at most)
_resume = False  # whether the collector was enabled when the first one started


@contextmanager
def collector_paused() -> Iterator[None]:
    global _imports, _resume
    with _lock:
        if _imports == 0:
            _resume = gc.isenabled()
            gc.disable()
        _imports += 1
    try:
        yield
    finally:
        with _lock:
            _imports -= 1
            if _imports == 0 and _resume:
                gc.enable()
