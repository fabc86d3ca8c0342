"""uvicorn's httptools protocol with request-head limits, a head timeout and SCIM error bytes.

What this replaces in uvicorn (``HttpToolsProtocol``, the protocol uvicorn picks when httptools
is installed, as it is for ecmactl), and why:

- ``data_received``: uvicorn feeds every byte to the parser, which buffers a header without
  bound (a huge header holds the event loop for seconds, bench/RESULTS.md; uvicorn has no limit
  for httptools, only ``h11_max_incomplete_event_size`` for h11). Here the bytes of a request head
  are counted *before* the parser sees them, and a head over ``max_header_bytes`` is answered
  431 without reading more. (A head that starts in the same read as the end of a pipelined
  request is counted from the next read: it can exceed the cap by one read, at most 256 KiB.)
- ``on_headers_complete``: at most ``max_header_count`` header fields (431).
- ``send_400_response``: uvicorn writes a ``text/plain`` "Invalid HTTP request received." itself
  for a malformed request (an unknown method, a bad target, garbage); here every refusal is a
  SCIM error document (``application/scim+json``), and the warning is logged once a minute at
  most, not once per attacker's request.
- the head timeout: a connection must deliver a complete request head within
  ``head_timeout_seconds`` of its accept (the TLS handshake included) and of the end of the
  previous response on keep-alive. uvicorn's keep-alive timer stops at the first byte, so a
  client trickling a header byte by byte held a connection forever. A silent connection is
  closed silently; one that sent part of a head gets 408.

``on_lost`` is set by ``ecmactl.host.listener`` and called once when the connection ends.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, ClassVar

import httptools
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from ecmactl.config.models import HostLimits
from ecmactl.host.http import error_body
from ecmactl.host.throttled_log import ThrottledWarning

log = logging.getLogger("ecmactl.host.edge")


class _Refused(Exception):
    """Raised in a parser callback to stop parsing; the protocol answers ``status``."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail


def error_bytes(status: int, detail: str, headers: list[tuple[bytes, bytes]]) -> bytes:
    """A complete ``Connection: close`` response carrying a SCIM error document."""
    body = error_body(status, detail)
    lines = [STATUS_LINE[status]]
    lines.extend(b"%s: %s\r\n" % (name, value) for name, value in headers)
    lines.append(b"content-type: application/scim+json\r\n")
    lines.append(b"content-length: %d\r\nconnection: close\r\n\r\n" % len(body))
    lines.append(body)
    return b"".join(lines)


def _parser_error(exc: httptools.HttpParserError) -> tuple[int, str]:
    if isinstance(exc, httptools.HttpParserInvalidMethodError):
        return 400, "The request method is not one this host knows"
    if isinstance(exc, httptools.HttpParserInvalidURLError):
        return 400, "The request target is not a valid path"
    reason = str(exc).strip() or type(exc).__name__
    return 400, f"The request is not valid HTTP/1.1 ({reason})"


