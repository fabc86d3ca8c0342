"""Certificate errors: one sentence saying what is wrong, a hint saying how to fix it.

Each class carries the exit code a script can act on (see ecmactl.exit_codes). This module does
not import ``cryptography``, so anything may catch these cheaply. Messages never contain a
password, a passphrase or key material.
"""

from __future__ import annotations

from ecmactl.errors import EcmactlError
from ecmactl.exit_codes import ExitCode


class CertificateError(EcmactlError):
    """A certificate or key cannot be used as asked; ``code`` names the problem for scripts."""

    exit_code = ExitCode.ERROR

    def __init__(self, message: str, *, hint: str | None = None, code: str = "error") -> None:
        super().__init__(message, hint=hint)
        self.code = code


class CertificateInputError(CertificateError):
    """The input cannot be read: wrong password, not a certificate, unreadable file (exit 2)."""

    exit_code = ExitCode.USAGE


class CertificateUnusableError(CertificateError):
    """Readable, but the host cannot serve it: key mismatch, SAN, key usage (exit 12)."""

    exit_code = ExitCode.CERT_UNUSABLE


class CertificateExpiredError(CertificateError):
    """Outside its validity window: expired or not yet valid (exit 11)."""

    exit_code = ExitCode.CERT_EXPIRED


class CertificateMissingError(CertificateError):
    """No certificate or no key where the settings say (exit 13)."""

    exit_code = ExitCode.CERT_MISSING


class CertificateRenewalError(CertificateError):
    """`cert renew` cannot re-issue this certificate itself (a CA issued it); exit 10 or worse."""

    def __init__(
        self, message: str, *, hint: str | None = None, exit_code: ExitCode = ExitCode.RENEWAL_DUE
    ) -> None:
        super().__init__(message, hint=hint, code="ca_must_reissue")
        self.exit_code = exit_code
