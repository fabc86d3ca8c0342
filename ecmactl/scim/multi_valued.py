"""Multi-valued attributes from child tables: rendering, whole-set writes and PATCH.

A row holds each multi-valued attribute as a list of elements (``ecmactl.rowstore``):
``{"value": v}`` plus ``type`` and ``primary`` when the child table has those columns. A core
attribute (``emails``, ``phoneNumbers``, ``roles``…) renders as RFC 7643's complex multi-valued
form ``[{"value", "type", "primary"}]``; an ECMA2Host extension attribute as a list of simple
values. Filters are evaluated on the rendered resource (``evaluate`` already treats lists), so
this module only writes.

Writes (RFC 7644 §3.5.2, and Entra's dialect):

- POST/PUT, ``replace`` without a filter: the given list is the new set.
- ``add`` without a filter: its elements join the set (an equal value and type is not added
  twice).
- ``remove`` without a filter clears the set; with a ``value`` list (as Entra removes values)
  removes those values; ``remove emails[value eq "x"]`` removes the matching elements.
- ``add``/``replace`` with a value filter (``emails[type eq "work"].value``, Entra's way) set
  the sub-attribute of each matching element, or add an element built from the filter's
  ``eq`` terms when none matches.
- ``primary``: at most one element is primary (RFC 7643 §2.4). A PATCH that makes one primary
  clears the others (RFC 7644 §3.5.2); a body that sends two primaries is refused.

Values are converted for the child's value column like any column value (``values.to_db``);
``display`` is not stored and ``type`` is dropped when the child table has no type column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from ecmactl.config.models import Column
from ecmactl.scim.errors import ScimError
from ecmactl.scim.evaluate import AttributeRules, get_ci, matches
from ecmactl.scim.filter import And, AttrPath, Compare, Filter
from ecmactl.scim.values import parse_bool, to_db, to_scim

Element = dict[str, Any]
_SUBS = ("value", "type", "primary", "display")


@dataclass(frozen=True, slots=True)
class MultiValued:
    """One multi-valued attribute of a connector, as SCIM sees it."""

    key: str  # the row key (ecmactl.rowstore)
    name: str  # "emails", or the extension attribute's name
    urn: str | None  # None: core; ECMA_EXTENSION_URN: an extension attribute
    column: Column  # the child's value column (its data type converts values)
    has_type: bool
    has_primary: bool

    @property
    def attribute(self) -> str:
        """The name in messages: ``emails`` or ``urn:…:ECMA2Host:2.0:User:roleCodes``."""
        return self.name if self.urn is None else f"{self.urn}:{self.name}"

    @property
    def complex(self) -> bool:
        return self.urn is None


def render(mv: MultiValued, elements: list[Element], tz: tzinfo) -> list[Any]:
    """The SCIM value of the attribute: complex elements (core) or simple values (extension)."""
    if not mv.complex:
        return [to_scim(mv.column, e["value"], tz) for e in elements]
    out = []
    for element in elements:
        value = to_scim(mv.column, element["value"], tz)
        rendered: Element = {"value": value if isinstance(value, str) else str(value)}
        if element.get("type") is not None:
            rendered["type"] = element["type"]
        if element.get("primary"):
            rendered["primary"] = True
        out.append(rendered)
    return out


def whole_set(mv: MultiValued, value: Any, tz: tzinfo) -> list[Element]:
    """The set a POST/PUT body or a ``replace`` gives (null or [] clears it)."""
    elements = _dedupe(_elements(mv, value, tz))
    _check_one_primary(mv, elements)
    return elements


def patch(
    mv: MultiValued,
    op: str,
    path: AttrPath,
    value: Any,
    current: list[Element],
    rules: AttributeRules,
    tz: tzinfo,
) -> list[Element]:
    """The set after one PATCH operation on ``path`` (``op`` lower-cased)."""
    sub = _sub(mv, path)
    if path.filter is None and sub is None:
        if op == "replace":
            return whole_set(mv, value, tz)
        if op == "add":
            added = _elements(mv, value, tz)
            return _settle(mv, [*current, *added], [e for e in added if e.get("primary")])
        if value is None:  # remove: the whole set
            return []
        given = _elements(mv, value, tz)
        gone = {_identity(e) for e in given}
        # An element given without a type (Entra's way) removes its value whatever the type.
        untyped = {_identity(e)[0] for e in given if e.get("type") is None}
        return [e for e in current if _identity(e) not in gone and _identity(e)[0] not in untyped]
    hits = [i for i, e in enumerate(current) if _selected(mv, path.filter, e, rules, tz)]
    if op == "remove":
        if sub in (None, "value"):
            return [e for i, e in enumerate(current) if i not in hits]
        if sub == "display":
            return current
        cleared = {"type": None} if sub == "type" else {"primary": False}
        return [{**e, **cleared} if i in hits else e for i, e in enumerate(current)]
    changes = _sub_values(mv, sub, value, tz)
    if not hits:
        element = {**_from_filter(mv, path.filter, tz), **changes}
        if element.get("value") is None:
            raise ScimError(
                400,
                "noTarget",
                f"{path}: no element matches and the operation gives no value to add one",
            )
        added = _elements(mv, [element], tz, converted=True)
        return _settle(mv, [*current, *added], [e for e in added if e.get("primary")])
    updated = [{**e, **changes} if i in hits else e for i, e in enumerate(current)]
    promoted = [updated[i] for i in hits] if changes.get("primary") else []
    return _settle(mv, updated, promoted)


# -- elements --------------------------------------------------------------------------------


def _elements(mv: MultiValued, value: Any, tz: tzinfo, *, converted: bool = False) -> list[Element]:
    """Client values as stored elements (``converted``: values already for the column)."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, Mapping):
            unknown = [k for k in item if not (isinstance(k, str) and k.lower() in _SUBS)]
            if unknown:
                raise ScimError(
                    400,
                    "invalidValue",
                    f"{mv.attribute}: an element has no sub-attribute {unknown[0]!r} "
                    "(value, type, primary, display)",
                )
            raw, kind, primary = (
                get_ci(item, "value"),
                get_ci(item, "type"),
                get_ci(item, "primary"),
            )
        elif mv.complex:
            raise ScimError(
                400, "invalidValue", f"{mv.attribute} takes objects with a value, not {item!r}"
            )
        else:
            raw, kind, primary = item, None, None
        if raw is None:
            raise ScimError(400, "invalidValue", f"{mv.attribute}: an element has no value")
        element: Element = {"value": raw if converted else to_db(mv.column, raw, mv.attribute, tz)}
        if mv.has_type:
            if kind is not None and not isinstance(kind, str):
                raise ScimError(400, "invalidValue", f"{mv.attribute}: type must be a string")
            element["type"] = kind
        if mv.has_primary:
            flag = primary if isinstance(primary, bool) or primary is None else parse_bool(primary)
            if primary is not None and flag is None:
                raise ScimError(
                    400, "invalidValue", f"{mv.attribute}: primary must be true or false"
                )
            element["primary"] = bool(flag)
        out.append(element)
    return out


