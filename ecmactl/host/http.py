"""Plain-ASGI request and response helpers for the SCIM hot path (no Starlette objects).

A Starlette ``Request``/``Response`` pair costs more than the whole cache lookup of a filtered
GET, so the SCIM routes read the ASGI scope directly and answer with a ``Reply``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote_plus

from starlette.types import Receive, Scope, Send

from ecmactl.config.models import scim_path
from ecmactl.host.json_body import parse_json
from ecmactl.scim.errors import ScimError

SCIM_JSON = b"application/scim+json"
MAX_BODY = 1 << 20  # 1 MiB: a SCIM User is a few KB; Entra sends one user per request
RETRY_AFTER = b"30"
RETRY_AFTER_LEASE = b"5"  # a standby's 503: the writer lease moves within seconds

Headers = list[tuple[bytes, bytes]]


@dataclass(slots=True)
class Reply:
    """What a handler answers: status, body bytes, extra headers, and the anchor to log."""

    status: int
    body: bytes = b""
    headers: Headers = field(default_factory=list)
    anchor: str | None = None
    content_type: bytes | None = SCIM_JSON


def json_bytes(document: Any) -> bytes:
    # backslashreplace: a lone surrogate that got this far (in an error detail quoting the
    # request) becomes the JSON escape "\\ud800" instead of a UnicodeEncodeError; no error
    # document can fail to encode.
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "backslashreplace")


def error_body(status: int, detail: str) -> bytes:
    """The bytes of a SCIM error document (RFC 7644 §3.12): one shape for every layer that
    answers an error (the routes, Starlette's handlers, the HTTP protocol itself)."""
    return json_bytes(ScimError(status, None, detail).to_document())


def error_reply(error: ScimError, headers: Headers | None = None) -> Reply:
    return Reply(error.status, json_bytes(error.to_document()), headers or [])


def not_allowed(method: str, endpoint: str, allow: str) -> Reply:
    error = ScimError(405, None, f"Method {method} is not allowed on {endpoint}; allowed: {allow}")
    return error_reply(error, [(b"allow", allow.encode())])


async def send_reply(send: Send, reply: Reply, head_only: bool = False) -> None:
    headers: Headers = []
    if reply.content_type is not None and reply.body:
        headers.append((b"content-type", reply.content_type))
    headers.append((b"content-length", str(len(reply.body)).encode()))
    headers.extend(reply.headers)
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head_only else reply.body})


def header(scope: Scope, name: bytes) -> bytes | None:
    """The first value of a (lower-case) request header."""
    for key, value in scope["headers"]:
        if key == name:
            return value  # type: ignore[no-any-return]
    return None


def log_safe_path(scope: Scope) -> str:
    """The request path as sent (percent-encoded): no control character reaches a log line."""
    raw = scope.get("raw_path")
    if isinstance(raw, bytes) and raw:
        return raw.partition(b"?")[0].decode("ascii", "replace")
    return quote(scope["path"], safe="/:@!$&'()*+,;=-._~")


def query_params(scope: Scope) -> dict[str, str]:
    """Query parameters by lower-cased name (last one wins); values URL-decoded, ``+`` = space.

    Unknown parameters, such as Entra's feature flags (``aadOptscim062020``), are kept and
    ignored by the handlers. (``parse_qsl`` does the same at three times the cost.)"""
    raw: bytes = scope.get("query_string", b"")
    if not raw:
        return {}
    params: dict[str, str] = {}
    for part in raw.decode("utf-8", "replace").split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        if "%" in key or "+" in key:
            key = unquote_plus(key)
        if "%" in value or "+" in value:
            value = unquote_plus(value)
        params[key.lower()] = value
    return params


def param_names(scope: Scope) -> str:
    """The names of the query parameters, for the access log (values can hold user names)."""
    raw: bytes = scope.get("query_string", b"")
    if not raw:
        return ""
    names = (p.partition(b"=")[0] for p in raw.split(b"&") if p)
    return ",".join(dict.fromkeys(n.decode("ascii", "replace")[:40] for n in names))


def check_content_length(scope: Scope) -> None:
    """Refuse a body announced larger than MAX_BODY before reading any of it (413)."""
    declared = header(scope, b"content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY:
        raise _too_large()


def _too_large() -> ScimError:
    mib = f"{MAX_BODY / (1 << 20):g} MiB"
    return ScimError(413, None, f"The request body is larger than {MAX_BODY} bytes ({mib})")


async def read_body(receive: Receive) -> bytes:
    """The whole body, refused with 413 as soon as it grows past MAX_BODY (chunked or not)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ScimError(400, "invalidSyntax", "The client disconnected during the request")
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            raise _too_large()
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def read_json(receive: Receive) -> Any:
    """The JSON request body (``application/scim+json`` or ``application/json``)."""
    return parse_json(await read_body(receive))


def base_url(scope: Scope, connector_name: str, fallback_host: str) -> str:
    """The SCIM root as the client addressed it: ``https://<Host header>/ecma2host_<n>/scim``."""
    host = header(scope, b"host")
    authority = host.decode("latin-1") if host else fallback_host
    scheme = scope.get("scheme", "https")
    root = scope.get("root_path", "")
    return f"{scheme}://{authority}{root}{scim_path(connector_name)}"


def join_list(items: Iterable[bytes], total: int, start_index: int, count: int) -> bytes:
    """A ListResponse around already-encoded resources (the field order of list_response)."""
    return b"".join(
        (
            b'{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":',
            str(total).encode(),
            b',"startIndex":',
            str(start_index).encode(),
            b',"itemsPerPage":',
            str(count).encode(),
            b',"Resources":[',
            b",".join(items),
            b"]}",
        )
    )
