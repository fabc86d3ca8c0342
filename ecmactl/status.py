"""What `ecmactl host status` and `ecmactl agent status` show, collected into dataclasses.

One collector for both commands. It reads the run files of the local channel (see
``ecmactl.host.runfile``), asks the running host for ``/_ecmactl/status`` with the admin token,
probes ``/health`` (and, for the agent view, each connector's ``/ServiceProviderConfig`` with the
connector's own token, as the provisioning agent would), and checks the certificate and the
token stores. Each finding is a ``Check`` with, when it fails, the one thing to do about it.

The verdict follows LSB, like `systemctl status`: 0 running and healthy, 1 running but a check
fails (degraded), 3 not running (no run file, or one left by a dead process), 4 unknown (a
process is there but cannot be asked: no answer, refused admin token, unreadable run files).

Nothing here prints; ``ecmactl.cli.host`` renders the report as text or JSON.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import httpx

from ecmactl.errors import EcmactlError
from ecmactl.exit_codes import ExitCode
from ecmactl.home import Home
from ecmactl.host import runfile
from ecmactl.host.runfile import RunInfo

State = Literal["running", "degraded", "not_running", "unknown"]
Kind = Literal["host", "agent"]
ClientFactory = Callable[[RunInfo, Path], httpx.Client]

STATUS_PATH = "/_ecmactl/status"
SYNC_PATH = "/_ecmactl/sync"
HEALTH_PATH = "/health"
DEFAULT_TIMEOUT = 5.0
CERT_WARN_DAYS = 30  # below this, a valid certificate is a failing check
START_HINT = "ecmactl host run"
START_HINT_SERVICE = "systemctl start ecmactl-host"

_EXIT: dict[State, ExitCode] = {
    "running": ExitCode.OK,
    "degraded": ExitCode.ERROR,
    "not_running": ExitCode.NOT_RUNNING,
    "unknown": ExitCode.UNKNOWN,
}


@dataclass(frozen=True)
class Check:
    """One finding. A failing check carries either a command (``fix``) or advice."""

    name: str
    ok: bool
    detail: str
    fix: str | None = None  # a command: "To fix, run: <fix>"
    advice: str | None = None  # words, when no single command fixes it: "To fix: <advice>"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ok": self.ok,
            "detail": self.detail,
            "fix": self.fix or self.advice,
        }


@dataclass(frozen=True)
class Probe:
    """One HTTP request to the host and how it went."""

    path: str
    ok: bool
    status: int | None = None
    latency_ms: float | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "ok": self.ok,
            "status": self.status,
            "latency_ms": self.latency_ms,
            "error": self.error,
        }


@dataclass(frozen=True)
class ImportRun:
    """The last full import (start-up or autosync) of a connector, as the host reports it."""

    result: str | None
    started: str | None = None
    finished: str | None = None
    duration_s: float | None = None
    rows: int | None = None
    error: str | None = None

    @classmethod
    def from_dict(cls, data: Any) -> ImportRun | None:
        if not isinstance(data, dict) or not data:
            return None
        return cls(
            result=_str(data.get("result")),
            started=_str(data.get("started") or data.get("started_at")),
            finished=_str(data.get("finished") or data.get("finished_at")),
            duration_s=_float(data.get("duration_s")),
            rows=_int(data.get("rows")),
            error=_str(data.get("error")),
        )

    @property
    def succeeded(self) -> bool:
        return (self.result or "").lower() in ("ok", "success", "succeeded", "completed")

    def to_dict(self) -> dict[str, Any]:
        return {
            "result": self.result,
            "started": self.started,
            "finished": self.finished,
            "duration_s": self.duration_s,
            "rows": self.rows,
            "error": self.error,
        }


@dataclass(frozen=True)
class ConnectorReport:
    name: str
    tenant_url: str
    state: str | None = None  # importing | ready | degraded (None: the host did not say)
    cache_size: int | None = None
    imported_rows: int | None = None  # progress of an import under way, when reported
    last_import: ImportRun | None = None
    next_sync_at: str | None = None
    autosync_minutes: int | None = None
    requests: int | None = None
    errors: int | None = None
    last_error: str | None = None
    database_reachable: bool | None = None
    token_store: str | None = None  # keyring | file | env (never the value)
    token_ref: str | None = None
    token_error: str | None = None
    probe: Probe | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "tenant_url": self.tenant_url,
            "state": self.state,
            "cache_size": self.cache_size,
            "imported_rows": self.imported_rows,
            "last_full_import": self.last_import.to_dict() if self.last_import else None,
            "next_sync_at": self.next_sync_at,
            "autosync_minutes": self.autosync_minutes,
            "requests": self.requests,
            "errors": self.errors,
            "last_error": self.last_error,
            "database_reachable": self.database_reachable,
            "token": {
                "store": self.token_store,
                "reference": self.token_ref,
                "error": self.token_error,
            },
            "probe": self.probe.to_dict() if self.probe else None,
        }


@dataclass(frozen=True)
class CertificateReport:
    state: str  # ecmactl.certs.State values
    path: Path
    hostname: str
    hostname_in_san: bool | None
    days_remaining: int | None
    not_after: datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "path": self.path,
            "hostname": self.hostname,
            "hostname_in_san": self.hostname_in_san,
            "days_remaining": self.days_remaining,
            "not_after": self.not_after,
        }


@dataclass(frozen=True)
class StatusReport:
    kind: Kind
    state: State
    home: Path
    checked_at: datetime
    run: RunInfo | None = None
    stale: bool = False  # a run file left by a process that is gone
    reason: str | None = None  # why not running / unknown, in one sentence
    uptime_s: float | None = None
    health: Probe | None = None
    certificate: CertificateReport | None = None
    connectors: list[ConnectorReport] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    @property
    def exit_code(self) -> ExitCode:
        return _EXIT[self.state]

    @property
    def failing(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def to_dict(self) -> dict[str, Any]:
        run = self.run
        return {
            "state": self.state,
            "exit_code": int(self.exit_code),
            "home": self.home,
            "checked_at": self.checked_at,
            "reason": self.reason,
            "process": None
            if run is None
            else {
                "pid": run.pid,
                "alive": not self.stale,
                "started_at": run.started_at,
                "uptime_s": self.uptime_s,
                "version": run.version,
                "bind": run.bind,
                "port": run.port,
                "hostname": run.hostname,
            },
            "endpoint": None if self.health is None else self.health.to_dict(),
            "certificate": None if self.certificate is None else self.certificate.to_dict(),
            "connectors": [c.to_dict() for c in self.connectors],
            "checks": [c.to_dict() for c in self.checks],
        }


def default_client(
    run: RunInfo, certificate: Path, timeout: float = DEFAULT_TIMEOUT
) -> httpx.Client:
    """An HTTPS client for the local channel: trusts the home's certificate file, nothing else."""
    return httpx.Client(
        base_url=run.local_url,
        verify=runfile.local_tls_context(certificate),
        timeout=timeout,
        trust_env=False,  # never send the admin token through an HTTP(S)_PROXY
    )


