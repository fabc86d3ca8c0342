"""Whether a certificate can serve this host: validity, SAN, key usage, key strength, key match.

Each check yields a Problem (a code, one sentence, a fix, an exit code). Import turns the first
problem into an exception; `cert status` lists them all. The fix depends on where the
certificate is: an ``incoming`` one (being imported) or the ``installed`` self-signed or
CA-issued one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

from ecmactl.certs import keys
from ecmactl.certs.errors import (
    CertificateError,
    CertificateExpiredError,
    CertificateMissingError,
    CertificateUnusableError,
)
from ecmactl.certs.inspect import CertificateInfo, hostname_matches
from ecmactl.exit_codes import ExitCode
from ecmactl.invocation import command

Where = Literal["incoming", "self-signed", "ca"]


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    hint: str
    exit_code: ExitCode

    def to_error(self) -> CertificateError:
        cls: type[CertificateError] = {
            ExitCode.CERT_EXPIRED: CertificateExpiredError,
            ExitCode.CERT_MISSING: CertificateMissingError,
        }.get(self.exit_code, CertificateUnusableError)
        return cls(self.message, hint=self.hint, code=self.code)

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "hint": self.hint}


def format_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def format_delta(delta: timedelta) -> str:
    """'in 3 days' / '12 days ago' / 'in 5 hours': the unit a human wants."""
    seconds = int(delta.total_seconds())
    span = abs(seconds)
    if span >= 2 * 86400:
        text = f"{span // 86400} days"
    elif span >= 2 * 3600:
        text = f"{span // 3600} hours"
    else:
        text = f"{max(span // 60, 1)} minutes"
    return f"in {text}" if seconds >= 0 else f"{text} ago"


def _reissue_hint(where: Where, what: str) -> str:
    if where == "self-signed":
        return f"Run `{command('cert', 'renew')}`."
    csr = f"`{command('cert', 'csr')}` writes the request to send"
    if where == "ca":
        return f"Ask your CA for {what} ({csr}), then `{command('cert', 'import', 'PATH')}` it."
    return f"Import {what} instead (ask your CA to issue one; {csr})."


def validity_problem(info: CertificateInfo, now: datetime, where: Where) -> Problem | None:
    if now < info.not_before:
        return Problem(
            "not_yet_valid",
            f"the certificate is not valid before {format_time(info.not_before)} "
            f"({format_delta(info.not_before - now)})",
            "Check this machine's clock (for example `timedatectl`), or wait until then.",
            ExitCode.CERT_EXPIRED,
        )
    if now >= info.not_after:
        return Problem(
            "expired",
            f"the certificate expired on {format_time(info.not_after)} "
            f"({format_delta(info.not_after - now)})",
            _reissue_hint(where, "a current certificate"),
            ExitCode.CERT_EXPIRED,
        )
    return None


def hostname_problem(info: CertificateInfo, hostname: str, where: Where) -> Problem | None:
    if hostname_matches(hostname, info.dns_names, info.ip_addresses):
        return None
    names = [f"DNS:{d}" for d in info.dns_names] + [f"IP:{i}" for i in info.ip_addresses]
    if names:
        message = (
            f"the certificate's SAN ({', '.join(names)}) does not include the host name {hostname}"
        )
    else:
        message = f"the certificate has no SAN, so clients reject it for the host name {hostname}"
    if where == "self-signed":
        hint = (
            f"Run `{command('cert', 'renew')}` (it adds the configured host name), or correct "
            "`hostname` in settings.toml if the host name is what changed."
        )
    else:
        hint = _reissue_hint(where, f"a certificate whose SAN includes {hostname}")
    return Problem("hostname_mismatch", message, hint, ExitCode.CERT_UNUSABLE)


def usage_problem(info: CertificateInfo, where: Where) -> Problem | None:
    if info.server_auth:
        return None
    return Problem(
        "no_server_auth",
        "the certificate's extended key usage does not allow TLS server authentication",
        _reissue_hint(where, "a certificate with the serverAuth extended key usage"),
        ExitCode.CERT_UNUSABLE,
    )


def strength_problem(certificate: x509.Certificate, where: Where) -> Problem | None:
    public = certificate.public_key()
    if isinstance(public, rsa.RSAPublicKey):
        if public.key_size >= keys.MIN_RSA_BITS:
            return None
        message = (
            f"the certificate's RSA key has {public.key_size} bits; clients require at least "
            f"{keys.MIN_RSA_BITS}"
        )
    elif isinstance(public, ec.EllipticCurvePublicKey):
        if isinstance(public.curve, ec.SECP256R1 | ec.SECP384R1 | ec.SECP521R1):
            return None
        message = f"the certificate's elliptic curve {public.curve.name} is not one TLS clients use"
    else:
        kind = keys.describe_key(public)[0]
        message = f"the certificate's {kind} key cannot be used by Windows TLS clients"
    hint = (
        f"Run `{command('cert', 'renew', '--rekey')}`."
        if where == "self-signed"
        else _reissue_hint(where, "an RSA (2048+ bits) or ECDSA P-256/P-384 certificate")
    )
    return Problem("weak_key", message, hint, ExitCode.CERT_UNUSABLE)


def key_problem(
    certificate: x509.Certificate, key: PrivateKeyTypes, where: Where
) -> Problem | None:
    if keys.matches(certificate, key):
        return None
    if where == "incoming":
        hint = (
            "Pass the key that was generated with the certificate request (--key PATH), "
            "or a PFX exported with its private key."
        )
    elif where == "self-signed":
        hint = f"Run `{command('cert', 'renew', '--rekey')}` to issue a certificate for a new key."
    else:
        hint = (
            "Restore the key the CSR was made with, or "
            f"`{command('cert', 'import', 'PATH')}` cert and key again."
        )
    return Problem(
        "key_mismatch",
        "the private key does not belong to the certificate",
        hint,
        ExitCode.CERT_UNUSABLE,
    )


def certificate_problems(
    certificate: x509.Certificate,
    info: CertificateInfo,
    hostname: str | None,
    now: datetime,
    where: Where,
) -> list[Problem]:
    """Every problem of the certificate itself (the key is checked separately); no host name
    check without a ``hostname`` (`cert show PATH` outside a home)."""
    found = [
        validity_problem(info, now, where),
        hostname_problem(info, hostname, where) if hostname else None,
        usage_problem(info, where),
        strength_problem(certificate, where),
    ]
    return [p for p in found if p is not None]
