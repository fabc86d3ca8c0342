"""The two faces of one row: a database row ⇄ a SCIM User resource, driven by a ``Connector``.

Rendering (row → resource): ``id`` is the anchor value as a string; every selected column appears
under the ECMA2Host extension (``{ECMA_EXTENSION_URN: {"ContosoLogin": …}}``, what Entra maps to);
columns bound to a core attribute also appear there (``userName``, ``name.givenName``,
``emails[type eq "work"].value``…); ``active`` comes from the Deprovisioning page; ``meta``
carries the location. Null values are left out (RFC 7643 §2.5: null means unassigned).

Typed multi-valued attributes render one element per bound type (``{"value": …, "type":
"work"}``) without ``primary``, which no column stores. Multi-valued attributes from child
tables (``schema.child_tables``) render every stored element, ``type`` and ``primary``
included (:mod:`ecmactl.scim.multi_valued` renders and writes them).

Reading (resource → column values, for POST/PUT and PATCH): names in any case, URN-qualified or
nested under their schema URN, the enterprise ``…:2.0User`` typo, dotted keys; paths resolve to a
:class:`Target` here, and :mod:`ecmactl.scim.writes` applies the rules for each value. Unmapped
attributes the RFC defines (Entra sends ``roles: []``, ``title: null``, enterprise attributes…)
are ignored and reported in ``RowChanges.ignored``; names that exist nowhere, including ECMA2Host
attributes for columns that are not selected, are refused so a configuration drift shows up in
Entra's provisioning log instead of silently losing data.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any, Literal
from urllib.parse import quote

from ecmactl.config.models import (
    ECMA_EXTENSION_URN,
    ChildTable,
    Column,
    Connector,
    MultiValuedAttribute,
)
from ecmactl.errors import ConfigError
from ecmactl.scim import core_schema as core
from ecmactl.scim import writes
from ecmactl.scim.errors import ScimError
from ecmactl.scim.evaluate import AttributeRules, matches
from ecmactl.scim.filter import AttrPath, parse_path
from ecmactl.scim.multi_valued import MultiValued, render
from ecmactl.scim.values import SCIM_TYPES, parse_bool, time_zone, to_db, to_scim
from ecmactl.scim.writes import RowChanges

__all__ = ["Binding", "MultiValued", "RowChanges", "Target", "UserMapping"]


@dataclass(frozen=True, slots=True)
class Target:
    """Where a SCIM attribute lives: a column, or the anchor (``id``), or ``active``."""

    attribute: str  # the name used in messages, e.g. "name.familyName" or "urn:…:User:LastName"
    kind: Literal["id", "column", "active"]
    column: Column | None  # None: `active` with nothing behind it (disable flow None/Delete)
    case_exact: bool
    indexable: bool = True  # False: a key lookup cannot answer it (`active`), scan instead


@dataclass(frozen=True, slots=True)
class Binding:
    """A column bound to a core or enterprise attribute (Select Attributes)."""

    path: AttrPath
    column: Column
    type_value: str | None  # "work" for emails[type eq "work"].value


class UserMapping:
    """The column ⇄ attribute mapping of one connector; build once, use for every request."""

    def __init__(self, connector: Connector) -> None:
        self.connector = connector
        self.tz = time_zone(connector.global_.data_source_time_zone)
        table = {c.name.lower(): c for c in connector.schema.columns}
        self.anchor = self._column(table, connector.schema.anchor, "anchor")
        exposed: dict[str, Column] = {self.anchor.name.lower(): self.anchor}
        self.bindings: list[Binding] = []
        for attr in connector.attributes:
            column = self._column(table, attr.column, "selected attribute")
            exposed.setdefault(column.name.lower(), column)
            if attr.scim:
                self.bindings.append(_binding(attr.scim, column))
        if not any(b.path.key == "username" for b in self.bindings):
            # userName is REQUIRED by RFC 7643; without a binding it is the anchor.
            self.bindings.insert(0, Binding(AttrPath("userName"), self.anchor, None))
        keys = [b.path.key for b in self.bindings]
        if dupes := sorted({k for k in keys if keys.count(k) > 1}):
            raise ConfigError(f"More than one column is bound to {', '.join(dupes)}")
        self.columns: list[Column] = list(exposed.values())
        self._active_binding = next((b for b in self.bindings if b.path.key == "active"), None)
        self.bindings = [b for b in self.bindings if b.path.key != "active"]
        dep = connector.deprovisioning
        self.disable_column: Column | None = None
        if dep.disable_flow == "Set attribute value":
            if not dep.disable_attribute:
                raise ConfigError("Deprovisioning 'Set attribute value' needs a disable attribute")
            self.disable_column = self._column(table, dep.disable_attribute, "disable attribute")
        self.multi_valued = [
            _multi_valued(child, a) for child, a in connector.schema.multi_valued()
        ]
        self._multi: dict[str, MultiValued] = {}
        for mv in self.multi_valued:
            if mv.urn is None:
                self._multi[mv.name.lower()] = mv
            else:
                self._multi[f"{mv.urn.lower()}:{mv.name.lower()}"] = mv
                if not _is_core_name(mv.name):
                    self._multi.setdefault(mv.name.lower(), mv)
        self.rules = AttributeRules(self._rules())
        self._targets = self._build_targets()
        # Precomputed for to_resource, the hot path: (column, converter) once per column, and
        # where each binding goes with its names already in the RFC's spelling.
        readable = [c for c in self.columns if c.direction != "Export"]
        self._readers = [(c.name, c, _converter(c, self.tz)) for c in readable]
        self._places = [
            (b.column.name, b.path.urn, core.canonical_name(b.path), _sub_name(b), b.type_value)
            for b in self.bindings
            if b.column.direction != "Export"
        ]

    @staticmethod
    def _column(table: Mapping[str, Column], name: str, role: str) -> Column:
        column = table.get(name.lower())
        if column is None:
            raise ConfigError(f"The {role} {name!r} is not a column of the table")
        return column

    @property
    def uses_enterprise(self) -> bool:
        return any(b.path.urn == core.ENTERPRISE_USER_URN for b in self.bindings)

    @property
    def disable_deletes(self) -> bool:
        """Whether ``active: false`` means delete the row (Deprovisioning: disable flow Delete)."""
        return self.connector.deprovisioning.disable_flow == "Delete"

    @property
    def active_required(self) -> bool:
        """Whether every user has an ``active`` state (/Schemas says ``required``): always, but
        with a nullable column bound to ``active`` itself."""
        column = self._targets["active"].column
        return column is None or column is self.disable_column or not column.nullable

    def bound_types(self, attr: str) -> list[str]:
        """The ``type`` values of ``attr`` (emails, phoneNumbers) a column is bound to."""
        lowered = attr.lower()
        return [
            b.type_value
            for b in self.bindings
            if b.type_value is not None and b.path.urn is None and b.path.attr.lower() == lowered
        ]

    def _rules(self) -> dict[str, tuple[str, bool]]:
        # A bound externalId compares like its column, case-insensitively (not caseExact as in
        # RFC 7643 §3.1): SQL Server returns uniqueidentifier values in upper case while Entra
        # sends the lower-case GUIDs it stored, and default collations ignore case anyway.
        rules: dict[str, tuple[str, bool]] = {"externalId": ("string", False)}
        for column in self.columns:
            info = (SCIM_TYPES[column.data_type], column.data_type == "Binary")
            rules[f"{ECMA_EXTENSION_URN}:{column.name}"] = info
            if not _is_core_name(column.name):
                rules.setdefault(column.name, info)
        for mv in self.multi_valued:
            info = (SCIM_TYPES[mv.column.data_type], mv.column.data_type == "Binary")
            if mv.urn is None:
                rules[f"{mv.name}.value"] = info
            else:
                rules[f"{mv.urn}:{mv.name}"] = info
                rules.setdefault(mv.name, info)
        return rules

    def _build_targets(self) -> dict[str, Target]:
        targets: dict[str, Target] = {"id": Target("id", "id", self.anchor, True)}
        active_column = self.disable_column or (
            self._active_binding.column if self._active_binding else None
        )
        targets["active"] = Target("active", "active", active_column, False, indexable=False)
        for b in self.bindings:
            name = core.canonical_path(b.path)
            target = Target(name, "column", b.column, b.column.data_type == "Binary")
            targets[b.path.key] = target
            if b.type_value is not None:  # emails[type eq "work"] implies .value
                targets.setdefault(b.path.key.rpartition(".")[0], target)
            if b.path.urn is not None:  # a bare enterprise name, as for extension columns
                targets.setdefault(b.path.attr.lower(), target)
        for column in self.columns:
            name = f"{ECMA_EXTENSION_URN}:{column.name}"
            target = Target(name, "column", column, column.data_type == "Binary")
            targets[name.lower()] = target
            if not _is_core_name(column.name):
                targets.setdefault(column.name.lower(), target)
        return targets

    # -- resolving attribute paths --------------------------------------------------------------

    def resolve(
        self, path: AttrPath | str, current: Mapping[str, Any] | None = None
    ) -> Target | None:
        """The column behind an attribute path, or None when no column is bound to it.

        Accepts core paths (``userName``, ``name.givenName``, ``emails[type eq "work"].value``),
        URN-qualified paths, and bare ECMA2Host attribute names. For a value filter other than
        the binding's own (``emails[primary eq true]``), the filter is tried on the element as it
        is rendered from ``current``.
        """
        if isinstance(path, str):
            path = parse_path(path)
        target = self._targets.get(path.key)
        if target is not None:
            return target
        if path.urn is None:
            return self._resolve_multi(path, current)
        return None

    def multi_valued_for(self, path: AttrPath) -> MultiValued | None:
        """The multi-valued attribute (child table) ``path`` names, sub-attribute and value
        filter aside; None for every other path."""
        key = f"{path.urn.lower()}:{path.attr.lower()}" if path.urn else path.attr.lower()
        return self._multi.get(key) if self._multi else None

    def multi_valued_target(self, mv: MultiValued) -> Target:
        """The index target of a multi-valued attribute's values (the row key as its column:
        the cache indexes each element's value; ``ecmactl.host.cache``)."""
        column = dataclasses.replace(mv.column, name=mv.key)
        return Target(mv.attribute, "column", column, mv.column.data_type == "Binary")

    def is_multi_valued(self, path: AttrPath) -> bool:
        return self.multi_valued_for(path) is not None

    def resolves_directly(self, path: AttrPath) -> bool:
        """Whether ``path`` names a target by itself (a value filter in it needs no row)."""
        return path.key in self._targets

    def index_specs(self) -> list[tuple[Column, bool]]:
        """The distinct ``(column, case_exact)`` indexes a query plan may ask for."""
        specs: dict[tuple[str, bool], tuple[Column, bool]] = {}
        for target in self._targets.values():
            if target.indexable and target.column is not None:
                specs.setdefault(
                    (target.column.name, target.case_exact), (target.column, target.case_exact)
                )
        return list(specs.values())

    def _resolve_multi(self, path: AttrPath, current: Mapping[str, Any] | None) -> Target | None:
        attr = path.attr.lower()
        entries = [b for b in self.bindings if b.type_value and b.path.attr.lower() == attr]
        if path.filter is None and len(entries) != 1:
            return None  # `emails.value` is only unambiguous with one typed binding
        sub = (path.sub or "value").lower()
        for b in entries:
            if path.filter is not None:
                # `emails[primary eq true]` is read as the first stored type: what such a path
                # means to change is the one value stored (responses carry no `primary`).
                element: dict[str, Any] = {"type": b.type_value, "primary": b is entries[0]}
                if current is not None:
                    element["value"] = to_scim(b.column, current.get(b.column.name), self.tz)
                if not matches(path.filter, element, self.rules):
                    continue
            if sub == "value":
                return self._targets[b.path.key]
        return None

    def is_known(self, path: AttrPath) -> bool:
        """Whether RFC 7643 (or a foreign extension) defines ``path``: unbound means ignored."""
        attr = path.attr.lower()
        if path.urn is None:  # enterprise names too: Entra's sample PATCHes path "manager"
            return (
                _is_core_name(attr)
                or attr in core.ENTERPRISE_ATTRIBUTES
                or attr in core.OTHER_ENTERPRISE_ATTRIBUTES
            )
        if path.urn == core.ENTERPRISE_USER_URN:
            return attr in core.ENTERPRISE_ATTRIBUTES or attr in core.OTHER_ENTERPRISE_ATTRIBUTES
        return path.urn != ECMA_EXTENSION_URN  # another extension is not ours to judge

    def db_value(self, target: Target, value: Any) -> Any:
        """A SCIM value (from a filter or a write) converted for the target's column."""
        if target.kind == "active":
            active = parse_bool(value)
            if active is None:
                raise ScimError(400, "invalidValue", f"active must be true or false, not {value!r}")
            return self.active_db_value(active)
        assert target.column is not None
        return to_db(target.column, value, target.attribute, self.tz)

    def index_key(self, target: Target, db_value: Any) -> Hashable:
        """The key of a column value in an index serving ``target`` (case-folded unless exact)."""
        if isinstance(db_value, str) and not target.case_exact:
            return db_value.casefold()
        return db_value  # type: ignore[no-any-return]

    def lookup_key(self, target: Target, value: Any) -> Hashable | None:
        """The index key for a filter literal; None when no row can hold that value."""
        try:
            return self.index_key(target, self.db_value(target, value))
        except ScimError:
            return None

    def anchor_value(self, resource_id: str) -> Any | None:
        """The anchor column value for a SCIM ``id`` (from a URL), None if it cannot be one."""
        try:
            return to_db(self.anchor, resource_id, "id", self.tz)
        except ScimError:
            return None

    # -- row -> resource --------------------------------------------------------------------------

    def resource_id(self, row: Mapping[str, Any]) -> str:
        return str(to_scim(self.anchor, row[self.anchor.name], self.tz))

    def active_of(self, row: Mapping[str, Any]) -> bool | None:
        if self.disable_column is not None:
            disabled = parse_bool(row.get(self.disable_column.name))
            return disabled is not self.connector.deprovisioning.disable_value
        if self._active_binding is not None:
            return parse_bool(row.get(self._active_binding.column.name))
        return True

    def active_db_value(self, active: bool) -> bool:
        if self.disable_column is not None:
            disable_value = self.connector.deprovisioning.disable_value
            return disable_value if not active else not disable_value
        return active

    def to_resource(self, row: Mapping[str, Any], base_url: str) -> dict[str, Any]:
        """The SCIM User for ``row``; ``base_url`` is the SCIM root (…/ecma2host_<name>/scim)."""
        rid = self.resource_id(row)
        resource: dict[str, Any] = {"schemas": [core.CORE_USER_URN], "id": rid}
        extension: dict[str, Any] = {}
        for name, _, convert in self._readers:
            value = row.get(name)
            if value is not None:
                extension[name] = convert(value)
        for name, urn, attr, sub, type_value in self._places:
            value = extension.get(name)
            if value is None:
                continue
            text = _as_string(value)
            if urn is not None:  # an enterprise attribute
                resource.setdefault(urn, {})[attr] = text
            elif type_value is not None:  # emails[type eq "work"].value; `primary` is not
                # stored, so it is left out (RFC 7643 §2.4: unassigned, i.e. false)
                resource.setdefault(attr, []).append({"value": text, "type": type_value})
            elif sub is not None:
                resource.setdefault(attr, {})[sub] = text
            else:
                resource[attr] = text
        for mv in self.multi_valued:
            elements = row.get(mv.key)
            if elements:
                if mv.urn is None:
                    resource[mv.name] = render(mv, elements, self.tz)
                else:
                    extension[mv.name] = render(mv, elements, self.tz)
        active = self.active_of(row)
        if active is not None:
            resource["active"] = active
        if core.ENTERPRISE_USER_URN in resource:
            resource["schemas"].append(core.ENTERPRISE_USER_URN)
        resource["schemas"].append(ECMA_EXTENSION_URN)
        resource[ECMA_EXTENSION_URN] = extension
        resource["meta"] = {
            "resourceType": "User",
            "location": f"{base_url.rstrip('/')}/Users/{quote(rid, safe='')}",
        }
        return resource

    # -- resource -> row --------------------------------------------------------------------------

    def to_row(
        self, resource: Mapping[str, Any], current: Mapping[str, Any] | None = None
    ) -> RowChanges:
        """Column values from a POST body (``current`` None) or a PUT body (the stored row).

        On create, nulls are absent values and the anchor and NOT NULL columns without default
        are required. On replace, an explicit null clears the column; omitted attributes are
        left as they are (RFC 7644 §3.5.1 lets the provider keep them). The rules for every
        value are those of :mod:`ecmactl.scim.writes`.
        """
        return writes.to_row(self, resource, current)


