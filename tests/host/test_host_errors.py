"""Every error path: SCIM error documents with the right status and scimType, never a traceback."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest
from conftest import Env
from hostkit import ADMIN, AUTH, ERROR, ROOT, TOKEN, running, user_body

pytestmark = pytest.mark.anyio


def _error(r: Any, status: int, scim_type: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/scim+json"
    body: dict[str, Any] = r.json()
    assert body["schemas"] == [ERROR] and body["status"] == str(status)
    assert body.get("scimType") == scim_type
    assert "Traceback" not in r.text
    return body


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token-0123456789"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": "Bearer "},
        {"Authorization": TOKEN},
    ],
)
async def test_401_without_the_connector_token(mem_env: Env, headers: dict[str, str]) -> None:
    async with running(mem_env.host, headers=headers) as client:
        r = await client.get(f"{ROOT}/Users")
        discovery = await client.get(f"{ROOT}/Schemas")
        unknown_path = await client.get(f"{ROOT}/Nope")
    for response in (r, discovery, unknown_path):
        _error(response, 401)
        assert response.headers["www-authenticate"].startswith("Bearer")


async def test_the_token_scheme_is_case_insensitive(mem_env: Env) -> None:
    async with running(mem_env.host, headers={"Authorization": f"bearer {TOKEN}"}) as client:
        r = await client.get(f"{ROOT}/Users/avance")
    assert r.status_code == 200


async def test_unknown_connector_is_404_without_naming_the_others(mem_env: Env) -> None:
    async with running(mem_env.host) as client:
        r = await client.get("/ecma2host_fabrikam/scim/Users")
        case = await client.get("/ecma2host_CONTOSO/scim/Users/avance")
        other = await client.get("/somewhere/else")
    body = _error(r, 404)
    assert "fabrikam" in body["detail"] and "contoso" not in body["detail"]
    # The connector name is case-sensitive in the Tenant URL, as in Microsoft's ECMA2Host.
    assert _error(case, 404)["status"] == "404"
    _error(other, 404)


@pytest.mark.parametrize(
    "path", ["/Nope", "", "/", "/Users/avance/extra/../x", "/Groups", "/ResourceTypes/Group"]
)
async def test_unknown_paths_and_ids_are_404(mem_env: Env, path: str) -> None:
    async with running(mem_env.host) as client:
        r = await client.get(f"{ROOT}{path}")
    _error(r, 404)


async def test_unknown_user_is_404(mem_env: Env) -> None:
    async with running(mem_env.host) as client:
        r = await client.get(f"{ROOT}/Users/5171a35d82074e068ce2")
        put = await client.put(f"{ROOT}/Users/nobody", json=user_body("nobody"))
        delete = await client.delete(f"{ROOT}/Users/nobody")
        too_long = await client.get(f"{ROOT}/Users/{'x' * 300}")  # cannot be an anchor
    for response in (r, put, delete, too_long):
        _error(response, 404)


@pytest.mark.parametrize("endpoint", ["/ServiceProviderConfig", "/ResourceTypes", "/Schemas"])
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
async def test_405_for_writes_on_discovery(mem_env: Env, endpoint: str, method: str) -> None:
    async with running(mem_env.host) as client:
        r = await client.request(method, f"{ROOT}{endpoint}", json={})
    _error(r, 405)
    assert r.headers["allow"] == "GET"


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/Users", "GET, POST"),
        ("DELETE", "/Users", "GET, POST"),
        ("GET", "/Users/.search", "POST"),
        ("POST", "/Users/avance", "GET, PUT, PATCH, DELETE"),
    ],
)
async def test_405_on_users(mem_env: Env, method: str, path: str, allow: str) -> None:
    async with running(mem_env.host) as client:
        r = await client.request(method, f"{ROOT}{path}", json={})
    _error(r, 405)
    assert r.headers["allow"] == allow


@pytest.mark.parametrize(
    "filter_text",
    ["userName eq", 'userName eq "x" and', "userName eq 'x'", '(userName eq "x"', "garbage!"],
)
async def test_malformed_filter_is_400_invalid_filter(mem_env: Env, filter_text: str) -> None:
    async with running(mem_env.host) as client:
        r = await client.get(f"{ROOT}/Users", params={"filter": filter_text})
    _error(r, 400, "invalidFilter")


@pytest.mark.parametrize(
    "filter_text",
    [
        'userName eq "8646d011-1693-4cd3-9ee6-0d7482ca2219"',
        'externalId eq "8646d011-1693-4cd3-9ee6-0d7482ca2219"',
        'PLACEHOLDER eq "8646d011-1693-4cd3-9ee6-0d7482ca2219"',
    ],
)
async def test_test_connection_probes_get_an_empty_list(mem_env: Env, filter_text: str) -> None:
    async with running(mem_env.host) as client:
        r = await client.get(f"{ROOT}/Users", params={"filter": filter_text})
    assert r.status_code == 200
    assert r.json()["totalResults"] == 0 and r.json()["Resources"] == []


async def test_503_while_importing_then_served(mem_env: Env) -> None:
    entered, release = threading.Event(), threading.Event()

    def hold() -> None:
        entered.set()
        release.wait(10)

    mem_env.memory.hooks["before_select"] = hold
    async with running(mem_env.host, ready=False) as client:
        import anyio.to_thread

        await anyio.to_thread.run_sync(entered.wait, 10)
        r = await client.get(f"{ROOT}/Users", params={"filter": 'userName eq "avance"'})
        post = await client.post(f"{ROOT}/Users", json=user_body("early"))
        discovery = await client.get(f"{ROOT}/ServiceProviderConfig")
        status = mem_env.host.status()["connectors"]["contoso"]
        release.set()
        await mem_env.host.wait_ready()
        later = await client.get(f"{ROOT}/Users", params={"filter": 'userName eq "avance"'})
    body = _error(r, 503)
    assert "currently importing" in body["detail"]
    assert r.headers["retry-after"].isdigit()
    _error(post, 503)
    assert discovery.status_code == 200
    assert status["state"] == "importing" and status["import_running"] is True
    assert later.status_code == 200 and later.json()["totalResults"] == 1


async def test_second_create_of_the_same_anchor_is_409(env: Env) -> None:
    async with running(env.host) as client:
        first = await client.post(f"{ROOT}/Users", json=user_body("dup"))
        second = await client.post(f"{ROOT}/Users", json=user_body("dup"))
        seeded = await client.post(f"{ROOT}/Users", json=user_body("avance"))
    assert first.status_code == 201
    body = _error(second, 409, "uniqueness")
    assert "ContosoLogin" in body["detail"]
    _error(seeded, 409, "uniqueness")


async def test_missing_required_attribute_is_400(env: Env) -> None:
    body = user_body("x1")
    del body["name"]
    async with running(env.host) as client:
        r = await client.post(f"{ROOT}/Users", json=body)
    detail = _error(r, 400, "invalidValue")["detail"]
    assert "FirstName" in detail and "LastName" in detail


async def test_database_constraint_violation_is_400_naming_the_column(make_env: Any) -> None:
    env = make_env("memory")
    env.memory.not_null.add("Email")  # a constraint the connector config does not know about
    body = user_body("noemail")
    del body["emails"]
    async with running(env.host) as client:
        r = await client.post(f"{ROOT}/Users", json=body)
    detail = _error(r, 400, "invalidValue")["detail"]
    assert "column Email" in detail and 'emails[type eq "work"].value' in detail
    assert "NOT NULL" in detail
    status = env.host.status()["connectors"]["contoso"]
    assert "Email" in status["last_client_error"]["message"]


@pytest.mark.parametrize(
    ("content", "scim_type", "status"),
    [
        (b"{not json", "invalidSyntax", 400),
        (b"", "invalidSyntax", 400),
        (b"[1, 2]", "invalidSyntax", 400),
        (b'"a string"', "invalidSyntax", 400),
        (b"{" + b'"a": "' + b"x" * (1 << 20) + b'"}', None, 413),
    ],
)
async def test_bad_bodies(mem_env: Env, content: bytes, scim_type: str | None, status: int) -> None:
    async with running(mem_env.host) as client:
        r = await client.post(
            f"{ROOT}/Users", content=content, headers={"Content-Type": "application/scim+json"}
        )
        p = await client.patch(f"{ROOT}/Users/avance", content=content)
    _error(r, status, scim_type)
    _error(p, status, scim_type)


async def test_an_unexpected_error_is_a_500_scim_error_and_a_log_line(
    mem_env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(values: Any) -> Any:
        raise RuntimeError("boom at line 42 with secret=xyz")

    mem_env.memory.insert = broken  # type: ignore[method-assign]
    async with running(mem_env.host) as client:
        with caplog.at_level(logging.ERROR, logger="ecmactl.host"):
            r = await client.post(f"{ROOT}/Users", json=user_body("boom"))
    body = _error(r, 500)
    assert "boom" not in body["detail"] and "see the host log" in body["detail"]
    assert any(rec.exc_info and "boom" in str(rec.exc_info[1]) for rec in caplog.records)
    assert mem_env.host.status()["connectors"]["contoso"]["requests"]["5xx"] == 1


async def test_a_token_that_cannot_be_read_is_a_503(mem_env: Env) -> None:
    """The host's own trouble, not the client's and not a bug: 503 + Retry-After."""
    (mem_env.home.secrets_dir).mkdir(exist_ok=True)
    for secret in mem_env.home.secrets_dir.rglob("*"):
        if secret.is_file():
            secret.unlink()
    # TokenVerifier re-reads when the connector file changes
    path = mem_env.home.connector_path("contoso")
    path.write_text(path.read_text() + "\n")
    async with running(mem_env.host, ready=False, headers=AUTH) as client:
        r = await client.get(f"{ROOT}/Users")
        status: Any = mem_env.host.status()["connectors"]["contoso"]["authentication"]
    body = _error(r, 503)
    assert "secret token" in body["detail"] and r.headers["retry-after"]
    assert status["ok"] is False and "cannot read the secret token" in status["error"]


async def test_a_secret_file_that_is_not_utf8_is_a_503_and_in_the_status(mem_env: Env) -> None:
    """Not a 500 nor an ExceptionGroup from start-up or the status route."""
    (secret,) = (p for p in mem_env.home.secrets_dir.rglob("*") if p.is_file())
    async with running(mem_env.host, headers=AUTH) as client:
        assert (await client.get(f"{ROOT}/Users")).status_code == 200
        secret.write_bytes(b"\xff\xfe not UTF-8\n")
        path = mem_env.home.connector_path("contoso")  # read again at once (as token set does)
        path.write_text(path.read_text() + "\n")
        status = await client.get("/_ecmactl/status", headers={"Authorization": f"Bearer {ADMIN}"})
        r = await client.get(f"{ROOT}/Users")  # at once, though the token was just accepted
    body = _error(r, 503)
    assert "secret token" in body["detail"] and r.headers["retry-after"]
    assert status.status_code == 200, status.text
    auth: Any = status.json()["connectors"]["contoso"]["authentication"]
    assert auth["ok"] is False and f"{secret} is not UTF-8 text" in auth["error"]

    await mem_env.host.startup()  # a host started on that file: status says so, no exception
    try:
        auth = mem_env.host.status()["connectors"]["contoso"]["authentication"]
        assert auth["ok"] is False and "is not UTF-8 text" in auth["error"]
    finally:
        await mem_env.host.shutdown()


async def test_status_polls_do_not_reread_tokens_yet_see_a_removed_secret(
    mem_env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`host sync` polls status twice a second: no secret read per poll (a keyring round trip
    each, and a hiccup would fail requests closed), but a secret removed is reported at once."""
    import ecmactl.tokens

    reads: list[str] = []
    real = ecmactl.tokens.read_secret  # type: ignore[attr-defined]

    def counted(ref: str, home: Any) -> str:
        reads.append(ref)
        return real(ref, home)

    monkeypatch.setattr(ecmactl.tokens, "read_secret", counted)
    admin = {"Authorization": f"Bearer {ADMIN}"}
    (secret,) = (p for p in mem_env.home.secrets_dir.rglob("*") if p.is_file())
    async with running(mem_env.host, headers=AUTH) as client:
        assert (await client.get(f"{ROOT}/Users")).status_code == 200
        before = len(reads)
        for _ in range(20):
            status = await client.get("/_ecmactl/status", headers=admin)
            assert status.json()["connectors"]["contoso"]["authentication"]["ok"] is True
        assert len(reads) == before
        secret.unlink()
        status = await client.get("/_ecmactl/status", headers=admin)
        auth = status.json()["connectors"]["contoso"]["authentication"]
        assert auth["ok"] is False and f"{secret} is missing" in auth["error"]
        assert (await client.get(f"{ROOT}/Users")).status_code == 503
