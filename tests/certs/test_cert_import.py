"""Importing CA-issued certificates (PEM and PFX), good and bad, each refusal with its fix."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from cert_helpers import HOSTNAME, NOW
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ecmactl.certs import CertificateError, load_for_import
from ecmactl.certs.keys import key_pem
from ecmactl.certs.testing import TestCA, cached_key, pem, pfx
from ecmactl.exit_codes import ExitCode


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _refused(path: Path, **kwargs: object) -> CertificateError:
    with pytest.raises(CertificateError) as caught:
        load_for_import(path, hostname=HOSTNAME, now=NOW, **kwargs)  # type: ignore[arg-type]
    error = caught.value
    assert error.hint, "every refusal says how to fix it"
    assert "\n" not in error.message  # one sentence
    return error


def test_pem_with_key_and_shuffled_chain_is_reordered(tmp_path: Path, ca: TestCA) -> None:
    intermediate = TestCA.create("Issuing CA", parent=ca, now=NOW)
    leaf, key = intermediate.issue(HOSTNAME, now=NOW)
    path = _write(tmp_path, "all.pem", pem(ca.certificate, key, intermediate.certificate, leaf))
    bundle = load_for_import(path, hostname=HOSTNAME, now=NOW)
    assert bundle.certificate == leaf
    assert bundle.chain == (intermediate.certificate, ca.certificate)
    assert x509.load_pem_x509_certificates(bundle.cert_pem) == [
        leaf,
        intermediate.certificate,
        ca.certificate,
    ]
    assert bundle.source == "imported"
    assert bundle.key_pem == pem(key)


def test_pem_with_a_separate_encrypted_key(tmp_path: Path, ca: TestCA) -> None:
    leaf, key = ca.issue(HOSTNAME, now=NOW)
    cert = _write(tmp_path, "host.crt", pem(leaf))
    key_file = _write(tmp_path, "host.key", key_pem(key, "s3cret-pass"))
    bundle = load_for_import(
        cert, key_path=key_file, password="s3cret-pass", hostname=HOSTNAME, now=NOW
    )
    assert bundle.certificate == leaf
    assert b"ENCRYPTED" not in bundle.key_pem  # stored unencrypted in the bundle


def test_der_certificate_with_key_file(tmp_path: Path, ca: TestCA) -> None:
    leaf, key = ca.issue(HOSTNAME, now=NOW)
    cert = _write(tmp_path, "host.cer", leaf.public_bytes(serialization.Encoding.DER))
    bundle = load_for_import(
        cert, key_path=_write(tmp_path, "k.pem", pem(key)), hostname=HOSTNAME, now=NOW
    )
    assert bundle.certificate == leaf


def test_pfx_with_password_and_chain(tmp_path: Path, ca: TestCA) -> None:
    leaf, key = ca.issue(HOSTNAME, now=NOW)
    path = _write(tmp_path, "host.pfx", pfx(leaf, key, [ca.certificate], password="pfx-pass"))
    bundle = load_for_import(path, password="pfx-pass", hostname=HOSTNAME, now=NOW)
    assert bundle.certificate == leaf and bundle.chain == (ca.certificate,)


def test_pfx_wrong_password(tmp_path: Path, ca: TestCA) -> None:
    leaf, key = ca.issue(HOSTNAME, now=NOW)
    path = _write(tmp_path, "host.pfx", pfx(leaf, key, password="pfx-pass"))
    error = _refused(path, password="not-it")
    assert error.exit_code == ExitCode.USAGE and error.code == "wrong_password"
    assert "password is wrong" in error.message and "not-it" not in error.message
    missing = _refused(path)
    assert missing.exit_code == ExitCode.USAGE and "needs a password" in missing.message


def test_pem_key_wrong_or_missing_password(tmp_path: Path, ca: TestCA) -> None:
    leaf, key = ca.issue(HOSTNAME, now=NOW)
    path = _write(tmp_path, "both.pem", pem(leaf) + key_pem(key, "right-pass"))
    wrong = _refused(path, password="wrong-pass")
    assert wrong.exit_code == ExitCode.USAGE and wrong.code == "wrong_password"
    none = _refused(path)
    assert none.code == "password_required" and "--password-file" in (none.hint or "")


def test_key_mismatch(tmp_path: Path, ca: TestCA) -> None:
    leaf, _ = ca.issue(HOSTNAME, now=NOW)
    other = cached_key("ec256", slot=7)
    error = _refused(_write(tmp_path, "x.pem", pem(leaf, other)))
    assert error.exit_code == ExitCode.CERT_UNUSABLE and error.code == "key_mismatch"
    assert error.message == "the private key does not belong to the certificate"
    assert "--key PATH" in (error.hint or "")


def test_wrong_san(tmp_path: Path, ca: TestCA) -> None:
    leaf, key = ca.issue("other.contoso.test", now=NOW)
    error = _refused(_write(tmp_path, "x.pem", pem(leaf, key)))
    assert error.exit_code == ExitCode.CERT_UNUSABLE and error.code == "hostname_mismatch"
    assert error.message == (
        f"the certificate's SAN (DNS:other.contoso.test) does not include the host name {HOSTNAME}"
    )
    assert "ecmactl cert csr" in (error.hint or "")


def test_no_san_at_all(tmp_path: Path, ca: TestCA) -> None:
    leaf, key = ca.issue(HOSTNAME, sans=[], now=NOW)
    error = _refused(_write(tmp_path, "x.pem", pem(leaf, key)))
    assert error.code == "hostname_mismatch" and "has no SAN" in error.message


def test_wildcard_san_covers_the_host(tmp_path: Path, ca: TestCA) -> None:
    leaf, key = ca.issue("*.contoso.test", now=NOW)
    bundle = load_for_import(_write(tmp_path, "x.pem", pem(leaf, key)), hostname=HOSTNAME, now=NOW)
    assert bundle.certificate == leaf
    with pytest.raises(CertificateError):  # one label deep only
        load_for_import(
            _write(tmp_path, "x.pem", pem(leaf, key)), hostname="a.b.contoso.test", now=NOW
        )


def test_expired(tmp_path: Path, ca: TestCA) -> None:
    leaf, key = ca.issue(
        HOSTNAME, not_before=NOW - timedelta(days=400), not_after=NOW - timedelta(days=35), now=NOW
    )
    error = _refused(_write(tmp_path, "x.pem", pem(leaf, key)))
    assert error.exit_code == ExitCode.CERT_EXPIRED and error.code == "expired"
    assert error.message == "the certificate expired on 2026-01-25 12:00 UTC (35 days ago)"


def test_not_yet_valid(tmp_path: Path, ca: TestCA) -> None:
    leaf, key = ca.issue(
        HOSTNAME, not_before=NOW + timedelta(days=3), not_after=NOW + timedelta(days=300), now=NOW
    )
    error = _refused(_write(tmp_path, "x.pem", pem(leaf, key)))
    assert error.exit_code == ExitCode.CERT_EXPIRED and error.code == "not_yet_valid"
    assert "(in 3 days)" in error.message and "clock" in (error.hint or "")


def test_client_auth_only_certificate(tmp_path: Path, ca: TestCA) -> None:
    leaf, key = ca.issue(HOSTNAME, server_auth=False, now=NOW)
    error = _refused(_write(tmp_path, "x.pem", pem(leaf, key)))
    assert error.exit_code == ExitCode.CERT_UNUSABLE and error.code == "no_server_auth"


def test_weak_rsa_key(tmp_path: Path, ca: TestCA) -> None:
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    leaf, key = ca.issue(HOSTNAME, key=weak, now=NOW)
    error = _refused(_write(tmp_path, "x.pem", pem(leaf, key)))
    assert error.code == "weak_key" and "1024 bits" in error.message


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"hello, not a certificate", "wrong_password"),
        (b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "bad_certificate"),
        (b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "bad_certificate"),
    ],
)
def test_unreadable_input_is_a_usage_error(tmp_path: Path, content: bytes, code: str) -> None:
    error = _refused(_write(tmp_path, "junk.pem", content))
    assert error.exit_code == ExitCode.USAGE and error.code == code


def test_missing_file_and_missing_key(tmp_path: Path, ca: TestCA) -> None:
    assert _refused(tmp_path / "nope.pem").exit_code == ExitCode.USAGE
    leaf, _ = ca.issue(HOSTNAME, now=NOW)
    error = _refused(_write(tmp_path, "cert-only.pem", pem(leaf)))
    assert error.code == "key_missing" and "--key PATH" in (error.hint or "")
