"""What a test reports: each step (url, token, tcp, tls, request) and the failure, if any."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Step:
    """One stage of the test: url, token, tcp, tls, request."""

    name: str
    ok: bool
    detail: str
    latency_ms: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ok": self.ok,
            "detail": self.detail,
            "latency_ms": self.latency_ms,
        }


@dataclass(frozen=True)
class Failure:
    """Why the test failed, in one sentence, and what fixes it."""

    code: str
    message: str
    fix: str

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "fix": self.fix}


@dataclass
class ConnectionTestResult:
    connector: str
    tenant_url: str
    matching_attribute: str
    request: str  # the probe, as Entra sends it (path and query)
    token_store: str | None = None
    token_ref: str | None = None
    steps: list[Step] = field(default_factory=list)
    failure: Failure | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None and bool(self.steps) and all(s.ok for s in self.steps)

    def to_dict(self) -> dict[str, Any]:
        return {
            "connector": self.connector,
            "ok": self.ok,
            "tenant_url": self.tenant_url,
            "matching_attribute": self.matching_attribute,
            "request": self.request,
            "token": {"store": self.token_store, "reference": self.token_ref},
            "steps": [s.to_dict() for s in self.steps],
            "failure": self.failure.to_dict() if self.failure else None,
        }

    def fail(self, step: str, code: str, message: str, fix: str) -> ConnectionTestResult:
        self.steps.append(Step(step, False, message))
        self.failure = Failure(code, message, fix)
        return self
