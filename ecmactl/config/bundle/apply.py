"""Apply: install a verified bundle into a home, all or nothing, and say what is still missing.

Files are planned first (create, update or unchanged; host settings last, so a half-applied home
has no settings to run on), differing files are replaced only with --force, and a failed write
restores every file already written. ``secrets/`` and ``data/`` are never touched: the result
lists the secrets the target host has to supply, and how.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ecmactl.config.bundle.format import (
    ROLES,
    BundleError,
    BundleExistsError,
    Manifest,
    Role,
    file_mode,
    read_home_file,
    write_home_file,
)
from ecmactl.config.bundle.references import resolve_reference, secret_refs
from ecmactl.config.bundle.verify import BundleInvalidError, BundleReport, verify_bundle
from ecmactl.home import Home
from ecmactl.invocation import command


@dataclass(frozen=True)
class FileChange:
    path: str  # inside the bundle (and the home)
    role: Role
    action: Literal["create", "update", "unchanged"]
    target: Path


@dataclass(frozen=True)
class SecretNeed:
    """A secret the installed configs reference; ``fix`` says how to supply it when missing."""

    connector: str | None
    what: str
    ref: str
    available: bool
    required: bool
    fix: str


@dataclass(frozen=True)
class KeyNeed:
    """The bundled certificate has no private key here; ``fix`` is what `cert status` says."""

    certificate: Path
    key: Path
    fix: str


@dataclass
class ApplyResult:
    home: Path
    source: str
    manifest: Manifest
    dry_run: bool
    changes: list[FileChange]
    secrets: list[SecretNeed]
    notes: list[str]
    key_needed: KeyNeed | None = None


def apply_bundle(
    data: bytes, source: str, home: Home, *, force: bool = False, dry_run: bool = False
) -> ApplyResult:
    """Verify, then install every file into ``home`` all or nothing; secrets/ and data/ stay."""
    report = verify_bundle(data, source)
    if not report.ok or report.manifest is None:
        raise BundleInvalidError(source, report.problems)
    changes = plan_changes(report, home)
    conflicts = [c.path for c in changes if c.action == "update"]
    if conflicts and not force:
        raise BundleExistsError(
            f"{home.root} already has different {', '.join(conflicts)}; nothing was written",
            hint="Pass --force to replace them (secrets/ and data/ are never touched), "
            "or apply into another home with --home DIR.",
        )
    if not dry_run:
        _install(report, changes)
    needs = secret_needs(report, home)
    return ApplyResult(
        home.root,
        source,
        report.manifest,
        dry_run,
        changes,
        needs,
        _apply_notes(report, home, needs),
        _key_needed(report, home),
    )


def plan_changes(report: BundleReport, home: Home) -> list[FileChange]:
    """Each file's action, host settings last: a half-applied home has no settings to run on."""
    assert report.manifest is not None
    changes = []
    for f in sorted(report.manifest.files, key=lambda f: (ROLES.index(f.role), f.path)):
        target = home.root.joinpath(*f.path.split("/"))
        if target.is_dir():
            raise BundleError(f"{target} is a folder", hint="Move it away, then apply again.")
        if not target.exists():
            action: Literal["create", "update", "unchanged"] = "create"
        else:
            action = "unchanged" if read_home_file(target) == report.members[f.path] else "update"
        changes.append(FileChange(f.path, f.role, action, target))
    return changes


def _install(report: BundleReport, changes: list[FileChange]) -> None:
    undo: list[tuple[Path, bytes | None, int]] = []
    try:
        for change in changes:
            if change.action == "unchanged":
                continue
            before = change.target.read_bytes() if change.target.exists() else None
            old_mode = change.target.stat().st_mode & 0o777 if before is not None else 0
            undo.append((change.target, before, old_mode))
            write_home_file(change.target, report.members[change.path], mode=file_mode(change.role))
    except BaseException:
        for target, before, old_mode in reversed(undo):
            try:
                if before is None:
                    target.unlink(missing_ok=True)
                else:
                    write_home_file(target, before, mode=old_mode)
            except OSError:
                continue  # keep restoring the others; the original error is what matters
        raise


def secret_needs(report: BundleReport, home: Home) -> list[SecretNeed]:
    return [
        SecretNeed(
            connector,
            what,
            ref,
            resolve_reference(ref, home) is not None,
            what != "previous secret token",
            _fix(connector, what, ref, home),
        )
        for connector, what, ref in secret_refs(report.settings, report.connectors)
    ]


def _fix(connector: str | None, what: str, ref: str, home: Home) -> str:
    scheme, _, target = ref.partition(":")
    if scheme == "env":
        return f"set {target} in the host's environment"
    if what == "previous secret token":
        return "nothing (optional: only the current token will be accepted)"
    run = {
        "secret token": lambda: command(
            "token", "set", "--secret-token-file", "FILE", connector=connector
        ),
        "database password": lambda: command(
            "configure", "connectivity", "--db-password-file", "FILE", connector=connector
        ),
        "key passphrase": lambda: command("configure", "settings"),
    }[what]()
    if scheme == "file":
        return f"run `{run}` (or write the value to {home.resolve(target)}, mode 0600)"
    return f"run `{run}`"


def _key_needed(report: BundleReport, home: Home) -> KeyNeed | None:
    """The bundled certificate, when this home has no key for it (the bundle carries none)."""
    from ecmactl.certs.errors import CertificateError
    from ecmactl.certs.files import parse_certificates
    from ecmactl.certs.inspect import is_self_signed
    from ecmactl.certs.status import key_missing_fix

    assert report.manifest is not None and report.settings is not None
    bundled = next((f for f in report.manifest.files if f.role == "certificate"), None)
    key = home.resolve(report.settings.private_key)
    if bundled is None or report.manifest.private_key_included or key.exists():
        return None
    try:
        leaf = parse_certificates(report.members[bundled.path], source=bundled.path)[0]
    except (CertificateError, IndexError):
        return None  # verify_bundle already named a certificate it cannot read
    cert = home.resolve(report.settings.certificate)
    return KeyNeed(cert, key, key_missing_fix(cert, key, self_signed=is_self_signed(leaf)))


def _apply_notes(report: BundleReport, home: Home, needs: list[SecretNeed]) -> list[str]:
    from ecmactl.home import expand_home

    assert report.manifest is not None and report.settings is not None
    notes, settings = [], report.settings
    if Path(settings.certificate).is_absolute():
        notes.append(f"The settings use the certificate {settings.certificate}; put it there.")
    missing = [  # ``needs`` already tried every reference in this home: no second keyring read
        f"{n.connector or 'host'} {n.what}"
        for n in needs
        if n.ref.startswith("keyring:") and not n.available
    ]
    if missing:
        notes.append(
            "This home's keyring has no value yet for: "
            f"{', '.join(missing)}. `{command('token', 'set')}` and `{command('configure')}` "
            "store them."
        )
    bundled = {c.name for c in report.connectors}
    kept = [n for n in home.connector_names() if n not in bundled]
    if kept:
        notes.append(f"Connectors already in this home and kept: {', '.join(kept)}.")
    for c in report.connectors:
        url = expand_home(c.connectivity.database_url, home)
        if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
            notes.append(
                f"Connector {c.name}: the SQLite database {url.removeprefix('sqlite:///')} "
                "is not here (databases are data, not config; bundles never carry them)."
            )
    return notes
