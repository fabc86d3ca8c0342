"""An in-memory ``RowStore``: for the host's tests, the benchmarks, and anyone without a database.

It behaves like a database where the host can tell: every write is atomic under one lock (so
50 threads inserting the same anchor yield exactly one row), unique columns are enforced, NOT
NULL, length and text constraints raise ``ConstraintViolation`` naming the column, defaults are
filled in, and a watermark column (when given) is stamped on every write that does not set it
with a strictly increasing UTC time, as the sample table's trigger does, so ``changed_since``
works as on a real table. ``ecmactl.rowstore_contract`` holds it to the databases' behaviour.
Multi-valued attributes (``multi_valued`` keys) are lists of elements, as ``SqlRowStore``
returns them from its child tables: a write gives a key's whole set, which does not stamp the
watermark (a child row's change leaves the parent row as it was).

Test switches, none of which a database has:

- ``available = False``: every call raises ``DatabaseUnavailable`` (an outage), until set back;
- ``hooks["before_select"]`` / ``hooks["after_select"]``: called (in the import's thread) when
  ``iter_rows`` starts and right after it took its snapshot, so a test can hold a full import at
  a precise point with ``threading.Event``s and race writes against it deterministically.
"""

from __future__ import annotations

import copy
import re
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from ecmactl.config.models import Connector
from ecmactl.rowstore import (
    ConstraintViolation,
    DatabaseUnavailable,
    RowCount,
    StoreError,
    UniqueViolation,
    multi_valued_keys,
    sort_elements,
    store_columns,
)

_FREE = object()
_SURROGATE = re.compile("[\ud800-\udfff]")  # no UTF-8 for any driver: refused as SqlRowStore does
_UUID_TYPES = ("UUID", "CHAR(36)", "UNIQUEIDENTIFIER")


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _new_uuid() -> str:
    return str(uuid.uuid4())


