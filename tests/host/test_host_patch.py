"""Every PATCH form of the reference's test vectors (ecma2host-and-entra.md §3.4, §3.6), over HTTP.

The sample binds userName to the anchor, so the tutorial's "Replace userName" is a rename of the
anchor: refused with 400 mutability, as ECMA2Host refuses anchor changes.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Env
from hostkit import ECMA, ENTERPRISE, PATCH_OP, ROOT, patch_body, running

pytestmark = pytest.mark.anyio


async def _patch(env: Env, body: dict[str, Any], user: str = "avance", query: str = "") -> Any:
    async with running(env.host) as client:
        r = await client.patch(f"{ROOT}/Users/{user}{query}", json=body)
        after = await client.get(f"{ROOT}/Users/{user}")
    return r, after


@pytest.mark.parametrize("value", ["False", "false", False, "FALSE"])
async def test_disable_in_every_dialect(env: Env, value: Any) -> None:
    r, after = await _patch(env, patch_body({"op": "Replace", "path": "active", "value": value}))
    assert r.status_code == 200, r.text
    assert r.json()["active"] is False and after.json()["active"] is False
    stored = env.backdoor.row("avance")
    assert stored is not None and stored["AccountDisabled"] in (True, 1)


@pytest.mark.parametrize("value", ["True", "true", True])
async def test_enable_again(env: Env, value: Any) -> None:
    r, after = await _patch(
        env, patch_body({"op": "replace", "path": "active", "value": value}), user="pgupta"
    )
    assert r.status_code == 200, r.text
    assert after.json()["active"] is True


async def test_disable_with_the_feature_flag_in_the_url(env: Env) -> None:
    body = patch_body({"op": "replace", "path": "active", "value": False})
    r, after = await _patch(env, body, query="?aadOptscim062020")
    assert r.status_code == 200 and after.json()["active"] is False


async def test_tutorial_disable_without_schemas_first(env: Env) -> None:
    body = {
        "Operations": [{"op": "Replace", "path": "active", "value": False}],
        "schemas": [PATCH_OP],
    }
    r, _ = await _patch(env, body)
    assert r.status_code == 200 and r.json()["active"] is False


async def test_replace_username_is_an_anchor_rename(env: Env) -> None:
    body = patch_body({"op": "Replace", "path": "userName", "value": "5b50642d-79fc@testuser.com"})
    r, after = await _patch(env, body)
    assert r.status_code == 400 and r.json()["scimType"] == "mutability"
    assert after.json()["userName"] == "avance"


async def test_add_single_value_string_both_dialects(env: Env) -> None:
    # nickName is not bound to a column in the sample: accepted and ignored (RFC attribute).
    for op in ("Add", "add"):
        r, _ = await _patch(env, patch_body({"op": op, "path": "nickName", "value": "Babs"}))
        assert r.status_code == 200, r.text
        assert "nickName" not in r.json()
    r, _ = await _patch(env, patch_body({"op": "Add", "path": "displayName", "value": "Babs"}))
    assert r.json()["displayName"] == "Babs"


async def test_replace_several_attributes_without_the_flag(env: Env) -> None:
    body = patch_body(
        {"op": "Replace", "path": "displayName", "value": "Bjfe"},
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "T@test.microsoft.com"},
        {"op": "Replace", "path": "name.givenName", "value": "Kkom"},
        {"op": "Replace", "path": "name.familyName", "value": "Unua"},
        {"op": "Replace", "path": "externalId", "value": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"},
        {"op": "Replace", "path": f"{ENTERPRISE}:employeeNumber", "value": "Aklq"},
    )
    r, after = await _patch(env, body)
    assert r.status_code == 200, r.text
    user = after.json()
    assert user["displayName"] == "Bjfe"
    assert user["emails"][0]["value"] == "T@test.microsoft.com"
    assert user["name"] == {"givenName": "Kkom", "familyName": "Unua"}
    assert user["externalId"] == "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"


async def test_replace_several_attributes_with_the_flag_pathless_dotted_keys(env: Env) -> None:
    body = patch_body(
        {"op": "replace", "path": 'emails[type eq "work"].value', "value": "T@test.microsoft.com"},
        {
            "op": "replace",
            "value": {
                "displayName": "Bjfe",
                "name.givenName": "Kkom",
                "name.familyName": "Unua",
                f"{ENTERPRISE}:employeeNumber": "Aklq",
            },
        },
    )
    r, after = await _patch(env, body, query="?aadOptscim062020")
    assert r.status_code == 200, r.text
    user = after.json()
    assert user["displayName"] == "Bjfe" and user["name"]["familyName"] == "Unua"
    assert user["emails"][0]["value"] == "T@test.microsoft.com"
    stored = env.backdoor.row("avance")
    assert stored is not None and stored["FirstName"] == "Kkom" and stored["textID"] == "Bjfe"


async def test_urn_qualified_ecma2host_attributes(env: Env) -> None:
    body = patch_body(
        {"op": "Replace", "path": f"{ECMA}:textID", "value": "t-1"},
        {"op": "Replace", "value": {f"{ECMA}:Email": "x@contoso.com"}},
        {"op": "Add", "path": ECMA, "value": {"LastName": "Vance-Smith"}},
    )
    r, after = await _patch(env, body)
    assert r.status_code == 200, r.text
    user = after.json()
    assert user[ECMA]["textID"] == "t-1" and user["emails"][0]["value"] == "x@contoso.com"
    assert user["name"]["familyName"] == "Vance-Smith"


async def test_remove_an_attribute(env: Env) -> None:
    r, after = await _patch(env, patch_body({"op": "Remove", "path": "displayName"}))
    assert r.status_code == 200, r.text
    assert "displayName" not in after.json()
    r, _ = await _patch(env, patch_body({"op": "remove", "path": "name.familyName"}))
    assert r.status_code == 400 and r.json()["scimType"] == "mutability"  # NOT NULL column


async def test_manager_is_ignored_as_in_ecma2host(env: Env) -> None:
    ref = "00aa00aa-bb11-cc22-dd33-44ee44ee44ee"
    body = patch_body(
        {"op": "Add", "path": "manager", "value": [{"$ref": f"http://x/Users/{ref}", "value": ref}]}
    )
    r, _ = await _patch(env, body)
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(
    ("body", "scim_type"),
    [
        ({"Operations": []}, "invalidSyntax"),
        (patch_body({"op": "Frobnicate", "path": "displayName", "value": "x"}), "invalidSyntax"),
        (patch_body({"op": "Replace", "path": "active", "value": "maybe"}), "invalidValue"),
        (
            patch_body({"op": "Replace", "path": f"{ECMA}:NoSuchColumn", "value": "x"}),
            "invalidPath",
        ),
        (patch_body({"op": "Replace", "path": "id", "value": "x"}), "mutability"),
        (
            patch_body({"op": "Replace", "path": "name.givenName", "value": "x" * 51}),
            "invalidValue",
        ),
    ],
)
async def test_refused_patches(env: Env, body: dict[str, Any], scim_type: str) -> None:
    r, after = await _patch(env, body)
    assert r.status_code == 400, r.text
    assert r.json()["scimType"] == scim_type
    assert after.json()["name"]["givenName"] == "Adele"


async def test_disable_flow_delete_deletes_the_row(make_env: Any) -> None:
    env = make_env("memory", disable_flow="Delete")
    r, after = await _patch(env, patch_body({"op": "Replace", "path": "active", "value": "False"}))
    assert r.status_code == 204 and r.content == b""
    assert after.status_code == 404 and env.backdoor.row("avance") is None


async def test_disable_flow_none_ignores_the_disable(make_env: Any) -> None:
    env = make_env("memory", disable_flow="None")
    body = patch_body(
        {"op": "Replace", "path": "active", "value": "False"},
        {"op": "Replace", "path": "displayName", "value": "still here"},
    )
    r, after = await _patch(env, body)
    assert r.status_code == 200, r.text
    assert after.json()["active"] is True and after.json()["displayName"] == "still here"


async def test_patch_of_an_unknown_user(env: Env) -> None:
    async with running(env.host) as client:
        missing = await client.patch(
            f"{ROOT}/Users/nobody",
            json=patch_body({"op": "Replace", "path": "active", "value": False}),
        )
    assert missing.status_code == 404 and missing.json()["status"] == "404"
