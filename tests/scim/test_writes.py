"""The write rules found by scim2-tester: extension `schemas`, removing `active` or a whole
extension, typed emails, `primary`, and one column under two names (see ecmactl/scim/writes.py)."""

from __future__ import annotations

from typing import Any

import pytest

from ecmactl.config.models import Column, Deprovisioning
from ecmactl.scim.discovery import schemas
from ecmactl.scim.errors import ScimError
from ecmactl.scim.mapping import RowChanges, UserMapping
from ecmactl.scim.patch import PATCH_OP_URN, apply_patch

from .conftest import (
    BASE_URL,
    BINDINGS,
    CORE,
    ECMA,
    ENTERPRISE,
    employees_columns,
    make_connector,
    replace,
    rich_row,
    sample_row,
)

NEW_USER = {"userName": "jdoe", "name": {"familyName": "Doe"}}


def patch(*operations: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [PATCH_OP_URN], "Operations": list(operations)}


def run(
    mapping: UserMapping, *ops: dict[str, Any], row: dict[str, Any] | None = None
) -> RowChanges:
    return apply_patch(mapping, patch(*ops), row if row is not None else sample_row())


def refused(call: Any, *args: Any, **kwargs: Any) -> ScimError:
    with pytest.raises(ScimError) as info:
        call(*args, **kwargs)
    assert info.value.status == 400
    return info.value


def core_schema(mapping: UserMapping) -> dict[str, dict[str, Any]]:
    return {a["name"]: a for a in schemas(mapping, BASE_URL)[0]["attributes"]}


# -- 1. `schemas` inside an extension object ------------------------------------------------------


@pytest.mark.parametrize("op", ["add", "replace"])
def test_schemas_inside_an_extension_value_is_ignored(mapping: UserMapping, op: str) -> None:
    value = {"schemas": [ECMA], "ContosoLogin": "bjensen", "FirstName": "B", "textID": "t"}
    changes = run(mapping, {"op": op, "path": ECMA, "value": value})
    assert changes.columns == {"FirstName": "B", "textID": "t"}


def test_an_anchor_change_in_an_extension_value_is_still_a_mutability_error(
    mapping: UserMapping,
) -> None:
    value = {"schemas": [ECMA], "ContosoLogin": "someone-else", "FirstName": "B"}
    error = refused(run, mapping, {"op": "replace", "path": ECMA, "value": value})
    assert error.scim_type == "mutability" and "is the anchor" in error.detail


def test_schemas_inside_extension_objects_of_bodies_is_ignored(rich_mapping: UserMapping) -> None:
    body = {
        "schemas": [CORE, ENTERPRISE, ECMA],
        "userName": "jdoe",
        ECMA: {"schemas": [ECMA], "ContosoLogin": "jdoe", "LastName": "Doe"},
        ENTERPRISE: {"schemas": [ENTERPRISE], "department": "Sales"},
        f"{ECMA}:schemas": [ECMA],
    }
    changes = rich_mapping.to_row(body)
    assert changes.columns["ContosoLogin"] == "jdoe" and changes.columns["Dept"] == "Sales"
    assert rich_mapping.to_row(body, current=rich_row(ContosoLogin="jdoe")).columns == {
        "UPN": "jdoe",
        "LastName": "Doe",
    }


# -- 2. removing `active`: back to the default state, enabled -------------------------------------


@pytest.mark.parametrize("disable_value", [True, False])
def test_remove_active_writes_the_enabled_value(disable_value: bool) -> None:
    flow = Deprovisioning(
        disable_flow="Set attribute value",
        disable_attribute="AccountDisabled",
        disable_value=disable_value,
    )
    mapping = UserMapping(make_connector(deprovisioning=flow))
    disabled = sample_row(AccountDisabled=disable_value)
    changes = run(mapping, {"op": "remove", "path": "active"}, row=disabled)
    assert changes.columns == {"AccountDisabled": not disable_value}
    assert changes.enable
    assert mapping.to_resource(changes.apply_to(disabled), BASE_URL)["active"] is True
    assert run(mapping, {"op": "Remove", "path": "ACTIVE"}, row=disabled).enable