def collect_status(
    home: Home,
    *,
    kind: Kind = "host",
    client_factory: ClientFactory | None = None,
    now: datetime | None = None,
) -> StatusReport:
    """Everything `host status` (kind="host") or `agent status` (kind="agent") reports."""
    moment = now or datetime.now(UTC)
    checks: list[Check] = []
    base: dict[str, Any] = {"kind": kind, "home": home.root, "checked_at": moment}
    settings = _settings_or_none(home, checks)
    certificate = _certificate_check(home, settings, checks, moment) if settings else None
    base["certificate"] = certificate
    try:
        run = runfile.read_run_info(home)
    except runfile.RunFileError as exc:
        checks.insert(0, Check("process", False, exc.message, advice=exc.hint))
        return StatusReport(state="unknown", reason=exc.message, checks=checks, **base)
    if run is None or not runfile.pid_alive(run.pid):
        stale = run is not None
        reason = (
            f"not running (PID {run.pid} from {run.started_at} is gone; it did not stop cleanly)"
            if run is not None
            else "not running"
        )
        checks.insert(0, Check("process", False, reason, fix=START_HINT))
        connectors = _configured_connectors(home, settings, run, kind)
        _token_checks(connectors, checks)
        return StatusReport(
            state="not_running",
            run=run,
            stale=stale,
            reason=reason,
            connectors=connectors,
            checks=checks,
            **base,
        )
    return _collect_running(home, run, settings, kind, client_factory, checks, base)


