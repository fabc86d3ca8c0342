"""Bearer-token checks for the SCIM routes, without blocking the event loop.

Each connector has its own secret token, read by ``ecmactl.tokens.TokenVerifier`` (constant
time, rotation grace, reload when the connector file changes). Reading a secret can block (a
keyring over D-Bus, a locked keyring), so ``TokenCheck`` reads them in a worker thread:
- first use, or the connector file or a ``file:`` secret changed (``token set``/``rotate``,
  an edit): the request waits for a reload that read the changed file (other requests go on);
- every ``TokenVerifier.ttl`` seconds (a keyring entry changed outside ecmactl): reloaded in
  the background while requests are answered from the secrets already read.
The token accepted last is remembered for ``remember`` seconds and compared in constant time
first, which skips even the stat of the connector file: a token replaced without grace stops
working within that second. Refused tokens are never remembered. A token that cannot be read
(file deleted, variable unset, keyring entry gone) makes the connector answer 503 until it can.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Literal

import anyio.to_thread

from ecmactl.errors import EcmactlError
from ecmactl.tokens import TokenVerifier

log = logging.getLogger("ecmactl.host.auth")

REMEMBER_S = 1.0
RETRY_S = 1.0  # while a token cannot be read, a request tries again at most this often


class TokenUnavailable(EcmactlError):
    """The connector's secret token cannot be read now: requests get 503, status says why."""


class TokenCheck:
    """``await check(token) -> bool`` for one connector; TokenUnavailable while its token
    cannot be read (the route answers 503; ``error`` says why, for the status document).

    A failed re-read fails closed: a secret that disappeared (deleted file, unset variable,
    removed keyring entry) stops authenticating at once, like a replaced token does, instead of
    being served from memory; the next successful read (at most every ``RETRY_S``, or a status
    request) ends it."""

    def __init__(
        self,
        verifier: TokenVerifier,
        *,
        remember: float = REMEMBER_S,
        clock: Callable[[], float] = time.monotonic,
        on_error: Callable[[str], None] = lambda message: None,
    ) -> None:
        self._verifier = verifier
        self._remember = remember
        self._clock = clock
        self._on_error = on_error
        self._last = b""
        self._until = 0.0
        self._reloading: asyncio.Future[None] | None = None
        self.error: str | None = None  # why the token cannot be read now
        self._failed_at = 0.0

    def grace_ends(self) -> datetime | None:
        """When a rotated token's grace period ends, as last read (metrics; never the token)."""
        return self._verifier.grace_ends()

    async def __call__(self, presented: str) -> bool:
        token = presented.encode()
        now = self._clock()
        if self.error is not None:
            if now - self._failed_at >= RETRY_S:
                await self._reload_now()
            else:
                raise TokenUnavailable(self.error)
        if self._last and now < self._until and hmac.compare_digest(token, self._last):
            return True
        due = self._due()
        while due == "now":  # again if the reload joined had read the file before it changed
            await self._reload_now()
            due = self._due()
        if due == "soon" and self._reloading is None:
            self._reload().add_done_callback(self._background_done)
        if not self._verifier.matches(presented):
            return False
        self._last, self._until = token, now + self._remember
        return True

    async def refresh(self) -> None:
        """Bring ``error`` up to date (start-up, a status request) by reading the token when a
        request would: never read, the connector or a secret file changed, ``ttl`` passed, or
        a failed read may be retried (``RETRY_S``). Status is polled (`host sync`: twice a
        second), so it reports what requests get without a keyring read per poll."""
        due = self._due()
        if self.error is not None:  # "soon" counts from the last good read: not again
            retry = due == "now" or self._clock() - self._failed_at >= RETRY_S
        else:
            retry = due != "no"
        if retry:
            with contextlib.suppress(TokenUnavailable):
                await self._reload_now()

    def _due(self) -> Literal["no", "now", "soon"]:
        try:
            return self._verifier.reload_due()
        except OSError:  # the connector file is gone or unreadable: the reload says why
            return "now"

    async def _reload_now(self) -> None:
        try:
            await asyncio.shield(self._reload())
        except EcmactlError as exc:
            raise TokenUnavailable(self.error or exc.message) from None

    def _reload(self) -> asyncio.Future[None]:
        """The reload running now, or a new one (one at a time per connector)."""
        if self._reloading is None:
            future = asyncio.ensure_future(self._read())
            future.add_done_callback(self._finished)
            self._reloading = future
        return self._reloading

    async def _read(self) -> None:
        try:
            await anyio.to_thread.run_sync(self._verifier.reload)
        except EcmactlError as exc:
            self._failed(exc.message)
            raise
        except Exception as exc:  # a bug or an error no reader maps: still 503, never a 500
            log.error("connector %s: reading the token failed", self._verifier.name, exc_info=exc)
            self._failed(f"{type(exc).__name__} (see the host log)")
            raise TokenUnavailable(self.error or "") from None
        if self.error is not None:
            log.info("connector %s: the bearer token can be read again", self._verifier.name)
            self.error = None

    def _failed(self, reason: str) -> None:
        message = f"cannot read the secret token: {reason}"
        self._last, self._failed_at = b"", self._clock()
        if self.error != message:  # once per new reason, not once per request
            log.error("connector %s: %s; requests get 503", self._verifier.name, message)
            self._on_error(message)
        self.error = message

    def _finished(self, future: asyncio.Future[None]) -> None:
        if self._reloading is future:
            self._reloading = None

    def _background_done(self, future: asyncio.Future[None]) -> None:
        if future.cancelled():
            return
        exc = future.exception()  # an EcmactlError is already in ``error`` and the log
        if exc is not None and not isinstance(exc, EcmactlError):
            name = self._verifier.name
            log.error("connector %s: re-reading the token failed", name, exc_info=exc)


def bearer_token(authorization: bytes | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header (scheme in any case)."""
    if not authorization:
        return None
    scheme, _, token = authorization.decode("latin-1").strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None
