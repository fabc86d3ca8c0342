"""The SCIM endpoints of every connector, as one plain ASGI app.

``/ecma2host_<connector>/scim/…``: ``Users``, ``Users/.search`` (and ``/.search``),
``Users/{id}``, ``ServiceProviderConfig``, ``ResourceTypes[/{id}]``, ``Schemas[/{id}]``;
endpoint names are matched case-insensitively, a trailing slash is ignored. The connector name
is case-sensitive, as in Microsoft's host: a Tenant URL that works here works there too.

Order of checks, and why:

1. an unknown connector is 404 with a SCIM error naming only the path that was asked for (the
   known connectors are not listed: the caller is not authenticated yet);
2. the connector's bearer token (constant-time, rotation grace included), else 401 with
   ``WWW-Authenticate: Bearer``: nothing else about the connector is revealed without it;
3. unknown paths under the connector are 404, wrong methods 405 with ``Allow``;
4. ``/Users`` answers 503 + Retry-After while the first import has not completed (Entra's
   "The ECMA host is currently importing data from the target application"); discovery answers.

Every error is a SCIM error document (RFC 7644 §3.12); an unexpected exception is a 500 with a
generic detail and a traceback in the host log, never in the response.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import anyio
from starlette.types import Receive, Scope, Send

from ecmactl.config.models import ECMA_EXTENSION_URN
from ecmactl.errors import EcmactlError
from ecmactl.host import users
from ecmactl.host.auth import bearer_token
from ecmactl.host.http import (
    RETRY_AFTER,
    RETRY_AFTER_LEASE,
    Reply,
    base_url,
    check_content_length,
    error_reply,
    header,
    json_bytes,
    log_safe_path,
    not_allowed,
    param_names,
    query_params,
    send_reply,
)
from ecmactl.host.logs import access_log, log_body, log_request, scrub
from ecmactl.host.runtime import Runtime, RuntimeRetired
from ecmactl.rowstore import (
    ConstraintViolation,
    DatabaseUnavailable,
    NotWriter,
    StoreError,
    UniqueViolation,
)
from ecmactl.scim import ScimError, list_response, resource_types, schemas, service_provider_config
from ecmactl.scim import core_schema as core

log = logging.getLogger("ecmactl.host")
PREFIX = "/ecma2host_"
Verifier = Callable[[str], Awaitable[bool]]
ROLE_HEADER = b"x-ecmactl-role"  # "standby" on a standby's answers (a writer lease elsewhere)
IMPORTING = "The ECMA host is currently importing data from the target application"
_REASONS = {
    "not_null": "is required (NOT NULL)",
    "too_long": "is too long for the column",
    "invalid_value": "has a value the column cannot hold",
    "foreign_key": "refers to a row that does not exist (foreign key)",
    "check": "breaks a CHECK constraint",
    "raised": "was refused by the database",
    "other": "was refused",
}


_ONE_USER: dict[str, Callable[[users.Call, str], Awaitable[Reply]]] = {
    "GET": users.get_user,
    "HEAD": users.get_user,
    "PUT": users.replace_user,
    "PATCH": users.patch_user,
    "DELETE": users.delete_user,
}


class ScimApp:
    """Dispatches ``/ecma2host_<name>/scim/…`` to the connector's runtime."""

    def __init__(
        self,
        runtimes: dict[str, Runtime],
        verifiers: Mapping[str, Verifier],
        *,
        fallback_host: str,
        scan_limiter: anyio.CapacityLimiter,
    ) -> None:
        self.runtimes = runtimes
        self.verifiers = verifiers
        self.fallback_host = fallback_host
        self.scan_limiter = scan_limiter
        self._discovery: dict[tuple[str, str], bytes] = {}
        # (connector, method, status, seconds) of each answered request: the metrics' hook.
        self.observe: Callable[[str, str, int, float], None] | None = None

    def forget_discovery(self) -> None:
        """Drop the cached discovery documents (a reload may have changed a schema)."""
        self._discovery.clear()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        started = time.perf_counter()
        method: str = scope["method"]
        path: str = scope["path"]
        runtime: Runtime | None = None
        tail = ""
        if path.startswith(PREFIX):
            name, _, tail = path[len(PREFIX) :].partition("/")
            runtime = self._runtime(name)
        reply: Reply
        try:
            if runtime is None:
                reply = self._no_connector(path)
            else:
                reply = await self._handle(runtime, scope, receive, method, tail)
                if runtime.cluster is not None and runtime.cluster.role == "standby":
                    reply.headers.append((ROLE_HEADER, b"standby"))  # for `test-connection`
        except Exception as exc:
            reply = self._failure(exc, runtime, scope)
        if runtime is not None:
            runtime.count(reply.status)
        await send_reply(send, reply, head_only=method == "HEAD")
        if self.observe is not None and runtime is not None:
            self.observe(runtime.name, method, reply.status, time.perf_counter() - started)
        if access_log.isEnabledFor(logging.INFO):
            log_request(
                runtime.name if runtime is not None else None,
                method,
                log_safe_path(scope),
                param_names(scope),
                reply.status,
                (time.perf_counter() - started) * 1000.0,
                reply.anchor,
            )

    def _runtime(self, name: str) -> Runtime | None:
        return self.runtimes.get(name)

    @staticmethod
    def _no_connector(path: str) -> Reply:
        if not path.startswith(PREFIX):
            return error_reply(ScimError(404, None, f"No SCIM endpoint at {path}"))
        name = path[len(PREFIX) :].partition("/")[0]
        detail = f"No connector is served at {PREFIX}{name}/scim (check the connector name)"
        return error_reply(ScimError(404, None, detail))

    async def _handle(
        self, runtime: Runtime, scope: Scope, receive: Receive, method: str, tail: str
    ) -> Reply:
        denied = await self._check_token(runtime, scope)
        if denied is not None:
            return denied
        if tail != "scim" and not tail.startswith("scim/"):
            return error_reply(ScimError(404, None, f"No SCIM endpoint at {scope['path']}"))
        segments = [s for s in tail[5:].split("/") if s] if len(tail) > 5 else []
        return await self._route(runtime, scope, receive, method, segments)

    async def _check_token(self, runtime: Runtime, scope: Scope) -> Reply | None:
        token = bearer_token(header(scope, b"authorization"))
        try:
            ok = token is not None and await self.verifiers[runtime.name](token)
        except EcmactlError:  # the token cannot be read (file gone, keyring locked…): logged
            detail = "The host cannot read this connector's secret token; see `host status`"
            return error_reply(ScimError(503, None, detail), [(b"retry-after", RETRY_AFTER)])
        if ok:
            return None
        challenge = b'Bearer realm="ecmactl"'
        if token:
            challenge += b', error="invalid_token"'
        error = ScimError(
            401, None, "Missing or invalid bearer token (the connector's secret token)"
        )
        return error_reply(error, [(b"www-authenticate", challenge)])

    async def _route(
        self, runtime: Runtime, scope: Scope, receive: Receive, method: str, segments: list[str]
    ) -> Reply:
        if not segments:
            return error_reply(ScimError(404, None, "No resource at the SCIM root; try /Users"))
        endpoint = segments[0].lower()
        if endpoint == "users":
            return await self._users(runtime, scope, receive, method, segments[1:])
        if segments == [".search"]:  # RFC 7644 §3.4.3: a search at the root; Users is all
            return await self._users(runtime, scope, receive, method, segments)
        if endpoint in ("serviceproviderconfig", "resourcetypes", "schemas"):
            return self._discover(runtime, scope, method, endpoint, segments[1:])
        return error_reply(ScimError(404, None, f"No SCIM endpoint /{'/'.join(segments)}"))

    async def _users(
        self, runtime: Runtime, scope: Scope, receive: Receive, method: str, rest: list[str]
    ) -> Reply:
        if runtime.cache is None:
            detail = f"{IMPORTING} (connector {runtime.name}); retry later"
            if runtime.sync_failed:
                detail = f"{IMPORTING}: the first import has not succeeded yet, retrying"
            return error_reply(ScimError(503, None, detail), [(b"retry-after", RETRY_AFTER)])
        if method in ("POST", "PUT", "PATCH"):
            check_content_length(scope)
            receive = _logging_receive(receive, runtime.name, method, scope)
        call = users.Call(
            receive,
            runtime,
            runtime.cache,
            base_url(scope, runtime.name, self.fallback_host),
            query_params(scope),
            self.scan_limiter,
        )
        if not rest:
            if method in ("GET", "HEAD"):
                return await users.list_users(call)
            if method == "POST":
                return await users.create_user(call)
            return not_allowed(method, "/Users", "GET, POST")
        if rest == [".search"]:
            if method == "POST":
                return await users.search_users(call)
            return not_allowed(method, "/Users/.search", "POST")
        handler = _ONE_USER.get(method)
        if handler is None:
            return not_allowed(method, "/Users/{id}", "GET, PUT, PATCH, DELETE")
        return await handler(call, "/".join(rest))  # an anchor may hold a slash (sent as %2F)

    def _discover(
        self, runtime: Runtime, scope: Scope, method: str, endpoint: str, rest: list[str]
    ) -> Reply:
        names = {"serviceproviderconfig": "ServiceProviderConfig"}
        shown = names.get(endpoint, endpoint.capitalize().replace("types", "Types"))
        if method not in ("GET", "HEAD"):
            return not_allowed(method, f"/{shown}", "GET")
        base = base_url(scope, runtime.name, self.fallback_host)
        if endpoint == "serviceproviderconfig":
            if rest:
                return error_reply(ScimError(404, None, f"No SCIM endpoint /{shown}/{rest[0]}"))
            return Reply(200, self._document(base, "spc", lambda: service_provider_config(base)))
        build = schemas if endpoint == "schemas" else resource_types
        if not rest:

            def listed() -> dict[str, Any]:
                docs = build(runtime.mapping, base)
                return list_response(docs, len(docs))

            return Reply(200, self._document(base, endpoint, listed))
        wanted = "/".join(rest).lower()
        for doc in build(runtime.mapping, base):
            if str(doc["id"]).lower() == wanted:
                return Reply(200, json_bytes(doc))
        return error_reply(ScimError(404, None, f"No {shown} resource with id {'/'.join(rest)}"))

    def _document(self, base: str, key: str, build: Callable[[], Any]) -> bytes:
        cached = self._discovery.get((base, key))
        if cached is None:
            cached = json_bytes(build())
            if len(self._discovery) < 64:
                self._discovery[(base, key)] = cached
        return cached

    # -- failures -------------------------------------------------------------------------------

    def _failure(self, exc: Exception, runtime: Runtime | None, scope: Scope) -> Reply:
        if isinstance(exc, ScimError):
            return error_reply(exc)
        if isinstance(exc, DatabaseUnavailable):
            detail = "The database cannot be reached; nothing was written. Retry later."
            return error_reply(ScimError(503, None, detail), [(b"retry-after", RETRY_AFTER)])
        if isinstance(exc, NotWriter):  # a standby, or a holder whose lease lapsed: retry soon
            retry = [(b"retry-after", RETRY_AFTER_LEASE)]
            return error_reply(ScimError(503, None, str(exc)), retry)
        if isinstance(exc, RuntimeRetired):  # the request began before a reload swapped it
            detail = "The connector's configuration was reloaded; nothing was written. Retry."
            return error_reply(ScimError(503, None, detail), [(b"retry-after", RETRY_AFTER)])
        if isinstance(exc, UniqueViolation):
            where = _column_names(runtime, exc.column)
            detail = f"A user with this {where} already exists" if where else str(exc)
            return self._client_error(runtime, ScimError(409, "uniqueness", detail))
        if isinstance(exc, ConstraintViolation):
            # invalidValue, not invalidSyntax: the body was well-formed SCIM; the database
            # refused a value (RFC 7644 §3.12: "not compatible with the … attribute type").
            reason = _REASONS.get(exc.kind, "was refused")
            where = _column_names(runtime, exc.column) or "a column"
            detail = f"The database refused the write: {where} {reason}: {scrub(str(exc))}"
            if exc.kind == "raised":  # a procedure's own message says what is wrong
                detail = f"The database refused the write: {scrub(str(exc))}"
            return self._client_error(runtime, ScimError(400, "invalidValue", detail))
        if isinstance(exc, StoreError):
            message = scrub(str(exc))
            if runtime is not None:
                runtime.record_error(f"store error: {message}")
            log.error("store error on %s %s: %s", scope["method"], log_safe_path(scope), message)
            return error_reply(ScimError(500, None, f"The database write failed: {message}"))
        if runtime is not None:
            runtime.record_error(f"internal error: {type(exc).__name__}: {scrub(str(exc))}")
        log.error("internal error on %s %s", scope["method"], log_safe_path(scope), exc_info=exc)
        return error_reply(ScimError(500, None, "Internal error in the host; see the host log"))

    @staticmethod
    def _client_error(runtime: Runtime | None, error: ScimError) -> Reply:
        if runtime is not None:
            runtime.record_error(error.detail, client=True)
        return error_reply(error)


def _column_names(runtime: Runtime | None, column: str | None) -> str:
    """``name.givenName / urn:…:FirstName (column FirstName)`` for an error detail."""
    if column is None:
        return ""
    if runtime is None:
        return f"column {column}"
    names = [
        core.canonical_path(b.path)
        for b in runtime.mapping.bindings
        if b.column.name.lower() == column.lower()
    ]
    if any(c.name.lower() == column.lower() for c in runtime.mapping.columns):
        names.append(f"{ECMA_EXTENSION_URN}:{column}")
    return f"{' / '.join(names)} (column {column})" if names else f"column {column}"


def _logging_receive(receive: Receive, connector: str, method: str, scope: Scope) -> Receive:
    """Wrap ``receive`` to log the request body at DEBUG (masked) once it is read."""
    if not access_log.isEnabledFor(logging.DEBUG):
        return receive
    chunks: list[bytes] = []

    async def wrapped() -> Any:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            log_body(connector, method, log_safe_path(scope), b"".join(chunks))
        return message

    return wrapped
