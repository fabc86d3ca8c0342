"""`configure PAGE` changes only what the page answers: every other field of the current
configuration is kept, not reset to its default."""

from __future__ import annotations

import json
import shlex
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ecmactl.certs.testing import TestCA, pem
from ecmactl.cli import app
from ecmactl.config.store import load_connector, load_settings, save_connector, save_settings
from ecmactl.home import Home

HOSTNAME = "ecma01.contoso.test"


def _invoke(home: Home, *args: str) -> Result:
    return CliRunner().invoke(app, ["--home", str(home.root), *args])


@pytest.fixture
def tuned_home(home: Home, tmp_path: Path) -> Home:
    """A sample home whose settings differ from the defaults in every field the Settings page
    does not ask: a CA certificate imported to custom paths with an encrypted key (so a
    passphrase reference), a debug log level, and lowered limits."""
    done = _invoke(
        home, "init", "--sample", "--no-input", "--hostname", HOSTNAME, "--secret-store", "file"
    )
    assert done.exit_code == 0, done.stderr
    settings = load_settings(home)
    custom = tmp_path / "pki"
    settings.certificate = str(custom / "ecma01.crt")
    settings.private_key = str(custom / "ecma01.key")
    settings.log_level = "debug"
    settings.limits = replace(settings.limits, max_connections=500, head_timeout_seconds=5)
    save_settings(home, settings)
    ca = TestCA.create()
    leaf, key = ca.issue(HOSTNAME)
    (tmp_path / "ca-issued.pem").write_bytes(pem(leaf, key))
    (tmp_path / "passphrase.txt").write_text("correct horse\n", encoding="utf-8")
    done = _invoke(
        home,
        "cert",
        "import",
        str(tmp_path / "ca-issued.pem"),
        "--passphrase-file",
        str(tmp_path / "passphrase.txt"),
    )
    assert done.exit_code == 0, done.stderr
    imported = load_settings(home)
    assert imported.key_passphrase_ref  # the import stored the passphrase and referenced it
    assert imported.certificate == settings.certificate
    return home


def test_configure_settings_changes_only_the_port(tuned_home: Home):
    home = tuned_home
    before = home.settings_path.read_text(encoding="utf-8")
    settings = load_settings(home)
    cert_before = Path(settings.certificate).read_bytes()
    key_before = Path(settings.private_key).read_bytes()
    assert f"port = {settings.port}\n" in before

    done = _invoke(home, "configure", "settings", "--no-input", "--port", "9443")

    assert done.exit_code == 0, done.stderr
    after = home.settings_path.read_text(encoding="utf-8")
    assert after == before.replace(f"port = {settings.port}\n", "port = 9443\n")
    assert load_settings(home) == replace(settings, port=9443)
    # The imported certificate and its encrypted key are untouched, and still served.
    assert Path(settings.certificate).read_bytes() == cert_before
    assert Path(settings.private_key).read_bytes() == key_before
    status = _invoke(home, "cert", "status")
    assert status.exit_code == 0, status.stdout + status.stderr


def test_configure_settings_dry_run_shows_only_the_port(tuned_home: Home):
    home = tuned_home
    before = home.settings_path.read_bytes()
    port = load_settings(home).port

    done = _invoke(home, "configure", "settings", "--no-input", "--port", "9443", "--dry-run")

    assert done.exit_code == 0, done.stderr
    assert home.settings_path.read_bytes() == before
    changes = [line.strip() for line in done.stdout.splitlines() if "›" in line]
    assert changes == [f"Settings › Port: {port} → 9443"]
    assert "update    host settings" in done.stdout

    done = _invoke(
        home, "configure", "settings", "--no-input", "--port", "9443", "--dry-run", "--json"
    )
    payload = json.loads(done.stdout)
    fields = payload.get("fields") or payload["data"]["fields"]
    assert fields == [
        {"key": "settings.port", "page": "settings", "field": "port", "old": port, "new": 9443}
    ]


def test_configure_settings_without_changes_writes_nothing(tuned_home: Home):
    home = tuned_home
    before = home.settings_path.read_bytes()

    done = _invoke(home, "configure", "settings", "--no-input", "--dry-run", "--detailed-exitcode")

    assert done.exit_code == 0, done.stdout  # 20 would mean "changes pending"
    assert "No setting changes." in done.stdout
    assert home.settings_path.read_bytes() == before


def test_configure_properties_keeps_a_rotated_tokens_grace(home: Home):
    """A connector field no page asks (the previous token after `token rotate`) is kept too."""
    done = _invoke(home, "init", "--sample", "--no-input", "--hostname", HOSTNAME)
    assert done.exit_code == 0, done.stderr
    connector = load_connector(home, "SQL")
    connector.previous_secret_token_ref = "env:ECMACTL_SQL_OLD_TOKEN"
    connector.previous_secret_token_expires = "2099-01-01T00:00:00Z"
    save_connector(home, connector)

    done = _invoke(home, "configure", "properties", "--no-input", "--description", "People")

    assert done.exit_code == 0, done.stderr
    assert load_connector(home, "SQL") == replace(connector, description="People")


