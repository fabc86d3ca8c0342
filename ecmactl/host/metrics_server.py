"""``GET /metrics`` on a plain-HTTP port of its own (``[metrics]`` in settings.toml).

A port of its own, not a path on the SCIM port: Prometheus scrapes plain HTTP by default, the
SCIM port is the one opened to Entra's agent, and a scrape must not share the connection cap or
a token with provisioning. Loopback by default (a node exporter's textfile or a local
Prometheus agent reads it); another address is the admin's choice and earns a warning, since
the numbers name connectors and their health without any authentication.

The endpoint runs on the host's event loop, so a scrape reads the runtimes between two requests
(no locks on the hot path). It answers one request per connection (``Connection: close``) with
a bounded head; anything but ``GET``/``HEAD /metrics`` is a 404 or a 405.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import ipaddress
import logging
import socket
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.registry import Collector

from ecmactl.config.models import MetricsSettings
from ecmactl.invocation import command

if TYPE_CHECKING:
    from ecmactl.host.app import Host
    from ecmactl.host.metrics import ConnectionCount

log = logging.getLogger("ecmactl.host.metrics")
PATH = "/metrics"
HEAD_LIMIT = 8192  # bytes of request line and headers; a scraper sends a few hundred
HEAD_TIMEOUT_S = 10.0
MAX_CONNECTIONS = 16  # concurrent scrapes; a loopback port needs few
# The text format every Prometheus reads (prometheus_client's own server answers it unless a
# scraper asks for more); its CONTENT_TYPE_LATEST is 1.0.0 now.
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@dataclass
class MetricsSocket:
    """The bound metrics socket and where it serves."""

    sock: socket.socket
    bind: str
    port: int

    @property
    def url(self) -> str:
        host = f"[{self.bind}]" if ":" in self.bind else self.bind
        return f"http://{host}:{self.port}{PATH}"


@dataclass
class MetricsUnavailable:
    """Metrics are on but cannot be served: where they were asked for, and why not."""

    bind: str
    port: int
    reason: str

    @property
    def url(self) -> str:
        host = f"[{self.bind}]" if ":" in self.bind else self.bind
        return f"http://{host}:{self.port}{PATH}"


def bind(
    metrics: MetricsSettings,
) -> tuple[MetricsSocket | MetricsUnavailable | None, list[str]]:
    """The metrics socket (None when disabled; ``MetricsUnavailable`` when it cannot be bound)
    and the warnings to show.

    A port that cannot be bound (busy, an address that is not this machine's, a privileged port)
    does not stop the host: provisioning matters more than its graphs; the warning, ``host
    status`` and the scrape that fails (Prometheus's ``up == 0``) tell the operator."""
    if not metrics.enabled:
        return None, []
    address, port = metrics.bind_address, metrics.port
    fix = (
        f"Set another with `{command('configure', 'settings', '--metrics-port', 'PORT')}` "
        f"(or `--metrics-bind-address`), or turn metrics off with "
        f"`{command('configure', 'settings', '--no-metrics')}`."
    )

    def unavailable(reason: str) -> tuple[MetricsUnavailable, list[str]]:
        return MetricsUnavailable(address, port, reason), [f"metrics are off: {reason}. {fix}"]

    try:
        infos = socket.getaddrinfo(address, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError):
        return unavailable(
            f"metrics.bind_address {address!r} in settings.toml is not an address of this machine"
        )
    family, kind, proto, _, sockaddr = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        if sys.platform != "win32":  # a restart must not wait for TIME_WAIT
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(sockaddr)
        sock.listen(64)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE or getattr(exc, "winerror", None) == 10048:
            return unavailable(f"port {port} on {address} is in use by another process")
        return unavailable(
            f"cannot serve them on {address}:{port} ([metrics] in settings.toml): "
            f"{exc.strerror or exc}"
        )
    sock.setblocking(False)
    bound = MetricsSocket(sock, address, int(sock.getsockname()[1]))
    warnings = []
    if not _loopback(address):
        warnings.append(
            f"metrics are served without authentication at {bound.url}: whoever reaches that "
            "port reads connector names, request counts and health. Keep it behind a firewall, "
            f"or bind it to this machine with "
            f"`{command('configure', 'settings', '--metrics-bind-address', '127.0.0.1')}`."
        )
    return bound, warnings


def _loopback(address: str) -> bool:
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False  # "*": every interface


def registry(
    host: Host, connections: ConnectionCount, extra: Sequence[Collector] = ()
) -> CollectorRegistry:
    """The host's collectors, wired to its request path (``ScimApp.observe``).

    ``extra``: more collectors served beside the host's own and the cluster's."""
    from ecmactl.certs.manage import host_paths
    from ecmactl.host.metrics import (
        CertificateClock,
        ClusterCollector,
        HostCollector,
        ImportWatch,
        RequestMetrics,
    )

    requests = RequestMetrics()
    host.scim.observe = requests.observe
    cert_path, _ = host_paths(host.home, host.settings)
    collector = HostCollector(
        host, requests, ImportWatch(), CertificateClock(cert_path), connections, time.time
    )
    found = CollectorRegistry(auto_describe=False)
    found.register(collector)
    found.register(ClusterCollector(host))
    for more in extra:
        found.register(more)
    return found


class MetricsEndpoint:
    """Serves ``registry`` on ``bound.sock`` until ``close``."""

    def __init__(self, bound: MetricsSocket, metrics: CollectorRegistry) -> None:
        self.bound, self.metrics = bound, metrics
        self._server: asyncio.base_events.Server | None = None
        self._open = 0

    async def start(self) -> None:
        # asyncio's own server: listener.install (the SCIM port's cap) is not in place yet.
        self._server = await asyncio.start_server(
            self._serve, sock=self.bound.sock, limit=HEAD_LIMIT
        )
        log.info("metrics at %s", self.bound.url)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 1.0)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._open >= MAX_CONNECTIONS:
            writer.close()
            return
        self._open += 1
        try:
            async with asyncio.timeout(HEAD_TIMEOUT_S):
                head = await reader.readuntil(b"\r\n\r\n")
            writer.write(self._answer(head))
            await writer.drain()
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, OSError):
            pass
        finally:
            self._open -= 1
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    def _answer(self, head: bytes) -> bytes:
        method, _, rest = head.partition(b"\r\n")[0].decode("latin-1").partition(" ")
        path = rest.partition(" ")[0].partition("?")[0]
        if path != PATH:
            return _response(404, f"Not found: metrics are at {PATH}\n".encode(), "text/plain")
        if method not in ("GET", "HEAD"):
            return _response(405, b"Use GET\n", "text/plain", [("Allow", "GET, HEAD")])
        body = generate_latest(self.metrics)
        return _response(200, body, CONTENT_TYPE, head_only=method == "HEAD")


