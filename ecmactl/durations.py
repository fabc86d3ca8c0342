"""Durations as people type them on a command line: ``30d``, ``2w``, ``36h``, ``1d12h``, ``90m``,
``1.5h``, ``0s`` or ``0``; one grammar for every flag that takes one (--grace, --expires-in).

Units are weeks, days, hours, minutes and seconds; parts are written largest first by habit, but
any order adds up. The error is the caller's to word, because it names the caller's flag.
"""

from __future__ import annotations

import re
from datetime import timedelta

UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
_PART = re.compile(r"(\d+(?:\.\d+)?)([wdhms])")


def parse_duration(text: str) -> timedelta:
    """``text`` as a duration (case and surrounding blanks ignored); ValueError if it is none."""
    value = text.strip().lower()
    if value == "0":
        return timedelta(0)
    parts = _PART.findall(value)
    if not parts or "".join(number + unit for number, unit in parts) != value:
        raise ValueError(f"not a duration: {text!r}")
    return timedelta(seconds=sum(float(number) * UNITS[unit] for number, unit in parts))
