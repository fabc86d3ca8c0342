"""Reading the host's status document, whose fields may be missing, renamed or loosely typed."""

from __future__ import annotations

from typing import Any


def _requests(data: dict[str, Any]) -> tuple[int | None, int | None]:
    """(total, server errors): ``requests`` is a count or a by-class dict {total, 2xx, … 5xx}."""
    requests = data.get("requests")
    errors = _int(_first(data, "errors", "error_count"))
    if isinstance(requests, dict):
        total = _int(requests.get("total"))
        if total is None:
            total = sum(_int(v) or 0 for k, v in requests.items() if k.endswith("xx"))
        return total, errors if errors is not None else _int(requests.get("5xx"))
    return _int(requests), errors


def _message(value: Any) -> str | None:
    """An error as the host reports it: a string, {message, at}, or [message, at]."""
    if isinstance(value, dict):
        text = value.get("message") or value.get("error")
        at = value.get("at") or value.get("time")
        return None if text is None else f"{text}" + (f" (at {at})" if at else "")
    if isinstance(value, list | tuple):
        return _str(value[0]) if value else None
    return _str(value)


def _first(data: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if data.get(key) is not None:
            return data[key]
    return None


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None
