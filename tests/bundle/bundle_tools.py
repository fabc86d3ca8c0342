"""Helpers that take bundles apart and put them back together, as an attacker (or a bug) would."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Callable

Members = list[tuple[tarfile.TarInfo, bytes]]


def members(data: bytes) -> dict[str, bytes]:
    """Every regular member's bytes, read with tarfile directly (not with the code under test)."""
    out = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for info in tar:
            handle = tar.extractfile(info)
            out[info.name] = handle.read() if handle else b""
    return out


def repack(data: bytes, mutate: Callable[[Members], None], *, fix_manifest: bool = False) -> bytes:
    """Rewrite a bundle after ``mutate``; with ``fix_manifest`` the manifest matches the files."""
    items: Members = []
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for info in tar:
            handle = tar.extractfile(info)
            items.append((info, handle.read() if handle else b""))
    mutate(items)
    if fix_manifest:
        _fix_manifest(items)
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz", format=tarfile.PAX_FORMAT) as tar:
        for info, payload in items:
            info.size = len(payload) if info.isreg() else 0
            tar.addfile(info, io.BytesIO(payload) if info.isreg() else None)
    return out.getvalue()


def replace(items: Members, name: str, payload: bytes) -> None:
    for i, (info, _) in enumerate(items):
        if info.name == name:
            items[i] = (info, payload)
            return
    raise KeyError(name)


def add(items: Members, name: str, payload: bytes = b"x = 1\n", **attrs: object) -> None:
    info = tarfile.TarInfo(name)
    for key, value in attrs.items():
        setattr(info, key, value)
    items.append((info, payload))


def edit_manifest(items: Members, change: Callable[[dict[str, object]], None]) -> None:
    manifest = next(payload for info, payload in items if info.name == "manifest.json")
    document = json.loads(manifest)
    change(document)
    replace(items, "manifest.json", json.dumps(document).encode())


def _fix_manifest(items: Members) -> None:
    def change(document: dict[str, object]) -> None:
        by_name = {info.name: payload for info, payload in items}
        files = document["files"]
        assert isinstance(files, list)
        for entry in files:
            payload = by_name[entry["path"]]
            entry["size"], entry["sha256"] = len(payload), hashlib.sha256(payload).hexdigest()
        lines = "".join(
            f"{e['sha256']}  {e['path']}\n" for e in sorted(files, key=lambda e: e["path"])
        )
        document["content_sha256"] = hashlib.sha256(lines.encode()).hexdigest()

    edit_manifest(items, change)
