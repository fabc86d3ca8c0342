"""The contract between the host and the database: how rows are read and written.

``ecmactl.sql.rows.SqlRowStore`` implements it with SQLAlchemy; the host (``ecmactl.host``)
depends only on this protocol, so its tests can use an in-memory store and its hot path never
imports SQLAlchemy. Rows are plain dicts ``{column name: Python value}`` holding exactly the
columns in ``RowStore.columns``; values use the Python types ``ecmactl.scim.values`` expects
(str, int, bool, datetime, bytes, None; UUIDs as lowercase str, MariaDB TINYINT(1) booleans as
bool).

Multi-valued attributes (child tables, ``Connector.schema.child_tables``): a row also holds,
under each ``MultiValuedAttribute.key`` (``multi_valued_keys``), the list of that attribute's
values, one element per child row: ``{"value": v}`` plus ``"type": str | None`` when the
attribute has a type column and ``"primary": bool`` when it has a primary column, in the order
of ``sort_elements``; ``[]`` when the parent has no child rows. A write's ``values`` may hold
such a list: it replaces the attribute's whole set (absent: left as it is).

Every write runs in one transaction that is committed before the method returns; a method that
raises has changed nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from ecmactl.config.models import Connector
from ecmactl.errors import EcmactlError

# "raised": a procedure or trigger refused the write with its own message (RAISE EXCEPTION,
# SIGNAL, THROW); the message is the database's, for the client to read.
ViolationKind = Literal[
    "not_null", "too_long", "invalid_value", "foreign_key", "check", "raised", "other"
]


class StoreError(EcmactlError):
    """Base class of the errors a RowStore raises (never with a password in the message)."""


class DatabaseUnavailable(StoreError):
    """The database cannot be reached or is locked/read-only right now; try again later.

    The host answers writes with 503 + Retry-After and keeps serving reads from its cache.
    """


class NotWriter(StoreError):
    """This host may not commit writes now: another host of the connector holds the writer
    lease (active/standby), or this host's lease lapsed. Nothing was written; the host answers
    503 + Retry-After so the client retries (through the active host, or here once it is)."""


class UniqueViolation(StoreError):
    """A unique constraint refused the write (the host answers 409 uniqueness)."""

    def __init__(self, message: str, *, column: str | None = None) -> None:
        super().__init__(message)
        self.column = column


class ConstraintViolation(StoreError):
    """NOT NULL, length, type, foreign-key or check constraint (the host answers 400, naming
    the column when the database said which)."""

    def __init__(self, message: str, *, column: str | None, kind: ViolationKind) -> None:
        super().__init__(message)
        self.column = column
        self.kind = kind


@dataclass(frozen=True)
class RowCount:
    """How many rows a full import will read: exact, or the database's estimate ("about")."""

    rows: int
    exact: bool


class AsyncWrites(Protocol):
    """The writes of a store that an event loop can await without a worker thread each
    (SQLite's group writer). Same contract and errors as ``RowStore``'s methods."""

    def insert(self, values: Mapping[str, Any]) -> Awaitable[dict[str, Any]]: ...

    def update(
        self, anchor: Any, values: Mapping[str, Any]
    ) -> Awaitable[dict[str, Any] | None]: ...

    def delete(self, anchor: Any) -> Awaitable[bool]: ...


class RowStore(Protocol):
    """One connector's table."""

    @property
    def columns(self) -> list[str]:
        """The columns every row dict holds: anchor, selected attributes, the disable column
        and the watermark column (each once, in table order)."""
        ...

    def iter_rows(self, batch_size: int = 10_000) -> Iterator[list[dict[str, Any]]]:
        """Full import: every row, streamed in batches (never the whole table in memory at
        once on the database-driver side). Raises DatabaseUnavailable."""
        ...

    def count_rows(self) -> RowCount | None:
        """The rows ``iter_rows`` will yield, for a progress display: exact, or an estimate
        where counting would cost a scan of a large table; None when not cheaply known.
        Raises DatabaseUnavailable."""
        ...

    def read_row(self, anchor: Any) -> dict[str, Any] | None: ...

    def changed_since(self, watermark: Any) -> tuple[list[dict[str, Any]], Any]:
        """Delta import by the connector's watermark column: rows whose watermark is greater
        than ``watermark`` (all rows when None), and the new watermark (the highest seen, or
        ``watermark`` when nothing changed). Cannot see deletes."""
        ...

    def insert(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Insert one row; returns it as stored (defaults filled in), read back in the same
        transaction. UniqueViolation when the anchor (or another unique column) exists."""
        ...

    def update(self, anchor: Any, values: Mapping[str, Any]) -> dict[str, Any] | None:
        """Update one row by anchor; returns the stored row, or None when there is none."""
        ...

    def delete(self, anchor: Any) -> bool:
        """Delete one row by anchor; False when there was none."""
        ...

    def ping(self) -> None:
        """Raises DatabaseUnavailable when the database does not answer."""
        ...

    def async_writes(self) -> AsyncWrites | None:
        """The awaitable writes, when this store has them ready (never blocking to find out);
        None: call ``insert``/``update``/``delete`` in a worker thread."""
        ...

    def close(self) -> None: ...


def multi_valued_keys(connector: Connector) -> list[str]:
    """The row keys holding a multi-valued attribute's list, in file order."""
    return [a.key for _, a in connector.schema.multi_valued()]


def sort_elements(elements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One order for a multi-valued attribute's elements, whatever order the rows came in:
    the primary first, then by type and value (so equal sets compare equal)."""
    if len(elements) < 2:
        return elements
    return sorted(
        elements,
        key=lambda e: (not e.get("primary"), str(e.get("type") or ""), _sortable(e["value"])),
    )


def _sortable(value: Any) -> tuple[str, Any]:
    # Values of one column share a type; the name keeps a stray mix from raising TypeError.
    return (type(value).__name__, value)


def store_columns(connector: Connector) -> list[str]:
    """The columns a row holds: anchor, selected attributes, the disable column (when the
    deprovisioning flow sets it) and the watermark column, each once, in table order."""
    dep = connector.deprovisioning
    wanted = [connector.schema.anchor, *(a.column for a in connector.attributes)]
    if dep.disable_flow == "Set attribute value" and dep.disable_attribute:
        wanted.append(dep.disable_attribute)
    if connector.global_.watermark_column:
        wanted.append(connector.global_.watermark_column)
    wanted = list(dict.fromkeys(wanted))
    order = [c.name for c in connector.schema.columns]
    return [n for n in order if n in wanted] + [n for n in wanted if n not in order]
