"""What an import did with each thing in the export: the report a user reads, and the JSON.

Every parameter of the export ends in exactly one finding, so nothing is dropped silently:
``mapped`` (it set the named ecmactl setting), ``not mapped`` (ecmactl has no such thing or does
not support it yet; ``reason`` says which and what happens instead), ``input`` (an export cannot
carry it: a secret, or the database's address; it is asked for or taken from a flag) and
``unknown`` (a name this ecmactl does not know: exports vary between versions, so it is kept
here for the user to check rather than refused).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["mapped", "not mapped", "input", "unknown"]
STATUSES: tuple[Status, ...] = ("mapped", "not mapped", "input", "unknown")
REPORT_VERSION = 1


@dataclass(frozen=True)
class Finding:
    """One parameter or element of the export and what became of it."""

    connector: str  # the connector's name in the export ("" for the file as a whole)
    parameter: str  # the name as written in the export (a parameter name or an element path)
    status: Status
    reason: str = ""
    target: str | None = None  # the ecmactl setting it went to, as `page.field`
    value: str | None = None  # never a secret: encrypted parameters are not copied here


@dataclass
class Report:
    """Everything an import found, in the order of the export."""

    source: str
    format: Literal["ecma2host", "mim"]
    findings: list[Finding] = field(default_factory=list)

    def add(
        self,
        connector: str,
        parameter: str,
        status: Status,
        reason: str = "",
        *,
        target: str | None = None,
        value: str | None = None,
    ) -> None:
        self.findings.append(Finding(connector, parameter, status, reason, target, value))

    def by_status(self, status: Status) -> list[Finding]:
        return [f for f in self.findings if f.status == status]

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape: counts per status, then every finding in export order."""
        return {
            "report_version": REPORT_VERSION,
            "source": self.source,
            "format": self.format,
            "counts": {s: len(self.by_status(s)) for s in STATUSES},
            "findings": [
                {k: v for k, v in asdict(f).items() if v is not None} for f in self.findings
            ],
        }
