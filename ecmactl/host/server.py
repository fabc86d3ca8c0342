"""`ecmactl host run`: serve every connector of a home over HTTPS with uvicorn, in the foreground.

Two steps, so that every foreseeable failure is a one-line error before anything is served:

``prepare`` loads the settings and connectors (every field checked), takes the home's
single-instance lock (``instance``: of two hosts started at once, exactly one serves; a second
one says so before any slow check), loads the certificate (the reloading TLS context: TLS 1.2+,
a renewed certificate is served from the next connection), reads each connector's secret token
and checks its columns against the live table (``preflight``; a database that is down is left
to the host's retries), and binds the listening socket itself, so "port in use", "permission
denied" and "not an address of this machine" are ours and immediate.

``serve`` builds the Host, writes the local channel's run files (see ``runfile``), runs uvicorn on
the bound socket until SIGTERM or SIGINT, and removes the run files. The ``[limits]`` of
settings.toml are enforced by ``listener`` (connection cap, TLS handshake timeout) and
``edge_protocol`` (request head size, header count, head timeout). uvicorn's shutdown is
graceful: it stops accepting, lets in-flight requests finish (up to ``graceful_timeout``), then
runs the Host's lifespan shutdown. A stop by signal exits 0, which systemd counts as clean
(``uvicorn_server``: uvicorn itself would re-raise the signal).

Where this reaches into uvicorn beyond its documented options, the override lives in a module of
its own that says what it replaces and why: ``uvicorn_server`` (signal handling), ``listener``
(``loop.create_server``) and ``edge_protocol`` (the httptools protocol). pyproject.toml bounds
uvicorn and httptools to the versions checked; ``tests/host/test_library_seams.py`` fails, naming
the override, when their internals change.

Nothing here prints: the CLI renders ``PreparedHost`` as the banner; the rest goes to logging.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import uvicorn

from ecmactl import __version__
from ecmactl.cluster.sqlite_claim import SqliteClaims, claim_sqlite_databases
from ecmactl.config import models
from ecmactl.errors import ConfigError, EcmactlError, UsageError
from ecmactl.exit_codes import ExitCode
from ecmactl.home import Home
from ecmactl.host import instance, listener, metrics_server, runfile
from ecmactl.host.edge_protocol import protocol_class
from ecmactl.host.fdlimit import fit_connection_cap
from ecmactl.host.uvicorn_server import CleanExitServer
from ecmactl.invocation import command
from ecmactl.status_document import HostStatus

if TYPE_CHECKING:
    from ecmactl.certs.checks import Problem
    from ecmactl.certs.tls import ReloadingTLSContext
    from ecmactl.config.models import Connector, HostSettings

log = logging.getLogger("ecmactl.host.server")

DEFAULT_GRACEFUL_TIMEOUT = 30  # seconds for in-flight requests at shutdown (unit: TimeoutStopSec)
_WATCH_INTERVAL = 0.1
ASGIApp = Callable[..., Any]


_CLUSTERED_URLS = ("postgresql", "postgres", "mysql", "mariadb")


class HostLike(Protocol):
    """What the runner needs from ``ecmactl.host.Host``."""

    @property
    def asgi(self) -> ASGIApp: ...

    def status(self) -> HostStatus: ...


HostFactory = Callable[..., HostLike]


class HostStartError(EcmactlError):
    """The host could not start serving (the message says why)."""


@dataclass
class RunOptions:
    """``host run``'s flags; None means "from the settings"."""

    port: int | None = None
    bind: str | None = None
    connectors: Sequence[str] = ()
    no_retry: bool = False
    graceful_timeout: int = DEFAULT_GRACEFUL_TIMEOUT
    standby: bool = False  # writer lease mode: answer writes 503 until it holds the lease
    lease_ttl: float | None = None  # seconds; None: ecmactl.cluster.lease.DEFAULT_TTL_S