def _collect_running(
    home: Home,
    run: RunInfo,
    settings: Any,
    kind: Kind,
    client_factory: ClientFactory | None,
    checks: list[Check],
    base: dict[str, Any],
) -> StatusReport:
    base["run"] = run
    cert_path = Path(run.certificate) if run.certificate else _cert_path(home, settings)
    try:
        token = runfile.read_admin_token(home)
        factory = client_factory or default_client
        client = factory(run, cert_path) if cert_path else None
    except (runfile.RunFileError, OSError, ssl.SSLError) as exc:
        message = exc.message if isinstance(exc, EcmactlError) else f"cannot use {cert_path}: {exc}"
        hint = exc.hint if isinstance(exc, EcmactlError) else "Check `ecmactl cert status`."
        checks.insert(0, Check("status_channel", False, message, advice=hint))
        return StatusReport(state="unknown", reason=message, checks=checks, **base)
    if client is None:
        message = "the host's certificate file is not known, so the host cannot be asked"
        checks.insert(0, Check("status_channel", False, message, fix="ecmactl cert status"))
        return StatusReport(state="unknown", reason=message, checks=checks, **base)
    with client:
        answer = _fetch_status(client, run, token)
        if isinstance(answer, Check):
            checks.insert(0, answer)
            return StatusReport(state="unknown", reason=answer.detail, checks=checks, **base)
        uptime = _float(answer.get("uptime_s") or answer.get("uptime"))
        checks.insert(0, Check("process", True, f"running · PID {run.pid}"))
        health = _probe(client, HEALTH_PATH, None)
        checks.insert(1, _endpoint_check(health, run))
        connectors = _running_connectors(home, run, settings, answer, kind, client)
    for report in connectors:
        checks.extend(_connector_checks(report, kind))
    if kind == "agent":
        _token_checks(connectors, checks)
    state: State = "running" if all(c.ok for c in checks) else "degraded"
    return StatusReport(
        state=state,
        uptime_s=uptime,
        health=health,
        connectors=connectors,
        checks=checks,
        **base,
    )


def _fetch_status(client: httpx.Client, run: RunInfo, token: str) -> dict[str, Any] | Check:
    """The host's own status document, or the failing check that says why there is none."""
    where = f"{run.local_url}{STATUS_PATH}"
    fix_log = "Look at the host's log (`journalctl -u ecmactl-host`, or its terminal)."
    try:
        response = client.get(STATUS_PATH, headers={"Authorization": f"Bearer {token}"})
    except httpx.ConnectError as exc:
        cause = _tls_cause(exc)
        if cause is not None:
            return Check(
                "status_channel",
                False,
                f"PID {run.pid} answers on {run.local_url} with a certificate other than the "
                f"home's ({cause})",
                advice="The run files may belong to another program; restart the host.",
            )
        return Check(
            "status_channel",
            False,
            f"PID {run.pid} is alive but nothing answers at {where} ({_reason(exc)})",
            advice="If the host is starting, wait a moment; otherwise restart it. " + fix_log,
        )
    except httpx.HTTPError as exc:
        return Check(
            "status_channel",
            False,
            f"PID {run.pid} is alive but {where} did not answer ({_reason(exc)})",
            advice="The host may be overloaded or stuck. " + fix_log,
        )
    if response.status_code == 401:
        return Check(
            "status_channel",
            False,
            f"the host at {run.local_url} refused this home's admin token",
            advice="The run files belong to another host; restart the host of this home.",
        )
    if response.status_code != 200:
        return Check(
            "status_channel",
            False,
            f"{where} answered HTTP {response.status_code}",
            advice="Is another program using this port? " + fix_log,
        )
    try:
        document = response.json()
    except ValueError:
        document = None
    if not isinstance(document, dict):
        return Check("status_channel", False, f"{where} answered something that is not JSON")
    return document


def _probe(client: httpx.Client, path: str, token: str | None) -> Probe:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    started = time.perf_counter()
    try:
        response = client.get(path, headers=headers)
    except httpx.HTTPError as exc:
        return Probe(path, False, error=_reason(exc))
    latency = round((time.perf_counter() - started) * 1000, 1)
    return Probe(path, response.status_code == 200, response.status_code, latency)


def _endpoint_check(health: Probe, run: RunInfo) -> Check:
    if health.ok:
        return Check("endpoint", True, f"GET {HEALTH_PATH} → 200 in {health.latency_ms:.0f} ms")
    what = health.error or f"HTTP {health.status}"
    return Check(
        "endpoint",
        False,
        f"GET {run.local_url}{HEALTH_PATH} failed ({what})",
        advice="Look at the host's log (`journalctl -u ecmactl-host`, or its terminal).",
    )


