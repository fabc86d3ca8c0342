"""Query results: paging, sorting, attribute projection and the ListResponse document.

Paging follows RFC 7644 §3.4.2.4: ``startIndex`` is 1-based and values below 1 mean 1; a
negative ``count`` means 0 (only ``totalResults`` is returned); ``count`` is capped at the page
maximum, which the host advertises as ``filter.maxResults``. ``itemsPerPage`` is the number of
resources in this page, as the RFC defines it. Sorting follows §3.4.2.3: case-insensitive unless
``caseExact``, resources without a value last when ascending and first when descending.
Projection follows §3.9: ``id``, ``schemas`` and ``meta`` are always returned.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from ecmactl.scim.core_schema import CORE_USER_URN, canonical_urn, is_known_schema
from ecmactl.scim.errors import ScimError
from ecmactl.scim.evaluate import DEFAULT_RULES, AttributeRules, collect, parse_datetime
from ecmactl.scim.filter import AttrPath, parse_path

LIST_RESPONSE_URN = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
ALWAYS_RETURNED = frozenset(("id", "schemas", "meta"))

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page:
    """A window on the results: 1-based ``start_index`` and at most ``count`` resources."""

    start_index: int = 1
    count: int = DEFAULT_PAGE_SIZE

    @classmethod
    def from_params(
        cls,
        start_index: str | int | None = None,
        count: str | int | None = None,
        *,
        default_count: int = DEFAULT_PAGE_SIZE,
        max_count: int = MAX_PAGE_SIZE,
    ) -> Page:
        """From the ``startIndex`` and ``count`` query parameters (strings or ints)."""
        start = _integer("startIndex", start_index, 1)
        size = _integer("count", count, default_count)
        return cls(max(start, 1), min(max(size, 0), max_count))

    def window(self, items: Sequence[T]) -> Sequence[T]:
        first = self.start_index - 1
        return items[first : first + self.count]


def _integer(name: str, value: str | int | None, default: int) -> int:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise ScimError(400, "invalidValue", f"{name} must be an integer")
    try:
        return int(value)
    except ValueError:
        raise ScimError(400, "invalidValue", f"{name} must be an integer, not {value!r}") from None


def list_response(
    resources: Sequence[Mapping[str, Any]], total_results: int, start_index: int = 1
) -> dict[str, Any]:
    """The RFC 7644 §3.4.2 ListResponse for one page."""
    return {
        "schemas": [LIST_RESPONSE_URN],
        "totalResults": total_results,
        "startIndex": start_index,
        "itemsPerPage": len(resources),
        "Resources": list(resources),
    }


def query_response(
    matched: Sequence[Mapping[str, Any]],
    page: Page,
    *,
    projection: Projection | None = None,
    sort_by: str | None = None,
    sort_order: str | None = None,
    rules: AttributeRules = DEFAULT_RULES,
) -> dict[str, Any]:
    """Sort the matched resources, cut the page, project it, and wrap it in a ListResponse."""
    ordered: Sequence[Mapping[str, Any]] = matched
    if sort_by:
        ordered = sort_resources(matched, sort_by, sort_order, rules)
    window = page.window(ordered)
    if projection is not None and not projection.is_identity:
        window = [projection.apply(r) for r in window]
    return list_response(window, len(matched), page.start_index)


def sort_resources(
    resources: Iterable[Mapping[str, Any]],
    sort_by: str,
    sort_order: str | None = None,
    rules: AttributeRules = DEFAULT_RULES,
) -> list[Mapping[str, Any]]:
    """Resources ordered by ``sort_by`` (a path); ``sort_order`` ascending (default)/descending."""
    order = (sort_order or "ascending").lower()
    if order not in ("ascending", "descending"):
        raise ScimError(400, "invalidValue", f"sortOrder must be ascending or descending: {order}")
    path = _query_path("sortBy", sort_by)
    type_, case_exact = rules.for_path(path)

    def key(resource: Mapping[str, Any]) -> tuple[int, int, Any]:
        values = collect(resource, path, rules, "", implied=True)
        value = values[0] if values else None
        if value is None or isinstance(value, Mapping | list):
            return (1, 0, 0)
        if isinstance(value, bool):
            return (0, 0, value)
        if isinstance(value, int | float):
            return (0, 1, value)
        text = str(value)
        if type_ == "dateTime" and (when := parse_datetime(text)) is not None:
            return (0, 1, when.timestamp())
        return (0, 2, text if case_exact else text.casefold())

    return sorted(resources, key=key, reverse=order == "descending")


def _query_path(name: str, text: str) -> AttrPath:
    try:
        path = parse_path(text.strip())
    except ScimError as exc:
        raise ScimError(400, "invalidValue", f"{name}: {exc.detail}") from None
    if path.filter is not None:
        raise ScimError(400, "invalidValue", f"{name} cannot contain a value filter: {text}")
    return path


@dataclass(frozen=True, slots=True)
class Projection:
    """The ``attributes`` / ``excludedAttributes`` parameters, parsed once per request."""

    attributes: tuple[AttrPath | str, ...] = ()  # str: a whole schema extension URN
    excluded: tuple[AttrPath | str, ...] = ()

    @classmethod
    def parse(cls, attributes: str | None = None, excluded: str | None = None) -> Projection:
        return cls(_specs("attributes", attributes), _specs("excludedAttributes", excluded))

    @property
    def is_identity(self) -> bool:
        return not self.attributes and not self.excluded

    def apply(self, resource: Mapping[str, Any]) -> dict[str, Any]:
        """A copy of ``resource`` holding only what was asked for; the input is not modified."""
        if self.attributes:
            out = {k: v for k, v in resource.items() if k.lower() in ALWAYS_RETURNED}
            for spec in self.attributes:
                _copy(resource, out, spec)
        else:
            out = dict(resource)
        for spec in self.excluded:
            _remove(out, spec)
        schemas = out.get("schemas")
        if isinstance(schemas, list):  # list only the schemas still present (RFC 7643 §3)
            keys = {k.lower() for k in out}
            out["schemas"] = [s for s in schemas if s == CORE_USER_URN or s.lower() in keys]
        return out


def _specs(name: str, text: str | None) -> tuple[AttrPath | str, ...]:
    specs: list[AttrPath | str] = []
    for item in (text or "").split(","):
        item = item.strip()
        if not item:
            continue
        if is_known_schema(item):
            specs.append(canonical_urn(item))
        else:
            specs.append(_query_path(name, item))
    return tuple(specs)


def _key(obj: Mapping[str, Any], name: str) -> str | None:
    if name in obj:
        return name
    lower = name.lower()
    return next((k for k in obj if k.lower() == lower), None)


def _locate(resource: Mapping[str, Any], spec: AttrPath) -> tuple[str | None, str] | None:
    """(extension key or None, attribute key) where ``spec`` lives in ``resource``."""
    if spec.urn is not None:
        ext = _key(resource, spec.urn)
        inner = resource.get(ext) if ext else None
        attr = _key(inner, spec.attr) if isinstance(inner, Mapping) else None
        return (ext, attr) if attr else None
    attr = _key(resource, spec.attr)
    if attr is not None:
        return (None, attr)
    for ext, inner in resource.items():  # tolerance: a bare extension attribute name
        if ext[:4].lower() == "urn:" and isinstance(inner, Mapping):
            found = _key(inner, spec.attr)
            if found is not None:
                return (ext, found)
    return None


def _copy_value(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, list):
        return [dict(e) if isinstance(e, Mapping) else e for e in value]
    return value


def _copy(src: Mapping[str, Any], dst: dict[str, Any], spec: AttrPath | str) -> None:
    if isinstance(spec, str):
        ext = _key(src, spec)
        if ext is not None:
            dst[ext] = _copy_value(src[ext])
        return
    found = _locate(src, spec)
    if found is None:
        return
    ext, attr = found
    source: Mapping[str, Any] = src[ext] if ext else src
    target: dict[str, Any] = dst.setdefault(ext, {}) if ext else dst
    value = source[attr]
    if spec.sub is None:
        target[attr] = _copy_value(value)
    elif isinstance(value, Mapping):
        sub = _key(value, spec.sub)
        if sub is not None:
            target.setdefault(attr, {})[sub] = value[sub]
    elif isinstance(value, list):
        elements = target.get(attr)
        if not isinstance(elements, list) or len(elements) != len(value):
            elements = target[attr] = [{} for _ in value]
        for into, element in zip(elements, value, strict=True):
            sub = _key(element, spec.sub) if isinstance(element, Mapping) else None
            if sub is not None and isinstance(into, dict):
                into[sub] = element[sub]
        target[attr] = elements


def _remove(out: dict[str, Any], spec: AttrPath | str) -> None:
    if isinstance(spec, str):
        ext = _key(out, spec)
        if ext is not None:
            del out[ext]
        return
    found = _locate(out, spec)
    if found is None:
        return
    ext, attr = found
    if ext is None and attr.lower() in ALWAYS_RETURNED:
        return  # returned "always": excludedAttributes cannot remove it
    container = out
    if ext is not None:
        container = out[ext] = dict(out[ext])
    if spec.sub is None:
        del container[attr]
        return
    value = container[attr]
    if isinstance(value, Mapping):
        container[attr] = {k: v for k, v in value.items() if k.lower() != spec.sub.lower()}
    elif isinstance(value, list):
        container[attr] = [
            {k: v for k, v in e.items() if k.lower() != spec.sub.lower()}
            if isinstance(e, Mapping)
            else e
            for e in value
        ]
