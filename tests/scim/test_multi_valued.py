"""Multi-valued attributes from child tables, as pure functions: rendering, /Schemas, filters,
POST/PUT bodies and PATCH in the RFC's dialect and Entra's, and primary uniqueness."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any, Union

import pytest

from ecmactl.config.models import ChildTable, Column, MultiValuedAttribute
from ecmactl.scim.discovery import schemas
from ecmactl.scim.errors import ScimError
from ecmactl.scim.evaluate import matches
from ecmactl.scim.filter import parse_filter
from ecmactl.scim.mapping import UserMapping
from ecmactl.scim.patch import PATCH_OP_URN, apply_patch
from ecmactl.scim.query import plan_query

from .conftest import BASE_URL, BINDINGS, ECMA, make_connector, sample_row

WORK = {"value": "bjensen@contoso.com", "type": "work", "primary": True}
HOME = {"value": "babs@home.example", "type": "home", "primary": False}


@pytest.fixture
def mv() -> UserMapping:
    bindings = {k: v for k, v in BINDINGS.items() if k != "Email"}
    connector = make_connector(bindings=bindings)
    children = [
        ChildTable(
            table="EmployeeEmails",
            join_column="EmployeeLogin",
            attributes=[
                MultiValuedAttribute(
                    column="Address", scim="emails", type_column="Kind", primary_column="IsPrimary"
                )
            ],
        ),
        ChildTable(
            table="EmployeeRoles",
            join_column="EmployeeLogin",
            columns=[Column("Role", "varchar(50)", "String")],
            attributes=[MultiValuedAttribute(column="Role", name="roleCodes")],
        ),
    ]
    schema = dataclasses.replace(connector.schema, child_tables=children)
    return UserMapping(dataclasses.replace(connector, schema=schema))


def row(**lists: Any) -> dict[str, Any]:
    return sample_row(Address=lists.get("Address", [WORK, HOME]), roleCodes=lists.get("roles", []))


def patch(mapping: UserMapping, current: dict[str, Any], *ops: dict[str, Any]) -> dict[str, Any]:
    body = {"schemas": [PATCH_OP_URN], "Operations": list(ops)}
    return apply_patch(mapping, body, current).columns


def refused(mapping: UserMapping, current: dict[str, Any], *ops: dict[str, Any]) -> str:
    with pytest.raises(ScimError) as info:
        patch(mapping, current, *ops)
    assert info.value.status == 400
    return info.value.detail


# -- rendering and discovery -----------------------------------------------------------------


def test_a_resource_shows_every_element_with_type_and_primary(mv: UserMapping) -> None:
    resource = mv.to_resource(row(roles=[{"value": "admin"}, {"value": "dev"}]), BASE_URL)
    assert resource["emails"] == [
        {"value": "bjensen@contoso.com", "type": "work", "primary": True},
        {"value": "babs@home.example", "type": "home"},
    ]
    assert resource[ECMA]["roleCodes"] == ["admin", "dev"]
    empty = mv.to_resource(row(Address=[]), BASE_URL)
    assert "emails" not in empty and "roleCodes" not in empty[ECMA]


def test_schemas_show_them_multi_valued(mv: UserMapping) -> None:
    docs = {d["id"]: d for d in schemas(mv, BASE_URL)}
    core = {a["name"]: a for a in docs["urn:ietf:params:scim:schemas:core:2.0:User"]["attributes"]}
    assert core["emails"]["multiValued"] is True
    assert [s["name"] for s in core["emails"]["subAttributes"]] == ["value", "type", "primary"]
    extension = {a["name"]: a for a in docs[ECMA]["attributes"]}
    assert extension["roleCodes"]["multiValued"] is True
    assert extension["roleCodes"]["type"] == "string"
    assert extension["FirstName"]["multiValued"] is False


# -- filters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "plan"),
    [
        ('emails[type eq "work"].value eq "bjensen@contoso.com"', True, "index"),
        ('emails[type eq "home"].value eq "bjensen@contoso.com"', False, "index"),
        ('emails.value eq "BABS@home.example"', True, "index"),
        ('emails co "home"', True, "scan"),
        ('emails[primary eq true].value sw "bjensen"', True, "scan"),
        ('emails.type eq "home"', True, "scan"),  # the index holds values, not types
        ("emails pr", True, "scan"),
        (f'{ECMA}:roleCodes eq "admin"', True, "index"),
        ('roleCodes[value eq "dev"]', True, "scan"),
        ('roleCodes eq "ops"', False, "index"),
    ],
)
def test_filters_match_any_element(mv: UserMapping, text: str, expected: bool, plan: str) -> None:
    resource = mv.to_resource(row(roles=[{"value": "admin"}, {"value": "dev"}]), BASE_URL)
    f = parse_filter(text)
    assert matches(f, resource, mv.rules) is expected
    found = plan_query(mv, f)
    assert found.kind == plan
    if plan == "index":  # candidates by any element's value; the filter still decides
        assert found.target is not None and found.target.column is not None
        assert found.target.column.name in ("Address", "roleCodes") and not found.exact


# -- POST / PUT ------------------------------------------------------------------------------


def test_a_post_body_gives_the_whole_set(mv: UserMapping) -> None:
    body = {
        "userName": "adele",
        "name": {"givenName": "Adele", "familyName": "Vance"},
        "emails": [{"value": "a@x.example", "type": "work", "primary": True}],
        ECMA: {"roleCodes": ["admin"]},
    }
    columns = mv.to_row(body).columns
    assert columns["Address"] == [{"value": "a@x.example", "type": "work", "primary": True}]
    assert columns["roleCodes"] == [{"value": "admin"}]


def test_a_put_replaces_the_set_and_null_clears_it(mv: UserMapping) -> None:
    current = row()
    changes = mv.to_row({"userName": "bjensen", "emails": [HOME]}, current).columns
    assert changes["Address"] == [HOME]
    assert mv.to_row({"userName": "bjensen", "emails": None}, current).columns["Address"] == []


def test_two_primaries_in_a_body_are_refused(mv: UserMapping) -> None:
    body = {"userName": "a", "emails": [WORK, {**HOME, "primary": True}]}
    with pytest.raises(ScimError, match="more than one value is primary"):
        mv.to_row(body)


# -- PATCH -----------------------------------------------------------------------------------


def test_add_appends_and_does_not_duplicate(mv: UserMapping) -> None:
    new = {"value": "b@x.example", "type": "other"}
    after = patch(mv, row(), {"op": "add", "path": "emails", "value": [new, HOME]})
    assert after["Address"] == [WORK, HOME, {**new, "primary": False}]


def test_replace_without_filter_sets_the_whole_set(mv: UserMapping) -> None:
    after = patch(mv, row(), {"op": "replace", "path": "emails", "value": [HOME]})
    assert after["Address"] == [HOME]


def test_remove_by_value_filter_and_remove_all(mv: UserMapping) -> None:
    after = patch(mv, row(), {"op": "remove", "path": 'emails[value eq "babs@home.example"]'})
    assert after["Address"] == [WORK]
    assert patch(mv, row(), {"op": "remove", "path": "emails"})["Address"] == []


def test_entra_adds_by_type_filter_when_no_element_matches(mv: UserMapping) -> None:
    after = patch(
        mv,
        row(Address=[HOME]),
        {"op": "Add", "path": 'emails[type eq "work"].value', "value": "new@contoso.com"},
    )
    assert after["Address"] == [
        HOME,
        {"value": "new@contoso.com", "type": "work", "primary": False},
    ]


def test_entra_replaces_the_value_of_the_matching_element(mv: UserMapping) -> None:
    after = patch(
        mv,
        row(),
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "moved@contoso.com"},
    )
    assert after["Address"] == [{**WORK, "value": "moved@contoso.com"}, HOME]


def test_entra_removes_listed_values_of_an_extension_set(mv: UserMapping) -> None:
    current = row(roles=[{"value": "admin"}, {"value": "dev"}])
    after = patch(
        mv,
        current,
        {"op": "Remove", "path": f"{ECMA}:roleCodes", "value": [{"value": "admin"}]},
    )
    assert after["roleCodes"] == [{"value": "dev"}]
    added = patch(mv, current, {"op": "Add", "path": f"{ECMA}:roleCodes", "value": ["ops"]})
    assert added["roleCodes"] == [{"value": "admin"}, {"value": "dev"}, {"value": "ops"}]


def test_a_pathless_add_takes_the_set_from_the_value_object(mv: UserMapping) -> None:
    after = patch(mv, row(Address=[]), {"op": "add", "value": {"emails": [WORK]}})
    assert after["Address"] == [WORK]


def test_making_one_primary_clears_the_other(mv: UserMapping) -> None:
    after = patch(
        mv, row(), {"op": "replace", "path": 'emails[type eq "home"].primary', "value": True}
    )
    assert after["Address"] == [{**WORK, "primary": False}, {**HOME, "primary": True}]
    added = patch(
        mv,
        row(),
        {"op": "add", "path": "emails", "value": [{"value": "n@x.example", "primary": True}]},
    )
    assert [e["primary"] for e in added["Address"]] == [False, False, True]


def test_an_unchanged_set_is_no_change(mv: UserMapping) -> None:
    assert patch(mv, row(), {"op": "add", "path": "emails", "value": [WORK]}) == {}


def test_bad_values_are_refused_naming_the_attribute(mv: UserMapping) -> None:
    assert "emails takes objects" in refused(
        mv, row(), {"op": "add", "path": "emails", "value": ["x@y"]}
    )
    assert "no sub-attribute 'colour'" in refused(
        mv, row(), {"op": "add", "path": "emails", "value": [{"value": "x", "colour": "red"}]}
    )
    assert "no element matches" in refused(
        mv, row(), {"op": "replace", "path": 'emails[type eq "fax"].type', "value": "home"}
    )
    assert "primary must be true or false" in refused(
        mv, row(), {"op": "add", "path": "emails", "value": [{"value": "x", "primary": "maybe"}]}
    )


def test_patch_never_changes_the_stored_row_it_reads(mv: UserMapping) -> None:
    current = row()
    before = copy.deepcopy(current)
    after = patch(
        mv, current, {"op": "add", "path": "emails", "value": [{**HOME, "primary": True}]}
    )
    assert after["Address"] == [{**WORK, "primary": False}, {**HOME, "primary": True}]
    assert current == before  # the cache's lists are shared, never edited in place


def test_resources_validate_against_models_built_from_our_schemas(mv: UserMapping) -> None:
    # What scim2-tester does: build models from /Schemas, then read a resource with them.
    sm: Any = pytest.importorskip("scim2_models")
    docs = [sm.Schema.model_validate(d) for d in schemas(mv, BASE_URL)]
    extensions = [sm.Extension.from_schema(d) for d in docs[1:]]
    model = sm.Resource.from_schema(docs[0])[Union[tuple(extensions)]]  # noqa: UP007
    resource = mv.to_resource(row(roles=[{"value": "admin"}]), BASE_URL)
    parsed = model.model_validate(resource, scim_ctx=sm.Context.RESOURCE_QUERY_RESPONSE)
    assert parsed.model_dump(scim_ctx=sm.Context.RESOURCE_QUERY_RESPONSE) == resource


def test_removing_listed_values_without_type_removes_them_from_a_typed_set(mv: UserMapping) -> None:
    # Entra's remove names the values only; the stored elements carry a type.
    after = patch(
        mv, row(), {"op": "Remove", "path": "emails", "value": [{"value": HOME["value"]}]}
    )
    assert after["Address"] == [WORK]
    typed = {"value": HOME["value"], "type": "work"}  # a type that differs: not this element
    assert "Address" not in patch(mv, row(), {"op": "remove", "path": "emails", "value": [typed]})


def test_a_filtered_replace_with_an_empty_value_never_stores_a_placeholder(mv: UserMapping) -> None:
    path = 'emails[type eq "work"]'
    after = patch(
        mv, row(), {"op": "replace", "path": path, "value": {"value": "", "primary": True}}
    )
    assert [e["value"] for e in after["Address"]] == ["", HOME["value"]]
    flagged = patch(mv, row(), {"op": "replace", "path": path, "value": {"primary": False}})
    assert flagged["Address"] == [{**WORK, "primary": False}, HOME]