def _running_connectors(
    home: Home,
    run: RunInfo,
    settings: Any,
    answer: dict[str, Any],
    kind: Kind,
    client: httpx.Client,
) -> list[ConnectorReport]:
    reported = {str(c.get("name")): c for c in runfile.connector_statuses(answer)}
    names = list(dict.fromkeys([*run.connectors, *reported]))
    reports = []
    for name in names:
        data = reported.get(name, {})
        token_store, token_ref, token_error, token = _token_source(home, name, kind)
        probe = None
        if kind == "agent":
            if token is not None:
                probe = _probe(client, f"/ecma2host_{name}/scim/ServiceProviderConfig", token)
            else:
                probe = Probe(
                    f"/ecma2host_{name}/scim/ServiceProviderConfig", False, error="no token"
                )
        last_import = ImportRun.from_dict(data.get("last_full_import") or data.get("last_import"))
        reports.append(
            ConnectorReport(
                name=name,
                tenant_url=run.tenant_url(name),
                state=_str(data.get("state")),
                cache_size=_int(_first(data, "cache_size", "cache", "users")),
                imported_rows=_int(_first(data, "imported_rows", "progress_rows", "import_rows")),
                last_import=last_import,
                next_sync_at=_str(_first(data, "next_sync_at", "next_sync", "next_autosync")),
                autosync_minutes=_int(_first(data, "autosync_minutes"))
                or _autosync_minutes(home, name),
                requests=_requests(data)[0],
                errors=_requests(data)[1],
                last_error=_message(data.get("last_error")),
                database_reachable=_bool(
                    _first(data, "database_reachable", "db_reachable", "database_ok")
                ),
                token_store=token_store,
                token_ref=token_ref,
                token_error=token_error,
                probe=probe,
            )
        )
    return reports


def _configured_connectors(
    home: Home, settings: Any, run: RunInfo | None, kind: Kind
) -> list[ConnectorReport]:
    """The connectors of a home whose host is not running (what would be served)."""
    hostname = settings.hostname if settings else (run.hostname if run else "localhost")
    port = settings.port if settings else (run.port if run else 8585)
    reports = []
    for name in home.connector_names():
        store, ref, error, _ = _token_source(home, name, kind)
        reports.append(
            ConnectorReport(
                name=name,
                tenant_url=f"https://{hostname}:{port}/ecma2host_{name}/scim",
                autosync_minutes=_autosync_minutes(home, name),
                token_store=store,
                token_ref=ref,
                token_error=error,
            )
        )
    return reports


def _token_source(
    home: Home, name: str, kind: Kind
) -> tuple[str | None, str | None, str | None, str | None]:
    """(store, reference, error, value) of a connector's token; the value only for probing."""
    if kind != "agent":
        return None, None, None, None
    from ecmactl.config.store import load_connector
    from ecmactl.secrets import read_secret, secret_ref_kind

    try:
        connector = load_connector(home, name)
    except EcmactlError as exc:
        return None, None, exc.message, None
    ref = connector.secret_token_ref
    if not ref:
        return None, None, "no secret token is configured", None
    try:
        value = read_secret(ref, home)
    except EcmactlError as exc:
        return secret_ref_kind(ref), ref, exc.message, None
    return secret_ref_kind(ref), ref, None, value


def _token_checks(connectors: list[ConnectorReport], checks: list[Check]) -> None:
    for report in connectors:
        if report.token_error and report.token_store == "env":
            variable = (report.token_ref or "").partition(":")[2]
            checks.append(
                Check(
                    f"token:{report.name}",
                    False,
                    f"{report.name}: the token comes from ${variable}, which is not set here",
                    advice=f"Export {variable} in this shell too (the host reads it from its own "
                    "environment), or keep the token in a store: `ecmactl token set --store file`.",
                )
            )
        elif report.token_error:
            checks.append(
                Check(
                    f"token:{report.name}",
                    False,
                    f"{report.name}: the secret token cannot be read ({report.token_error})",
                    fix=f"ecmactl token set --connector {report.name}",
                )
            )
        elif report.token_store:
            checks.append(
                Check(
                    f"token:{report.name}",
                    True,
                    f"{report.name}: token from the {report.token_store} store "
                    f"({report.token_ref})",
                )
            )


