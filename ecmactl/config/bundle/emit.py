"""Emit: pack a home's configuration into a bundle, refusing when a secret value would travel.

The bundle holds ``settings.toml``, ``connectors/*.toml``, ``answers/*.toml``, the certificate
and, only when asked, the private key. Files outside the home (or absolute paths, which the target
host reads as they are) stay behind with a note. Every bundle is verified before it is returned.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ecmactl.config.bundle.format import (
    BundleError,
    BundleExistsError,
    Manifest,
    Role,
    is_reserved,
    pack,
    read_home_file,
    unsafe_name,
    write_home_file,
)
from ecmactl.config.bundle.references import resolve_reference, secret_refs
from ecmactl.config.bundle.verify import BundleInvalidError, verify_bundle
from ecmactl.config.models import Connector, HostSettings
from ecmactl.config.store import load_connector, load_settings
from ecmactl.errors import UsageError
from ecmactl.home import Home
from ecmactl.invocation import command

MIN_SCANNED_SECRET = 6  # shorter values would match by chance; they cannot be scanned for


@dataclass
class EmittedBundle:
    data: bytes = field(repr=False)
    manifest: Manifest
    notes: list[str] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def emit_bundle(
    home: Home, *, include_private_key: bool = False, created_at: datetime | None = None
) -> EmittedBundle:
    """Build the bundle of ``home`` in memory; refuses when a secret value would travel."""
    settings = load_settings(home)
    connectors = [load_connector(home, name) for name in home.connector_names()]
    notes: list[str] = []
    entries: list[tuple[str, Role, bytes]] = [
        ("settings.toml", "settings", read_home_file(home.settings_path))
    ]
    for c in connectors:
        entries.append(
            (f"connectors/{c.name}.toml", "connector", read_home_file(home.connector_path(c.name)))
        )
        answers = home.answers_path(c.name)
        if answers.is_file():
            entries.append((f"answers/{c.name}.toml", "answers", read_home_file(answers)))
    cert = _home_file(home, settings.certificate, "certificate", notes)
    if cert is not None:
        entries.append((cert, "certificate", read_home_file(home.resolve(settings.certificate))))
    if include_private_key:
        key = _home_file(home, settings.private_key, "private key", notes)
        if key is None:
            raise BundleError(
                f"--include-private-key was given but the private key {settings.private_key} "
                "is missing or outside the home",
                hint="Check `private_key` in settings.toml, or emit without --include-private-key.",
            )
        entries.append((key, "private-key", read_home_file(home.resolve(settings.private_key))))
    _refuse_secret_values(entries, _secret_values(settings, connectors, home))
    when = created_at or _default_created_at()
    data, manifest = pack(entries, home, when, include_private_key)
    report = verify_bundle(data, "the new bundle")
    if not report.ok:  # never write a bundle this ecmactl would itself reject
        raise BundleInvalidError("the bundle of this home", report.problems)
    return EmittedBundle(data, manifest, notes)


def write_bundle(bundle: EmittedBundle, output: Path, *, force: bool = False) -> None:
    """Write atomically; 0600 when the private key is inside."""
    if output.exists() and not force:
        raise BundleExistsError(
            f"{output} already exists", hint="Choose another --output, or pass --force."
        )
    if output.is_dir():
        raise UsageError(f"{output} is a folder", hint="Give --output a file name.")
    mode = 0o600 if bundle.manifest.private_key_included else 0o644
    write_home_file(output, bundle.data, mode=mode)


def _default_created_at() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")  # reproducible-builds convention
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC)


def _home_file(home: Home, configured: str, label: str, notes: list[str]) -> str | None:
    """The bundle path of a certificate or key file, or None (with a note) when it cannot go."""
    path = home.resolve(configured)
    if Path(configured).is_absolute():  # the target host reads the same absolute path
        notes.append(f"The {label} {path} is an absolute path and is not in the bundle.")
        return None
    try:
        rel = path.resolve().relative_to(home.root.resolve()).as_posix()
    except ValueError:
        notes.append(f"The {label} {path} is outside the home and is not in the bundle.")
        return None
    if unsafe_name(rel) or is_reserved(rel):
        notes.append(f"The {label} {path} is not a shareable home file and is not in the bundle.")
        return None
    if not path.is_file():
        notes.append(f"There is no {label} at {path}; the bundle has none.")
        return None
    return rel


def _secret_values(settings: HostSettings, connectors: list[Connector], home: Home) -> list[str]:
    """The values behind the references this home uses, for the ones that resolve here."""
    values = [resolve_reference(ref, home) for _, _, ref in secret_refs(settings, connectors)]
    # a secret we cannot read (None) is not one we could leak
    return [v for v in values if v is not None and len(v) >= MIN_SCANNED_SECRET]


def _refuse_secret_values(entries: list[tuple[str, Role, bytes]], values: list[str]) -> None:
    for path, _, data in entries:
        if any(v.encode() in data for v in values):
            raise BundleError(
                f"{path} contains the value of one of this home's secrets; nothing was written",
                hint=f"Replace the value with a reference (`{command('token', 'set')}`, "
                f"`{command('configure', 'connectivity')}`) and emit again.",
            )