def test_configure_properties_keeps_the_child_tables(home: Home):
    """Child tables (multi-valued attributes) are kept by a page that does not ask them."""
    from ecmactl.config.models import ChildTable, MultiValuedAttribute

    done = _invoke(home, "init", "--sample", "--no-input", "--hostname", HOSTNAME)
    assert done.exit_code == 0, done.stderr
    connector = load_connector(home, "SQL")
    roles = MultiValuedAttribute(column="Role", name="roleCodes")
    child = ChildTable(table="EmployeeRoles", join_column="EmployeeLogin", attributes=[roles])
    connector.schema.child_tables = [child]
    save_connector(home, connector)
    saved = load_connector(home, "SQL")

    done = _invoke(home, "configure", "properties", "--no-input", "--description", "People")

    assert done.exit_code == 0, done.stderr
    assert load_connector(home, "SQL") == replace(saved, description="People")


@pytest.mark.parametrize("mode", ["--force", "--exist-ok"])
def test_init_on_a_home_with_settings_leaves_them_alone(tuned_home: Home, mode: str):
    """`init` in a home that has settings writes a connector only; Settings flags are ignored
    with a pointer to `configure settings`."""
    home = tuned_home
    before = home.settings_path.read_bytes()

    done = _invoke(home, "init", "--sample", "--no-input", mode, "--port", "9443")

    assert done.exit_code == 0, done.stderr
    assert "ignoring settings.port" in done.stderr
    assert home.settings_path.read_bytes() == before


def test_a_file_that_would_not_change_is_not_rewritten(tuned_home: Home):
    """Same bytes, same file: a running host watches the connector's file (tokens) and
    reloads on a new inode, so a no-op `configure` must not replace it."""
    home = tuned_home
    settings_file, connector_file = home.settings_path, home.connector_path("SQL")
    inodes = settings_file.stat().st_ino, connector_file.stat().st_ino

    for page in ("settings", "properties"):
        done = _invoke(home, "configure", page, "--no-input")
        assert done.exit_code == 0, done.stderr
        assert "nothing changed" in done.stderr + done.stdout

    assert (settings_file.stat().st_ino, connector_file.stat().st_ino) == inodes


def test_a_new_certificate_keeps_the_key_encrypted(tuned_home: Home):
    """Generating writes the new key to the configured path, encrypted with the passphrase the
    settings reference: the page does not ask about it, so it is kept."""
    home = tuned_home
    settings = load_settings(home)
    cert_before = Path(settings.certificate).read_bytes()

    done = _invoke(home, "configure", "settings", "--no-input", "--certificate", "generate")

    assert done.exit_code == 0, done.stderr
    assert load_settings(home) == settings
    assert Path(settings.certificate).read_bytes() != cert_before
    assert b"ENCRYPTED PRIVATE KEY" in Path(settings.private_key).read_bytes()
    status = _invoke(home, "cert", "status")
    assert status.exit_code == 0, status.stdout + status.stderr


def test_an_unreadable_passphrase_is_dropped_and_said(tuned_home: Home):
    """When the referenced passphrase cannot be read, the new key is written unencrypted and
    the reference removed: the dry run lists that change to a key the page does not ask, and
    says why."""
    home = tuned_home
    settings = load_settings(home)
    settings.key_passphrase_ref = "env:ECMACTL_TEST_UNSET_PASSPHRASE"
    save_settings(home, settings)
    generate = ("configure", "settings", "--no-input", "--certificate", "generate")

    done = _invoke(home, *generate, "--dry-run")

    assert done.exit_code == 0, done.stderr
    changes = [line.strip() for line in done.stdout.splitlines() if "›" in line]
    assert changes == [
        "Settings › Certificate: keep → generate",
        "settings.toml › key_passphrase_ref: env:ECMACTL_TEST_UNSET_PASSPHRASE → (none)",
    ]
    assert "The new private key is written unencrypted" in done.stdout

    done = _invoke(home, *generate)

    assert done.exit_code == 0, done.stderr
    assert "The new private key is written unencrypted" in done.stderr
    assert load_settings(home) == replace(settings, key_passphrase_ref=None)
    status = _invoke(home, "cert", "status")
    assert status.exit_code == 0, status.stdout + status.stderr


def test_the_fix_for_a_refused_settings_file_works(home: Home):
    """A settings file the rules refuse names `configure settings` as its fix; following it
    (keeping the certificate, a new host name) repairs the file instead of failing on it."""
    done = _invoke(
        home, "init", "--sample", "--no-input", "--hostname", "vm", "--secret-store", "file"
    )
    assert done.exit_code == 0, done.stderr
    text = home.settings_path.read_text(encoding="utf-8")
    home.settings_path.write_text(text.replace('"vm"', '"bad_host!"', 1), encoding="utf-8")

    refused = _invoke(home, "cert", "status")
    assert refused.exit_code != 0
    fix = next(line for line in refused.stderr.splitlines() if line.startswith("Fix:"))
    pasted = shlex.split(fix.split("`")[1])
    assert pasted[0] == "ecmactl" and pasted[-2:] == ["configure", "settings"]

    for extra in (["--dry-run"], []):
        done = CliRunner().invoke(app, [*pasted[1:], "--no-input", "--hostname", "vm", *extra])
        assert done.exit_code == 0, done.stderr
    assert load_settings(home).hostname == "vm"
