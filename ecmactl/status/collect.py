"""The collector: reads the run files, asks the host, and runs the checks into a report."""

from __future__ import annotations

import dataclasses
import ssl
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from ecmactl.config import models
from ecmactl.errors import EcmactlError
from ecmactl.home import Home
from ecmactl.host import runfile
from ecmactl.host.runfile import RunInfo
from ecmactl.invocation import command
from ecmactl.status.channel import (
    HEALTH_PATH,
    ClientFactory,
    current_default_client,
    fetch_status,
    probe,
)
from ecmactl.status.checks import (
    certificate_check,
    connector_checks,
    endpoint_check,
    token_checks,
)
from ecmactl.status.document import auth_error, error_text, request_totals
from ecmactl.status.model import (
    Check,
    ConnectorReport,
    ImportRun,
    Kind,
    Probe,
    State,
    StatusReport,
)
from ecmactl.status_document import ConnectorStatus, HostStatus, ReloadStatus


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
    certificate = certificate_check(home, settings, checks, moment) if settings else None
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
        checks.insert(0, Check("process", False, reason, fix=command("host", "run")))
        connectors = _configured_connectors(home, settings, run, kind)
        _config_checks(home, [c.name for c in connectors], checks)
        token_checks(connectors, checks)
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
        factory = client_factory or current_default_client()
        client = factory(run, cert_path) if cert_path else None
    except (runfile.RunFileError, OSError, ssl.SSLError) as exc:
        message = exc.message if isinstance(exc, EcmactlError) else f"cannot use {cert_path}: {exc}"
        hint = (
            exc.hint if isinstance(exc, EcmactlError) else f"Check `{command('cert', 'status')}`."
        )
        checks.insert(0, Check("status_channel", False, message, advice=hint))
        return StatusReport(state="unknown", reason=message, checks=checks, **base)
    if client is None:
        message = "the host's certificate file is not known, so the host cannot be asked"
        checks.insert(0, Check("status_channel", False, message, fix=command("cert", "status")))
        return StatusReport(state="unknown", reason=message, checks=checks, **base)
    with client:
        answer = fetch_status(client, run, token)
        if isinstance(answer, Check):
            checks.insert(0, answer)
            return StatusReport(state="unknown", reason=answer.detail, checks=checks, **base)
        checks.insert(0, Check("process", True, f"running · PID {run.pid}"))
        health = probe(client, HEALTH_PATH, None)
        checks.insert(1, endpoint_check(health, run))
        connectors = _running_connectors(home, run, settings, answer, kind, client)
    for report in connectors:
        checks.extend(connector_checks(report, kind, home))
        if report.auth_error:
            checks.append(_auth_check(home, report))
    _config_checks(home, [c.name for c in connectors], checks)
    if kind == "agent":
        token_checks(connectors, checks)
    reload = answer["reload"]
    checks.extend(_reload_checks(home, reload))
    state: State = "running" if all(c.ok for c in checks) else "degraded"
    return StatusReport(
        state=state,
        reload=reload,
        cluster=answer.get("cluster"),
        metrics=answer.get("metrics"),
        uptime_s=answer["uptime_s"],
        health=health,
        connectors=connectors,
        checks=checks,
        **base,
    )


def _running_connectors(
    home: Home,
    run: RunInfo,
    settings: Any,
    answer: HostStatus,
    kind: Kind,
    client: httpx.Client,
) -> list[ConnectorReport]:
    reported = answer["connectors"]
    # What the host serves now (a reload may have changed it since the run file was written),
    # and, when it serves the whole home, the home's connectors it does not serve yet.
    names = list(reported) or list(run.connectors)
    if answer["serves_all"]:
        names += [name for name in home.connector_names() if name not in names]
    reports = []
    for name in names:
        entry = reported.get(name)
        connector = _ConnectorFile(home, name) if kind == "agent" or entry is None else None
        token_store, token_ref, token_error, token = _token_source(home, connector, kind)
        checked = None
        if kind == "agent":
            path = f"/ecma2host_{name}/scim/ServiceProviderConfig"
            if token is not None:
                checked = probe(client, path, token)
            else:
                checked = Probe(path, False, error="no token")
        report = ConnectorReport(
            name=name,
            tenant_url=run.tenant_url(name),
            autosync_minutes=connector.autosync_minutes() if connector else None,
            token_store=token_store,
            token_ref=token_ref,
            token_error=token_error,
            probe=checked,
        )
        reports.append(report if entry is None else _as_reported(report, entry))
    return reports


def _as_reported(report: ConnectorReport, entry: ConnectorStatus) -> ConnectorReport:
    """``report`` with what the host says of its connector."""
    requests, errors = request_totals(entry["requests"])
    return dataclasses.replace(
        report,
        state=entry["state"],
        cache_size=entry["cache_size"],
        imported_rows=entry["imported_rows"],
        import_total=entry["import_total"],
        import_total_exact=entry["import_total_exact"],
        last_import=ImportRun.from_status(entry["last_full_import"]),
        next_sync_at=entry["next_sync_at"],
        autosync_minutes=entry["autosync_minutes"],
        requests=requests,
        errors=errors,
        last_error=error_text(entry["last_error"]),
        database_reachable=entry["database_reachable"],
        auth_error=auth_error(entry),
    )


