"""``Host``: every connector of a home behind one ASGI app, with its lifecycle and its status.

``Host.asgi`` is a Starlette app: ``uvicorn.run(host.asgi, …)`` runs its lifespan, which calls
``startup()`` (each connector's first full import and autosync loop start in the background)
and ``shutdown()`` (loops stop, in-flight writes finish, stores close). Routes:

- ``/ecma2host_<connector>/scim/…``: the SCIM endpoints (``ecmactl.host.routes``);
- ``GET /health``: liveness, ``200 ok`` and nothing else;
- ``GET /_ecmactl/status``, ``POST /_ecmactl/sync?connector=NAME``,
  ``POST /_ecmactl/reload`` (``Host.reload``, see ``ecmactl.host.reload``) and
  ``POST /_ecmactl/failover?connector=NAME`` (``Host.failover``: the writer lease): the local
  status channel, guarded by ``admin_token`` (a bearer token, compared in constant time); without an
  admin token these routes do not exist (404).

Everything else answers 404 with a SCIM error body; so does every error, including those
Starlette raises itself (an unroutable target such as ``OPTIONS *``, a method a route does not
take) and an unexpected exception (500, traceback in the log only).
"""

from __future__ import annotations

import asyncio
import dataclasses
import importlib
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Receive, Scope, Send

import ecmactl
from ecmactl.cluster.report import cluster_status
from ecmactl.config.models import Connector, HostSettings
from ecmactl.errors import EcmactlError, UsageError
from ecmactl.home import Home
from ecmactl.host.auth import TokenCheck, bearer_token
from ecmactl.host.http import SCIM_JSON, error_body, log_safe_path
from ecmactl.host.reload import Plan, ReloadResult, plan, read_config
from ecmactl.host.routes import PREFIX, ScimApp
from ecmactl.host.runtime import Runtime, iso, utc_now
from ecmactl.host.sync import Syncer, backoff
from ecmactl.rowstore import RowStore
from ecmactl.status_document import (
    STATUS_SCHEMA_VERSION,
    AuthenticationStatus,
    ConnectorStatus,
    HostStatus,
    MetricsStatus,
    Watermark,
)
from ecmactl.tokens import TokenVerifier, token_matches

if TYPE_CHECKING:
    from ecmactl.cluster.member import ClusterMember
    from ecmactl.cluster.sqlite_claim import SqliteClaims

log = logging.getLogger("ecmactl.host")
WRITE_THREADS = 32  # worker threads for store calls: 16+ concurrent writes, plus imports
SCAN_THREADS = 2  # filters that need a full scan of a large cache
SHUTDOWN_GRACE_S = 30.0
_NO_LEASE = ("not_lease_mode", "not_clustered")  # failover reasons: nothing to hand over
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def open_sql_store(connector: Connector, home: Home) -> RowStore:
    """The connector's SQL store: the table, or its run steps (imported lazily: the host's hot
    path never imports SQLAlchemy)."""
    module = importlib.import_module("ecmactl.sql.routine_rows")
    return cast(RowStore, module.open_store(connector, home))


