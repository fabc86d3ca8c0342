"""PATCH in both dialects: every vector from the reference notes (§3.4, §3.6), and the RFC."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ecmactl.config.models import Deprovisioning
from ecmactl.scim.errors import ScimError
from ecmactl.scim.mapping import RowChanges, UserMapping
from ecmactl.scim.patch import PATCH_OP_URN, apply_patch

from .conftest import (
    ECMA,
    ENTERPRISE,
    employees_columns,
    make_connector,
    replace,
    rich_row,
    sample_row,
)


def patch(*operations: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [PATCH_OP_URN], "Operations": list(operations)}


def run(
    mapping: UserMapping, body: dict[str, Any], row: dict[str, Any] | None = None
) -> RowChanges:
    return apply_patch(mapping, body, row if row is not None else sample_row())


def refused(
    mapping: UserMapping, body: dict[str, Any], row: dict[str, Any] | None = None
) -> ScimError:
    with pytest.raises(ScimError) as info:
        run(mapping, body, row)
    assert info.value.status == 400
    return info.value


# -- the tutorial's vectors ([SCIM-TUT], reference §3.4) ------------------------------------------


def test_tutorial_update_multi_valued(mapping: UserMapping) -> None:
    body = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [
            {
                "op": "Replace",
                "path": 'emails[type eq "work"].value',
                "value": "updatedEmail@microsoft.com",
            },
            {"op": "Replace", "path": "name.familyName", "value": "updatedFamilyName"},
        ],
    }
    changes = run(mapping, body)
    assert changes.columns == {
        "Email": "updatedEmail@microsoft.com",
        "LastName": "updatedFamilyName",
    }
    assert changes.active is None and changes.ignored == []


def test_tutorial_update_single_valued_renames_the_anchor_so_is_refused(
    mapping: UserMapping,
) -> None:
    body = patch(
        {
            "op": "Replace",
            "path": "userName",
            "value": "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com",
        }
    )
    error = refused(mapping, body)
    assert error.scim_type == "mutability"
    assert "userName is the anchor (column ContosoLogin)" in error.detail


def test_tutorial_update_single_valued_when_user_name_is_not_the_anchor(
    rich_mapping: UserMapping,
) -> None:
    body = patch(
        {
            "op": "Replace",
            "path": "userName",
            "value": "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com",
        }
    )
    changes = run(rich_mapping, body, rich_row())
    assert changes.columns == {"UPN": "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"}


def test_tutorial_disable_with_a_json_boolean(mapping: UserMapping) -> None:
    body = {
        "Operations": [{"op": "Replace", "path": "active", "value": False}],
        "schemas": [PATCH_OP_URN],
    }
    changes = run(mapping, body)
    assert changes.columns == {"AccountDisabled": True}
    assert changes.disable and not changes.enable


# -- the compatibility page's vectors ([SCIM-COMPAT], reference §3.6) -----------------------------


def test_disable_without_the_feature_flag(mapping: UserMapping) -> None:
    body = {
        "schemas": [PATCH_OP_URN],
        "Operations": [{"op": "Replace", "path": "active", "value": "False"}],
    }
    changes = run(mapping, body)
    assert changes.columns == {"AccountDisabled": True}
    assert changes.active is False


def test_disable_with_the_feature_flag(mapping: UserMapping) -> None:
    body = {
        "schemas": [PATCH_OP_URN],
        "Operations": [{"op": "replace", "path": "active", "value": False}],
    }
    assert run(mapping, body).columns == {"AccountDisabled": True}


@pytest.mark.parametrize(
    ("value", "active"),
    [
        ("False", False),
        ("false", False),
        (False, False),
        ("True", True),
        ("true", True),
        (True, True),
    ],
)
def test_active_in_every_spelling_entra_uses(
    mapping: UserMapping, value: Any, active: bool
) -> None:
    row = sample_row(AccountDisabled=active)  # the opposite state, so something changes
    changes = run(mapping, patch({"op": "Replace", "path": "active", "value": value}), row)
    assert changes.active is active
    assert changes.columns == {"AccountDisabled": not active}


def test_disabling_a_disabled_user_changes_no_column(mapping: UserMapping) -> None:
    changes = run(
        mapping,
        patch({"op": "Replace", "path": "active", "value": "False"}),
        sample_row(AccountDisabled=True),
    )
    assert changes.columns == {}
    assert changes.disable


@pytest.mark.parametrize("op", ["Add", "add"])
def test_add_single_value_string_is_ignored_when_unbound(mapping: UserMapping, op: str) -> None:
    changes = run(mapping, patch({"op": op, "path": "nickName", "value": "Babs"}))
    assert changes.columns == {}
    assert changes.ignored == ["nickName"]


@pytest.mark.parametrize("op", ["Add", "add"])
def test_add_single_value_string_when_bound(op: str) -> None:
    mapping = UserMapping(
        make_connector(bindings={"ContosoLogin": "userName", "textID": "nickName"})
    )
    changes = run(mapping, patch({"op": op, "path": "nickName", "value": "Babs"}))
    assert changes.columns == {"textID": "Babs"}


REPLACE_SEVERAL_WITHOUT_FLAG = patch(
    {"op": "Replace", "path": "displayName", "value": "Bjfe"},
    {
        "op": "Replace",
        "path": 'emails[type eq "work"].value',
        "value": "TestMhvaes@test.microsoft.com",
    },
    {"op": "Replace", "path": "name.givenName", "value": "Kkom"},
    {"op": "Replace", "path": "name.familyName", "value": "Unua"},
    {"op": "Replace", "path": "externalId", "value": "Ebh"},
    {"op": "Replace", "path": f"{ENTERPRISE}:employeeNumber", "value": "Aklq"},
)

REPLACE_SEVERAL_WITH_FLAG = {
    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    "Operations": [
        {
            "op": "replace",
            "path": 'emails[type eq "work"].value',
            "value": "TestMhvaes@test.microsoft.com",
        },
        {
            "op": "replace",
            "value": {
                "displayName": "Bjfe",
                "name.givenName": "Kkom",
                "name.familyName": "Unua",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "Aklq",
            },
        },
    ],
}


def test_replace_several_without_the_flag(mapping: UserMapping) -> None:
    changes = run(mapping, REPLACE_SEVERAL_WITHOUT_FLAG)
    assert changes.columns == {
        "Email": "TestMhvaes@test.microsoft.com",
        "FirstName": "Kkom",
        "LastName": "Unua",
        "AzureID": "Ebh",
    }
    assert changes.ignored == ["displayName", f"{ENTERPRISE}:employeeNumber"]


def test_replace_several_with_the_flag(mapping: UserMapping) -> None:
    changes = run(mapping, REPLACE_SEVERAL_WITH_FLAG)
    assert changes.columns == {
        "Email": "TestMhvaes@test.microsoft.com",
        "FirstName": "Kkom",
        "LastName": "Unua",
    }
    assert changes.ignored == ["displayName", f"{ENTERPRISE}:employeeNumber"]


def _numeric_employee_number(body: dict[str, Any]) -> dict[str, Any]:
    text = json.dumps(body).replace('"Aklq"', '"123"')
    return dict(json.loads(text))


@pytest.mark.parametrize("body", [REPLACE_SEVERAL_WITHOUT_FLAG, REPLACE_SEVERAL_WITH_FLAG])
def test_replace_several_when_everything_is_bound(
    rich_mapping: UserMapping, body: dict[str, Any]
) -> None:
    changes = run(rich_mapping, _numeric_employee_number(body), rich_row())
    assert changes.columns == {
        "Email": "TestMhvaes@test.microsoft.com",
        "textID": "Bjfe",
        "FirstName": "Kkom",
        "LastName": "Unua",
        "EmployeeNo": 123,
        **({"AzureID": "Ebh"} if body is REPLACE_SEVERAL_WITHOUT_FLAG else {}),
    }
    assert changes.ignored == []


@pytest.mark.parametrize("body", [REPLACE_SEVERAL_WITHOUT_FLAG, REPLACE_SEVERAL_WITH_FLAG])
def test_a_value_the_column_cannot_hold_fails_the_request(
    rich_mapping: UserMapping, body: dict[str, Any]
) -> None:
    error = refused(rich_mapping, body, rich_row())
    assert error.scim_type == "invalidValue"
    assert error.detail == (
        f"Attribute {ENTERPRISE}:employeeNumber (column EmployeeNo, Integer) "
        "must be an integer, not 'Aklq'"
    )


@pytest.mark.parametrize(
    "operation",
    [
        {"op": "Remove", "path": "members", "value": [{"value": "u1091"}]},
        {"op": "remove", "path": 'members[value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"]'},
        {
            "op": "Add",
            "path": "members",
            "value": [{"$ref": None, "value": "f648f8d5ea4e4cd38e9c"}],
        },
    ],
)
def test_group_member_operations_are_not_user_attributes(
    mapping: UserMapping, operation: dict[str, Any]
) -> None:
    error = refused(mapping, patch(operation))
    assert error.scim_type == "invalidPath"
    assert "Unknown attribute members" in error.detail


@pytest.mark.parametrize(
    "operation",
    [
        {
            "op": "Add",
            "path": "manager",
            "value": [{"$ref": "http://x/scim/Users/00aa", "value": "00aa"}],
        },
        {"op": "remove", "path": 'manager[value eq "manager-id"]'},
        {"op": "replace", "path": f"{ENTERPRISE}:manager", "value": "00aa"},
        {"op": "replace", "path": f"{ENTERPRISE}:manager", "value": {"value": "00aa"}},
    ],
)
def test_manager_is_ignored_references_are_unsupported(
    mapping: UserMapping, operation: dict[str, Any]
) -> None:
    assert run(mapping, patch(operation)).columns == {}


# -- RFC 7644 §3.5.2 and the other tolerated shapes -----------------------------------------------


@pytest.mark.parametrize("op", ["add", "Add", "ADD", "replace", "Replace", "REPLACE"])
def test_op_in_any_case(mapping: UserMapping, op: str) -> None:
    assert run(mapping, patch({"op": op, "path": "name.givenName", "value": "B"})).columns == {
        "FirstName": "B"
    }


def test_path_less_value_with_nested_objects_and_urns(mapping: UserMapping) -> None:
    body = patch(
        {
            "op": "Add",
            "value": {
                "name": {"givenName": "Babs"},
                "emails": [{"type": "work", "value": "babs@contoso.com", "primary": True}],
                ECMA: {"textID": "t-1", "AccountDisabled": "True"},
                f"{ECMA}:InternalGUID": "g-1",
                "EXTERNALID": "x-1",
            },
        }
    )
    changes = run(mapping, body)
    assert changes.columns == {
        "FirstName": "Babs",
        "Email": "babs@contoso.com",
        "textID": "t-1",
        "AccountDisabled": True,
        "InternalGUID": "g-1",
        "AzureID": "x-1",
    }
    assert changes.disable  # the disable column itself was written
    assert changes.ignored == []


def test_path_to_a_whole_extension(mapping: UserMapping) -> None:
    body = patch({"op": "replace", "path": ECMA, "value": {"FirstName": "B", "LastName": "J2"}})
    assert run(mapping, body).columns == {"FirstName": "B", "LastName": "J2"}


def test_path_to_a_complex_attribute(mapping: UserMapping) -> None:
    body = patch({"op": "replace", "path": "name", "value": {"givenName": "B", "formatted": "B J"}})
    changes = run(mapping, body)
    assert changes.columns == {"FirstName": "B"}
    assert changes.ignored == ["name.formatted"]


def test_add_to_a_multi_valued_attribute(mapping: UserMapping) -> None:
    body = patch(
        {
            "op": "add",
            "path": "emails",
            "value": [{"type": "work", "value": "n@contoso.com", "primary": True}],
        }
    )
    assert run(mapping, body).columns == {"Email": "n@contoso.com"}


def test_value_path_with_an_object_value(mapping: UserMapping) -> None:
    body = patch(
        {"op": "replace", "path": 'emails[type eq "work"]', "value": {"value": "n@contoso.com"}}
    )
    assert run(mapping, body).columns == {"Email": "n@contoso.com"}


def test_urn_qualified_paths(mapping: UserMapping) -> None:
    body = patch(
        {"op": "replace", "path": f"{ECMA}:textID", "value": "t"},
        {
            "op": "replace",
            "path": "urn:ietf:params:scim:schemas:core:2.0:User:name.givenName",
            "value": "G",
        },
        {"op": "replace", "path": f"{ECMA.lower()}:lastname", "value": "L"},
    )
    assert run(mapping, body).columns == {"textID": "t", "FirstName": "G", "LastName": "L"}


def test_operations_apply_in_order(mapping: UserMapping) -> None:
    body = patch(
        {"op": "replace", "path": "name.givenName", "value": "First"},
        {"op": "replace", "path": f"{ECMA}:FirstName", "value": "Second"},
    )
    assert run(mapping, body).columns == {"FirstName": "Second"}


def test_later_operations_see_earlier_ones(mapping: UserMapping) -> None:
    body = patch(
        {"op": "replace", "path": 'emails[type eq "work"].value', "value": "new@contoso.com"},
        {"op": "remove", "path": 'emails[value eq "new@contoso.com"]'},
    )
    assert run(mapping, body).columns == {"Email": None}


def test_unchanged_values_are_dropped(mapping: UserMapping) -> None:
    body = patch(
        {"op": "replace", "path": "userName", "value": "bjensen"},  # the anchor, unchanged: fine
        {"op": "replace", "path": "name.givenName", "value": "Barbara"},
    )
    assert run(mapping, body).columns == {}


def test_missing_schemas_is_tolerated(mapping: UserMapping) -> None:
    body = {"Operations": [{"op": "replace", "path": "name.givenName", "value": "B"}]}
    assert run(mapping, body).columns == {"FirstName": "B"}


def test_lower_case_operations_key_is_tolerated(mapping: UserMapping) -> None:
    body = {"operations": [{"OP": "replace", "PATH": "name.givenName", "VALUE": "B"}]}
    assert run(mapping, body).columns == {"FirstName": "B"}


# -- remove ---------------------------------------------------------------------------------------


def test_remove_sets_null(mapping: UserMapping) -> None:
    body = patch(
        {"op": "Remove", "path": "name.givenName"},
        {"op": "remove", "path": 'emails[type eq "work"]'},
        {"op": "remove", "path": f"{ECMA}:LastModified"},
    )
    assert run(mapping, body).columns == {"FirstName": None, "Email": None, "LastModified": None}


def test_remove_with_an_unbound_path_is_a_no_op(mapping: UserMapping) -> None:
    body = patch(
        {"op": "remove", "path": "nickName"}, {"op": "remove", "path": 'emails[type eq "home"]'}
    )
    assert run(mapping, body).columns == {}


def test_replace_with_null_removes(mapping: UserMapping) -> None:
    assert run(
        mapping, patch({"op": "replace", "path": "name.givenName", "value": None})
    ).columns == {"FirstName": None}


def test_remove_a_required_column_is_a_mutability_error(mapping: UserMapping) -> None:
    error = refused(mapping, patch({"op": "remove", "path": "name.familyName"}))
    assert error.scim_type == "mutability"
    assert error.detail == "Attribute name.familyName is required (column LastName is NOT NULL)"


def test_remove_a_not_null_column_with_a_default_is_an_invalid_value(mapping: UserMapping) -> None:
    error = refused(mapping, patch({"op": "remove", "path": f"{ECMA}:AccountDisabled"}))
    assert error.scim_type == "invalidValue"
    assert "column AccountDisabled is NOT NULL" in error.detail


def test_remove_active_enables_the_user(mapping: UserMapping) -> None:
    # `active` goes back to its default state (test_writes.py has every flow).
    changes = run(
        mapping, patch({"op": "remove", "path": "active"}), sample_row(AccountDisabled=True)
    )
    assert changes.columns == {"AccountDisabled": False} and changes.enable


@pytest.mark.parametrize("path", ["userName", f"{ECMA}:ContosoLogin"])
def test_remove_the_anchor_is_a_mutability_error(mapping: UserMapping, path: str) -> None:
    error = refused(mapping, patch({"op": "remove", "path": path}))
    assert error.scim_type == "mutability"
    assert "anchor" in error.detail


def test_remove_a_complex_attribute_clears_its_bound_parts() -> None:
    columns = [
        replace(c, nullable=True) if c.name == "LastName" else c for c in employees_columns()
    ]
    mapping = UserMapping(make_connector(columns))
    assert run(mapping, patch({"op": "remove", "path": "name"})).columns == {
        "FirstName": None,
        "LastName": None,
    }
    assert run(mapping, patch({"op": "remove", "path": "emails"})).columns == {"Email": None}


def test_remove_a_complex_attribute_respects_not_null(mapping: UserMapping) -> None:
    assert refused(mapping, patch({"op": "remove", "path": "name"})).scim_type == "mutability"


def test_remove_needs_a_path(mapping: UserMapping) -> None:
    error = refused(mapping, patch({"op": "remove", "value": {"name.givenName": None}}))
    assert error.scim_type == "noTarget"


# -- refusals -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["id", "meta.created", "meta"])
def test_read_only_common_attributes(mapping: UserMapping, path: str) -> None:
    assert (
        refused(mapping, patch({"op": "replace", "path": path, "value": "x"})).scim_type
        == "mutability"
    )


def test_import_only_columns_are_read_only(rich_mapping: UserMapping) -> None:
    error = refused(
        rich_mapping, patch({"op": "replace", "path": f"{ECMA}:Badge", "value": "x"}), rich_row()
    )
    assert error.scim_type == "mutability"
    assert error.detail == f"Attribute {ECMA}:Badge is read-only"


def test_export_only_columns_are_writable(rich_mapping: UserMapping) -> None:
    changes = run(
        rich_mapping, patch({"op": "replace", "path": f"{ECMA}:Secret", "value": "new"}), rich_row()
    )
    assert changes.columns == {"Secret": "new"}


@pytest.mark.parametrize(
    "path", ["favouriteColour", f"{ECMA}:Nope", "PLACEHOLDER", 'name[givenName eq "x"].x.y']
)
def test_unknown_paths_are_invalid_path_errors(mapping: UserMapping, path: str) -> None:
    error = refused(mapping, patch({"op": "replace", "path": path, "value": "x"}))
    assert error.scim_type == "invalidPath"


def test_unknown_keys_in_a_path_less_value(mapping: UserMapping) -> None:
    error = refused(
        mapping,
        patch({"op": "replace", "value": {"name.givenName": "B", "favouriteColour": "blue"}}),
    )
    assert error.scim_type == "invalidPath"
    assert error.detail.startswith("Unknown attribute favouriteColour")


def test_invalid_values_name_the_attribute(mapping: UserMapping) -> None:
    error = refused(mapping, patch({"op": "replace", "path": "name.givenName", "value": "x" * 51}))
    assert error.scim_type == "invalidValue"
    assert error.detail.startswith("Attribute name.givenName (column FirstName, String)")
    error = refused(mapping, patch({"op": "replace", "path": "active", "value": "nope"}))
    assert error.detail == "active must be true or false, not 'nope'"


def test_one_bad_operation_fails_the_whole_request(mapping: UserMapping) -> None:
    body = patch(
        {"op": "replace", "path": "name.givenName", "value": "fine"},
        {"op": "replace", "path": "userName", "value": "renamed"},
    )
    assert refused(mapping, body).scim_type == "mutability"


@pytest.mark.parametrize(
    ("body", "scim_type", "message"),
    [
        ([], "invalidSyntax", "must be a JSON object"),
        ({}, "invalidSyntax", "Operations must be a non-empty list"),
        ({"Operations": []}, "invalidSyntax", "Operations must be a non-empty list"),
        ({"Operations": {"op": "add"}}, "invalidSyntax", "Operations must be a non-empty list"),
        (
            {"schemas": ["urn:x"], "Operations": [{"op": "add"}]},
            "invalidSyntax",
            "schemas must contain",
        ),
        ({"schemas": "x", "Operations": [{"op": "add"}]}, "invalidSyntax", "schemas must contain"),
        ({"Operations": ["add"]}, "invalidSyntax", "Operations[0] must be an object"),
        (
            patch({"path": "name.givenName", "value": "x"}),
            "invalidSyntax",
            "Operations[0].op must be",
        ),
        (
            patch({"op": "move", "path": "name.givenName"}),
            "invalidSyntax",
            "Operations[0].op must be",
        ),
        (patch({"op": "copy", "from": "a"}), "invalidSyntax", "Operations[0].op must be"),
        (patch({"op": "add", "path": "name.givenName"}), "invalidSyntax", "add needs a value"),
        (
            patch({"op": "replace", "value": "x"}),
            "invalidSyntax",
            "without a path, value is an object",
        ),
        (patch({"op": "replace", "path": 5, "value": "x"}), "invalidPath", "path must be a string"),
        (patch({"op": "replace", "path": "name..x", "value": "x"}), "invalidPath", "Invalid path"),
        (
            patch({"op": "replace", "path": 'emails[type eq "work"', "value": "x"}),
            "invalidPath",
            "Invalid path",
        ),
        (patch({"op": "replace", "path": ECMA, "value": "x"}), "invalidPath", "takes an object"),
    ],
)
def test_malformed_requests(mapping: UserMapping, body: Any, scim_type: str, message: str) -> None:
    error = refused(mapping, body)
    assert error.scim_type == scim_type
    assert message in error.detail


# -- deprovisioning flows -------------------------------------------------------------------------


def test_disable_with_the_delete_flow_writes_nothing_and_asks_for_a_delete() -> None:
    mapping = UserMapping(make_connector(deprovisioning=Deprovisioning(disable_flow="Delete")))
    changes = run(mapping, patch({"op": "Replace", "path": "active", "value": "False"}))
    assert changes.columns == {}
    assert changes.disable and mapping.disable_deletes


def test_disable_with_no_flow_is_recorded_but_writes_nothing() -> None:
    mapping = UserMapping(make_connector(deprovisioning=Deprovisioning(disable_flow="None")))
    changes = run(mapping, patch({"op": "Replace", "path": "active", "value": "False"}))
    assert changes.columns == {} and changes.disable and not mapping.disable_deletes


def test_disable_value_false_means_enabled_column() -> None:
    dep = Deprovisioning("Set attribute value", "AccountDisabled", disable_value=False)
    mapping = UserMapping(make_connector(deprovisioning=dep))
    changes = run(
        mapping,
        patch({"op": "Replace", "path": "active", "value": "False"}),
        sample_row(AccountDisabled=True),
    )
    assert changes.columns == {"AccountDisabled": False}
