"""The local channel between a running host and the status commands on the same machine.

A running host leaves two files in ``<home>/run/`` (folder 0700):

- ``host.json`` (0644): who is running and where: pid, bind address, port, host name, start
  time, ecmactl version, connectors, certificate path. Nothing secret.
- ``admin-token`` (0600): a random bearer token, new at every start, that the host requires on
  ``/_ecmactl/status`` and ``/_ecmactl/sync``. Whoever can read the home's secrets can read it;
  nobody else can ask the host for its internals (``/health`` stays a data-free liveness answer).

Both are written atomically before the host accepts connections and removed at a clean
shutdown. A host killed with SIGKILL leaves them behind; ``pid_alive`` tells a stale file from a
running host, and the next ``host run`` replaces it.

The status commands connect to ``https://127.0.0.1:<port>`` (loopback, also when the host is bound
to 0.0.0.0; the bind address itself when it is a specific one) and trust exactly the home's
certificate file, without a host name check (the connection is local; `agent test-connection`
checks the name the way Entra does).
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import secrets
import ssl
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ecmactl.atomic import write_atomic
from ecmactl.config import models
from ecmactl.errors import EcmactlError
from ecmactl.home import Home
from ecmactl.invocation import command

RUN_FILE = "host.json"
TOKEN_FILE = "admin-token"
RUN_SCHEMA = "ecmactl/run/v1"
# OpenSSL's X509_V_FLAG_NO_CHECK_TIME: the local channel must keep working when the certificate
# has expired (that is exactly when `host status` is needed); Python exposes no name for it.
_NO_CHECK_TIME = 0x200000


def run_dir(home: Home) -> Path:
    return home.root / "run"


def run_file(home: Home) -> Path:
    return run_dir(home) / RUN_FILE


def token_file(home: Home) -> Path:
    return run_dir(home) / TOKEN_FILE


@dataclass(frozen=True)
class RunInfo:
    """What ``host.json`` holds: enough to find and describe the running host."""

    pid: int
    bind: str
    port: int
    hostname: str
    started_at: str  # ISO-8601 UTC
    version: str
    connectors: list[str] = field(default_factory=list)
    certificate: str | None = None  # absolute path of the served certificate file

    @property
    def local_address(self) -> str:
        """Where a local client connects: loopback for a wildcard bind, else the bind address."""
        try:
            address = ipaddress.ip_address(self.bind)
        except ValueError:
            return self.bind  # a host name given as --bind-address: connect to the same name
        if address.is_unspecified:
            return "::1" if address.version == 6 else "127.0.0.1"
        return self.bind

    @property
    def local_url(self) -> str:
        host = self.local_address
        return f"https://[{host}]:{self.port}" if ":" in host else f"https://{host}:{self.port}"

    def tenant_url(self, connector: str) -> str:
        return models.tenant_url(self.hostname, self.port, connector)

    def to_dict(self) -> dict[str, Any]:
        return {"schema": RUN_SCHEMA, **asdict(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunInfo:
        return cls(
            pid=int(data["pid"]),
            bind=str(data["bind"]),
            port=int(data["port"]),
            hostname=str(data["hostname"]),
            started_at=str(data["started_at"]),
            version=str(data.get("version", "")),
            connectors=[str(name) for name in data.get("connectors", [])],
            certificate=data.get("certificate"),
        )


class RunFileError(EcmactlError):
    """The run files exist but cannot be read (permissions, a half-edited file)."""


class RunDirUnwritable(EcmactlError):
    """The host cannot write its lock or run files (exit 1)."""


def unwritable(home: Home, exc: OSError) -> RunDirUnwritable:
    """The one error for a run folder the host cannot write, whichever file failed first."""
    folder = run_dir(home)
    why = exc.strerror or str(exc)
    if folder.exists() and not folder.is_dir():
        why = "it is a file, not a folder"
    return RunDirUnwritable(
        f"cannot write the run files in {folder}: {why}",
        hint="The host needs a writable home (ReadWritePaths= in the systemd unit); "
        f"if {folder} is not a folder, remove it.",
    )


def new_admin_token() -> str:
    return secrets.token_urlsafe(32)


def write_run_files(home: Home, info: RunInfo, admin_token: str) -> None:
    """Write the token first, then host.json: a reader that sees host.json finds the token."""
    folder = run_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # advisory on Windows (ACLs)
        os.chmod(folder, 0o700)
    write_atomic(token_file(home), admin_token + "\n", mode=0o600)
    write_atomic(run_file(home), json.dumps(info.to_dict(), indent=2) + "\n", mode=0o644)


def remove_run_files(home: Home, pid: int) -> None:
    """Remove the run files if they are still ``pid``'s (a newer host may have replaced them)."""
    try:
        current = read_run_info(home)
    except RunFileError:
        current = None
    if current is not None and current.pid != pid:
        return
    for path in (run_file(home), token_file(home)):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def read_run_info(home: Home) -> RunInfo | None:
    """The running host's description, or None when no host left one."""
    path = run_file(home)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return RunInfo.from_dict(data)
    except FileNotFoundError:
        return None
    except PermissionError:
        raise _permission_denied(path) from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise RunFileError(
            f"{path} is unreadable ({type(exc).__name__})",
            hint=f"Remove it if no host is running; `{command('host', 'run')}` writes a new one.",
        ) from None


