"""Paging, sorting, projection and the ListResponse document."""

from __future__ import annotations

from typing import Any

import pytest

from ecmactl.scim.errors import ScimError
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
from ecmactl.scim.mapping import UserMapping

from .conftest import BASE_URL, CORE, ECMA, ENTERPRISE, rich_row, sample_row

ITEMS = [f"r{i}" for i in range(1, 11)]


# -- paging ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "count", "page"),
    [
        (None, None, Page(1, DEFAULT_PAGE_SIZE)),
        ("", "", Page(1, DEFAULT_PAGE_SIZE)),
        ("1", "10", Page(1, 10)),
        (5, 2, Page(5, 2)),
        ("0", "5", Page(1, 5)),  # startIndex < 1 is 1
        ("-3", "5", Page(1, 5)),
        ("1", "-1", Page(1, 0)),  # count < 0 is 0
        ("1", "0", Page(1, 0)),
        ("1", str(MAX_PAGE_SIZE + 1), Page(1, MAX_PAGE_SIZE)),  # capped
        (" 2 ", " 3 ", Page(2, 3)),
    ],
)
def test_page_from_params(start: Any, count: Any, page: Page) -> None:
    assert Page.from_params(start, count) == page


def test_page_defaults_are_configurable() -> None:
    assert Page.from_params(None, None, default_count=20) == Page(1, 20)
    assert Page.from_params(None, "500", max_count=200) == Page(1, 200)


@pytest.mark.parametrize(
    ("start", "count"), [("one", None), (None, "ten"), ("1.5", None), (None, True)]
)
def test_page_params_must_be_integers(start: Any, count: Any) -> None:
    with pytest.raises(ScimError) as info:
        Page.from_params(start, count)
    assert (info.value.status, info.value.scim_type) == (400, "invalidValue")


@pytest.mark.parametrize(
    ("page", "window"),
    [
        (Page(1, 3), ["r1", "r2", "r3"]),
        (Page(9, 5), ["r9", "r10"]),
        (Page(10, 1), ["r10"]),
        (Page(11, 5), []),
        (Page(100, 5), []),
        (Page(1, 0), []),
        (Page(1, 100), ITEMS),
    ],
)
def test_window(page: Page, window: list[str]) -> None:
    assert list(page.window(ITEMS)) == window


def test_list_response_shape() -> None:
    assert list_response([], 0) == {
        "schemas": [LIST_RESPONSE_URN],
        "totalResults": 0,
        "startIndex": 1,
        "itemsPerPage": 0,
        "Resources": [],
    }


def test_query_response_pages(mapping: UserMapping) -> None:
    resources = [
        mapping.to_resource(sample_row(ContosoLogin=f"u{i:02}"), BASE_URL) for i in range(25)
    ]
    body = query_response(resources, Page(11, 10))
    assert (body["totalResults"], body["startIndex"], body["itemsPerPage"]) == (25, 11, 10)
    assert [r["id"] for r in body["Resources"]] == [f"u{i:02}" for i in range(10, 20)]
    last = query_response(resources, Page(21, 10))
    assert last["itemsPerPage"] == 5
    count_only = query_response(resources, Page(1, 0))
    assert count_only["totalResults"] == 25 and count_only["Resources"] == []


def test_entra_zero_results_response_is_valid(sm: Any) -> None:
    body = query_response([], Page.from_params(None, None))
    model = sm.ListResponse[sm.User].model_validate(body, scim_ctx=sm.Context.SEARCH_RESPONSE)
    assert model.total_results == 0


# -- sorting --------------------------------------------------------------------------------------


PEOPLE: list[dict[str, Any]] = [
    {
        "id": "1",
        "userName": "charlie",
        "externalId": "b",
        "loginCount": 10,
        "meta": {"lastModified": "2024-01-02T00:00:00Z"},
    },
    {
        "id": "2",
        "userName": "Alice",
        "externalId": "B",
        "loginCount": 9,
        "meta": {"lastModified": "2024-01-01T23:00:00-02:00"},
    },
    {"id": "3", "externalId": "a", "meta": {}},
    {
        "id": "4",
        "userName": "bob",
        "externalId": "A",
        "loginCount": 100,
        "meta": {"lastModified": "2023-12-31T00:00:00Z"},
        "emails": [{"value": "z@x", "primary": True}, {"value": "a@x"}],
    },
]


def ids(resources: list[Any]) -> list[str]:
    return [r["id"] for r in resources]


@pytest.mark.parametrize(
    ("sort_by", "order", "expected"),
    [
        ("userName", None, ["2", "4", "1", "3"]),  # case-insensitive; missing last
        ("username", "ascending", ["2", "4", "1", "3"]),
        ("userName", "descending", ["3", "1", "4", "2"]),  # missing first
        ("userName", "DESCENDING", ["3", "1", "4", "2"]),
        ("externalId", None, ["4", "2", "3", "1"]),  # caseExact: upper case first
        ("loginCount", None, ["2", "1", "4", "3"]),  # numeric, not lexicographic
        ("meta.lastModified", None, ["4", "1", "2", "3"]),  # chronological
        ("emails.value", None, ["4", "1", "2", "3"]),  # the primary (first) value
        ("nickName", None, ["1", "2", "3", "4"]),  # stable when nobody has it
    ],
)
def test_sort(sort_by: str, order: str | None, expected: list[str]) -> None:
    assert ids(sort_resources(PEOPLE, sort_by, order)) == expected


