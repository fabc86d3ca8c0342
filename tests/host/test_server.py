"""The runner (`ecmactl.host.server`) in-process, with a stand-in Host: binding and its errors,
the run files of the local channel, TLS 1.2+, graceful stop, start-up failures, --no-retry."""

from __future__ import annotations

import errno
import json
import os
import socket
import ssl
import stat
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from hostproc import FakeHost, ThreadedServer, free_port, make_home

from ecmactl.config.models import HostLimits
from ecmactl.errors import ConfigError, EcmactlError, UsageError
from ecmactl.home import Home
from ecmactl.host import fdlimit, listener, runfile, server
from ecmactl.host.server import HostStartError, RunOptions


@pytest.fixture
def sample_home(home: Home) -> Home:
    return make_home(home)


def client(home: Home, **kwargs: Any) -> httpx.Client:
    return httpx.Client(verify=runfile.local_tls_context(home.certs_dir / "server.crt"), **kwargs)


def prepared_on_free_port(home: Home, **options: Any) -> server.PreparedHost:
    return server.prepare(home, RunOptions(port=0, bind="127.0.0.1", **options))


# -- binding ----------------------------------------------------------------------------------


def test_port_in_use_is_one_line_with_the_fix():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(HostStartError) as caught:
            server.bind_socket("127.0.0.1", port)
    assert caught.value.message == (
        f"port {port} on 127.0.0.1 is in use by another process; stop it or choose --port"
    )
    assert "\n" not in caught.value.message


@pytest.mark.parametrize(
    ("address", "expected"),
    [("not an address!", "is not an IP address"), ("192.0.2.1", "is not an address of this")],
)
def test_bad_bind_address_is_a_usage_error(address: str, expected: str):
    with pytest.raises(UsageError, match=expected) as caught:
        server.bind_socket(address, free_port())
    assert "127.0.0.1" in (caught.value.hint or "")


def test_bad_bind_address_from_the_settings_is_a_config_error():
    with pytest.raises(ConfigError, match="not an address of this machine") as caught:
        server.bind_socket("192.0.2.1", free_port(), from_flag=False)
    assert "settings.toml" in (caught.value.hint or "")


def test_privileged_port_explains_itself():
    error = server._bind_error(
        OSError(errno.EACCES, "Permission denied"), "0.0.0.0", 443, UsageError, "--bind"
    )
    assert (
        error.message
        == "permission denied binding port 443 on 0.0.0.0 (ports below 1024 are privileged)"
    )
    assert "CAP_NET_BIND_SERVICE" in (error.hint or "")


def test_bound_socket_reports_the_real_port(sample_home: Home):
    prepared = prepared_on_free_port(sample_home)
    try:
        assert prepared.port == prepared.sock.getsockname()[1] != 0
        assert prepared.tenant_url("SQL") == f"https://localhost:{prepared.port}/ecma2host_SQL/scim"
    finally:
        prepared.close()


# -- what must be there before anything is served -------------------------------------------------


def test_no_connector_points_at_init(home: Home):
    make_home(home, connectors=())
    with pytest.raises(ConfigError, match="no connector") as caught:
        prepared_on_free_port(home)
    assert "ecmactl init" in (caught.value.hint or "")


def test_missing_certificate_points_at_cert_create(home: Home):
    make_home(home, cert=False)
    with pytest.raises(EcmactlError, match="does not exist") as caught:
        prepared_on_free_port(home)
    assert caught.value.exit_code == 13
    assert "ecmactl cert create" in (caught.value.hint or "")


def test_unloadable_certificate_is_refused(sample_home: Home):
    (sample_home.certs_dir / "server.crt").write_text("not a certificate")
    with pytest.raises(EcmactlError) as caught:
        prepared_on_free_port(sample_home)
    assert caught.value.exit_code == 12
    assert "ecmactl cert status" in (caught.value.hint or "")


def test_a_second_host_from_the_same_home_is_refused(sample_home: Home):
    first = prepared_on_free_port(sample_home)
    try:
        with pytest.raises(EcmactlError, match="already running") as caught:
            prepared_on_free_port(sample_home)
        assert caught.value.exit_code == 1
        assert f"PID {os.getpid()} on {first.listen_url}" in caught.value.message
    finally:
        first.close()
    prepared_on_free_port(sample_home).close()  # released with the first: the next one starts


def test_a_stale_run_file_does_not_block_a_start(sample_home: Home):
    dead = runfile.RunInfo(
        2**22 + 12345, "127.0.0.1", 8585, "localhost", "2030-01-01T00:00:00Z", "x"
    )
    runfile.write_run_files(sample_home, dead, "token")
    prepared_on_free_port(sample_home).close()


def test_unknown_connector_is_named(sample_home: Home):
    with pytest.raises(UsageError, match=r"no connector named 'sql'.*it has: SQL"):
        prepared_on_free_port(sample_home, connectors=["sql"])


# -- serving ------------------------------------------------------------------------------------


