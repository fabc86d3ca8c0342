"""The bundle core: round trip, determinism, tamper detection, secret hygiene, safe apply."""

from __future__ import annotations

import json
import stat
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bundle_home import PASSWORD, TOKEN
from bundle_tools import add, edit_manifest, members, repack, replace

from ecmactl.config import bundle as core
from ecmactl.config.bundle import (
    BundleError,
    BundleExistsError,
    BundleInvalidError,
    apply_bundle,
    emit_bundle,
    verify_bundle,
    write_bundle,
)
from ecmactl.config.store import load_connector, save_connector
from ecmactl.errors import ConfigError
from ecmactl.exit_codes import ExitCode
from ecmactl.home import Home

CONFIG_FILES = [
    "settings.toml",
    "connectors/HR.toml",
    "connectors/Payroll.toml",
    "answers/HR.toml",
    "answers/Payroll.toml",
    "certs/server.crt",
]


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_round_trip_gives_an_identical_home(source: Home, target: Home) -> None:
    bundle = emit_bundle(source)
    assert verify_bundle(bundle.data, "b").ok

    result = apply_bundle(bundle.data, "b", target)

    assert [c.action for c in result.changes] == ["create"] * len(CONFIG_FILES)
    assert result.changes[-1].path == "settings.toml"  # settings last: a partial home won't run
    installed = snapshot(target.root)
    assert sorted(installed) == sorted(CONFIG_FILES)
    assert all(installed[p] == (source.root / p).read_bytes() for p in CONFIG_FILES)
    assert load_connector(target, "HR") == load_connector(source, "HR")
    # Emitting the new home gives the same content (only the source path differs).
    again = emit_bundle(target)
    assert again.manifest.content_sha256 == bundle.manifest.content_sha256


def test_manifest_describes_every_file(source: Home) -> None:
    manifest = emit_bundle(source).manifest

    assert manifest.format == "ecmactl-bundle" and manifest.schema_version == 1
    assert manifest.created_at == "2026-01-01T00:00:00Z"  # SOURCE_DATE_EPOCH
    assert manifest.source_home == str(source.root)
    roles = {f.path: f.role for f in manifest.files}
    assert roles == {
        "answers/HR.toml": "answers",
        "answers/Payroll.toml": "answers",
        "certs/server.crt": "certificate",
        "connectors/HR.toml": "connector",
        "connectors/Payroll.toml": "connector",
        "settings.toml": "settings",
    }
    assert all(len(f.sha256) == 64 and f.size > 0 for f in manifest.files)


def test_archive_is_deterministic_and_safe(source: Home) -> None:
    first, second = emit_bundle(source), emit_bundle(source)
    assert first.data == second.data

    later = emit_bundle(source, created_at=datetime(2027, 5, 1, tzinfo=UTC))
    assert later.data != first.data
    assert later.manifest.content_sha256 == first.manifest.content_sha256
    with tarfile.open(fileobj=__import__("io").BytesIO(first.data), mode="r:gz") as tar:
        infos = tar.getmembers()
    assert infos[0].name == "manifest.json"
    assert [i.name for i in infos[1:]] == sorted(CONFIG_FILES)
    assert all(i.isreg() and i.uid == 0 and i.uname == "" and i.mtime == 1767225600 for i in infos)


@pytest.mark.parametrize("with_key", [False, True])
def test_no_secret_value_in_any_member(source: Home, with_key: bool) -> None:
    data = emit_bundle(source, include_private_key=with_key).data

    for name, payload in members(data).items():
        assert TOKEN.encode() not in payload, name
        assert PASSWORD.encode() not in payload, name
    assert not any(name.startswith(("secrets/", "data/")) for name in members(data))


