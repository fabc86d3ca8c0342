"""Discovery endpoints over HTTP, validated with scim2-models the way scim2-tester reads them."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Env
from hostkit import ECMA, LIST, ORIGIN, ROOT, running

pytestmark = pytest.mark.anyio


@pytest.fixture
def sm() -> Any:
    return pytest.importorskip("scim2_models")


async def test_service_provider_config(mem_env: Env, sm: Any) -> None:
    async with running(mem_env.host, ready=False) as client:
        r = await client.get(f"{ROOT}/ServiceProviderConfig")
        slash = await client.get(f"{ROOT}/ServiceProviderConfig/")
        lower = await client.get(f"{ROOT}/serviceproviderconfig")
    assert r.status_code == 200 and r.headers["content-type"] == "application/scim+json"
    doc = r.json()
    sm.ServiceProviderConfig.model_validate(doc, scim_ctx=sm.Context.RESOURCE_QUERY_RESPONSE)
    assert doc["patch"]["supported"] is True and doc["filter"]["supported"] is True
    assert doc["meta"]["location"] == f"{ORIGIN}{ROOT}/ServiceProviderConfig"
    assert slash.json() == doc == lower.json()


async def test_resource_types(mem_env: Env, sm: Any) -> None:
    async with running(mem_env.host) as client:
        listed = await client.get(f"{ROOT}/ResourceTypes")
        user = await client.get(f"{ROOT}/ResourceTypes/User")
    body = listed.json()
    assert body["schemas"] == [LIST] and body["totalResults"] == 1
    sm.ListResponse[sm.ResourceType].model_validate(body, scim_ctx=sm.Context.SEARCH_RESPONSE)
    assert user.status_code == 200 and user.json() == body["Resources"][0]
    assert user.json()["endpoint"] == "/Users"


async def test_schemas(mem_env: Env, sm: Any) -> None:
    async with running(mem_env.host) as client:
        listed = await client.get(f"{ROOT}/Schemas")
        ecma = await client.get(f"{ROOT}/Schemas/{ECMA}")
    body = listed.json()
    sm.ListResponse[sm.Schema].model_validate(body, scim_ctx=sm.Context.SEARCH_RESPONSE)
    ids = [d["id"] for d in body["Resources"]]
    assert ECMA in ids and "urn:ietf:params:scim:schemas:core:2.0:User" in ids
    assert ecma.status_code == 200
    names = {a["name"] for a in ecma.json()["attributes"]}
    assert {"ContosoLogin", "FirstName", "LastName", "Email", "textID"} <= names
    anchor = next(a for a in ecma.json()["attributes"] if a["name"] == "ContosoLogin")
    assert anchor["mutability"] == "immutable" and anchor["uniqueness"] == "server"


async def test_users_validate_against_the_served_schemas(mem_env: Env, sm: Any) -> None:
    from typing import Union

    async with running(mem_env.host) as client:
        docs = (await client.get(f"{ROOT}/Schemas")).json()["Resources"]
        user = (await client.get(f"{ROOT}/Users/avance")).json()
    schemas = [sm.Schema.model_validate(d) for d in docs]
    extensions = [sm.Extension.from_schema(d) for d in schemas[1:]]
    model = sm.Resource.from_schema(schemas[0])[Union[tuple(extensions)]]  # noqa: UP007
    parsed = model.model_validate(user, scim_ctx=sm.Context.RESOURCE_QUERY_RESPONSE)
    assert parsed.id == "avance"


async def test_discovery_documents_follow_the_host_header(mem_env: Env) -> None:
    async with running(mem_env.host) as client:
        r = await client.get(f"{ROOT}/Schemas", headers={"Host": "scim.contoso.com:8585"})
    assert r.json()["Resources"][0]["meta"]["location"].startswith(
        f"https://scim.contoso.com:8585{ROOT}/Schemas/"
    )
