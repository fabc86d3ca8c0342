"""The config bundle: a portable, checksummed, deterministic archive of a home's configuration.

A bundle is a gzip-compressed ustar archive. ``manifest.json`` comes first, then the files at
their home-relative paths, sorted: ``settings.toml``, ``connectors/*.toml``, ``answers/*.toml``,
the certificate and, only when asked, the private key. Secrets never travel: config files hold
references (``keyring:``, ``file:``, ``env:``) and the target host supplies the values.

Entries have fixed owner, mode and mtime (the manifest's ``created_at``), and gzip carries no name
or time, so emitting the same home twice with the same ``created_at`` (``SOURCE_DATE_EPOCH``)
gives byte-identical bundles; ``content_sha256`` identifies the content whatever the time.

Everything here returns dataclasses or raises EcmactlError subclasses; nothing prints.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import tarfile
import tomllib
import zlib
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any, Literal, TypeVar

from ecmactl import __version__
from ecmactl.atomic import write_atomic
from ecmactl.config.models import SCHEMA_VERSION, Connector, HostSettings
from ecmactl.config.store import check_version, load_connector, load_settings
from ecmactl.config.typed import from_dict
from ecmactl.errors import ConfigError, EcmactlError, UsageError
from ecmactl.home import CONNECTOR_NAME_RE, Home

FORMAT = "ecmactl-bundle"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MAX_MEMBERS = 1024  # a home has a handful of files; more means this is not our archive
MAX_TOTAL_BYTES = 32 * 1024 * 1024  # stops a decompression bomb before it fills memory
MIN_SCANNED_SECRET = 6  # shorter values would match by chance; they cannot be scanned for

T = TypeVar("T")
Role = Literal["settings", "connector", "answers", "certificate", "private-key"]
ROLES: tuple[Role, ...] = ("certificate", "private-key", "connector", "answers", "settings")
_KEY_MARKER = re.compile(rb"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----")
_REF = re.compile(r"^(keyring|file|env):\S+$")
_SECRET_KEY = re.compile(r"(password|passphrase|secret|token)$", re.IGNORECASE)


class BundleError(EcmactlError):
    """A bundle cannot be made, read or installed."""


class BundleInvalidError(BundleError):
    """A bundle failed verification; ``problems`` names every mismatch."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(
            f"{source} failed verification: {problems[0].describe()}{more}",
            hint="Emit the bundle again from the source home with `ecmactl bundle emit`; "
            "never edit a bundle by hand.",
        )
        self.problems = problems


class BundleExistsError(UsageError):
    """Writing would replace files that exist; --force allows it (exit 2)."""


@dataclass(frozen=True)
class Problem:
    """One reason a bundle is not good; ``code`` is stable for scripts, ``path`` names the file."""

    code: str
    message: str
    path: str | None = None

    def describe(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


@dataclass(frozen=True)
class BundleFile:
    path: str
    role: Role
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    format: str
    format_version: int
    ecmactl_version: str
    schema_version: int
    created_at: str
    source_home: str  # for information only; apply never uses it
    private_key_included: bool
    content_sha256: str
    files: tuple[BundleFile, ...]

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "files": [asdict(f) for f in self.files]}


_MANIFEST_TYPES: dict[str, type] = {  # what verify accepts, field by field
    "format": str,
    "format_version": int,
    "ecmactl_version": str,
    "schema_version": int,
    "created_at": str,
    "source_home": str,
    "private_key_included": bool,
    "content_sha256": str,
    "files": list,
}


@dataclass
class EmittedBundle:
    data: bytes = field(repr=False)
    manifest: Manifest
    notes: list[str] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class BundleReport:
    """What reading and verifying a bundle found; the parsed configs when they are valid."""

    source: str
    manifest: Manifest | None
    problems: list[Problem]
    members: dict[str, bytes] = field(repr=False, default_factory=dict)
    settings: HostSettings | None = None
    connectors: list[Connector] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- emit ------------------------------------------------------------------------------------