class MemoryRowStore:
    """One table in memory. Rows are copied on the way in and out, as a database would."""

    def __init__(
        self,
        columns: list[str],
        anchor: str,
        *,
        unique: Iterable[str] = (),
        not_null: Iterable[str] = (),
        max_length: Mapping[str, int] | None = None,
        defaults: Mapping[str, Any] | None = None,
        watermark: str | None = None,
        multi_valued: Iterable[str] = (),
        rows: Iterable[Mapping[str, Any]] = (),
    ) -> None:
        """``defaults`` maps a column to its value, or to a function of nothing called on each
        insert (a DEFAULT expression such as a new UUID)."""
        if anchor not in columns:
            raise ValueError(f"the anchor {anchor!r} is not one of the columns")
        self._columns = list(columns)
        self.multi_valued = [k for k in multi_valued if k not in columns]
        self.anchor = anchor
        self.unique = [c for c in dict.fromkeys([anchor, *unique]) if c in columns]
        self.not_null = set(not_null) | {anchor}
        self.max_length = dict(max_length or {})
        self.defaults = dict(defaults or {})
        self.watermark = watermark if watermark in columns else None
        self.available = True
        self.closed = False
        self.hooks: dict[str, Callable[[], None]] = {}
        self.calls: dict[str, int] = {}
        self._lock = threading.Lock()
        self._rows: dict[Any, dict[str, Any]] = {}
        # value -> anchor for each unique column: constant-time checks, as a database index.
        self._taken: dict[str, dict[Any, Any]] = {c: {} for c in self.unique}
        self._last_stamp = datetime(2000, 1, 1)
        for row in rows:
            self.insert(row)

    @classmethod
    def for_connector(
        cls, connector: Connector, rows: Iterable[Mapping[str, Any]] = ()
    ) -> MemoryRowStore:
        """A store shaped like the connector's table: the columns a ``SqlRowStore`` would read
        (anchor, selected attributes, disable and watermark columns), with their constraints.
        ``rows`` may hold other columns of the table; they are left out, as a SELECT would."""
        wanted = set(store_columns(connector))
        table = [c for c in connector.schema.columns if c.name in wanted]
        defaults: dict[str, Any] = {}
        for column in table:  # the sample table's kinds of DEFAULT
            if not column.has_default:
                continue
            if column.data_type == "Boolean":
                defaults[column.name] = False
            elif column.data_type == "DateTime":
                defaults[column.name] = _utc_now
            elif column.sql_type.upper() in _UUID_TYPES:
                defaults[column.name] = _new_uuid
        names = [c.name for c in table]
        multi = multi_valued_keys(connector)
        return cls(
            names,
            connector.schema.anchor,
            unique=[c.name for c in table if c.unique or c.primary_key],
            not_null=[c.name for c in table if not c.nullable and not c.has_default],
            max_length={c.name: c.max_length for c in table if c.max_length is not None},
            defaults=defaults,
            watermark=connector.global_.watermark_column,
            multi_valued=multi,
            rows=[{k: v for k, v in row.items() if k in wanted or k in multi} for row in rows],
        )

    # -- RowStore ---------------------------------------------------------------------------

    @property
    def columns(self) -> list[str]:
        return list(self._columns)

    def iter_rows(self, batch_size: int = 10_000) -> Iterator[list[dict[str, Any]]]:
        self._enter("iter_rows")
        self._hook("before_select")
        with self._lock:
            self._check_available()
            snapshot = [self._copy(r) for r in self._rows.values()]
        self._hook("after_select")
        for start in range(0, len(snapshot), batch_size):
            self._check_available()  # an outage in the middle of a stream
            yield snapshot[start : start + batch_size]

    def count_rows(self) -> RowCount | None:
        self._enter("count_rows")
        with self._lock:
            self._check_available()
            return RowCount(len(self._rows), exact=True)

    def read_row(self, anchor: Any) -> dict[str, Any] | None:
        self._enter("read_row")
        with self._lock:
            self._check_available()
            row = self._rows.get(anchor)
            return self._copy(row) if row is not None else None

    def changed_since(self, watermark: Any) -> tuple[list[dict[str, Any]], Any]:
        self._enter("changed_since")
        column = self.watermark
        if column is None:
            raise StoreError(
                "This store has no watermark column; delta import needs one (Global page)."
            )
        with self._lock:
            self._check_available()
            found = [
                self._copy(r)
                for r in self._rows.values()
                if watermark is None or r[column] > watermark
            ]
        found.sort(key=lambda r: r[column])  # ORDER BY the watermark, as SqlRowStore
        return found, found[-1][column] if found else watermark

    def insert(self, values: Mapping[str, Any]) -> dict[str, Any]:
        self._enter("insert")
        with self._lock:
            self._check_available()
            self._check_unknown(values)
            row = {c: values[c] if c in values else self._default(c) for c in self._columns}
            self._check_constraints(row)
            self._check_unique(row, replacing=None)
            self._stamp(row, values, previous=None)
            row.update(self._lists(values, None))
            self._store(row, previous=None)
            return self._copy(row)

    def update(self, anchor: Any, values: Mapping[str, Any]) -> dict[str, Any] | None:
        self._enter("update")
        with self._lock:
            self._check_available()
            current = self._rows.get(anchor)
            if current is None:
                return None
            self._check_unknown(values)
            lists = self._lists(values, current)
            values = {k: v for k, v in values.items() if k not in lists}
            if not values:  # nothing to change: no UPDATE, so no trigger stamps it
                row = {**current, **lists}
                self._store(row, previous=current)
                return self._copy(row)
            row = {**current, **values, **lists}
            if row[self.anchor] != anchor:
                raise ConstraintViolation(
                    "the anchor cannot change", column=self.anchor, kind="check"
                )
            self._check_constraints(row)
            self._check_unique(row, replacing=anchor)
            self._stamp(row, values, previous=current)
            self._store(row, previous=current)
            return self._copy(row)

    def delete(self, anchor: Any) -> bool:
        self._enter("delete")
        with self._lock:
            self._check_available()
            row = self._rows.pop(anchor, None)
            if row is None:
                return False
            self._forget(row)
            return True

    def ping(self) -> None:
        self._enter("ping")
        self._check_available()

    def async_writes(self) -> None:
        return None  # its hooks may block, as a database would: the host uses worker threads

    def close(self) -> None:
        self.closed = True

    # -- for tests ----------------------------------------------------------------------------

    def snapshot(self) -> dict[Any, dict[str, Any]]:
        """Every row by anchor (copies), bypassing the outage switch."""
        with self._lock:
            return copy.deepcopy(self._rows)

    # -- checks -------------------------------------------------------------------------------

    def _enter(self, name: str) -> None:
        self.calls[name] = self.calls.get(name, 0) + 1

    def _hook(self, name: str) -> None:
        hook = self.hooks.get(name)
        if hook is not None:
            hook()

    def _default(self, column: str) -> Any:
        default = self.defaults.get(column)
        return default() if callable(default) else default

    def _check_available(self) -> None:
        if not self.available:
            raise DatabaseUnavailable("the memory database is switched off (simulated outage)")

    def _copy(self, row: Mapping[str, Any]) -> dict[str, Any]:
        out = dict(row)
        for key in self.multi_valued:
            out[key] = [dict(e) for e in row.get(key, [])]
        return out

    def _lists(
        self, values: Mapping[str, Any], current: Mapping[str, Any] | None
    ) -> dict[str, list[dict[str, Any]]]:
        """The multi-valued sets a write gives (all of them, empty, on an insert)."""
        lists: dict[str, list[dict[str, Any]]] = {}
        for key in self.multi_valued:
            if key not in values:
                if current is None:
                    lists[key] = []
                continue
            given = values[key] or []
            if any(not isinstance(e, Mapping) or e.get("value") is None for e in given):
                raise ConstraintViolation(
                    f"NOT NULL constraint failed: a value of {key}", column=key, kind="not_null"
                )
            lists[key] = sort_elements([dict(e) for e in given])
        return lists

    def _check_unknown(self, values: Mapping[str, Any]) -> None:
        unknown = [k for k in values if k not in self._columns and k not in self.multi_valued]
        if unknown:
            raise ConstraintViolation(
                f"no column named {unknown[0]!r}", column=unknown[0], kind="other"
            )

    def _check_constraints(self, row: Mapping[str, Any]) -> None:
        for column in self._columns:
            value = row.get(column)
            if value is None and column in self.not_null:
                raise ConstraintViolation(
                    f"NOT NULL constraint failed: {column}", column=column, kind="not_null"
                )
            if not isinstance(value, str):
                continue
            if "\x00" in value or _SURROGATE.search(value) is not None:
                raise ConstraintViolation(
                    f"invalid text for {column} (NUL or a lone surrogate)",
                    column=column,
                    kind="invalid_value",
                )
            limit = self.max_length.get(column)
            if limit is not None and len(value) > limit:
                raise ConstraintViolation(
                    f"value too long for {column} ({len(value)} > {limit})",
                    column=column,
                    kind="too_long",
                )

    def _check_unique(self, row: Mapping[str, Any], *, replacing: Any) -> None:
        for column, taken in self._taken.items():
            value = row.get(column)
            if value is None:
                continue
            owner = taken.get(value, _FREE)
            if owner is not _FREE and owner != replacing:
                raise UniqueViolation(f"UNIQUE constraint failed: {column}", column=column)

    def _store(self, row: dict[str, Any], *, previous: dict[str, Any] | None) -> None:
        if previous is not None:
            self._forget(previous)
        anchor = row[self.anchor]
        self._rows[anchor] = row
        for column, taken in self._taken.items():
            if row.get(column) is not None:
                taken[row[column]] = anchor

    def _forget(self, row: Mapping[str, Any]) -> None:
        for column, taken in self._taken.items():
            if row.get(column) is not None:
                taken.pop(row[column], None)

    def _stamp(
        self, row: dict[str, Any], values: Mapping[str, Any], *, previous: Mapping[str, Any] | None
    ) -> None:
        column = self.watermark
        if column is None:
            return
        given = values.get(column)
        if given is not None and (previous is None or given != previous[column]):
            return  # the writer set it: the sample table's trigger keeps that value too
        # Strictly increasing, as a trigger-maintained LastModified would be (mostly).
        self._last_stamp = max(_utc_now(), self._last_stamp + timedelta(microseconds=1))
        row[column] = self._last_stamp