def _sub(mv: MultiValued, path: AttrPath) -> str | None:
    if path.sub is None:
        return None
    sub = path.sub.lower()
    if sub not in _SUBS or (not mv.complex and sub != "value"):
        raise ScimError(400, "invalidPath", f"{path}: {mv.attribute} has no sub-attribute {sub}")
    return sub


def _sub_values(mv: MultiValued, sub: str | None, value: Any, tz: tzinfo) -> Element:
    """What ``add``/``replace`` on a filtered path sets on each matching element."""
    if sub is None:  # emails[type eq "work"] with an object: its sub-attributes
        if not isinstance(value, Mapping):
            raise ScimError(400, "invalidValue", f"{mv.attribute}[…] takes an object")
        given = get_ci(value, "value")
        rest = {k: v for k, v in value.items() if not (isinstance(k, str) and k.lower() == "value")}
        # No value given: a stand-in, left unconverted and dropped (never stored, never "").
        stand_in = given is None
        (element,) = _elements(
            mv, {**rest, "value": "" if stand_in else given}, tz, converted=stand_in
        )
        if stand_in:
            element.pop("value")
        if get_ci(value, "type") is None:
            element.pop("type", None)
        if get_ci(value, "primary") is None:
            element.pop("primary", None)
        return element
    if sub == "display":
        return {}
    if sub == "value":
        return {"value": to_db(mv.column, value, mv.attribute, tz)}
    if sub == "type":
        if not isinstance(value, str):
            raise ScimError(400, "invalidValue", f"{mv.attribute}.type must be a string")
        return {"type": value} if mv.has_type else {}
    flag = parse_bool(value)
    if flag is None:
        raise ScimError(400, "invalidValue", f"{mv.attribute}.primary must be true or false")
    return {"primary": flag} if mv.has_primary else {}


def _from_filter(mv: MultiValued, f: Filter | None, tz: tzinfo) -> Element:
    """The element a filter's ``eq`` terms describe (``type eq "work"`` → type work)."""
    terms: list[Filter] = []
    pending = [f] if f is not None else []
    while pending:
        item = pending.pop()
        if isinstance(item, And):
            pending += list(item.terms)
        else:
            terms.append(item)
    element: Element = {}
    for term in terms:
        if not isinstance(term, Compare) or term.op != "eq" or term.path.sub is not None:
            continue
        name = term.path.attr.lower()
        if name in ("value", "type", "primary"):
            element.update(_sub_values(mv, name, term.value, tz))
    return element


def _selected(
    mv: MultiValued, f: Filter | None, element: Element, rules: AttributeRules, tz: tzinfo
) -> bool:
    if f is None:
        return True
    (rendered,) = render(mv, [element], tz)
    if not mv.complex:
        rendered = {"value": rendered}
    elif mv.has_primary:
        rendered["primary"] = bool(element.get("primary"))
    return matches(f, rendered, rules)


def _identity(element: Element) -> tuple[Any, ...]:
    value = element["value"]
    key = value.casefold() if isinstance(value, str) else value
    kind = element.get("type")
    return (key, kind.casefold() if isinstance(kind, str) else kind)


def _dedupe(elements: list[Element]) -> list[Element]:
    """An equal value and type once (the first; primary if any copy was)."""
    seen: dict[tuple[Any, ...], Element] = {}
    for element in elements:
        key = _identity(element)
        first = seen.get(key)
        if first is None:
            seen[key] = element
        elif element.get("primary") and not first.get("primary"):
            seen[key] = {**first, "primary": True}  # a copy: elements may be the cache's
    return list(seen.values())


def _settle(mv: MultiValued, elements: list[Element], promoted: list[Element]) -> list[Element]:
    """After a PATCH: no duplicates, and the element it made primary the only primary."""
    if promoted and mv.has_primary:
        winner = _identity(promoted[-1])
        elements = [{**e, "primary": _identity(e) == winner} for e in elements]
    elements = _dedupe(elements)
    _check_one_primary(mv, elements)
    return elements


def _check_one_primary(mv: MultiValued, elements: list[Element]) -> None:
    if sum(1 for e in elements if e.get("primary")) > 1:
        raise ScimError(
            400,
            "invalidValue",
            f"{mv.attribute}: more than one value is primary; at most one may be (RFC 7643 §2.4)",
        )
