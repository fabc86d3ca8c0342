"""`host run` serves /metrics on its own loopback port: scraped after SCIM requests, as
Prometheus would; off means nothing listens; status and the banner say where it is."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import httpx
import pytest
from hostproc import HostProcess, ecmactl, free_port, init_sample, read_token
from prometheus_client.parser import text_string_to_metric_families

pytestmark = pytest.mark.slow

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def samples_of(text: str) -> Samples:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def refused(address: str, port: int) -> bool:
    try:
        with socket.create_connection((address, port), timeout=5):
            return False
    except OSError:
        return True


def other_address() -> str | None:
    """An address of this machine that is not loopback (None when it has none)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks a route
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def configure(home: Path, *args: str) -> None:
    done = ecmactl(home, "configure", "settings", "--no-input", *args)
    assert done.returncode == 0, done.stderr


def test_host_run_serves_metrics_on_loopback_after_scim_requests(tmp_path: Path) -> None:
    home = tmp_path / "home"
    init_sample(home)
    metrics_port = free_port()
    configure(home, "--metrics-port", str(metrics_port))
    port = free_port()
    with HostProcess(home, port) as host:
        status = host.wait_ready()
        url = f"http://127.0.0.1:{metrics_port}/metrics"
        assert status["metrics"] == {"url": url, "bind": "127.0.0.1", "port": metrics_port}
        assert f"Prometheus metrics at {url}" in host.log
        text_status = ecmactl(home, "host", "status")
        assert f"Metrics: {url}" in text_status.stdout

        base = f"https://127.0.0.1:{port}/ecma2host_SQL/scim"
        auth = {"Authorization": f"Bearer {read_token(home)}"}
        with httpx.Client(verify=False, headers=auth, timeout=30) as client:
            for _ in range(4):
                assert client.get(f"{base}/Users", params={"count": 1}).status_code == 200
            assert client.get(f"{base}/Users/no-such-user").status_code == 404
            assert client.get(f"{base}/Users", headers={"Authorization": ""}).status_code == 401
            scraped = httpx.get(url, timeout=30)

        assert scraped.status_code == 200
        assert scraped.headers["content-type"].startswith("text/plain; version=0.0.4")
        samples = samples_of(scraped.text)

        def value(name: str, **labels: str) -> float:
            return samples[(name, frozenset(labels.items()))]

        total = "ecmactl_scim_requests_total"
        assert value(total, connector="SQL", method="GET", code="200") == 4
        assert value(total, connector="SQL", method="GET", code="404") == 1
        assert value(total, connector="SQL", method="GET", code="401") == 1
        count = value("ecmactl_scim_request_duration_seconds_count", connector="SQL", method="GET")
        assert count == 6
        inf = value(
            "ecmactl_scim_request_duration_seconds_bucket", connector="SQL", method="GET", le="+Inf"
        )
        assert inf == 6
        connector = status["connectors"][0]
        assert value("ecmactl_cache_users", connector="SQL") == connector["cache_size"]
        assert value("ecmactl_database_reachable", connector="SQL") == 1
        assert value("ecmactl_import_last_success_timestamp_seconds", connector="SQL", kind="full")
        assert value("ecmactl_connections_max") == 1000
        assert value("ecmactl_connections_open") >= 0
        assert 700 < value("ecmactl_certificate_days_remaining") <= 731

        assert httpx.head(url, timeout=30).status_code == 200
        assert httpx.get(url.replace("/metrics", "/"), timeout=30).status_code == 404
        wrong = httpx.post(url, timeout=30)
        assert (wrong.status_code, wrong.headers["allow"]) == (405, "GET, HEAD")
        elsewhere = other_address()
        if elsewhere is not None:  # loopback only: not reachable on the machine's other address
            assert refused(elsewhere, metrics_port)


def test_metrics_off_means_nothing_listens(tmp_path: Path) -> None:
    home = tmp_path / "home"
    init_sample(home)
    metrics_port = free_port()
    configure(home, "--metrics-port", str(metrics_port), "--no-metrics")
    with HostProcess(home, free_port()) as host:
        status = host.wait_ready()
        assert status["metrics"] is None
        assert refused("127.0.0.1", metrics_port)
        assert "Prometheus metrics" not in host.log
        assert "Metrics:" not in ecmactl(home, "host", "status").stdout


def test_a_bad_metrics_setting_stops_host_run_with_the_fix(tmp_path: Path) -> None:
    home = tmp_path / "home"
    init_sample(home)
    settings = home / "settings.toml"
    settings.write_text(settings.read_text().replace("port = 9585", "port = 99999"))
    done = ecmactl(home, "host", "run", "--port", str(free_port()))
    assert done.returncode != 0
    assert "metrics.port = 99999 is not allowed" in done.stderr
    assert "configure settings" in done.stderr
    assert "Traceback" not in done.stderr
    json.dumps(done.stderr)  # one readable message, nothing binary


def test_configure_refuses_the_https_port_for_metrics(tmp_path: Path) -> None:
    home = tmp_path / "home"
    init_sample(home)
    before = (home / "settings.toml").read_text()
    done = ecmactl(home, "configure", "settings", "--no-input", "--metrics-port", "8585")
    assert done.returncode != 0
    assert "--metrics-port: port 8585 is the HTTPS port" in done.stderr
    assert (home / "settings.toml").read_text() == before  # nothing half-written
