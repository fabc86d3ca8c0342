"""Issue the host's self-signed certificate, and certificate requests for a CA.

Like ECMA2Host's "Generate certificate": the SAN is the host name, valid two years by default.
Unlike it, loopback names are added (so `https://localhost:8585` works on the host itself), the
key type is a choice, and nothing is hidden in a certificate store.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from ecmactl.certs.errors import CertificateInputError
from ecmactl.certs.keys import KeyType, ServerKey, generate_key
from ecmactl.certs.model import CertificateBundle

DEFAULT_DAYS = 730  # ECMA2Host's two years
LOOPBACK_SANS: tuple[str, ...] = ("localhost", "127.0.0.1", "::1")
# Backdate notBefore a little: a client whose clock is a minute behind must not see
# "not yet valid" right after creation.
CLOCK_SKEW = timedelta(minutes=5)
_DNS_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def create_self_signed(
    hostname: str,
    *,
    extra_sans: Sequence[str] = (),
    include_loopback: bool = True,
    days: int = DEFAULT_DAYS,
    key_type: KeyType = "rsa2048",
    now: datetime | None = None,
    key: ServerKey | None = None,
) -> CertificateBundle:
    """A self-signed TLS server certificate whose SAN starts with ``hostname``.

    ``key`` re-uses an existing key (renewal without --rekey, or fast tests); otherwise a new
    ``key_type`` key is generated.
    """
    if days < 1:
        raise CertificateInputError(
            f"--days must be at least 1, not {days}", hint="The default is 730 (two years)."
        )
    names = [hostname, *extra_sans, *(LOOPBACK_SANS if include_loopback else ())]
    sans = general_names(names)
    private_key = key if key is not None else generate_key(key_type)
    moment = (now or datetime.now(UTC)).replace(microsecond=0)
    subject = _subject(hostname)
    public = private_key.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(moment - CLOCK_SKEW)
        .not_valid_after(moment + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(private_key), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
    )
    certificate = builder.sign(private_key, hashes.SHA256())
    return CertificateBundle.from_objects(certificate, private_key, source="self-signed")


def build_csr(hostname: str, key: ServerKey, *, extra_sans: Sequence[str] = ()) -> bytes:
    """A PEM certificate signing request for a CA: CN and first SAN = ``hostname``.

    Loopback names are left out on purpose: public and enterprise CAs refuse them.
    """
    request = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(_subject(hostname))
        .add_extension(
            x509.SubjectAlternativeName(general_names([hostname, *extra_sans])), critical=False
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(_key_usage(key), critical=True)
        .sign(key, hashes.SHA256())
    )
    return request.public_bytes(serialization.Encoding.PEM)


def general_names(values: Sequence[str]) -> list[x509.GeneralName]:
    """DNS names and IP addresses, de-duplicated in order; bad input raises (exit 2)."""
    out: list[x509.GeneralName] = []
    seen: set[str] = set()
    general: x509.GeneralName
    for raw in values:
        value = raw.strip()
        try:
            ip = ipaddress.ip_address(value.strip("[]"))
        except ValueError:
            name = value.rstrip(".").lower()
            labels = name.split(".")
            if labels and labels[0] == "*" and len(labels) > 2:
                labels = labels[1:]
            if not name or len(name) > 253 or not all(_DNS_LABEL.match(x) for x in labels):
                raise CertificateInputError(
                    f"{raw!r} is neither a DNS name nor an IP address",
                    hint="Use a DNS name such as ecma01.contoso.com or an IP address such as "
                    "10.0.0.5.",
                    code="bad_san",
                ) from None
            key, general = f"dns:{name}", x509.DNSName(name)
        else:
            key, general = f"ip:{ip}", x509.IPAddress(ip)
        if key not in seen:
            seen.add(key)
            out.append(general)
    return out


def _subject(hostname: str) -> x509.Name:
    # A CN longer than 64 characters is invalid; clients only look at the SAN anyway.
    common_name = hostname if len(hostname) <= 64 else hostname.split(".")[0][:64]
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ecmactl"),
        ]
    )


def _key_usage(key: ServerKey) -> x509.KeyUsage:
    # RSA key exchange (TLS 1.2 without ECDHE) needs keyEncipherment; ECDSA only signs.
    rsa_key = isinstance(key, rsa.RSAPrivateKey)
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=rsa_key,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
