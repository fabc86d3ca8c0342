"""The bundle format: the manifest model, reading and writing the archive, and its determinism.

Entries have fixed owner, mode and mtime (the manifest's ``created_at``), and gzip carries no name
or time, so packing the same entries with the same ``created_at`` gives byte-identical bundles;
``content_sha256`` identifies the content whatever the time. Reading never trusts the archive:
names, entry kinds, counts and sizes are checked before anything is kept, and every mismatch
becomes a Problem.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import tarfile
import zlib
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, get_args

from ecmactl import __version__
from ecmactl.config.models import SCHEMA_VERSION
from ecmactl.errors import ConfigError, EcmactlError, UsageError
from ecmactl.home import Home

FORMAT = "ecmactl-bundle"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MAX_MEMBERS = 1024  # a home has a handful of files; more means this is not our archive
MAX_TOTAL_BYTES = 32 * 1024 * 1024  # stops a decompression bomb before it fills memory

Role = Literal["certificate", "private-key", "connector", "answers", "settings"]  # install order
ROLES: tuple[Role, ...] = get_args(Role)


class BundleError(EcmactlError):
    """A bundle cannot be made, read or installed."""


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


def content_digest(files: tuple[BundleFile, ...] | list[BundleFile]) -> str:
    """sha256 over ``sha256sum``-style lines: the same home content gives the same digest."""
    lines = "".join(f"{f.sha256}  {f.path}\n" for f in sorted(files, key=lambda f: f.path))
    return hashlib.sha256(lines.encode()).hexdigest()


def file_mode(role: Role) -> int:
    """The mode a file of ``role`` gets, in the archive and in a home."""
    return 0o600 if role == "private-key" else 0o644


def unsafe_name(name: str) -> str | None:
    """Why ``name`` may not be an archive entry or a home path, or None when it is safe."""
    if not name:
        return "empty"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "absolute path"
    if "\\" in name or ":" in name or any(ord(ch) < 32 for ch in name):
        return "backslash, colon or control character"
    if any(part in ("", ".", "..") for part in name.split("/")):
        return "'..', '.' or empty path component"
    return None


def is_reserved(rel: str) -> bool:
    """True for home paths a bundle never carries: secrets, data and the manifest's own name."""
    return rel.split("/", 1)[0] in ("secrets", "data") or rel == MANIFEST


# --- home files -------------------------------------------------------------------------------


def read_home_file(path: Path) -> bytes:
    """The bytes of a home file; a read error becomes a ConfigError naming the file."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None


def write_home_file(path: Path, data: bytes, *, mode: int) -> None:
    """Write ``data`` to ``path`` atomically with ``mode`` (a bundle, or a file into a home)."""
    # Looked up on the package at call time, so `ecmactl.config.bundle.write_atomic` stays the
    # one place every bundle write goes through (the rollback test makes it fail part-way).
    from ecmactl.config import bundle

    bundle.write_atomic(path, data, mode=mode)


# --- write ------------------------------------------------------------------------------------


def pack(
    entries: list[tuple[str, Role, bytes]], home: Home, when: datetime, with_key: bool
) -> tuple[bytes, Manifest]:
    """The deterministic .tar.gz of (path, role, bytes) ``entries``, and its manifest."""
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
    modes = {path: file_mode(role) for path, role, _ in entries}
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


# --- read -------------------------------------------------------------------------------------


def read_members(data: bytes) -> tuple[dict[str, bytes], list[Problem]]:
    """The regular files of the archive ``data`` by name, and the problems found reading it."""
    members: dict[str, bytes] = {}
    problems: list[Problem] = []
    total = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            count = 0
            while (info := tar.next()) is not None:
                count += 1
                if count > MAX_MEMBERS:
                    problems.append(Problem("too-large", f"more than {MAX_MEMBERS:,} entries"))
                    break
                name = info.name
                total += max(info.size, 0)  # skipping an entry inflates it too: count them all
                if total > MAX_TOTAL_BYTES:
                    problems.append(Problem("too-large", f"more than {MAX_TOTAL_BYTES:,} bytes"))
                    break
                why = unsafe_name(name)
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


def parse_manifest(raw: bytes, problems: list[Problem]) -> Manifest | None:
    """The manifest in ``raw``, or None; every problem found is appended to ``problems``."""

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
