"""The in-memory cache of one connector: rows by anchor, equality indexes, rendered resources.

Rows are the dicts the ``RowStore`` returned, never modified in place (an update replaces the
dict), so a row can be shared between the cache, a journal and an import without copies.

Indexes follow ``UserMapping.index_specs()``: one per ``(column, case_exact)``, keyed like
``UserMapping.index_key`` (strings case-folded unless exact). The anchor's exact index is the
row dict itself. Building every index eagerly would cost one dict entry per row per selected
column (a gigabyte at a million rows), so a cache is built with the indexes asked for (the
core matching attributes, plus every index a query has used since the host started) and builds
any other one the first time a query needs it, then maintains it.

A multi-valued attribute's index (a child table's, whose row value is a list of elements) holds
each element's ``value``: a row is found by any of its values.

Rendered resources are kept as JSON bytes per row, for one base URL at a time (the Host
header the clients use), so the hot ``GET /Users?filter=userName eq "x"`` path is a dict lookup
and a byte join.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

from ecmactl.scim.mapping import UserMapping

Spec = tuple[str, bool]  # (column name, case_exact)
Row = dict[str, Any]
KeyFn = Callable[[Any], Hashable]

_MAX_BASE_URLS = 4  # distinct Host headers whose renderings are kept
# Renderings kept per base URL (~840 bytes each): without a bound, Entra reading every user once
# would add the whole table again in JSON (bench/RESULTS.md has the peak memory with and
# without). The oldest rendering is dropped first; rendering it again when needed is cheap.
_MAX_RENDERED_PER_URL = 25_000
encode_json: Callable[[Any], str] = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":")
).encode


def _casefold_key(value: Any) -> Hashable:
    # Mirrors UserMapping.index_key for a target that is not case-exact.
    return value.casefold() if isinstance(value, str) else value


def _exact_key(value: Any) -> Hashable:
    return value  # type: ignore[no-any-return]


def _values(value: Any) -> Sequence[Any]:
    """The index keys' sources in a row value: itself, each element's value of a multi-valued
    attribute (a list), or none (NULL)."""
    if value is None:
        return ()
    if value.__class__ is list:
        return [element["value"] for element in value]
    return (value,)


def key_function(case_exact: bool) -> KeyFn:
    """How a column value becomes an index key (see ``UserMapping.index_key``)."""
    return _exact_key if case_exact else _casefold_key


class Index:
    """Key → anchors. Most keys have one anchor, stored bare; duplicates go to ``_many``."""

    __slots__ = ("_many", "_one")

    def __init__(self) -> None:
        self._one: dict[Hashable, Any] = {}
        self._many: dict[Hashable, list[Any]] = {}

    def add(self, key: Hashable, anchor: Any) -> None:
        many = self._many.get(key)
        if many is not None:
            if anchor not in many:
                many.append(anchor)
            return
        one = self._one.setdefault(key, anchor)
        if one != anchor:
            del self._one[key]
            self._many[key] = [one, anchor]

    def add_rows(self, rows: Iterable[Row], column: str, anchor: str, case_exact: bool) -> None:
        """``add`` for a batch of rows, inlined: the full import's hot loop."""
        one, many = self._one, self._many
        setdefault = one.setdefault
        keyfn = key_function(case_exact)
        for row in rows:
            value = row.get(column)
            if value is None:
                continue
            if value.__class__ is list:  # a multi-valued attribute: each element's value
                for element in value:
                    self.add(keyfn(element["value"]), row[anchor])
                continue
            if not case_exact and value.__class__ is str:
                value = value.casefold()
            key = row[anchor]
            if many and value in many:
                self.add(value, key)
                continue
            first = setdefault(value, key)
            if first is not key and first != key:
                del one[value]
                many[value] = [first, key]

    def remove(self, key: Hashable, anchor: Any) -> None:
        many = self._many.get(key)
        if many is None:
            if key in self._one and self._one[key] == anchor:
                del self._one[key]
            return
        if anchor in many:
            many.remove(anchor)
        if len(many) == 1:
            self._one[key] = many[0]
            del self._many[key]

    def get(self, key: Hashable) -> Sequence[Any]:
        many = self._many.get(key)
        if many is not None:
            return many
        if key in self._one:
            return (self._one[key],)
        return ()

    def __len__(self) -> int:
        return len(self._one) + sum(len(m) for m in self._many.values())


class FoldedAnchorIndex:
    """The case-folded index of the anchor column, without a copy of the rows dict.

    Most anchors already equal their case fold (``jdoe@contoso.com``); for those the rows dict
    is the index: a folded key that is itself an anchor names that row. Only anchors that change
    when folded (``JDoe``) are kept in a real ``Index``. At 1,000,000 lower-case anchors this
    saves a million-entry dict, in time and memory of the full import (bench/RESULTS.md).
    """

    __slots__ = ("_folded", "_rows")

    def __init__(self, rows: dict[Any, Row]) -> None:
        self._rows = rows
        self._folded = Index()  # casefold(anchor) -> anchors that differ from their fold

    def add(self, key: Hashable, anchor: Any) -> None:
        if key != anchor:
            self._folded.add(key, anchor)

    def add_rows(self, rows: Iterable[Row], column: str, anchor: str, case_exact: bool) -> None:
        folded = self._folded
        for row in rows:
            value = row[anchor]
            if value.__class__ is str:
                key = value.casefold()
                if key != value:
                    folded.add(key, value)

    def remove(self, key: Hashable, anchor: Any) -> None:
        if key != anchor:
            self._folded.remove(key, anchor)

    def get(self, key: Hashable) -> Sequence[Any]:
        others = self._folded.get(key)
        if key in self._rows and _casefold_key(key) == key:
            return (key, *others) if others else (key,)
        return others

    def __len__(self) -> int:
        return len(self._rows)


