"""Helpers for tests and downstream scripts: keys made once per process, a throwaway CA that
issues server certificates (good and deliberately bad), PFX files, and a secret-leak finder.

Not for production certificates: keys are cached and nothing here is protected.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from ecmactl.certs.create import general_names
from ecmactl.certs.keys import KeyType, ServerKey, generate_key


@functools.cache
def cached_key(key_type: KeyType = "ec256", slot: int = 0) -> ServerKey:
    """A key per (type, slot), generated once per process: RSA generation is slow."""
    return generate_key(key_type)


@dataclass(frozen=True)
class TestCA:
    """A certificate authority for tests; ``issue`` makes server certificates."""

    __test__ = False  # not a pytest test class, despite the name

    certificate: x509.Certificate
    key: ServerKey

    @classmethod
    def create(
        cls,
        name: str = "ecmactl Test Root CA",
        *,
        parent: TestCA | None = None,
        key: ServerKey | None = None,
        now: datetime | None = None,
    ) -> TestCA:
        moment = now or datetime.now(UTC)
        own_key = key or cached_key("ec256", slot=1 if parent is None else 2)
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        issuer_name = parent.certificate.subject if parent else subject
        signer: CertificateIssuerPrivateKeyTypes = parent.key if parent else own_key
        certificate = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer_name)
            .public_key(own_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(moment - timedelta(days=365))
            .not_valid_after(moment + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(_ca_key_usage(), critical=True)
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(own_key.public_key()), critical=False
            )
            .sign(signer, hashes.SHA256())
        )
        return cls(certificate, own_key)

    def issue(
        self,
        hostname: str,
        *,
        key: ServerKey | None = None,
        sans: Sequence[str] | None = None,
        not_before: datetime | None = None,
        not_after: datetime | None = None,
        server_auth: bool = True,
        now: datetime | None = None,
    ) -> tuple[x509.Certificate, ServerKey]:
        """A leaf for ``hostname`` (SAN = ``sans`` or the host name), valid -1d..+365d."""
        leaf_key = key or cached_key("ec256", slot=3)
        moment = now or datetime.now(UTC)
        usage = ExtendedKeyUsageOID.SERVER_AUTH if server_auth else ExtendedKeyUsageOID.CLIENT_AUTH
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostname)]))
            .issuer_name(self.certificate.subject)
            .public_key(leaf_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before or moment - timedelta(days=1))
            .not_valid_after(not_after or moment + timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        )
        names = list(sans) if sans is not None else [hostname]
        if names:
            builder = builder.add_extension(
                x509.SubjectAlternativeName(general_names(names)), critical=False
            )
        return builder.sign(self.key, hashes.SHA256()), leaf_key


def pem(*items: x509.Certificate | ServerKey) -> bytes:
    """Certificates and unencrypted keys as one PEM text, in the order given."""
    out = b""
    for item in items:
        if isinstance(item, x509.Certificate):
            out += item.public_bytes(serialization.Encoding.PEM)
        else:
            out += item.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
    return out


def pfx(
    certificate: x509.Certificate,
    key: ServerKey | None,
    chain: Sequence[x509.Certificate] = (),
    *,
    password: str | None = None,
) -> bytes:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password.encode())
        if password
        else serialization.NoEncryption()
    )
    return pkcs12.serialize_key_and_certificates(
        b"ecmactl", key, certificate, list(chain) or None, encryption
    )


@dataclass
class OutputLog:
    """Everything a run printed, labelled by command, for ``find_leaks(texts=log.texts)``."""

    texts: dict[str, str | bytes] = field(default_factory=dict)

    def add(self, label: str, result: Any) -> Any:
        """Record a CliRunner result (stdout, stderr, exception) and return it unchanged."""
        index = len(self.texts)
        self.texts[f"{index}:{label}:stdout"] = result.stdout
        self.texts[f"{index}:{label}:stderr"] = result.stderr
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            self.texts[f"{index}:{label}:exception"] = repr(result.exception)
        return result


def find_leaks(
    secrets: Iterable[str],
    *,
    texts: Mapping[str, str | bytes] | None = None,
    roots: Iterable[Path] = (),
    allowed: Iterable[Path] = (),
) -> list[str]:
    """Where any of ``secrets`` appears: in ``texts`` (name -> captured output) or in any file
    under ``roots`` except the ``allowed`` ones (the secret store itself). Returns locations and
    the index of the secret, never the secret."""
    values = [s for s in secrets if s]
    needles = [(i, s.encode()) for i, s in enumerate(values)]
    allowed_paths = {Path(p).resolve() for p in allowed}
    hits: list[str] = []

    def scan(where: str, data: bytes) -> None:
        hits.extend(f"{where}: secret #{i}" for i, needle in needles if needle in data)

    for name, text in (texts or {}).items():
        scan(name, text.encode() if isinstance(text, str) else text)
    for root in roots:
        for path in sorted(Path(root).rglob("*")):
            if (
                path.is_file()
                and path.resolve() not in allowed_paths
                and not any(parent in allowed_paths for parent in path.resolve().parents)
            ):
                scan(str(path), path.read_bytes())
    return hits


def _ca_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )
