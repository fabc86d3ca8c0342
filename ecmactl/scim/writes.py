"""Writes: attribute values from a request turned into column values (POST/PUT and PATCH).

:meth:`UserMapping.to_row` (POST/PUT bodies) and :func:`~ecmactl.scim.patch.apply_patch` both
end here, one ``(attribute path, value)`` assignment at a time. The rules, each chosen so that
nothing a client sends is lost without an answer saying so:

- **readOnly** (``id``, Import columns): ignored in POST/PUT bodies (RFC 7644 §3.3), a
  ``mutability`` error in PATCH (§3.5.2). The anchor never changes.
- **Unmapped**: an attribute RFC 7643 defines but no column holds (``title``, ``roles``…) is
  ignored and reported in ``RowChanges.ignored``; an unknown name is refused.
- **Typed multi-valued** (``emails``, ``phoneNumbers``): only the types bound to a column can be
  stored (``work`` in the sample, advertised as the ``canonicalValues`` of ``type``). An element
  of another type is refused with ``invalidValue`` naming it rather than dropped; an element
  without a type is the bound one when there is exactly one binding. ``primary`` is not stored.
- **One column, two names**: a column bound to a core attribute is also its ECMA2Host attribute
  (``name.givenName`` and ``…:FirstName``; ``active`` and the disable column). When one body, or
  one PATCH operation, gives both names different values, the one that differs from the stored
  value wins: that is the edit of a GET → edit → PUT round trip, whose body still carries the
  old value under the other name. When both differ from it, the request is refused
  (``invalidValue`` naming both). A POST has no stored value: the ECMA2Host attribute wins (see
  :class:`Sources` for why it is not refused) and the other is reported as ignored. Two values
  for one attribute (two ``work`` emails) are always refused: one column holds one value.
- **Multi-valued from a child table** (``emails`` bound to one, or an extension attribute): a
  POST/PUT body gives the whole set (:mod:`ecmactl.scim.multi_valued`).
- **Remove / null**: clears the column (refused for the anchor and NOT NULL columns). ``active``
  goes back to its default state, enabled: the disable column gets its enabled value, and with no
  disable column there is nothing to write.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ecmactl.config.models import ECMA_EXTENSION_URN, Column
from ecmactl.scim import core_schema as core
from ecmactl.scim.bodies import iter_leaves
from ecmactl.scim.errors import ScimError
from ecmactl.scim.filter import AttrPath
from ecmactl.scim.multi_valued import whole_set
from ecmactl.scim.values import parse_bool

if TYPE_CHECKING:
    from ecmactl.scim.mapping import Target, UserMapping


@dataclass
class RowChanges:
    """What a write asks for: column values to store, and the requested ``active`` state."""

    columns: dict[str, Any] = field(default_factory=dict)
    active: bool | None = None  # False: disable, True: enable, None: untouched
    ignored: list[str] = field(default_factory=list)  # known SCIM attributes with no column

    @property
    def disable(self) -> bool:
        return self.active is False

    @property
    def enable(self) -> bool:
        return self.active is True

    def apply_to(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """The row after the change (what the cache holds once the database committed it)."""
        return {**row, **self.columns}


@dataclass
class Sources:
    """Which attribute gave each column its value within one body or one PATCH operation.

    A POST is not refused when two names of a column disagree, unlike a PUT: generic clients
    (scim2-tester among them) fill every attribute /Schemas lists with independent values, and
    /Schemas cannot say that two attributes are one column, so every such create would fail.
    The ECMA2Host name wins because it is the column itself and what Entra maps to.

    A refusal waits until the whole body or operation was read (:meth:`check`), so that a
    ``mutability`` error (the anchor changed, under whichever name) is the one reported.
    """

    written: dict[str, tuple[str, Any]] = field(default_factory=dict)
    refusal: ScimError | None = None

    def refuse(self, error: ScimError) -> None:
        """Remember the first contradiction, raised by :meth:`check`."""
        if self.refusal is None:
            self.refusal = error

    def check(self) -> None:
        if self.refusal is not None:
            raise self.refusal


def to_row(
    mapping: UserMapping, resource: Mapping[str, Any], current: Mapping[str, Any] | None
) -> RowChanges:
    """Column values from a POST body (``current`` None) or a PUT body (the stored row)."""
    if not isinstance(resource, Mapping):
        raise ScimError(400, "invalidSyntax", "The request body must be a JSON object")
    changes = RowChanges()
    sources = Sources()
    for path, value in iter_leaves(resource, mapping.is_multi_valued):
        write(mapping, changes, path, value, current=current, patch=False, sources=sources)
    sources.check()
    if current is None:
        _complete_create(mapping, changes)
    else:
        changes.columns = changed(changes.columns, current)
    return changes


def write(
    mapping: UserMapping,
    changes: RowChanges,
    path: AttrPath,
    value: Any,
    *,
    current: Mapping[str, Any] | None,
    patch: bool,
    sources: Sources,
) -> None:
    """Record one attribute assignment (value None = clear) in ``changes``."""
    multi = mapping.multi_valued_for(path)
    if multi is not None:  # a child table's set: POST/PUT give it whole (PATCH: patch.py)
        if path.filter is not None or path.sub is not None:
            raise ScimError(
                400, "invalidValue", f"{path}: give {multi.attribute} as one list of values"
            )
        if value is not None or current is not None or patch:
            changes.columns[multi.key] = whole_set(multi, value, mapping.tz)
        return
    target = mapping.resolve(path, current)
    if target is None:
        _unmapped(mapping, changes, path, value, patch)
        return
    column = target.column
    if target.kind == "id" or (column is not None and column.direction == "Import"):
        if patch:  # RFC 7644 §3.5.2: modifying a readOnly attribute is a mutability error
            raise ScimError(400, "mutability", f"Attribute {target.attribute} is read-only")
        return  # RFC 7644 §3.3: readOnly values in a POST/PUT body are ignored
    if value is None and current is None and not patch:
        return
    if target.kind == "active":
        _write_active(mapping, changes, target, value, current, sources)
        return
    if column is None:
        return
    if value is None:
        _check_clearable(mapping, target, column)
        _store(mapping, changes, target, column, None, current, sources)
        return
    new = mapping.db_value(target, value)
    if column is mapping.anchor and current is not None and new != current.get(column.name):
        raise ScimError(
            400,
            "mutability",
            f"Attribute {target.attribute} is the anchor (column {column.name}) and cannot "
            f"change from {current.get(column.name)!r} to {new!r}",
        )
    _store(mapping, changes, target, column, new, current, sources)


def _write_active(
    mapping: UserMapping,
    changes: RowChanges,
    target: Target,
    value: Any,
    current: Mapping[str, Any] | None,
    sources: Sources,
) -> None:
    column = target.column
    if value is None:
        # Removing `active` is going back to the default state of a user, enabled (as created
        # without `active`). A column bound to `active` itself is cleared like any other.
        if column is None:
            return
        if column is not mapping.disable_column:
            _check_clearable(mapping, target, column)
            _store(mapping, changes, target, column, None, current, sources)
            return
        active = True
    else:
        parsed = parse_bool(value)
        if parsed is None:
            raise ScimError(400, "invalidValue", f"active must be true or false, not {value!r}")
        active = parsed
    if column is None:
        changes.active = active  # disable flow None or Delete: nothing stored
        return
    if _store(mapping, changes, target, column, mapping.active_db_value(active), current, sources):
        changes.active = active


def _store(
    mapping: UserMapping,
    changes: RowChanges,
    target: Target,
    column: Column,
    new: Any,
    current: Mapping[str, Any] | None,
    sources: Sources,
) -> bool:
    """Set ``column`` to ``new`` unless another value given for it takes precedence."""
    seen = sources.written.get(column.name)
    if seen is not None and seen[1] != new:
        winner = _precedence(target.attribute, new, seen, column, current)
        if winner == "refuse":
            sources.refuse(_contradiction(target.attribute, seen[0], column))
        elif current is None:  # a POST: the value of the other name is not stored, say so
            loser, kept = (
                (seen[0], target.attribute) if winner == "new" else (target.attribute, seen[0])
            )
            changes.ignored.append(f"{loser} (column {column.name} takes {kept})")
        if winner != "new":
            return False
    sources.written[column.name] = (target.attribute, new)
    changes.columns[column.name] = new
    if column is mapping.disable_column:  # Entra may map IsSoftDeleted to the column itself
        changes.active = new is not mapping.connector.deprovisioning.disable_value
    return True


def _precedence(
    attribute: str,
    new: Any,
    seen: tuple[str, Any],
    column: Column,
    current: Mapping[str, Any] | None,
) -> Literal["new", "seen", "refuse"]:
    """Which of two different values for one column stands (see :class:`Sources`)."""
    if seen[0] == attribute:
        return "refuse"
    if current is None:
        ecma = f"{ECMA_EXTENSION_URN}:"
        if attribute.startswith(ecma) != seen[0].startswith(ecma):
            return "new" if attribute.startswith(ecma) else "seen"
        return "refuse"
    stored = current.get(column.name)
    if seen[1] == stored:
        return "new"
    return "seen" if new == stored else "refuse"


def _contradiction(attribute: str, other: str, column: Column) -> ScimError:
    if attribute == other:
        detail = (
            f"Attribute {attribute} is given two different values, but column {column.name} "
            "holds only one"
        )
    else:
        detail = (
            f"Attributes {other} and {attribute} are both column {column.name} and both differ "
            "from its value: send one of them, or the same value in both"
        )
    return ScimError(400, "invalidValue", detail)


def _unmapped(
    mapping: UserMapping, changes: RowChanges, path: AttrPath, value: Any, patch: bool
) -> None:
    attr = path.attr.lower()
    if attr == "schemas" and (path.urn is None or core.is_known_schema(path.urn)):
        return  # at the top or in an extension (`urn:…:ECMA2Host:2.0:User:schemas`)
    if path.urn is None and attr in ("id", "meta"):
        if patch:
            raise ScimError(400, "mutability", f"Attribute {path} is read-only")
        return
    if value is None and not patch:
        return  # Entra's bodies hold nulls for attributes it does not map
    if value is not None:
        _refuse_unstorable_element(mapping, path)
    if mapping.is_known(path):
        if value is not None:
            changes.ignored.append(str(path))
        return
    where = (
        f"no selected column of connector {mapping.connector.name} is named {path.attr!r}"
        if path.urn == ECMA_EXTENSION_URN
        else "it is not a User attribute nor a selected column"
    )
    raise ScimError(
        400, "invalidPath" if patch else "invalidValue", f"Unknown attribute {path}: {where}"
    )


def _refuse_unstorable_element(mapping: UserMapping, path: AttrPath) -> None:
    """An element of a bound ``emails``/``phoneNumbers`` whose type no column holds."""
    if path.urn is not None or (path.sub or "value").lower() != "value":
        return  # `primary` and `display` are no data; other sub-attributes are unknown
    bound = mapping.bound_types(path.attr)
    kind = core.binding_type_value(path)
    if not bound or (path.filter is not None and kind is None):
        return  # unbound attribute (ignored), or another filter (addresses no element)
    name = core.canonical_name(path)
    stored = " or ".join(f'"{t}"' for t in bound)
    what = f'of type "{kind}"' if kind is not None else "without a type"
    raise ScimError(
        400,
        "invalidValue",
        f"Attribute {name}: a value {what} cannot be stored; connector "
        f"{mapping.connector.name} stores only {name} of type {stored}",
    )


def _check_clearable(mapping: UserMapping, target: Target, column: Column) -> None:
    if column is mapping.anchor:
        raise ScimError(
            400,
            "mutability",
            f"Attribute {target.attribute} is the anchor and cannot be removed",
        )
    if column.nullable:
        return
    if not column.has_default:
        raise ScimError(
            400,
            "mutability",
            f"Attribute {target.attribute} is required (column {column.name} is NOT NULL)",
        )
    raise ScimError(
        400,
        "invalidValue",
        f"Attribute {target.attribute} cannot be removed: column {column.name} is NOT NULL",
    )


def _complete_create(mapping: UserMapping, changes: RowChanges) -> None:
    disable = mapping.disable_column
    if disable is not None and disable.name not in changes.columns:
        # A user created without `active` is enabled (Entra creates active users).
        changes.columns[disable.name] = mapping.active_db_value(True)
    missing = [
        _describe(mapping, c)
        for c in mapping.connector.schema.columns
        if changes.columns.get(c.name) is None
        and (c is mapping.anchor or (not c.nullable and not c.has_default))
    ]
    if missing:
        raise ScimError(400, "invalidValue", f"Missing required attribute(s): {'; '.join(missing)}")


def _describe(mapping: UserMapping, column: Column) -> str:
    names = [core.canonical_path(b.path) for b in mapping.bindings if b.column is column]
    if any(c is column for c in mapping.columns):
        names.append(f"{ECMA_EXTENSION_URN}:{column.name}")
    role = "anchor column" if column is mapping.anchor else "column"
    if not names:
        return f"{role} {column.name} (not selected, NOT NULL without default)"
    return f"{' or '.join(names)} ({role} {column.name})"


def changed(columns: dict[str, Any], current: Mapping[str, Any]) -> dict[str, Any]:
    """``columns`` without the values ``current`` already holds."""
    return {k: v for k, v in columns.items() if k not in current or current[k] != v}