def test_null_active_in_a_put_body_also_enables(mapping: UserMapping) -> None:
    changes = mapping.to_row({"active": None}, current=sample_row(AccountDisabled=True))
    assert changes.columns == {"AccountDisabled": False} and changes.enable


@pytest.mark.parametrize("flow", ["None", "Delete"])
def test_remove_active_is_a_no_op_without_a_disable_attribute(flow: Any) -> None:
    mapping = UserMapping(make_connector(deprovisioning=Deprovisioning(disable_flow=flow)))
    changes = run(mapping, {"op": "remove", "path": "active"})
    assert changes.columns == {} and changes.active is None


def test_remove_active_bound_to_a_nullable_column_clears_it() -> None:
    columns = [*employees_columns(), Column("Enabled", "bit", "Boolean")]
    connector = make_connector(
        columns, {**BINDINGS, "Enabled": "active"}, deprovisioning=Deprovisioning()
    )
    mapping = UserMapping(connector)
    changes = run(mapping, {"op": "remove", "path": "active"}, row=sample_row(Enabled=False))
    assert changes.columns == {"Enabled": None}
    assert core_schema(mapping)["active"]["required"] is False  # it can be unassigned


def test_active_is_required_in_schemas_when_it_is_never_unassigned(
    mapping: UserMapping,
) -> None:
    assert core_schema(mapping)["active"]["required"] is True
    delete = UserMapping(make_connector(deprovisioning=Deprovisioning(disable_flow="Delete")))
    assert core_schema(delete)["active"]["required"] is True


# -- 3. removing a whole extension ----------------------------------------------------------------


@pytest.mark.parametrize("path", [ECMA, ECMA.lower(), CORE])
def test_remove_a_schema_holding_the_anchor_is_a_mutability_error(
    mapping: UserMapping, path: str
) -> None:
    error = refused(run, mapping, {"op": "remove", "path": path})
    assert error.scim_type == "mutability"
    assert "cannot be removed: it holds the anchor (column ContosoLogin)" in error.detail


def test_remove_an_extension_without_the_anchor_removes_each_attribute(
    rich_mapping: UserMapping,
) -> None:
    changes = run(rich_mapping, {"op": "remove", "path": ENTERPRISE}, row=rich_row())
    assert changes.columns == {"Dept": None, "EmployeeNo": None}


def test_remove_an_extension_refuses_a_required_attribute() -> None:
    columns = [
        *employees_columns(),
        Column("Dept", "nvarchar(64)", "String", nullable=False),
    ]
    mapping = UserMapping(make_connector(columns, {**BINDINGS, "Dept": f"{ENTERPRISE}:department"}))
    error = refused(run, mapping, {"op": "remove", "path": ENTERPRISE}, row=sample_row(Dept="S"))
    assert error.scim_type == "mutability"
    assert (
        error.detail == f"Attribute {ENTERPRISE}:department is required (column Dept is NOT NULL)"
    )


# -- 4. typed multi-valued attributes: only the bound types are stored ----------------------------


@pytest.mark.parametrize("op", ["add", "replace"])
def test_an_email_of_another_type_is_refused_not_dropped(mapping: UserMapping, op: str) -> None:
    error = refused(
        run, mapping, {"op": op, "path": "emails", "value": [{"type": "home", "value": "h@x"}]}
    )
    assert error.scim_type == "invalidValue"
    assert error.detail == (
        'Attribute emails: a value of type "home" cannot be stored; connector contoso stores '
        'only emails of type "work"'
    )


