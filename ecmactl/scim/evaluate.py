"""Evaluate a parsed filter against a SCIM resource (a plain dict), and find index lookups.

Comparison follows RFC 7644 §3.4.2.2: attribute names are matched case-insensitively; string
values are compared case-insensitively unless the attribute is ``caseExact`` (``id``,
``externalId``, references); ``dateTime`` values compare chronologically, numbers numerically,
booleans only with ``eq``/``ne``. A multi-valued attribute matches when any of its values does;
for a multi-valued complex attribute without a sub-attribute (``emails co "x"``) the ``value``
sub-attribute is implied. An absent attribute never matches ``eq``, ``co``, ``gt``…, always
matches ``ne`` and matches ``eq null``.

The host answers most queries from an index: :func:`equality_lookup` pulls the ``attr eq "v"``
out of a filter (or out of one side of an ``and``) so the host can fetch candidates by key and
only evaluate the rest of the filter on those.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ecmactl.scim.core_schema import CORE_RULES
from ecmactl.scim.errors import ScimError
from ecmactl.scim.filter import (
    ORDER_OPS,
    STRING_OPS,
    And,
    AttrPath,
    Compare,
    Filter,
    Literal_,
    Not,
    Or,
    Present,
    ValueFilter,
)

_DEFAULT_INFO = ("string", False)


class AttributeRules:
    """SCIM type and caseExact of attributes, by lower-cased path (``emails.value``, ``urn:…:x``).

    Attributes not listed are case-insensitive strings, the RFC default.
    """

    def __init__(self, rules: Mapping[str, tuple[str, bool]] | None = None) -> None:
        self._rules: dict[str, tuple[str, bool]] = dict(CORE_RULES)
        if rules:
            self._rules.update({k.lower(): v for k, v in rules.items()})
        self._memo: dict[tuple[AttrPath, str], tuple[str, bool]] = {}

    def info(self, key: str) -> tuple[str, bool]:
        """``(type, case_exact)`` of the attribute at a lower-cased path key."""
        return self._rules.get(key, _DEFAULT_INFO)

    def for_path(self, path: AttrPath, prefix: str = "") -> tuple[str, bool]:
        """The rule for ``path`` (relative to ``prefix`` inside a value filter), memoised."""
        memo_key = (path, prefix)
        found = self._memo.get(memo_key)
        if found is None:
            key = f"{path.urn.lower()}:" if path.urn else ""
            key = f"{prefix}.{key}" if prefix else key
            key += path.attr.lower()
            if path.sub is not None:
                key += f".{path.sub.lower()}"
            found = self._memo[memo_key] = self.info(key)
        return found


DEFAULT_RULES = AttributeRules()


@dataclass(frozen=True, slots=True)
class EqualityLookup:
    """``path eq value`` usable with an index; ``exact`` when it is the whole filter."""

    path: AttrPath
    value: str | int | float | bool
    exact: bool


def equality_lookup(f: Filter) -> EqualityLookup | None:
    """The equality an index can answer, or None when the filter needs a scan.

    For ``a eq "x" and <rest>`` the lookup is returned with ``exact=False``: the caller fetches
    the candidates for ``a == "x"`` and must still evaluate the whole filter on them.
    """
    if isinstance(f, Compare):
        if f.op == "eq" and f.value is not None:
            return EqualityLookup(f.path, f.value, True)
        return None
    if isinstance(f, And):
        for term in f.terms:
            found = equality_lookup(term)
            if found is not None:
                return EqualityLookup(found.path, found.value, False)
    return None


def matches(f: Filter, resource: Mapping[str, Any], rules: AttributeRules = DEFAULT_RULES) -> bool:
    """Whether ``resource`` satisfies ``f``; raises ScimError(400, invalidFilter) on misuse."""
    return _eval(f, resource, rules, "")


def _eval(f: Filter, obj: Mapping[str, Any], rules: AttributeRules, prefix: str) -> bool:
    # Recursion follows the nesting of brackets and `not` only (the parser bounds it at
    # MAX_DEPTH): `and`/`or` chains are n-ary nodes walked in a loop.
    if isinstance(f, Compare):
        return _eval_compare(f, obj, rules, prefix)
    if isinstance(f, And):
        return all(_eval(term, obj, rules, prefix) for term in f.terms)
    if isinstance(f, Or):
        return any(_eval(term, obj, rules, prefix) for term in f.terms)
    if isinstance(f, Not):
        return not _eval(f.inner, obj, rules, prefix)
    if isinstance(f, Present):
        return any(_non_empty(v) for v in collect(obj, f.path, rules, prefix, implied=False))
    assert isinstance(f, ValueFilter)
    return bool(collect(obj, f.path, rules, prefix, implied=False))


def _eval_compare(f: Compare, obj: Mapping[str, Any], rules: AttributeRules, prefix: str) -> bool:
    values = collect(obj, f.path, rules, prefix, implied=True)
    if f.value is None:  # `eq null` = unassigned (RFC 7643 §2.5); `ne null` = has a value
        present = any(_non_empty(v) for v in values)
        return present if f.op == "ne" else (not present if f.op == "eq" else False)
    type_, case_exact = rules.for_path(f.path, prefix)
    if f.op == "ne":
        return not any(_compare("eq", v, f.value, type_, case_exact) for v in values)
    return any(_compare(f.op, v, f.value, type_, case_exact) for v in values)


def collect(
    obj: Mapping[str, Any], path: AttrPath, rules: AttributeRules, prefix: str, *, implied: bool
) -> list[Any]:
    """The values at ``path`` (inside a value filter: relative to ``prefix``), flattened.

    ``implied``: for a multi-valued complex attribute without a sub-attribute, the elements'
    ``value`` sub-attributes rather than the elements.
    """
    container: Any = obj
    if path.urn is not None:
        container = get_ci(obj, path.urn)
        if not isinstance(container, Mapping):
            return []
    value = get_ci(container, path.attr)
    if value is None and path.urn is None and not prefix:
        value = _from_extensions(obj, path.attr)
    if value is None:
        return []
    items: list[Any] = value if isinstance(value, list) else [value]
    if path.filter is not None:
        inner_prefix = path.key.partition("[")[0]
        # A simple multi-valued attribute's values are `value` inside a filter (RFC 7644
        # §3.4.2.2): roleCodes[value eq "x"].
        items = [i if isinstance(i, Mapping) else {"value": i} for i in items]
        items = [i for i in items if _eval(path.filter, i, rules, inner_prefix)]
    if path.sub is not None:
        out: list[Any] = []
        for item in items:
            if isinstance(item, Mapping):
                sub = get_ci(item, path.sub)
                if isinstance(sub, list):
                    out.extend(sub)
                elif sub is not None:
                    out.append(sub)
        return out
    if implied and path.filter is None and isinstance(value, list):
        # `emails co "x"`: the value sub-attribute of a multi-valued complex is implied.
        return [get_ci(i, "value") if isinstance(i, Mapping) else i for i in items]
    return items


def get_ci(obj: Mapping[str, Any], name: str) -> Any:
    """``obj[name]``, falling back to a case-insensitive match (attribute names are)."""
    value = obj.get(name)
    if value is not None:
        return value
    lower = name.lower()
    for key, item in obj.items():
        if key.lower() == lower:
            return item
    return None


def _from_extensions(resource: Mapping[str, Any], attr: str) -> Any:
    # Tolerance: an unqualified name that only exists in an extension (``ContosoLogin``).
    for key, ext in resource.items():
        if key[:4].lower() == "urn:" and isinstance(ext, Mapping):
            value = get_ci(ext, attr)
            if value is not None:
                return value
    return None


def _non_empty(value: Any) -> bool:
    if value is None or value == "" or value == [] or value == {}:
        return False
    if isinstance(value, Mapping):
        return any(_non_empty(v) for v in value.values())
    return True


def parse_datetime(text: str) -> datetime | None:
    """An aware datetime from ISO 8601 text (no offset: UTC); None when it is not one."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def _order(op: str, a: Any, b: Any) -> bool:
    if op == "eq":
        return bool(a == b)
    if op == "gt":
        return bool(a > b)
    if op == "ge":
        return bool(a >= b)
    if op == "lt":
        return bool(a < b)
    if op == "le":
        return bool(a <= b)
    return False


