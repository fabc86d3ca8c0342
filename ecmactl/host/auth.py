"""Bearer-token checks for the SCIM routes.

Each connector has its own secret token, checked by ``ecmactl.tokens.TokenVerifier`` (constant
time, rotation grace, reload when the connector file changes). Its check stats the connector
file and rebuilds the accepted list on every call: ~20 µs, a fifth of a filtered GET. So the
last accepted token is remembered for ``ttl`` seconds and compared in constant time first; a
token set or rotated without grace stops working within that second. Refused tokens are never
remembered.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable

REMEMBER_S = 1.0


class RememberingVerifier:
    """``verify(token) -> bool`` that skips the full check for the token it accepted last."""

    def __init__(
        self,
        verify: Callable[[str], bool],
        *,
        ttl: float = REMEMBER_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._verify = verify
        self._ttl = ttl
        self._clock = clock
        self._last = b""
        self._until = 0.0

    def __call__(self, presented: str) -> bool:
        token = presented.encode()
        now = self._clock()
        if self._last and now < self._until and hmac.compare_digest(token, self._last):
            return True
        if not self._verify(presented):  # may raise EcmactlError: the token cannot be read
            return False
        self._last, self._until = token, now + self._ttl
        return True


def bearer_token(authorization: bytes | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header (scheme in any case)."""
    if not authorization:
        return None
    scheme, _, token = authorization.decode("latin-1").strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None