def test_serves_tls_writes_and_removes_the_run_files(sample_home: Home):
    prepared = prepared_on_free_port(sample_home)
    fake = FakeHost(sample_home, None, prepared.connectors, admin_token=prepared.admin_token)
    with ThreadedServer(prepared, fake).running() as running:
        info = json.loads(runfile.run_file(sample_home).read_text())
        assert info["pid"] == os.getpid() and info["port"] == prepared.port
        assert info["connectors"] == ["SQL"] and info["hostname"] == "localhost"
        token_path = runfile.token_file(sample_home)
        assert token_path.read_text().strip() == prepared.admin_token
        assert stat.S_IMODE(token_path.stat().st_mode) == 0o600
        assert stat.S_IMODE(runfile.run_dir(sample_home).stat().st_mode) == 0o700
        with client(sample_home) as http:
            health = http.get(f"https://127.0.0.1:{prepared.port}/health")
            assert (health.status_code, health.text) == (200, "ok")
            assert "server" not in health.headers  # no uvicorn banner
        assert fake.started
    assert running.error is None and running.result == 0
    assert fake.stopped
    assert not runfile.run_file(sample_home).exists()
    assert not runfile.token_file(sample_home).exists()


@pytest.mark.filterwarnings("ignore:ssl.TLSVersion.TLSv1_1 is deprecated:DeprecationWarning")
def test_tls_1_1_is_refused_and_1_2_accepted(sample_home: Home):
    prepared = prepared_on_free_port(sample_home)
    fake = FakeHost(sample_home, None, prepared.connectors)
    with ThreadedServer(prepared, fake).running():
        with pytest.raises(ssl.SSLError):
            handshake(prepared.port, ssl.TLSVersion.TLSv1_1)
        assert handshake(prepared.port, ssl.TLSVersion.TLSv1_2) == "TLSv1.2"


def handshake(port: int, maximum: ssl.TLSVersion) -> str | None:
    """A handshake offering at most ``maximum`` (the security level is lowered so that the
    client may offer TLS 1.1 at all; the refusal must come from the server)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    context.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
    context.maximum_version = maximum
    context.set_ciphers("DEFAULT:@SECLEVEL=0")
    with (
        socket.create_connection(("127.0.0.1", port), timeout=5) as raw,
        context.wrap_socket(raw, server_hostname="localhost") as tls,
    ):
        return tls.version()


def test_stop_lets_an_in_flight_request_finish(sample_home: Home):
    prepared = prepared_on_free_port(sample_home)
    token = "token-of-SQL-123"
    fake = FakeHost(sample_home, None, prepared.connectors, tokens={"SQL": token})
    fake.slow_seconds = 0.5
    answers: list[int] = []
    with ThreadedServer(prepared, fake).running() as running:
        url = f"https://127.0.0.1:{prepared.port}/ecma2host_SQL/scim/Users"

        def call() -> None:
            with client(sample_home, timeout=10) as http:
                answers.append(
                    http.get(url, headers={"Authorization": f"Bearer {token}"}).status_code
                )

        caller = threading.Thread(target=call)
        caller.start()
        deadline_wait(lambda: running.server.server_state.tasks or answers)
        running.server.should_exit = True  # what SIGTERM does
        caller.join(timeout=10)
    assert answers == [200]
    assert running.result == 0


def test_stop_does_not_wait_for_idle_keep_alive_clients(sample_home: Home):
    """Entra's agent keeps connections open and never answers a TLS close_notify: a stop must
    not wait asyncio's 30 s TLS shutdown timeout for each of them."""
    import time

    prepared = prepared_on_free_port(sample_home)
    fake = FakeHost(sample_home, None, prepared.connectors)
    runner = ThreadedServer(prepared, fake)
    with runner.running(), client(sample_home) as idle:
        assert idle.get(f"https://127.0.0.1:{prepared.port}/health").status_code == 200
        started = time.monotonic()
        runner.stop()
        assert time.monotonic() - started < listener.TLS_CLOSE_TIMEOUT + 3
    assert runner.result == 0


def test_an_exception_escaping_the_app_is_a_scim_500(sample_home: Home):
    """Before: uvicorn's own text/plain "Internal Server Error"."""
    prepared = prepared_on_free_port(sample_home)
    fake = FakeHost(sample_home, None, prepared.connectors)
    app = fake.asgi

    async def raising(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] == "/boom":
            raise RuntimeError("a bug")
        await app(scope, receive, send)

    fake.asgi = raising  # type: ignore[assignment]
    with ThreadedServer(prepared, fake).running(), client(sample_home) as http:
        boom = http.get(f"https://127.0.0.1:{prepared.port}/boom")
        after = http.get(f"https://127.0.0.1:{prepared.port}/health")
    assert boom.status_code == 500
    assert boom.headers["content-type"] == "application/scim+json"
    assert boom.json()["status"] == "500" and "host log" in boom.json()["detail"]
    assert after.status_code == 200


def deadline_wait(condition: Any, seconds: float = 10) -> None:
    import time

    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "condition not met in time"
        time.sleep(0.005)


