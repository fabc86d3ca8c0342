"""Discovery documents (RFC 7643 §5-7, RFC 7644 §4) generated from a connector's mapping.

``/Schemas`` is what Entra reads to discover the ECMA2Host attributes (one per selected column)
and what validators such as scim2-tester read before any CRUD check, so it must be exact:

- the core User schema lists only what this host can store: the bound core attributes, plus
  ``userName`` (RFC 7643 requires it) and ``active``. ``id`` and ``externalId`` are common
  attributes (RFC 7643 §3.1) and are not part of a schema definition. ``emails`` and
  ``phoneNumbers`` have ``value`` and ``type`` only, the bound types as ``canonicalValues``
  (``primary`` is not stored); ``active`` is ``required`` when it can never be unassigned;
- each column becomes an extension attribute: its data type, ``required`` when it is NOT NULL
  without a default, ``uniqueness: server`` when unique, ``caseExact: false`` for strings;
- a multi-valued attribute from a child table is ``multiValued: true``: a core one (``emails``,
  ``roles``…) lists ``value`` and, when the child table stores them, ``type`` and ``primary``;
  an extension one is a multi-valued attribute of the value column's type;
- direction becomes mutability: Import → ``readOnly``, Export → ``writeOnly`` (returned never);
- the anchor, and any core attribute bound to it, is ``immutable`` + ``uniqueness: server``:
  RFC 7643 §7 defines immutable as "set at creation, never updated", which is exactly how the
  anchor behaves (a rename is refused with ``mutability``). Advertising ``readWrite`` would
  invite compliant clients to PATCH it and fail.
"""

from __future__ import annotations

from typing import Any

from ecmactl.config.models import ECMA_EXTENSION_URN, Column
from ecmactl.scim import core_schema as core
from ecmactl.scim.listing import MAX_PAGE_SIZE
from ecmactl.scim.mapping import MultiValued, UserMapping
from ecmactl.scim.values import SCIM_TYPES

RFC6750 = "https://www.rfc-editor.org/rfc/rfc6750"


def service_provider_config(
    base_url: str, *, max_results: int = MAX_PAGE_SIZE, sort: bool = True
) -> dict[str, Any]:
    """``/ServiceProviderConfig``: PATCH and filters yes; bulk, ETags and password change no."""
    return {
        "schemas": [core.SERVICE_PROVIDER_CONFIG_URN],
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": max_results},
        "changePassword": {"supported": False},
        "sort": {"supported": sort},
        "etag": {"supported": False},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "OAuth Bearer Token",
                "description": "The connector's secret token, sent as 'Authorization: Bearer …'.",
                "specUri": RFC6750,
                "primary": True,
            }
        ],
        "meta": _meta("ServiceProviderConfig", base_url, "ServiceProviderConfig"),
    }


def resource_types(mapping: UserMapping, base_url: str) -> list[dict[str, Any]]:
    """``/ResourceTypes``: User, with the ECMA2Host (and, if bound, enterprise) extension."""
    extensions = [{"schema": ECMA_EXTENSION_URN, "required": False}]
    if mapping.uses_enterprise:
        extensions.insert(0, {"schema": core.ENTERPRISE_USER_URN, "required": False})
    return [
        {
            "schemas": [core.RESOURCE_TYPE_URN],
            "id": "User",
            "name": "User",
            "endpoint": "/Users",
            "description": f"Rows of {mapping.connector.schema.table} "
            f"(connector {mapping.connector.name})",
            "schema": core.CORE_USER_URN,
            "schemaExtensions": extensions,
            "meta": _meta("ResourceType", base_url, "ResourceTypes/User"),
        }
    ]


def schemas(mapping: UserMapping, base_url: str) -> list[dict[str, Any]]:
    """``/Schemas``: core User (bound attributes only), enterprise if bound, ECMA2Host."""
    docs = [
        _schema(core.CORE_USER_URN, "User", "User Account", _core_attributes(mapping), base_url)
    ]
    if mapping.uses_enterprise:
        attrs = _enterprise_attributes(mapping)
        docs.append(
            _schema(core.ENTERPRISE_USER_URN, "EnterpriseUser", "Enterprise User", attrs, base_url)
        )
    table = mapping.connector.schema.table
    attrs = [_column_attribute(mapping, c) for c in mapping.columns]
    attrs += [_multi_attribute(mapping, mv) for mv in mapping.multi_valued if mv.urn is not None]
    description = (
        f"Columns of {table} exposed by ECMA2Host-compatible connector {mapping.connector.name}"
    )
    docs.append(_schema(ECMA_EXTENSION_URN, "ECMA2Host User", description, attrs, base_url))
    return docs


def _meta(resource_type: str, base_url: str, tail: str) -> dict[str, str]:
    return {"resourceType": resource_type, "location": f"{base_url.rstrip('/')}/{tail}"}


def _schema(
    urn: str, name: str, description: str, attributes: list[dict[str, Any]], base_url: str
) -> dict[str, Any]:
    return {
        "schemas": [core.SCHEMA_URN],
        "id": urn,
        "name": name,
        "description": description,
        "attributes": attributes,
        "meta": _meta("Schema", base_url, f"Schemas/{urn}"),
    }


