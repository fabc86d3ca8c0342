"""Fewer cyclic garbage collections while a full import builds its cache.

A full import allocates a dict per row (millions) that all survive: with the default
thresholds the collector would walk the growing cache again at every generation-1 and -2 pass
(bench/RESULTS.md has the count). Rows and indexes hold no reference cycles, so during an
import the first generation's threshold is raised a hundredfold rather than the collector
turned off: cyclic garbage from requests served meanwhile is still collected, just less often.
The thresholds come back when the last concurrent import ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

IMPORT_FACTOR = 100  # first-generation threshold during an import: 700 -> 70,000 allocations

_lock = threading.Lock()
_imports = 0  # imports running now (one per connector at most)
_thresholds: tuple[int, ...] = ()  # the thresholds before the first of them started


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the first-generation threshold until the last import that entered has left."""
    global _imports, _thresholds
    with _lock:
        if _imports == 0:
            _thresholds = gc.get_threshold()
            first, *rest = _thresholds
            gc.set_threshold(first * IMPORT_FACTOR, *rest)
        _imports += 1
    try:
        yield
    finally:
        with _lock:
            _imports -= 1
            if _imports == 0:
                gc.set_threshold(*_thresholds)
