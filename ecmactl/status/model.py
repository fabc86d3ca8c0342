"""What a status report holds: the verdict, the checks, and what was found about each part."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from ecmactl.exit_codes import ExitCode
from ecmactl.host.progress import ImportProgress
from ecmactl.host.runfile import RunInfo
from ecmactl.status_document import ClusterStatus, ImportStatus, MetricsStatus, ReloadStatus

State = Literal["running", "degraded", "not_running", "unknown"]
Kind = Literal["host", "agent"]

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
    def from_status(cls, data: ImportStatus | None) -> ImportRun | None:
        """From the host's status document."""
        if data is None:
            return None
        return cls(
            result=data["result"],
            started=data["started"],
            finished=data["finished"],
            duration_s=data["duration_s"],
            rows=data["rows"],
            error=data["error"],
        )

    @classmethod
    def from_dict(cls, data: Any) -> ImportRun | None:
        """From an entry of a sync request's answer, read leniently: its shape is not typed yet."""
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
    tenant_url: str | None  # None: not running and no usable settings to derive it from
    state: str | None = None  # importing | ready | degraded (None: the host did not say)
    cache_size: int | None = None
    imported_rows: int | None = None  # progress of an import under way, when reported
    import_total: int | None = None  # the rows it expects to read (counted at its start)
    import_total_exact: bool | None = None  # False: ``import_total`` is an estimate
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
    auth_error: str | None = None  # the host cannot read the token it checks requests with
    probe: Probe | None = None

    @property
    def import_progress(self) -> ImportProgress | None:
        """The import under way, when the host reported one (text: ``describe()``)."""
        if self.imported_rows is None:
            return None
        return ImportProgress(
            self.imported_rows, self.import_total, self.import_total_exact is not False
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "tenant_url": self.tenant_url,
            "state": self.state,
            "cache_size": self.cache_size,
            "imported_rows": self.imported_rows,
            "import_total": self.import_total,
            "import_total_exact": self.import_total_exact,
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
            "authentication": {"ok": self.auth_error is None, "error": self.auth_error},
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
    reload: ReloadStatus | None = None  # the host's last reload
    cluster: ClusterStatus | None = None  # the hosts sharing its databases
    metrics: MetricsStatus | None = None  # where the host serves Prometheus metrics

    @property
    def exit_code(self) -> ExitCode:
        """LSB's, except: a connector in lease mode whose lease no host holds (no host accepts
        its writes) is NO_LEASE_HOLDER, and a healthy host standing by for one is STANDBY."""
        code = _EXIT[self.state]
        if self.state not in ("running", "degraded"):
            return code
        entries = list(self.cluster["connectors"].values()) if self.cluster else []
        leases = [e.get("lease") for e in entries]
        if any(lease is not None and not lease["held"] for lease in leases):
            return ExitCode.NO_LEASE_HOLDER
        if code is ExitCode.OK and any(e.get("role") == "standby" for e in entries):
            return ExitCode.STANDBY
        return code

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
            "reload": self.reload,
            "cluster": self.cluster,
            "metrics": self.metrics,
            "checks": [c.to_dict() for c in self.checks],
        }


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
