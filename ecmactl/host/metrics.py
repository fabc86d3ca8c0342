"""Prometheus metrics of a running host: what operators graph and alert on.

Nothing here is counted twice. The hot path pays for one thing only, ``RequestMetrics.observe``:
a few dict and list increments on the event loop (no lock, no Prometheus object per request),
for what the status counters do not keep: the method, the exact code and the latency. Everything
else is read at scrape time from what ``Host.status`` already reads (caches, syncers, the
database's reachability, token checks) and from the listener's connection count, by
``HostCollector``; the certificate is parsed again only when its file changed.

Names follow Prometheus conventions (base units: seconds, ``_total`` counters, ``_info``).
The cluster's (several hosts on one database: writer lease role and epoch, change-feed lag) are
``ClusterCollector``'s, registered beside ``HostCollector`` by ``metrics_server.registry``; they
read what the last heartbeat and lease tick saw, never the database.
"""

from __future__ import annotations

import os
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    InfoMetricFamily,
    Metric,
)

import ecmactl

if TYPE_CHECKING:
    from ecmactl.host.app import Host
    from ecmactl.host.sync import Syncer, SyncResult

# Seconds. A request answered from the cache takes about a millisecond; a write waits for a
# commit (tens of ms); an unreachable database or a full scan shows in the upper buckets.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_LE = [*(repr(b) for b in LATENCY_BUCKETS), "+Inf"]
# A method outside this set is counted as "other": a label value per unknown token would let a
# client grow the series without bound.
METHODS = frozenset(("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"))
CONNECTOR_STATES = ("importing", "ready", "degraded")
ConnectionCount = Callable[[], "tuple[int, int] | None"]  # (open, cap), None before serving


class _Latency:
    __slots__ = ("buckets", "total")

    def __init__(self) -> None:
        self.buckets = [0] * (len(LATENCY_BUCKETS) + 1)  # per bucket, not cumulative
        self.total = 0.0


class RequestMetrics:
    """Requests by connector, method and code, and their latency. Event loop only."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str, int], int] = {}
        self.latency: dict[tuple[str, str], _Latency] = {}

    def observe(self, connector: str, method: str, status: int, seconds: float) -> None:
        if method not in METHODS:
            method = "other"
        key = (connector, method, status)
        self.counts[key] = self.counts.get(key, 0) + 1
        latency = self.latency.get((connector, method))
        if latency is None:
            latency = self.latency[(connector, method)] = _Latency()
        latency.buckets[bisect_left(LATENCY_BUCKETS, seconds)] += 1
        latency.total += seconds


@dataclass
class ImportRecord:
    """What the syncers' listeners saw, beyond what a syncer keeps itself."""

    last_success: float | None = None  # Unix time of the last import that succeeded
    failures: int = 0


class ImportWatch:
    """Follows every syncer's imports (successes, failures) through ``Syncer.listeners``."""

    def __init__(self) -> None:
        self.records: dict[tuple[str, str], ImportRecord] = {}

    def watch(self, syncer: Syncer) -> None:
        """Idempotent; a reload's new syncers are picked up at the next scrape. The syncer's own
        listeners say whether it is watched (an id() could be a collected syncer's)."""
        if self._record not in syncer.listeners:
            syncer.listeners.append(self._record)

    def _record(self, result: SyncResult) -> None:
        record = self.records.setdefault((result.connector, result.kind), ImportRecord())
        if result.result == "ok":
            finished = result.finished or datetime.now(UTC)
            record.last_success = finished.timestamp()
        elif result.result == "failed":
            record.failures += 1

    def last_success(self, connector: str, result: SyncResult | None) -> float | None:
        record = self.records.get((connector, result.kind)) if result is not None else None
        seen = record.last_success if record is not None else None
        if result is not None and result.result == "ok" and result.finished is not None:
            own = result.finished.timestamp()
            seen = own if seen is None else max(seen, own)
        return seen