def test_a_startup_error_of_the_host_is_its_message(sample_home: Home):
    prepared = prepared_on_free_port(sample_home)
    fake = FakeHost(
        sample_home,
        None,
        prepared.connectors,
        fail_startup=ConfigError("connector 'SQL' has no secret token", hint="Set one."),
    )
    runner = ThreadedServer(prepared, fake)
    with runner.running():
        pass
    assert isinstance(runner.error, ConfigError)
    assert runner.error.message == "connector 'SQL' has no secret token"
    assert not runfile.run_file(sample_home).exists()


def test_a_startup_bug_keeps_its_traceback_in_the_log(sample_home: Home, caplog):
    prepared = prepared_on_free_port(sample_home)
    fake = FakeHost(sample_home, None, prepared.connectors, fail_startup=RuntimeError("boom"))
    runner = ThreadedServer(prepared, fake)
    with runner.running():
        pass
    assert isinstance(runner.error, HostStartError)
    assert "RuntimeError: boom" in runner.error.message
    assert any(r.exc_info for r in caplog.records if r.name == "ecmactl.host.server")


def test_no_retry_stops_when_the_first_import_fails(sample_home: Home):
    prepared = prepared_on_free_port(sample_home, no_retry=True)
    fake = FakeHost(
        sample_home,
        None,
        prepared.connectors,
        state="degraded",
        first_import={"result": "error", "error": "database unreachable: connection refused"},
    )
    runner = ThreadedServer(prepared, fake)
    runner.thread.start()
    runner.thread.join(timeout=20)
    assert isinstance(runner.error, HostStartError)
    assert "--no-retry" in runner.error.message
    assert "connection refused" in runner.error.message
    assert not runfile.run_file(sample_home).exists()


@pytest.mark.parametrize(
    ("entry", "outcome"),
    [
        ({"name": "A", "state": "importing"}, "pending"),
        ({"name": "A", "state": "ready"}, "ok"),
        ({"name": "A", "last_full_import": {"result": "ok"}}, "ok"),
        ({"name": "A", "last_full_import": {"result": "error", "error": "x"}}, "failed"),
        ({"name": "A", "state": "degraded", "last_full_import": None}, "pending"),
    ],
)
def test_first_import_outcome(entry: dict[str, Any], outcome: str):
    assert runfile.first_import_outcome(entry)[0] == outcome


def test_run_files_are_only_removed_by_their_owner(sample_home: Home):
    info = runfile.RunInfo(4242, "0.0.0.0", 8585, "h", "2030-01-01T00:00:00Z", "x")
    runfile.write_run_files(sample_home, info, "token")
    runfile.remove_run_files(sample_home, pid=4343)  # a host that lost the file to a newer one
    assert runfile.read_run_info(sample_home) == info
    assert info.local_url == "https://127.0.0.1:8585"
    runfile.remove_run_files(sample_home, pid=4242)
    assert runfile.read_run_info(sample_home) is None


def test_local_address_follows_the_bind():
    def url(bind: str) -> str:
        return runfile.RunInfo(1, bind, 9, "h", "t", "v").local_url

    assert url("0.0.0.0") == "https://127.0.0.1:9"
    assert url("::") == "https://[::1]:9"
    assert url("10.1.2.3") == "https://10.1.2.3:9"


def test_log_file_flag():
    assert server.log_file_path(None) is None and server.log_file_path("-") is None
    assert server.log_file_path("/tmp/x.log") == Path("/tmp/x.log")


def test_systemd_unit_template():
    import shutil
    import subprocess

    unit = Path(__file__).parents[2] / "templates" / "ecmactl-host.service"
    text = unit.read_text()
    for line in ("Type=exec", "Restart=on-failure", "NoNewPrivileges=yes", "KillSignal=SIGTERM"):
        assert line in text.splitlines()
    assert any(
        line.startswith("ExecStart=") and line.endswith(" host run") for line in text.splitlines()
    )
    # The default connection cap fits the unit's descriptor limit with 20 connectors' headroom.
    nofile = int(next(x for x in text.splitlines() if x.startswith("LimitNOFILE="))[12:])
    assert nofile >= HostLimits().max_connections + fdlimit.headroom(20)
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "ecmactl-host.service"
        copy.write_text(text.replace("/usr/local/bin/ecmactl", shutil.which("true") or "/bin/true"))
        done = subprocess.run([analyze, "verify", str(copy)], capture_output=True, text=True)
    # Complaints about the unit itself name it ("…/ecmactl-host.service:32: Unknown key …").
    assert done.returncode == 0 and "ecmactl-host.service:" not in done.stderr, done.stderr


def test_a_second_host_says_already_running_before_any_slow_check(
    sample_home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lock comes before the token reads and the schema checks (seconds per connector)."""
    from ecmactl.host import instance, preflight

    checked: list[str] = []

    def check_schema(home: object, connector: Any) -> list[str]:
        checked.append(connector.name)
        return []

    monkeypatch.setattr(preflight, "check_schema", check_schema)
    with instance.acquire(sample_home) as held:
        held.describe(f"PID {os.getpid()} on https://127.0.0.1:1")
        with pytest.raises(instance.HostAlreadyRunning):
            prepared_on_free_port(sample_home)
    assert checked == []
    prepared_on_free_port(sample_home).close()  # the checks run once the lock is ours
    assert checked == ["SQL"]