class EdgeHttpProtocol(HttpToolsProtocol):
    """Use ``protocol_class(limits)``: the subclass that carries the limits."""

    limits: ClassVar[HostLimits] = HostLimits()
    refusals: ClassVar[ThrottledWarning] = ThrottledWarning(log)

    def __init__(
        self,
        config: Any,
        server_state: Any,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.on_lost: Callable[[], None] | None = None
        self._accepted_at = self.loop.time()  # the factory runs at accept, before TLS
        self._max_head = self.limits.max_header_bytes
        self._refused = False
        self._in_head = True
        self._head_bytes = 0
        self._heads_done = 0
        self._head_deadline: float | None = None  # None: no head is awaited
        self._head_timer: asyncio.TimerHandle | None = None

    # -- connection ---------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head(self._accepted_at)

    def connection_lost(self, exc: Exception | None) -> None:
        self._head_deadline = None
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
        super().connection_lost(exc)
        on_lost, self.on_lost = self.on_lost, None
        if on_lost is not None:
            on_lost()

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return  # nothing more is parsed
        self._unset_keepalive_if_required()
        if self._in_head:
            if len(data) > self._max_head - self._head_bytes:
                self._feed_up_to_cap(data)
                return
            self._head_bytes += len(data)
        self._feed(data)

    def _feed_up_to_cap(self, data: bytes) -> None:
        """Feed the head's bytes up to the cap; refuse if it has not ended there."""
        cap = self._max_head
        while data and not self._refused:
            room = cap - self._head_bytes
            if not self._in_head or len(data) <= room:
                self._head_bytes += len(data) if self._in_head else 0
                self._feed(data)
                return
            heads = self._heads_done
            self._head_bytes = cap
            self._feed(data[:room])
            if self._refused:
                return
            if self._heads_done == heads:  # the cap is reached and the head goes on
                self._refuse(431, f"The request line and headers are larger than {cap} bytes")
                return
            data = data[room:]  # the head ended within the cap: go on with the rest

    def _feed(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            log.debug("ignored an Upgrade request (no WebSocket or HTTP/2 here)")
        except httptools.HttpParserError as exc:
            refused = exc.__context__
            if isinstance(refused, _Refused):
                self._refuse(refused.status, refused.detail)
            else:
                self._refuse(*_parser_error(exc))

    def _refuse(self, status: int, detail: str) -> None:
        self._refused = True
        self.refusals("refused a request from %s: %d %s", self._client_name(), status, detail)
        if self.cycle is None or self.cycle.response_complete:  # never inside another answer
            self.transport.write(error_bytes(status, detail, self.server_state.default_headers))
        self.transport.close()

    def send_400_response(self, msg: str) -> None:
        self._refuse(400, "The request is not valid HTTP/1.1")

    def _client_name(self) -> str:
        return f"{self.client[0]}:{self.client[1]}" if self.client else "a client"

    # -- parser callbacks ---------------------------------------------------------------------

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._heads_done += 1
        self._head_deadline = None
        if len(self.headers) > self.limits.max_header_count:  # their bytes are capped already
            limit = self.limits.max_header_count
            raise _Refused(431, f"The request has more than {limit} header fields")
        try:
            super().on_headers_complete()
        except (httptools.HttpParserInvalidURLError, UnicodeDecodeError):
            raise _Refused(400, "The request target is not a valid path") from None

    def on_message_complete(self) -> None:
        self._in_head, self._head_bytes = True, 0
        super().on_message_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self.cycle.response_complete:  # not a pipelined request started by the call above
            self._await_head(self.loop.time())  # the next head, if any, must come in time

    # -- the head timeout ---------------------------------------------------------------------

    # One timer per connection, moved lazily: a keep-alive connection answering thousands of
    # requests a second sets a deadline per request, not a timer.

    def _await_head(self, start: float) -> None:
        self._head_deadline = start + self.limits.head_timeout_seconds
        if self._head_timer is None:
            self._head_timer = self.loop.call_at(self._head_deadline, self._check_head)

    def _check_head(self) -> None:
        self._head_timer = None
        deadline = self._head_deadline
        if deadline is None or self.transport.is_closing():
            return
        if self.loop.time() < deadline:  # a later deadline was set since
            self._head_timer = self.loop.call_at(deadline, self._check_head)
            return
        if self._head_bytes:
            seconds = self.limits.head_timeout_seconds
            self._refuse(408, f"The request head did not arrive within {seconds} s")
        else:
            log.debug("closed %s: no request within the head timeout", self._client_name())
            self.transport.close()


def protocol_class(limits: HostLimits) -> type[EdgeHttpProtocol]:
    """The protocol class to give uvicorn (``Config(http=…)``) for these limits."""
    return type(
        "EdgeHttpProtocol",
        (EdgeHttpProtocol,),
        {"limits": limits, "refusals": ThrottledWarning(log)},
    )
