"""Malformed input found by fuzzing: each a 4xx SCIM error document now, never a 500."""

from __future__ import annotations

import json
from collections.abc import MutableMapping
from typing import Any

import pytest
from conftest import Env
from hostkit import ECMA, ERROR, ROOT, patch_body, running, user_body

from ecmactl.host.http import MAX_BODY, error_reply, json_bytes
from ecmactl.host.json_body import MAX_JSON_DEPTH
from ecmactl.scim.errors import ScimError

pytestmark = pytest.mark.anyio
JSON = {"Content-Type": "application/scim+json"}


def _error(r: Any, status: int, scim_type: str | None) -> str:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/scim+json"
    body: dict[str, Any] = r.json()
    assert body["schemas"] == [ERROR] and body["status"] == str(status)
    assert body.get("scimType") == scim_type
    return str(body["detail"])


async def test_json_nested_1000_deep_is_400_on_every_body(mem_env: Env) -> None:
    deep = b"[" * 1000 + b"]" * 1000  # a RecursionError in json.loads: a 500 once
    async with running(mem_env.host) as client:
        replies = [
            await client.post(f"{ROOT}/Users", content=deep, headers=JSON),
            await client.put(f"{ROOT}/Users/avance", content=deep, headers=JSON),
            await client.patch(f"{ROOT}/Users/avance", content=deep, headers=JSON),
            await client.post(f"{ROOT}/Users/.search", content=deep, headers=JSON),
            await client.post(f"{ROOT}/.search", content=deep, headers=JSON),
        ]
    for r in replies:
        assert f"more than {MAX_JSON_DEPTH} levels" in _error(r, 400, "invalidSyntax")


async def test_a_body_announced_too_large_is_413_before_it_is_read(mem_env: Env) -> None:
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        raise AssertionError("the body was read")

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": f"{ROOT}/Users",
        "raw_path": f"{ROOT}/Users".encode(),
        "query_string": b"",
        "root_path": "",
        "scheme": "https",
        "headers": [
            (b"host", b"host.example:8585"),
            (b"authorization", b"Bearer s3cr3t-token-for-tests-0123456789"),
            (b"content-length", str(MAX_BODY + 1).encode()),
        ],
    }
    async with running(mem_env.host):
        await mem_env.host.asgi(scope, receive, send)
    assert sent[0]["status"] == 413
    body = json.loads(sent[1]["body"])
    assert body["status"] == "413" and "larger than 1048576 bytes" in body["detail"]


async def test_a_lone_surrogate_is_400_invalid_value_on_every_store(env: Env) -> None:
    # The SQLite driver raised UnicodeEncodeError (500; PostgreSQL too); in an unknown attribute
    # name even the error document could not be encoded: a plain-text 500 from uvicorn.
    in_value = json.dumps(user_body("sur\ud800")).encode("utf-8", "surrogatepass")
    in_value = in_value.replace(b"\xed\xa0\x80", b"\\ud800")  # as a JSON escape, as sent
    in_name = json.dumps({**user_body("surname"), ECMA: {"x\\ud800": "1"}}).encode()
    in_name = in_name.replace(b"\\\\ud800", b"\\ud800")
    in_patch = json.dumps(patch_body({"op": "replace", "path": "title", "value": "x"})).encode()
    in_patch = in_patch.replace(b'"x"', b'"\\udfff"')
    async with running(env.host) as client:
        created = await client.post(f"{ROOT}/Users", content=in_value, headers=JSON)
        named = await client.post(f"{ROOT}/Users", content=in_name, headers=JSON)
        patched = await client.patch(f"{ROOT}/Users/avance", content=in_patch, headers=JSON)
        raw = await client.post(f"{ROOT}/Users", content=b'{"a": "\xed\xa0\x80"}', headers=JSON)
        filtered = await client.get(f"{ROOT}/Users", params={"filter": 'userName eq "\\ud800"'})
    assert "at userName:" in _error(created, 400, "invalidValue")
    assert "name of attribute x\\ud800" in _error(named, 400, "invalidValue")
    assert "at Operations[0].value:" in _error(patched, 400, "invalidValue")
    assert "not valid UTF-8" in _error(raw, 400, "invalidValue")
    assert "lone UTF-16 surrogate" in _error(filtered, 400, "invalidValue")
    assert env.backdoor.row("sur\ud800") is None


async def test_a_nul_character_is_400_naming_the_attribute_on_every_store(env: Env) -> None:
    # PostgreSQL answered 500 "database write failed"; SQLite and MariaDB stored it.
    async with running(env.host) as client:
        created = await client.post(f"{ROOT}/Users", json=user_body("nul\x00login"))
        patched = await client.patch(
            f"{ROOT}/Users/avance",
            json=patch_body({"op": "replace", "path": "name.givenName", "value": "A\x00"}),
        )
        gone = await client.delete(f"{ROOT}/Users/avance%00")
        still = await client.get(f"{ROOT}/Users/avance")
    assert "Attribute userName (column ContosoLogin" in _error(created, 400, "invalidValue")
    detail = _error(patched, 400, "invalidValue")
    assert "Attribute name.givenName (column FirstName" in detail and "NUL" in detail
    _error(gone, 404, None)
    assert still.status_code == 200 and still.json()["name"]["givenName"] != "A\x00"
    assert env.backdoor.row("nul\x00login") is None


@pytest.mark.parametrize(
    ("filter_text", "message"),
    [
        ("userName eq " + "1" * 5000, "a number longer than"),  # int-conversion ValueError
        (" or ".join(["a pr"] * 1000), "more than 100 comparisons"),  # RecursionError
        (" and ".join(["a pr"] * 1000), "more than 100 comparisons"),
        ("emails[" + " or ".join(["x pr"] * 400) + "]", "more than 100"),  # AttrPath.__str__
    ],
)
async def test_filters_that_were_500s_are_400_invalid_filter(
    mem_env: Env, filter_text: str, message: str
) -> None:
    async with running(mem_env.host) as client:
        listed = await client.get(f"{ROOT}/Users", params={"filter": filter_text})
        searched = await client.post(f"{ROOT}/Users/.search", json={"filter": filter_text})
    for r in (listed, searched):
        assert message in _error(r, 400, "invalidFilter")


async def test_a_patch_path_with_a_long_chain_is_400_invalid_path(mem_env: Env) -> None:
    path = "emails[" + " or ".join(["type pr"] * 400) + "].value"
    async with running(mem_env.host) as client:
        r = await client.patch(
            f"{ROOT}/Users/avance", json=patch_body({"op": "add", "path": path, "value": "x"})
        )
    assert "more than 100" in _error(r, 400, "invalidPath")


def test_an_error_document_can_always_be_encoded() -> None:
    # A detail quoting a lone surrogate from the request: the JSON escape, not an exception.
    reply = error_reply(ScimError(400, "invalidValue", "Unknown attribute x\ud800"))
    assert json.loads(reply.body)["detail"] == "Unknown attribute x\ud800"
    assert json_bytes({"a": "é\udfff"}) == '{"a":"é\\udfff"}'.encode()