def _binding(spec: str, column: Column) -> Binding:
    try:
        path = parse_path(spec)
    except ScimError as exc:
        raise ConfigError(
            f"Column {column.name}: invalid SCIM binding {spec!r}: {exc.detail}"
        ) from None
    type_value = core.binding_type_value(path)
    if not core.is_bindable(path):
        raise ConfigError(f"Column {column.name}: {spec!r} is not a bindable SCIM User attribute")
    return Binding(path, column, type_value)


def _multi_valued(child: ChildTable, attribute: MultiValuedAttribute) -> MultiValued:
    detected = child.column(attribute.column) or Column(attribute.column, "")
    # typed as the attribute says; its length checked as the detected column's
    column = dataclasses.replace(detected, data_type=attribute.data_type, nullable=False)
    return MultiValued(
        key=attribute.key,
        name=attribute.scim or attribute.key,
        urn=None if attribute.scim else ECMA_EXTENSION_URN,
        column=column,
        has_type=attribute.type_column is not None,
        has_primary=attribute.primary_column is not None,
    )


def _is_core_name(name: str) -> bool:
    lowered = name.lower()
    return (
        lowered in core.CORE_USER_ATTRIBUTES
        or lowered in core.OTHER_USER_ATTRIBUTES
        or lowered in core.COMMON_ATTRIBUTES
    )


def _sub_name(b: Binding) -> str | None:
    return core.canonical_sub(b.path) if b.path.sub is not None and b.type_value is None else None


def _converter(column: Column, tz: tzinfo) -> Callable[[Any], Any]:
    if column.data_type == "String":
        return lambda v: v if type(v) is str else str(v)
    return lambda v: to_scim(column, v, tz)


def _as_string(value: Any) -> str:
    # Core attributes one can bind are strings in RFC 7643: an Integer column renders as "42".
    if isinstance(value, str):
        return value
    return str(value).lower() if isinstance(value, bool) else str(value)