@dataclass
class PreparedHost:
    """Everything checked and bound; ``serve`` cannot fail for a reason the user could fix."""

    home: Home
    settings: HostSettings
    connectors: list[Connector]
    tls: ReloadingTLSContext
    sock: socket.socket
    bind: str
    port: int
    options: RunOptions
    max_connections: int  # limits.max_connections, lowered if the open-file limit is too low
    admin_token: str = field(default_factory=runfile.new_admin_token, repr=False)
    warnings: list[str] = field(default_factory=list)
    lock: instance.InstanceLock | None = None  # this home's single-instance lock, held
    sqlite_claims: SqliteClaims | None = None  # SQLite serves one host: its files, locked
    # None: metrics off; MetricsUnavailable: on, but the port could not be bound (a warning)
    metrics: metrics_server.MetricsSocket | metrics_server.MetricsUnavailable | None = None

    def close(self) -> None:
        """Give back what ``prepare`` took (the sockets, the lock) when not serving after all."""
        with contextlib.suppress(OSError):
            self.sock.close()
        if isinstance(self.metrics, metrics_server.MetricsSocket):
            with contextlib.suppress(OSError):
                self.metrics.sock.close()
        if self.lock is not None:
            self.lock.release()
        if self.sqlite_claims is not None:
            self.sqlite_claims.release()

    def tenant_url(self, connector: str) -> str:
        return models.tenant_url(self.settings.hostname, self.port, connector)

    @property
    def listen_url(self) -> str:
        host = f"[{self.bind}]" if ":" in self.bind else self.bind
        return f"https://{host}:{self.port}"

    def run_info(self) -> runfile.RunInfo:
        return runfile.RunInfo(
            pid=os.getpid(),
            bind=self.bind,
            port=self.port,
            hostname=self.settings.hostname,
            started_at=datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
            version=__version__,
            connectors=[c.name for c in self.connectors],
            certificate=str(self.tls.cert_path),
        )


def prepare(home: Home, options: RunOptions) -> PreparedHost:
    """Load and check everything, and bind the socket; raise an EcmactlError with the fix."""
    from ecmactl.config.store import load_connector, load_settings
    from ecmactl.host.preflight import check_schema
    from ecmactl.tokens import require_token

    hold_sighup()  # before the slow checks: a `systemctl reload` now must not kill the start
    settings = load_settings(home)
    names = list(dict.fromkeys(options.connectors)) or home.connector_names()
    if not names:
        raise ConfigError(
            f"there is no connector in {home.root} to serve",
            hint=f"Create one with `{command('init')}` (or "
            f"`{command('init', '--sample', '--no-input')}`).",
        )
    connectors = [load_connector(home, name) for name in names]
    # Atomic: of two hosts started at once, one gets it. Taken once the home is known to be one
    # (its files parsed) and before the slow checks, so a second start says so at once.
    lock = instance.acquire(home)
    claims: SqliteClaims | None = None
    try:
        tls = load_tls(home, settings)  # first: local and cheap, no connector serves without it
        schema_warnings: list[str] = []
        for connector in connectors:  # never serve a connector whose requests would all fail
            require_token(home, connector)
            schema_warnings += check_schema(home, connector)
        warnings = certificate_warnings(home, settings) + schema_warnings
        budget = fit_connection_cap(settings.limits.max_connections, len(connectors))
        if budget.note is not None:
            warnings.append(budget.note)
        bind = options.bind if options.bind is not None else settings.bind_address
        port = options.port if options.port is not None else settings.port
        sock = bind_socket(bind, port, from_flag=options.bind is not None)
        port = sock.getsockname()[1]  # the real one when 0 was asked for
        try:
            metrics, metrics_warnings = metrics_server.bind(settings.metrics)
        except BaseException:
            sock.close()
            raise
        warnings += metrics_warnings + standby_warnings(connectors, options.standby)
        prepared = PreparedHost(
            home,
            settings,
            connectors,
            tls,
            sock,
            bind,
            port,
            options,
            budget.max_connections,
            warnings=warnings,
            metrics=metrics,
        )
        lock.describe(f"PID {os.getpid()} on {prepared.listen_url}")
        try:  # after describe: a host that loses the home's lock reads who holds it
            claims = claim_sqlite_databases(home, connectors)
        except BaseException:
            prepared.close()  # the socket
            raise
    except BaseException:
        lock.release()
        if claims is not None:
            claims.release()
        raise
    prepared.lock, prepared.sqlite_claims = lock, claims
    return prepared


