"""Discovery documents, validated with scim2-models the way scim2-tester reads them."""

from __future__ import annotations

from typing import Any, Union

from ecmactl.config.models import Column, Deprovisioning
from ecmactl.scim.discovery import resource_types, schemas, service_provider_config
from ecmactl.scim.listing import list_response
from ecmactl.scim.mapping import UserMapping

from .conftest import (
    BASE_URL,
    CORE,
    ECMA,
    ENTERPRISE,
    employees_columns,
    make_connector,
    rich_row,
    sample_row,
)


def by_name(attributes: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {a["name"]: a for a in attributes}


def test_service_provider_config(sm: Any) -> None:
    doc = service_provider_config(BASE_URL, max_results=200)
    model = sm.ServiceProviderConfig.model_validate(
        doc, scim_ctx=sm.Context.RESOURCE_QUERY_RESPONSE
    )
    assert model.patch.supported and model.filter.supported
    assert model.filter.max_results == 200
    assert (
        not model.bulk.supported
        and not model.etag.supported
        and not model.change_password.supported
    )
    assert model.sort.supported
    assert model.authentication_schemes[0].type == "oauthbearertoken"
    assert doc["meta"] == {
        "resourceType": "ServiceProviderConfig",
        "location": f"{BASE_URL}/ServiceProviderConfig",
    }
    assert not service_provider_config(BASE_URL, sort=False)["sort"]["supported"]


def test_resource_types(mapping: UserMapping, rich_mapping: UserMapping, sm: Any) -> None:
    (doc,) = resource_types(mapping, BASE_URL + "/")
    model = sm.ResourceType.model_validate(doc, scim_ctx=sm.Context.RESOURCE_QUERY_RESPONSE)
    assert (model.id, model.endpoint, model.schema_) == ("User", "/Users", CORE)
    assert [(e.schema_, e.required) for e in model.schema_extensions] == [(ECMA, False)]
    assert doc["meta"] == {
        "resourceType": "ResourceType",
        "location": f"{BASE_URL}/ResourceTypes/User",
    }
    (rich,) = resource_types(rich_mapping, BASE_URL)
    assert [e["schema"] for e in rich["schemaExtensions"]] == [ENTERPRISE, ECMA]


def test_schemas_are_valid_and_listed(
    mapping: UserMapping, rich_mapping: UserMapping, sm: Any
) -> None:
    for m in (mapping, rich_mapping):
        docs = schemas(m, BASE_URL)
        for doc in docs:
            sm.Schema.model_validate(doc, scim_ctx=sm.Context.RESOURCE_QUERY_RESPONSE)
            assert doc["meta"] == {
                "resourceType": "Schema",
                "location": f"{BASE_URL}/Schemas/{doc['id']}",
            }
        body = list_response(docs, len(docs))
        sm.ListResponse[sm.Schema].model_validate(body, scim_ctx=sm.Context.SEARCH_RESPONSE)
    assert [d["id"] for d in schemas(mapping, BASE_URL)] == [CORE, ECMA]
    assert [d["id"] for d in schemas(rich_mapping, BASE_URL)] == [CORE, ENTERPRISE, ECMA]


def test_core_schema_lists_only_what_is_bound(mapping: UserMapping) -> None:
    core = by_name(schemas(mapping, BASE_URL)[0]["attributes"])
    assert list(core) == ["userName", "name", "active", "emails"]
    assert core["userName"] | {"description": ""} == {
        "name": "userName",
        "type": "string",
        "multiValued": False,
        "description": "",
        "required": True,
        "mutability": "immutable",  # bound to the anchor
        "returned": "default",
        "caseExact": False,
        "uniqueness": "server",
    }
    name = core["name"]
    assert name["required"] is True  # familyName is NOT NULL
    assert [(s["name"], s["required"]) for s in name["subAttributes"]] == [
        ("givenName", False),
        ("familyName", True),
    ]
    assert [s["name"] for s in core["emails"]["subAttributes"]] == ["value", "type"]
    assert core["emails"]["multiValued"] is True
    assert core["active"]["type"] == "boolean"


def test_user_name_is_read_write_when_it_is_not_the_anchor(rich_mapping: UserMapping) -> None:
    core = by_name(schemas(rich_mapping, BASE_URL)[0]["attributes"])
    assert core["userName"]["mutability"] == "readWrite"
    assert core["userName"]["required"] is True
    assert list(core) == ["userName", "name", "displayName", "active", "emails", "phoneNumbers"]
    enterprise = by_name(schemas(rich_mapping, BASE_URL)[1]["attributes"])
    assert list(enterprise) == ["employeeNumber", "department"]
    assert enterprise["employeeNumber"]["uniqueness"] == "server"  # EmployeeNo is unique


def test_extension_schema_has_one_attribute_per_column(rich_mapping: UserMapping) -> None:
    ext = by_name(schemas(rich_mapping, BASE_URL)[-1]["attributes"])
    assert list(ext) == [
        "ContosoLogin",
        "FirstName",
        "LastName",
        "Email",
        "InternalGUID",
        "AzureID",
        "textID",
        "AccountDisabled",
        "LastModified",
        "EmployeeNo",
        "Photo",
        "Badge",
        "Secret",
        "UPN",
        "Dept",
        "Phone",
    ]
    anchor = ext["ContosoLogin"]
    assert (anchor["mutability"], anchor["uniqueness"], anchor["required"]) == (
        "immutable",
        "server",
        True,
    )
    assert anchor["description"] == "Column ContosoLogin (nvarchar(128)), the anchor"
    assert ext["LastName"]["required"] is True
    assert ext["LastName"]["description"] == "Column LastName (nvarchar(50)); also name.familyName"
    assert ext["AccountDisabled"]["required"] is False  # NOT NULL but has a default
    assert ext["FirstName"]["required"] is False
    types = {name: a["type"] for name, a in ext.items()}
    assert types["EmployeeNo"] == "integer" and types["AccountDisabled"] == "boolean"
    assert (
        types["LastModified"] == "dateTime"
        and types["Photo"] == "binary"
        and types["Email"] == "string"
    )
    assert ext["Email"]["caseExact"] is False and ext["Photo"]["caseExact"] is True
    assert "caseExact" not in ext["EmployeeNo"]
    assert ext["Badge"]["mutability"] == "readOnly"
    assert (ext["Secret"]["mutability"], ext["Secret"]["returned"]) == ("writeOnly", "never")
    assert ext["UPN"]["uniqueness"] == "server" and ext["UPN"]["mutability"] == "readWrite"
    assert ext["Email"]["uniqueness"] == "none"


def test_resources_validate_against_models_built_from_our_schemas(
    mapping: UserMapping, rich_mapping: UserMapping, sm: Any
) -> None:
    # What scim2-tester does: build models from /Schemas, then read our resources with them.
    for m, row in ((mapping, sample_row()), (rich_mapping, rich_row())):
        docs = [sm.Schema.model_validate(d) for d in schemas(m, BASE_URL)]
        extensions = [sm.Extension.from_schema(d) for d in docs[1:]]
        model = sm.Resource.from_schema(docs[0])[Union[tuple(extensions)]]  # noqa: UP007
        resource = m.to_resource(row, BASE_URL)
        parsed = model.model_validate(resource, scim_ctx=sm.Context.RESOURCE_QUERY_RESPONSE)
        assert parsed.model_dump(scim_ctx=sm.Context.RESOURCE_QUERY_RESPONSE) == resource
        listed = sm.ListResponse[model].model_validate(
            list_response([resource], 1), scim_ctx=sm.Context.SEARCH_RESPONSE
        )
        assert listed.total_results == 1


def test_a_minimal_connector(sm: Any) -> None:
    columns = [Column("Login", "varchar(20)", "String", nullable=False, primary_key=True)]
    connector = make_connector(
        columns, {}, anchor="Login", selected=[], deprovisioning=Deprovisioning()
    )
    mapping = UserMapping(connector)
    core, ext = schemas(mapping, BASE_URL)
    assert [a["name"] for a in core["attributes"]] == ["userName", "active"]
    assert [a["name"] for a in ext["attributes"]] == ["Login"]
    sm.Schema.model_validate(core)


def test_columns_not_selected_are_not_advertised() -> None:
    mapping = UserMapping(make_connector(selected=["ContosoLogin", "LastName"]))
    ext = schemas(mapping, BASE_URL)[-1]
    assert [a["name"] for a in ext["attributes"]] == ["ContosoLogin", "LastName"]
    assert len(employees_columns()) == 9
