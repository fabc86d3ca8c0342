"""The host's limits under abuse, over real TLS against `ecmactl host run` subprocesses:
the request-head size and header count, idle-connection timeouts, the
connection cap under a low `ulimit -n`, and the ``[limits]`` settings that set them.

``live`` serves with the default limits, ``impatient`` with 1-second TLS handshake and
request-head timeouts. Deadlines are generous liveness bounds, not speed assertions.
"""

from __future__ import annotations

import re
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from edgekit import (
    DEADLINE,
    answer_so_far,
    closed_by_peer,
    connect,
    exchange,
    health,
    read_response,
    sample_host,
    start_host,
)
from hostproc import HostProcess, ecmactl, init_sample

from ecmactl.config.store import load_settings, save_settings
from ecmactl.errors import ConfigError
from ecmactl.home import Home
from ecmactl.host import fdlimit

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostProcess]:
    yield from sample_host(tmp_path_factory)


@pytest.fixture(scope="module")
def impatient(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostProcess]:
    home = tmp_path_factory.mktemp("impatient") / "home"
    init_sample(home)
    host = start_host(home, handshake_timeout_seconds=1, head_timeout_seconds=1)
    yield host
    host.stop()


# -- the request head --------------------------------------------------------------------------


def test_a_head_over_the_cap_is_refused_while_others_are_served(live: HostProcess):
    """The default cap is 64 KiB; the client would send 8 MiB of one header. Before the fix the
    host buffered all of it and, the head never ending, never answered."""
    served: list[int] = []
    flooding = threading.Event()
    flooding.set()

    def other_client() -> None:
        while flooding.is_set():
            served.append(health(live.port))

    other = threading.Thread(target=other_client)
    chunk = b"a" * 65536
    sent = 0
    first = b""
    with connect(live.port) as flood:
        flood.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: ")
        other.start()
        try:
            while sent < 8 << 20 and not first:
                try:
                    flood.sendall(chunk)
                except OSError:
                    break
                sent += len(chunk)
                first = answer_so_far(flood)
            answer = read_response(flood, first)
        finally:
            flooding.clear()
            other.join(DEADLINE)
    assert answer.status == 431
    assert "65536 bytes" in str(answer.scim_error()["detail"])
    assert answer.headers["connection"] == "close"
    assert sent < 8 << 20, "the host let the client send the whole 8 MiB"
    assert served and set(served) == {200}
    assert health(live.port) == 200


def test_a_head_just_under_the_cap_is_served(live: HostProcess):
    request = b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Pad: %s\r\n\r\n"
    padding = 65536 - len(request % b"") - 1
    assert exchange(live.port, request % (b"p" * padding)).status == 200


def test_a_body_read_with_its_head_does_not_count_as_head(live: HostProcess):
    """A small head and a 600 KB body arrive in reads far larger than the head cap."""
    body = b"x" * 600_000
    head = b"POST /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: %d\r\n\r\n"
    with connect(live.port) as sock:
        for _ in range(2):  # and the next request on the same connection is a fresh head
            sock.sendall(head % len(body) + body)
            answer = read_response(sock)
            assert answer.status == 404, answer
            answer.scim_error()


def test_pipelined_requests_in_one_read_are_all_answered(live: HostProcess):
    request = b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Pad: %s\r\n\r\n" % (b"p" * 30000)
    with connect(live.port) as sock:
        sock.sendall(request * 3)  # 90 KB: over the head cap together, each one well under
        answers = b""
        while answers.count(b"\r\n\r\nok") < 3:
            chunk = sock.recv(65536)
            assert chunk, answers
            answers += chunk
    assert answers.count(b"HTTP/1.1 200 OK\r\n") == 3


def test_more_header_fields_than_the_cap_is_431(live: HostProcess):
    fields = b"".join(b"X-Field-%d: 1\r\n" % i for i in range(101))
    answer = exchange(live.port, b"GET /health HTTP/1.1\r\nHost: localhost\r\n" + fields + b"\r\n")
    assert answer.status == 431
    assert "100 header fields" in str(answer.scim_error()["detail"])


# -- idle connections ---------------------------------------------------------------------------


def test_a_connection_without_a_tls_handshake_is_closed(impatient: HostProcess):
    with socket.create_connection(("127.0.0.1", impatient.port), timeout=DEADLINE) as raw:
        assert closed_by_peer(raw) == b""


def test_a_tls_connection_without_a_request_is_closed_silently(impatient: HostProcess):
    with connect(impatient.port) as sock:
        assert closed_by_peer(sock) == b""


