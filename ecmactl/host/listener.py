"""The host's accept loop: a connection cap and TLS handshake and close timeouts.

What this replaces, and why: uvicorn calls ``loop.create_server(…, sock=…, ssl=…)``, whose
accept loop (asyncio's or uvloop's) accepts every connection while descriptors last, with no
hook to refuse one, and uvicorn passes neither ``ssl_handshake_timeout`` nor
``ssl_shutdown_timeout``. 1,005 idle TLS connections then exhausted a 1,024-descriptor limit
and every new client was reset, with nothing logged. ``install`` gives the one loop uvicorn
serves on a ``create_server`` that returns a ``Listener`` instead: it accepts on the bound
socket itself and

- counts open connections from accept to close (TLS handshake included, the expensive part);
  at ``max_connections`` it closes each new connection at once (a descriptor for a moment,
  never more) and logs one warning a minute while that goes on;
- hands each connection to ``loop.connect_accepted_socket`` with ``ssl_handshake_timeout``
  (a peer that never finishes its handshake is dropped) and a short ``ssl_shutdown_timeout``
  (an idle keep-alive client never sends close_notify: asyncio's default 30 s wait for it
  would hold every stop);
- on EMFILE/ENFILE stops accepting for a second and says so (asyncio's own behaviour), instead
  of spinning.

The protocol (``ecmactl.host.edge_protocol``) calls ``on_lost`` when its connection ends.
A loop without ``add_reader`` (Windows' proactor loop) keeps its own accept loop: the handshake
and close timeouts apply there, the cap does not (logged at start).
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
import ssl
from collections.abc import Callable
from typing import Any

from ecmactl.host.throttled_log import ThrottledWarning

log = logging.getLogger("ecmactl.host.listener")

TLS_CLOSE_TIMEOUT = 1.0  # seconds to wait for a closing client's TLS close_notify
ACCEPT_RETRY_DELAY = 1.0  # seconds without accepting after the process ran out of descriptors
_OUT_OF_DESCRIPTORS = {errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM}
ProtocolFactory = Callable[[], asyncio.BaseProtocol]


class Listener:
    """Accepts on ``sock``; what uvicorn's Server uses of asyncio.Server (close, wait_closed)."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        factory: ProtocolFactory,
        sock: socket.socket,
        tls: ssl.SSLContext | None,
        *,
        max_connections: int,
        handshake_timeout: float,
        backlog: int = 100,
        cap_origin: str = "limits.max_connections",
    ) -> None:
        self.loop, self.factory, self.sock, self.tls = loop, factory, sock, tls
        self.max_connections = max_connections
        self.cap_origin = cap_origin
        self.handshake_timeout = handshake_timeout
        self.backlog = max(backlog, 1)
        self.open = 0  # accepted and not yet closed
        self._handshakes: set[asyncio.Task[None]] = set()
        self._serving = False
        self._retry: asyncio.TimerHandle | None = None
        self._cap_warning = ThrottledWarning(log)
        self._descriptor_warning = ThrottledWarning(log)
        self._start()

    @property
    def sockets(self) -> tuple[socket.socket, ...]:
        return (self.sock,)

    def is_serving(self) -> bool:
        return self._serving

    def close(self) -> None:
        """Stop accepting (synchronously: uvicorn closes the socket right after this)."""
        self._stop()
        if self._retry is not None:
            self._retry.cancel()
            self._retry = None
        for task in list(self._handshakes):
            task.cancel()

    async def wait_closed(self) -> None:
        if self._handshakes:
            await asyncio.gather(*self._handshakes, return_exceptions=True)

    # -- accepting ----------------------------------------------------------------------------

    def _start(self) -> None:
        self._retry = None
        self.loop.add_reader(self.sock.fileno(), self._on_readable)
        self._serving = True

    def _stop(self) -> None:
        if self._serving:
            self.loop.remove_reader(self.sock.fileno())
            self._serving = False

    def _on_readable(self) -> None:
        for _ in range(self.backlog):  # as asyncio does: drain what is queued, then yield
            try:
                conn, _ = self.sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                if exc.errno in _OUT_OF_DESCRIPTORS:
                    self._descriptor_warning(
                        "out of file descriptors (%s, %d connections open): not accepting "
                        "for %.0f s; raise LimitNOFILE / `ulimit -n` or lower "
                        "limits.max_connections in settings.toml",
                        exc.strerror,
                        self.open,
                        ACCEPT_RETRY_DELAY,
                    )
                    self._stop()
                    self._retry = self.loop.call_later(ACCEPT_RETRY_DELAY, self._start)
                    return
                log.debug("accept failed: %s", exc)  # ECONNABORTED and the like: next one
                continue
            if self.open >= self.max_connections:
                conn.close()
                self._cap_warning(
                    "connection cap reached: %d connections are open (%s); closing new "
                    "connections until some end",
                    self.open,
                    self.cap_origin,
                )
                continue
            self._serve(conn)

    def _serve(self, conn: socket.socket) -> None:
        conn.setblocking(False)
        if conn.family in (socket.AF_INET, socket.AF_INET6):  # as the loops' own servers do
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.open += 1
        slot = _Slot(self)
        task = self.loop.create_task(self._connect(conn, slot))
        self._handshakes.add(task)
        task.add_done_callback(self._handshakes.discard)

    async def _connect(self, conn: socket.socket, slot: _Slot) -> None:
        def factory() -> asyncio.BaseProtocol:
            protocol = self.factory()
            protocol.on_lost = slot.release  # type: ignore[attr-defined]
            return protocol

        timeouts: dict[str, Any] = {}
        if self.tls is not None:
            timeouts = {
                "ssl_handshake_timeout": self.handshake_timeout,
                "ssl_shutdown_timeout": TLS_CLOSE_TIMEOUT,
            }
        # On failure the loop has closed the transport, which owns ``conn`` (closing it here
        # too could close a descriptor number already reused by the next accept).
        try:
            await self.loop.connect_accepted_socket(factory, conn, ssl=self.tls, **timeouts)
        except asyncio.CancelledError:
            slot.release()
            raise
        except Exception as exc:  # a failed or timed-out handshake
            slot.release()
            log.debug("TLS handshake failed: %s", exc)


