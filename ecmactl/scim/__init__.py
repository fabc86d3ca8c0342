"""The SCIM 2.0 protocol layer of the host: pure functions over plain dicts, no I/O.

- :mod:`~ecmactl.scim.errors`: ``ScimError`` and the RFC 7644 §3.12 error body.
- :mod:`~ecmactl.scim.filter`: the filter / attribute-path grammar and its AST.
- :mod:`~ecmactl.scim.evaluate`: filter evaluation and index-friendly equality extraction.
- :mod:`~ecmactl.scim.mapping`: row ⇄ User resource for a ``Connector``; path → column.
- :mod:`~ecmactl.scim.writes`: the rules for each written value (``RowChanges``): unmapped and
  unstorable values, one column under two names, removing ``active`` or a whole extension.
- :mod:`~ecmactl.scim.bodies`: request bodies flattened into (path, value) assignments.
- :mod:`~ecmactl.scim.values`: one value between a column's data type and SCIM JSON.
- :mod:`~ecmactl.scim.core_schema`: RFC 7643 User/enterprise definitions and schema URNs.
- :mod:`~ecmactl.scim.patch`: PatchOp (RFC and Entra dialects) → column changes.
- :mod:`~ecmactl.scim.multi_valued`: multi-valued attributes from child tables: rendering,
  whole-set writes, PATCH of elements, one primary.
- :mod:`~ecmactl.scim.listing`: paging, sorting, projection, ListResponse.
- :mod:`~ecmactl.scim.discovery`: /ServiceProviderConfig, /ResourceTypes, /Schemas.
- :mod:`~ecmactl.scim.query`: how to answer a filter (index key, scan or nothing).

A host answers ``GET /Users?filter=…`` like this::

    mapping = UserMapping(connector)            # once per connector (and its indexes, built
                                                # for mapping.index_specs() with index_key())
    flt = parse_filter(params["filter"])        # ScimError(400, invalidFilter)
    plan = plan_query(mapping, flt)
    if plan.kind == "index":
        rows = indexes[(plan.target.column.name, plan.target.case_exact)].get(plan.key, [])
        found = [mapping.to_resource(r, base_url) for r in rows]
        if not plan.exact:
            found = [r for r in found if matches(flt, r, mapping.rules)]
    elif plan.kind == "scan":
        found = [r for r in all_resources if matches(flt, r, mapping.rules)]
    else:                                       # Entra's PLACEHOLDER probe, impossible values
        found = []
    page = Page.from_params(params.get("startIndex"), params.get("count"))
    body = query_response(found, page, projection=Projection.parse(attributes, excluded))
"""

from ecmactl.scim.discovery import resource_types, schemas, service_provider_config
from ecmactl.scim.errors import ERROR_URN, ScimError
from ecmactl.scim.evaluate import AttributeRules, EqualityLookup, equality_lookup, matches
from ecmactl.scim.filter import AttrPath, Filter, parse_filter, parse_path
from ecmactl.scim.listing import (
    DEFAULT_PAGE_SIZE,
    LIST_RESPONSE_URN,
    MAX_PAGE_SIZE,
    Page,
    Projection,
    list_response,
    query_response,
    sort_resources,
)
from ecmactl.scim.mapping import Binding, RowChanges, Target, UserMapping
from ecmactl.scim.patch import PATCH_OP_URN, apply_patch
from ecmactl.scim.query import QueryPlan, plan_query

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "ERROR_URN",
    "LIST_RESPONSE_URN",
    "MAX_PAGE_SIZE",
    "PATCH_OP_URN",
    "AttrPath",
    "AttributeRules",
    "Binding",
    "EqualityLookup",
    "Filter",
    "Page",
    "Projection",
    "QueryPlan",
    "RowChanges",
    "ScimError",
    "Target",
    "UserMapping",
    "apply_patch",
    "equality_lookup",
    "list_response",
    "matches",
    "parse_filter",
    "parse_path",
    "plan_query",
    "query_response",
    "resource_types",
    "schemas",
    "service_provider_config",
    "sort_resources",
]