def _configured_connectors(
    home: Home, settings: Any, run: RunInfo | None, kind: Kind
) -> list[ConnectorReport]:
    """The connectors of a home whose host is not running (what would be served). Without
    usable settings nor a run file the Tenant URL is not known (None), never a guessed one: a
    pasted guess would point Entra at the wrong host; the failing settings check says why."""
    reports = []
    for name in home.connector_names():
        connector = _ConnectorFile(home, name)
        store, ref, error, _ = _token_source(home, connector, kind)
        if settings is not None:
            tenant_url: str | None = models.tenant_url(settings.hostname, settings.port, name)
        else:
            tenant_url = run.tenant_url(name) if run else None  # what it served last
        reports.append(
            ConnectorReport(
                name=name,
                tenant_url=tenant_url,
                autosync_minutes=connector.autosync_minutes(),
                token_store=store,
                token_ref=ref,
                token_error=error,
            )
        )
    return reports


def _reload_checks(home: Home, reload: ReloadStatus | None) -> list[Check]:
    """A refused reload (the host serves the config from before it) and settings that need a
    restart both fail: what runs is not what the home's files say."""

    if reload is None:
        return []
    found = []
    if reload["result"] == "refused":
        hint = reload["hint"]
        found.append(
            Check(
                "reload",
                False,
                f"the last reload ({reload['at']}) was refused: "
                f"{reload['error']}; the host serves the config from before",
                advice=(f"{hint} " if hint else "") + f"Then run `{command('host', 'reload')}`.",
            )
        )
    restart = reload["restart_needed"]
    if restart:
        found.append(
            Check(
                "restart",
                False,
                f"restart the host to apply: {', '.join(restart)} changed in settings.toml",
                advice="Restart the host (`systemctl restart ecmactl-host`, or stop it and "
                f"run `{command('host', 'run')}` again).",
            )
        )
    return found


def _auth_check(home: Home, report: ConnectorReport) -> Check:
    """The host cannot authenticate this connector's requests: every one gets 503."""
    from ecmactl.tokens import token_fix

    name = f"auth:{report.name}"
    detail = f"{report.name}: {report.auth_error}; every request gets 503"
    connector, _ = _ConnectorFile(home, report.name).get()
    ref = connector.secret_token_ref if connector is not None else None
    if ref and ref.startswith("env:"):  # no command sets a variable in the host's environment
        return Check(name, False, detail, advice=token_fix(home, connector))
    return Check(name, False, detail, fix=command("token", "set", connector=report.name))


def _config_checks(home: Home, names: list[str], checks: list[Check]) -> None:
    """A connector file that cannot be loaded fails a check: the next start (or reload) would
    refuse it, even while a running host serves what it read before."""
    for name in names:
        if not home.connector_path(name).exists():
            continue
        problem = _ConnectorFile(home, name).problem()
        if problem is not None:
            checks.append(Check(f"config:{name}", False, problem.message, advice=problem.hint))
        elif _ConnectorFile(home, name).password_in_url():
            checks.append(
                Check(
                    f"config:{name}",
                    False,
                    f"{home.connector_path(name)} holds the database password in "
                    "connectivity.database_url; `configure connectivity` moves it to the "
                    "secret store",
                    fix=command("configure", "connectivity", connector=name),
                )
            )


class _ConnectorFile:
    """A connector's file, read once (on first use) for the checks that need it."""

    def __init__(self, home: Home, name: str) -> None:
        self.home, self.name = home, name
        self._result: tuple[Any, EcmactlError | None] | None = None

    def _loaded(self) -> tuple[Any, EcmactlError | None]:
        if self._result is None:
            from ecmactl.config.store import load_connector

            try:
                self._result = (load_connector(self.home, self.name), None)
            except EcmactlError as exc:
                self._result = (None, exc)
        return self._result

    def get(self) -> tuple[Any, str | None]:
        """(connector, None) or (None, why it cannot be read)."""
        connector, error = self._loaded()
        return connector, None if error is None else error.message

    def problem(self) -> EcmactlError | None:
        return self._loaded()[1]

    def password_in_url(self) -> bool:
        """Written before ecmactl moved a URL's password to the secret store."""
        from ecmactl.sql.urls import strip_password

        connector, _ = self.get()
        if connector is None:
            return False
        try:
            return strip_password(connector.connectivity.database_url)[1] is not None
        except EcmactlError:
            return False

    def autosync_minutes(self) -> int | None:
        connector, _ = self.get()
        return None if connector is None else int(connector.autosync_minutes)


def _token_source(
    home: Home, loaded: _ConnectorFile | None, kind: Kind
) -> tuple[str | None, str | None, str | None, str | None]:
    """(store, reference, error, value) of a connector's token; the value only for probing."""
    if kind != "agent" or loaded is None:
        return None, None, None, None
    from ecmactl.secrets import read_secret, secret_ref_kind

    connector, _ = loaded.get()
    if connector is None:  # the file itself is broken: its own check says so
        return None, None, None, None
    ref = connector.secret_token_ref
    if not ref:
        return None, None, "no secret token is configured", None
    try:
        value = read_secret(ref, home)
    except EcmactlError as exc:
        return secret_ref_kind(ref), ref, exc.message, None
    return secret_ref_kind(ref), ref, None, value


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
