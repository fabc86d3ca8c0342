"""Fuzzing the host's ASGI app: hypothesis strategies for requests, a driver, the invariants.

Shared by the CI suite (``tests/host/test_fuzz.py``) and the long run (``bench/fuzz.py``).
Requests go to the real ``Host.asgi`` as uvicorn would pass them (scope built the way uvicorn
builds it from the request line: ``path`` percent-decoded with replacement characters, headers
as raw bytes), so header values, methods and paths need not be what httpx would let through.

Every answer must hold to :func:`problems`: no 5xx; every 4xx a SCIM error document
(``application/scim+json``, ``schemas`` = the Error URN, ``status`` as a string, a ``detail``);
and no request may take longer than :data:`DEADLINE_S` (a hang).

The strategies aim at the parsers: filters from a grammar with hostile literals (5,000-digit
numbers, ``\\ud800``, NUL, long ``or`` chains, deep brackets), PATCH operations with odd ops,
paths and values, POST/PUT bodies with odd names and values, raw bodies (deep, truncated, not
UTF-8), URL paths and query strings, and headers.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import quote, unquote

import anyio
import anyio.from_thread
from hypothesis import strategies as st

ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error"
ECMA = "urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
CORE = "urn:ietf:params:scim:schemas:core:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
DEADLINE_S = 10.0  # generous: a liveness bound, not a speed check
KNOWN_USER = "avance"  # a seeded row of the sample table, for PUT/PATCH/DELETE to hit


@dataclass(frozen=True)
class Request:
    """One HTTP request as the ASGI app sees it."""

    method: str
    raw_path: bytes  # percent-encoded, without the query
    query: bytes = b""
    headers: tuple[tuple[bytes, bytes], ...] = ()
    body: bytes = b""
    chunks: int = 1  # the body arrives in this many ``http.request`` messages
    disconnect: bool = False  # the client goes away before the body is complete

    def __repr__(self) -> str:  # what hypothesis prints for a failing example
        shown = self.body if len(self.body) <= 300 else self.body[:300] + b"..."
        return (
            f"Request({self.method!r}, {self.raw_path[:300]!r}, query={self.query[:300]!r}, "
            f"headers={self.headers!r}, body={shown!r}, chunks={self.chunks}, "
            f"disconnect={self.disconnect})"
        )


@dataclass
class Response:
    status: int
    headers: dict[bytes, bytes]
    body: bytes
    seconds: float


def scope_for(request: Request, auth: bytes | None) -> dict[str, Any]:
    """The ASGI scope uvicorn would build (``path``: percent-decoded, invalid UTF-8 replaced)."""
    text = request.raw_path.decode("ascii", "replace")
    headers = [(b"host", b"host.example:8585")]
    if auth is not None:
        headers.append((b"authorization", auth))
    headers.extend(request.headers)
    if request.body or request.method in ("POST", "PUT", "PATCH"):
        headers.append((b"content-length", str(len(request.body)).encode()))
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": request.method,
        "scheme": "https",
        "path": unquote(text) if "%" in text else text,
        "raw_path": request.raw_path,
        "query_string": request.query,
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8585),
        "state": {},
    }


async def call(app: Callable[..., Any], request: Request, auth: bytes | None) -> Response:
    """One request through ``app``; the answer as sent."""
    size = len(request.body)
    step = max(1, -(-size // max(1, request.chunks)))
    pieces = [request.body[i : i + step] for i in range(0, size, step)] or [b""]
    messages: list[dict[str, Any]] = [
        {"type": "http.request", "body": piece, "more_body": i < len(pieces) - 1}
        for i, piece in enumerate(pieces)
    ]
    if request.disconnect:
        messages[-1]["more_body"] = True
        messages.append({"type": "http.disconnect"})
    sent: list[dict[str, Any]] = []
    answered = anyio.Event()

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop(0)
        await answered.wait()  # as uvicorn: nothing more until the response is complete
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            answered.set()

    started = time.perf_counter()
    try:
        await app(scope_for(request, auth), receive, send)
    except Exception as exc:  # uvicorn answers text/plain 500 (or drops the connection)
        escaped = f"an exception escaped the app: {type(exc).__name__}: {exc}"
        return Response(500, {}, escaped.encode("utf-8", "backslashreplace"), 0.0)
    seconds = time.perf_counter() - started
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return Response(start["status"], dict(start.get("headers", [])), body, seconds)


def problems(request: Request, response: Response) -> list[str]:
    """What is wrong with ``response``: a 5xx, a 4xx that is no SCIM error document, a hang.
    Every path counts, the host's own routes and Starlette's answers included."""
    found: list[str] = []
    if response.status >= 500:
        found.append(f"{response.status}: {response.body[:300]!r}")
    if response.seconds > DEADLINE_S:
        found.append(f"took {response.seconds:.1f} s")
    if response.status < 400:
        return found
    if response.headers.get(b"content-type") != b"application/scim+json":
        found.append(f"{response.status} as {response.headers.get(b'content-type')!r}")
        return found
    if request.method == "HEAD":  # the headers of the error document, without its body
        return found
    try:
        document = json.loads(response.body)
    except ValueError as exc:
        return [*found, f"{response.status} body is no JSON ({exc}): {response.body[:200]!r}"]
    if not (
        isinstance(document, dict)
        and document.get("schemas") == [ERROR_URN]
        and document.get("status") == str(response.status)
        and isinstance(document.get("detail"), str)
        and document["detail"]
    ):
        found.append(f"{response.status} is no SCIM error document: {document!r:.300}")
    return found


@dataclass
class Tally:
    """Statuses seen and the requests that broke an invariant (at most ``keep`` of them)."""

    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[tuple[Request, list[str]]] = field(default_factory=list)
    hangs: int = 0
    slowest: float = 0.0  # seconds, wall clock (in-process, with the fuzzer's GC pauses)
    slowest_request: Request | None = None
    keep: int = 20

    @property
    def requests(self) -> int:
        return sum(self.statuses.values()) + self.hangs

    def record(self, request: Request, response: Response | None) -> list[str]:
        if response is None:
            self.hangs += 1
            found = [f"no answer within {DEADLINE_S:.0f} s (a hang)"]
        else:
            self.statuses[response.status] += 1
            if response.seconds > self.slowest:
                self.slowest, self.slowest_request = response.seconds, request
            found = problems(request, response)
        if found and len(self.failures) < self.keep:
            self.failures.append((request, found))
        return found


class Driver:
    """The host's app on an event loop in a thread; :meth:`send` answers or reports a hang.

    The loop runs in its own thread so that a request that blocks it (CPU-bound) is caught by
    the deadline on the calling side too, not only by a timeout inside the loop."""

    def __init__(self, portal: anyio.from_thread.BlockingPortal, app: Any, auth: bytes) -> None:
        self.portal = portal
        self.app = app
        self.auth = auth
        self.tally = Tally()

    async def _send(self, request: Request, auth: bytes | None) -> Response | None:
        with anyio.move_on_after(DEADLINE_S):
            return await call(self.app, request, auth)
        return None

    def send(self, request: Request, auth: bytes | bool | None = True) -> list[str]:
        """Send ``request`` (with the connector's token unless ``auth`` says otherwise);
        returns the invariants it broke, also kept in :attr:`tally`."""
        token = self.auth if auth is True else (None if auth is False else auth)
        future = self.portal.start_task_soon(self._send, request, token)
        try:
            response = future.result(timeout=DEADLINE_S + 5)
        except FutureTimeout:
            future.cancel()
            response = None
        return self.tally.record(request, response)


@contextmanager
def driving(host: Any, token: str) -> Iterator[Driver]:
    """Start ``host`` (a ``Host``) on a loop in a thread, wait for its first import, yield."""
    with anyio.from_thread.start_blocking_portal("asyncio") as portal:
        portal.call(host.startup)
        try:
            portal.call(host.wait_ready)
            yield Driver(portal, host.asgi, f"Bearer {token}".encode())
        finally:
            portal.call(host.shutdown)


def loop_is_alive(driver: Driver) -> bool:
    """The event loop still answers (no request left it blocked)."""

    async def ping() -> bool:
        await asyncio.sleep(0)
        return True

    return bool(driver.portal.call(ping))


# -- strategies -----------------------------------------------------------------------------

# fmt: off
_NAMES = [
    "userName", "USERNAME", "externalId", "id", "active", "displayName", "title", "nickName",
    "name.givenName", "name.familyName", "name", "emails", "emails.value", "emails.type",
    'emails[type eq "work"].value', 'emails[type eq "work"]', "phoneNumbers", "meta",
    "meta.lastModified", "schemas", "PLACEHOLDER", f"{ECMA}:ContosoLogin", f"{ECMA}:FirstName",
    f"{ECMA}:AccountDisabled", f"{ECMA}:Nope", f"{ENTERPRISE}:employeeNumber",
    f"{ENTERPRISE}:manager.value", f"{CORE}:userName", "urn:x:y", "a", "$ref", "x-y",
]
_OPS = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr", "EQ", "Pr", "eqq", "=="]
_WORDS = ["and", "or", "not", "AND", "Or", "NOT", "(", ")", "[", "]", ".", '"', "\\", " "]
_HOSTILE_TEXT = [
    "\\ud800", "\\udfff", "\\ud83d\\ude00", "\\u0000", "\\u00e9", '\\"', "\\x", "\\", "é", "𝄞",
    "\x00", "\ud800", "%00", "%ff", "%", "'", "\n", "\r\n", "\t", "\u2028", "\ufeff", " " * 3,
]
_SEGMENTS = ["Users", "users", ".search", "Schemas", "ResourceTypes", "ServiceProviderConfig",
             KNOWN_USER, "User", "scim", "..", ".", "", "%2F", "%00", "%ff", "%", "a%2"]
_PARAMS = ["filter", "startIndex", "count", "attributes", "excludedAttributes", "sortBy",
           "sortOrder", "Filter", "COUNT", "aadOptscim062020", ""]
_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "get", "FOO"]
# fmt: on


@cache
def _text(max_size: int = 40) -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(max_size=max_size),
        st.sampled_from(_HOSTILE_TEXT),
        st.lists(st.sampled_from([*_HOSTILE_TEXT, "a", "b", "@"]), max_size=6).map("".join),
    )


@cache
def _numbers() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers().map(str),
        st.floats(allow_nan=False).map(repr),
        st.integers(min_value=1, max_value=6000).map(lambda n: "9" * n),
        st.sampled_from(["1e999", "-0", "01", "1.", ".5", "1e", "-", "0x10", "NaN", "Infinity"]),
    )


@cache
def _literals() -> st.SearchStrategy[str]:
    return st.one_of(
        _text().map(lambda t: '"' + t.replace('"', '\\"') + '"'),
        _text().map(lambda t: '"' + t),  # unterminated
        _numbers(),
        st.sampled_from(["true", "false", "null", "TRUE", "Null", "bjensen", "'x'"]),
    )


@cache
def _paths() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(_NAMES), _text(20))


@st.composite
def filters(draw: st.DrawFn, depth: int = 0) -> str:
    """Filter text: mostly grammatical, with hostile literals, chains, nesting and soup."""
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(_text(60))
    if kind == 1:  # token soup
        parts = st.one_of(st.sampled_from(_NAMES + _OPS + _WORDS), _literals())
        return " ".join(draw(st.lists(parts, max_size=12)))
    if kind == 2:  # long chains of one operator
        joiner = draw(st.sampled_from([" or ", " and ", " OR "]))
        term = draw(st.sampled_from(["a pr", 'userName eq "x"', "x pr", "emails pr"]))
        chain = joiner.join([term] * draw(st.integers(1, 1200)))
        return chain if draw(st.booleans()) else f"emails[{chain}]"
    if kind == 3:  # deep brackets
        levels = draw(st.integers(1, 300))
        opener, closer = draw(st.sampled_from([("(", ")"), ("not (", ")"), ("[", "]")]))
        return opener * levels + "a pr" + closer * draw(st.integers(0, levels + 1))
    if kind in (4, 5) and depth < 3:
        left, right = draw(filters(depth + 1)), draw(filters(depth + 1))
        form = draw(st.sampled_from(["{} and {}", "{} or {}", "not ({})", "({})", "a[{}]"]))
        return form.format(left, right)
    op = draw(st.sampled_from(_OPS))
    path = draw(_paths())
    return f"{path} {op}" if op.lower() == "pr" else f"{path} {op} {draw(_literals())}"


@cache
def _json_values(max_leaves: int = 12) -> st.SearchStrategy[Any]:
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        _text(),
        st.sampled_from(["True", "False", "work", KNOWN_USER, "2024-01-02T03:04:05Z", "AAH/"]),
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(_paths(), inner, max_size=4)
        ),
        max_leaves=max_leaves,
    )


def _json_bytes(value: Any) -> bytes:
    # Lone surrogates (from st.text) are sent as JSON escapes, as a client would send them.
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "backslashreplace")


@st.composite
def raw_bodies(draw: st.DrawFn) -> bytes:
    """Bodies that are barely JSON: deep, truncated, not UTF-8, huge numbers, constants."""
    kind = draw(st.integers(0, 6))
    if kind == 0:
        return draw(st.binary(max_size=200))
    if kind == 1:
        levels = draw(st.integers(1, 3000))
        opener, closer = draw(st.sampled_from([("[", "]"), ('{"a":', "}"), ('[{"a":', "}]")]))
        return (opener * levels + "1" + closer * draw(st.integers(0, levels))).encode()
    if kind == 2:
        text = _json_bytes(draw(_json_values()))
        return text[: draw(st.integers(0, len(text)))]
    if kind == 3:
        number = draw(_numbers())
        return f'{{"userName": "n", "{ECMA}:AccountDisabled": {number}}}'.encode()
    if kind == 4:
        return draw(_text(80)).encode("utf-8", "surrogatepass")  # \xed\xa0\x80 included
    if kind == 5:
        return b'{"a": "' + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00"]))
    return _json_bytes(draw(_json_values()))


@st.composite
def user_bodies(draw: st.DrawFn) -> bytes:
    """A create body like Entra's, with names and values changed, added or dropped."""
    login = draw(st.one_of(st.from_regex(r"[a-z]{1,12}", fullmatch=True), _text(30)))
    body: dict[str, Any] = {
        "schemas": [CORE, ENTERPRISE],
        "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
        "userName": login,
        "active": True,
        "emails": [{"primary": True, "type": "work", "value": f"{login}@contoso.com"}],
        "name": {"familyName": "Family", "givenName": "Given"},
        ECMA: {"ContosoLogin": login},
    }
    for name in draw(st.lists(st.sampled_from(sorted(body)), max_size=3)):
        body.pop(name, None)
    body.update(draw(st.dictionaries(_paths(), _json_values(), max_size=4)))
    return _json_bytes(body)


# Attributes the sample connector stores (and a few it ignores), for bodies that get as far as
# the mapping and the database: odd values there reach the column checks and the driver.
_BOUND = [
    "name.givenName", "name.familyName", 'emails[type eq "work"].value', "displayName",
    "externalId", "active", "title", "userName", f"{ECMA}:FirstName", f"{ECMA}:textID",
    f"{ECMA}:AccountDisabled", f"{ECMA}:InternalGUID", f"{ECMA}:LastModified",
]  # fmt: skip


@cache
def _plausible_values() -> st.SearchStrategy[Any]:
    return st.one_of(
        _text(60),
        st.text(max_size=200),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.none(),
        st.sampled_from(["True", "False", "", " ", "2024-02-30T25:00:00Z", "0a21f0f2-8d2a"]),
    )


@st.composite
def plausible_users(draw: st.DrawFn) -> bytes:
    """A create Entra could send, with odd values in the attributes the connector stores."""
    login = draw(st.one_of(st.from_regex(r"[A-Za-z0-9._@-]{1,40}", fullmatch=True), _text(30)))
    body: dict[str, Any] = {
        "schemas": [CORE, ENTERPRISE],
        "userName": login,
        "name": {"givenName": draw(_plausible_values()), "familyName": "F"},
    }
    body.update(draw(st.dictionaries(st.sampled_from(_BOUND), _plausible_values(), max_size=4)))
    return _json_bytes(body)


@st.composite
def plausible_patches(draw: st.DrawFn) -> bytes:
    """Entra-like PATCH operations on stored attributes, with odd values."""
    op = st.sampled_from(["add", "replace", "remove", "Replace", "Add", "Remove"])
    with_path = st.fixed_dictionaries(
        {"op": op, "path": st.sampled_from(_BOUND)}, optional={"value": _plausible_values()}
    )
    pathless = st.fixed_dictionaries(
        {"op": op, "value": st.dictionaries(st.sampled_from(_BOUND), _plausible_values())}
    )
    operations = draw(st.lists(st.one_of(with_path, pathless), min_size=1, max_size=4))
    return _json_bytes({"schemas": [PATCH_OP], "Operations": operations})


@cache
def _operations() -> st.SearchStrategy[Any]:
    names = st.sampled_from(["add", "replace", "remove", "Replace", "ADD", "move"])
    filtered = filters().map(lambda f: f"emails[{f}].value")
    operation = st.fixed_dictionaries(
        {"op": st.one_of(names, _text(8), _json_values(2))},
        optional={"path": st.one_of(_paths(), filtered, _json_values(2)), "value": _json_values()},
    )
    return st.one_of(st.lists(operation, max_size=5), _json_values(3))


@st.composite
def patch_bodies(draw: st.DrawFn) -> bytes:
    operations = draw(_operations())
    body: dict[str, Any] = {"schemas": draw(st.sampled_from([[PATCH_OP], [], None, "x", [1]]))}
    body[draw(st.sampled_from(["Operations", "operations", "ops"]))] = operations
    return _json_bytes(body)


@cache
def _search_fields() -> st.SearchStrategy[dict[str, Any]]:
    fields = {
        "filter": st.one_of(filters(), _json_values(2)),
        "startIndex": st.one_of(_numbers(), st.integers(), _json_values(1)),
        "count": st.one_of(_numbers(), st.integers(), _json_values(1)),
        "attributes": st.one_of(st.lists(_paths(), max_size=3), _paths(), _json_values(2)),
        "excludedAttributes": st.one_of(st.lists(_paths(), max_size=3), _json_values(2)),
        "sortBy": st.one_of(_paths(), _json_values(1)),
        "sortOrder": st.one_of(st.sampled_from(["ascending", "descending", "up"]), _json_values(1)),
    }
    return st.fixed_dictionaries({}, optional=fields)


@st.composite
def search_bodies(draw: st.DrawFn) -> bytes:
    return _json_bytes(draw(_search_fields()))


def _encode(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


@st.composite
def query_strings(draw: st.DrawFn) -> bytes:
    pairs: list[str] = []
    for _ in range(draw(st.integers(0, 4))):
        name = draw(st.one_of(st.sampled_from(_PARAMS), _text(10)))
        value = draw(
            st.one_of(filters(), _numbers(), _paths(), _text(), st.sampled_from(["", "%", "%zz"]))
        )
        raw = draw(st.booleans())  # sent as is (only ASCII survives), or percent-encoded
        text = value if raw and value.isascii() else _encode(value)
        pairs.append(f"{_encode(name)}={text}" if draw(st.booleans()) else _encode(name))
    return "&".join(pairs).encode("ascii", "replace")


@st.composite
def raw_paths(draw: st.DrawFn, root: str) -> bytes:
    """Paths under the connector mostly; some under another connector or none."""
    prefix = draw(st.sampled_from([root, root, root, "/ecma2host_other/scim", "/ecma2host_", ""]))
    segment = st.one_of(st.sampled_from(_SEGMENTS), _text(12).map(_encode))
    segments = draw(st.lists(segment, max_size=4))
    return (prefix + "/" + "/".join(segments)).encode("ascii", "replace")


@cache
def _header_pairs() -> st.SearchStrategy[tuple[tuple[bytes, bytes], ...]]:
    names = st.one_of(
        st.sampled_from([b"content-type", b"content-length", b"host", b"authorization", b"accept"]),
        st.binary(min_size=1, max_size=12),
    )
    values = st.one_of(
        st.sampled_from([b"application/scim+json", b"application/json", b"text/plain", b""]),
        st.binary(max_size=60),
    )
    return st.lists(st.tuples(names, values), max_size=4).map(tuple)


def requests(root: str) -> st.SearchStrategy[Request]:
    """Any request to the host, weighted towards the endpoints that parse input."""
    users = f"{root}/Users"
    one = f"{users}/{KNOWN_USER}"
    filtered = st.builds(
        lambda f, extra: Request("GET", users.encode(), f"filter={_encode(f)}".encode() + extra),
        filters(),
        st.sampled_from([b"", b"&count=2", b"&sortBy=userName", b"&attributes=userName"]),
    )
    searched = st.builds(
        lambda body, path: Request("POST", path.encode(), body=body),
        st.one_of(search_bodies(), raw_bodies()),
        st.sampled_from([f"{users}/.search", f"{root}/.search"]),
    )
    patched = st.builds(
        lambda body, chunks: Request("PATCH", one.encode(), body=body, chunks=chunks),
        st.one_of(patch_bodies(), plausible_patches(), plausible_patches(), raw_bodies()),
        st.integers(1, 3),
    )
    written = st.builds(
        lambda method, body, path: Request(method, path.encode(), body=body),
        st.sampled_from(["POST", "PUT"]),
        st.one_of(user_bodies(), plausible_users(), plausible_users(), raw_bodies()),
        st.sampled_from([users, one, f"{users}/nobody"]),
    )
    addressed = st.builds(
        lambda method, path, query, body: Request(method, path, query, body=body),
        st.sampled_from(_METHODS),
        raw_paths(root),
        query_strings(),
        st.one_of(st.just(b""), raw_bodies()),
    )
    headed = st.builds(
        lambda method, headers, body, disconnect: Request(
            method, users.encode(), b"", headers, body, disconnect=disconnect
        ),
        st.sampled_from(["GET", "POST", "PATCH"]),
        _header_pairs(),
        st.one_of(st.just(b""), user_bodies()),
        st.booleans(),
    )
    return st.one_of(filtered, searched, patched, written, addressed, headed)


@st.composite
def authorizations(draw: st.DrawFn) -> bytes | bool:
    """Mostly the connector's token (True), else none (False) or any bytes. (Hypothesis
    favours small integers, and new data over repeats: hence the wide range for True.)"""
    pick = draw(st.integers(0, 99))
    if pick < 90:
        return True
    return False if pick < 95 else draw(st.binary(max_size=40))


# -- the known bad inputs, as requests ------------------------------------------------------


def known_bad(root: str) -> list[Request]:
    """Each known input that was a 500."""
    users = f"{root}/Users"
    deep = b"[" * 1000 + b"]" * 1000
    surrogate_value = b'{"userName": "sur\\ud800", "name": {"givenName": "a", "familyName": "b"}}'
    surrogate_name = f'{{"userName": "s", "{ECMA}": {{"x\\ud800": "1"}}}}'.encode()
    nul_value = b'{"userName": "nul\\u0000", "name": {"givenName": "a", "familyName": "b"}}'

    def get(filter_text: str) -> Request:
        return Request("GET", users.encode(), f"filter={_encode(filter_text)}".encode())

    return [
        Request("POST", users.encode(), body=deep),
        Request("PUT", f"{users}/{KNOWN_USER}".encode(), body=deep),
        Request("PATCH", f"{users}/{KNOWN_USER}".encode(), body=deep),
        Request("POST", f"{users}/.search".encode(), body=deep),
        get("userName eq " + "1" * 5000),
        get(" or ".join(["a pr"] * 1000)),
        get("emails[" + " or ".join(["x pr"] * 400) + "]"),
        Request("POST", users.encode(), body=surrogate_value),
        Request("POST", users.encode(), body=surrogate_name),
        Request("POST", users.encode(), body=nul_value),
    ]