def _permission_denied(path: Path) -> RunFileError:
    return RunFileError(
        f"cannot read {path}: permission denied",
        hint="Run the command as the user the host runs as (for example "
        f"`sudo -u ecmactl {command('host', 'status')}`).",
    )


def read_admin_token(home: Home) -> str:
    path = token_file(home)
    try:
        value = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise RunFileError(
            f"{path} is missing, so the running host cannot be asked for its status",
            hint=f"Restart the host (`{command('host', 'run')}`, or "
            "`systemctl restart ecmactl-host`).",
        ) from None
    except PermissionError:
        raise _permission_denied(path) from None
    if not value:
        raise RunFileError(f"{path} is empty", hint="Restart the host to write a new one.")
    return value


def local_tls_context(certificate: Path) -> ssl.SSLContext:
    """Trust exactly the home's certificate file; no host name check, no expiry check.

    The file may hold a self-signed certificate or a CA-issued leaf (with its chain): partial
    chains make the leaf itself a trust anchor, so no system CA is involved either way.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = False
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_verify_locations(cafile=str(certificate))
    context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
    context.verify_flags = ssl.VerifyFlags(int(context.verify_flags) | _NO_CHECK_TIME)
    return context


def connector_statuses(status: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The per-connector entries of ``Host.status()`` (keyed by name), as dicts with a ``name``."""
    connectors = status.get("connectors", {})
    if not isinstance(connectors, dict):
        return []
    return [{"name": name, **(value or {})} for name, value in connectors.items()]


def first_import_outcome(connector: dict[str, Any]) -> tuple[str, str]:
    """("pending" | "ok" | "failed", detail) for a connector's first full import."""
    name = connector.get("name", "?")
    last = connector.get("last_full_import") or connector.get("last_import") or {}
    result = str(last.get("result") or "").lower() if isinstance(last, dict) else ""
    if result in ("ok", "success", "succeeded", "completed"):
        return "ok", name
    if result and result not in ("running", "importing", "pending"):
        error = last.get("error") or connector.get("last_error") or result
        return "failed", f"{name}: {error}"
    if str(connector.get("state", "")).lower() == "ready":
        return "ok", name
    return "pending", name


def pid_alive(pid: int) -> bool:
    """True when a process with this id exists (it may belong to another user)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - os.kill(pid, 0) would terminate it there
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    except OSError:
        return False
    return True


def _windows_pid_alive(pid: int) -> bool:  # pragma: no cover - Windows only
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    process_query_limited_information = 0x1000
    still_active = 259
    handle = kernel32.OpenProcess(process_query_limited_information, False, pid)
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return False
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)