def load_tls(home: Home, settings: HostSettings) -> ReloadingTLSContext:
    """The reloading TLS context, or a one-line error naming the command that fixes it."""
    from ecmactl.certs.errors import CertificateMissingError, CertificateUnusableError
    from ecmactl.certs.manage import host_paths
    from ecmactl.certs.tls import host_tls_context

    cert_path, key_path = host_paths(home, settings)
    if cert_path.exists() and not key_path.exists():
        keyless = _key_missing(home, settings)
        if keyless is not None:  # the same words and fix as `cert status` and `agent status`
            raise CertificateMissingError(keyless.message, hint=keyless.hint, code=keyless.code)
    for path, what in ((cert_path, "certificate"), (key_path, "private key")):
        if not path.exists():
            raise CertificateMissingError(
                f"the host's {what} {path} does not exist",
                hint=f"Create a self-signed one with `{command('cert', 'create')}`, or import "
                f"yours with `{command('cert', 'import', 'FILE')}`; "
                f"`{command('cert', 'status')}` shows what is there.",
                code="missing",
            )
    try:
        return host_tls_context(home, settings)
    except OSError as exc:
        raise CertificateUnusableError(
            f"cannot read the host's certificate or key: {exc.strerror} ({exc.filename})",
            hint=f"Check the files' permissions; `{command('cert', 'status')}` shows what is "
            "wrong.",
            code="unreadable",
        ) from None


def _key_missing(home: Home, settings: HostSettings) -> Problem | None:
    from ecmactl.certs.manage import check_host_certificate

    status = check_host_certificate(home, settings)
    return next((p for p in status.problems if p.code == "key_missing"), None)


def certificate_warnings(home: Home, settings: HostSettings) -> list[str]:
    """Serve anyway (a renewal is picked up live), but say what Entra will trip over."""
    from ecmactl.certs.manage import check_host_certificate
    from ecmactl.certs.status import State

    status = check_host_certificate(home, settings)
    if status.state in (State.EXPIRED, State.NOT_YET_VALID):
        return [
            f"the certificate is not valid now ({status.state.value.replace('_', ' ')}); "
            f"Entra's Test Connection will fail: run `{command('cert', 'renew')}`"
        ]
    if status.hostname_in_san is False:
        return [
            f"the certificate does not cover the host name {settings.hostname}; Entra will "
            f"refuse it: run `{command('cert', 'create', '--force')}` or import one for that name"
        ]
    if status.state == State.RENEWAL_DUE and status.days_remaining is not None:
        return [
            f"the certificate expires in {status.days_remaining} days: "
            f"run `{command('cert', 'renew')}`"
        ]
    return []


def bind_socket(address: str, port: int, *, from_flag: bool = True) -> socket.socket:
    """A listening TCP socket on ``address:port``, or an EcmactlError that says what to change."""
    error_class: type[EcmactlError] = UsageError if from_flag else ConfigError
    where = "--bind-address" if from_flag else "bind_address in settings.toml"
    if not 0 <= port <= 65535:
        raise error_class(f"port {port} is out of range", hint="Choose a port from 1 to 65535.")
    try:
        infos = socket.getaddrinfo(address, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError):
        raise error_class(
            f"the bind address {address!r} is not an IP address or a name this machine resolves",
            hint=f"Fix {where}: 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or one "
            "of this machine's addresses.",
        ) from None
    family, kind, proto, _, sockaddr = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        if sys.platform == "win32":  # pragma: no cover - SO_REUSEADDR there steals a busy port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)  # type: ignore[attr-defined]
        else:  # a restart must not wait for TIME_WAIT; a listening owner still blocks the bind
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(sockaddr)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise _bind_error(exc, address, port, error_class, where) from None
    sock.setblocking(False)
    return sock