def emit_bundle(
    home: Home, *, include_private_key: bool = False, created_at: datetime | None = None
) -> EmittedBundle:
    """Build the bundle of ``home`` in memory; refuses when a secret value would travel."""
    settings = load_settings(home)
    connectors = [load_connector(home, name) for name in home.connector_names()]
    notes: list[str] = []
    entries: list[tuple[str, Role, bytes]] = [
        ("settings.toml", "settings", _read(home.settings_path))
    ]
    for c in connectors:
        entries.append(
            (f"connectors/{c.name}.toml", "connector", _read(home.connector_path(c.name)))
        )
        answers = home.answers_path(c.name)
        if answers.is_file():
            entries.append((f"answers/{c.name}.toml", "answers", _read(answers)))
    cert = _home_file(home, settings.certificate, "certificate", notes)
    if cert is not None:
        entries.append((cert, "certificate", _read(home.resolve(settings.certificate))))
    if include_private_key:
        key = _home_file(home, settings.private_key, "private key", notes)
        if key is None:
            raise BundleError(
                f"--include-private-key was given but the private key {settings.private_key} "
                "is missing or outside the home",
                hint="Check `private_key` in settings.toml, or emit without --include-private-key.",
            )
        entries.append((key, "private-key", _read(home.resolve(settings.private_key))))
    _refuse_secret_values(entries, _secret_values(settings, connectors, home))
    when = created_at or _default_created_at()
    data, manifest = _pack(entries, home, when, include_private_key)
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
    write_atomic(output, bundle.data, mode=mode)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None


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
    if _unsafe_name(rel) or _reserved(rel):
        notes.append(f"The {label} {path} is not a shareable home file and is not in the bundle.")
        return None
    if not path.is_file():
        notes.append(f"There is no {label} at {path}; the bundle has none.")
        return None
    return rel


def _reserved(rel: str) -> bool:
    return rel.split("/", 1)[0] in ("secrets", "data") or rel == MANIFEST


def _secret_values(settings: HostSettings, connectors: list[Connector], home: Home) -> list[str]:
    """The values behind the references this home uses, for the ones that resolve here."""
    from ecmactl.secrets import read_secret

    values = []
    for _, _, ref in secret_refs(settings, connectors):
        try:
            values.append(read_secret(ref, home))
        except EcmactlError:
            continue  # a secret we cannot read is not one we could leak
    return [v for v in values if len(v) >= MIN_SCANNED_SECRET]


def _refuse_secret_values(entries: list[tuple[str, Role, bytes]], values: list[str]) -> None:
    for path, _, data in entries:
        if any(v.encode() in data for v in values):
            raise BundleError(
                f"{path} contains the value of one of this home's secrets; nothing was written",
                hint="Replace the value with a reference (`ecmactl token set`, "
                "`ecmactl configure connectivity`) and emit again.",
            )


def _pack(
    entries: list[tuple[str, Role, bytes]], home: Home, when: datetime, with_key: bool
) -> tuple[bytes, Manifest]:
    entries = sorted(entries, key=lambda e: e[0])
    files = tuple(BundleFile(p, r, len(d), hashlib.sha256(d).hexdigest()) for p, r, d in entries)
    manifest = Manifest(
        format=FORMAT,
        format_version=FORMAT_VERSION,
        ecmactl_version=__version__,
        schema_version=SCHEMA_VERSION,
        created_at=when.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        source_home=str(home.root),
        private_key_included=with_key,
        content_sha256=content_digest(files),
        files=files,
    )
    manifest_bytes = (json.dumps(manifest.to_json(), indent=2, sort_keys=True) + "\n").encode()
    mtime = int(when.timestamp())
    raw = io.BytesIO()
    modes = {path: 0o600 if role == "private-key" else 0o644 for path, role, _ in entries}
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for path, data in [(MANIFEST, manifest_bytes), *((p, d) for p, _, d in entries)]:
            info = tarfile.TarInfo(path)  # fixed metadata: the same home packs the same bytes
            info.size, info.mtime, info.mode = len(data), mtime, modes.get(path, 0o644)
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    return out.getvalue(), manifest


def content_digest(files: tuple[BundleFile, ...] | list[BundleFile]) -> str:
    """sha256 over ``sha256sum``-style lines: the same home content gives the same digest."""
    lines = "".join(f"{f.sha256}  {f.path}\n" for f in sorted(files, key=lambda f: f.path))
    return hashlib.sha256(lines.encode()).hexdigest()


def secret_refs(
    settings: HostSettings | None, connectors: list[Connector]
) -> list[tuple[str | None, str, str]]:
    """(connector or None for the host, what, reference) for every secret the configs use."""
    refs: list[tuple[str | None, str, str | None]] = []
    if settings is not None:
        refs.append((None, "key passphrase", settings.key_passphrase_ref))
    for c in connectors:
        refs.append((c.name, "secret token", c.secret_token_ref))
        refs.append((c.name, "previous secret token", c.previous_secret_token_ref))
        refs.append((c.name, "database password", c.connectivity.password_ref))
    return [(c, what, ref) for c, what, ref in refs if ref]


# --- read and verify --------------------------------------------------------------------------


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
    members, problems = _read_members(data)
    report = BundleReport(source, None, problems, members)
    if any(p.code == "unreadable" for p in problems):
        return report
    if MANIFEST not in members:
        problems.append(Problem("manifest-missing", f"there is no {MANIFEST}"))
        return report
    report.manifest = _parse_manifest(members[MANIFEST], problems)
    if report.manifest is None:
        return report
    _check_files(report.manifest, members, problems)
    if not any(p.code in ("format-too-new", "schema-too-new") for p in problems):
        _check_configs(report)
    return report


