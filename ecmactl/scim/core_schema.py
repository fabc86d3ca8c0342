"""What RFC 7643 defines for a User: schema URNs and the attribute definitions we may expose.

The mapping uses this to tell a *known but unmapped* attribute (Entra sends ``roles: []``,
``title: null``, enterprise attributes…, which we ignore) from an *unknown* one (a typo or a
deselected column, which we refuse). Discovery copies the definitions of bound attributes into
``/Schemas`` so core attributes are described exactly as the RFC describes them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ecmactl.config.models import ECMA_EXTENSION_URN

if TYPE_CHECKING:
    from ecmactl.scim.filter import AttrPath

CORE_USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_USER_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
SCHEMA_URN = "urn:ietf:params:scim:schemas:core:2.0:Schema"
RESOURCE_TYPE_URN = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SERVICE_PROVIDER_CONFIG_URN = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"

# Lower-cased spelling -> canonical spelling. The enterprise typo is in Microsoft's own sample
# create body ("…:2.0User"), so Entra-fed clients may send it in `schemas` or as a key prefix.
_CANONICAL_URNS: dict[str, str] = {
    CORE_USER_URN.lower(): CORE_USER_URN,
    ENTERPRISE_USER_URN.lower(): ENTERPRISE_USER_URN,
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0user": ENTERPRISE_USER_URN,
    ECMA_EXTENSION_URN.lower(): ECMA_EXTENSION_URN,
}


def canonical_urn(urn: str) -> str:
    """The canonical spelling of a schema URN we know (case-insensitive, typo-tolerant)."""
    return _CANONICAL_URNS.get(urn.lower(), urn)


def is_known_schema(urn: str) -> bool:
    return urn.lower() in _CANONICAL_URNS


def attribute(
    name: str,
    type_: str = "string",
    *,
    multi_valued: bool = False,
    required: bool = False,
    case_exact: bool = False,
    mutability: str = "readWrite",
    returned: str = "default",
    uniqueness: str = "none",
    description: str = "",
    canonical_values: list[str] | None = None,
    sub_attributes: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One RFC 7643 §7 attribute definition."""
    doc: dict[str, Any] = {
        "name": name,
        "type": type_,
        "multiValued": multi_valued,
        "description": description or name,
        "required": required,
        "mutability": mutability,
        "returned": returned,
    }
    if type_ in ("string", "reference", "binary"):
        doc["caseExact"] = case_exact
    if type_ != "complex":
        doc["uniqueness"] = uniqueness
    if canonical_values:
        doc["canonicalValues"] = canonical_values
    if type_ == "reference":
        doc["referenceTypes"] = ["external"]
    if sub_attributes is not None:
        doc["subAttributes"] = sub_attributes
    return doc


def _typed_multi(name: str, types: list[str], description: str) -> dict[str, Any]:
    return attribute(
        name,
        "complex",
        multi_valued=True,
        description=description,
        sub_attributes=[
            attribute("value", description=f"The {name} value."),
            attribute("display", mutability="readOnly", description="A human-readable name."),
            attribute("type", canonical_values=types, description=f"The kind of {name}."),
            attribute("primary", "boolean", description="The primary value."),
        ],
    )


_NAME_PARTS = {
    "formatted": "The full name, formatted for display.",
    "familyName": "The family name of the User, or last name.",
    "givenName": "The given name of the User, or first name.",
    "middleName": "The middle name(s) of the User.",
    "honorificPrefix": "The honorific prefix(es) of the User, e.g. 'Ms.'.",
    "honorificSuffix": "The honorific suffix(es) of the User, e.g. 'III'.",
}

# RFC 7643 §4.1 User attributes a column can be bound to (single-valued or typed multi-valued).
CORE_USER_ATTRIBUTES: dict[str, dict[str, Any]] = {
    d["name"].lower(): d
    for d in (
        attribute(
            "userName",
            required=True,
            uniqueness="server",
            description="Unique identifier for the User, typically used to sign in.",
        ),
        attribute(
            "name",
            "complex",
            description="The components of the user's real name.",
            sub_attributes=[attribute(p, description=d) for p, d in _NAME_PARTS.items()],
        ),
        attribute("displayName", description="The name of the User, suitable for display."),
        attribute("nickName", description="The casual way to address the user."),
        attribute("profileUrl", "reference", description="A URI of the User's online profile."),
        attribute("title", description="The user's title, such as 'Vice President'."),
        attribute("userType", description="The relationship between organization and user."),
        attribute("preferredLanguage", description="The User's preferred written language."),
        attribute("locale", description="The User's default location."),
        attribute("timezone", description="The User's time zone (IANA name)."),
        attribute("active", "boolean", description="The User's administrative status."),
        _typed_multi("emails", ["work", "home", "other"], "Email addresses for the user."),
        _typed_multi(
            "phoneNumbers",
            ["work", "home", "mobile", "fax", "pager", "other"],
            "Phone numbers for the User.",
        ),
    )
}

