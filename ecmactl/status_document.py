"""The status document: what a running host answers at ``GET /_ecmactl/status``.

Defined once, for both ends. ``ecmactl.host`` builds a ``HostStatus`` (mypy checks each field it
fills); ``ecmactl.status`` and ``ecmactl.connection_test`` read one only after
``parse_status_document`` checked the JSON that came over the wire against these same types.
It sits at the top of the package, as ``rowstore`` does, because both sides import it: the
status commands already depend on the host's run files, and the host must not depend on the
status commands. It imports nothing of ecmactl but errors and the command formatter.

Compatibility: ``schema_version`` changes only when a field is removed, renamed or changes its
type. A new field or section (the cluster view of several hosts, say) is added as a
``NotRequired`` key under the same version: a reader ignores keys it does not know, and takes a
missing optional section for "not reported".

No ``from __future__ import annotations`` here: on Python 3.11 it hides ``NotRequired`` from
``TypedDict``'s own bookkeeping, and the shape check reads these annotations at run time.
"""

from typing import Final, Literal, NotRequired, TypedDict, cast

import ecmactl
from ecmactl.errors import EcmactlError
from ecmactl.invocation import command
from ecmactl.json_shape import ShapeError, check_shape

STATUS_SCHEMA_VERSION: Final = 1

ConnectorState = Literal["importing", "ready", "degraded"]
Watermark = str | int | float | bool | None  # a delta import's high-water mark, as JSON


class ImportStatus(TypedDict):
    """One full or delta import (the host's ``SyncResult``); also each entry of a sync's answer."""

    connector: str
    kind: Literal["full", "delta"]
    started: str | None  # ISO-8601 UTC, as every time here
    finished: str | None
    duration_s: float | None
    rows: int
    result: Literal["running", "ok", "failed"]
    error: str | None


class ReloadStatus(TypedDict):
    """The host's last reload (``ecmactl.host.reload.ReloadResult``)."""

    at: str | None
    result: Literal["ok", "refused"]
    changes: dict[str, list[str]]  # kind of change -> connector names
    restart_needed: list[str]  # settings keys that apply only after a restart
    error: str | None
    hint: str | None


class ErrorStatus(TypedDict):
    """An error the host recorded, and when."""

    message: str
    at: str | None


class AuthenticationStatus(TypedDict):
    """Whether the host can read the token it checks this connector's requests with."""

    ok: bool
    error: str | None


class DeltaStatus(TypedDict):
    strategy: str
    enabled: bool
    watermark: Watermark


class ConnectorStatus(TypedDict):
    """One served connector: its state, cache, imports, requests and last errors."""

    name: str
    scim_path: str
    state: ConnectorState
    cache_loaded: bool
    cache_size: int
    indexes: list[str]
    autosync_minutes: int
    next_sync_at: str | None  # None: the autosync loop is not running
    import_running: bool
    imported_rows: int | None  # progress of the import under way, if any
    import_total: int | None  # the rows it expects to read
    import_total_exact: bool | None  # False: import_total is an estimate
    last_full_import: ImportStatus | None
    last_delta_import: ImportStatus | None
    delta: DeltaStatus
    consecutive_failures: int
    database_reachable: bool | None  # None: not known yet
    authentication: AuthenticationStatus
    requests: dict[str, int]  # "total", and by status class: "2xx" … "5xx"
    last_error: ErrorStatus | None
    last_client_error: ErrorStatus | None


class ClusterHost(TypedDict):
    """One host registered for a connector on its database (``ecmactl_hosts``)."""

    host_id: str
    connector: str
    address: str
    version: str
    role: str
    started: str | None
    heartbeat: str | None
    heartbeat_age_s: float
    live: bool  # its heartbeat is recent enough
    this_host: bool  # the host that answered this document
    # How far its cache is behind the database, as it last reported (absent from older hosts):
    # p99 ms of the changes it applied recently, and changes received but not applied yet.
    lag_ms: NotRequired[float | None]
    pending: NotRequired[int | None]


class FeedLag(TypedDict):
    """Change-feed lag (a commit on another host to this cache) in ms, over recent changes."""

    p50: float | None
    p99: float | None
    max: float | None