def _read_members(data: bytes) -> tuple[dict[str, bytes], list[Problem]]:
    members: dict[str, bytes] = {}
    problems: list[Problem] = []
    total = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            count = 0
            while (info := tar.next()) is not None:
                count += 1
                if count > MAX_MEMBERS:
                    problems.append(Problem("too-large", f"more than {MAX_MEMBERS} entries"))
                    break
                name = info.name
                total += max(info.size, 0)  # skipping an entry inflates it too: count them all
                if total > MAX_TOTAL_BYTES:
                    problems.append(Problem("too-large", f"more than {MAX_TOTAL_BYTES} bytes"))
                    break
                why = _unsafe_name(name)
                if why:
                    problems.append(Problem("unsafe-path", f"unsafe entry name ({why})", name))
                elif not info.isreg():
                    kind = "link" if info.issym() or info.islnk() else "non-file entry"
                    problems.append(Problem("not-a-file", f"is a {kind}; only files may be", name))
                elif name in members:
                    problems.append(Problem("duplicate", "appears twice in the archive", name))
                else:
                    handle = tar.extractfile(info)
                    members[name] = handle.read() if handle else b""
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        problems.append(Problem("unreadable", f"not a readable .tar.gz archive ({exc})"))
    return members, problems


def _unsafe_name(name: str) -> str | None:
    if not name:
        return "empty"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "absolute path"
    if "\\" in name or ":" in name or any(ord(ch) < 32 for ch in name):
        return "backslash, colon or control character"
    if any(part in ("", ".", "..") for part in name.split("/")):
        return "'..', '.' or empty path component"
    return None


def _parse_manifest(raw: bytes, problems: list[Problem]) -> Manifest | None:
    def bad(message: str) -> Manifest | None:
        problems.append(Problem("manifest-invalid", message, MANIFEST))
        return None

    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        return bad(f"not valid JSON ({exc})")
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return bad(f"not an {FORMAT} manifest (format must be {FORMAT!r})")
    wrong = [k for k, t in _MANIFEST_TYPES.items() if not _is(data.get(k), t)]
    if wrong:
        return bad(f"missing or mistyped field(s): {', '.join(wrong)}")
    for key, supported, code in (
        ("format_version", FORMAT_VERSION, "format-too-new"),
        ("schema_version", SCHEMA_VERSION, "schema-too-new"),
    ):
        if data[key] > supported:
            message = f"{key} {data[key]} is newer than this ecmactl reads ({supported})"
            problems.append(Problem(code, message + "; upgrade ecmactl"))
    files = [_parse_entry(item) for item in data["files"]]
    if any(f is None for f in files):
        return bad(f"every files[] entry needs path, role ({', '.join(ROLES)}), size, sha256")
    values = {k: data[k] for k in _MANIFEST_TYPES if k != "files"}
    return Manifest(**values, files=tuple(f for f in files if f is not None))


def _is(value: Any, expected: type) -> bool:
    return isinstance(value, expected) and (expected is bool or not isinstance(value, bool))


def _parse_entry(item: Any) -> BundleFile | None:
    if not isinstance(item, dict):
        return None
    values: list[Any] = [item.get(k) for k in ("path", "role", "size", "sha256")]
    path, role, size, digest = values
    if _is(path, str) and role in ROLES and _is(size, int) and size >= 0 and _is(digest, str):
        return BundleFile(path, role, size, digest)
    return None


def _check_files(manifest: Manifest, members: dict[str, bytes], problems: list[Problem]) -> None:
    listed: set[str] = set()
    for f in manifest.files:
        why = _unsafe_name(f.path) or ("never bundled" if _reserved(f.path) else None)
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
                Problem("size-mismatch", f"{len(data)} bytes, the manifest says {f.size}", f.path)
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
        if f.path in members and not _unsafe_name(f.path):
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
        return from_dict(cls, data, path)
    except ConfigError as exc:
        detail = exc.message.removeprefix(path).lstrip(".: ")  # Problem.path already names it
        problems.append(Problem("invalid-config", detail, path))
        return None


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
        if not _REF.match(ref):
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
        elif _SECRET_KEY.search(key) and isinstance(value, str) and value and not _REF.match(value):
            found.append(dotted)
    return found


def _url_has_password(url: str) -> bool:
    from urllib.parse import unquote, urlsplit

    try:
        if urlsplit(url).password:
            return True
    except ValueError:
        return False
    query = unquote(urlsplit(url).query)
    return bool(re.search(r"(^|[&;?])\s*(password|pwd)\s*=\s*[^&;\s]", query, re.IGNORECASE))


