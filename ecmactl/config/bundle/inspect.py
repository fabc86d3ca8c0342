"""Inspect: what a verified bundle holds, for display (the certificate, redacted URLs)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from ecmactl.config.bundle.verify import BundleReport


@dataclass(frozen=True)
class CertificateSummary:
    path: str
    subject: str
    sans: tuple[str, ...]
    not_before: datetime
    not_after: datetime

    @property
    def expired(self) -> bool:
        return self.not_after <= datetime.now(UTC)


def certificate_summary(report: BundleReport) -> CertificateSummary | None:
    """Subject, SANs and validity of the bundled certificate, or None when there is none."""
    assert report.manifest is not None
    cert = next((f for f in report.manifest.files if f.role == "certificate"), None)
    if cert is None or cert.path not in report.members:
        return None
    from cryptography import x509

    try:
        parsed = x509.load_pem_x509_certificate(report.members[cert.path])
    except ValueError:
        return None
    try:
        san = parsed.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        sans = tuple(str(v) for v in san.get_values_for_type(x509.DNSName)) + tuple(
            str(v) for v in san.get_values_for_type(x509.IPAddress)
        )
    except x509.ExtensionNotFound:
        sans = ()
    return CertificateSummary(
        cert.path,
        parsed.subject.rfc4514_string(),
        sans,
        parsed.not_valid_before_utc,
        parsed.not_valid_after_utc,
    )


def redact_url(url: str) -> str:
    """A database URL for display: any password replaced by ***."""
    return re.sub(r"(//[^:/@]*):[^@/]*@", r"\1:***@", url)
