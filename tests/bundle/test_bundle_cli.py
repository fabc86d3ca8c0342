"""`ecmactl bundle …` through the CLI: flags, exit codes, stdout/stderr, JSON."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from bundle_home import PASSWORD, TOKEN
from bundle_tools import Members, add, members, repack, replace
from conftest import Invoke

from ecmactl.home import Home


def emit(cli: Invoke, source: Home, out: Path, *flags: str) -> None:
    result = cli(source, "emit", "-o", str(out), *flags)
    assert result.exit_code == 0, result.stderr


def test_emit_writes_and_refuses_to_overwrite(cli: Invoke, source: Home, tmp_path: Path) -> None:
    out = tmp_path / "b.tar.gz"

    first = cli(source, "emit", "-o", str(out))
    assert first.exit_code == 0, first.stderr
    assert "6 files" in first.stderr and "connectors/HR.toml" in first.stderr
    assert "Secrets are not in the bundle" in first.stderr
    assert first.stdout == ""

    again = cli(source, "emit", "-o", str(out))
    assert again.exit_code == 2
    assert "already exists" in again.stderr and "--force" in again.stderr

    assert cli(source, "emit", "-o", str(out), "--force").exit_code == 0


def test_emit_private_key_warns_and_is_0600(cli: Invoke, source: Home, tmp_path: Path) -> None:
    out = tmp_path / "keyed.tar.gz"

    result = cli(source, "emit", "-o", str(out), "--include-private-key", "--json")

    assert result.exit_code == 0, result.stderr
    assert "contains the TLS private key" in result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    document = json.loads(result.stdout)
    assert document["schema"] == "ecmactl/bundle-emit/v1"
    assert document["manifest"]["private_key_included"] is True
    assert "certs/server.key" in [f["path"] for f in document["manifest"]["files"]]


def test_emit_to_stdout_and_apply_from_stdin(cli: Invoke, source: Home, target: Home) -> None:
    emitted = cli(source, "emit", "-o", "-")
    assert emitted.exit_code == 0, emitted.stderr
    data = emitted.stdout_bytes
    assert data[:2] == b"\x1f\x8b"  # gzip

    applied = cli(target, "apply", "-", input=data)

    assert applied.exit_code == 0, applied.stderr
    assert target.settings_path.read_bytes() == source.settings_path.read_bytes()


def test_verify_ok_and_json(cli: Invoke, source: Home, tmp_path: Path) -> None:
    out = tmp_path / "b.tar.gz"
    emit(cli, source, out)

    text = cli(source, "verify", str(out))
    assert text.exit_code == 0, text.stderr
    assert text.stdout.startswith(f"OK {out}: 6 files")

    as_json = json.loads(cli(source, "verify", str(out), "--json").stdout)
    assert as_json == {
        "schema": "ecmactl/bundle-verify/v1",
        "source": str(out),
        "ok": True,
        "problems": [],
    }


def test_verify_tampered_exits_1_naming_every_problem(
    cli: Invoke, source: Home, tmp_path: Path
) -> None:
    out = tmp_path / "b.tar.gz"
    emit(cli, source, out)

    def add_two(items: Members) -> None:
        add(items, "../escape.toml")
        add(items, "connectors/Evil.toml")

    out.write_bytes(repack(out.read_bytes(), add_two))

    text = cli(source, "verify", str(out))
    assert text.exit_code == 1
    assert "../escape.toml: unsafe entry name" in text.stdout
    assert "connectors/Evil.toml: in the archive but not in the manifest" in text.stdout
    assert "failed verification" in text.stderr and "Fix:" in text.stderr

    as_json = cli(source, "verify", str(out), "--json")
    assert as_json.exit_code == 1
    document = json.loads(as_json.stdout)
    assert document["ok"] is False
    assert {p["code"] for p in document["problems"]} == {"unsafe-path", "extra-file"}


def test_emit_and_inspect_label_both_digests_alike(
    cli: Invoke, source: Home, tmp_path: Path
) -> None:
    """Emit printed the archive's sha256 and inspect the content's, both
    unlabelled; now both commands show both, labelled, with the same JSON keys."""
    import hashlib

    out = tmp_path / "b.tar.gz"
    emitted = cli(source, "emit", "-o", str(out))
    assert emitted.exit_code == 0, emitted.stderr
    archive = hashlib.sha256(out.read_bytes()).hexdigest()
    content = json.loads(cli(source, "inspect", str(out), "--json").stdout)["content_sha256"]
    assert content != archive
    inspected = cli(source, "inspect", str(out))
    for text in (emitted.stderr, inspected.stdout):
        flat = " ".join(text.split()).replace("sha256:", "sha256")  # a grid has no colons
        assert f"Archive sha256 {archive} (of the .tar.gz file)" in flat
        assert f"Content sha256 {content} (of the members, stable across re-packing)" in flat

    emitted_json = json.loads(cli(source, "emit", "-o", str(out), "--force", "--json").stdout)
    inspected_json = json.loads(cli(source, "inspect", str(out), "--json").stdout)
    for document in (emitted_json, inspected_json):
        assert document["archive_sha256"] == archive
        assert document["content_sha256"] == content


def test_verify_missing_file_exits_2(cli: Invoke, source: Home, tmp_path: Path) -> None:
    result = cli(source, "verify", str(tmp_path / "nope.tar.gz"))
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_inspect_shows_host_connectors_certificate(
    cli: Invoke, source: Home, tmp_path: Path
) -> None:
    out = tmp_path / "b.tar.gz"
    emit(cli, source, out)

    text = cli(source, "inspect", str(out))
    assert text.exit_code == 0, text.stderr
    for expected in (
        "ecma01.contoso.test:8585",
        "https://ecma01.contoso.test:8585/ecma2host_HR/scim",
        "CN=ecma01.contoso.test",
        "not included",
        "secret token",
        "certs/server.crt",
    ):
        assert expected in text.stdout, expected

    document = json.loads(cli(source, "inspect", str(out), "--json").stdout)
    assert document["schema"] == "ecmactl/bundle-inspect/v1" and document["ok"] is True
    assert document["host"]["hostname"] == "ecma01.contoso.test"
    assert [c["name"] for c in document["connectors"]] == ["HR", "Payroll"]
    assert document["certificate"]["sans"] == ["ecma01.contoso.test"]
    assert {s["what"] for s in document["secrets"]} == {"secret token", "database password"}
    assert TOKEN not in text.stdout and PASSWORD not in text.stdout


def test_apply_reports_secrets_and_refuses_overwrite(
    cli: Invoke, source: Home, target: Home, tmp_path: Path
) -> None:
    out = tmp_path / "b.tar.gz"
    emit(cli, source, out)

    dry = cli(target, "apply", str(out), "--dry-run")
    assert dry.exit_code == 0 and "dry run: nothing written" in dry.stderr
    assert not target.root.exists()

    applied = cli(target, "apply", str(out))
    assert applied.exit_code == 0, applied.stderr
    assert "6 created" in applied.stderr
    assert f"ecmactl --home {target.root} token set --connector HR" in applied.stderr
    assert "needs its private key" in applied.stderr

    target.connector_path("HR").write_text("# changed locally\n")
    refused = cli(target, "apply", str(out))
    assert refused.exit_code == 2
    assert "connectors/HR.toml" in refused.stderr and "--force" in refused.stderr
    assert target.connector_path("HR").read_text() == "# changed locally\n"

    forced = cli(target, "apply", str(out), "--force", "--json")
    assert forced.exit_code == 0, forced.stderr
    document = json.loads(forced.stdout)
    assert [c["path"] for c in document["changes"] if c["action"] == "update"] == [
        "connectors/HR.toml"
    ]
    token = next(
        s for s in document["secrets"] if s["connector"] == "HR" and s["what"] == "secret token"
    )
    assert token["available"] is False


def test_apply_bad_bundle_exits_1_and_writes_nothing(
    cli: Invoke, source: Home, target: Home, tmp_path: Path
) -> None:
    out = tmp_path / "b.tar.gz"
    emit(cli, source, out)
    out.write_bytes(repack(out.read_bytes(), lambda items: add(items, "/etc/passwd")))

    result = cli(target, "apply", str(out))

    assert result.exit_code == 1
    assert "/etc/passwd: unsafe entry name (absolute path)" in result.stderr
    assert not target.root.exists()


def test_a_config_every_load_would_refuse_fails_verify_and_apply(
    cli: Invoke, source: Home, target: Home, tmp_path: Path
) -> None:
    out = tmp_path / "b.tar.gz"
    emit(cli, source, out)
    hr = members(out.read_bytes())["connectors/HR.toml"]
    tampered = hr.replace(b"autosync_minutes = 120", b"autosync_minutes = -5")
    out.write_bytes(
        repack(
            out.read_bytes(),
            lambda items: replace(items, "connectors/HR.toml", tampered),
            fix_manifest=True,
        )
    )

    verified = cli(source, "verify", str(out))
    assert verified.exit_code == 1
    assert "connectors/HR.toml: autosync_minutes = -5 is not allowed" in verified.stdout
    applied = cli(target, "apply", str(out))
    assert applied.exit_code == 1
    assert "connectors/HR.toml: autosync_minutes = -5" in applied.stderr
    assert not target.root.exists()


def test_inspect_shows_a_damaged_bundle_but_not_garbage(
    cli: Invoke, source: Home, tmp_path: Path
) -> None:
    out = tmp_path / "b.tar.gz"
    emit(cli, source, out)
    out.write_bytes(repack(out.read_bytes(), lambda items: add(items, "connectors/Evil.toml")))

    damaged = cli(source, "inspect", str(out))
    assert damaged.exit_code == 0
    assert "connectors/Evil.toml: in the archive but not in the manifest" in damaged.stderr

    out.write_bytes(b"garbage")
    garbage = cli(source, "inspect", str(out))
    assert garbage.exit_code == 1 and "not a readable .tar.gz archive" in garbage.stderr