# --- apply ------------------------------------------------------------------------------------


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


@dataclass
class ApplyResult:
    home: Path
    source: str
    manifest: Manifest
    dry_run: bool
    changes: list[FileChange]
    secrets: list[SecretNeed]
    notes: list[str]


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
    return ApplyResult(
        home.root,
        source,
        report.manifest,
        dry_run,
        changes,
        secret_needs(report, home),
        _apply_notes(report, home),
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
            action = "unchanged" if _read(target) == report.members[f.path] else "update"
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
            mode = 0o600 if change.role == "private-key" else 0o644
            write_atomic(change.target, report.members[change.path], mode=mode)
    except BaseException:
        for target, before, old_mode in reversed(undo):
            try:
                if before is None:
                    target.unlink(missing_ok=True)
                else:
                    write_atomic(target, before, mode=old_mode)
            except OSError:
                continue  # keep restoring the others; the original error is what matters
        raise


def secret_needs(report: BundleReport, home: Home) -> list[SecretNeed]:
    from ecmactl.secrets import read_secret

    needs = []
    for connector, what, ref in secret_refs(report.settings, report.connectors):
        try:
            read_secret(ref, home)
            available = True
        except EcmactlError:
            available = False
        needs.append(
            SecretNeed(
                connector,
                what,
                ref,
                available,
                what != "previous secret token",
                _fix(connector, what, ref, home),
            )
        )
    return needs


def _fix(connector: str | None, what: str, ref: str, home: Home) -> str:
    scheme, _, target = ref.partition(":")
    if scheme == "env":
        return f"set {target} in the host's environment"
    command = {
        "secret token": f"ecmactl token set --connector {connector} --token-file FILE",
        "previous secret token": "nothing (optional: only the current token will be accepted)",
        "database password": f"ecmactl configure connectivity --connector {connector} "
        "--db-password-file FILE",
        "key passphrase": "ecmactl configure settings",
    }[what]
    if what == "previous secret token":
        return command
    if scheme == "file":
        return f"run `{command}` (or write the value to {home.resolve(target)}, mode 0600)"
    return f"run `{command}`"


def _apply_notes(report: BundleReport, home: Home) -> list[str]:
    from ecmactl.home import expand_home

    assert report.manifest is not None and report.settings is not None
    notes, settings = [], report.settings
    key = home.resolve(settings.private_key)
    if not report.manifest.private_key_included and not key.exists():
        notes.append(
            f"No private key at {key}: copy it from the source host (mode 0600), "
            "or emit the bundle again with --include-private-key."
        )
    if Path(settings.certificate).is_absolute():
        notes.append(f"The settings use the certificate {settings.certificate}; put it there.")
    missing = [
        f"{c or 'host'} {what}"
        for c, what, ref in secret_refs(settings, report.connectors)
        if ref.startswith("keyring:") and not _keyring_has(ref, home)
    ]
    if missing:
        notes.append(
            "This home's keyring has no value yet for: "
            f"{', '.join(missing)}. `ecmactl token set` and `ecmactl configure` store them."
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


# --- inspect ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateSummary:
    path: str
    subject: str
    sans: tuple[str, ...]
    not_before: datetime
    not_after: datetime

    @property
    def expired(self) -> bool:
        return self.not_after <= datetime.now(UTC)


def certificate_summary(report: BundleReport) -> CertificateSummary | None:
    """Subject, SANs and validity of the bundled certificate, or None when there is none."""
    assert report.manifest is not None
    cert = next((f for f in report.manifest.files if f.role == "certificate"), None)
    if cert is None or cert.path not in report.members:
        return None
    from cryptography import x509

    try:
        parsed = x509.load_pem_x509_certificate(report.members[cert.path])
    except ValueError:
        return None
    try:
        san = parsed.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        sans = tuple(str(v) for v in san.get_values_for_type(x509.DNSName)) + tuple(
            str(v) for v in san.get_values_for_type(x509.IPAddress)
        )
    except x509.ExtensionNotFound:
        sans = ()
    return CertificateSummary(
        cert.path,
        parsed.subject.rfc4514_string(),
        sans,
        parsed.not_valid_before_utc,
        parsed.not_valid_after_utc,
    )


def redact_url(url: str) -> str:
    """A database URL for display: any password replaced by ***."""
    return re.sub(r"(//[^:/@]*):[^@/]*@", r"\1:***@", url)


def _keyring_has(ref: str, home: Home) -> bool:
    """Whether this home's keyring entry behind ``ref`` exists (never returns the value)."""
    from ecmactl.errors import EcmactlError
    from ecmactl.secrets import read_secret

    try:
        read_secret(ref, home)
    except EcmactlError:
        return False
    return True