class CertificateClock:
    """The host certificate's end of validity, parsed again only when the file changed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen: tuple[int, int] | None = None
        self._not_after: float | None = None

    def not_after(self) -> float | None:
        try:
            stat = os.stat(self.path)
        except OSError:
            self._seen, self._not_after = None, None
            return None
        signature = (stat.st_mtime_ns, stat.st_size)
        if signature != self._seen:
            self._seen, self._not_after = signature, _read_not_after(self.path)
        return self._not_after


def _read_not_after(path: Path) -> float | None:
    from cryptography import x509

    try:
        certificate = x509.load_pem_x509_certificate(path.read_bytes())
    except (OSError, ValueError):
        return None
    return certificate.not_valid_after_utc.timestamp()


class ClusterCollector:
    """The connectors that share their database with other hosts (``runtime.cluster``). Its
    families are always there (empty without a cluster), so alert rules can name them."""

    def __init__(self, host: Host) -> None:
        self.host = host

    def collect(self) -> Iterator[Metric]:
        labels = ["connector"]
        role = GaugeMetricFamily(
            "ecmactl_cluster_lease_role",
            "1 for this host's role for the connector: active (it may write) or standby "
            "(another host holds the writer lease).",
            labels=["connector", "role"],
        )
        mode = GaugeMetricFamily(
            "ecmactl_cluster_lease_mode",
            "1 when the connector runs active/standby (a writer lease), 0 active-active.",
            labels=labels,
        )
        epoch = GaugeMetricFamily(
            "ecmactl_cluster_lease_epoch",
            "The writer lease's epoch (+1 at every change of holder), as last read.",
            labels=labels,
        )
        mine = GaugeMetricFamily(
            "ecmactl_cluster_lease_holder_is_me",
            "1 when this host holds the connector's writer lease (active/standby only).",
            labels=labels,
        )
        lag = GaugeMetricFamily(
            "ecmactl_cluster_change_feed_lag_seconds",
            "Change-feed lag over recent changes: a commit on another host to this cache.",
            labels=["connector", "quantile"],
        )
        applied = CounterMetricFamily(
            "ecmactl_cluster_changes_applied",
            "Changes by other hosts applied to this cache.",
            labels=labels,
        )
        live = GaugeMetricFamily(
            "ecmactl_cluster_hosts_live",
            "Hosts with a recent heartbeat on the connector's database (this one included).",
            labels=labels,
        )
        for name, runtime in list(self.host.runtimes.items()):
            member = runtime.cluster
            if member is None or not member.enabled:
                continue
            for value in ("active", "standby"):
                role.add_metric([name, value], 1 if member.role == value else 0)
            keeper = member.lease
            in_lease_mode = keeper is not None and keeper.mode
            mode.add_metric([name], 1 if in_lease_mode else 0)
            if keeper is not None and keeper.mode and keeper.state is not None:
                epoch.add_metric([name], keeper.state.epoch)
                mine.add_metric([name], 1 if keeper.holding else 0)
            for quantile, ms in member.lag_ms().items():
                if ms is not None and quantile != "max":
                    lag.add_metric([name, "0.5" if quantile == "p50" else "0.99"], ms / 1000.0)
            applied.add_metric([name], member.applied)
            live.add_metric([name], sum(1 for h in member.hosts if h.live))
        yield from (role, mode, epoch, mine, lag, applied, live)


class HostCollector:
    """Builds the host's metric families at scrape time (a prometheus_client collector)."""

    def __init__(
        self,
        host: Host,
        requests: RequestMetrics,
        imports: ImportWatch,
        certificate: CertificateClock,
        connections: ConnectionCount,
        clock: Callable[[], float],
    ) -> None:
        self.host, self.requests, self.imports = host, requests, imports
        self.certificate, self.connections, self.clock = certificate, connections, clock

    def collect(self) -> Iterator[Metric]:
        for syncer in list(self.host.syncers.values()):
            self.imports.watch(syncer)
        yield from self._host()
        yield from self._requests()
        yield from self._connectors()
        yield from self._imports()

    def _host(self) -> Iterator[Metric]:
        info = InfoMetricFamily("ecmactl_host", "The ecmactl host serving these metrics.")
        info.add_metric([], {"version": ecmactl.__version__})
        yield info
        started = self.host.started_at
        if started is not None:
            yield GaugeMetricFamily(
                "ecmactl_host_start_time_seconds",
                "When the host started serving (Unix time).",
                value=started.timestamp(),
            )
        count = self.connections()
        if count is not None:
            yield GaugeMetricFamily(
                "ecmactl_connections_open",
                "Open client connections on the HTTPS port (TLS handshakes included).",
                value=count[0],
            )
            yield GaugeMetricFamily(
                "ecmactl_connections_max",
                "The connection cap (limits.max_connections, lowered for the open-file limit).",
                value=count[1],
            )
        not_after = self.certificate.not_after()
        if not_after is not None:
            yield GaugeMetricFamily(
                "ecmactl_certificate_expiry_timestamp_seconds",
                "When the host's TLS certificate expires (Unix time).",
                value=not_after,
            )
            yield GaugeMetricFamily(
                "ecmactl_certificate_days_remaining",
                "Days until the host's TLS certificate expires (negative: expired).",
                value=round((not_after - self.clock()) / 86400.0, 3),
            )

    def _requests(self) -> Iterator[Metric]:
        total = CounterMetricFamily(
            "ecmactl_scim_requests",
            "SCIM requests answered, by connector, method and HTTP status code.",
            labels=["connector", "method", "code"],
        )
        for (connector, method, code), count in list(self.requests.counts.items()):
            total.add_metric([connector, method, str(code)], count)
        yield total
        duration = HistogramMetricFamily(
            "ecmactl_scim_request_duration_seconds",
            "Time from the request's arrival to its answer sent, by connector and method.",
            labels=["connector", "method"],
        )
        for (connector, method), latency in list(self.requests.latency.items()):
            cumulative, buckets = 0, []
            for le, count in zip(_LE, latency.buckets, strict=True):
                cumulative += count
                buckets.append((le, cumulative))
            duration.add_metric([connector, method], buckets, latency.total)
        yield duration

    def _connectors(self) -> Iterator[Metric]:
        labels = ["connector"]
        cache = GaugeMetricFamily(
            "ecmactl_cache_users", "Users in the connector's cache.", labels=labels
        )
        state = GaugeMetricFamily(
            "ecmactl_connector_state",
            "1 for the connector's current state (importing, ready, degraded).",
            labels=["connector", "state"],
        )
        reachable = GaugeMetricFamily(
            "ecmactl_database_reachable",
            "1 when the connector's database answered at the last attempt, 0 when it did not "
            "(absent until the first attempt).",
            labels=labels,
        )
        token = GaugeMetricFamily(
            "ecmactl_token_readable",
            "1 when the host can read the connector's secret token.",
            labels=labels,
        )
        grace = GaugeMetricFamily(
            "ecmactl_token_grace_remaining_seconds",
            "Seconds until a rotated token's grace period ends (present during one only).",
            labels=labels,
        )
        now = datetime.now(UTC)
        for name, runtime in list(self.host.runtimes.items()):
            size = len(runtime.cache) if runtime.cache is not None else 0
            cache.add_metric([name], size)
            for value in CONNECTOR_STATES:
                state.add_metric([name, value], 1 if runtime.state == value else 0)
            if runtime.database_reachable is not None:
                reachable.add_metric([name], 1 if runtime.database_reachable else 0)
            check = self.host.token_checks.get(name)
            token.add_metric([name], 0 if check is not None and check.error else 1)
            ends = check.grace_ends() if check is not None else None
            if ends is not None and ends > now:
                grace.add_metric([name], round((ends - now).total_seconds(), 3))
        yield from (cache, state, reachable, token, grace)

    def _imports(self) -> Iterator[Metric]:
        labels = ["connector", "kind"]
        duration = GaugeMetricFamily(
            "ecmactl_import_last_duration_seconds",
            "How long the connector's last full or delta import took.",
            labels=labels,
        )
        success = GaugeMetricFamily(
            "ecmactl_import_last_success_timestamp_seconds",
            "When the connector's last successful full or delta import finished (Unix time).",
            labels=labels,
        )
        rows = GaugeMetricFamily(
            "ecmactl_import_last_rows", "Rows the last import read.", labels=labels
        )
        failures = CounterMetricFamily(
            "ecmactl_import_failures",
            "Imports (first, autosync or requested) that failed.",
            labels=labels,
        )
        consecutive = GaugeMetricFamily(
            "ecmactl_autosync_consecutive_failures",
            "Imports failed in a row (0 after a success).",
            labels=["connector"],
        )
        running = GaugeMetricFamily(
            "ecmactl_import_running", "1 while an import runs.", labels=["connector"]
        )
        for name, syncer in list(self.host.syncers.items()):
            for kind, last in (("full", syncer.last_full), ("delta", syncer.last_delta)):
                if last is not None and last.duration_s is not None:
                    duration.add_metric([name, kind], last.duration_s)
                    rows.add_metric([name, kind], last.rows)
                when = self.imports.last_success(name, last)
                if when is not None:
                    success.add_metric([name, kind], when)
                record = self.imports.records.get((name, kind))
                failures.add_metric([name, kind], record.failures if record is not None else 0)
            consecutive.add_metric([name], syncer.failures)
            current = syncer.current
            running.add_metric(
                [name], 1 if current is not None and current.result == "running" else 0
            )
        yield from (duration, success, rows, failures, consecutive, running)
