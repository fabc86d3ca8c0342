"""Renewal of the self-signed certificate, --if-due, CA-issued refusal, and CSRs for a CA."""

from __future__ import annotations

import stat
from datetime import timedelta

import pytest
from cert_helpers import HOSTNAME, NOW
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from ecmactl.certs import (
    CertificateMissingError,
    CertificateRenewalError,
    create_host_certificate,
    import_host_certificate,
    make_csr,
    parse_threshold,
    renew_host_certificate,
)
from ecmactl.certs.manage import host_paths
from ecmactl.certs.testing import TestCA, pem
from ecmactl.config.models import HostSettings
from ecmactl.config.store import load_settings
from ecmactl.errors import UsageError
from ecmactl.exit_codes import ExitCode
from ecmactl.home import Home
from ecmactl.secrets import read_secret


def _leaf(home: Home, settings: HostSettings) -> x509.Certificate:
    return x509.load_pem_x509_certificates(host_paths(home, settings)[0].read_bytes())[0]


@pytest.fixture
def created(home: Home, settings: HostSettings) -> HostSettings:
    create_host_certificate(
        home, settings, key_type="ec256", days=90, extra_sans=["10.1.2.3"], now=NOW
    )
    return settings


def test_renew_keeps_key_and_sans_with_new_serial_and_validity(
    home: Home, created: HostSettings
) -> None:
    before = _leaf(home, created)
    key_before = host_paths(home, created)[1].read_bytes()
    later = NOW + timedelta(days=80)
    change = renew_host_certificate(home, created, now=later)
    after = _leaf(home, created)
    assert change.action == "renewed" and change.reason == "renewal due"
    assert after.serial_number != before.serial_number
    assert after.public_key() == before.public_key()
    assert host_paths(home, created)[1].read_bytes() == key_before
    assert after.not_valid_after_utc == later + timedelta(days=730)  # the default lifetime
    assert change.previous is not None and change.previous.serial == format(
        before.serial_number, "x"
    )
    same = after.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    old = before.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert set(same) == set(old)
    assert not change.key_replaced and change.added_sans == ()


def test_renewing_a_short_lived_certificate_gives_the_default_lifetime(
    home: Home, settings: HostSettings
) -> None:
    """A 10-day certificate was renewed to another 10 days, due at once, so a
    daily `renew --if-due` renewed it every day. Renewal gives 730 days unless --days says."""
    create_host_certificate(home, settings, key_type="ec256", days=10, now=NOW)
    day = NOW + timedelta(days=7)
    change = renew_host_certificate(home, settings, if_due=True, now=day)
    assert change.action == "renewed"
    assert change.certificate.not_after == day + timedelta(days=730)
    for later in (day + timedelta(days=1), day + timedelta(days=30)):  # the daily timer
        again = renew_host_certificate(home, settings, if_due=True, now=later)
        assert again.action == "skipped", later
    short = renew_host_certificate(home, settings, days=5, now=day)
    assert short.certificate.not_after == day + timedelta(days=5)


def test_renew_on_request_when_not_due_and_rekey(home: Home, created: HostSettings) -> None:
    before = _leaf(home, created)
    change = renew_host_certificate(home, created, rekey=True, days=10, now=NOW)
    after = _leaf(home, created)
    assert change.reason == "on request" and change.key_replaced
    assert after.public_key() != before.public_key()
    assert after.not_valid_after_utc == NOW + timedelta(days=10)
    assert stat.S_IMODE(host_paths(home, created)[1].stat().st_mode) == 0o600


def test_if_due_skips_when_not_due_and_writes_nothing(home: Home, created: HostSettings) -> None:
    cert_path = host_paths(home, created)[0]
    content = cert_path.read_bytes()
    change = renew_host_certificate(
        home, created, if_due=True, threshold=parse_threshold("30d"), now=NOW
    )
    assert change.action == "skipped" and "not due" in change.reason
    assert cert_path.read_bytes() == content
    due = renew_host_certificate(
        home, created, if_due=True, threshold=parse_threshold("30d"), now=NOW + timedelta(days=61)
    )
    assert due.action == "renewed"


def test_dry_run_writes_nothing(home: Home, created: HostSettings) -> None:
    cert_path = host_paths(home, created)[0]
    content = cert_path.read_bytes()
    change = renew_host_certificate(home, created, dry_run=True, now=NOW)
    assert change.action == "would_renew" and cert_path.read_bytes() == content


def test_expired_renewal_and_a_changed_host_name_is_added(
    home: Home, created: HostSettings
) -> None:
    created.hostname = "ecma-new.contoso.test"
    change = renew_host_certificate(home, created, if_due=True, now=NOW + timedelta(days=100))
    assert change.action == "renewed" and change.reason == "unusable"  # expired and SAN
    assert change.added_sans == ("ecma-new.contoso.test",)
    assert change.certificate.dns_names[0] == "ecma-new.contoso.test"
    assert HOSTNAME in change.certificate.dns_names


def test_another_key_type_means_a_new_key(home: Home, created: HostSettings) -> None:
    change = renew_host_certificate(home, created, key_type="rsa2048", now=NOW)
    assert change.key_replaced and change.certificate.key_type == "RSA"


