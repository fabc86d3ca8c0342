"""Dataclass <-> plain-dict conversion with validation that names the offending key.

Config files are TOML, so values are str, int, bool, lists and tables; ``None`` is written by
leaving the key out, and so is an empty list whose field says ``metadata={"omit_empty": True}``
(a field added later, so files that do not use it stay byte for byte as they were). The
loader checks each field against its annotation (including ``Literal`` choices) and reports
``where.key: expected …, got …`` so the user can fix the file.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, Literal, TypeVar, get_args, get_origin, get_type_hints

from ecmactl.errors import ConfigError

T = TypeVar("T")


def to_dict(obj: Any) -> dict[str, Any]:
    """A dataclass as a TOML-ready dict: ``None`` fields omitted, nested dataclasses converted."""
    return typing.cast(dict[str, Any], _dump(obj))


def _dump(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for field in dataclasses.fields(value):
            item = getattr(value, field.name)
            if item is None or (item == [] and field.metadata.get("omit_empty")):
                continue  # an omitted key loads as its default
            out[field.metadata.get("key", field.name)] = _dump(item)
        return out
    if isinstance(value, list | tuple):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return value


def from_dict(cls: type[T], data: Any, where: str) -> T:
    """Build ``cls`` from ``data``; unknown keys and wrong types raise ConfigError."""
    if not isinstance(data, dict):
        raise ConfigError(f"{_at(where)}expected a table, got {_kind(data)}")
    hints = get_type_hints(cls)
    fields = {f.metadata.get("key", f.name): f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ConfigError(
            f"{_at(where)}unknown key(s) {', '.join(unknown)}",
            hint=f"Allowed keys: {', '.join(sorted(fields))}.",
        )
    kwargs: dict[str, Any] = {}
    for key, field in fields.items():
        if key in data:
            kwargs[field.name] = _load(hints[field.name], data[key], _join(where, key))
        elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            if not _optional(hints[field.name]):
                raise ConfigError(f"{_at(where)}missing required key {key!r}")
            kwargs[field.name] = None
    return cls(**kwargs)


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _at(where: str) -> str:
    """The prefix of a message about ``where`` ("" at the top level of a file)."""
    return f"{where}: " if where else ""


def _optional(tp: Any) -> bool:
    return _is_union(tp) and type(None) in get_args(tp)


def _is_union(tp: Any) -> bool:
    return get_origin(tp) in (typing.Union, types.UnionType)


def _load(tp: Any, value: Any, where: str) -> Any:
    origin = get_origin(tp)
    if _is_union(tp):
        inner = [a for a in get_args(tp) if a is not type(None)]
        if value is None:
            return None
        return _load(inner[0], value, where)
    if origin is Literal:
        choices = get_args(tp)
        if value not in choices:
            allowed = ", ".join(repr(c) for c in choices)
            raise ConfigError(f"{where}: {value!r} is not one of {allowed}")
        return value
    if origin is list:
        if not isinstance(value, list):
            raise ConfigError(f"{where}: expected a list, got {_kind(value)}")
        (item,) = get_args(tp)
        return [_load(item, v, f"{where}[{i}]") for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a table, got {_kind(value)}")
        _, val_tp = get_args(tp)
        return {str(k): _load(val_tp, v, f"{where}.{k}") for k, v in value.items()}
    if dataclasses.is_dataclass(tp):
        return from_dict(tp, value, where)  # type: ignore[arg-type]
    if tp is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: expected true or false, got {_kind(value)}")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: expected a whole number, got {_kind(value)}")
        return value
    if tp is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected text, got {_kind(value)}")
        return value
    if tp is Any:
        return value
    raise TypeError(f"unsupported config type {tp!r} at {where}")  # a bug, not user input


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__
