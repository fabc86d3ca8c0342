"""Property-based fuzzing of the host (hypothesis): no request is a 5xx, a non-SCIM 4xx or a hang.

Filters, PATCH bodies, POST/PUT and .search bodies, raw bodies, URL paths and query strings,
and headers go to the real ASGI app (``fuzzkit``) on the memory store, on SQLite, and on
PostgreSQL and MariaDB when their servers are named (as in CI): each driver refuses other
values. The "ci" profile (tests/conftest.py) is derandomized: the same 200 examples per test
and store on every run, 4,000 requests in about 20 s. ``HYPOTHESIS_PROFILE=dev`` explores new
ones; ``bench/fuzz.py --requests 100000`` is the long run.

The known inputs that were 500s are explicit examples.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest
from conftest import EnvFactory
from fuzzkit import (
    KNOWN_USER,
    Driver,
    Request,
    authorizations,
    driving,
    filters,
    known_bad,
    loop_is_alive,
    patch_bodies,
    plausible_patches,
    plausible_users,
    query_strings,
    raw_bodies,
    raw_paths,
    requests,
    search_bodies,
    user_bodies,
)
from hostkit import ROOT, TOKEN
from hypothesis import example, given
from hypothesis import strategies as st

from ecmactl.host import configure_logging

USERS = f"{ROOT}/Users"
ONE = f"{USERS}/{KNOWN_USER}"
ECMA = "urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User"
NAME = {"givenName": "a", "familyName": "b"}
DEEP = b"[" * 1000 + b"]" * 1000  # json.loads: RecursionError
# json.dumps sends a lone surrogate as the escape "\ud800", as a client does.
SURROGATE_VALUE = json.dumps({"userName": "s\ud800", "name": NAME}).encode()
SURROGATE_NAME = json.dumps({"userName": "s", ECMA: {"x\ud800": 1}}).encode()
NUL_VALUE = json.dumps({"userName": KNOWN_USER, "name": {**NAME, "givenName": "a\x00"}}).encode()
INFINITE = json.dumps({"userName": "n", "name": NAME, ECMA: {"AccountDisabled": 1e999}})
INFINITE_BODY = INFINITE.replace("Infinity", "1e999").encode()  # a JSON number, parsed as inf
CHAIN_PATH = "emails[" + " or ".join(["x pr"] * 400) + "]"


@pytest.fixture(
    params=[
        "memory",
        "sqlite",
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ]
)
def driver(
    make_env: EnvFactory, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Driver]:
    """The host on the memory store (logging text) or a database (logging JSON), at DEBUG:
    every request's access line and body go through the log code too, and a line that cannot
    be written fails the test (logging would only print it to stderr)."""
    env = make_env(str(request.param))
    root = logging.getLogger("ecmactl")
    handlers, level, propagate = list(root.handlers), root.level, root.propagate
    fmt: Literal["text", "json"] = "text" if request.param == "memory" else "json"
    handler = configure_logging("debug", fmt, tmp_path / "host.log")
    unwritten: list[str] = []
    handler.handleError = lambda record: unwritten.append(traceback.format_exc())  # type: ignore[method-assign]
    try:
        with driving(env.host, TOKEN) as running:
            yield running
            assert loop_is_alive(running)
    finally:
        root.removeHandler(handler)
        handler.close()
        root.handlers[:] = handlers
        root.setLevel(level)
        root.propagate = propagate
    assert not unwritten, f"{len(unwritten)} log lines could not be written: {unwritten[0]}"


def check(driver: Driver, request: Request) -> None:
    found = driver.send(request)
    assert not found, f"{request!r}: {'; '.join(found)}"


@given(filter_text=filters(), via=st.sampled_from(["get", "search"]))
@example(filter_text="userName eq " + "1" * 5000, via="get")  # int-conversion ValueError
@example(filter_text=" or ".join(["a pr"] * 1000), via="get")  # RecursionError in evaluation
@example(filter_text=" and ".join(["a pr"] * 1000), via="search")
@example(filter_text=CHAIN_PATH, via="get")  # RecursionError in AttrPath.__str__
@example(filter_text='userName eq "\\ud800"', via="search")  # lone surrogate in a literal
@example(filter_text='userName eq "a\\u0000b"', via="get")
@example(filter_text="(" * 300 + "a pr" + ")" * 300, via="get")
def fuzz_filters(driver: Driver, filter_text: str, via: str) -> None:
    if via == "get":
        body = filter_text.encode("utf-8", "surrogatepass")
        query = b"filter=" + b"".join(b"%%%02X" % b for b in body)
        check(driver, Request("GET", USERS.encode(), query))
    else:
        document = json.dumps({"filter": filter_text}).encode()  # a surrogate: an escape
        check(driver, Request("POST", f"{USERS}/.search".encode(), body=document))


def test_filters(driver: Driver) -> None:
    fuzz_filters(driver)


@given(body=st.one_of(patch_bodies(), plausible_patches(), raw_bodies()), chunks=st.integers(1, 3))
@example(body=DEEP, chunks=1)
@example(body=b'{"Operations": [{"op": "add", "value": {"title": "\\ud800"}}]}', chunks=2)
@example(body=b'{"Operations":[{"op":"add","path":"name.givenName","value":"a\\u0000"}]}', chunks=1)
@example(body=json.dumps({"Operations": [{"op": "add", "path": CHAIN_PATH}]}).encode(), chunks=1)
def fuzz_patch(driver: Driver, body: bytes, chunks: int) -> None:
    check(driver, Request("PATCH", ONE.encode(), body=body, chunks=chunks))


def test_patch_bodies(driver: Driver) -> None:
    fuzz_patch(driver)


@given(
    method=st.sampled_from(["POST", "PUT", "SEARCH"]),
    body=st.one_of(user_bodies(), plausible_users(), search_bodies(), raw_bodies()),
)
@example(method="POST", body=DEEP)
@example(method="SEARCH", body=b'{"a":' * 1000 + b"1" + b"}" * 1000)
@example(method="POST", body=SURROGATE_VALUE)  # UnicodeEncodeError in the SQLite driver
@example(method="POST", body=SURROGATE_NAME)  # an error document that could not be encoded
@example(method="PUT", body=NUL_VALUE)  # PostgreSQL: 500 "database write failed"
@example(method="POST", body=INFINITE_BODY)
def fuzz_bodies(driver: Driver, method: str, body: bytes) -> None:
    path = {"POST": USERS, "PUT": ONE, "SEARCH": f"{USERS}/.search"}[method]
    check(driver, Request("POST" if method == "SEARCH" else method, path.encode(), body=body))


def test_json_bodies(driver: Driver) -> None:
    fuzz_bodies(driver)


@given(
    method=st.sampled_from(["GET", "HEAD", "DELETE", "POST", "PATCH", "OPTIONS", "BREW"]),
    path=raw_paths(ROOT),
    query=query_strings(),
)
@example(method="GET", path=f"{USERS}/a%00b".encode(), query=b"")
@example(method="DELETE", path=f"{USERS}/{KNOWN_USER}%00".encode(), query=b"")
@example(method="GET", path=f"{USERS}/%ED%A0%80".encode(), query=b"count=" + b"9" * 5000)
@example(method="GET", path=USERS.encode(), query=b"filter=%ff%fe&startIndex=1e999")
def fuzz_addresses(driver: Driver, method: str, path: bytes, query: bytes) -> None:
    check(driver, Request(method, path, query))


def test_paths_and_query_strings(driver: Driver) -> None:
    fuzz_addresses(driver)


@given(request=requests(ROOT), auth=authorizations())
@example(
    request=Request("POST", USERS.encode(), headers=((b"content-length", b"9" * 30),)), auth=True
)
@example(request=Request("GET", USERS.encode(), headers=((b"accept", b"\xff\x00"),)), auth=b"\xff")
def fuzz_requests(driver: Driver, request: Request, auth: bytes | bool) -> None:
    found = driver.send(request, auth)
    assert not found, f"{request!r} (authorization {auth!r}): {'; '.join(found)}"


def test_headers_and_any_request(driver: Driver) -> None:
    fuzz_requests(driver)


def test_the_known_bad_inputs_of_issue_8(driver: Driver) -> None:
    for request in known_bad(ROOT):
        check(driver, request)