def test_a_head_that_never_ends_gets_408(impatient: HostProcess):
    with connect(impatient.port) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        answer = read_response(sock)
        assert closed_by_peer(sock) == b""
    assert answer.status == 408
    answer.scim_error()


def test_a_keep_alive_connection_trickling_its_next_head_is_closed(impatient: HostProcess):
    """uvicorn's keep-alive timer stops at the first byte: one byte now and then held the
    connection forever before the fix."""
    with connect(impatient.port) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
        assert read_response(sock).status == 200
        sock.sendall(b"GET /health HTTP/1.1\r\n")
        answer = read_response(sock)
    assert answer.status == 408
    answer.scim_error()


def test_timeouts_do_not_cut_a_prompt_client(impatient: HostProcess):
    with connect(impatient.port) as sock:
        for _ in range(3):
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
            assert read_response(sock).status == 200


def test_the_connection_cap_under_a_low_descriptor_limit(tmp_path: Path):
    """`ulimit -n 200` (soft and hard): the default cap of 1,000 cannot fit, so the host lowers
    it and says so; 250 idle connections then meet the cap (logged once, the host stays up and
    keeps its descriptors), and once they are gone a normal client is served."""
    home = tmp_path / "home"
    init_sample(home)
    host = start_host(home, open_files=(200, 200), handshake_timeout_seconds=120)
    idle: list[socket.socket] = []
    try:
        match = re.search(r"serving at most (\d+) connections, not 1000", host.log)
        assert match, host.log
        cap = int(match[1])
        assert 8 <= cap < 200
        for _ in range(250):
            idle.append(socket.create_connection(("127.0.0.1", host.port), timeout=DEADLINE))
        end = time.monotonic() + DEADLINE
        while "connection cap reached" not in host.log:
            assert time.monotonic() < end, host.log
            time.sleep(0.05)  # a poll interval, bounded by the deadline
        assert host.log.count("connection cap reached") == 1
        with pytest.raises((ssl.SSLError, ConnectionError, OSError)):
            health(host.port)  # over the cap: closed at once, not left hanging
        for sock in idle:
            sock.close()
        idle.clear()
        end = time.monotonic() + DEADLINE
        while True:
            try:
                if health(host.port) == 200:
                    break
            except (ssl.SSLError, OSError):
                pass
            assert time.monotonic() < end, host.log
            time.sleep(0.05)  # a poll interval, bounded by the deadline
        assert host.proc.poll() is None
        assert "Too many open files" not in host.log
    finally:
        for sock in idle:
            sock.close()
        host.stop()


@pytest.mark.skipif(not Path("/proc/self/limits").exists(), reason="reads /proc (Linux)")
def test_the_soft_descriptor_limit_is_raised_to_fit_the_cap(tmp_path: Path):
    import resource

    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if hard != resource.RLIM_INFINITY and hard < 2000:
        pytest.skip(f"the hard limit {hard} is too low to raise to")
    home = tmp_path / "home"
    init_sample(home)
    host = start_host(home, open_files=(256, hard), max_connections=1000)
    try:
        limits = Path(f"/proc/{host.proc.pid}/limits").read_text()
        soft = re.search(r"Max open files\s+(\d+)", limits)
        assert soft and int(soft[1]) == 1000 + fdlimit.headroom(1), limits
        assert "serving at most" not in host.log
    finally:
        host.stop()


# -- the settings -------------------------------------------------------------------------------


def test_a_limit_out_of_range_is_a_one_line_error(tmp_path: Path):
    home = tmp_path / "home"
    init_sample(home)
    path = home / "settings.toml"
    path.write_text(path.read_text().replace("max_header_count = 100", "max_header_count = 5"))
    with pytest.raises(ConfigError, match=r"limits\.max_header_count = 5 is out of range"):
        load_settings(Home(home))
    done = ecmactl(home, "host", "run")
    assert done.returncode != 0
    assert "limits.max_header_count = 5 is out of range (32 to 10000)" in done.stderr
    assert "Traceback" not in done.stderr


def test_configure_settings_keeps_the_limits(tmp_path: Path):
    home = tmp_path / "home"
    init_sample(home)
    settings = load_settings(Home(home))
    settings.limits = replace(settings.limits, max_connections=500, head_timeout_seconds=5)
    save_settings(Home(home), settings)
    done = ecmactl(home, "configure", "settings", "--no-input", "--port", "9999")
    assert done.returncode == 0, done.stderr
    after = load_settings(Home(home))
    assert after.port == 9999
    assert after.limits == settings.limits
