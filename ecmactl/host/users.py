"""``/Users``: queries answered from the cache, writes committed to the database first.

Decisions where the RFC or Entra leave a choice:

- a PATCH or PUT that disables a user when the disable flow is Delete deletes the row and
  answers ``204 No Content`` (RFC 7644 §3.5.2 allows 204 for PATCH; there is no resource left
  to return); a GET afterwards is 404;
- with the delete flow None, ``DELETE`` answers 204 and keeps the row (ECMA2Host does not
  export deletes then; Entra considers the user gone, the table keeps it);
- ``active`` is ignored on create when the disable flow is Delete or None (nothing to store);
- a write that changes nothing answers 200 with the stored resource and touches no database;
- writes answer with the resource as stored (defaults filled in by the database), projected by
  ``attributes``/``excludedAttributes`` when given.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import anyio
import anyio.to_thread
from starlette.types import Receive

from ecmactl.host.cache import Cache, Row
from ecmactl.host.http import Reply, join_list, json_bytes, read_json
from ecmactl.host.runtime import Runtime
from ecmactl.scim import (
    Page,
    Projection,
    ScimError,
    apply_patch,
    matches,
    parse_filter,
    plan_query,
    query_response,
)
from ecmactl.scim.filter import Filter

log = logging.getLogger("ecmactl.host")
INLINE_SCAN = 2_000
_NO_PROJECTION = Projection()
_DEFAULT_PAGE = (
    Page.from_params()
)  # caches up to this size are scanned on the event loop; larger in a thread


@dataclass(slots=True)
class Call:
    """One request to a connector's /Users endpoint."""

    receive: Receive
    runtime: Runtime
    cache: Cache
    base: str  # the SCIM root URL as the client addressed it
    params: dict[str, str]
    scan_limiter: anyio.CapacityLimiter


# -- queries ------------------------------------------------------------------------------------


async def list_users(call: Call) -> Reply:
    """GET /Users?filter=…&startIndex=…&count=…&attributes=…&sortBy=…"""
    p = call.params
    return await _query(
        call,
        p.get("filter"),
        p.get("startindex"),
        p.get("count"),
        p.get("attributes"),
        p.get("excludedattributes"),
        p.get("sortby"),
        p.get("sortorder"),
    )


async def search_users(call: Call) -> Reply:
    """POST /Users/.search with a SearchRequest body (RFC 7644 §3.4.3)."""
    body = await read_json(call.receive)
    if not isinstance(body, Mapping):
        raise ScimError(400, "invalidSyntax", "The SearchRequest body must be a JSON object")
    fields = {str(k).lower(): v for k, v in body.items()}
    return await _query(
        call,
        _text(fields, "filter"),
        _number(fields, "startindex"),
        _number(fields, "count"),
        _names(fields, "attributes"),
        _names(fields, "excludedattributes"),
        _text(fields, "sortby"),
        _text(fields, "sortorder"),
    )


def _text(fields: Mapping[str, Any], name: str) -> str | None:
    value = fields.get(name)
    if value is None or isinstance(value, str):
        return value
    raise ScimError(400, "invalidValue", f"SearchRequest {name} must be a string")


def _number(fields: Mapping[str, Any], name: str) -> str | None:
    value = fields.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ScimError(400, "invalidValue", f"SearchRequest {name} must be an integer")
    return str(value)


def _names(fields: Mapping[str, Any], name: str) -> str | None:
    value = fields.get(name)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ",".join(value)
    raise ScimError(400, "invalidValue", f"SearchRequest {name} must be a list of strings")


async def _query(
    call: Call,
    filter_text: str | None,
    start_index: str | None,
    count: str | None,
    attributes: str | None,
    excluded: str | None,
    sort_by: str | None,
    sort_order: str | None,
) -> Reply:
    page = (
        _DEFAULT_PAGE
        if start_index is None and count is None
        else Page.from_params(start_index, count)
    )
    projection = _projection(attributes, excluded)
    if filter_text is not None and filter_text.strip():
        rows = await _filtered(call, parse_filter(filter_text))
    else:
        rows = list(call.cache.rows.values())
    cache, base = call.cache, call.base
    anchor = call.runtime.mapping.resource_id(rows[0]) if len(rows) == 1 else None
    if not sort_by:  # render only the page; pre-encoded resources when nothing is projected
        window = page.window(rows)
        if projection.is_identity:
            items = [cache.encoded(r, base) for r in window]
        else:
            items = [json_bytes(projection.apply(cache.resource(r, base))) for r in window]
        return Reply(200, join_list(items, len(rows), page.start_index, len(items)), anchor=anchor)
    sort = (page, projection, sort_by, sort_order)
    if len(rows) <= INLINE_SCAN:
        return Reply(200, _sorted(cache, rows, base, *sort), anchor=anchor)
    body = await anyio.to_thread.run_sync(
        _sorted, cache, rows, base, *sort, limiter=call.scan_limiter
    )
    return Reply(200, body, anchor=anchor)


