"""Verification: check everything a bundle promises; every mismatch becomes a Problem.

The archive is read defensively (see ``format``), then the manifest is held against the files
(paths, sizes, checksums, content digest), then every config file must parse, validate and
follow the rules every load applies (``config.rules``), sit at the path of its role, and hold
references rather than secret values.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from ecmactl.config.bundle.format import (
    MANIFEST,
    ROLES,
    BundleError,
    BundleFile,
    Manifest,
    Problem,
    content_digest,
    is_reserved,
    parse_manifest,
    read_members,
    unsafe_name,
)
from ecmactl.config.bundle.references import REFERENCE, secret_refs
from ecmactl.config.models import Connector, HostSettings
from ecmactl.config.rules import (
    Violation,
    connector_violations,
    secret_ref_fields,
    settings_violations,
)
from ecmactl.config.store import check_version
from ecmactl.config.typed import from_dict
from ecmactl.errors import ConfigError, UsageError
from ecmactl.home import CONNECTOR_NAME_RE

T = TypeVar("T")
_KEY_MARKER = re.compile(rb"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----")
_SECRET_KEY = re.compile(r"(password|passphrase|secret|token)$", re.IGNORECASE)


class BundleInvalidError(BundleError):
    """A bundle failed verification; ``problems`` names every mismatch."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(
            f"{source} failed verification: {problems[0].describe()}{more}",
            hint="Emit the bundle again from the source home (`ecmactl bundle emit` there); "
            "never edit a bundle by hand.",
        )
        self.problems = problems


