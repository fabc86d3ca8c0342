"""Row ⇄ User resource for the Employees sample, resolving paths, and reading POST/PUT bodies."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

import pytest

from ecmactl.config.models import Attribute, Column, Deprovisioning
from ecmactl.errors import ConfigError
from ecmactl.scim.errors import ScimError
from ecmactl.scim.mapping import UserMapping

from .conftest import (
    BASE_URL,
    BINDINGS,
    CORE,
    ECMA,
    ENTERPRISE,
    employees_columns,
    make_connector,
    rich_row,
    sample_row,
)

# The create body of Microsoft's SCIM tutorial, with the sample-code section's nulls and typo.
ENTRA_CREATE: dict[str, Any] = {
    "schemas": [CORE, "urn:ietf:params:scim:schemas:extension:enterprise:2.0User"],
    "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
    "userName": "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee",
    "active": True,
    "emails": [
        {
            "primary": True,
            "type": "work",
            "value": "Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com",
        }
    ],
    "meta": {"resourceType": "User"},
    "name": {
        "formatted": "givenName familyName",
        "familyName": "familyName",
        "givenName": "givenName",
    },
    "roles": [],
    "addresses": None,
    "phoneNumbers": None,
    "title": None,
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0User:manager": None,
}


def test_resource_of_the_sample_row(mapping: UserMapping) -> None:
    assert mapping.to_resource(sample_row(), BASE_URL) == {
        "schemas": [CORE, ECMA],
        "id": "bjensen",
        "userName": "bjensen",
        "name": {"givenName": "Barbara", "familyName": "Jensen"},
        "emails": [{"value": "bjensen@contoso.com", "type": "work"}],
        "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
        "active": True,
        ECMA: {
            "ContosoLogin": "bjensen",
            "FirstName": "Barbara",
            "LastName": "Jensen",
            "Email": "bjensen@contoso.com",
            "InternalGUID": "6c2f1a8e-0000-4000-8000-000000000001",
            "AzureID": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
            "AccountDisabled": False,
            "LastModified": "2024-05-13T04:42:34Z",
        },
        "meta": {"resourceType": "User", "location": f"{BASE_URL}/Users/bjensen"},
    }


def test_ids_are_url_encoded_in_the_location(mapping: UserMapping) -> None:
    resource = mapping.to_resource(sample_row(ContosoLogin="a b/c@d"), BASE_URL + "/")
    assert resource["id"] == "a b/c@d"
    assert resource["meta"]["location"] == f"{BASE_URL}/Users/a%20b%2Fc%40d"


def test_nulls_are_left_out(mapping: UserMapping) -> None:
    resource = mapping.to_resource(sample_row(FirstName=None, Email=None), BASE_URL)
    assert resource["name"] == {"familyName": "Jensen"}
    assert "emails" not in resource
    assert "FirstName" not in resource[ECMA]


@pytest.mark.parametrize(
    ("disable_value", "column_value", "active"),
    [
        (True, True, False),
        (True, False, True),
        (True, 1, False),
        (True, 0, True),
        (True, None, True),
        (False, False, False),
        (False, True, True),
    ],
)
def test_active_from_set_attribute_value(
    disable_value: bool, column_value: Any, active: bool
) -> None:
    dep = Deprovisioning("Set attribute value", "AccountDisabled", disable_value)
    mapping = UserMapping(make_connector(deprovisioning=dep))
    assert (
        mapping.to_resource(sample_row(AccountDisabled=column_value), BASE_URL)["active"] is active
    )


@pytest.mark.parametrize("flow", ["None", "Delete"])
def test_active_is_true_without_a_disable_attribute(flow: Any) -> None:
    mapping = UserMapping(make_connector(deprovisioning=Deprovisioning(disable_flow=flow)))
    assert mapping.to_resource(sample_row(AccountDisabled=True), BASE_URL)["active"] is True
    assert mapping.disable_deletes is (flow == "Delete")


def test_a_column_bound_to_active() -> None:
    columns = [*employees_columns(), Column("Enabled", "bit", "Boolean")]
    mapping = UserMapping(
        make_connector(columns, {**BINDINGS, "Enabled": "active"}, deprovisioning=Deprovisioning())
    )
    assert mapping.to_resource(sample_row(Enabled=False), BASE_URL)["active"] is False
    assert "active" not in mapping.to_resource(sample_row(Enabled=None), BASE_URL)
    assert (
        mapping.to_row({"userName": "x", "name": {"familyName": "y"}, "active": "False"}).columns[
            "Enabled"
        ]
        is False
    )


def test_rich_resource(rich_mapping: UserMapping) -> None:
    resource = rich_mapping.to_resource(rich_row(), BASE_URL)
    assert resource["schemas"] == [CORE, ENTERPRISE, ECMA]
    assert resource["id"] == "bjensen"  # the anchor, not userName
    assert resource["userName"] == "barbara@contoso.com"
    assert resource["displayName"] == "Babs Jensen"
    assert resource["phoneNumbers"] == [{"value": "+1 555 0100", "type": "work"}]
    assert resource[ENTERPRISE] == {"department": "Sales", "employeeNumber": "42"}  # a string
    ext = resource[ECMA]
    assert ext["EmployeeNo"] == 42
    assert ext["Photo"] == "AAH/"
    assert ext["Badge"] == "B-7"
    assert "Secret" not in ext  # Export only: write-only, never returned


def test_integer_anchor_ids_are_strings() -> None:
    columns = [
        Column("Id", "int", "Integer", nullable=False, primary_key=True),
        Column("Login", "varchar", "String"),
    ]
    mapping = UserMapping(
        make_connector(columns, {"Login": "userName"}, anchor="Id", deprovisioning=Deprovisioning())
    )
    resource = mapping.to_resource({"Id": 7, "Login": "x"}, BASE_URL)
    assert resource["id"] == "7"
    assert resource[ECMA]["Id"] == 7
    assert mapping.anchor_value("7") == 7
    assert mapping.anchor_value("seven") is None


def test_user_name_defaults_to_the_anchor() -> None:
    mapping = UserMapping(make_connector(bindings={}))
    resource = mapping.to_resource(sample_row(), BASE_URL)
    assert resource["userName"] == "bjensen"
    target = mapping.resolve("userName")
    assert target is not None and target.column is mapping.anchor


def test_time_zone_of_the_data_source() -> None:
    connector = make_connector()
    connector.global_.data_source_time_zone = "Europe/Paris"
    mapping = UserMapping(connector)
    resource = mapping.to_resource(sample_row(LastModified=datetime(2024, 7, 1, 12, 0)), BASE_URL)
    assert resource[ECMA]["LastModified"] == "2024-07-01T10:00:00Z"
    changes = mapping.to_row({**resource, ECMA: {"LastModified": "2024-07-01T10:00:00Z"}})
    assert changes.columns["LastModified"] == datetime(2024, 7, 1, 12, 0)


def test_unknown_time_zone_is_a_config_error() -> None:
    connector = make_connector()
    connector.global_.data_source_time_zone = "Mars/Olympus"
    with pytest.raises(ConfigError, match="time zone"):
        UserMapping(connector)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"anchor": "Nope"}, "anchor 'Nope' is not a column"),
        ({"selected": ["ContosoLogin", "Nope"]}, "selected attribute 'Nope'"),
        ({"bindings": {"FirstName": "nickName", "LastName": "nickName"}}, "More than one column"),
        ({"bindings": {"FirstName": "manager"}}, "not a bindable"),
        ({"bindings": {"FirstName": "emails.value"}}, "not a bindable"),
        ({"bindings": {"FirstName": "name"}}, "not a bindable"),
        ({"bindings": {"FirstName": "name.nope"}}, "not a bindable"),
        ({"bindings": {"FirstName": f"{ECMA}:FirstName"}}, "not a bindable"),
        ({"bindings": {"FirstName": "name[[x"}}, "invalid SCIM binding"),
        (
            {"deprovisioning": Deprovisioning("Set attribute value", None)},
            "needs a disable attribute",
        ),
        (
            {"deprovisioning": Deprovisioning("Set attribute value", "Nope")},
            "disable attribute 'Nope'",
        ),
    ],
)
def test_configuration_errors(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        UserMapping(make_connector(**change))


# -- resolving paths ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "column", "case_exact"),
    [
        ("userName", "ContosoLogin", False),
        ("USERNAME", "ContosoLogin", False),
        ("urn:ietf:params:scim:schemas:core:2.0:User:userName", "ContosoLogin", False),
        ("externalId", "AzureID", False),  # like its column, see UserMapping._rules
        ("name.givenName", "FirstName", False),
        ("name.familyname", "LastName", False),
        ('emails[type eq "work"].value', "Email", False),
        ('emails[TYPE eq "Work"].Value', "Email", False),
        ('emails[type eq "work"]', "Email", False),
        ("emails.value", "Email", False),
        ("emails", "Email", False),
        ("emails[primary eq true].value", "Email", False),
        (f"{ECMA}:ContosoLogin", "ContosoLogin", False),
        (f"{ECMA.lower()}:contosologin", "ContosoLogin", False),
        (f"{ECMA}:AccountDisabled", "AccountDisabled", False),
        ("InternalGUID", "InternalGUID", False),  # bare extension name
        ("id", "ContosoLogin", True),
        ("active", "AccountDisabled", False),
    ],
)
def test_resolve(mapping: UserMapping, path: str, column: str, case_exact: bool) -> None:
    target = mapping.resolve(path)
    assert target is not None and target.column is not None
    assert (target.column.name, target.case_exact) == (column, case_exact)


@pytest.mark.parametrize(
    "path",
    [
        "PLACEHOLDER",
        "displayName",
        "name.formatted",
        'emails[type eq "home"].value',
        "emails.primary",
        'phoneNumbers[type eq "work"].value',
        f"{ENTERPRISE}:employeeNumber",
        f"{ECMA}:Nope",
        f"{ECMA}:userName",
    ],
)
def test_resolve_unmapped(mapping: UserMapping, path: str) -> None:
    assert mapping.resolve(path) is None


def test_resolve_value_filters_against_the_current_row(mapping: UserMapping) -> None:
    row = sample_row()
    assert mapping.resolve('emails[value eq "bjensen@contoso.com"]', row) is not None
    assert mapping.resolve('emails[value eq "other@contoso.com"]', row) is None


def test_resolve_in_the_rich_mapping(rich_mapping: UserMapping) -> None:
    for path, column in [
        ("userName", "UPN"),
        ("displayName", "textID"),
        (f"{ENTERPRISE}:department", "Dept"),
        ("urn:ietf:params:scim:schemas:extension:enterprise:2.0User:employeeNumber", "EmployeeNo"),
        ('phoneNumbers[type eq "work"].value', "Phone"),
        ("department", "Dept"),
        ("id", "ContosoLogin"),
    ]:
        target = rich_mapping.resolve(path)
        assert target is not None and target.column is not None
        assert target.column.name == column


def test_index_keys_fold_case_unless_exact(mapping: UserMapping) -> None:
    user_name = mapping.resolve("userName")
    ident = mapping.resolve("id")
    assert user_name is not None and ident is not None
    assert mapping.lookup_key(user_name, "BJensen") == mapping.index_key(user_name, "bjensen")
    assert mapping.lookup_key(ident, "BJensen") != mapping.index_key(ident, "bjensen")
    active = mapping.resolve("active")
    assert active is not None and not active.indexable


def test_lookup_keys_convert_to_the_column_type(rich_mapping: UserMapping) -> None:
    target = rich_mapping.resolve(f"{ECMA}:EmployeeNo")
    assert target is not None
    assert rich_mapping.lookup_key(target, "42") == 42
    assert rich_mapping.lookup_key(target, 42) == 42
    assert rich_mapping.lookup_key(target, "forty-two") is None  # no row can match


# -- reading POST / PUT bodies --------------------------------------------------------------------


def test_entra_create_body(mapping: UserMapping) -> None:
    changes = mapping.to_row(ENTRA_CREATE)
    assert changes.columns == {
        "AzureID": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
        "ContosoLogin": "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee",
        "Email": "Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com",
        "LastName": "familyName",
        "FirstName": "givenName",
        "AccountDisabled": False,
    }
    assert changes.active is True
    assert changes.ignored == ["name.formatted"]


def test_round_trip(mapping: UserMapping, rich_mapping: UserMapping) -> None:
    for m, row in ((mapping, sample_row()), (rich_mapping, rich_row())):
        resource = m.to_resource(row, BASE_URL)
        changes = m.to_row(resource)
        expected = {k: v for k, v in row.items() if v is not None and k not in ("Badge", "Secret")}
        assert changes.columns == expected
        assert changes.ignored == []
        # the same body as a PUT on the stored row changes nothing
        assert m.to_row(resource, current=row).columns == {}


def test_ecma_extension_only_body(mapping: UserMapping) -> None:
    body = {
        "schemas": [CORE, ECMA],
        ECMA: {"ContosoLogin": "jdoe", "LastName": "Doe", "AccountDisabled": "True", "textID": 12},
    }
    changes = mapping.to_row(body)
    assert changes.columns == {
        "ContosoLogin": "jdoe",
        "LastName": "Doe",
        "AccountDisabled": True,
        "textID": "12",
    }


def test_flat_urn_and_dotted_keys_in_any_case(mapping: UserMapping) -> None:
    body = {
        f"{ECMA}:ContosoLogin": "jdoe",
        "NAME.FAMILYNAME": "Doe",
        "Name": {"GivenName": "John"},
        f"{ECMA.upper()}": {"textid": "t1"},
        "EXTERNALID": "e1",
    }
    changes = mapping.to_row(body)
    assert changes.columns == {
        "ContosoLogin": "jdoe",
        "LastName": "Doe",
        "FirstName": "John",
        "textID": "t1",
        "AzureID": "e1",
        "AccountDisabled": False,
    }


def test_nulls_and_read_only_values_are_ignored_on_create(mapping: UserMapping) -> None:
    body = {
        "userName": "jdoe",
        "name": {"familyName": "Doe", "givenName": None},
        "id": "ignored",
        "meta": {"created": "2020-01-01T00:00:00Z"},
        "nickName": None,
        "manager": None,
        "urn:acme:ext:2.0:User": {"badge": 3},
    }
    changes = mapping.to_row(body)
    assert changes.columns == {"ContosoLogin": "jdoe", "LastName": "Doe", "AccountDisabled": False}
    assert changes.ignored == ["urn:acme:ext:2.0:User"]


def test_known_unmapped_attributes_are_reported_not_refused(mapping: UserMapping) -> None:
    body = {
        "userName": "jdoe",
        "name": {"familyName": "Doe"},
        "displayName": "John Doe",
        "phoneNumbers": [{"type": "home", "value": "+1 555 0199"}],  # no column is bound to it
        f"{ENTERPRISE}:employeeNumber": "7",
    }
    assert mapping.to_row(body).ignored == [
        "displayName",
        'phoneNumbers[type eq "home"].value',
        f"{ENTERPRISE}:employeeNumber",
    ]


@pytest.mark.parametrize(
    "body",
    [
        {"userName": "jdoe", "name": {"familyName": "Doe"}, "favouriteColour": "blue"},
        {"userName": "jdoe", "name": {"familyName": "Doe"}, ECMA: {"Nope": 1}},
        {"userName": "jdoe", "name": {"familyName": "Doe"}, f"{ECMA}:Nope": 1},
    ],
)
def test_unknown_attributes_are_refused(mapping: UserMapping, body: dict[str, Any]) -> None:
    with pytest.raises(ScimError) as info:
        mapping.to_row(body)
    assert (info.value.status, info.value.scim_type) == (400, "invalidValue")
    assert "Unknown attribute" in info.value.detail


def test_unselected_columns_are_refused_by_name() -> None:
    mapping = UserMapping(make_connector(selected=["ContosoLogin", "LastName"]))
    with pytest.raises(
        ScimError, match="no selected column of connector contoso is named 'textID'"
    ):
        mapping.to_row({"userName": "x", "name": {"familyName": "y"}, ECMA: {"textID": "t"}})


def test_create_requires_the_anchor_and_not_null_columns(mapping: UserMapping) -> None:
    with pytest.raises(ScimError) as info:
        mapping.to_row({"name": {"givenName": "x"}})
    assert info.value.scim_type == "invalidValue"
    assert info.value.detail == (
        "Missing required attribute(s): userName or "
        f"{ECMA}:ContosoLogin (anchor column ContosoLogin); "
        f"name.familyName or {ECMA}:LastName (column LastName)"
    )


def test_create_names_unselected_not_null_columns() -> None:
    columns = [*employees_columns(), Column("Site", "varchar", "String", nullable=False)]
    mapping = UserMapping(make_connector(columns, selected=[c.name for c in columns[:-1]]))
    with pytest.raises(ScimError, match="column Site \\(not selected, NOT NULL without default\\)"):
        mapping.to_row({"userName": "x", "name": {"familyName": "y"}})


def test_create_disabled_user(mapping: UserMapping) -> None:
    changes = mapping.to_row({"userName": "x", "name": {"familyName": "y"}, "active": "False"})
    assert changes.columns["AccountDisabled"] is True
    assert changes.disable and not changes.enable


def test_replace_clears_explicit_nulls_and_keeps_omitted(mapping: UserMapping) -> None:
    row = sample_row()
    body = {
        "userName": "bjensen",
        "name": {"familyName": "Jensen", "givenName": None},
        "externalId": "new",
    }
    changes = mapping.to_row(body, current=row)
    assert changes.columns == {"FirstName": None, "AzureID": "new"}
    assert changes.apply_to(row)["Email"] == "bjensen@contoso.com"


def test_replace_cannot_change_or_clear_the_anchor(mapping: UserMapping) -> None:
    with pytest.raises(ScimError) as info:
        mapping.to_row({"userName": "someone-else"}, current=sample_row())
    assert (info.value.status, info.value.scim_type) == (400, "mutability")
    assert "anchor (column ContosoLogin)" in info.value.detail
    with pytest.raises(ScimError, match="cannot be removed"):
        mapping.to_row({"userName": None}, current=sample_row())


def test_read_only_columns_are_ignored_in_bodies(rich_mapping: UserMapping) -> None:
    changes = rich_mapping.to_row(
        {ECMA: {"Badge": "new"}, "displayName": "Babs Jensen"}, current=rich_row()
    )
    assert changes.columns == {}


@pytest.mark.parametrize("body", [[], "x", None])
def test_bodies_must_be_objects(mapping: UserMapping, body: Any) -> None:
    with pytest.raises(ScimError, match="JSON object"):
        mapping.to_row(body)


def test_schema_urn_keys_must_hold_objects(mapping: UserMapping) -> None:
    with pytest.raises(ScimError, match="must hold an object"):
        mapping.to_row({ECMA: "x"})


# -- data types -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attribute", "value", "column", "stored"),
    [
        ("EmployeeNo", 7, "EmployeeNo", 7),
        ("EmployeeNo", "7", "EmployeeNo", 7),
        ("EmployeeNo", " -7 ", "EmployeeNo", -7),
        ("EmployeeNo", 7.0, "EmployeeNo", 7),
        ("AccountDisabled", True, "AccountDisabled", True),
        ("AccountDisabled", "True", "AccountDisabled", True),
        ("AccountDisabled", "false", "AccountDisabled", False),
        ("AccountDisabled", "FALSE", "AccountDisabled", False),
        ("AccountDisabled", 1, "AccountDisabled", True),
        ("LastModified", "2024-05-13T04:42:34Z", "LastModified", datetime(2024, 5, 13, 4, 42, 34)),
        (
            "LastModified",
            "2024-05-13T06:42:34+02:00",
            "LastModified",
            datetime(2024, 5, 13, 4, 42, 34),
        ),
        ("LastModified", "2024-05-13T04:42:34", "LastModified", datetime(2024, 5, 13, 4, 42, 34)),
        ("Photo", "AAH/", "Photo", b"\x00\x01\xff"),
        ("textID", 12, "textID", "12"),
        ("textID", "x" * 128, "textID", "x" * 128),
    ],
)
def test_accepted_values(
    rich_mapping: UserMapping, attribute: str, value: Any, column: str, stored: Any
) -> None:
    changes = rich_mapping.to_row({ECMA: {attribute: value}}, current=rich_row(**{column: None}))
    assert changes.columns == {column: stored}


@pytest.mark.parametrize(
    ("attribute", "value", "message"),
    [
        ("EmployeeNo", "seven", "must be an integer, not 'seven'"),
        ("EmployeeNo", True, "must be an integer"),
        ("EmployeeNo", 7.5, "must be an integer"),
        ("AccountDisabled", "yes", "must be a boolean"),
        ("AccountDisabled", 2, "must be a boolean"),
        ("LastModified", "yesterday", "must be an ISO 8601 dateTime"),
        ("LastModified", 1715575354, "must be an ISO 8601 dateTime"),
        ("Photo", "not base64!", "must be base64 text"),
        ("Photo", "A" * 24, "is 18 bytes; the most is 16"),
        ("textID", "x" * 129, "is 129 characters long; the most is 128"),
        ("textID", {"a": 1}, "must be a string"),
        ("textID", True, "must be a string"),
        ("textID", ["x"], "must be a string"),
    ],
)
def test_refused_values_name_the_attribute_and_column(
    rich_mapping: UserMapping, attribute: str, value: Any, message: str
) -> None:
    with pytest.raises(ScimError) as info:
        rich_mapping.to_row({ECMA: {attribute: value}}, current=rich_row())
    assert (info.value.status, info.value.scim_type) == (400, "invalidValue")
    assert info.value.detail.startswith(f"Attribute {ECMA}:{attribute} (column {attribute}, ")
    assert message in info.value.detail


def test_core_attribute_errors_use_the_core_name(mapping: UserMapping) -> None:
    with pytest.raises(ScimError) as info:
        mapping.to_row({"name": {"familyName": "x" * 51}}, current=sample_row())
    assert info.value.detail == (
        "Attribute name.familyName (column LastName, String) is 51 characters long; the most is 50"
    )


def test_active_must_be_a_boolean(mapping: UserMapping) -> None:
    with pytest.raises(ScimError, match="active must be true or false"):
        mapping.to_row({"active": "maybe"}, current=sample_row())


def test_columns_are_not_shared_between_connectors() -> None:
    # UserMapping keeps the Column objects; a modified copy of the connector is independent.
    connector = make_connector()
    first = UserMapping(connector)
    connector.attributes = [Attribute("ContosoLogin"), Attribute("LastName")]
    connector.schema.columns = [dataclasses.replace(c) for c in connector.schema.columns]
    second = UserMapping(connector)
    assert len(first.columns) == 9 and len(second.columns) == 2
