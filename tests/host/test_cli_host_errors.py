"""`ecmactl host run` refusing to start, as a user sees it: one line (and its fix) on stderr, the
documented exit code, never a traceback. Real subprocesses on a home from `init --sample`."""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostproc import HostProcess, ecmactl, free_port, init_sample

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("errors") / "home"
    init_sample(home)
    return home


@pytest.fixture
def copy(sample: Path, tmp_path: Path) -> Path:
    """A private copy of the sample home, for tests that break it."""
    target = tmp_path / "home"
    shutil.copytree(sample, target)
    return target


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def assert_one_error(stderr: str, message: str) -> None:
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines[0] == f"Error: {message}", stderr
    assert lines[1].startswith("Fix: "), stderr
    assert len(lines) == 2, stderr


def test_port_in_use(sample: Path, taken_port: int):
    done = ecmactl(sample, "host", "run", "--port", str(taken_port))
    assert done.returncode == 1
    assert_one_error(
        done.stderr,
        f"port {taken_port} on 127.0.0.1 is in use by another process; stop it or choose --port",
    )


def test_bind_address_not_on_this_machine(sample: Path):
    done = ecmactl(sample, "host", "run", "--port", str(free_port()), "--bind", "192.0.2.7")
    assert done.returncode == 2
    assert_one_error(done.stderr, "192.0.2.7 is not an address of this machine")


def test_missing_certificate(copy: Path):
    (copy / "certs" / "server.crt").unlink()
    done = ecmactl(copy, "host", "run", "--port", str(free_port()))
    assert done.returncode == 13
    assert "Traceback" not in done.stderr
    assert f"the host's certificate {copy / 'certs' / 'server.crt'} does not exist" in done.stderr
    assert f"ecmactl --home {copy} cert create" in done.stderr


def test_no_connector(copy: Path):
    (copy / "connectors" / "SQL.toml").unlink()
    done = ecmactl(copy, "host", "run", "--port", str(free_port()))
    assert done.returncode == 1
    assert "there is no connector" in done.stderr and f"ecmactl --home {copy} init" in done.stderr


def test_no_retry_exits_when_the_database_is_unreachable(copy: Path):
    path = copy / "connectors" / "SQL.toml"
    path.write_text(
        path.read_text().replace("{home}/data/contoso.db", "{home}/no-such-folder/contoso.db")
    )
    log = copy.parent / "host.jsonl"
    done = ecmactl(
        copy,
        "host",
        "run",
        "--port",
        str(free_port()),
        "--no-retry",
        "--log-format",
        "json",
        "--log-file",
        str(log),
    )
    assert done.returncode == 1, done.stderr
    assert "the first import failed and --no-retry is set" in done.stderr
    assert f"ecmactl --home {copy} configure connectivity --connector SQL" in done.stderr
    assert "Traceback" not in done.stderr
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert any(r.get("level", "").lower() == "error" for r in records), records
    assert not (copy / "run" / "host.json").exists()


def test_json_log_lines_and_sigint(copy: Path):
    port = free_port()
    log = copy.parent / "access.jsonl"
    with HostProcess(copy, port, "--log-format", "json", "--log-file", str(log)) as host:
        host.wait_ready()
        assert ecmactl(copy, "agent", "status").returncode == 0
        assert host.stop(2) == 0  # SIGINT, as Ctrl-C: graceful, exit 0
    records = [json.loads(line) for line in log.read_text().splitlines()]
    access = [r for r in records if r.get("path", "").endswith("/ServiceProviderConfig")]
    assert access and access[0]["status"] == 200 and access[0]["connector"] == "SQL"


def test_an_unreachable_database_is_retried_and_reported(copy: Path):
    """Without --no-retry the host stays up (and serves 503) while it retries; status says so."""
    import time

    path = copy / "connectors" / "SQL.toml"
    path.write_text(
        path.read_text().replace("{home}/data/contoso.db", "{home}/no-such-folder/contoso.db")
    )
    with HostProcess(copy, free_port()) as host:
        end = time.monotonic() + 20
        while True:
            done = ecmactl(copy, "host", "status")
            if "SQL - degraded" in done.stdout or time.monotonic() > end or host.proc.poll():
                break
            time.sleep(0.05)  # a poll interval, bounded by the deadline
        assert done.returncode == 1, done.stdout + host.log
        assert "✗ SQL: degraded" in done.stdout
        assert "To fix: Check that the database answers" in done.stdout
        assert host.proc.poll() is None  # still running, retrying
        assert host.stop() == 0
