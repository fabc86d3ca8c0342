"""Prometheus metrics in process: the numbers after SCIM requests, the text format, the
metrics socket's settings, and the templates' rules against what the host exports."""

from __future__ import annotations

import re
import socket
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import Env
from hostkit import ROOT, running, user_body
from hostproc import free_port
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from ecmactl.certs.create import create_self_signed
from ecmactl.certs.files import write_bundle
from ecmactl.certs.testing import cached_key
from ecmactl.config.models import MetricsSettings
from ecmactl.config.store import load_settings
from ecmactl.errors import ConfigError
from ecmactl.host import metrics_server
from ecmactl.host.metrics import LATENCY_BUCKETS

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "prometheus"
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape_text(text: str) -> tuple[set[str], Samples]:
    """(family names, {(sample name, labels): value}) of an exposition, parsed by the
    reference parser."""
    names, samples = set(), {}
    for family in text_string_to_metric_families(text):
        names.add(family.name)
        if family.type == "counter":  # the parser strips the suffix every sample carries
            names.add(f"{family.name}_total")
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return names, samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples[(name, frozenset(labels.items()))]


def with_certificate(env: Env) -> None:
    bundle = create_self_signed("host.example", key=cached_key("ec256"), days=30)
    certs = env.home.certs_dir
    write_bundle(bundle, certs / "server.crt", certs / "server.key")


@pytest.mark.anyio
async def test_requests_latency_cache_and_imports_after_scim_requests(mem_env: Env) -> None:
    with_certificate(mem_env)
    registry = metrics_server.registry(mem_env.host, lambda: (3, 1000))
    async with running(mem_env.host) as client:
        for _ in range(3):
            assert (await client.get(f"{ROOT}/Users?count=1")).status_code == 200
        assert (await client.get(f"{ROOT}/Users/nobody")).status_code == 404
        assert (await client.post(f"{ROOT}/Users", json=user_body("metrics1"))).status_code == 201
        assert (await client.get(f"{ROOT}/Users", headers={"Authorization": ""})).status_code == 401
        names, samples = scrape_text(generate_latest(registry).decode())
        cache_size = mem_env.host.status()["connectors"]["contoso"]["cache_size"]

    c = "contoso"
    total = "ecmactl_scim_requests_total"
    assert value(samples, total, connector=c, method="GET", code="200") == 3
    assert value(samples, total, connector=c, method="GET", code="404") == 1
    assert value(samples, total, connector=c, method="GET", code="401") == 1
    assert value(samples, total, connector=c, method="POST", code="201") == 1
    duration = "ecmactl_scim_request_duration_seconds"
    assert value(samples, f"{duration}_count", connector=c, method="GET") == 5
    assert value(samples, f"{duration}_count", connector=c, method="POST") == 1
    assert value(samples, f"{duration}_sum", connector=c, method="GET") > 0
    buckets = [
        value(samples, f"{duration}_bucket", connector=c, method="GET", le=str(le))
        for le in [*LATENCY_BUCKETS, "+Inf"]
    ]
    assert buckets == sorted(buckets) and buckets[-1] == 5  # cumulative, ending at the count
    assert value(samples, "ecmactl_cache_users", connector=c) == cache_size
    assert value(samples, "ecmactl_connector_state", connector=c, state="ready") == 1
    assert value(samples, "ecmactl_database_reachable", connector=c) == 1
    assert value(samples, "ecmactl_token_readable", connector=c) == 1
    assert value(samples, "ecmactl_autosync_consecutive_failures", connector=c) == 0
    assert value(samples, "ecmactl_import_failures_total", connector=c, kind="full") == 0
    assert value(samples, "ecmactl_import_last_rows", connector=c, kind="full") > 0
    assert value(samples, "ecmactl_import_last_success_timestamp_seconds", connector=c, kind="full")
    assert value(samples, "ecmactl_connections_open") == 3
    assert value(samples, "ecmactl_connections_max") == 1000
    assert 29 < value(samples, "ecmactl_certificate_days_remaining") <= 30
    assert value(samples, "ecmactl_host_info", version=__import__("ecmactl").__version__) == 1
    assert "ecmactl_token_grace_remaining_seconds" in names  # declared; no sample outside grace