def _sorted(
    cache: Cache,
    rows: Sequence[Row],
    base: str,
    page: Page,
    projection: Projection,
    sort_by: str,
    sort_order: str | None,
) -> bytes:
    """A sorted page: every match is rendered to be sorted (in a thread for large caches)."""
    resources = [cache.resource(r, base) for r in rows]
    document = query_response(
        resources,
        page,
        projection=projection,
        sort_by=sort_by,
        sort_order=sort_order,
        rules=cache.mapping.rules,
    )
    return json_bytes(document)


async def _filtered(call: Call, flt: Filter) -> Sequence[Row]:
    mapping, cache = call.runtime.mapping, call.cache
    plan = plan_query(mapping, flt)
    if plan.kind == "none":  # Entra's PLACEHOLDER probe, or a value no row can hold
        return []
    if plan.kind == "index":
        assert plan.target is not None and plan.target.column is not None
        spec = (plan.target.column.name, plan.target.case_exact)
        call.runtime.wanted_specs.add(spec)  # the next import builds it up front
        found = cache.lookup(spec, plan.key)
        if not found and call.runtime.clustered:  # another host may have just written it
            found = await call.runtime.read_through_by(spec, plan.key)
        if plan.exact:
            return found
        return [r for r in found if matches(flt, cache.resource(r, call.base), mapping.rules)]
    rows = list(cache.rows.values())  # a snapshot: writes may change the dict meanwhile
    if len(rows) <= INLINE_SCAN:
        return _scan(cache, rows, flt, call.base)
    return await anyio.to_thread.run_sync(
        _scan, cache, rows, flt, call.base, limiter=call.scan_limiter
    )


def _scan(cache: Cache, rows: list[Row], flt: Filter, base: str) -> list[Row]:
    rules = cache.mapping.rules
    return [r for r in rows if matches(flt, cache.resource(r, base), rules)]


def _projection(attributes: str | None, excluded: str | None) -> Projection:
    if attributes is None and excluded is None:
        return _NO_PROJECTION
    return Projection.parse(attributes, excluded)


# -- one user -----------------------------------------------------------------------------------


def _anchor(call: Call, resource_id: str) -> Any:
    anchor = call.runtime.mapping.anchor_value(resource_id)
    if anchor is None:
        raise ScimError.not_found(resource_id)
    return anchor


def _resource_reply(call: Call, row: Row, status: int = 200) -> Reply:
    rid = call.runtime.mapping.resource_id(row)
    projection = _projection(call.params.get("attributes"), call.params.get("excludedattributes"))
    if projection.is_identity:
        body = call.cache.encoded(row, call.base)
    else:
        body = json_bytes(projection.apply(call.cache.resource(row, call.base)))
    reply = Reply(status, body, anchor=rid)
    if status == 201:
        reply.headers.append((b"location", f"{call.base}/Users/{quote(rid, safe='')}".encode()))
    return reply


async def get_user(call: Call, resource_id: str) -> Reply:
    anchor = _anchor(call, resource_id)
    row = call.cache.get(anchor)
    if row is None and call.runtime.clustered:  # another host may have just created it
        row = await call.runtime.read_through(anchor)
    if row is None:
        raise ScimError.not_found(resource_id)
    return _resource_reply(call, row)


async def create_user(call: Call) -> Reply:
    body = await read_json(call.receive)
    mapping = call.runtime.mapping
    changes = mapping.to_row(body)
    if changes.ignored:
        log.debug("connector %s: create ignores %s", call.runtime.name, ", ".join(changes.ignored))
    row = await call.runtime.create(changes)
    call.cache = call.runtime.cache or call.cache  # an import may have swapped it meanwhile
    return _resource_reply(call, row, 201)


async def replace_user(call: Call, resource_id: str) -> Reply:
    body = await read_json(call.receive)
    mapping = call.runtime.mapping
    if not isinstance(body, Mapping):
        raise ScimError(400, "invalidSyntax", "The request body must be a JSON object")
    outcome, row = await call.runtime.modify(
        _anchor(call, resource_id), resource_id, lambda current: mapping.to_row(body, current)
    )
    return _after_write(call, outcome, row, resource_id)


async def patch_user(call: Call, resource_id: str) -> Reply:
    body = await read_json(call.receive)
    mapping = call.runtime.mapping
    outcome, row = await call.runtime.modify(
        _anchor(call, resource_id), resource_id, lambda current: apply_patch(mapping, body, current)
    )
    return _after_write(call, outcome, row, resource_id)


def _after_write(call: Call, outcome: str, row: Row | None, resource_id: str) -> Reply:
    if row is None:  # disabled with the Delete disable flow: the row is gone
        log.info("connector %s: %s disabled: row deleted", call.runtime.name, resource_id)
        return Reply(204, anchor=resource_id)
    call.cache = call.runtime.cache or call.cache
    return _resource_reply(call, row)


async def delete_user(call: Call, resource_id: str) -> Reply:
    deleted = await call.runtime.delete(_anchor(call, resource_id), resource_id)
    if not deleted:
        log.info(
            "connector %s: DELETE %s ignored (delete flow None)", call.runtime.name, resource_id
        )
    return Reply(204, anchor=resource_id)