class _HostApp(Starlette):
    """Starlette (lifespan, health, status routes), with a short cut for the SCIM paths: they
    skip Starlette's middleware and routing, which cost more than answering from the cache."""

    def __init__(self, scim: ScimApp, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._scim = scim

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(PREFIX):
            await self._scim(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


class Host:
    """The embedded SCIM host for a list of connectors."""

    def __init__(
        self,
        home: Home,
        settings: HostSettings,
        connectors: list[Connector],
        *,
        stores: dict[str, RowStore] | None = None,
        admin_token: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        selection: Sequence[str] = (),
        standby: bool = False,
        lease_ttl: float | None = None,
    ) -> None:
        self.home = home
        self.standby, self.lease_ttl = standby, lease_ttl  # the writer lease (--standby)
        self.settings = settings
        self.selection = tuple(selection)  # `host run --connector`; empty: the whole home
        self._stores = stores or {}
        self._admin_token = admin_token
        self._clock = clock
        self._started: tuple[float, datetime] | None = None
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._limiter = anyio.CapacityLimiter(WRITE_THREADS + len(connectors))
        self.host_id = uuid.uuid4().hex[:12]  # this run's name in each database's registry
        self._address = f"{settings.hostname}:{settings.port}"
        # Replaced entry by entry by a reload; the SCIM app reads these same dicts.
        self.runtimes: dict[str, Runtime] = {}
        self.syncers: dict[str, Syncer] = {}
        self.token_checks: dict[str, TokenCheck] = {}
        for connector in connectors:
            self._add(connector)
        self.last_reload: ReloadResult | None = None
        self.metrics: MetricsStatus | None = None  # where metrics are served, if they are
        # `host run`'s locks on SQLite files (one host per file); a reload adds to them.
        self.sqlite_claims: SqliteClaims | None = None
        self._reload_lock = asyncio.Lock()
        self._stopping = False  # shutdown began: a reload must not start loops or open stores
        self._closing: set[asyncio.Task[None]] = set()
        self.scim = ScimApp(
            self.runtimes,
            self.token_checks,
            fallback_host=f"{settings.hostname}:{settings.port}",
            scan_limiter=anyio.CapacityLimiter(SCAN_THREADS),
        )
        routes = [
            Route("/health", _health, methods=["GET", "HEAD"]),
            # Every method routed here and checked inside: a 405, not the catch-all's 404.
            Route("/_ecmactl/status", self._status_route, methods=ALL_METHODS),
            Route("/_ecmactl/sync", self._sync_route, methods=ALL_METHODS),
            Route("/_ecmactl/reload", self._reload_route, methods=ALL_METHODS),
            Route("/_ecmactl/failover", self._failover_route, methods=ALL_METHODS),
            Mount("/", app=self.scim),
        ]
        self.asgi: ASGIApp = _HostApp(
            self.scim,
            routes=routes,
            lifespan=self._lifespan,
            exception_handlers={HTTPException: _http_error, Exception: _server_error},
        )

    @property
    def address(self) -> str:
        """host:port as the registry shows it (``serve`` sets the port it bound)."""
        return self._address

    @address.setter
    def address(self, value: str) -> None:
        self._address = value
        for runtime in self.runtimes.values():
            if runtime.cluster is not None:
                runtime.cluster.address = value

    @property
    def connectors(self) -> list[Connector]:
        return [runtime.connector for runtime in self.runtimes.values()]

    def _add(self, connector: Connector) -> None:
        """A runtime, its syncer and its token check (not started)."""
        name = connector.name
        given = self._stores.get(name)
        opener = _given(given) if given is not None else _sql_opener(connector, self.home)
        member = None
        if given is None:  # a SQL store: on PostgreSQL/MariaDB, one of several hosts
            member = self._cluster_member(connector)
            opener = _joining(member, opener)
        runtime = Runtime(connector, opener, limiter=self._limiter)
        runtime.cluster = member
        self.runtimes[name] = runtime
        self.syncers[name] = Syncer(runtime, self._clock)
        self.token_checks[name] = TokenCheck(
            TokenVerifier(self.home, name), on_error=runtime.record_error
        )

    def _cluster_member(self, connector: Connector) -> ClusterMember:
        from ecmactl.cluster.member import ClusterMember  # brings SQLAlchemy: SQL connectors only

        lease = {"lease_ttl": self.lease_ttl} if self.lease_ttl is not None else {}
        return ClusterMember(
            connector,
            host_id=self.host_id,
            address=self._address,
            version=ecmactl.__version__,
            standby=self.standby,
            **lease,
        )

    def _start(self, name: str) -> None:
        loop = asyncio.get_running_loop()
        member = self.runtimes[name].cluster
        if member is not None:
            member.loop = loop  # before the store opens: the feed delivers onto this loop
        task = loop.create_task(self._loops(self.syncers[name]), name=f"ecmactl-autosync-{name}")
        self._tasks[name] = task

    async def _loops(self, syncer: Syncer) -> None:
        """A connector's background work: its autosync, and its cluster membership."""
        member = syncer.rt.cluster
        if member is None:
            await self._autosync(syncer)
            return
        async with anyio.create_task_group() as group:
            group.start_soon(self._autosync, syncer)
            group.start_soon(self._follow_feed, syncer, member)

    async def _follow_feed(self, syncer: Syncer, member: ClusterMember) -> None:
        failures = 0
        while True:  # ClusterMember.run does not return; this guards against a bug in it
            try:
                await member.run(syncer.rt.refresh_row, syncer.full_import)
            except Exception:
                failures += 1
                log.exception("connector %s: the change feed failed; restarting", syncer.rt.name)
                await anyio.sleep(backoff(failures, syncer.interval))

    async def _retire(self, runtime: Runtime, task: asyncio.Task[None] | None) -> None:
        """Take a replaced or removed connector out of service: its loop stops now; its
        in-flight writes finish and its store closes in the background."""
        runtime.retire()
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        given = runtime.store is not None and runtime.store in self._stores.values()
        # A successor on the same database adopts the writer lease (same host id); with none
        # (removed, or moved to another database) give it up, so a standby takes it at once.
        successor = self.runtimes.get(runtime.name)
        adopted = successor is not None and (
            successor.connector.connectivity.database_url
            == runtime.connector.connectivity.database_url
        )
        closing = asyncio.get_running_loop().create_task(
            _close_when_idle(runtime, close=not given, release_lease=not adopted)
        )
        self._closing.add(closing)
        closing.add_done_callback(self._closing.discard)

    # -- lifecycle ----------------------------------------------------------------------------

    @asynccontextmanager
    async def _lifespan(self, app: Starlette) -> AsyncIterator[None]:
        await self.startup()
        try:
            yield
        finally:
            await self.shutdown()

    async def startup(self) -> None:
        """Start every connector's first import and autosync loop; returns at once."""
        if self._tasks:
            return
        self._stopping = False
        self._started = (self._clock(), utc_now())
        for runtime in self.runtimes.values():
            runtime.stop_flag.clear()  # a host stopped by shutdown() may be started again
        await self.refresh_tokens()  # a token that cannot be read shows in status at once
        for name in self.syncers:
            self._start(name)
        log.info("host started: %d connector(s): %s", len(self.syncers), ", ".join(self.syncers))

    async def _autosync(self, syncer: Syncer) -> None:
        failures = 0
        while True:  # Syncer.run does not return; this guards against a bug in it
            try:
                await syncer.run()
            except Exception:
                failures += 1
                log.exception("connector %s: the autosync loop failed; restarting", syncer.rt.name)
                await anyio.sleep(backoff(failures, syncer.interval))

    async def shutdown(self) -> None:
        """Stop the loops, let in-flight writes finish, close the stores.

        A reload under way ends first (refused if it had not applied yet), so none can start
        a loop or open a store after this."""
        self._stopping = True
        async with self._reload_lock:
            await self._stop()
        log.info("host stopped")

    async def _stop(self) -> None:
        for runtime in self.runtimes.values():
            runtime.stop_flag.set()
        tasks, self._tasks = list(self._tasks.values()), {}
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, *self._closing, return_exceptions=True)
        with anyio.move_on_after(SHUTDOWN_GRACE_S) as scope:
            for runtime in self.runtimes.values():
                await runtime.wait_idle()
        if scope.cancelled_caught:
            log.warning("shutdown: writes still running after %.0f s", SHUTDOWN_GRACE_S)
        for runtime in self.runtimes.values():
            await _leave_cluster(runtime)
            store, runtime.store = runtime.store, None
            if store is None:
                continue
            try:
                await anyio.to_thread.run_sync(store.close)
            except Exception as exc:
                log.warning("connector %s: closing the store failed: %s", runtime.name, exc)

    # -- operations ---------------------------------------------------------------------------

    def _syncer(self, connector: str) -> Syncer:
        syncer = self.syncers.get(connector)
        if syncer is None:
            known = ", ".join(self.syncers) or "none"
            raise UsageError(f"no connector named {connector!r} is served (known: {known})")
        return syncer

    async def sync_now(self, connector: str | None = None) -> dict[str, Any]:
        """Run a full import now (of one connector, or all at once) and wait for it.

        Returns ``{"ok": bool, "connectors": {name: result}}`` with each import's result."""
        names = [connector] if connector is not None else list(self.syncers)
        syncers = [self._syncer(name) for name in names]
        results: dict[str, Any] = {}

        async def run(syncer: Syncer) -> None:
            results[syncer.rt.name] = (await syncer.full_import()).to_dict()

        async with anyio.create_task_group() as group:
            for syncer in syncers:
                group.start_soon(run, syncer)
        ordered = {name: results[name] for name in names}
        return {"ok": all(r["result"] == "ok" for r in ordered.values()), "connectors": ordered}

    async def wait_ready(self, connector: str | None = None) -> None:
        """Wait until the first full import of one connector (or of all) succeeded."""
        names = [connector] if connector is not None else list(self.runtimes)
        for name in names:
            await self._syncer(name).rt.ready.wait()

    async def reload(self) -> ReloadResult:
        """Re-read and validate the home's config; apply it, or keep the old one and say why.

        See ``ecmactl.host.reload``. One reload at a time; the result is kept for status."""
        async with self._reload_lock:
            served = {name: rt.connector for name, rt in self.runtimes.items()}
            try:
                if self._stopping:
                    raise EcmactlError("the host is stopping; the reload was not applied")
                if not self._tasks:
                    raise EcmactlError("the host is not serving yet; try again in a moment")
                new = await anyio.to_thread.run_sync(read_config, self.home, self.selection, served)
                if self._stopping:  # shutdown began while the config was read
                    raise EcmactlError("the host is stopping; the reload was not applied")
                change = plan(self.settings, served, new)
                if self.sqlite_claims is not None:  # SqliteInUse refuses the reload
                    self.sqlite_claims.claim_all(self.home, [*change.added, *change.reimported])
            except EcmactlError as exc:
                log.error("reload refused, the previous config keeps serving: %s", exc.message)
                self.last_reload = ReloadResult(
                    utc_now(), "refused", error=exc.message, hint=exc.hint
                )
                return self.last_reload
            await self._apply(change)
            kept = {key: getattr(self.settings, key) for key in change.restart_needed}
            self.settings = dataclasses.replace(new.settings, **kept)
            self.last_reload = ReloadResult(
                utc_now(), "ok", change.changes, restart_needed=change.restart_needed
            )
            said = ", ".join(f"{k} {', '.join(v)}" for k, v in change.changes.items() if v)
            log.info("reloaded: %s", said or "nothing changed")
            if change.restart_needed:
                log.warning(
                    "restart the host to apply: %s changed", ", ".join(change.restart_needed)
                )
            return self.last_reload

    async def _apply(self, change: Plan) -> None:
        """Swap entries without an ``await`` between removing and adding one: a request finds
        the old runtime or the new one, never none."""
        for connector in change.updated:
            runtime = self.runtimes[connector.name]
            if connector.autosync_minutes != runtime.connector.autosync_minutes:
                self.syncers[connector.name].set_interval(connector.autosync_minutes)
            runtime.connector = connector
        retired = []
        for name in change.removed:
            self.syncers.pop(name)
            self.token_checks.pop(name)
            retired.append((self.runtimes.pop(name), self._tasks.pop(name, None)))
        for connector in [*change.reimported, *change.added]:
            if connector.name in self.runtimes:
                old = self.runtimes[connector.name], self._tasks.pop(connector.name, None)
                retired.append(old)
            self._add(connector)
            self._start(connector.name)
        self.scim.forget_discovery()
        for runtime, task in retired:
            await self._retire(runtime, task)
        for connector in [*change.reimported, *change.added]:
            await self.token_checks[connector.name].refresh()

    async def failover(
        self, connector: str | None = None, *, active_active: bool = False
    ) -> dict[str, Any]:
        """Hand the writer lease to a standby (on the holder) or take it (on a standby), for
        one connector or each one in lease mode; with ``active_active`` end lease mode
        instead. ``{"ok", "connectors": {name: result}}``; a result is the member's answer,
        or ``{"error", "reason"}``."""
        names = [connector] if connector is not None else list(self.runtimes)
        results: dict[str, Any] = {}
        for name in names:
            runtime = self._syncer(name).rt
            member = runtime.cluster
            if member is None:
                results[name] = {
                    "error": f"connector {name} is not on PostgreSQL or MariaDB (no writer lease)",
                    "reason": "not_clustered",
                }
                continue
            try:
                if active_active:
                    results[name] = await member.end_lease_mode()
                else:
                    results[name] = await member.failover(runtime.wait_idle)
            except EcmactlError as exc:
                results[name] = {"error": exc.message, "reason": getattr(exc, "reason", "error")}
        if connector is None:  # every connector: those without a lease are left out, unless
            # none has one (then each says why)
            leased = {n: r for n, r in results.items() if r.get("reason") not in _NO_LEASE}
            results = leased or results
        return {"ok": all("error" not in r for r in results.values()), "connectors": results}

    @property
    def started_at(self) -> datetime | None:
        return self._started[1] if self._started else None

    def status(self) -> HostStatus:
        """What `host status` / `agent status` show; JSON-ready, never a secret."""
        started = self._started
        document: HostStatus = {
            "schema_version": STATUS_SCHEMA_VERSION,
            "version": ecmactl.__version__,
            "started": iso(started[1]) if started else None,
            "uptime_s": round(self._clock() - started[0], 1) if started else None,
            "serves_all": not self.selection,
            "reload": self.last_reload.to_dict() if self.last_reload else None,
            "connectors": {name: self._connector_status(s) for name, s in self.syncers.items()},
            "cluster": cluster_status(
                self.host_id, {name: rt.cluster for name, rt in self.runtimes.items()}
            ),
        }
        if self.metrics is not None:
            document["metrics"] = self.metrics
        return document

    def _connector_status(self, syncer: Syncer) -> ConnectorStatus:
        rt = syncer.rt
        cache = rt.cache
        last = rt.last_error
        client = rt.last_client_error
        current = syncer.current
        running = current if current is not None and current.result == "running" else None
        return {
            "name": rt.name,
            "scim_path": rt.connector.scim_path,
            "state": rt.state,
            "cache_loaded": cache is not None,
            "cache_size": len(cache) if cache is not None else 0,
            "indexes": sorted(f"{c}{'' if exact else ' (ci)'}" for c, exact in cache.index_specs)
            if cache is not None
            else [],
            "autosync_minutes": rt.connector.autosync_minutes,
            "next_sync_at": iso(syncer.next_sync_at()) if rt.name in self._tasks else None,
            "import_running": running is not None,
            "imported_rows": running.rows if running is not None else None,
            "import_total": running.total if running is not None else None,
            "import_total_exact": running.total_exact if running is not None else None,
            "last_full_import": syncer.last_full.to_dict() if syncer.last_full else None,
            "last_delta_import": syncer.last_delta.to_dict() if syncer.last_delta else None,
            "delta": {
                "strategy": rt.connector.global_.delta_strategy,
                "enabled": syncer.delta_enabled,
                "watermark": _json_value(syncer.watermark),
            },
            "consecutive_failures": syncer.failures,
            "database_reachable": rt.database_reachable,
            "authentication": _authentication(self.token_checks.get(rt.name)),
            "requests": dict(rt.requests),
            "last_error": {"message": last[0], "at": iso(last[1])} if last else None,
            "last_client_error": {"message": client[0], "at": iso(client[1])} if client else None,
        }

    # -- the status channel ---------------------------------------------------------------------

    def _admin_denied(self, request: Request) -> Response | None:
        if self._admin_token is None:
            return scim_error(404, f"No SCIM endpoint at {log_safe_path(request.scope)}")
        token = bearer_token(request.headers.get("authorization", "").encode("latin-1"))
        if token is not None and token_matches(token, [self._admin_token]):
            return None
        return scim_error(
            401,
            "Missing or invalid admin token",
            {"WWW-Authenticate": 'Bearer realm="ecmactl-admin"'},
        )

    async def refresh_tokens(self) -> None:
        """Read every connector's token now; a failure is in the status, not raised."""
        async with anyio.create_task_group() as group:
            for check in self.token_checks.values():
                group.start_soon(check.refresh)

    async def _status_route(self, request: Request) -> Response:
        denied = self._admin_denied(request) or _only(request, "GET", "HEAD")
        if denied is not None:
            return denied
        await self.refresh_tokens()  # status tells whether each connector can authenticate now
        return JSONResponse(self.status())

    async def _reload_route(self, request: Request) -> Response:
        denied = self._admin_denied(request) or _only(request, "POST")
        return denied or JSONResponse((await self.reload()).to_dict())

    async def _failover_route(self, request: Request) -> Response:
        denied = self._admin_denied(request) or _only(request, "POST")
        if denied is not None:
            return denied
        name = request.query_params.get("connector") or None
        active_active = request.query_params.get("mode") == "active-active"
        try:
            result = await self.failover(name, active_active=active_active)
        except UsageError as exc:
            return scim_error(404, exc.message)
        return JSONResponse(result)

    async def _sync_route(self, request: Request) -> Response:
        denied = self._admin_denied(request) or _only(request, "POST")
        if denied is not None:
            return denied
        name = request.query_params.get("connector") or None
        try:
            result = await self.sync_now(name)
        except UsageError as exc:
            return scim_error(404, exc.message)
        return JSONResponse(result)


def _only(request: Request, *methods: str) -> Response | None:
    if request.method in methods:
        return None
    return scim_error(
        405, f"Method {request.method} is not allowed here", {"Allow": ", ".join(methods)}
    )


def scim_error(status: int, detail: str, headers: Mapping[str, str] | None = None) -> Response:
    """A SCIM error document (RFC 7644 §3.12) as a Starlette response."""
    return Response(error_body(status, detail), status, headers, media_type=SCIM_JSON.decode())


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404 (no route: ``OPTIONS *``) and 405, as SCIM errors."""
    assert isinstance(exc, HTTPException)
    detail = exc.detail
    if exc.status_code == 404:
        detail = f"No SCIM endpoint at {log_safe_path(request.scope)}"
    return scim_error(exc.status_code, detail, exc.headers)


async def _server_error(request: Request, exc: Exception) -> Response:
    """A bug: Starlette logs the traceback; the client gets a generic SCIM 500."""
    return scim_error(500, "The host failed to answer; see the host log")


async def _health(request: Request) -> Response:
    return PlainTextResponse("ok")


def _authentication(check: TokenCheck | None) -> AuthenticationStatus:
    error = check.error if check is not None else None
    return {"ok": error is None, "error": error}


async def _close_when_idle(runtime: Runtime, *, close: bool, release_lease: bool) -> None:
    """A retired runtime's store, once its in-flight writes are done (a store the host was
    given, not opened, is its owner's to close); its writer lease is kept when a successor on
    this host adopted it."""
    with anyio.move_on_after(SHUTDOWN_GRACE_S):
        await runtime.wait_idle()
    await _leave_cluster(runtime, release_lease=release_lease)
    store, runtime.store = runtime.store, None
    if store is not None and close:
        try:
            await anyio.to_thread.run_sync(store.close)
        except Exception as exc:
            log.warning("connector %s: closing the store failed: %s", runtime.name, exc)


async def _leave_cluster(runtime: Runtime, *, release_lease: bool = True) -> None:
    """Stop following the feed and leave the registry (before the store closes); at shutdown
    give the writer lease up so a standby takes it at once."""
    member = runtime.cluster
    if member is None:
        return
    try:
        await anyio.to_thread.run_sync(lambda: member.close(release_lease=release_lease))
    except Exception as exc:  # its registry row goes stale and the other hosts prune it
        log.warning("connector %s: leaving the cluster failed: %s", runtime.name, exc)


def _joining(member: ClusterMember, opener: Callable[[], RowStore]) -> Callable[[], RowStore]:
    return lambda: member.attach(opener())


def _given(store: RowStore) -> Callable[[], RowStore]:
    return lambda: store


def _sql_opener(connector: Connector, home: Home) -> Callable[[], RowStore]:
    return lambda: open_sql_store(connector, home)


def _json_value(value: Any) -> Watermark:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return iso(value) if value.tzinfo else value.isoformat(timespec="milliseconds")
    return str(value)