class NegativeCacheStatus(TypedDict):
    entries: int
    hits: int


class LeaseStatus(TypedDict):
    """A connector's writer lease (active/standby), as this host's last look at it saw it."""

    holder: str | None  # the holding host's id
    holder_address: str | None  # its address in the registry
    epoch: int  # +1 at every change of holder
    remaining_s: float | None  # until it expires, by the database's clock; <= 0: expired
    held: bool  # a host holds it (not expired): writes have somewhere to go
    ttl_s: float  # this host's lease lifetime (--lease-ttl)


class ClusterConnector(TypedDict):
    """A connector served among several hosts on one database."""

    enabled: bool  # False: it runs alone, ``problem`` says why
    problem: str | None
    feed_connected: bool
    changes_applied: int
    resyncs: int
    feed_lag_ms: FeedLag
    negative_cache: NegativeCacheStatus
    hosts: list[ClusterHost]
    role: NotRequired[str]  # this host: active (may write) or standby (absent: older hosts)
    lease: NotRequired[LeaseStatus | None]  # None: active-active (no writer lease)


class ClusterStatus(TypedDict):
    """The hosts sharing this host's databases; connectors on SQLite are not listed."""

    host_id: str
    connectors: dict[str, ClusterConnector]


class MetricsStatus(TypedDict):
    """Where the host serves its Prometheus metrics (``[metrics]`` in settings.toml)."""

    url: str
    bind: str
    port: int
    unavailable: NotRequired[str]  # present: not served (why: the port busy, …)


class HostStatus(TypedDict):
    """The whole document. Connectors are keyed by name, in the order the host serves them."""

    schema_version: int  # STATUS_SCHEMA_VERSION of the host that wrote it
    version: str  # the host's ecmactl version
    started: str | None
    uptime_s: float | None
    serves_all: bool  # True: it serves every connector of its home (no --connector)
    reload: ReloadStatus | None
    connectors: dict[str, ConnectorStatus]
    cluster: NotRequired[ClusterStatus]  # absent from hosts that predate clustering
    metrics: NotRequired[MetricsStatus]  # absent: metrics are off (or the host predates them)


class StatusDocumentError(EcmactlError):
    """A status document this ecmactl cannot read; the message names what is wrong."""


def parse_status_document(data: object) -> HostStatus:
    """The document a host sent (decoded JSON), checked against ``HostStatus``; or a
    ``StatusDocumentError`` that names the field at fault, or the versions that differ."""
    restart = (
        "Restart the host so that it runs this ecmactl (`systemctl restart ecmactl-host`, or "
        f"stop it and run `{command('host', 'run')}` again)."
    )
    if not isinstance(data, dict):
        raise StatusDocumentError("the status document is not a JSON object", hint=restart)
    sender = f"the host (ecmactl {data['version']})" if "version" in data else "the host"
    version = data.get("schema_version")
    if version is None:
        raise StatusDocumentError(
            f"{sender} sends a status document without a schema version: it is older than "
            f"this ecmactl ({ecmactl.__version__})",
            hint=restart,
        )
    if type(version) is not int:
        raise StatusDocumentError(
            f"{sender} sends a status document whose schema_version is {version!r}, not a number",
            hint=restart,
        )
    if version != STATUS_SCHEMA_VERSION:
        newer = version > STATUS_SCHEMA_VERSION
        raise StatusDocumentError(
            f"{sender} sends status document version {version}; this ecmactl "
            f"({ecmactl.__version__}) reads version {STATUS_SCHEMA_VERSION}",
            hint="Upgrade ecmactl here to the host's version." if newer else restart,
        )
    try:
        check_shape(data, HostStatus)
    except ShapeError as exc:
        raise StatusDocumentError(
            f"{sender} sent a status document that does not fit version "
            f"{STATUS_SCHEMA_VERSION}: {exc}",
            hint="Run the host and this command from the same ecmactl; if they are the same, "
            "report this as a bug.",
        ) from None
    return cast(HostStatus, data)  # check_shape proved it
