"""What a certificate says about itself: names, key, fingerprints, validity, allowed uses.

Pure functions over parsed certificates; reading files lives in ecmactl.certs.files.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID

from ecmactl.certs.keys import describe_key


@dataclass(frozen=True)
class CertificateInfo:
    """The facts `cert show` prints, with stable names (they are the JSON keys)."""

    subject: str
    issuer: str
    self_signed: bool
    serial: str  # lower-case hex, as openssl and step print it
    sha1_thumbprint: str  # upper-case hex without separators, as Windows shows it
    sha256_fingerprint: str  # upper-case hex with colons, as openssl -fingerprint shows it
    key_type: str
    key_size: int
    key_curve: str | None
    dns_names: tuple[str, ...]
    ip_addresses: tuple[str, ...]
    not_before: datetime
    not_after: datetime
    server_auth: bool
    chain_length: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "self_signed": self.self_signed,
            "serial": self.serial,
            "sha1_thumbprint": self.sha1_thumbprint,
            "sha256_fingerprint": self.sha256_fingerprint,
            "key": {"type": self.key_type, "size": self.key_size, "curve": self.key_curve},
            "sans": {"dns": list(self.dns_names), "ip": list(self.ip_addresses)},
            "not_before": self.not_before,
            "not_after": self.not_after,
            "server_auth": self.server_auth,
            "chain_length": self.chain_length,
        }


def inspect_certificate(
    certificate: x509.Certificate, chain: tuple[x509.Certificate, ...] = ()
) -> CertificateInfo:
    key_type, key_size, curve = describe_key(certificate.public_key())
    dns, ips = subject_alt_names(certificate)
    sha256 = certificate.fingerprint(hashes.SHA256()).hex().upper()
    return CertificateInfo(
        subject=certificate.subject.rfc4514_string(),
        issuer=certificate.issuer.rfc4514_string(),
        self_signed=is_self_signed(certificate),
        serial=format(certificate.serial_number, "x"),
        sha1_thumbprint=certificate.fingerprint(hashes.SHA1()).hex().upper(),
        sha256_fingerprint=":".join(sha256[i : i + 2] for i in range(0, len(sha256), 2)),
        key_type=key_type,
        key_size=key_size,
        key_curve=curve,
        dns_names=dns,
        ip_addresses=ips,
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        server_auth=server_auth_allowed(certificate),
        chain_length=len(chain),
    )


def is_self_signed(certificate: x509.Certificate) -> bool:
    """Issuer equals subject and the certificate's own key verifies its signature."""
    if certificate.issuer != certificate.subject:
        return False
    try:
        certificate.verify_directly_issued_by(certificate)
    except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
        return False
    return True


def subject_alt_names(certificate: x509.Certificate) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(DNS names, IP addresses) from the SAN extension; empty when it is absent."""
    try:
        san = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return (), ()
    dns = tuple(san.get_values_for_type(x509.DNSName))
    ips = tuple(str(ip) for ip in san.get_values_for_type(x509.IPAddress))
    return dns, ips


def server_auth_allowed(certificate: x509.Certificate) -> bool:
    """No extended key usage means any use; otherwise serverAuth (or anyEKU) must be listed."""
    try:
        eku = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return True
    return any(
        oid in (ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE)
        for oid in eku
    )


def hostname_matches(hostname: str, dns_names: tuple[str, ...], ips: tuple[str, ...]) -> bool:
    """RFC 6125 matching against the SAN only (clients ignore the CN): exact, or a wildcard
    covering exactly one left-most label; an IP host name must be an IP SAN."""
    try:
        wanted_ip = ipaddress.ip_address(hostname)
    except ValueError:
        wanted_ip = None
    if wanted_ip is not None:
        return any(ipaddress.ip_address(ip) == wanted_ip for ip in ips)
    name = hostname.rstrip(".").lower()
    for pattern in dns_names:
        pattern = pattern.rstrip(".").lower()
        if pattern == name:
            return True
        if pattern.startswith("*.") and "." in name:
            first, rest = name.split(".", 1)
            if first and rest == pattern[2:] and "." in rest:
                return True
    return False