_REASONS = {200: "OK", 404: "Not Found", 405: "Method Not Allowed"}


def _response(
    status: int,
    body: bytes,
    content_type: str,
    headers: list[tuple[str, str]] | None = None,
    *,
    head_only: bool = False,
) -> bytes:
    lines = [
        f"HTTP/1.1 {status} {_REASONS[status]}",
        f"Content-Type: {content_type}",
        f"Content-Length: {len(body)}",
        "Connection: close",
        *(f"{name}: {value}" for name, value in headers or []),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (b"" if head_only else body)


async def start(
    bound: MetricsSocket | MetricsUnavailable | None, host: Any, connections: ConnectionCount
) -> MetricsEndpoint | None:
    """Serve metrics for ``host`` when it is the real Host (a test's stand-in has none)."""
    from ecmactl.host.app import Host

    if bound is None or not isinstance(host, Host):
        return None
    if isinstance(bound, MetricsUnavailable):  # status says so
        host.metrics = {
            "url": bound.url,
            "bind": bound.bind,
            "port": bound.port,
            "unavailable": bound.reason,
        }
        return None
    host.metrics = {"url": bound.url, "bind": bound.bind, "port": bound.port}
    endpoint = MetricsEndpoint(bound, registry(host, connections))
    await endpoint.start()
    return endpoint


def connection_count(servers: Callable[[], list[Any]]) -> ConnectionCount:
    """(open, cap) of the SCIM port's ``Listener`` among uvicorn's servers, once serving."""
    from ecmactl.host.listener import Listener

    def count() -> tuple[int, int] | None:
        for server in servers():
            if isinstance(server, Listener):
                return server.open, server.max_connections
        return None

    return count
