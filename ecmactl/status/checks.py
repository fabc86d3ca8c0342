"""The checks with their remediation: endpoint, tokens, connectors, probes, certificate."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ecmactl.home import Home
from ecmactl.host.runfile import RunInfo
from ecmactl.invocation import command
from ecmactl.status.channel import HEALTH_PATH
from ecmactl.status.model import CertificateReport, Check, ConnectorReport, Kind, Probe

CERT_WARN_DAYS = 30  # below this, a valid certificate is a failing check
START_HINT_SERVICE = "systemctl start ecmactl-host"


def endpoint_check(health: Probe, run: RunInfo) -> Check:
    """``GET /health`` answered, or how it failed."""
    if health.ok:
        return Check("endpoint", True, f"GET {HEALTH_PATH} → 200 in {health.latency_ms:.0f} ms")
    what = health.error or f"HTTP {health.status}"
    return Check(
        "endpoint",
        False,
        f"GET {run.local_url}{HEALTH_PATH} failed ({what})",
        advice="Look at the host's log (`journalctl -u ecmactl-host`, or its terminal).",
    )


def token_checks(connectors: list[ConnectorReport], checks: list[Check]) -> None:
    """Append, for each connector, whether its token can be read here (the agent view)."""
    for report in connectors:
        if report.token_error and report.token_store == "env":
            variable = (report.token_ref or "").partition(":")[2]
            checks.append(
                Check(
                    f"token:{report.name}",
                    False,
                    f"{report.name}: the token comes from ${variable}, which is not set here",
                    advice=f"Export {variable} in this shell too (the host reads it from its own "
                    "environment), or keep the token in a store: "
                    f"`{_to_file_store(report.name)}`.",
                )
            )
        elif report.token_error:
            checks.append(
                Check(
                    f"token:{report.name}",
                    False,
                    f"{report.name}: the secret token cannot be read ({report.token_error})",
                    fix=command("token", "set", connector=report.name),
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


def connector_checks(report: ConnectorReport, kind: Kind, home: Home | None = None) -> list[Check]:
    """A connector's state, database, last import and (agent view) probe, each with its fix."""
    name = report.name
    found: list[Check] = []
    state = (report.state or "").lower()
    cached = (
        f"{report.cache_size:,} users cached"
        if report.cache_size is not None
        else "cache size unknown"
    )
    if state == "ready":
        found.append(Check(f"connector:{name}", True, f"{name}: ready · {cached}"))
    elif state == "importing":
        running = report.import_progress
        progress = f", {running.describe()}" if running is not None else ""
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
                fix=command("host", "reload") if home is not None else None,
                advice="It was added after the host started; reload the host to serve it.",
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
            f"same (`{command('token', 'show', connector=name)}`), then paste it into Entra.",
        )
    what = probe.error or f"HTTP {probe.status}"
    return Check(
        f"probe:{name}",
        False,
        f"{name}: GET ServiceProviderConfig failed ({what})",
        fix=command("agent", "test-connection", connector=name),
    )


def _to_file_store(name: str) -> str:
    return command("token", "set", "--secret-store", "file", connector=name)


def _database_advice(name: str) -> str:
    check = command("configure", "connectivity", connector=name)
    return (
        f"Check that the database answers (`{check}` tests it); the host retries by itself "
        "and recovers when it does."
    )


def certificate_check(
    home: Home, settings: Any, checks: list[Check], now: datetime
) -> CertificateReport | None:
    """Append the certificate's check (validity, expiry, SAN); return what was found."""
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
    if state == "key_missing":  # the file is there: "no certificate" would send people astray
        keyless = next(p for p in status.problems if p.code == "key_missing")
        checks.append(Check("certificate", False, keyless.message, advice=keyless.hint))
    elif state == "missing":
        checks.append(
            Check(
                "certificate",
                False,
                f"no certificate at {status.cert_path}",
                fix=command("cert", "create"),
            )
        )
    elif state in ("expired", "not_yet_valid"):
        when = f"{report.not_after:%Y-%m-%d}" if report.not_after else "?"
        checks.append(
            Check(
                "certificate",
                False,
                f"not valid now ({state.replace('_', ' ')}; until {when}); Entra refuses it",
                fix=command("cert", "renew"),
            )
        )
    elif status.hostname_in_san is False:
        checks.append(
            Check(
                "certificate",
                False,
                f"{san}; Entra's Test Connection fails with a name mismatch",
                fix=command("cert", "create", "--force"),
            )
        )
    elif state == "unusable":
        problem = status.problems[0].message if status.problems else "unusable"
        checks.append(Check("certificate", False, problem, fix=command("cert", "status")))
    elif days is not None and days < CERT_WARN_DAYS:
        checks.append(
            Check(
                "certificate",
                False,
                f"expires in {days} days · {san}",
                fix=command("cert", "renew"),
            )
        )
    else:
        due = " · renewal due" if state == "renewal_due" else ""
        checks.append(Check("certificate", True, f"valid · expires in {days} days · {san}{due}"))
    return report
