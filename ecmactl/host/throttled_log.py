"""A warning that an unauthenticated client can trigger at will, logged at most once a minute.

The first occurrence is logged at once; later ones within the interval are counted and the
count goes into the next line, so a flood costs one line a minute, not one line per attempt.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

INTERVAL_S = 60.0


class ThrottledWarning:
    def __init__(
        self,
        logger: logging.Logger,
        interval: float = INTERVAL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.logger = logger
        self.interval = interval
        self.clock = clock
        self.total = 0
        self._last: float | None = None
        self._suppressed = 0

    def __call__(self, message: str, *args: object) -> None:
        """Log ``message % args`` unless a line went out less than ``interval`` ago."""
        self.total += 1
        now = self.clock()
        last = self._last
        if last is not None and now - last < self.interval:
            self._suppressed += 1
            return
        if last is not None and self._suppressed:
            message += " (%d more like this in the last %d s)"
            args = (*args, self._suppressed, round(now - last))
        self._last, self._suppressed = now, 0
        self.logger.warning(message, *args)
