"""Values crossing the row store's boundary, the same in every dialect.

Out of the database (``ColumnSpec.reader``): booleans as bool (MariaDB TINYINT(1), SQLite 0/1,
BIT(1) bytes), UUIDs as lowercase str, CHAR(n) without the padding PostgreSQL and SQL Server
add, DECIMAL(n,0) as int, SQLite timestamp text as datetime; everything else as the driver
returns it. Naive datetimes are in the data source time zone; the SCIM layer converts them.

On SQLite the conversions run inside the sqlite3 module (``PARSE_COLNAMES`` converters named by
column labels), so a full import pays no per-row Python loop; other dialects, and SQLite engines
not built by ``store_engine``, use the Python converters.

Into the database (``prepare``): what ``ecmactl.scim.values.to_db`` produces is passed through;
anything else is checked per column, so a bad value is refused naming its column before the
driver turns it into an anonymous error.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Column as SqlColumn
from sqlalchemy.types import (
    CHAR,
    NCHAR,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    String,
    TypeEngine,
    Uuid,
    _Binary,
)

from ecmactl.config.models import Column, DataType
from ecmactl.rowstore import ConstraintViolation

_SURROGATE = re.compile("[\ud800-\udfff]")  # as ecmactl.scim.text (the SQL layer imports no SCIM)

Converter = Callable[[Any], Any]

_FALSE_TEXT = frozenset(("", "0", "false", "f", "no", "n", "off"))
_TRUE_TEXT = frozenset(("1", "true", "t", "yes", "y", "on"))
_PADDING_DIALECTS = frozenset(("postgresql", "mssql"))  # MariaDB strips CHAR padding itself


@dataclass(frozen=True)
class ColumnSpec:
    """One table column as the store reads and writes it."""

    name: str
    data_type: DataType
    sql_type: TypeEngine[Any]
    max_length: int | None  # enforced here only where the database does not (SQLite)
    uuid: bool  # a UUID/uniqueidentifier column: read as lowercase text
    native_uuid: bool  # bind uuid.UUID objects (PostgreSQL's uuid type)
    padded: bool  # CHAR(n) the server pads with spaces
    aware: bool  # a timestamp-with-time-zone column
    reader: Converter | None  # raw driver value -> normalised value (None: already right)
    sqlite_label: str | None  # the PARSE_COLNAMES converter doing the same on SQLite


def column_spec(column: SqlColumn[Any], config: Column | None, dialect: str) -> ColumnSpec:
    """How to read and write ``column`` (reflected), typed as the connector's config says.

    SQLite reflects unknown declared types (UUID, DATETIME2) as NUMERIC by affinity; those
    columns are retyped from the config, or SQLAlchemy would bind text as a number.
    """
    data_type: DataType = config.data_type if config is not None else data_type_of(column.type)
    if dialect == "sqlite" and not _fits(column.type, data_type):
        column.type = _GENERIC[data_type]()
    sql_type = column.type
    declared = (config.sql_type if config is not None else "").upper()
    is_uuid = isinstance(sql_type, Uuid) or "UUID" in declared or declared == "UNIQUEIDENTIFIER"
    padded = dialect in _PADDING_DIALECTS and isinstance(sql_type, CHAR | NCHAR)
    aware = isinstance(sql_type, DateTime) and bool(sql_type.timezone)
    length = getattr(sql_type, "length", None)
    spec = ColumnSpec(
        name=column.name,
        data_type=data_type,
        sql_type=sql_type,
        max_length=length if dialect == "sqlite" and isinstance(length, int) else None,
        uuid=is_uuid,
        native_uuid=dialect == "postgresql" and isinstance(sql_type, Uuid),
        padded=padded,
        aware=aware,
        reader=None,
        sqlite_label=None,
    )
    return _with_readers(spec, dialect)


def data_type_of(sql_type: TypeEngine[Any]) -> DataType:
    """The ECMA data type of a column the config does not describe (not a selected one)."""
    if type(sql_type).__name__.upper() == "TINYINT" and getattr(sql_type, "display_width", 0) == 1:
        return "Boolean"
    if isinstance(sql_type, Boolean):
        return "Boolean"
    if isinstance(sql_type, Integer) or (
        isinstance(sql_type, Numeric) and not isinstance(sql_type, Float) and sql_type.scale == 0
    ):
        return "Integer"
    if isinstance(sql_type, DateTime | Date):
        return "DateTime"
    if isinstance(sql_type, _Binary):
        return "Binary"
    return "String"


_GENERIC: dict[str, Callable[[], TypeEngine[Any]]] = {
    "String": String,
    "Integer": Integer,
    "Boolean": Boolean,
    "DateTime": DateTime,
    "Binary": LargeBinary,
}


def _fits(sql_type: TypeEngine[Any], data_type: DataType) -> bool:
    if data_type == "String":
        return isinstance(sql_type, String)
    if data_type == "Integer":
        return isinstance(sql_type, Integer)
    if data_type == "Boolean":
        return isinstance(sql_type, Boolean)
    if data_type == "DateTime":
        return isinstance(sql_type, DateTime | Date)
    return isinstance(sql_type, _Binary)


# -- reading ---------------------------------------------------------------------------------


def _with_readers(spec: ColumnSpec, dialect: str) -> ColumnSpec:
    sql_type, kind = spec.sql_type, spec.data_type
    sqlite = dialect == "sqlite"
    reader: Converter | None = None
    label: str | None = None
    if kind == "Boolean":
        # Native booleans (PostgreSQL, SQL Server BIT) already arrive as bool.
        if sqlite or not isinstance(sql_type, Boolean):  # MariaDB BOOLEAN is TINYINT(1)
            reader, label = _to_bool, "ecmactl_bool"
    elif kind == "Integer":
        if not isinstance(sql_type, Integer):  # DECIMAL(n,0) -> Decimal; SQLite NUMERIC text
            reader, label = _to_int, "ecmactl_int"
    elif kind == "DateTime":
        if sqlite or not isinstance(sql_type, DateTime | Date):  # SQLite keeps text
            reader, label = _to_datetime, "ecmactl_datetime"
    elif kind == "Binary":
        reader = None if sqlite else _to_bytes  # memoryview/bytearray from some drivers
    elif spec.uuid:
        reader, label = _to_uuid_text, "ecmactl_lower"
    elif spec.padded:
        reader = _to_unpadded
    elif not isinstance(sql_type, String):  # a number or date the user maps as a String
        reader, label = _to_text, "ecmactl_text"
    return replace(spec, reader=reader, sqlite_label=label if sqlite else None)


def _to_bool(value: Any) -> Any:
    if value.__class__ is bool:
        return value
    if isinstance(value, int | float | Decimal):
        return value != 0
    if isinstance(value, bytes | bytearray):  # MySQL BIT(1)
        return any(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _FALSE_TEXT:
            return False
        if text in _TRUE_TEXT:
            return True
        try:
            return float(text) != 0
        except ValueError:
            return True
    return bool(value)


def _to_int(value: Any) -> Any:
    if value.__class__ is int:
        return value
    if isinstance(value, Decimal):
        return int(value) if value.is_finite() and value == value.to_integral_value() else value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return value
    return value


def _to_datetime(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            return value
    return value


def _to_bytes(value: Any) -> Any:
    if isinstance(value, memoryview | bytearray):
        return bytes(value)
    return value


def _to_text(value: Any) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))
    return str(value)


def _to_uuid_text(value: Any) -> Any:
    return _to_text(value).strip().lower()


def _to_unpadded(value: Any) -> Any:
    return value.rstrip(" ") if isinstance(value, str) else _to_text(value)


class _SqliteBool(dict[bytes, bool]):
    """b"0"/b"1" answered from the dict in C; anything else decided once by ``_to_bool``."""

    def __missing__(self, key: bytes) -> bool:
        return bool(_to_bool(key.decode("utf-8", "replace")))


def _sqlite_datetime(raw: bytes, _parse: Callable[[str], datetime] = datetime.fromisoformat) -> Any:
    # Called once per timestamp of a full import: one frame, the parser bound as a default.
    try:
        if len(raw) == 10:  # a DATE column: a date, as the other dialects return it
            return date.fromisoformat(raw.decode())
        return _parse(raw.decode())
    except ValueError:  # also UnicodeDecodeError: keep what is stored, as text
        return raw.decode("utf-8", "replace")


def _sqlite_int(raw: bytes) -> Any:
    try:
        return int(raw)
    except ValueError:  # 5.0 in a NUMERIC column, or text that is no number at all
        text = raw.decode("utf-8", "replace")
        try:
            return _to_int(Decimal(text))
        except ArithmeticError:
            return text


def _sqlite_text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _sqlite_lower(raw: bytes) -> str:
    return raw.decode("utf-8", "replace").strip().lower()


def register_sqlite_converters() -> None:
    """Register the label converters with the sqlite3 module (idempotent; names are ours)."""
    sqlite3.register_converter("ecmactl_bool", _SqliteBool({b"0": False, b"1": True}).__getitem__)
    sqlite3.register_converter("ecmactl_datetime", _sqlite_datetime)
    sqlite3.register_converter("ecmactl_int", _sqlite_int)
    sqlite3.register_converter("ecmactl_text", _sqlite_text)
    sqlite3.register_converter("ecmactl_lower", _sqlite_lower)


# -- writing ---------------------------------------------------------------------------------


def time_zone(name: str) -> tzinfo:
    """The data source time zone (UTC without a tz database); unknown names mean UTC."""
    if name.upper() in ("UTC", "Z", "ETC/UTC", ""):
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):  # the config loader reports it; stay usable
        return UTC


def prepare(spec: ColumnSpec, value: Any, tz: tzinfo, table: str) -> Any:
    """``value`` ready to bind to ``spec``'s column, or ConstraintViolation naming the column."""
    if value is None:
        return None
    kind = spec.data_type
    if kind == "Boolean":
        if value.__class__ is bool:
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
            return value.strip().lower() in ("true", "1")
        raise _invalid(spec, table, value, "true or false")
    if kind == "Integer":
        converted = None if isinstance(value, bool) else _to_int(value)
        if converted.__class__ is not int:
            raise _invalid(spec, table, value, "an integer")
        return converted
    if kind == "DateTime":
        return _prepare_datetime(spec, value, tz, table)
    if kind == "Binary":
        if isinstance(value, bytes | bytearray | memoryview):
            return bytes(value)
        raise _invalid(spec, table, value, "binary data")
    return _prepare_text(spec, value, table)


