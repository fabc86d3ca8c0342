"""Converting one value between a column's data type and its SCIM JSON form.

Output (``to_scim``) is strict RFC 7643 JSON: strings, integers, booleans, ``dateTime`` as
ISO 8601 UTC with ``Z``, ``binary`` as base64. Input (``to_db``) is tolerant of what Entra and
other clients send (booleans as ``"True"``/``"false"``, integers as numeric strings) and strict
about what the column can hold (type, ``max_length``); a refusal is a
``ScimError(400, "invalidValue")`` naming the SCIM attribute and the column.

Naive database datetimes are in the connector's data source time zone (Global page).
"""

from __future__ import annotations

import base64
import binascii
import math
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ecmactl.config.models import Column
from ecmactl.errors import ConfigError
from ecmactl.scim.errors import ScimError

SCIM_TYPES: dict[str, str] = {
    "String": "string",
    "Integer": "integer",
    "Boolean": "boolean",
    "DateTime": "dateTime",
    "Binary": "binary",
}
_TRUE = frozenset(("true", "1"))
_FALSE = frozenset(("false", "0"))


def time_zone(name: str) -> tzinfo:
    """The data source time zone; "UTC" needs no tz database (Windows without tzdata)."""
    if name.upper() in ("UTC", "Z", "ETC/UTC"):
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"Unknown data source time zone {name!r}") from None


def parse_bool(value: Any) -> bool | None:
    """A boolean from ``true``/``"True"``/``"false"``/``0``/``1``; None when it is not one."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    return None


def to_scim(column: Column, value: Any, tz: tzinfo) -> Any:
    """A database value as SCIM JSON (None stays None: unassigned)."""
    if value is None:
        return None
    kind = column.data_type
    if kind == "String":
        return value if isinstance(value, str) else str(value)
    if kind == "Integer":
        return value if type(value) is int else int(value)
    if kind == "Boolean":
        parsed = parse_bool(value)
        return bool(value) if parsed is None else parsed
    if kind == "DateTime":
        return _datetime_to_scim(value, tz)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)


def _datetime_to_scim(value: Any, tz: tzinfo) -> str:
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=tz)
        text = aware.astimezone(UTC).replace(tzinfo=None).isoformat()
        return f"{text}Z"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def to_db(column: Column, value: Any, attribute: str, tz: tzinfo) -> Any:
    """A SCIM value converted for ``column``; ScimError(400, invalidValue) when it cannot be."""
    kind = column.data_type
    if kind == "String":
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise _invalid(column, attribute, value, "a string")
        if "\x00" in value:  # PostgreSQL refuses it, others keep or cut it: refused for all
            raise _refused(
                column, attribute, "holds a NUL character (\\u0000), which cannot be stored"
            )
        if column.max_length is not None and len(value) > column.max_length:
            raise _refused(
                column,
                attribute,
                f"is {len(value)} characters long; the most is {column.max_length}",
            )
        return value
    if kind == "Integer":
        return _to_int(column, value, attribute)
    if kind == "Boolean":
        parsed = parse_bool(value)
        if parsed is None:
            raise _invalid(column, attribute, value, 'a boolean (true, false, "True" or "False")')
        return parsed
    if kind == "DateTime":
        return _to_datetime(column, value, attribute, tz)
    return _to_bytes(column, value, attribute)


def _to_int(column: Column, value: Any, attribute: str) -> int:
    if isinstance(value, bool):
        raise _invalid(column, attribute, value, "an integer")
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal) and math.isfinite(value) and value == int(value):
        return int(value)  # 1e999 parses as inf: int(inf) would raise OverflowError
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise _invalid(column, attribute, value, "an integer")


def _to_datetime(column: Column, value: Any, attribute: str, tz: tzinfo) -> datetime:
    parsed: datetime | None = None
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            parsed = None
    if parsed is None:
        raise _invalid(column, attribute, value, "an ISO 8601 dateTime")
    if parsed.tzinfo is None:  # SCIM dateTime without an offset: read as UTC
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(tz).replace(tzinfo=None)
    except OverflowError:  # 0001-01-01T00:00:00+01:00 is in year 0 in UTC
        raise _invalid(
            column, attribute, value, "a dateTime within the years 1-9999 in the data source zone"
        ) from None


def _to_bytes(column: Column, value: Any, attribute: str) -> bytes:
    if not isinstance(value, str):
        raise _invalid(column, attribute, value, "base64 text")
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise _invalid(column, attribute, value, "base64 text") from None
    if column.max_length is not None and len(data) > column.max_length:
        raise _refused(column, attribute, f"is {len(data)} bytes; the most is {column.max_length}")
    return data


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


def _invalid(column: Column, attribute: str, value: Any, expected: str) -> ScimError:
    return _refused(column, attribute, f"must be {expected}, not {_describe(value)}")


def _refused(column: Column, attribute: str, reason: str) -> ScimError:
    where = f"column {column.name}, {column.data_type}"
    return ScimError(400, "invalidValue", f"Attribute {attribute} ({where}) {reason}")