def test_private_key_only_on_request(source: Home, tmp_path: Path) -> None:
    plain = emit_bundle(source)
    assert "certs/server.key" not in members(plain.data)
    assert not any(b"PRIVATE KEY" in payload for payload in members(plain.data).values())

    keyed = emit_bundle(source, include_private_key=True)
    assert members(keyed.data)["certs/server.key"] == (source.certs_dir / "server.key").read_bytes()
    assert keyed.manifest.private_key_included
    out = tmp_path / "keyed.tar.gz"
    write_bundle(keyed, out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    write_bundle(plain, tmp_path / "plain.tar.gz")
    assert stat.S_IMODE((tmp_path / "plain.tar.gz").stat().st_mode) == 0o644


def test_applied_private_key_is_0600(source: Home, target: Home) -> None:
    apply_bundle(emit_bundle(source, include_private_key=True).data, "b", target)

    assert stat.S_IMODE((target.certs_dir / "server.key").stat().st_mode) == 0o600


def test_write_refuses_to_overwrite_without_force(source: Home, tmp_path: Path) -> None:
    out = tmp_path / "b.tar.gz"
    out.write_bytes(b"precious")
    bundle = emit_bundle(source)

    with pytest.raises(BundleExistsError, match="already exists") as caught:
        write_bundle(bundle, out)
    assert caught.value.exit_code == ExitCode.USAGE and "--force" in (caught.value.hint or "")
    assert out.read_bytes() == b"precious"
    write_bundle(bundle, out, force=True)
    assert out.read_bytes() == bundle.data


def _newer_schema(doc: dict[str, object]) -> None:
    doc["schema_version"] = 99


def _newer_format(doc: dict[str, object]) -> None:
    doc["format_version"] = 2


def _drop(items: list[tuple[tarfile.TarInfo, bytes]], name: str) -> None:
    items[:] = [(i, p) for i, p in items if i.name != name]


TAMPERING = {
    "modified": (lambda items: replace(items, "connectors/HR.toml", b"# evil\n"), "size-mismatch"),
    "same-size edit": (
        lambda items: replace(
            items, "settings.toml", members_of(items)["settings.toml"].replace(b"8585", b"8586")
        ),
        "checksum-mismatch",
    ),
    "extra file": (lambda items: add(items, "connectors/Evil.toml"), "extra-file"),
    "removed file": (lambda items: _drop(items, "answers/HR.toml"), "missing-file"),
    "path traversal": (lambda items: add(items, "../../etc/cron.d/evil"), "unsafe-path"),
    "absolute path": (lambda items: add(items, "/etc/passwd"), "unsafe-path"),
    "symlink": (
        lambda items: add(items, "certs/link", b"", type=tarfile.SYMTYPE, linkname="/etc/shadow"),
        "not-a-file",
    ),
    "no manifest": (lambda items: _drop(items, "manifest.json"), "manifest-missing"),
    "newer schema": (lambda items: edit_manifest(items, _newer_schema), "schema-too-new"),
    "newer format": (lambda items: edit_manifest(items, _newer_format), "format-too-new"),
    "manifest not json": (lambda items: replace(items, "manifest.json", b"{"), "manifest-invalid"),
}


def members_of(items: list[tuple[tarfile.TarInfo, bytes]]) -> dict[str, bytes]:
    return {info.name: payload for info, payload in items}


@pytest.mark.parametrize("case", sorted(TAMPERING))
def test_tampered_bundle_fails_verify_naming_the_problem(source: Home, case: str) -> None:
    mutate, code = TAMPERING[case]
    data = repack(emit_bundle(source).data, mutate)

    report = verify_bundle(data, "t")

    assert not report.ok
    assert code in {p.code for p in report.problems}, report.problems


# Tampering that keeps the manifest consistent is caught by validating the content itself.
CONSISTENT = {
    "invalid toml": ("connectors/HR.toml", lambda b: b + b"not toml [", "invalid-config"),
    "invalid value": ("settings.toml", lambda b: b.replace(b"8585", b'"x"'), "invalid-config"),
    "future file": (
        "connectors/HR.toml",
        lambda b: b.replace(b"schema_version = 1", b"schema_version = 7"),
        "invalid-config",
    ),
    "token value": (
        "connectors/HR.toml",
        lambda b: b.replace(b'secret_token_ref = "file:', b'secret_token_ref = "'),
        "secret-value",
    ),
    "password in url": (
        "connectors/HR.toml",
        lambda b: b.replace(b"sqlite:///{home}/data/contoso.db", b"postgresql://u:pw@db/hr"),
        "secret-value",
    ),
    "password in answers": (
        "answers/HR.toml",
        lambda b: b + b'password = "hunter22"\n',
        "secret-value",
    ),
    # The rules every load applies (config.rules), not only the types: apply must not install
    # a file that each later command refuses.
    "autosync out of range": (
        "connectors/HR.toml",
        lambda b: b.replace(b"autosync_minutes = 120", b"autosync_minutes = -5"),
        "invalid-config",
    ),
    "limit out of range": (
        "settings.toml",
        lambda b: b.replace(b"max_header_count = 100", b"max_header_count = 1"),
        "invalid-config",
    ),
    "unknown time zone": (
        "connectors/HR.toml",
        lambda b: b.replace(b'time_zone = "UTC"', b'time_zone = "Mars/Olympus"'),
        "invalid-config",
    ),
    "key in certificate": (
        "certs/server.crt",
        lambda b: b + b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        "key-material",
    ),
}


@pytest.mark.parametrize("case", sorted(CONSISTENT))
def test_consistent_tampering_is_caught_by_content_checks(source: Home, case: str) -> None:
    name, change, code = CONSISTENT[case]

    def mutate(items: list[tuple[tarfile.TarInfo, bytes]]) -> None:
        replace(items, name, change(members_of(items)[name]))

    data = repack(emit_bundle(source).data, mutate, fix_manifest=True)
    report = verify_bundle(data, "t")

    assert [p.code for p in report.problems] == [code], report.problems
    assert report.problems[0].path == name


def test_verify_lists_every_broken_rule_and_apply_writes_nothing(
    source: Home, target: Home
) -> None:
    def mutate(items: list[tuple[tarfile.TarInfo, bytes]]) -> None:
        hr, settings = members_of(items)["connectors/HR.toml"], members_of(items)["settings.toml"]
        hr = hr.replace(b"autosync_minutes = 120", b"autosync_minutes = -5")
        replace(items, "connectors/HR.toml", hr.replace(b'"Employees"', b'" "'))
        replace(items, "settings.toml", settings.replace(b"port = 8585", b"port = 70000"))

    data = repack(emit_bundle(source).data, mutate, fix_manifest=True)
    report = verify_bundle(data, "t")

    assert [(p.code, p.path, p.message.split(" =")[0]) for p in report.problems] == [
        ("invalid-config", "settings.toml", "port"),
        ("invalid-config", "connectors/HR.toml", "autosync_minutes"),
        ("invalid-config", "connectors/HR.toml", "schema.table"),
    ]
    assert "autosync_minutes = -5 is not allowed" in report.problems[1].message
    with pytest.raises(BundleInvalidError, match=r"settings\.toml: port = 70000") as caught:
        apply_bundle(data, "b", target)
    assert caught.value.exit_code == ExitCode.ERROR
    assert not target.root.exists()


def test_undeclared_private_key_fails_verify(source: Home) -> None:
    keyed = emit_bundle(source, include_private_key=True).data

    def undeclare(doc: dict[str, object]) -> None:
        doc["private_key_included"] = False

    report = verify_bundle(repack(keyed, lambda items: edit_manifest(items, undeclare)), "t")

    assert [p.code for p in report.problems] == ["key-material"]


def test_garbage_is_unreadable() -> None:
    report = verify_bundle(b"not a bundle at all", "g")
    assert [p.code for p in report.problems] == ["unreadable"]


def test_emit_refuses_when_a_secret_value_appears(source: Home) -> None:
    answers = source.answers_path("HR")
    answers.write_text(answers.read_text() + f"# pasted by mistake: {TOKEN}\n")

    with pytest.raises(BundleError, match=r"answers/HR\.toml contains the value") as caught:
        emit_bundle(source)
    assert TOKEN not in caught.value.message


def test_emit_refuses_a_password_in_the_database_url(source: Home) -> None:
    connector = load_connector(source, "HR")
    connector.connectivity.database_url = "postgresql://ecma:s3cret@db.contoso.test/hr"
    save_connector(source, connector)

    with pytest.raises(BundleInvalidError, match="database_url contains a password"):
        emit_bundle(source)


def test_emit_needs_a_home(home: Home) -> None:
    with pytest.raises(ConfigError, match="no host settings"):
        emit_bundle(home)


def test_emit_with_key_but_no_key_file(source: Home) -> None:
    (source.certs_dir / "server.key").unlink()
    with pytest.raises(BundleError, match="--include-private-key"):
        emit_bundle(source, include_private_key=True)


def test_apply_refuses_to_overwrite_without_force(source: Home, target: Home) -> None:
    data = emit_bundle(source).data
    apply_bundle(data, "b", target)
    settings = target.settings_path
    settings.write_text(settings.read_text().replace("8585", "9443"))
    (target.secrets_dir).mkdir()
    (target.secrets_dir / "HR.secret-token").write_text("target's own\n")
    before = snapshot(target.root)

    with pytest.raises(BundleExistsError, match=r"settings\.toml"):
        apply_bundle(data, "b", target)
    assert snapshot(target.root) == before

    result = apply_bundle(data, "b", target, force=True)
    assert [c.path for c in result.changes if c.action == "update"] == ["settings.toml"]
    assert settings.read_bytes() == source.settings_path.read_bytes()
    assert (target.secrets_dir / "HR.secret-token").read_text() == "target's own\n"


def test_reapplying_the_same_bundle_needs_no_force(source: Home, target: Home) -> None:
    data = emit_bundle(source).data
    apply_bundle(data, "b", target)

    result = apply_bundle(data, "b", target)

    assert {c.action for c in result.changes} == {"unchanged"}


def test_apply_of_a_bad_bundle_writes_nothing(source: Home, target: Home) -> None:
    data = repack(emit_bundle(source).data, lambda items: add(items, "connectors/Evil.toml"))

    with pytest.raises(BundleInvalidError, match=r"not in the manifest") as caught:
        apply_bundle(data, "b", target)
    assert caught.value.exit_code == ExitCode.ERROR
    assert not target.root.exists()


def test_dry_run_writes_nothing(source: Home, target: Home) -> None:
    result = apply_bundle(emit_bundle(source).data, "b", target, dry_run=True)

    assert result.dry_run and {c.action for c in result.changes} == {"create"}
    assert not target.root.exists()


def test_a_failed_write_rolls_everything_back(
    source: Home, target: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = emit_bundle(source).data
    apply_bundle(data, "b", target)
    (target.certs_dir / "server.crt").write_bytes(b"old certificate")
    target.connector_path("HR").unlink()
    before = snapshot(target.root)
    real, calls = core.write_atomic, []

    def flaky(path: Path, payload: bytes | str, *, mode: int = 0o644) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(path, payload, mode=mode)

    monkeypatch.setattr(core, "write_atomic", flaky)
    with pytest.raises(OSError, match="No space"):
        apply_bundle(data, "b", target, force=True)
    monkeypatch.setattr(core, "write_atomic", real)
    assert snapshot(target.root) == before


def test_apply_lists_the_secrets_to_supply(source: Home, target: Home) -> None:
    hr = load_connector(source, "HR")
    hr.connectivity.password_ref = "env:ECMACTL_DB_PASSWORD_HR"
    save_connector(source, hr)

    result = apply_bundle(emit_bundle(source).data, "b", target)

    needs = {(n.connector, n.what): n for n in result.secrets}
    token = needs[("HR", "secret token")]
    assert not token.available and token.required
    assert "ecmactl token set --connector HR" in token.fix
    assert "ECMACTL_DB_PASSWORD_HR" in needs[("HR", "database password")].fix
    # Keyring entries belong to a home: the target home must be given its own.
    payroll = needs[("Payroll", "database password")]
    assert not payroll.available
    assert "configure connectivity --connector Payroll" in payroll.fix
    assert result.key_needed is not None and "ecmactl cert import" in result.key_needed.fix
    assert any("SQLite database" in n for n in result.notes)
    assert not any(PASSWORD in n.fix or TOKEN in n.fix for n in result.secrets)


def test_inspect_helpers(source: Home) -> None:
    report = verify_bundle(emit_bundle(source).data, "b")
    cert = core.certificate_summary(report)

    assert cert is not None and cert.subject == "CN=ecma01.contoso.test"
    assert cert.sans == ("ecma01.contoso.test",) and not cert.expired
    assert core.redact_url("postgresql://u:pw@h/db") == "postgresql://u:***@h/db"
    assert json.loads(json.dumps(report.manifest.to_json() if report.manifest else {}))


def test_a_listed_secret_file_is_refused(source: Home) -> None:
    def smuggle(items: list[tuple[tarfile.TarInfo, bytes]]) -> None:
        add(items, "secrets/HR.secret-token", b"stolen\n")

        def listed(doc: dict[str, object]) -> None:
            files = doc["files"]
            assert isinstance(files, list)
            files.append(
                {
                    "path": "secrets/HR.secret-token",
                    "role": "answers",
                    "size": 7,
                    "sha256": "0" * 64,
                }
            )

        edit_manifest(items, listed)

    report = verify_bundle(repack(emit_bundle(source).data, smuggle), "t")

    assert any(
        p.code == "unsafe-path" and p.path == "secrets/HR.secret-token" for p in report.problems
    )


def test_a_decompression_bomb_is_not_inflated(source: Home) -> None:
    big = b"\0" * (core.MAX_TOTAL_BYTES + 1)
    data = repack(emit_bundle(source).data, lambda items: add(items, "answers/Big.toml", big))

    report = verify_bundle(data, "bomb")

    assert "too-large" in {p.code for p in report.problems}
    assert "answers/Big.toml" not in report.members
    # Numbers in human messages have thousands separators.
    too_large = next(p for p in report.problems if p.code == "too-large")
    assert f"more than {core.MAX_TOTAL_BYTES:,} bytes" in too_large.message
