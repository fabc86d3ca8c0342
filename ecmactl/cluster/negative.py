"""Keys the database was asked for and did not have, so a repeated miss costs no query.

A cache miss on a clustered connector asks the database before answering 404 (another host may
have created the row a moment ago); the answer "no such row" is kept here. An entry is dropped
when the change feed announces a write to its anchor (any other write puts its row in the cache,
which is consulted first), when the feed reconnects or the cache is rebuilt (``clear``), and
after ``TTL_S``, so rows written by other programs, which the feed never announces, are not
hidden for longer than that.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable

TTL_S = 30.0
MAX_ENTRIES = 100_000


class NegativeCache:
    """(index spec, key) → when the database last said it has no such row."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._missing: dict[Hashable, float] = {}
        self.hits = 0

    def __len__(self) -> int:
        return len(self._missing)

    def known_missing(self, key: Hashable) -> bool:
        stamp = self._missing.get(key)
        if stamp is None:
            return False
        if self._clock() - stamp > TTL_S:
            del self._missing[key]
            return False
        self.hits += 1
        return True

    def add(self, key: Hashable) -> None:
        if len(self._missing) >= MAX_ENTRIES:
            del self._missing[next(iter(self._missing))]  # insertion order: the oldest
        self._missing.pop(key, None)
        self._missing[key] = self._clock()

    def discard(self, key: Hashable) -> None:
        self._missing.pop(key, None)

    def clear(self) -> None:
        self._missing.clear()
