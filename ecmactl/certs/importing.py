"""Import a CA-issued certificate (PEM with key and chain, PEM plus key file, or PFX) after
checking that the host can serve it: key matches, SAN covers the host name, valid now,
serverAuth allowed. Each refusal is one sentence and the fix."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

from ecmactl.certs import checks, keys
from ecmactl.certs.errors import CertificateInputError, CertificateMissingError
from ecmactl.certs.files import (
    PFX_SUFFIXES,
    load_pfx,
    parse_certificates,
    pem_private_key_block,
    read_bytes,
)
from ecmactl.certs.inspect import inspect_certificate
from ecmactl.certs.model import CertificateBundle


def load_for_import(
    path: Path,
    *,
    key_path: Path | None = None,
    password: str | None = None,
    hostname: str,
    now: datetime | None = None,
) -> CertificateBundle:
    """Read and validate a certificate for this host; raise a CertificateError otherwise."""
    moment = now or datetime.now(UTC)
    certificates, key = read_certificate_and_key(path, key_path=key_path, password=password)
    leaf = next((c for c in certificates if keys.matches(c, key)), None)
    if leaf is None:
        problem = checks.key_problem(certificates[0], key, "incoming")
        assert problem is not None  # no certificate matches, so the first does not either
        raise problem.to_error()
    chain = order_chain(leaf, [c for c in certificates if c is not leaf])
    info = inspect_certificate(leaf, chain)
    problems = checks.certificate_problems(leaf, info, hostname, moment, "incoming")
    if problems:
        raise problems[0].to_error()
    return CertificateBundle.from_objects(leaf, key, chain, source="imported")


def read_certificate_and_key(
    path: Path, *, key_path: Path | None, password: str | None
) -> tuple[list[x509.Certificate], PrivateKeyTypes]:
    """All certificates of ``path`` and the private key (from ``key_path`` or ``path``)."""
    certificates, key = read_certificates_and_any_key(path, key_path=key_path, password=password)
    if key is None:
        raise CertificateInputError(
            f"{path} holds no private key",
            hint="Pass the key file with --key PATH, or a PFX exported with its private key.",
            code="key_missing",
        )
    return certificates, key


def read_certificates_and_any_key(
    path: Path, *, key_path: Path | None, password: str | None
) -> tuple[list[x509.Certificate], PrivateKeyTypes | None]:
    """Like read_certificate_and_key, but a file without a key is fine (`cert show PATH`)."""
    data = _read_input(path, "certificate")
    source = str(path)
    key: PrivateKeyTypes | None = None
    if b"-----BEGIN" in data:
        certificates = parse_certificates(data, source=source)
        block = pem_private_key_block(data)
        if block is not None and key_path is None:
            key = keys.load_private_key(block, password, source=source)
    elif Path(path).suffix.lower() in PFX_SUFFIXES or not _is_der_certificate(data):
        key, certificates = load_pfx(data, password, source=source)
    else:
        certificates = parse_certificates(data, source=source)
    if not certificates:
        raise CertificateInputError(
            f"{path} holds no certificate",
            hint="Give the file with the -----BEGIN CERTIFICATE----- block, or the PFX.",
            code="bad_certificate",
        )
    if key_path is not None:
        key = keys.load_private_key(
            _read_input(key_path, "private key"), password, source=str(key_path)
        )
    return certificates, key


def order_chain(
    leaf: x509.Certificate, others: list[x509.Certificate]
) -> tuple[x509.Certificate, ...]:
    """Intermediates from the leaf upwards (what TLS servers must send), then the rest."""
    ordered: list[x509.Certificate] = []
    remaining = list(others)
    current = leaf
    while True:
        parent = next(
            (c for c in remaining if c.subject == current.issuer and c is not current), None
        )
        if parent is None:
            break
        ordered.append(parent)
        remaining.remove(parent)
        current = parent
    return (*ordered, *remaining)


def _read_input(path: Path, what: str) -> bytes:
    try:
        return read_bytes(path, what=what)
    except CertificateMissingError:
        # For import the file is user input, so a missing one is a usage error (exit 2).
        raise CertificateInputError(
            f"there is no {what} file at {path}", hint="Check the path.", code="no_such_file"
        ) from None


def _is_der_certificate(data: bytes) -> bool:
    try:
        x509.load_der_x509_certificate(data)
    except ValueError:
        return False
    return True