class Cache:
    """One connector's rows, as the database last said (plus the host's committed writes)."""

    def __init__(self, mapping: UserMapping, specs: Iterable[Spec] = ()) -> None:
        self.mapping = mapping
        self.anchor = mapping.anchor.name
        self.rows: dict[Any, Row] = {}
        self._indexes: dict[Spec, tuple[str, KeyFn, Index | FoldedAnchorIndex]] = {}
        self._encoded: dict[str, dict[Any, bytes]] = {}
        for spec in specs:
            if not self._is_rows_index(spec):
                self._indexes[spec] = (spec[0], key_function(spec[1]), self._new_index(spec))

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def index_specs(self) -> list[Spec]:
        return list(self._indexes)

    def _is_rows_index(self, spec: Spec) -> bool:
        return spec == (self.anchor, True)

    def _new_index(self, spec: Spec) -> Index | FoldedAnchorIndex:
        return FoldedAnchorIndex(self.rows) if spec == (self.anchor, False) else Index()

    # -- loading and writing ------------------------------------------------------------------

    def load(self, batch: Iterable[Row]) -> None:
        """Add rows from a full import (the fast path: a fresh cache, no renderings yet)."""
        rows, anchor = self.rows, self.anchor
        fresh: list[Row] = []
        for row in batch:
            key = row[anchor]
            if key in rows:  # a duplicate anchor in the table: the last one wins
                self._index_rows(fresh)
                fresh = []
                self.upsert(row)
                continue
            rows[key] = row
            fresh.append(row)
        self._index_rows(fresh)

    def _index_rows(self, rows: list[Row]) -> None:
        for (column, case_exact), (_, _, index) in self._indexes.items():
            index.add_rows(rows, column, self.anchor, case_exact)

    def upsert(self, row: Row) -> None:
        """Insert or replace the row with this anchor (after the database committed it)."""
        key = row[self.anchor]
        old = self.rows.get(key)
        if old is not None:
            self._unindex(old, key)
        self.rows[key] = row
        for column, keyfn, index in self._indexes.values():
            for value in _values(row.get(column)):
                index.add(keyfn(value), key)
        self._forget_rendering(key)

    def delete(self, anchor: Any) -> bool:
        old = self.rows.pop(anchor, None)
        if old is None:
            return False
        self._unindex(old, anchor)
        self._forget_rendering(anchor)
        return True

    def _unindex(self, row: Row, anchor: Any) -> None:
        for column, keyfn, index in self._indexes.values():
            for value in _values(row.get(column)):
                index.remove(keyfn(value), anchor)

    def _forget_rendering(self, anchor: Any) -> None:
        for rendered in self._encoded.values():
            rendered.pop(anchor, None)

    # -- reading ------------------------------------------------------------------------------

    def get(self, anchor: Any) -> Row | None:
        return self.rows.get(anchor)

    def has_index(self, spec: Spec) -> bool:
        return self._is_rows_index(spec) or spec in self._indexes

    def build_index(self, spec: Spec) -> None:
        """Build an index now (a query needs it); kept up to date from then on."""
        if self.has_index(spec):
            return
        column, keyfn, index = spec[0], key_function(spec[1]), self._new_index(spec)
        for anchor, row in self.rows.items():
            for value in _values(row.get(column)):
                index.add(keyfn(value), anchor)
        self._indexes[spec] = (column, keyfn, index)

    def lookup(self, spec: Spec, key: Hashable) -> list[Row]:
        """The rows whose column value has this index key (the index is built if missing)."""
        if self._is_rows_index(spec):
            row = self.rows.get(key)
            return [row] if row is not None else []
        if spec not in self._indexes:
            self.build_index(spec)
        rows = self.rows
        return [rows[a] for a in self._indexes[spec][2].get(key)]

    def resource(self, row: Row, base_url: str) -> dict[str, Any]:
        """The SCIM resource of a row (a fresh dict the caller may change)."""
        return self.mapping.to_resource(row, base_url)

    def encoded(self, row: Row, base_url: str) -> bytes:
        """The resource of a cached row as JSON bytes, rendered once per row version."""
        rendered = self._encoded.get(base_url)
        if rendered is None:
            if len(self._encoded) >= _MAX_BASE_URLS:
                return encode_json(self.resource(row, base_url)).encode()
            rendered = self._encoded[base_url] = {}
        key = row[self.anchor]
        data = rendered.get(key)
        if data is None:
            data = encode_json(self.resource(row, base_url)).encode()
            if self.rows.get(key) is row:  # keep renderings of the cached version only
                if len(rendered) >= _MAX_RENDERED_PER_URL:
                    del rendered[next(iter(rendered))]  # dicts keep insertion order: FIFO
                rendered[key] = data
        return data
