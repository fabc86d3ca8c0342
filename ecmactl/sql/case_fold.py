"""A case-insensitive lookup in SQL that finds the rows the cache's rule (``str.casefold``)
matches, so a read-through does not answer "not found" for a row the cache would have found.

SQL has no case fold: PostgreSQL's ``lower()`` keeps ``ß`` and ``ς`` (Python folds them to
``ss`` and ``σ``), and MariaDB's collations disagree among themselves (``ß`` equals ``s`` under
``utf8mb4_general_ci``, ``ss`` under ``utf8mb4_unicode_ci``). A key's fold can come from several
lower-case spellings: ``strasse`` from ``strasse`` and ``straße``, ``σίσυφοσ`` from ``σίσυφος``.
The lookup asks for every such spelling with ``IN`` (on PostgreSQL against ``lower(column)``,
elsewhere against the column under its case-insensitive collation), so an index on the column
(MariaDB) or on ``lower(column)`` (PostgreSQL) still serves it; the caller re-checks each row
with ``casefold``. Folding the column in SQL instead (``translate``/``replace`` on every row)
made a miss on 10,000 rows up to 15 times slower and no index could serve it.

Spellings cover the characters that fold to several (``ß``, ``ẞ``, ligatures, Greek with
ypogegrammeni) and the final sigma. Other characters that fold to a single different one are
archaic or symbol forms (``ſ`` long s, ``µ`` micro sign, ``ϐ``, Cherokee small letters…):
MariaDB's collations equate most of them; on PostgreSQL a row spelled with them is found by the
cache and autosync, not by the read-through.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import func, literal, or_
from sqlalchemy.sql.elements import ColumnElement

_MAX_SPELLINGS = 64  # beyond: a fold of the column in SQL (a scan) instead of IN
_FINAL_SIGMA = {"ς": "σ"}  # the one single-character fold common in names


@functools.cache
def _multi() -> dict[str, str]:
    """Lower-case character → its fold, where that is several characters (``ß`` → ``ss``) or
    the final sigma. All are in the Basic Multilingual Plane (Unicode 15): 20 ms, once."""
    found = dict(_FINAL_SIGMA)
    for point in range(0x10000):
        lower = chr(point).lower()
        fold = lower.casefold()
        if len(lower) == 1 and len(fold) > 1:
            found[lower] = fold
    return found


def spellings(key: str) -> list[str]:
    """The lower-case spellings whose fold is ``key`` (itself folded): ``"strasse"`` →
    ``["strasse", "straße", …]``; at most ``_MAX_SPELLINGS`` + 1."""
    relevant = [(fold, source) for source, fold in _multi().items() if fold in key]
    if not relevant:
        return [key]

    @functools.cache
    def from_(i: int) -> tuple[str, ...]:
        if i == len(key):
            return ("",)
        found = [key[i] + rest for rest in from_(i + 1)]
        for fold, source in relevant:
            if key.startswith(fold, i):
                found += [source + rest for rest in from_(i + len(fold))]
            if len(found) > _MAX_SPELLINGS:
                break
        return tuple(found[: _MAX_SPELLINGS + 1])

    return list(from_(0))


def folded_equals(column: Any, key: str, dialect: str) -> ColumnElement[bool]:
    """A condition true for the rows whose ``column`` folds to ``key`` (``key.casefold()``),
    and perhaps a few more: the caller re-checks with ``casefold``."""
    target: Any = func.lower(column) if dialect == "postgresql" else column
    forms = spellings(key)
    if len(forms) <= _MAX_SPELLINGS:
        return target.in_(forms)  # type: ignore[no-any-return]
    chain: Any = func.lower(column)
    for source, fold in _multi().items():
        if fold in key:
            chain = func.replace(chain, literal(source), literal(fold))
    return or_(target == key, chain == key)
