"""Certificate and key files: read PEM/DER/PFX, write the bundle atomically (key 0600)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12

from ecmactl.atomic import write_atomic
from ecmactl.certs import keys
from ecmactl.certs.errors import CertificateInputError, CertificateMissingError
from ecmactl.certs.model import CertificateBundle
from ecmactl.invocation import command

PFX_SUFFIXES = (".pfx", ".p12")


def write_bundle(
    bundle: CertificateBundle,
    cert_path: Path,
    key_path: Path,
    *,
    passphrase: str | None = None,
) -> None:
    """Write the key (0600, encrypted when ``passphrase`` is given), then the certificate file
    (leaf then chain). Each file is replaced atomically, key first: a reader that catches the
    moment between the two sees a key that does not match, and keeps its old certificate."""
    key_bytes = keys.key_pem(bundle.private_key, passphrase) if passphrase else bundle.key_pem
    folder = Path(key_path).parent
    new_folder = not folder.exists()
    write_atomic(Path(key_path), key_bytes, mode=0o600)
    if new_folder:  # a folder we made is private; an existing one (/etc/ssl/…) is left alone
        with contextlib.suppress(OSError):  # POSIX only; Windows has ACLs
            os.chmod(folder, 0o700)
    write_atomic(Path(cert_path), bundle.cert_pem, mode=0o644)


def read_bytes(path: Path, *, what: str = "certificate") -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise CertificateMissingError(
            f"there is no {what} file at {path}", code="missing"
        ) from None
    except IsADirectoryError:
        raise CertificateInputError(f"{path} is a folder, not a {what} file") from None
    except OSError as exc:
        raise CertificateInputError(f"cannot read {path}: {exc.strerror}") from None


def parse_certificates(data: bytes, *, source: str) -> list[x509.Certificate]:
    """Every certificate in PEM ``data`` (in file order), or the one DER certificate."""
    try:
        if b"-----BEGIN" in data:
            if b"-----BEGIN CERTIFICATE-----" not in data:
                return []
            return list(x509.load_pem_x509_certificates(data))
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        raise CertificateInputError(
            f"{source} is not a certificate ecmactl can read",
            hint="Give a PEM file (-----BEGIN CERTIFICATE-----), a DER certificate, or a PFX.",
            code="bad_certificate",
        ) from None


def pem_private_key_block(data: bytes) -> bytes | None:
    """The first ``-----BEGIN … PRIVATE KEY-----`` block of a PEM file, if any."""
    start = data.find(b"-----BEGIN ")
    while start != -1:
        line_end = data.find(b"-----", start + 11)
        label = data[start + 11 : line_end]
        if label.endswith(b"PRIVATE KEY"):
            end_marker = b"-----END " + label + b"-----"
            end = data.find(end_marker, line_end)
            if end == -1:
                return None
            return data[start : end + len(end_marker)] + b"\n"
        start = data.find(b"-----BEGIN ", line_end)
    return None


def load_pfx(
    data: bytes, password: str | None, *, source: str
) -> tuple[PrivateKeyTypes | None, list[x509.Certificate]]:
    """Key and certificates (leaf first when marked) of a PKCS#12 file."""
    secret = password.encode("utf-8") if password else None
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, secret)
    except ValueError:
        # OpenSSL cannot tell a wrong password from a damaged file; say both.
        if password:
            message = f"cannot open {source}: the password is wrong or the file is not a PFX"
            hint = "Check the password file (a trailing space counts) and the file."
        else:
            message = f"cannot open {source}: it needs a password, or it is not a PFX file"
            hint = "Supply the password with --password-file PATH or ECMACTL_CERTIFICATE_PASSWORD."
        raise CertificateInputError(message, hint=hint, code="wrong_password") from None
    certificates = ([cert] if cert is not None else []) + list(extra)
    return key, certificates


def read_installed(
    cert_path: Path, key_path: Path, passphrase: str | None
) -> tuple[list[x509.Certificate], PrivateKeyTypes]:
    """The host's certificate file (leaf first) and its key; raises when either is missing."""
    certificates = parse_certificates(read_bytes(cert_path), source=str(cert_path))
    if not certificates:
        raise CertificateInputError(f"{cert_path} holds no certificate", code="bad_certificate")
    key_data = read_bytes(key_path, what="private key")
    if keys.is_encrypted_pem(key_data) and not passphrase:
        raise CertificateInputError(
            f"the private key {key_path} is encrypted and no passphrase is configured",
            hint="Set key_passphrase_ref in settings.toml (keyring:…, file:… or env:…), or "
            f"recreate the key with `{command('cert', 'renew', '--rekey')}`.",
            code="password_required",
        )
    return certificates, keys.load_private_key(key_data, passphrase, source=str(key_path))
