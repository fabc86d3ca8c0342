"""/Users end to end through HTTP (in-process), on the memory store and on SQLite."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from conftest import Env
from hostkit import CORE, ECMA, LIST, ORIGIN, ROOT, running, user_body

pytestmark = pytest.mark.anyio


def _ids(document: dict[str, Any]) -> list[str]:
    return [r["id"] for r in document["Resources"]]


async def test_list_returns_every_seeded_user(env: Env) -> None:
    async with running(env.host) as client:
        r = await client.get(f"{ROOT}/Users")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/scim+json"
    body = r.json()
    assert body["schemas"] == [LIST]
    assert body["totalResults"] == 5 and body["startIndex"] == 1 and body["itemsPerPage"] == 5
    assert sorted(_ids(body)) == ["avance", "ljacobson", "mbowen", "nwilke", "pgupta"]


@pytest.mark.parametrize(
    "filter_text",
    [
        'userName eq "avance"',
        'userName eq "AVANCE"',  # userName is case-insensitive (RFC 7643)
        f'{ECMA}:ContosoLogin eq "avance"',
        'emails[type eq "work"].value eq "avance@contoso.com"',
        'id eq "avance"',
        'name.familyName eq "Vance" and name.givenName eq "Adele"',
    ],
)
async def test_filter_by_matching_attribute(env: Env, filter_text: str) -> None:
    async with running(env.host) as client:
        r = await client.get(f"{ROOT}/Users", params={"filter": filter_text})
    assert r.status_code == 200, r.text
    body = r.json()
    assert _ids(body) == ["avance"]
    assert body["totalResults"] == 1


async def test_filter_on_the_wire_with_plus_for_spaces_and_a_feature_flag(env: Env) -> None:
    async with running(env.host) as client:
        r = await client.get(f"{ROOT}/Users?aadOptscim062020&filter=userName+eq+%22mbowen%22")
    assert r.status_code == 200
    assert _ids(r.json()) == ["mbowen"]


async def test_a_filter_that_needs_a_scan(env: Env) -> None:
    async with running(env.host) as client:
        r = await client.get(f"{ROOT}/Users", params={"filter": 'name.givenName sw "M"'})
        r2 = await client.get(f"{ROOT}/Users", params={"filter": "active eq false"})
    assert _ids(r.json()) == ["mbowen"]
    assert _ids(r2.json()) == ["pgupta"]


async def test_paging_sorting_and_projection(env: Env) -> None:
    async with running(env.host) as client:
        r = await client.get(
            f"{ROOT}/Users",
            params={
                "sortBy": "userName",
                "startIndex": "2",
                "count": "2",
                "attributes": "userName",
            },
        )
        r2 = await client.get(
            f"{ROOT}/Users",
            params={"sortBy": "userName", "sortOrder": "descending", "count": "1"},
        )
        r3 = await client.get(f"{ROOT}/Users", params={"count": "0"})
    body = r.json()
    assert body["totalResults"] == 5 and body["startIndex"] == 2 and body["itemsPerPage"] == 2
    assert _ids(body) == ["ljacobson", "mbowen"]
    assert set(body["Resources"][0]) == {"schemas", "id", "meta", "userName"}
    assert _ids(r2.json()) == ["pgupta"]
    assert r3.json()["totalResults"] == 5 and r3.json()["Resources"] == []


async def test_excluded_attributes(env: Env) -> None:
    async with running(env.host) as client:
        r = await client.get(
            f"{ROOT}/Users",
            params={"filter": 'userName eq "avance"', "excludedAttributes": f"emails,{ECMA}"},
        )
        one = await client.get(f"{ROOT}/Users/avance", params={"excludedAttributes": "name"})
    resource = r.json()["Resources"][0]
    assert "emails" not in resource and ECMA not in resource and "name" in resource
    assert "name" not in one.json() and one.json()["userName"] == "avance"


@pytest.mark.parametrize("endpoint", ["/Users/.search", "/.search"])
async def test_search_with_a_search_request(env: Env, endpoint: str) -> None:
    async with running(env.host) as client:
        r = await client.post(
            f"{ROOT}{endpoint}",
            json={
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                "filter": 'userName eq "nwilke"',
                "attributes": ["userName", "name.familyName"],
                "startIndex": 1,
                "count": 10,
            },
        )
    assert r.status_code == 200, r.text
    (resource,) = r.json()["Resources"]
    assert resource["name"] == {"familyName": "Wilke"} and resource["id"] == "nwilke"


async def test_get_by_id(env: Env) -> None:
    async with running(env.host) as client:
        r = await client.get(f"{ROOT}/Users/ljacobson")
    assert r.status_code == 200
    user = r.json()
    assert user["id"] == "ljacobson" and user["userName"] == "ljacobson"
    assert user["name"] == {"givenName": "Lola", "familyName": "Jacobson"}
    # primary is not stored, so it is not invented (RFC 7643 §2.4: absent means false)
    assert user["emails"] == [{"value": "ljacobson@contoso.com", "type": "work"}]
    assert user["active"] is True
    assert user[ECMA]["ContosoLogin"] == "ljacobson"
    assert user["meta"]["location"] == f"{ORIGIN}{ROOT}/Users/ljacobson"
    assert CORE in user["schemas"] and ECMA in user["schemas"]


async def test_a_disabled_user_is_still_returned(env: Env) -> None:
    async with running(env.host) as client:
        r = await client.get(f"{ROOT}/Users/pgupta")
    assert r.status_code == 200 and r.json()["active"] is False


async def test_create_answers_201_with_location_and_the_stored_row(env: Env) -> None:
    async with running(env.host) as client:
        r = await client.post(f"{ROOT}/Users", json=user_body("jdoe"))
        again = await client.get(f"{ROOT}/Users/jdoe")
        found = await client.get(f"{ROOT}/Users", params={"filter": 'userName eq "jdoe"'})
    assert r.status_code == 201, r.text
    user = r.json()
    assert user["id"] == "jdoe"
    assert r.headers["location"] == f"{ORIGIN}{ROOT}/Users/jdoe" == user["meta"]["location"]
    assert user["active"] is True and user["name"]["givenName"] == "Given"
    assert user["externalId"] == "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"
    assert again.status_code == 200 and again.json() == user
    assert _ids(found.json()) == ["jdoe"]
    stored = env.backdoor.row("jdoe")
    assert stored is not None and stored["FirstName"] == "Given" and not stored["AccountDisabled"]


async def test_create_accepts_plain_json_and_urn_qualified_attributes(env: Env) -> None:
    body = {
        "schemas": [CORE],
        ECMA: {"ContosoLogin": "kx", "FirstName": "K", "LastName": "X"},
        f"{ECMA}:textID": "kx-text",
    }
    async with running(env.host) as client:
        r = await client.post(
            f"{ROOT}/Users", json=body, headers={"Content-Type": "application/json"}
        )
    assert r.status_code == 201, r.text
    assert r.json()["displayName"] == "kx-text"


async def test_ids_are_url_decoded(env: Env) -> None:
    login = "o'brien/ü x"
    async with running(env.host) as client:
        created = await client.post(f"{ROOT}/Users", json=user_body(login))
        r = await client.get(f"{ROOT}/Users/{quote(login, safe='')}")
        patched = await client.patch(
            f"{ROOT}/Users/{quote(login, safe='')}",
            json={"Operations": [{"op": "replace", "path": "displayName", "value": "OB"}]},
        )
        deleted = await client.delete(f"{ROOT}/Users/{quote(login, safe='')}")
        gone = await client.get(f"{ROOT}/Users/{quote(login, safe='')}")
    assert created.status_code == 201
    assert created.headers["location"].endswith("/Users/o%27brien%2F%C3%BC%20x")
    assert r.status_code == 200 and r.json()["id"] == login
    assert patched.status_code == 200 and patched.json()["displayName"] == "OB"
    assert deleted.status_code == 204 and gone.status_code == 404


async def test_put_replaces_and_keeps_omitted_attributes(env: Env) -> None:
    async with running(env.host) as client:
        current = (await client.get(f"{ROOT}/Users/avance")).json()
        current["name"]["givenName"] = "Adèle"
        current["displayName"] = "Adele V."
        del current["emails"]
        del current[ECMA]  # it holds FirstName too: the same column under its other name
        r = await client.put(f"{ROOT}/Users/avance", json=current)
    assert r.status_code == 200, r.text
    user = r.json()
    assert user["name"]["givenName"] == "Adèle" and user["displayName"] == "Adele V."
    assert user["emails"][0]["value"] == "avance@contoso.com"  # omitted: kept (RFC 7644 §3.5.1)
    stored = env.backdoor.row("avance")
    assert stored is not None and stored["FirstName"] == "Adèle"


async def test_put_cannot_change_the_anchor(env: Env) -> None:
    async with running(env.host) as client:
        r = await client.put(f"{ROOT}/Users/avance", json=user_body("someone-else"))
    assert r.status_code == 400 and r.json()["scimType"] == "mutability"


async def test_delete_answers_204_and_removes_the_row(env: Env) -> None:
    async with running(env.host) as client:
        r = await client.delete(f"{ROOT}/Users/mbowen")
        after = await client.get(f"{ROOT}/Users/mbowen")
        again = await client.delete(f"{ROOT}/Users/mbowen")
    assert r.status_code == 204 and r.content == b""
    assert after.status_code == 404 and again.status_code == 404
    assert env.backdoor.row("mbowen") is None


async def test_delete_flow_none_keeps_the_row(make_env: Any) -> None:
    env = make_env("memory", delete_flow="None")
    async with running(env.host) as client:
        r = await client.delete(f"{ROOT}/Users/mbowen")
        after = await client.get(f"{ROOT}/Users/mbowen")
    assert r.status_code == 204
    assert after.status_code == 200 and env.backdoor.row("mbowen") is not None


async def test_a_write_that_changes_nothing_does_not_touch_the_database(mem_env: Env) -> None:
    async with running(mem_env.host) as client:
        before = dict(mem_env.memory.calls)
        r = await client.patch(
            f"{ROOT}/Users/avance",
            json={"Operations": [{"op": "replace", "path": "name.givenName", "value": "Adele"}]},
        )
    assert r.status_code == 200 and r.json()["name"]["givenName"] == "Adele"
    assert mem_env.memory.calls.get("update", 0) == before.get("update", 0)


async def test_write_responses_honour_attributes(env: Env) -> None:
    async with running(env.host) as client:
        r = await client.post(
            f"{ROOT}/Users", params={"attributes": "userName"}, json=user_body("proj")
        )
    assert r.status_code == 201
    assert set(r.json()) == {"schemas", "id", "meta", "userName"}


async def test_head_on_a_user(env: Env) -> None:
    async with running(env.host) as client:
        r = await client.head(f"{ROOT}/Users/avance")
    assert r.status_code == 200 and r.content == b""


async def test_scans_and_sorts_of_a_large_cache_run_off_the_event_loop(make_env: Any) -> None:
    rows = [
        {"ContosoLogin": f"u{i:05d}", "FirstName": f"F{i}", "LastName": f"L{i % 7}"}
        for i in range(3000)
    ]
    env = make_env("memory", rows=rows)
    async with running(env.host) as client:
        scan = await client.get(
            f"{ROOT}/Users", params={"filter": 'name.givenName sw "F299"', "count": "50"}
        )
        ordered = await client.get(
            f"{ROOT}/Users",
            params={"sortBy": "name.givenName", "sortOrder": "descending", "count": "2"},
        )
    assert scan.json()["totalResults"] == 11  # F299, F2990..F2999
    assert _ids(ordered.json()) == ["u00999", "u00998"]  # "F999" > "F998" > … as strings
    assert ordered.json()["totalResults"] == 3000