def test_encrypted_key_stays_encrypted(home: Home, settings: HostSettings) -> None:
    create_host_certificate(home, settings, key_type="ec256", passphrase="pp-123456", now=NOW)
    saved = load_settings(home)
    assert saved.key_passphrase_ref and saved.key_passphrase_ref.startswith("keyring:")
    assert read_secret(saved.key_passphrase_ref, home) == "pp-123456"
    change = renew_host_certificate(home, saved, rekey=True, now=NOW)
    assert change.key_encrypted
    data = host_paths(home, saved)[1].read_bytes()
    serialization.load_pem_private_key(data, password=b"pp-123456")
    # Writing an unencrypted key again clears the reference.
    create_host_certificate(home, saved, key_type="ec256", force=True, now=NOW)
    assert load_settings(home).key_passphrase_ref is None


def test_missing_certificate_or_key(home: Home, settings: HostSettings) -> None:
    with pytest.raises(CertificateMissingError) as caught:
        renew_host_certificate(home, settings, now=NOW)
    assert caught.value.exit_code == ExitCode.CERT_MISSING
    create_host_certificate(home, settings, key_type="ec256", now=NOW)
    host_paths(home, settings)[1].unlink()
    with pytest.raises(CertificateMissingError, match="private key"):
        renew_host_certificate(home, settings, now=NOW)
    assert renew_host_certificate(home, settings, rekey=True, now=NOW).key_replaced


def test_create_refuses_to_overwrite_without_force(home: Home, created: HostSettings) -> None:
    with pytest.raises(UsageError) as caught:
        create_host_certificate(home, created, key_type="ec256")
    assert "--force" in (caught.value.hint or "")
    assert create_host_certificate(home, created, key_type="ec256", force=True).previous


def test_ca_issued_certificate_is_not_renewed_here(
    home: Home, settings: HostSettings, ca: TestCA, tmp_path: object
) -> None:
    leaf, key = ca.issue(HOSTNAME, now=NOW)
    cert_path, key_path = host_paths(home, settings)
    cert_path.parent.mkdir(parents=True)
    cert_path.write_bytes(pem(leaf))
    key_path.write_bytes(pem(key))
    skipped = renew_host_certificate(home, settings, if_due=True, now=NOW)
    assert skipped.action == "skipped"
    with pytest.raises(CertificateRenewalError) as due:
        renew_host_certificate(home, settings, if_due=True, now=NOW + timedelta(days=300))
    assert due.value.exit_code == ExitCode.RENEWAL_DUE
    assert "only that CA can renew it" in due.value.message
    assert "ecmactl cert csr" in (due.value.hint or "")
    with pytest.raises(CertificateRenewalError) as expired:
        renew_host_certificate(home, settings, now=NOW + timedelta(days=400))
    assert expired.value.exit_code == ExitCode.CERT_EXPIRED


def test_csr_round_trip_through_a_ca(home: Home, created: HostSettings, ca: TestCA) -> None:
    result = make_csr(home, created, extra_sans=["ecma01"])
    csr = x509.load_pem_x509_csr(result.csr_pem)
    assert csr.is_signature_valid
    names = csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert [str(n.value) for n in names] == [HOSTNAME, "10.1.2.3", "ecma01"]  # no loopback
    assert result.key_path == host_paths(home, created)[1] and not result.new_key
    # The CA signs the request; importing the answer with the same key works.
    issued, _ = ca.issue(HOSTNAME, key=None, now=NOW)
    signed = (
        x509.CertificateBuilder()
        .subject_name(csr.subject)
        .issuer_name(ca.certificate.subject)
        .public_key(csr.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - timedelta(days=1))
        .not_valid_after(NOW + timedelta(days=365))
        .add_extension(names, critical=False)
        .sign(ca.key, issued.signature_hash_algorithm)  # type: ignore[arg-type]
    )
    answer = home.root / "issued.crt"
    answer.write_bytes(pem(signed, ca.certificate))
    change = import_host_certificate(home, created, answer, key_path=result.key_path, now=NOW)
    assert change.action == "imported" and not change.certificate.self_signed


def test_csr_with_a_new_key(home: Home, settings: HostSettings) -> None:
    new_key = home.root / "next.key"
    home.root.mkdir(parents=True, exist_ok=True)
    result = make_csr(home, settings, new_key_path=new_key, key_type="ec256")
    assert result.new_key and stat.S_IMODE(new_key.stat().st_mode) == 0o600
    assert result.sans == (HOSTNAME,)
    with pytest.raises(UsageError, match="already exists"):
        make_csr(home, settings, new_key_path=new_key, key_type="ec256")


def test_an_unusual_but_strong_key_is_kept_and_a_weak_one_replaced(
    home: Home, settings: HostSettings
) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    from ecmactl.certs import create_self_signed, write_bundle

    p384 = ec.generate_private_key(ec.SECP384R1())
    write_bundle(create_self_signed(HOSTNAME, key=p384, now=NOW), *host_paths(home, settings))
    kept = renew_host_certificate(home, settings, now=NOW)
    assert not kept.key_replaced and kept.certificate.key_curve == "secp384r1"
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    write_bundle(create_self_signed(HOSTNAME, key=weak, now=NOW), *host_paths(home, settings))
    replaced = renew_host_certificate(home, settings, now=NOW)
    assert replaced.key_replaced and replaced.certificate.key_size == 2048
