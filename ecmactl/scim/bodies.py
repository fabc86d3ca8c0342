"""Request bodies as a flat list of (attribute path, value) assignments.

POST/PUT bodies and path-less PATCH values arrive in many shapes for the same thing: nested
(``{"name": {"givenName": …}}``), dotted (``{"name.givenName": …}``), URN-qualified
(``{"urn:…:ECMA2Host:2.0:User:FirstName": …}``) or under a schema URN
(``{"urn:…:ECMA2Host:2.0:User": {"FirstName": …}}``), with names in any case and Microsoft's
``…:enterprise:2.0User`` typo. Flattening them first lets the mapping handle one shape only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ecmactl.scim import core_schema as core
from ecmactl.scim.errors import ScimError
from ecmactl.scim.evaluate import get_ci
from ecmactl.scim.filter import AttrPath, Compare, parse_path

# Sub-attributes of a multi-valued element that describe it rather than hold data: `type` selects
# the binding, `primary` and `display` have no column.
_ELEMENT_META = frozenset(("type", "primary", "display"))


Whole = Callable[[AttrPath], bool]  # a path whose value is kept whole (multi-valued sets)


def iter_leaves(
    obj: Mapping[str, Any], whole: Whole | None = None
) -> Iterator[tuple[AttrPath, Any]]:
    """Every (attribute path, value) in a resource body or a path-less PATCH value.

    Keys may be plain (``userName``), dotted (``name.givenName``), URN-qualified, or schema URNs
    holding an object (``{"urn:…:ECMA2Host:2.0:User": {"FirstName": …}}``). ``schemas`` keys,
    at the top or in such an object, are skipped. Elements of a multi-valued attribute are
    addressed by their ``type``: ``emails[type eq "work"].value``, except under a path
    ``whole`` accepts (a multi-valued attribute from a child table), which keeps its value.
    """
    for key, value in obj.items():
        if not isinstance(key, str) or key.lower() == "schemas":
            continue
        if key[:4].lower() == "urn:" and core.is_known_schema(key):
            urn: str | None = core.canonical_urn(key)
            urn = None if urn == core.CORE_USER_URN else urn
            if isinstance(value, Mapping):
                for name, item in value.items():
                    # `schemas` inside an extension object is no attribute of it; clients
                    # (scim2-tester) copy it there from the resource. Ignored like at top level.
                    if not (isinstance(name, str) and name.lower() == "schemas"):
                        yield from expand(AttrPath(name, None, urn), item, whole)
            elif value is not None:
                raise ScimError(400, "invalidValue", f"{key} must hold an object")
            continue
        yield from expand(parse_path(key), value, whole)


def expand(
    path: AttrPath, value: Any, whole: Whole | None = None
) -> Iterator[tuple[AttrPath, Any]]:
    """Split a complex or multi-valued ``value`` at ``path`` into leaf assignments (not under
    a path ``whole`` accepts)."""
    if path.sub is None and whole is not None and whole(path):
        yield path, value
    elif path.urn is not None and path.urn != core.ENTERPRISE_USER_URN:
        # ECMA2Host attributes are simple (a dict there is an invalid value, reported as
        # such); a foreign extension is ignored as a whole.
        yield path, value
    elif path.sub is None and isinstance(value, Mapping):
        for name, item in value.items():
            if path.filter is None or name.lower() not in _ELEMENT_META:
                yield AttrPath(path.attr, name, path.urn, path.filter), item
    elif (
        path.sub is None
        and path.filter is None
        and isinstance(value, list)
        and all(isinstance(e, Mapping) for e in value)
    ):
        if not value:
            yield path, None
        for element in value:
            kind = get_ci(element, "type")
            flt = Compare(AttrPath("type"), "eq", kind) if isinstance(kind, str) else None
            for name, item in element.items():
                if name.lower() not in _ELEMENT_META:
                    yield AttrPath(path.attr, name, path.urn, flt), item
    else:
        yield path, value
