"""Self-signed certificates: names, extensions, validity, key types, files on disk."""

from __future__ import annotations

import ipaddress
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from cert_helpers import HOSTNAME, NOW
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

from ecmactl.certs import (
    CertificateInputError,
    create_self_signed,
    inspect_certificate,
    write_bundle,
)
from ecmactl.certs.testing import TestCA, cached_key, pem
from ecmactl.exit_codes import ExitCode


def _sans(certificate: x509.Certificate) -> list[str]:
    san = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return [str(name.value) for name in san]


def test_self_signed_certificate_has_the_host_name_loopback_and_server_auth() -> None:
    bundle = create_self_signed(HOSTNAME, key_type="ec256", now=NOW)
    cert = bundle.certificate
    assert _sans(cert) == [HOSTNAME, "localhost", "127.0.0.1", "::1"]
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [ExtendedKeyUsageOID.SERVER_AUTH]
    constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca is False
    assert cert.not_valid_after_utc == NOW + timedelta(days=730)
    assert cert.not_valid_before_utc <= NOW
    cert.verify_directly_issued_by(cert)  # really self-signed
    info = inspect_certificate(cert)
    assert info.self_signed and info.server_auth
    assert (info.key_type, info.key_size, info.key_curve) == ("EC", 256, "secp256r1")
    assert len(info.sha1_thumbprint) == 40 and info.sha1_thumbprint.isupper()
    assert info.sha256_fingerprint.count(":") == 31
    assert bundle.source == "self-signed"


def test_default_key_is_rsa_2048_with_key_encipherment() -> None:
    bundle = create_self_signed(HOSTNAME, now=NOW)
    key = serialization.load_pem_private_key(bundle.key_pem, password=None)
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 2048
    assert bundle.key_pem.startswith(b"-----BEGIN PRIVATE KEY-----")  # PKCS#8, unencrypted
    usage = bundle.certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.key_encipherment
    assert bundle.certificate.signature_hash_algorithm is not None
    assert bundle.certificate.signature_hash_algorithm.name == "sha256"


def test_extra_sans_ip_and_dns_without_loopback() -> None:
    bundle = create_self_signed(
        HOSTNAME,
        extra_sans=["ECMA01", "10.0.0.5", "ecma01.contoso.test", "*.hr.contoso.test"],
        include_loopback=False,
        days=30,
        key_type="ec256",
        now=NOW,
    )
    san = bundle.certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == [HOSTNAME, "ecma01", "*.hr.contoso.test"]
    assert san.get_values_for_type(x509.IPAddress) == [ipaddress.ip_address("10.0.0.5")]
    assert bundle.certificate.not_valid_after_utc == NOW + timedelta(days=30)


def test_an_ip_host_name_becomes_an_ip_san() -> None:
    bundle = create_self_signed("192.0.2.10", include_loopback=False, key_type="ec256")
    assert _sans(bundle.certificate) == ["192.0.2.10"]


@pytest.mark.parametrize("bad", ["not a name", "-bad.example", "a..b", ""])
def test_bad_san_is_a_usage_error(bad: str) -> None:
    with pytest.raises(CertificateInputError) as caught:
        create_self_signed(HOSTNAME, extra_sans=[bad], key_type="ec256")
    assert caught.value.exit_code == ExitCode.USAGE
    assert "neither a DNS name nor an IP address" in caught.value.message


def test_days_must_be_positive() -> None:
    with pytest.raises(CertificateInputError, match="at least 1"):
        create_self_signed(HOSTNAME, days=0, key_type="ec256")


def test_a_long_host_name_still_gets_a_valid_subject() -> None:
    name = ("a" * 60) + ".contoso.test"
    bundle = create_self_signed(name, key_type="ec256")
    assert _sans(bundle.certificate)[0] == name
    assert len(bundle.certificate.subject.rfc4514_string()) < 100


def test_key_can_be_reused_and_repr_hides_the_key() -> None:
    key = cached_key("ec256")
    bundle = create_self_signed(HOSTNAME, key=key)
    assert isinstance(bundle.private_key, ec.EllipticCurvePrivateKey)
    assert bundle.private_key.private_numbers() == key.private_numbers()
    assert "PRIVATE" not in repr(bundle) and bundle.serial in repr(bundle)


def test_write_bundle_modes_and_chain_order(tmp_path: Path, ca: TestCA) -> None:
    intermediate = TestCA.create("Intermediate", parent=ca, now=NOW)
    leaf, key = intermediate.issue(HOSTNAME, now=NOW)
    from ecmactl.certs import CertificateBundle

    bundle = CertificateBundle.from_objects(leaf, key, (intermediate.certificate, ca.certificate))
    cert_path, key_path = tmp_path / "certs" / "server.crt", tmp_path / "certs" / "server.key"
    write_bundle(bundle, cert_path, key_path)
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(cert_path.stat().st_mode) == 0o644
    written = x509.load_pem_x509_certificates(cert_path.read_bytes())
    assert written == [leaf, intermediate.certificate, ca.certificate]
    assert key_path.read_bytes() == bundle.key_pem == pem(key)


def test_write_bundle_encrypts_the_key_with_a_passphrase(tmp_path: Path) -> None:
    bundle = create_self_signed(HOSTNAME, key=cached_key("ec256"))
    cert_path, key_path = tmp_path / "server.crt", tmp_path / "server.key"
    write_bundle(bundle, cert_path, key_path, passphrase="correct horse")
    data = key_path.read_bytes()
    assert data.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    with pytest.raises(TypeError):
        serialization.load_pem_private_key(data, password=None)
    key = serialization.load_pem_private_key(data, password=b"correct horse")
    assert key.public_key() == bundle.private_key.public_key()
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path, password="correct horse")  # stdlib reads it