@pytest.mark.anyio
async def test_a_rotated_tokens_grace_is_seconds_remaining_never_the_token(mem_env: Env) -> None:
    from datetime import timedelta

    from ecmactl.tokens import rotate_token

    rotate_token(mem_env.home, "contoso", grace=timedelta(hours=1))
    registry = metrics_server.registry(mem_env.host, lambda: None)
    async with running(mem_env.host):
        await mem_env.host.refresh_tokens()
        text = generate_latest(registry).decode()
    _, samples = scrape_text(text)
    remaining = value(samples, "ecmactl_token_grace_remaining_seconds", connector="contoso")
    assert 3500 < remaining <= 3600
    assert "s3cr3t" not in text


def exported_names(mem_env: Env) -> set[str]:
    with_certificate(mem_env)
    registry = metrics_server.registry(mem_env.host, lambda: (0, 8))
    names, samples = scrape_text(generate_latest(registry).decode())
    return names | {name for name, _ in samples}


def test_the_alert_rules_use_only_metrics_the_host_exports(mem_env: Env) -> None:
    rules = yaml.safe_load((TEMPLATES / "alerts.yml").read_text())
    exprs = [rule["expr"] for group in rules["groups"] for rule in group["rules"]]
    used = {name for expr in exprs for name in re.findall(r"\becmactl_[a-z_]+", expr)}
    assert used, exprs
    assert used <= exported_names(mem_env)
    alerts = {rule["alert"] for group in rules["groups"] for rule in group["rules"]}
    assert {
        "EcmactlHostDown",
        "EcmactlCertificateExpiresSoon",
        "EcmactlCertificateExpired",
        "EcmactlImportFailing",
        "EcmactlDatabaseUnreachable",
        "EcmactlNoLeaseHolder",
    } <= alerts


def test_the_scrape_config_targets_the_default_metrics_address() -> None:
    config: dict[str, Any] = yaml.safe_load((TEMPLATES / "scrape.yml").read_text())
    job = config["scrape_configs"][0]
    assert job["metrics_path"] == metrics_server.PATH
    defaults = MetricsSettings()
    target = f"{defaults.bind_address}:{defaults.port}"
    assert target in job["static_configs"][0]["targets"]


# -- the metrics socket ------------------------------------------------------------------------


def test_disabled_metrics_bind_nothing() -> None:
    assert metrics_server.bind(MetricsSettings(enabled=False, port=free_port())) == (None, [])


def test_loopback_by_default_without_a_warning() -> None:
    bound, warnings = metrics_server.bind(MetricsSettings(port=free_port()))
    assert isinstance(bound, metrics_server.MetricsSocket)
    try:
        assert bound.sock.getsockname()[0] == "127.0.0.1"
        assert bound.url == f"http://127.0.0.1:{bound.port}/metrics"
        assert warnings == []
    finally:
        bound.sock.close()


def test_a_non_loopback_address_warns_that_anyone_reaching_it_reads_the_numbers() -> None:
    bound, warnings = metrics_server.bind(MetricsSettings(bind_address="0.0.0.0", port=free_port()))
    assert isinstance(bound, metrics_server.MetricsSocket)
    bound.sock.close()
    assert len(warnings) == 1
    assert "without authentication" in warnings[0]
    assert "--metrics-bind-address 127.0.0.1" in warnings[0]


def test_a_busy_metrics_port_is_a_warning_and_the_host_serves_on() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen(1)
        port = holder.getsockname()[1]
        bound, warnings = metrics_server.bind(MetricsSettings(port=port))
    assert isinstance(bound, metrics_server.MetricsUnavailable)
    assert bound.reason == f"port {port} on 127.0.0.1 is in use by another process"
    assert f"port {port} on 127.0.0.1 is in use" in warnings[0]
    assert "--metrics-port PORT" in warnings[0]


def test_an_address_not_of_this_machine_is_a_warning_naming_the_fix() -> None:
    """Any bind failure, not only a busy port: the host serves provisioning without metrics."""
    bound, warnings = metrics_server.bind(
        MetricsSettings(bind_address="192.0.2.77", port=free_port())
    )
    assert isinstance(bound, metrics_server.MetricsUnavailable)
    assert "cannot serve them on 192.0.2.77" in bound.reason
    (warning,) = warnings
    assert warning.startswith("metrics are off: cannot serve them on 192.0.2.77")
    assert "--metrics-bind-address" in warning and "--no-metrics" in warning


@pytest.mark.anyio
async def test_status_shows_metrics_that_could_not_be_served(mem_env: Env) -> None:
    unavailable = metrics_server.MetricsUnavailable("192.0.2.77", 9585, "cannot serve them")
    endpoint = await metrics_server.start(unavailable, mem_env.host, lambda: None)
    assert endpoint is None
    assert mem_env.host.status()["metrics"] == {
        "url": "http://192.0.2.77:9585/metrics",
        "bind": "192.0.2.77",
        "port": 9585,
        "unavailable": "cannot serve them",
    }