@dataclass
class BundleReport:
    """What reading and verifying a bundle found; the parsed configs when they are valid."""

    source: str
    manifest: Manifest | None
    problems: list[Problem]
    members: dict[str, bytes] = field(repr=False, default_factory=dict)
    settings: HostSettings | None = None
    archive_sha256: str = ""  # of the .tar.gz bytes as read; the manifest has content_sha256
    connectors: list[Connector] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_bundle_file(path: Path) -> bytes:
    """The bytes of a bundle file; UsageError when it is not there."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path} does not exist", hint="Check the bundle's path.") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a folder", hint="Give the bundle file itself.") from None
    except OSError as exc:
        raise BundleError(f"cannot read {path}: {exc.strerror}") from None


def verify_bundle(data: bytes, source: str) -> BundleReport:
    """Check everything a bundle promises; every mismatch becomes a Problem (nothing raises)."""
    members, problems = read_members(data)
    report = BundleReport(source, None, problems, members)
    report.archive_sha256 = hashlib.sha256(data).hexdigest()
    if any(p.code == "unreadable" for p in problems):
        return report
    if MANIFEST not in members:
        problems.append(Problem("manifest-missing", f"there is no {MANIFEST}"))
        return report
    report.manifest = parse_manifest(members[MANIFEST], problems)
    if report.manifest is None:
        return report
    _check_files(report.manifest, members, problems)
    if not any(p.code in ("format-too-new", "schema-too-new") for p in problems):
        _check_configs(report)
    return report


def _check_files(manifest: Manifest, members: dict[str, bytes], problems: list[Problem]) -> None:
    listed: set[str] = set()
    for f in manifest.files:
        why = unsafe_name(f.path) or ("never bundled" if is_reserved(f.path) else None)
        if why:
            problems.append(Problem("unsafe-path", f"listed with an unsafe path ({why})", f.path))
            continue
        if f.path in listed:
            problems.append(Problem("duplicate", "listed twice in the manifest", f.path))
        listed.add(f.path)
        data = members.get(f.path)
        if data is None:
            problems.append(Problem("missing-file", "listed in the manifest but absent", f.path))
        elif len(data) != f.size:
            problems.append(
                Problem(
                    "size-mismatch", f"{len(data):,} bytes, the manifest says {f.size:,}", f.path
                )
            )
        elif hashlib.sha256(data).hexdigest() != f.sha256:
            problems.append(
                Problem("checksum-mismatch", "sha256 differs from the manifest", f.path)
            )
    for name in sorted(set(members) - listed - {MANIFEST}):
        problems.append(Problem("extra-file", "in the archive but not in the manifest", name))
    if content_digest(list(manifest.files)) != manifest.content_sha256:
        problems.append(Problem("manifest-invalid", "content_sha256 does not match the files"))
    keys = [f for f in manifest.files if f.role == "private-key"]
    if keys and not manifest.private_key_included:
        problems.append(
            Problem("key-material", "a private key is listed but not declared", keys[0].path)
        )


def _check_configs(report: BundleReport) -> None:
    """Every config file parses and validates; roles sit at their paths; no secret values."""
    assert report.manifest is not None
    problems, members = report.problems, report.members
    by_role: dict[str, list[BundleFile]] = {r: [] for r in ROLES}
    for f in report.manifest.files:
        if f.path in members and not unsafe_name(f.path):
            by_role[f.role].append(f)
    settings_files = by_role["settings"]
    if len(settings_files) != 1 or settings_files[0].path != "settings.toml":
        problems.append(
            Problem("role-mismatch", "exactly one settings file, settings.toml, needed")
        )
    else:
        report.settings = _load_config(HostSettings, settings_files[0].path, members, problems)
    for f in by_role["connector"]:
        name = _stem(f.path, "connectors")
        if name is None:
            problems.append(
                Problem("role-mismatch", "a connector must be connectors/NAME.toml", f.path)
            )
            continue
        connector = _load_config(Connector, f.path, members, problems)
        if connector is not None and connector.name != name:
            problems.append(
                Problem("invalid-config", f"name {connector.name!r} ≠ file name", f.path)
            )
        elif connector is not None:
            report.connectors.append(connector)
    for f in by_role["answers"]:
        if _stem(f.path, "answers") is None:
            problems.append(Problem("role-mismatch", "answers must be answers/NAME.toml", f.path))
        else:
            _toml(f.path, members[f.path], problems)
    for role, attr in (("certificate", "certificate"), ("private-key", "private_key")):
        for f in by_role[role] if report.settings else []:  # invalid settings: reported above
            configured = str(getattr(report.settings, attr)).replace("\\", "/")
            if PurePosixPath(configured) != PurePosixPath(f.path):
                problems.append(Problem("role-mismatch", f"settings' {attr} is elsewhere", f.path))
    for f in by_role["certificate"]:
        if b"-----BEGIN CERTIFICATE-----" not in members[f.path]:
            problems.append(Problem("invalid-config", "not a PEM certificate", f.path))
    _check_secrets(report, by_role)


def _stem(path: str, folder: str) -> str | None:
    parts = path.split("/")
    ok = len(parts) == 2 and parts[0] == folder and parts[1].endswith(".toml")
    name = parts[-1][: -len(".toml")]
    return name if ok and CONNECTOR_NAME_RE.match(name) else None


def _toml(path: str, raw: bytes, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        problems.append(Problem("invalid-config", f"not valid TOML ({exc})", path))
        return None


def _load_config(
    cls: type[T], path: str, members: dict[str, bytes], problems: list[Problem]
) -> T | None:
    data = _toml(path, members[path], problems)
    if data is None:
        return None
    try:
        check_version(data, Path(path))
        config = from_dict(cls, data, path)
    except ConfigError as exc:
        problems.append(Problem("invalid-config", _detail(exc, path), path))
        return None
    for violation in _violations(config, path):  # typed, so still worth the later checks
        problems.append(Problem("invalid-config", _detail(violation.error, path), path))
    return config


def _violations(config: object, path: str) -> list[Violation]:
    """The load-time rules every later command applies, so apply cannot install a file that
    each command would then refuse. Secret reference fields are left to ``_check_secrets``,
    whose rule is stricter and whose problem says what a bundle must hold instead."""
    if isinstance(config, HostSettings):
        return list(settings_violations(config, Path(path)))
    if isinstance(config, Connector):
        refs = {key for key, _ in secret_ref_fields(config)}
        return [v for v in connector_violations(config, Path(path)) if v.key not in refs]
    return []


def _detail(error: ConfigError, path: str) -> str:
    return error.message.removeprefix(path).lstrip(".: ")  # Problem.path already names it


# --- secret hygiene ---------------------------------------------------------------------------


def _check_secrets(report: BundleReport, by_role: dict[str, list[BundleFile]]) -> None:
    problems, members = report.problems, report.members
    for role, files in by_role.items():
        for f in files:
            data = members[f.path]
            if role != "private-key" and _KEY_MARKER.search(data):
                problems.append(Problem("key-material", "holds a private key", f.path))
            if f.path.endswith(".toml"):
                parsed = _toml(f.path, data, [])
                for key in _secret_looking_keys(parsed or {}):
                    problems.append(Problem("secret-value", f"{key} holds a value", f.path))
    for connector, what, ref in secret_refs(report.settings, report.connectors):
        if not REFERENCE.match(ref):
            where = f"connectors/{connector}.toml" if connector else "settings.toml"
            problems.append(
                Problem("secret-value", f"the {what} is not a keyring:/file:/env: reference", where)
            )
    for c in report.connectors:
        if _url_has_password(c.connectivity.database_url):
            problems.append(
                Problem(
                    "secret-value",
                    "database_url contains a password; use connectivity.password_ref",
                    f"connectors/{c.name}.toml",
                )
            )


def _secret_looking_keys(data: dict[str, Any], prefix: str = "") -> list[str]:
    found: list[str] = []
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            found += _secret_looking_keys(value, dotted + ".")
        elif (
            _SECRET_KEY.search(key)
            and isinstance(value, str)
            and value
            and not REFERENCE.match(value)
        ):
            found.append(dotted)
    return found


def _url_has_password(url: str) -> bool:
    from urllib.parse import unquote, urlsplit

    try:
        parts = urlsplit(url)
        if parts.password:
            return True
    except ValueError:
        return False
    query = unquote(parts.query)
    return bool(re.search(r"(^|[&;?])\s*(password|pwd)\s*=\s*[^&;\s]", query, re.IGNORECASE))