def _traits(mapping: UserMapping, column: Column) -> dict[str, Any]:
    """What a column imposes on any attribute bound to it."""
    traits: dict[str, Any] = {"required": not column.nullable and not column.has_default}
    if column is mapping.anchor:
        traits.update(required=True, mutability="immutable", uniqueness="server")
    elif column.direction == "Import":
        traits["mutability"] = "readOnly"
    elif column.direction == "Export":
        traits.update(mutability="writeOnly", returned="never")
    if column.unique or column.primary_key:
        traits["uniqueness"] = "server"
    return traits


def _core_attributes(mapping: UserMapping) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for binding in mapping.bindings:
        path = binding.path
        if path.urn is not None or path.attr.lower() == "externalid":
            continue
        definition = core.CORE_USER_ATTRIBUTES[path.attr.lower()]
        traits = _traits(mapping, binding.column)
        if path.sub is None:
            required = definition["required"] or traits["required"]
            out[path.attr.lower()] = {**definition, **traits, "required": required}
            continue
        parent = out.setdefault(path.attr.lower(), {**definition, "subAttributes": []})
        parent["required"] = parent["required"] or traits["required"]
        if binding.type_value is not None:  # emails/phoneNumbers: value and type
            parent.update(_typed_parts(mapping, definition, traits))
            continue
        sub = core.canonical_sub(path)
        known = next(s for s in definition["subAttributes"] if s["name"] == sub)
        parent["subAttributes"].append({**known, **traits})
    out.setdefault("username", core.CORE_USER_ATTRIBUTES["username"])
    # `active` is required when every user has a state (disable column, or no column at all): it
    # never becomes unassigned, so clients must not expect `remove` to unassign it (removing it
    # enables the user: writes.py).
    out["active"] = {**core.CORE_USER_ATTRIBUTES["active"], "required": mapping.active_required}
    for mv in mapping.multi_valued:
        if mv.urn is None:
            out[mv.name.lower()] = _multi_attribute(mapping, mv)
    # userName first, then the RFC's order, as RFC 7643 §8.7.1 lists them (then ims, roles…).
    order = list(core.CORE_USER_ATTRIBUTES)
    return [out[k] for k in sorted(out, key=lambda k: order.index(k) if k in order else len(order))]


def _multi_attribute(mapping: UserMapping, mv: MultiValued) -> dict[str, Any]:
    """A multi-valued attribute from a child table: what its columns store."""
    child = next(c.table for c, a in mapping.connector.schema.multi_valued() if a.key == mv.key)
    where = f"One value per row of {child} (column {mv.column.name})"
    type_ = SCIM_TYPES[mv.column.data_type]
    if mv.urn is not None:
        return core.attribute(
            mv.name,
            type_,
            multi_valued=True,
            case_exact=mv.column.data_type == "Binary",
            description=where,
        )
    known = core.CORE_USER_ATTRIBUTES.get(mv.name.lower())
    parts = {s["name"]: s for s in known["subAttributes"]} if known else {}
    subs = [core.attribute("value", description=f"The {mv.name} value.")]
    if mv.has_type:
        subs.append(parts.get("type") or core.attribute("type", description="Its kind."))
    if mv.has_primary:
        subs.append(core.attribute("primary", "boolean", description="The primary value."))
    return core.attribute(
        mv.name, "complex", multi_valued=True, description=where, sub_attributes=subs
    )


def _typed_parts(
    mapping: UserMapping, definition: dict[str, Any], traits: dict[str, Any]
) -> dict[str, Any]:
    """``value`` and ``type`` of a typed multi-valued attribute, as far as columns hold them.

    ``type`` lists the bound types as its ``canonicalValues``, so clients (scim2-tester picks
    its values there) send only types that can be stored. RFC 7643 §7 lets a provider "ignore
    unsupported values"; writes refuse them instead, so nothing is lost silently. ``primary``
    is left out: no column stores it, and announcing it invites values that cannot come back.
    """
    name = definition["name"]
    types = mapping.bound_types(name)
    parts = {s["name"]: s for s in definition["subAttributes"]}
    stored = ", ".join(f'"{t}"' for t in types)
    return {
        "description": f"{definition['description']} Only type {stored} is stored, one value "
        "each; primary is not stored.",
        "subAttributes": [
            {**parts["value"], **traits, "required": False},
            {**parts["type"], "canonicalValues": types},
        ],
    }


def _enterprise_attributes(mapping: UserMapping) -> list[dict[str, Any]]:
    return [
        {**core.ENTERPRISE_ATTRIBUTES[b.path.attr.lower()], **_traits(mapping, b.column)}
        for b in mapping.bindings
        if b.path.urn == core.ENTERPRISE_USER_URN
    ]


def _column_attribute(mapping: UserMapping, column: Column) -> dict[str, Any]:
    also = [core.canonical_path(b.path) for b in mapping.bindings if b.column is column]
    description = f"Column {column.name} ({column.sql_type})"
    if column is mapping.anchor:
        description += ", the anchor"
    if also:
        description += f"; also {', '.join(also)}"
    return core.attribute(
        column.name,
        SCIM_TYPES[column.data_type],
        case_exact=column.data_type == "Binary",
        description=description,
    ) | _traits(mapping, column)