# Other RFC 7643 User attributes: recognised (so Entra's values are ignored), never bindable.
OTHER_USER_ATTRIBUTES = frozenset(
    (
        "password",
        "ims",
        "photos",
        "addresses",
        "groups",
        "entitlements",
        "roles",
        "x509certificates",
    )
)

# RFC 7643 §3.1 common attributes; id and meta are read-only, externalId is caseExact.
COMMON_ATTRIBUTES = frozenset(("id", "externalid", "meta", "schemas"))

ENTERPRISE_ATTRIBUTES: dict[str, dict[str, Any]] = {
    d["name"].lower(): d
    for d in (
        attribute("employeeNumber", description="Numeric or alphanumeric employee identifier."),
        attribute("costCenter", description="Identifies the name of a cost center."),
        attribute("organization", description="Identifies the name of an organization."),
        attribute("division", description="Identifies the name of a division."),
        attribute("department", description="Identifies the name of a department."),
    )
}
OTHER_ENTERPRISE_ATTRIBUTES = frozenset(("manager",))

# (type, caseExact) of the core, common and enterprise attributes, by lower-cased path.
CORE_RULES: dict[str, tuple[str, bool]] = {
    "id": ("string", True),
    "externalid": ("string", True),
    "meta.created": ("dateTime", False),
    "meta.lastmodified": ("dateTime", False),
    "meta.location": ("reference", True),
    "meta.version": ("string", True),
    "meta.resourcetype": ("string", True),
    "active": ("boolean", False),
    "emails.primary": ("boolean", False),
    "phonenumbers.primary": ("boolean", False),
    "profileurl": ("reference", True),
}


def canonical_name(path: AttrPath) -> str:
    """The RFC spelling of a bound attribute's name (``username`` → ``userName``)."""
    attr = path.attr
    table = ENTERPRISE_ATTRIBUTES if path.urn == ENTERPRISE_USER_URN else CORE_USER_ATTRIBUTES
    found = table.get(attr.lower())
    if found is None:
        return "externalId" if attr.lower() == "externalid" else attr
    return str(found["name"])


def canonical_sub(path: AttrPath) -> str:
    """The RFC spelling of a bound sub-attribute (``name.givenname`` → ``givenName``)."""
    found = CORE_USER_ATTRIBUTES.get(path.attr.lower())
    sub = path.sub or ""
    for definition in (found or {}).get("subAttributes", []):
        if definition["name"].lower() == sub.lower():
            return str(definition["name"])
    return sub


def binding_type_value(path: AttrPath) -> str | None:
    """``"work"`` for ``emails[type eq "work"].value``; None for other paths or filters."""
    from ecmactl.scim.filter import Compare  # filter imports this module

    flt = path.filter
    if not isinstance(flt, Compare) or flt.op != "eq":
        return None
    if flt.path.key != "type" or not isinstance(flt.value, str):
        return None
    return str(flt.value)


def canonical_path(path: AttrPath) -> str:
    """How a bound path is written in messages and schemas, in the RFC's spelling."""
    name = canonical_name(path)
    if path.urn is not None:
        return f"{path.urn}:{name}"
    type_value = binding_type_value(path)
    if type_value is not None:
        return f'{name}[type eq "{type_value}"].{canonical_sub(path)}'
    if path.sub is not None:
        return f"{name}.{canonical_sub(path)}"
    return name


def is_bindable(path: AttrPath) -> bool:
    """Whether a column may be bound to ``path``: a single-valued string/boolean attribute,
    a ``name`` part, a typed ``emails``/``phoneNumbers`` value, ``externalId``, or a simple
    enterprise attribute."""
    attr = path.attr.lower()
    if path.urn == ENTERPRISE_USER_URN:
        return attr in ENTERPRISE_ATTRIBUTES and path.sub is None and path.filter is None
    if path.urn is not None:
        return False
    if attr == "externalid":
        return path.sub is None and path.filter is None
    definition = CORE_USER_ATTRIBUTES.get(attr)
    if definition is None:
        return False
    subs = {s["name"].lower() for s in definition.get("subAttributes", [])}
    if definition["multiValued"]:
        return binding_type_value(path) is not None and (path.sub or "").lower() == "value"
    if definition["type"] == "complex":
        return path.filter is None and (path.sub or "").lower() in subs
    return path.sub is None and path.filter is None