class _Slot:
    """One accepted connection's place under the cap, given back exactly once."""

    __slots__ = ("listener",)

    def __init__(self, listener: Listener) -> None:
        self.listener: Listener | None = listener

    def release(self) -> None:
        if self.listener is not None:
            self.listener.open -= 1
            self.listener = None


def install(
    loop: asyncio.AbstractEventLoop,
    *,
    max_connections: int,
    handshake_timeout: float,
    cap_origin: str = "limits.max_connections",
) -> None:
    """Make ``loop.create_server`` (as uvicorn calls it) serve through a ``Listener``;
    ``cap_origin`` says in the cap's warning where ``max_connections`` comes from."""
    original = loop.create_server

    async def create_server(
        factory: ProtocolFactory,
        host: Any = None,
        port: Any = None,
        *,
        sock: socket.socket | None = None,
        ssl: ssl.SSLContext | None = None,
        backlog: int = 100,
        **kwargs: Any,
    ) -> Any:
        if sock is None or kwargs or not _has_readers(loop):
            log.info("the connection cap is not enforced with %s", type(loop).__name__)
            if ssl is not None:
                kwargs["ssl_handshake_timeout"] = handshake_timeout
                kwargs["ssl_shutdown_timeout"] = TLS_CLOSE_TIMEOUT
            kwargs["backlog"] = backlog
            return await original(factory, host, port, sock=sock, ssl=ssl, **kwargs)
        return Listener(
            loop,
            factory,
            sock,
            ssl,
            max_connections=max_connections,
            handshake_timeout=handshake_timeout,
            backlog=backlog,
            cap_origin=cap_origin,
        )

    loop.create_server = create_server  # type: ignore[method-assign,assignment]


def _has_readers(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        probe = socket.socketpair()
    except OSError:  # pragma: no cover
        return False
    try:
        loop.add_reader(probe[0].fileno(), lambda: None)
        loop.remove_reader(probe[0].fileno())
        return True
    except NotImplementedError:  # pragma: no cover - Windows' proactor loop
        return False
    finally:
        for end in probe:
            end.close()