def _connector_checks(report: ConnectorReport, kind: Kind) -> list[Check]:
    name = report.name
    found: list[Check] = []
    state = (report.state or "").lower()
    cached = (
        f"{report.cache_size} users cached"
        if report.cache_size is not None
        else "cache size unknown"
    )
    if state == "ready":
        found.append(Check(f"connector:{name}", True, f"{name}: ready · {cached}"))
    elif state == "importing":
        progress = f" ({report.imported_rows} rows so far)" if report.imported_rows else ""
        found.append(
            Check(
                f"connector:{name}",
                False,
                f"{name}: importing{progress}; Entra is answered 503 with Retry-After meanwhile",
                advice="Wait for the import to finish (large tables take minutes).",
            )
        )
    elif state == "":
        found.append(
            Check(
                f"connector:{name}",
                False,
                f"{name}: not served by the running host",
                advice="It was added after the host started; restart the host to serve it.",
            )
        )
    else:
        error = report.last_error or (report.last_import.error if report.last_import else None)
        found.append(
            Check(
                f"connector:{name}",
                False,
                f"{name}: {state}" + (f" ({error})" if error else ""),
                advice=_database_advice(name),
            )
        )
    if report.database_reachable is False and state != "degraded":
        found.append(
            Check(
                f"database:{name}",
                False,
                f"{name}: the database cannot be reached; writes answer 503, reads come from "
                "the cache",
                advice=_database_advice(name),
            )
        )
    last = report.last_import
    if state == "ready" and last is not None and last.result and not last.succeeded:
        found.append(
            Check(
                f"autosync:{name}",
                False,
                f"{name}: the last import failed ({last.error or last.result}); the cache is "
                "from the import before",
                advice=_database_advice(name),
            )
        )
    if kind == "agent" and report.probe is not None and state:
        found.append(_probe_check(report))
    return found


def _probe_check(report: ConnectorReport) -> Check:
    probe = report.probe
    assert probe is not None
    name = report.name
    if probe.ok:
        return Check(
            f"probe:{name}",
            True,
            f"{name}: GET ServiceProviderConfig with its token → 200 in {probe.latency_ms:.0f} ms",
        )
    if probe.status == 401:
        return Check(
            f"probe:{name}",
            False,
            f"{name}: the host refused the token from the {report.token_store} store (401)",
            advice="The host reads the token from its own environment or store; make both the "
            f"same (`ecmactl token show --connector {name}`), then paste it into Entra.",
        )
    what = probe.error or f"HTTP {probe.status}"
    return Check(
        f"probe:{name}",
        False,
        f"{name}: GET ServiceProviderConfig failed ({what})",
        fix=f"ecmactl agent test-connection --connector {name}",
    )


def _database_advice(name: str) -> str:
    return (
        "Check that the database answers (`ecmactl configure connectivity --connector "
        f"{name}` tests it); the host retries by itself and recovers when it does."
    )


def _certificate_check(
    home: Home, settings: Any, checks: list[Check], now: datetime
) -> CertificateReport | None:
    from ecmactl.certs.manage import check_host_certificate

    status = check_host_certificate(home, settings, now=now)
    state = status.state.value
    days = status.days_remaining
    report = CertificateReport(
        state=state,
        path=status.cert_path,
        hostname=settings.hostname,
        hostname_in_san=status.hostname_in_san,
        days_remaining=days,
        not_after=status.info.not_after if status.info else None,
    )
    san = (
        "SAN matches the host name"
        if status.hostname_in_san
        else f"SAN does not cover {settings.hostname}"
    )
    if state == "missing":
        checks.append(
            Check(
                "certificate",
                False,
                f"no certificate at {status.cert_path}",
                fix="ecmactl cert create",
            )
        )
    elif state in ("expired", "not_yet_valid"):
        when = f"{report.not_after:%Y-%m-%d}" if report.not_after else "?"
        checks.append(
            Check(
                "certificate",
                False,
                f"not valid now ({state.replace('_', ' ')}; until {when}); Entra refuses it",
                fix="ecmactl cert renew",
            )
        )
    elif status.hostname_in_san is False:
        checks.append(
            Check(
                "certificate",
                False,
                f"{san}; Entra's Test Connection fails with a name mismatch",
                fix="ecmactl cert create --force",
            )
        )
    elif state == "unusable":
        problem = status.problems[0].message if status.problems else "unusable"
        checks.append(Check("certificate", False, problem, fix="ecmactl cert status"))
    elif days is not None and days < CERT_WARN_DAYS:
        checks.append(
            Check("certificate", False, f"expires in {days} days · {san}", fix="ecmactl cert renew")
        )
    else:
        due = " · renewal due" if state == "renewal_due" else ""
        checks.append(Check("certificate", True, f"valid · expires in {days} days · {san}{due}"))
    return report