def _bind_error(
    exc: OSError, address: str, port: int, error_class: type[EcmactlError], where: str
) -> EcmactlError:
    if exc.errno == errno.EADDRINUSE or getattr(exc, "winerror", None) == 10048:
        return HostStartError(
            f"port {port} on {address} is in use by another process; stop it or choose --port",
            hint=f"`ss -ltnp 'sport = :{port}'` (Linux) or `netstat -ano` (Windows) shows who "
            f"holds it; `{command('host', 'status')}` says whether it is a host of this home.",
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return HostStartError(
            f"permission denied binding port {port} on {address}"
            + (" (ports below 1024 are privileged)" if 0 < port < 1024 else ""),
            hint="Choose --port 1024 or above (the default is 8585), or grant the service "
            "CAP_NET_BIND_SERVICE (AmbientCapabilities= in the systemd unit).",
        )
    if exc.errno == errno.EADDRNOTAVAIL:
        return error_class(
            f"{address} is not an address of this machine",
            hint=f"Fix {where}: 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or one "
            "of this machine's addresses (`ip -brief address`).",
        )
    return HostStartError(f"cannot listen on {address}:{port}: {exc.strerror or exc}")


# A SIGHUP between the start of `host run` and the event loop's handler (see ``hold_sighup``).
_EARLY_SIGHUP = threading.Event()


def standby_warnings(connectors: Sequence[Connector], standby: bool) -> list[str]:
    """--standby on a connector no other host can share: it runs as the only host, active."""
    if not standby:
        return []
    alone = [
        c.name
        for c in connectors
        if not c.connectivity.database_url.lower().startswith(_CLUSTERED_URLS) or c.uses_run_steps
    ]
    if not alone:
        return []
    return [
        f"--standby does not apply to {', '.join(alone)}: active/standby needs a table on "
        "PostgreSQL or MariaDB (SQLite, SQL Server and stored-procedure run steps serve from one "
        "host), so this host writes to it as the only one"
    ]


def hold_sighup() -> None:
    """From now until the host serves, SIGHUP is remembered (its reload runs once the host
    serves) instead of killing the process with the default action.

    systemd counts death by SIGHUP as a clean exit, so Restart=on-failure would not restart a
    host that a `systemctl reload` hit during its start (schema checks take seconds)."""
    if not hasattr(signal, "SIGHUP") or threading.current_thread() is not threading.main_thread():
        return
    _EARLY_SIGHUP.clear()
    signal.signal(signal.SIGHUP, lambda _sig, _frame: _EARLY_SIGHUP.set())


def default_host_factory(
    home: Home,
    settings: HostSettings,
    connectors: list[Connector],
    *,
    admin_token: str,
    selection: Sequence[str] = (),
    standby: bool = False,
    lease_ttl: float | None = None,
) -> HostLike:
    from ecmactl.host import Host

    host: HostLike = Host(
        home,
        settings,
        connectors,
        admin_token=admin_token,
        selection=selection,
        standby=standby,
        lease_ttl=lease_ttl,
    )
    return host


def serve(
    prepared: PreparedHost,
    *,
    host_factory: HostFactory | None = None,
    on_server: Callable[[uvicorn.Server], None] | None = None,
) -> ExitCode:
    """Serve until stopped. 0 after a stop by signal; an EcmactlError when it cannot serve.

    ``on_server`` receives the uvicorn server before it starts (embedding and tests stop it by
    setting ``should_exit``, as the signal handler does).
    """
    factory = host_factory or default_host_factory
    try:
        host = factory(
            prepared.home,
            prepared.settings,
            prepared.connectors,
            admin_token=prepared.admin_token,
            selection=tuple(prepared.options.connectors),
            standby=prepared.options.standby,
            lease_ttl=prepared.options.lease_ttl,
        )
    except BaseException:
        prepared.close()
        raise
    from ecmactl.host.app import Host

    if isinstance(host, Host):  # the port bound (a --port flag), not the settings' one
        host.address = f"{prepared.settings.hostname}:{prepared.port}"
        host.sqlite_claims = prepared.sqlite_claims  # a reload claims the files it adds
    info = prepared.run_info()
    try:
        runfile.write_run_files(prepared.home, info, prepared.admin_token)
    except OSError as exc:
        prepared.close()
        raise runfile.unwritable(prepared.home, exc) from None
    try:
        return _run_uvicorn(prepared, host, on_server)
    finally:
        runfile.remove_run_files(prepared.home, info.pid)
        prepared.close()


def _run_uvicorn(
    prepared: PreparedHost,
    host: HostLike,
    on_server: Callable[[uvicorn.Server], None] | None,
) -> ExitCode:
    guard = _LifespanGuard(host.asgi)
    limits = prepared.settings.limits
    config = uvicorn.Config(
        guard,
        http=protocol_class(limits),  # head limits and SCIM error bytes (edge_protocol)
        ws="none",  # no WebSocket endpoint: an Upgrade request is an ordinary request
        lifespan="on",  # a failing Host startup must stop the process, not be ignored
        log_config=None,  # ecmactl.host.logs.configure_logging set the handlers up already
        access_log=False,  # the Host logs one structured line per request itself
        proxy_headers=False,  # nothing sits in front of us; never trust X-Forwarded-For
        server_header=False,
        timeout_graceful_shutdown=prepared.options.graceful_timeout,
        ssl_context_factory=lambda _config, _default: prepared.tls.context,
    )
    if not log.isEnabledFor(logging.DEBUG):  # uvicorn's start/stop chatter only when debugging
        logging.getLogger("uvicorn.error").setLevel(logging.WARNING)
    server = CleanExitServer(config)
    if on_server is not None:
        on_server(server)
    watcher = _FirstImportWatcher(host, server) if prepared.options.no_retry else None
    log.info(
        "serving %d connector(s) on %s: %s",
        len(prepared.connectors),
        prepared.listen_url,
        ", ".join(c.name for c in prepared.connectors),
    )
    try:
        with asyncio.Runner(loop_factory=config.get_loop_factory()) as runner:
            runner.run(_serve_until_stopped(server, prepared, watcher, host, guard.started))
    except SystemExit:  # uvicorn exits 3 when the lifespan startup failed
        raise guard.startup_error() from None
    if guard.failure is not None:
        raise guard.startup_error()
    if watcher is not None and watcher.failure is not None:
        checks = " or ".join(
            f"`{command('configure', 'connectivity', connector=name)}`"
            for name in watcher.connectors
        )
        raise HostStartError(
            f"the first import failed and --no-retry is set: {watcher.failure}",
            hint=f"Check the database with {checks or 'configure connectivity'}; without "
            "--no-retry the host keeps retrying and serves once the database answers.",
        )
    log.info("stopped")
    return ExitCode.OK


async def _serve_until_stopped(
    server: CleanExitServer,
    prepared: PreparedHost,
    watcher: _FirstImportWatcher | None,
    host: HostLike,
    started: asyncio.Event,
) -> None:
    limits = prepared.settings.limits
    origin = "limits.max_connections in settings.toml"
    if prepared.max_connections < limits.max_connections:
        origin = f"limits.max_connections {limits.max_connections}, lowered for `ulimit -n`"
    # Before listener.install: the metrics port is asyncio's own server, outside the SCIM cap.
    metrics = await metrics_server.start(
        prepared.metrics,
        host,
        metrics_server.connection_count(lambda: getattr(server, "servers", [])),
    )
    listener.install(
        asyncio.get_running_loop(),
        max_connections=prepared.max_connections,
        handshake_timeout=limits.handshake_timeout_seconds,
        cap_origin=origin,
    )
    _reload_on_sighup(host, started)
    watch_task = asyncio.create_task(watcher.run()) if watcher is not None else None
    try:
        await server.serve(sockets=[prepared.sock])
    finally:
        if metrics is not None:
            await metrics.close()
        if watch_task is not None:
            watch_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watch_task


def _reload_on_sighup(host: HostLike, started: asyncio.Event) -> None:
    """SIGHUP (POSIX, `systemctl reload`) asks the host to re-read its config, like
    `ecmactl host reload`; the outcome goes to the log and to `host status`. A reload waits
    until the host serves (lifespan startup done), so one asked for during the start (see
    ``hold_sighup``) is applied rather than refused."""
    reload = getattr(host, "reload", None)
    if reload is None or not hasattr(signal, "SIGHUP"):
        return
    if threading.current_thread() is not threading.main_thread():
        return  # embedded in a thread (tests): signals are the embedder's
    pending: set[asyncio.Task[Any]] = set()

    async def reload_when_serving() -> None:
        await started.wait()
        await reload()

    def on_sighup() -> None:
        log.info("SIGHUP: reloading the configuration")
        task = asyncio.ensure_future(reload_when_serving())
        pending.add(task)
        task.add_done_callback(pending.discard)

    asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, on_sighup)
    if _EARLY_SIGHUP.is_set():  # one arrived while the host was starting
        _EARLY_SIGHUP.clear()
        on_sighup()


