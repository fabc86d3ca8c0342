"""Requests to the running host: `host sync` (a full import now) and `host reload` (re-read
the config), over the local channel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from ecmactl.errors import EcmactlError
from ecmactl.exit_codes import ExitCode
from ecmactl.home import Home, command
from ecmactl.host import runfile
from ecmactl.host.runfile import RunInfo
from ecmactl.status.channel import (
    RELOAD_PATH,
    SYNC_PATH,
    ClientFactory,
    _default_client,
    _json,
    _reason,
)
from ecmactl.status.checks import START_HINT_SERVICE


def request_sync(
    home: Home,
    connector: str | None = None,
    *,
    timeout: float = 600.0,
    client_factory: ClientFactory | None = None,
) -> dict[str, Any]:
    """POST /_ecmactl/sync to the running host; its answer, or an EcmactlError with the fix."""
    params = {"connector": connector} if connector else {}
    run, response = _post(home, SYNC_PATH, "sync", params, timeout, client_factory)
    document = _json(response)
    if response.status_code == 404 and connector:
        known = ", ".join(run.connectors) or "none"
        raise EcmactlError(
            f"the running host serves no connector named {connector!r} (it serves: {known})",
            hint="Names are case-sensitive; a connector added after the start is served after "
            f"`{command(home, 'host reload')}`.",
        )
    return _document(response, document, "sync")


def request_reload(
    home: Home, *, timeout: float = 120.0, client_factory: ClientFactory | None = None
) -> dict[str, Any]:
    """POST /_ecmactl/reload: the host re-reads and validates its config (see
    ``ecmactl.host.reload``); its ReloadResult as a dict, or an EcmactlError with the fix."""
    _, response = _post(home, RELOAD_PATH, "reload", {}, timeout, client_factory)
    return _document(response, _json(response), "reload")


def host_running(home: Home) -> bool:
    """True when a live host left its run file in this home (a cheap check, no request)."""
    try:
        run = runfile.read_run_info(home)
    except runfile.RunFileError:
        return False
    return run is not None and runfile.pid_alive(run.pid)


def _post(
    home: Home,
    path: str,
    what: str,
    params: dict[str, str],
    timeout: float,
    client_factory: ClientFactory | None,
) -> tuple[RunInfo, httpx.Response]:
    from ecmactl.config.store import load_settings

    run = runfile.read_run_info(home)
    if run is None or not runfile.pid_alive(run.pid):
        raise HostNotRunningError(
            f"no host is running from {home.root}",
            hint=f"Start it with `{command(home, 'host run')}` (or `{START_HINT_SERVICE}`).",
        )
    token = runfile.read_admin_token(home)
    cert_path = (
        Path(run.certificate) if run.certificate else home.resolve(load_settings(home).certificate)
    )
    factory = client_factory or (lambda r, c: _default_client()(r, c, timeout=timeout))
    with factory(run, cert_path) as client:
        try:
            response = client.post(
                path, params=params, headers={"Authorization": f"Bearer {token}"}
            )
        except httpx.HTTPError as exc:
            raise EcmactlError(
                f"the host (PID {run.pid}) did not answer the {what} request ({_reason(exc)})",
                hint=f"`{command(home, 'host status')}` shows its state.",
            ) from None
    return run, response


def _document(response: httpx.Response, document: Any, what: str) -> dict[str, Any]:
    if response.status_code >= 400 or not isinstance(document, dict):
        detail = document.get("detail") if isinstance(document, dict) else None
        raise EcmactlError(
            f"the host answered the {what} request with HTTP {response.status_code}"
            + (f": {detail}" if detail else ""),
            hint="`ecmactl host status` shows the last error of each connector.",
        )
    return document


class HostNotRunningError(EcmactlError):
    exit_code = ExitCode.NOT_RUNNING