@pytest.mark.parametrize(
    "operation",
    [
        {"op": "replace", "path": 'emails[type eq "home"].value', "value": "h@x"},
        {"op": "add", "path": 'emails[type eq "other"]', "value": {"value": "h@x"}},
        {"op": "replace", "value": {"emails": [{"type": "HOME", "value": "h@x"}]}},
        {
            "op": "replace",
            "path": "emails",
            "value": [{"type": "work", "value": "w@x"}, {"type": "home", "value": "h@x"}],
        },
    ],
)
def test_every_spelling_of_an_unstorable_email_is_refused(
    mapping: UserMapping, operation: dict[str, Any]
) -> None:
    error = refused(run, mapping, operation)
    assert error.scim_type == "invalidValue" and "Attribute emails" in error.detail


def test_unstorable_emails_are_refused_in_post_and_put(mapping: UserMapping) -> None:
    emails = [{"type": "work", "value": "w@x"}, {"type": "home", "value": "h@x"}]
    for current in (None, sample_row(ContosoLogin="jdoe")):
        error = refused(mapping.to_row, {**NEW_USER, "emails": emails}, current=current)
        assert error.scim_type == "invalidValue" and 'type "home"' in error.detail


def test_work_emails_in_any_case_and_untyped_emails_are_stored(mapping: UserMapping) -> None:
    for element in ({"type": "Work", "value": "w@x"}, {"value": "w@x"}):
        assert mapping.to_row({**NEW_USER, "emails": [element]}).columns["Email"] == "w@x"
        changes = run(mapping, {"op": "replace", "path": "emails", "value": [element]})
        assert changes.columns == {"Email": "w@x"}


def test_two_work_emails_are_refused(mapping: UserMapping) -> None:
    emails = [{"type": "work", "value": "a@x"}, {"value": "b@x"}]
    error = refused(mapping.to_row, {**NEW_USER, "emails": emails})
    assert error.scim_type == "invalidValue"
    assert error.detail == (
        'Attribute emails[type eq "work"].value is given two different values, but column '
        "Email holds only one"
    )
    assert refused(run, mapping, {"op": "add", "path": "emails", "value": emails}).detail
    same = [{"type": "work", "value": "a@x"}, {"value": "a@x"}]  # no contradiction
    assert mapping.to_row({**NEW_USER, "emails": same}).columns["Email"] == "a@x"


def test_removing_an_unstored_type_is_a_no_op(mapping: UserMapping) -> None:
    changes = run(mapping, {"op": "remove", "path": 'emails[type eq "home"]'})
    assert changes.columns == {} and changes.ignored == []


def test_phone_numbers_of_another_type_are_refused(rich_mapping: UserMapping) -> None:
    value = [{"type": "mobile", "value": "+1 555 0111"}]
    error = refused(run, rich_mapping, {"op": "add", "path": "phoneNumbers", "value": value})
    assert 'stores only phoneNumbers of type "work"' in error.detail


def test_schemas_advertise_the_stored_types_only(
    mapping: UserMapping, rich_mapping: UserMapping
) -> None:
    emails = core_schema(mapping)["emails"]
    assert {s["name"]: s.get("canonicalValues") for s in emails["subAttributes"]} == {
        "value": None,
        "type": ["work"],
    }
    assert 'Only type "work" is stored' in emails["description"]
    phones = core_schema(rich_mapping)["phoneNumbers"]
    assert phones["subAttributes"][1]["canonicalValues"] == ["work"]


# -- 5. `primary` is not stored, so not invented --------------------------------------------------


@pytest.mark.parametrize("primary", [True, False])
def test_primary_is_accepted_but_not_returned(mapping: UserMapping, primary: bool) -> None:
    element = {"type": "work", "value": "n@contoso.com", "primary": primary}
    changes = run(mapping, {"op": "replace", "path": "emails", "value": [element]})
    resource = mapping.to_resource(changes.apply_to(sample_row()), BASE_URL)
    assert resource["emails"] == [{"value": "n@contoso.com", "type": "work"}]
    assert all(s["name"] != "primary" for s in core_schema(mapping)["emails"]["subAttributes"])