def _compare(op: str, actual: Any, literal: Literal_, type_: str, case_exact: bool) -> bool:
    if isinstance(actual, bool) or isinstance(literal, bool) or type_ == "boolean":
        if op in ORDER_OPS:
            raise ScimError(400, "invalidFilter", f"'{op}' cannot be used on a boolean attribute")
        a, b = _as_bool(actual), _as_bool(literal)
        return op == "eq" and a is not None and a == b
    if isinstance(actual, int | float):
        if isinstance(literal, str):  # Entra quotes every value, numbers included
            try:
                literal = float(literal)
            except ValueError:
                return False
        return isinstance(literal, int | float) and _order(op, actual, literal)
    if not isinstance(actual, str) or not isinstance(literal, str):
        return False
    if type_ == "dateTime" and op not in STRING_OPS:
        when = parse_datetime(literal)
        if when is None:
            raise ScimError(400, "invalidFilter", f"{literal!r} is not an ISO 8601 dateTime")
        seen = parse_datetime(actual)
        return seen is not None and _order(op, seen, when)
    text: str = actual if case_exact else actual.casefold()
    wanted: str = literal if case_exact else literal.casefold()
    if op == "co":
        return wanted in text
    if op == "sw":
        return text.startswith(wanted)
    if op == "ew":
        return text.endswith(wanted)
    return _order(op, text, wanted)
