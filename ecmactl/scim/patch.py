"""PATCH (RFC 7644 §3.5.2) applied to a stored row, in the RFC's dialect and in Entra's.

Entra's dialect, accepted as well as the RFC's: ``op`` in any case (``Add``/``Replace``/
``Remove``); path-less ``add``/``replace`` whose value object has dotted (``name.givenName``) or
URN-qualified keys, or nested schema-extension objects; ``active`` as ``"True"``/``"False"``/
``"true"``/``"false"`` strings; ``emails[type eq "work"].value`` paths; a missing ``schemas``.
An operation on a multi-valued attribute from a child table changes its list
(:func:`ecmactl.scim.multi_valued.patch`: add appends, replace sets, remove takes values out).

The result is a :class:`RowChanges`: the column values the SQL export must write (unchanged
values dropped), whether the request disables or enables the user, and the known SCIM attributes
that were ignored because no column is bound to them (worth a log line, not an error). Operations
apply in order; a failing one fails the whole request (RFC 7644 §3.5.2: atomic). Each value is
written under the rules of :mod:`ecmactl.scim.writes`: ``remove active`` enables the user (its
default state); a later operation may overwrite an earlier one, but within one operation's value
two names of one column (``name.givenName``, ``…:FirstName``) must not contradict each other.
Removing a whole schema (``"path": "urn:…:ECMA2Host:2.0:User"``) removes each of its attributes,
which is a ``mutability`` error when it holds the anchor (the ECMA2Host extension always does).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ecmactl.config.models import ECMA_EXTENSION_URN
from ecmactl.scim import core_schema as core
from ecmactl.scim import multi_valued
from ecmactl.scim.bodies import expand, iter_leaves
from ecmactl.scim.errors import ScimError
from ecmactl.scim.evaluate import get_ci
from ecmactl.scim.filter import AttrPath, parse_path
from ecmactl.scim.mapping import UserMapping
from ecmactl.scim.writes import RowChanges, Sources, changed, write

PATCH_OP_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
_OPS = ("add", "replace", "remove")


def apply_patch(
    mapping: UserMapping, body: Mapping[str, Any], current: Mapping[str, Any]
) -> RowChanges:
    """Turn a PatchOp body into column changes for the stored ``current`` row."""
    changes = RowChanges()
    for index, operation in enumerate(_operations(body)):
        where = f"Operations[{index}]"
        if not isinstance(operation, Mapping):
            raise ScimError(400, "invalidSyntax", f"{where} must be an object")
        state = {**current, **changes.columns}  # later operations see earlier ones
        sources = Sources()  # two names of one column agree within an operation's value
        op = _op(operation, where)
        for path, value in _assignments(operation, where, mapping):
            multi = mapping.multi_valued_for(path)
            if multi is not None:  # a child table's set: the operation applies to the list
                before = changes.columns.get(multi.key, state.get(multi.key) or [])
                after = multi_valued.patch(
                    multi, op, path, value, before, mapping.rules, mapping.tz
                )
                changes.columns[multi.key] = after
                continue
            write(mapping, changes, path, value, current=state, patch=True, sources=sources)
        sources.check()
    changes.columns = changed(changes.columns, current)
    return changes


def _operations(body: Mapping[str, Any]) -> list[Any]:
    if not isinstance(body, Mapping):
        raise ScimError(400, "invalidSyntax", "The PATCH body must be a JSON object")
    schemas = get_ci(body, "schemas")
    if schemas is not None and (
        not isinstance(schemas, list)
        or PATCH_OP_URN.lower() not in {s.lower() for s in schemas if isinstance(s, str)}
    ):
        raise ScimError(400, "invalidSyntax", f"schemas must contain {PATCH_OP_URN}")
    operations = get_ci(body, "Operations")
    if not isinstance(operations, list) or not operations:
        raise ScimError(400, "invalidSyntax", "Operations must be a non-empty list")
    return operations


def _op(operation: Mapping[str, Any], where: str) -> str:
    name = get_ci(operation, "op")
    op = name.lower() if isinstance(name, str) else None
    if op not in _OPS:
        raise ScimError(
            400, "invalidSyntax", f"{where}.op must be add, replace or remove: {name!r}"
        )
    return op


def _assignments(
    operation: Mapping[str, Any], where: str, mapping: UserMapping
) -> Iterable[tuple[AttrPath, Any]]:
    op = _op(operation, where)
    whole = mapping.is_multi_valued
    raw_path = get_ci(operation, "path")
    has_value = any(isinstance(k, str) and k.lower() == "value" for k in operation)
    value = get_ci(operation, "value")
    if raw_path is None or raw_path == "":
        if op == "remove":
            raise ScimError(400, "noTarget", f"{where}: remove needs a path")
        if not isinstance(value, Mapping):
            raise ScimError(400, "invalidSyntax", f"{where}: without a path, value is an object")
        return list(iter_leaves(value, whole))
    if not isinstance(raw_path, str):
        raise ScimError(400, "invalidPath", f"{where}.path must be a string")
    if core.is_known_schema(raw_path):  # a whole extension: {"path": "urn:…:User", "value": {…}}
        if op == "remove":
            return [(p, None) for p in _schema_removal_paths(raw_path, where, mapping)]
        if not isinstance(value, Mapping):
            raise ScimError(400, "invalidPath", f"{where}: {raw_path} takes an object to merge")
        return list(iter_leaves({raw_path: value}, whole))
    path = parse_path(raw_path)
    if op == "remove":
        if whole(path):  # Entra removes some values of a set: {"path": "x", "value": [...]}
            return [(path, value)]
        return [(p, None) for p in _removal_paths(path, mapping)]
    if not has_value:
        raise ScimError(400, "invalidSyntax", f"{where}: {op} needs a value")
    return list(expand(path, value, whole))


def _schema_removal_paths(raw_path: str, where: str, mapping: UserMapping) -> list[AttrPath]:
    """Removing a whole schema removes each of its attributes, which the anchor never allows."""
    urn = core.canonical_urn(raw_path)
    if urn == ECMA_EXTENSION_URN:
        parts = [(AttrPath(c.name, None, urn), c) for c in mapping.columns]
    else:
        wanted = None if urn == core.CORE_USER_URN else urn
        parts = [(b.path, b.column) for b in mapping.bindings if b.path.urn == wanted]
    if any(column is mapping.anchor for _, column in parts):
        raise ScimError(
            400,
            "mutability",
            f"{where}: {urn} cannot be removed: it holds the anchor (column "
            f"{mapping.anchor.name}), which cannot be removed; remove its other attributes "
            "one by one",
        )
    return [path for path, _ in parts]


def _removal_paths(path: AttrPath, mapping: UserMapping) -> list[AttrPath]:
    """``remove name`` clears every bound ``name.*``; other paths clear what they name."""
    if mapping.resolve(path) is not None or path.sub is not None or path.urn is not None:
        return [path]
    attr = path.attr.lower()
    bound = [b.path for b in mapping.bindings if b.path.urn is None and b.path.attr.lower() == attr]
    if path.filter is not None or not bound:
        return [path]
    return bound