def test_a_syncer_is_watched_even_where_a_collected_one_lived() -> None:
    """ImportWatch must not key syncers by id(): CPython reuses the id of a collected object."""
    from ecmactl.host.metrics import ImportWatch
    from ecmactl.host.sync import Syncer

    watch = ImportWatch()
    ids = []
    for _ in range(50):
        syncer = Syncer.__new__(Syncer)  # only its listeners matter here
        syncer.listeners = []
        ids.append(id(syncer))
        watch.watch(syncer)
        watch.watch(syncer)  # idempotent
        assert len(syncer.listeners) == 1
        del syncer  # freed at once (no cycle): the next one may get its id
    assert len(set(ids)) < len(ids)  # an id was reused, so the test saw what it guards against


@pytest.mark.parametrize(
    ("lines", "key"),
    [
        ("[metrics]\nport = 70000\n", "metrics.port = 70000"),
        ('[metrics]\nbind_address = "nowhere"\n', 'metrics.bind_address = "nowhere"'),
        ("[metrics]\nport = 8585\n", "metrics.port = 8585 is the HTTPS port"),
    ],
)
def test_a_bad_metrics_setting_is_refused_at_load_naming_the_fix(
    mem_env: Env, lines: str, key: str
) -> None:
    path = mem_env.home.settings_path
    text = path.read_text()
    text = re.sub(r"\n\[metrics\]\n(?:[^\[\n][^\n]*\n)*", "\n", text)
    path.write_text(text + "\n" + lines)
    with pytest.raises(ConfigError) as caught:
        load_settings(mem_env.home)
    assert key in caught.value.message
    assert "configure settings" in (caught.value.hint or "")


@pytest.mark.anyio
async def test_a_metrics_change_needs_a_restart(mem_env: Env) -> None:
    from dataclasses import replace

    from ecmactl.config.store import save_settings

    settings = mem_env.host.settings
    async with running(mem_env.host):
        save_settings(mem_env.home, replace(settings, metrics=MetricsSettings(enabled=False)))
        result = await mem_env.host.reload()
    assert result.result == "ok", result.error
    assert result.restart_needed == ["metrics"]  # the metrics socket was bound at start


def test_cluster_metrics_show_the_lease_role_epoch_and_feed_lag(mem_env: Env) -> None:
    from sqlalchemy import MetaData, create_engine

    from ecmactl.cluster.lease import Lease, LeaseState
    from ecmactl.cluster.lease_keeper import LeaseKeeper
    from ecmactl.cluster.member import ClusterMember
    from ecmactl.cluster.tables import define_lease

    runtime = mem_env.host.runtimes["contoso"]
    member = ClusterMember(runtime.connector, host_id="me", address="here:1", version="1")
    member.enabled = True
    now = [100.0]
    lease = Lease(create_engine("sqlite://"), define_lease(MetaData()), "contoso")  # never used
    keeper = LeaseKeeper(lease, "me", standby=True, ttl=10, clock=lambda: now[0])
    keeper.mode, keeper.state = True, LeaseState("me", 7, 9.0)  # as a tick that took it sets
    keeper.epoch, keeper.deadline = 7, 109.0
    member.lease = keeper
    member.lags.extend([0.010, 0.020, 0.030])
    runtime.cluster = member
    registry = metrics_server.registry(mem_env.host, lambda: None)

    def scrape() -> Samples:
        return scrape_text(generate_latest(registry).decode())[1]

    samples = scrape()
    c = "contoso"
    assert value(samples, "ecmactl_cluster_lease_role", connector=c, role="active") == 1
    assert value(samples, "ecmactl_cluster_lease_role", connector=c, role="standby") == 0
    assert value(samples, "ecmactl_cluster_lease_mode", connector=c) == 1
    assert value(samples, "ecmactl_cluster_lease_epoch", connector=c) == 7
    assert value(samples, "ecmactl_cluster_lease_holder_is_me", connector=c) == 1
    lag = "ecmactl_cluster_change_feed_lag_seconds"
    assert value(samples, lag, connector=c, quantile="0.5") == pytest.approx(0.020)
    now[0] = 110.0  # past its local deadline without a renewal: no longer the writer
    samples = scrape()
    assert value(samples, "ecmactl_cluster_lease_holder_is_me", connector=c) == 0
    assert value(samples, "ecmactl_cluster_lease_role", connector=c, role="standby") == 1
