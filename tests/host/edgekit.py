"""Helpers for the edge tests: raw HTTP/1.1 over real TLS to an `ecmactl host run` subprocess.

``start_host`` writes the given ``[limits]`` into the home's settings and starts the host; the
rest speak raw bytes, so a test controls exactly what reaches the host and when.
"""

from __future__ import annotations

import json
import select
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hostproc import HostProcess, free_port, init_sample

from ecmactl.config.store import load_settings, save_settings
from ecmactl.home import Home

ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error"
DEADLINE = 15.0  # seconds: liveness only


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def scim_error(self) -> dict[str, object]:
        """The body, checked to be a SCIM error document for this status."""
        assert self.headers.get("content-type") == "application/scim+json", self
        document = json.loads(self.body)
        assert document["schemas"] == [ERROR_URN]
        assert document["status"] == str(self.status)
        assert document["detail"]
        return document  # type: ignore[no-any-return]


def client_context() -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    return context


def connect(port: int, context: ssl.SSLContext | None = None) -> ssl.SSLSocket:
    raw = socket.create_connection(("127.0.0.1", port), timeout=DEADLINE)
    return (context or client_context()).wrap_socket(raw, server_hostname="localhost")


def read_response(sock: socket.socket, data: bytes = b"") -> Response:
    """One HTTP/1.1 response (head, then Content-Length bytes), within the socket's timeout;
    ``data``: its first bytes, already read."""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"connection closed before a response: {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    while len(body) < int(headers.get("content-length", "0")):
        chunk = sock.recv(65536)
        assert chunk, "connection closed inside the body"
        body += chunk
    return Response(int(lines[0].split()[1]), headers, body)


def exchange(port: int, request: bytes) -> Response:
    with connect(port) as sock:
        sock.sendall(request)
        return read_response(sock)


def closed_by_peer(sock: socket.socket) -> bytes:
    """Read until the host closes the connection; what it sent first. Fails at the deadline."""
    received = b""
    sock.settimeout(DEADLINE)
    while True:
        try:
            chunk = sock.recv(65536)
        except (ssl.SSLZeroReturnError, ssl.SSLEOFError, ConnectionResetError):
            return received
        except TimeoutError:
            raise AssertionError(f"the host kept the connection open for {DEADLINE} s") from None
        if not chunk:
            return received
        received += chunk


def answer_so_far(sock: ssl.SSLSocket) -> bytes:
    """Application data the host has sent, without waiting (TLS 1.3 session tickets make the
    socket readable with none)."""
    if not select.select([sock], [], [], 0)[0] and not sock.pending():
        return b""
    sock.setblocking(False)
    try:
        return sock.recv(65536)
    except ssl.SSLWantReadError:
        return b""
    finally:
        sock.settimeout(DEADLINE)


def health(port: int) -> int:
    return exchange(port, b"GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n").status


def start_host(
    home: Path, *, open_files: tuple[int, int] | None = None, **limits: int
) -> HostProcess:
    settings = load_settings(Home(home))
    settings.limits = replace(settings.limits, **limits)
    save_settings(Home(home), settings)
    host = HostProcess(home, free_port(), open_files=open_files)
    try:
        host.wait_ready()
    except BaseException:
        host.stop()
        raise
    return host


def sample_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostProcess]:
    """A module's live host on the sample home: ``yield from`` it in a module fixture."""
    home = tmp_path_factory.mktemp("edge") / "home"
    init_sample(home)
    host = start_host(home)
    yield host
    host.stop()
