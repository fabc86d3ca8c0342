"""Checking decoded JSON against a TypedDict: every field there and of its declared type.

For documents another process sent (see ``ecmactl.status_document``). The TypedDict stays the one
definition of the shape, so the check cannot drift from the type mypy checks the sender with.
Keys a TypedDict does not declare are left alone: a newer sender may add fields.

The type forms JSON can carry are understood: str, int, float (an integer is accepted: JSON has
one kind of number), bool, None, Literal, unions, list[T], dict[str, T] and nested TypedDicts,
whose keys are required unless marked ``NotRequired``.
"""

from __future__ import annotations

import json
import types
from typing import (
    Literal,
    NotRequired,
    Required,
    Union,
    get_args,
    get_origin,
    get_type_hints,
    is_typeddict,
)


class ShapeError(ValueError):
    """A value that does not have its declared type: where (a dotted path), and what is wrong."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}" if path else problem)
        self.path = path
        self.problem = problem


def check_shape(value: object, shape: object, path: str = "") -> None:
    """Raise ``ShapeError`` at the first place where ``value`` does not fit ``shape``."""
    if is_typeddict(shape):
        _check_fields(value, shape, path)
        return
    origin, args = get_origin(shape), get_args(shape)
    if origin is Literal:
        if not any(type(value) is type(a) and value == a for a in args):
            raise ShapeError(path, f"expected {describe(shape)}, found {_found(value)}")
    elif origin is Union or origin is types.UnionType:
        _check_union(value, args, path)
    elif origin is list:
        if not isinstance(value, list):
            raise ShapeError(path, f"expected a list, found {_found(value)}")
        for index, item in enumerate(value):
            check_shape(item, args[0], f"{path}[{index}]")
    elif origin is dict:
        if not isinstance(value, dict):
            raise ShapeError(path, f"expected an object, found {_found(value)}")
        for key, item in value.items():
            check_shape(item, args[1], _join(path, key))
    elif not _fits_scalar(value, shape):
        raise ShapeError(path, f"expected {describe(shape)}, found {_found(value)}")


def describe(shape: object) -> str:
    """The shape in words, for an error message: "an integer or null"."""
    if is_typeddict(shape) or get_origin(shape) is dict:
        return "an object"
    if get_origin(shape) is list:
        return "a list"
    if get_origin(shape) is Literal:
        return "one of " + ", ".join(json.dumps(a) for a in get_args(shape))
    if get_origin(shape) is Union or get_origin(shape) is types.UnionType:
        return " or ".join(describe(a) for a in get_args(shape))
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}
    if shape is type(None):
        return "null"
    if isinstance(shape, type) and shape in names:
        return names[shape]
    raise TypeError(f"check_shape does not understand {shape!r}")


def _check_fields(value: object, shape: object, path: str) -> None:
    if not isinstance(value, dict):
        raise ShapeError(path, f"expected an object, found {_found(value)}")
    total = getattr(shape, "__total__", True)
    for key, declared in get_type_hints(shape, include_extras=True).items():
        required, field_shape = total, declared
        if get_origin(declared) in (NotRequired, Required):
            required, field_shape = get_origin(declared) is Required, get_args(declared)[0]
        if key in value:
            check_shape(value[key], field_shape, _join(path, key))
        elif required:
            raise ShapeError(path, f"the field {key!r} is missing")


def _check_union(value: object, members: tuple[object, ...], path: str) -> None:
    if value is None and type(None) in members:
        return
    others = [m for m in members if m is not type(None)]
    if len(others) == 1 and isinstance(value, dict | list) and _is_container(others[0]):
        check_shape(value, others[0], path)  # an optional section: say what is wrong inside
        return
    for member in others:
        try:
            check_shape(value, member, path)
        except ShapeError:
            continue
        return
    expected = " or ".join(describe(m) for m in members)
    raise ShapeError(path, f"expected {expected}, found {_found(value)}")


def _is_container(shape: object) -> bool:
    return is_typeddict(shape) or get_origin(shape) in (list, dict)


def _fits_scalar(value: object, shape: object) -> bool:
    if shape is type(None):
        return value is None
    if shape is bool:
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False  # True is an int to Python, not to JSON
    if shape is float:
        return isinstance(value, int | float)
    if shape is int or shape is str:
        return isinstance(value, shape)
    raise TypeError(f"check_shape does not understand {shape!r}")


def _found(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = json.dumps(value) if isinstance(value, str | int | float | bool) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)