def _settings_or_none(home: Home, checks: list[Check]) -> Any:
    from ecmactl.config.store import load_settings

    try:
        return load_settings(home)
    except EcmactlError as exc:
        checks.append(Check("settings", False, exc.message, advice=exc.hint))
        return None


def _cert_path(home: Home, settings: Any) -> Path | None:
    if settings is None:
        return None
    return home.resolve(settings.certificate)


def _autosync_minutes(home: Home, name: str) -> int | None:
    from ecmactl.config.store import load_connector

    try:
        return load_connector(home, name).autosync_minutes
    except EcmactlError:
        return None


def _tls_cause(exc: BaseException) -> str | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return seen.verify_message or "verification failed"
        if isinstance(seen, ssl.SSLError):
            return seen.reason or str(seen)
        seen = seen.__cause__ or seen.__context__
    return None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    text = str(exc) or type(exc).__name__
    if "Connection refused" in text or "ConnectionRefused" in text:
        return "connection refused"
    return text.splitlines()[0][:200]


def _requests(data: dict[str, Any]) -> tuple[int | None, int | None]:
    """(total, server errors): ``requests`` is a count or a by-class dict {total, 2xx, … 5xx}."""
    requests = data.get("requests")
    errors = _int(_first(data, "errors", "error_count"))
    if isinstance(requests, dict):
        total = _int(requests.get("total"))
        if total is None:
            total = sum(_int(v) or 0 for k, v in requests.items() if k.endswith("xx"))
        return total, errors if errors is not None else _int(requests.get("5xx"))
    return _int(requests), errors


def _message(value: Any) -> str | None:
    """An error as the host reports it: a string, {message, at}, or [message, at]."""
    if isinstance(value, dict):
        text = value.get("message") or value.get("error")
        at = value.get("at") or value.get("time")
        return None if text is None else f"{text}" + (f" (at {at})" if at else "")
    if isinstance(value, list | tuple):
        return _str(value[0]) if value else None
    return _str(value)


def _first(data: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if data.get(key) is not None:
            return data[key]
    return None


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def request_sync(
    home: Home,
    connector: str | None = None,
    *,
    timeout: float = 600.0,
    client_factory: ClientFactory | None = None,
) -> dict[str, Any]:
    """POST /_ecmactl/sync to the running host; its answer, or an EcmactlError with the fix."""
    from ecmactl.config.store import load_settings

    run = runfile.read_run_info(home)
    if run is None or not runfile.pid_alive(run.pid):
        raise HostNotRunningError(
            f"no host is running from {home.root}",
            hint=f"Start it with `{START_HINT}` (or `{START_HINT_SERVICE}`).",
        )
    token = runfile.read_admin_token(home)
    cert_path = (
        Path(run.certificate) if run.certificate else home.resolve(load_settings(home).certificate)
    )
    factory = client_factory or (lambda r, c: default_client(r, c, timeout=timeout))
    params = {"connector": connector} if connector else {}
    with factory(run, cert_path) as client:
        try:
            response = client.post(
                SYNC_PATH, params=params, headers={"Authorization": f"Bearer {token}"}
            )
        except httpx.HTTPError as exc:
            raise EcmactlError(
                f"the host (PID {run.pid}) did not answer the sync request ({_reason(exc)})",
                hint="`ecmactl host status` shows its state.",
            ) from None
    try:
        document = response.json()
    except ValueError:
        document = None
    if response.status_code == 404 and connector:
        known = ", ".join(run.connectors) or "none"
        raise EcmactlError(
            f"the running host serves no connector named {connector!r} (it serves: {known})",
            hint="Names are case-sensitive; a connector added after the start needs a restart.",
        )
    if response.status_code >= 400 or not isinstance(document, dict):
        detail = document.get("detail") if isinstance(document, dict) else None
        raise EcmactlError(
            f"the host answered the sync request with HTTP {response.status_code}"
            + (f": {detail}" if detail else ""),
            hint="`ecmactl host status` shows the last error of each connector.",
        )
    return document


class HostNotRunningError(EcmactlError):
    exit_code = ExitCode.NOT_RUNNING