# -- 6. one column under two names ----------------------------------------------------------------


def test_put_round_trip_keeps_the_edit_of_either_name(mapping: UserMapping) -> None:
    row = sample_row()
    resource = mapping.to_resource(row, BASE_URL)
    edited_core = {**resource, "name": {**resource["name"], "givenName": "Babs"}}
    assert mapping.to_row(edited_core, current=row).columns == {"FirstName": "Babs"}
    edited_ext = {**resource, ECMA: {**resource[ECMA], "FirstName": "Babs"}}
    assert mapping.to_row(edited_ext, current=row).columns == {"FirstName": "Babs"}
    disabled = {**resource, "active": False}  # `active` and the disable column, likewise
    changes = mapping.to_row(disabled, current=row)
    assert changes.columns == {"AccountDisabled": True} and changes.disable


def test_put_with_two_new_values_for_one_column_is_refused(mapping: UserMapping) -> None:
    body = {"name": {"givenName": "A"}, ECMA: {"FirstName": "B"}}
    error = refused(mapping.to_row, body, current=sample_row())
    assert error.scim_type == "invalidValue"
    assert error.detail == (
        f"Attributes name.givenName and {ECMA}:FirstName are both column FirstName and both "
        "differ from its value: send one of them, or the same value in both"
    )


def test_an_anchor_change_is_reported_before_a_contradiction(mapping: UserMapping) -> None:
    body = {"name": {"givenName": "A"}, ECMA: {"FirstName": "B", "ContosoLogin": "other"}}
    error = refused(mapping.to_row, body, current=sample_row())
    assert error.scim_type == "mutability" and "is the anchor" in error.detail


def test_post_with_two_values_for_one_column_keeps_the_ecma2host_one(
    mapping: UserMapping,
) -> None:
    body = {"userName": "a", "name": {"familyName": "Doe"}, ECMA: {"ContosoLogin": "b"}}
    changes = mapping.to_row(body)
    assert changes.columns["ContosoLogin"] == "b"
    assert changes.ignored == [f"userName (column ContosoLogin takes {ECMA}:ContosoLogin)"]
    reverse = {ECMA: {"ContosoLogin": "b", "LastName": "Doe"}, "userName": "a"}
    assert mapping.to_row(reverse).columns["ContosoLogin"] == "b"
    same = {"userName": "b", ECMA: {"ContosoLogin": "b", "LastName": "Doe"}}
    assert mapping.to_row(same).ignored == []


def test_one_patch_value_with_two_names_for_one_column(mapping: UserMapping) -> None:
    both_new = {"op": "replace", "value": {"name.givenName": "A", f"{ECMA}:FirstName": "B"}}
    assert refused(run, mapping, both_new).scim_type == "invalidValue"
    one_new = {"op": "replace", "value": {"name.givenName": "A", f"{ECMA}:FirstName": "Barbara"}}
    assert run(mapping, one_new).columns == {"FirstName": "A"}
    # Separate operations apply in order: the later one wins (test_patch.py).
    two_ops = [
        {"op": "replace", "path": "name.givenName", "value": "A"},
        {"op": "replace", "path": f"{ECMA}:FirstName", "value": "B"},
    ]
    assert run(mapping, *two_ops).columns == {"FirstName": "B"}


def test_a_value_the_column_refuses_is_not_hidden_by_the_precedence(mapping: UserMapping) -> None:
    # The precedence compares column values: a value the column refuses fails first.
    columns = [
        replace(c, max_length=3) if c.name == "FirstName" else c for c in employees_columns()
    ]
    short = UserMapping(make_connector(columns))
    body = {"name": {"givenName": "Barbara"}, ECMA: {"FirstName": "Bar"}}
    error = refused(short.to_row, body, current=sample_row(FirstName="Bar"))
    assert "most is 3" in error.detail
