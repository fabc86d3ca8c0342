"""`ecmactl cert …` through the real command tree: messages, JSON, and exit codes."""

from __future__ import annotations

import importlib.util
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ecmactl.certs import create_self_signed, write_bundle
from ecmactl.certs.manage import host_paths
from ecmactl.certs.testing import TestCA, cached_key, pem, pfx
from ecmactl.cli import app
from ecmactl.config.models import HostSettings
from ecmactl.config.store import load_settings, save_settings
from ecmactl.home import Home

HOSTNAME = "ecma01.contoso.test"


@pytest.fixture
def settings(home: Home) -> HostSettings:
    value = HostSettings(hostname=HOSTNAME)
    save_settings(home, value)
    return value


@pytest.fixture
def ca() -> TestCA:
    return TestCA.create()


def run(home: Home, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(
        app, ["--home", str(home.root), "cert", *args], input=input, catch_exceptions=False
    )


def flat(text: str) -> str:
    """Rich wraps stderr messages at the terminal width; compare with whitespace collapsed."""
    return " ".join(text.split())


def install(home: Home, settings: HostSettings, *, now: datetime, days: int = 730) -> None:
    bundle = create_self_signed(HOSTNAME, now=now, days=days, key=cached_key("ec256"))
    write_bundle(bundle, *host_paths(home, settings))


def test_create_then_refuse_to_overwrite(home: Home, settings: HostSettings) -> None:
    result = run(home, "create", "--key-type", "ec256", "--san", "10.0.0.5")
    assert result.exit_code == 0, result.output
    assert "Created a self-signed certificate for ecma01.contoso.test, localhost, 10.0.0.5" in (
        flat(result.stderr)
    )
    assert result.stdout == ""
    again = run(home, "create", "--key-type", "ec256")
    assert again.exit_code == 2
    assert "already exists" in again.stderr and "--force" in again.stderr
    forced = run(
        home, "create", "--key-type", "ec256", "--force", "--no-loopback", "--days", "90", "--json"
    )
    doc = json.loads(forced.stdout)
    assert forced.exit_code == 0 and doc["schema"] == "ecmactl/cert-change/v1"
    assert doc["action"] == "created" and doc["previous"]["serial"]
    assert doc["certificate"]["sans"] == {"dns": [HOSTNAME], "ip": []}


def test_create_with_passphrase_from_stdin(home: Home, settings: HostSettings) -> None:
    result = run(
        home, "create", "--key-type", "ec256", "--passphrase-file", "-", input="pass-phrase-1\n"
    )
    assert result.exit_code == 0, result.output
    assert b"ENCRYPTED" in host_paths(home, settings)[1].read_bytes()
    assert load_settings(home).key_passphrase_ref
    assert run(home, "status").exit_code == 0


def test_bad_key_type_and_days_are_usage_errors(home: Home, settings: HostSettings) -> None:
    assert run(home, "create", "--key-type", "dsa").exit_code == 2
    assert run(home, "create", "--days", "0").exit_code == 2


@pytest.mark.parametrize(
    ("issued", "days", "args", "code", "state"),
    [
        (timedelta(days=-10), 730, [], 0, "ok"),
        (timedelta(days=-10), 730, ["--expires-in", "725d"], 10, "renewal_due"),
        (timedelta(days=-600), 730, [], 10, "renewal_due"),
        (timedelta(days=-40), 30, [], 11, "expired"),
        (timedelta(days=2), 30, [], 11, "not_yet_valid"),
    ],
)
def test_status_exit_codes(
    home: Home,
    settings: HostSettings,
    issued: timedelta,
    days: int,
    args: list[str],
    code: int,
    state: str,
) -> None:
    install(home, settings, now=datetime.now(UTC) + issued, days=days)
    text = run(home, "status", *args)
    assert text.exit_code == code, text.output
    assert state.replace("_", " ") in text.stdout
    as_json = run(home, "status", "--json", *args)
    assert as_json.exit_code == code  # --json does not change the exit code
    doc = json.loads(as_json.stdout)
    assert doc["schema"] == "ecmactl/cert-status/v1" and doc["status"] == state
    quiet = CliRunner().invoke(app, ["--home", str(home.root), "-q", "cert", "status", *args])
    assert quiet.exit_code == code and quiet.stdout == ""


def test_status_unusable_and_missing(home: Home, settings: HostSettings) -> None:
    missing = run(home, "status")
    assert missing.exit_code == 13 and f"ecmactl --home {home.root} cert create" in missing.stdout
    install(home, settings, now=datetime.now(UTC))
    settings.hostname = "ecma02.contoso.test"
    save_settings(home, settings)
    unusable = run(home, "status")
    assert unusable.exit_code == 12
    assert "✗ not in the SAN" in unusable.stdout
    assert "does not include the host name ecma02.contoso.test" in unusable.stdout


def test_status_text_shows_the_facts(home: Home, settings: HostSettings) -> None:
    install(home, settings, now=datetime.now(UTC) - timedelta(days=73))
    out = run(home, "status").stdout
    for expected in (
        "Status:      ok",
        "(self-signed)",
        "✓ in the SAN",
        "✓ matches the certificate",
        "Thumbprint:  SHA-1 ",
        "SHA-256 ",
        "expires in 656 days · 10.0% of lifetime used",
        "not due (threshold 66%",
    ):
        assert expected in out, expected


def test_bad_expires_in(home: Home, settings: HostSettings) -> None:
    result = run(home, "status", "--expires-in", "soon")
    assert result.exit_code == 2 and "--expires-in" in result.stderr


def test_no_settings_is_an_error_with_a_fix(home: Home) -> None:
    result = run(home, "status")
    assert result.exit_code == 1 and f"ecmactl --home {home.root} init" in result.stderr


def test_show_any_file_and_a_pfx(
    home: Home, settings: HostSettings, ca: TestCA, tmp_path: Path
) -> None:
    leaf, key = ca.issue(HOSTNAME)
    path = tmp_path / "host.pfx"
    path.write_bytes(pfx(leaf, key, [ca.certificate], password="pfx-pass-1"))
    result = run(home, "show", str(path), "--password-file", "-", "--json", input="pfx-pass-1\n")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["self_signed"] is False and doc["key_matches_certificate"] is True
    assert doc["chain_length"] == 1 and doc["hostname_in_san"] is True
    expired = tmp_path / "old.pem"
    old, _ = ca.issue(
        HOSTNAME,
        not_after=datetime.now(UTC) - timedelta(days=1),
        not_before=datetime.now(UTC) - timedelta(days=30),
    )
    expired.write_bytes(pem(old))
    shown = run(home, "show", str(expired))
    assert shown.exit_code == 0 and "expired" in shown.stdout  # show reports, status judges
    assert run(home, "show").exit_code == 13


def test_import_good_and_bad(
    home: Home, settings: HostSettings, ca: TestCA, tmp_path: Path
) -> None:
    wrong, key = ca.issue("other.contoso.test")
    (tmp_path / "wrong.pem").write_bytes(pem(wrong, key))
    refused = run(home, "import", str(tmp_path / "wrong.pem"))
    assert refused.exit_code == 12
    assert "Error: the certificate's SAN (DNS:other.contoso.test) does not include" in (
        flat(refused.stderr)
    )
    assert "Fix:" in refused.stderr and not host_paths(home, settings)[0].exists()
    leaf, key = ca.issue(HOSTNAME)
    (tmp_path / "host.pfx").write_bytes(pfx(leaf, key, password="pfx-pass-2"))
    bad_password = run(
        home, "import", str(tmp_path / "host.pfx"), "--password-file", "-", input="nope\n"
    )
    assert bad_password.exit_code == 2 and "password is wrong" in flat(bad_password.stderr)
    good = run(
        home,
        "import",
        str(tmp_path / "host.pfx"),
        "--password-file",
        "-",
        "--json",
        input="pfx-pass-2\n",
    )
    assert good.exit_code == 0, good.output
    assert json.loads(good.stdout)["action"] == "imported"
    assert run(home, "status").exit_code == 0
    both_stdin = run(
        home, "import", str(tmp_path / "host.pfx"), "--password-file", "-", "--passphrase-file", "-"
    )
    assert both_stdin.exit_code == 2


def test_renew_if_due_is_cron_safe(home: Home, settings: HostSettings) -> None:
    install(home, settings, now=datetime.now(UTC) - timedelta(days=10))
    skipped = run(home, "renew", "--if-due", "--expires-in", "30d", "--json")
    assert skipped.exit_code == 0 and json.loads(skipped.stdout)["action"] == "skipped"
    renewed = run(home, "renew", "--expires-in", "725d", "--json")  # implies --if-due; due
    doc = json.loads(renewed.stdout)
    assert renewed.exit_code == 0 and doc["action"] == "renewed"
    assert doc["previous"]["serial"] != doc["certificate"]["serial"]
    text = run(home, "renew", "--dry-run")
    assert text.exit_code == 0 and "Would renew (on request)" in flat(text.stderr)


def test_renew_shows_the_new_expiry_of_the_default_lifetime(
    home: Home, settings: HostSettings
) -> None:
    """Renew re-issues for 730 days (not the old lifetime) and says until when."""
    install(home, settings, now=datetime.now(UTC) - timedelta(days=9), days=10)
    renewed = run(home, "renew", "--if-due", "--json")
    doc = json.loads(renewed.stdout)
    assert renewed.exit_code == 0 and doc["action"] == "renewed"
    expiry = datetime.fromisoformat(doc["not_after"])
    assert expiry == datetime.fromisoformat(doc["certificate"]["not_after"])
    assert timedelta(days=729) < expiry - datetime.now(UTC) <= timedelta(days=730)
    skipped = run(home, "renew", "--if-due")
    assert skipped.exit_code == 0
    assert f"valid until {expiry:%Y-%m-%d %H:%M} UTC" in flat(skipped.stderr)
    text = run(home, "renew", "--days", "20")
    until = datetime.now(UTC) + timedelta(days=20)
    assert f"valid until {until:%Y-%m-%d}" in flat(text.stderr) and "(20 days)" in text.stderr


def test_renew_a_ca_certificate_says_what_to_send(
    home: Home, settings: HostSettings, ca: TestCA
) -> None:
    leaf, key = ca.issue(HOSTNAME)
    cert_path, key_path = host_paths(home, settings)
    cert_path.parent.mkdir(parents=True)
    cert_path.write_bytes(pem(leaf))
    key_path.write_bytes(pem(key))
    result = run(home, "renew")
    assert result.exit_code == 10
    assert "only that CA can renew it" in flat(result.stderr) and "cert csr" in result.stderr
    csr = run(home, "csr")
    assert csr.exit_code == 0 and csr.stdout.startswith("-----BEGIN CERTIFICATE REQUEST-----")
    out = home.root / "host.csr"
    written = run(home, "csr", "--out", str(out), "--json")
    assert out.read_bytes().startswith(b"-----BEGIN CERTIFICATE REQUEST-----")
    assert json.loads(written.stdout)["sans"] == [HOSTNAME]


def test_cert_help_lists_the_exit_codes() -> None:
    result = CliRunner().invoke(app, ["cert", "status", "--help"])
    assert result.exit_code == 0 and "13 missing" in flat(result.stdout)


@pytest.mark.skipif(
    importlib.util.find_spec("ecmactl.sql.sample") is None,
    reason="`ecmactl init --sample` is not available yet",
)
def test_every_cert_command_works_on_the_sample_home(home: Home) -> None:
    init = CliRunner().invoke(app, ["--home", str(home.root), "init", "--sample", "--no-input"])
    assert init.exit_code == 0, init.output
    for args in (
        ["status"],
        ["show"],
        ["show", "--json"],
        ["renew", "--if-due"],
        ["renew", "--dry-run"],
        ["csr"],
    ):
        result = run(home, *args)
        assert result.exit_code == 0, (args, result.output)
    assert run(home, "create", "--force", "--key-type", "ec256").exit_code == 0
    assert run(home, "renew").exit_code == 0
    assert run(home, "status").exit_code == 0


def test_cert_and_token_modules_do_not_import_cryptography() -> None:
    import subprocess
    import sys

    code = (
        "import sys, ecmactl.cli.cert, ecmactl.cli.token, ecmactl.certs, ecmactl.tokens\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'cryptography', 'rich', 'ssl'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