def _prepare_text(spec: ColumnSpec, value: Any, table: str) -> Any:
    if isinstance(value, uuid.UUID | int | float | Decimal) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise _invalid(spec, table, value, "text")
    # Refused by name rather than as an anonymous driver error (a 500): a lone surrogate is no
    # UTF-8 for any driver; NUL is refused by PostgreSQL, and MariaDB compares "a\0" equal to
    # "a" (so a lookup would find another row). The same in every dialect; as an anchor to look
    # up, either is "no such row".
    if _SURROGATE.search(value) is not None:
        raise _invalid(spec, table, value, "valid Unicode text (it holds a lone surrogate)")
    if "\x00" in value:
        raise _invalid(spec, table, value, "text without NUL characters (\\u0000)")
    if spec.native_uuid:
        try:
            return uuid.UUID(value)
        except ValueError:
            raise _invalid(spec, table, value, "a UUID") from None
    if spec.max_length is not None and len(value) > spec.max_length:
        raise ConstraintViolation(
            f"The value for column {spec.name} of {table} is too long: {len(value)} "
            f"characters, at most {spec.max_length}.",
            column=spec.name,
            kind="too_long",
        )
    return value


def _prepare_datetime(spec: ColumnSpec, value: Any, tz: tzinfo, table: str) -> Any:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise _invalid(spec, table, value, "a date and time") from None
    if isinstance(value, datetime):
        if spec.aware:
            return value if value.tzinfo is not None else value.replace(tzinfo=tz)
        if value.tzinfo is not None:  # naive columns hold data-source-time-zone values
            return value.astimezone(tz).replace(tzinfo=None)
        return value
    if isinstance(value, date):
        return value
    raise _invalid(spec, table, value, "a date and time")


def _invalid(spec: ColumnSpec, table: str, value: Any, expected: str) -> ConstraintViolation:
    shown = repr(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return ConstraintViolation(
        f"The value for column {spec.name} of {table} must be {expected}, not {shown}.",
        column=spec.name,
        kind="invalid_value",
    )
