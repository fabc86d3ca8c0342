"""Constants and small helpers shared by the certificate and token tests (not fixtures)."""

from __future__ import annotations

from datetime import UTC, datetime

HOSTNAME = "ecma01.contoso.test"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
