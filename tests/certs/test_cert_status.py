"""The verdict and its exit code, from a controlled clock: each state maps to its code."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from cert_helpers import HOSTNAME, NOW

from ecmactl.certs import (
    State,
    check_host_certificate,
    create_self_signed,
    parse_threshold,
    write_bundle,
)
from ecmactl.certs.manage import host_paths
from ecmactl.certs.testing import TestCA, cached_key, pem
from ecmactl.config.models import HostSettings
from ecmactl.config.store import save_settings
from ecmactl.errors import UsageError
from ecmactl.exit_codes import ExitCode
from ecmactl.home import Home
from ecmactl.secrets import write_secret


@pytest.fixture
def installed(home: Home, settings: HostSettings) -> HostSettings:
    """A 730-day self-signed certificate issued at NOW, installed in the home."""
    bundle = create_self_signed(HOSTNAME, now=NOW, key=cached_key("ec256"))
    write_bundle(bundle, *host_paths(home, settings))
    return settings


@pytest.mark.parametrize(
    ("offset", "threshold", "state", "code"),
    [
        (timedelta(days=1), "66%", State.OK, ExitCode.OK),
        (timedelta(days=699), "30d", State.OK, ExitCode.OK),
        (timedelta(days=701), "30d", State.RENEWAL_DUE, ExitCode.RENEWAL_DUE),
        (timedelta(days=364), "50%", State.OK, ExitCode.OK),
        (timedelta(days=366), "50%", State.RENEWAL_DUE, ExitCode.RENEWAL_DUE),
        (timedelta(days=500), "66%", State.RENEWAL_DUE, ExitCode.RENEWAL_DUE),
        (timedelta(days=731), "66%", State.EXPIRED, ExitCode.CERT_EXPIRED),
        (timedelta(days=731), "0s", State.EXPIRED, ExitCode.CERT_EXPIRED),
        (-timedelta(days=1), "66%", State.NOT_YET_VALID, ExitCode.CERT_EXPIRED),
    ],
)
def test_states_and_exit_codes(
    home: Home,
    installed: HostSettings,
    offset: timedelta,
    threshold: str,
    state: State,
    code: ExitCode,
) -> None:
    status = check_host_certificate(
        home, installed, threshold=parse_threshold(threshold), now=NOW + offset
    )
    assert (status.state, status.exit_code) == (state, code)
    assert status.to_dict()["exit_code"] == int(code)


def test_ok_report_facts(home: Home, installed: HostSettings) -> None:
    status = check_host_certificate(home, installed, now=NOW + timedelta(days=73))
    doc = status.to_dict()
    assert doc["status"] == "ok" and doc["hostname_in_san"] is True
    assert doc["key_present"] is True and doc["key_matches_certificate"] is True
    assert doc["self_signed"] is True and doc["sans"]["dns"] == [HOSTNAME, "localhost"]
    assert doc["days_remaining"] == 657
    assert doc["lifetime_used_percent"] == 10.0
    assert doc["renewal_threshold"] == "66%" and doc["renewal_due"] is False
    assert doc["renewal_due_at"] == status.renewal_due_at
    assert doc["problems"] == [] and any("Trust" in step for step in doc["next_steps"])
    assert set(doc) >= {
        "serial",
        "sha1_thumbprint",
        "sha256_fingerprint",
        "key",
        "not_before",
        "not_after",
        "seconds_remaining",
        "issuer",
        "subject",
        "path",
    }


def test_missing_certificate(home: Home, settings: HostSettings) -> None:
    status = check_host_certificate(home, settings, now=NOW)
    assert (status.state, status.exit_code) == (State.MISSING, ExitCode.CERT_MISSING)
    assert "ecmactl cert create" in status.next_steps[0]


def test_missing_key(home: Home, installed: HostSettings) -> None:
    host_paths(home, installed)[1].unlink()
    status = check_host_certificate(home, installed, now=NOW)
    assert (status.state, status.exit_code) == (State.KEY_MISSING, ExitCode.CERT_MISSING)
    assert status.state.label == "certificate without its key" and not status.renewal_due
    assert status.problems[0].code == "key_missing"
    assert "ecmactl cert import" in status.problems[0].hint
    assert "--rekey" in status.problems[0].hint  # self-signed: re-issuing is the other way


def test_host_name_mismatch_is_unusable(home: Home, installed: HostSettings) -> None:
    installed.hostname = "ecma02.contoso.test"
    status = check_host_certificate(home, installed, now=NOW)
    assert (status.state, status.exit_code) == (State.UNUSABLE, ExitCode.CERT_UNUSABLE)
    assert status.hostname_in_san is False
    assert status.problems[0].code == "hostname_mismatch"
    assert "ecmactl cert renew" in status.next_steps[0]


def test_key_mismatch_is_unusable(home: Home, installed: HostSettings) -> None:
    host_paths(home, installed)[1].write_bytes(pem(cached_key("ec256", slot=7)))
    status = check_host_certificate(home, installed, now=NOW)
    assert status.state == State.UNUSABLE and status.key_matches is False
    assert [p.code for p in status.problems] == ["key_mismatch"]


def test_worst_state_wins(home: Home, installed: HostSettings) -> None:
    installed.hostname = "elsewhere.contoso.test"
    status = check_host_certificate(home, installed, now=NOW + timedelta(days=800))
    assert {p.code for p in status.problems} == {"expired", "hostname_mismatch"}
    assert status.exit_code == ExitCode.CERT_UNUSABLE


def test_unreadable_certificate_is_unusable(home: Home, installed: HostSettings) -> None:
    host_paths(home, installed)[0].write_text("garbage")
    status = check_host_certificate(home, installed, now=NOW)
    assert (status.state, status.exit_code) == (State.UNUSABLE, ExitCode.CERT_UNUSABLE)
    assert status.info is None and status.to_dict()["status"] == "unusable"


def test_encrypted_key_with_and_without_its_passphrase(home: Home, settings: HostSettings) -> None:
    bundle = create_self_signed(HOSTNAME, now=NOW, key=cached_key("ec256"))
    write_bundle(bundle, *host_paths(home, settings), passphrase="key-pass-123")
    status = check_host_certificate(home, settings, now=NOW)
    assert status.state == State.UNUSABLE and status.problems[0].code == "password_required"
    settings.key_passphrase_ref = "keyring:test/host/key-passphrase"
    save_settings(home, settings)
    unavailable = check_host_certificate(home, settings, now=NOW)
    assert unavailable.problems[0].code == "passphrase_unavailable"
    write_secret(settings.key_passphrase_ref, "key-pass-123", home)
    assert check_host_certificate(home, settings, now=NOW).state == State.OK


def test_ca_certificate_next_steps_point_at_a_csr(
    home: Home, settings: HostSettings, ca: TestCA
) -> None:
    leaf, key = ca.issue(HOSTNAME, now=NOW)
    cert_path, key_path = host_paths(home, settings)
    cert_path.parent.mkdir(parents=True)
    cert_path.write_bytes(pem(leaf, ca.certificate))
    key_path.write_bytes(pem(key))
    status = check_host_certificate(home, settings, now=NOW + timedelta(days=300))
    assert status.state == State.RENEWAL_DUE and status.info is not None
    assert not status.info.self_signed and status.info.chain_length == 1
    assert "cert csr" in status.next_steps[0]


def test_show_any_file_without_a_key(tmp_path: Path, ca: TestCA) -> None:
    from ecmactl.certs.status import inspect_file

    leaf, _ = ca.issue(HOSTNAME, now=NOW)
    path = tmp_path / "leaf.pem"
    path.write_bytes(pem(leaf))
    status = inspect_file(path, now=NOW)
    assert status.state == State.OK and status.key_present is False
    assert status.hostname is None and status.hostname_in_san is None


@pytest.mark.parametrize(
    ("text", "percent", "seconds"),
    [
        ("30d", None, 30 * 86400),
        ("2w", None, 14 * 86400),
        ("1d12h", None, 129600),
        ("90m", None, 5400),
        ("0", None, 0),
        ("0s", None, 0),
        ("75%", 75.0, None),
        ("12.5%", 12.5, None),
    ],
)
def test_parse_threshold(text: str, percent: float | None, seconds: int | None) -> None:
    threshold = parse_threshold(text)
    assert threshold.percent == percent
    if seconds is not None:
        assert threshold.before_expiry == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "30", "thirty days", "30x", "0%", "150%", "-5d", "%"])
def test_bad_threshold_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_threshold(text)
    assert caught.value.exit_code == ExitCode.USAGE and caught.value.hint