@pytest.mark.parametrize(
    ("sort_by", "order"), [("userName", "up"), ("user name", None), ('emails[type eq "w"]', None)]
)
def test_sort_refuses_bad_parameters(sort_by: str, order: str | None) -> None:
    with pytest.raises(ScimError) as info:
        sort_resources(PEOPLE, sort_by, order)
    assert info.value.scim_type == "invalidValue"


def test_query_response_sorts_before_paging() -> None:
    body = query_response(PEOPLE, Page(1, 2), sort_by="userName")
    assert ids(body["Resources"]) == ["2", "4"]
    assert body["totalResults"] == 4


def test_sort_by_an_extension_column_uses_its_type(rich_mapping: UserMapping) -> None:
    rows = [rich_row(ContosoLogin=f"u{n}", EmployeeNo=n) for n in (10, 9, 100)]
    resources = [rich_mapping.to_resource(r, BASE_URL) for r in rows]
    ordered = sort_resources(resources, f"{ECMA}:EmployeeNo", rules=rich_mapping.rules)
    assert ids(ordered) == ["u9", "u10", "u100"]


# -- projection -----------------------------------------------------------------------------------


@pytest.fixture
def resource(rich_mapping: UserMapping) -> dict[str, Any]:
    return rich_mapping.to_resource(rich_row(), BASE_URL)


def test_identity_projection(resource: dict[str, Any]) -> None:
    projection = Projection.parse(None, "")
    assert projection.is_identity
    assert projection.apply(resource) == resource


def test_attributes_keep_only_what_is_asked_plus_always_returned(resource: dict[str, Any]) -> None:
    out = Projection.parse("userName").apply(resource)
    assert out == {
        "schemas": [CORE],
        "id": "bjensen",
        "userName": "barbara@contoso.com",
        "meta": resource["meta"],
    }


def test_attributes_with_sub_attributes_and_urns(resource: dict[str, Any]) -> None:
    spec = f"name.givenName, emails.value,{ECMA}:EmployeeNo,{ENTERPRISE}:department,DISPLAYNAME"
    out = Projection.parse(spec).apply(resource)
    assert out["name"] == {"givenName": "Barbara"}
    assert out["emails"] == [{"value": "bjensen@contoso.com"}]
    assert out[ECMA] == {"EmployeeNo": 42}
    assert out[ENTERPRISE] == {"department": "Sales"}
    assert out["displayName"] == "Babs Jensen"
    assert out["schemas"] == [CORE, ENTERPRISE, ECMA]
    assert set(out) == {"schemas", "id", "meta", "name", "emails", ECMA, ENTERPRISE, "displayName"}


def test_attributes_merge_sub_attributes_of_one_attribute(resource: dict[str, Any]) -> None:
    out = Projection.parse("emails.value,emails.type,name.familyName,name").apply(resource)
    assert out["emails"] == [{"value": "bjensen@contoso.com", "type": "work"}]
    assert out["name"] == resource["name"]


def test_attributes_naming_a_whole_extension(resource: dict[str, Any]) -> None:
    out = Projection.parse(ECMA.lower()).apply(resource)
    assert out[ECMA] == resource[ECMA]
    assert out["schemas"] == [CORE, ECMA]


def test_attributes_with_a_bare_extension_name(resource: dict[str, Any]) -> None:
    assert Projection.parse("EmployeeNo").apply(resource)[ECMA] == {"EmployeeNo": 42}


def test_attributes_that_do_not_exist_are_skipped(resource: dict[str, Any]) -> None:
    out = Projection.parse("nickName,name.nope,PLACEHOLDER").apply(resource)
    assert set(out) == {"schemas", "id", "meta"}


def test_excluded_attributes(resource: dict[str, Any]) -> None:
    out = Projection.parse(
        None, f"name.givenName,emails.primary,{ENTERPRISE},{ECMA}:Photo,active"
    ).apply(resource)
    assert out["name"] == {"familyName": "Jensen"}
    assert out["emails"] == [{"value": "bjensen@contoso.com", "type": "work"}]
    assert ENTERPRISE not in out and "active" not in out
    assert "Photo" not in out[ECMA] and "EmployeeNo" in out[ECMA]
    assert out["schemas"] == [CORE, ECMA]


def test_always_returned_attributes_cannot_be_excluded(resource: dict[str, Any]) -> None:
    out = Projection.parse(None, "id,schemas,meta,userName").apply(resource)
    assert {"id", "schemas", "meta"} <= set(out)
    assert "userName" not in out


def test_projection_never_modifies_its_input(resource: dict[str, Any]) -> None:
    before = repr(resource)
    Projection.parse("name.givenName,emails.value,name").apply(resource)
    Projection.parse(None, f"name.givenName,emails.value,{ECMA}:Photo").apply(resource)
    Projection.parse("name", "name.givenName").apply(resource)
    assert repr(resource) == before


def test_attributes_then_excluded(resource: dict[str, Any]) -> None:
    out = Projection.parse("name", "name.givenName").apply(resource)
    assert out["name"] == {"familyName": "Jensen"}


@pytest.mark.parametrize("spec", ["name..x", 'emails[type eq "work"]', "a b"])
def test_bad_projection_specs(spec: str) -> None:
    with pytest.raises(ScimError) as info:
        Projection.parse(spec)
    assert (info.value.status, info.value.scim_type) == (400, "invalidValue")
    assert info.value.detail.startswith("attributes")


def test_query_response_projects_each_resource(resource: dict[str, Any]) -> None:
    body = query_response([resource], Page(), projection=Projection.parse("userName"))
    assert body["Resources"] == [
        {
            "schemas": [CORE],
            "id": "bjensen",
            "userName": "barbara@contoso.com",
            "meta": resource["meta"],
        }
    ]