class _FirstImportWatcher:
    """--no-retry: stop the server when a connector's first full import fails."""

    def __init__(self, host: HostLike, server: CleanExitServer) -> None:
        self.host, self.server = host, server
        self.failure: str | None = None
        self.connectors: list[str] = []  # the connectors whose first import failed

    async def run(self) -> None:
        while True:
            await asyncio.sleep(_WATCH_INTERVAL)
            statuses = runfile.connector_statuses(self.host.status())
            outcomes = [runfile.first_import_outcome(c) for c in statuses]
            failed = [detail for state, detail in outcomes if state == "failed"]
            self.connectors = [
                str(c.get("name"))
                for c, (state, _) in zip(statuses, outcomes, strict=True)
                if state == "failed"
            ]
            if failed:
                self.failure = "; ".join(failed)
                log.error("first import failed (--no-retry): %s", self.failure)
                self.server.should_exit = True
                return
            if outcomes and all(state == "ok" for state, _ in outcomes):
                return


class _LifespanGuard:
    """Turns an exception in the Host's lifespan startup into a one-line error, and one that
    escapes a request into a SCIM 500 (not uvicorn's text/plain "Internal Server Error").

    Starlette reports a failing startup with a full traceback in the ``lifespan.startup.failed``
    message, and uvicorn logs it; an EcmactlError (a missing token, a bad database URL) deserves
    its message and its fix instead. Anything else is a bug and keeps its traceback in the log.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.failure: BaseException | None = None
        self.started = asyncio.Event()  # set once the Host's startup completed

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan":
            try:
                await self.app(scope, receive, send)
            except Exception:
                if scope["type"] == "http":
                    await _answer_500(send)
                raise  # uvicorn logs the traceback and closes the connection
            return
        sent: set[str] = set()

        async def guarded_send(message: Any) -> None:
            sent.add(message["type"])
            if message["type"] == "lifespan.startup.complete":
                self.started.set()
            if message["type"] == "lifespan.startup.failed":
                message = {"type": "lifespan.startup.failed", "message": ""}
            await send(message)

        try:
            await self.app(scope, receive, guarded_send)
        except BaseException as exc:
            if "lifespan.startup.complete" in sent:
                raise  # a shutdown failure: uvicorn logs it, the process is stopping anyway
            self.failure = exc
            if not isinstance(exc, EcmactlError):
                log.error("the host failed to start", exc_info=exc)
            if "lifespan.startup.failed" not in sent:  # an app that did not say so itself
                await send({"type": "lifespan.startup.failed", "message": ""})

    def startup_error(self) -> EcmactlError:
        exc = self.failure
        if isinstance(exc, EcmactlError):
            return exc
        if exc is None:
            return HostStartError("the host failed to start (see the log above)")
        return HostStartError(
            f"the host failed to start: {type(exc).__name__}: {exc}",
            hint="This looks like a bug; the log above has the traceback. Please report it.",
        )


async def _answer_500(send: Callable[[Any], Any]) -> None:
    """A SCIM 500, unless the response has started (uvicorn then refuses a new start)."""
    from ecmactl.host.http import error_reply, send_reply
    from ecmactl.scim.errors import ScimError

    error = ScimError(500, None, "The host failed to answer; see the host log")
    with contextlib.suppress(RuntimeError):
        await send_reply(send, error_reply(error, [(b"connection", b"close")]))


def log_file_path(value: str | None) -> Path | None:
    """``--log-file``: None or ``-`` is stderr."""
    return None if value in (None, "", "-") else Path(value).expanduser()
