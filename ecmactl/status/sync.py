"""`ecmactl host sync`'s request: a full import now, on the running host."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from ecmactl.errors import EcmactlError
from ecmactl.exit_codes import ExitCode
from ecmactl.home import Home
from ecmactl.host import runfile
from ecmactl.invocation import command
from ecmactl.status.channel import SYNC_PATH, ClientFactory, _default_client, _json, _reason
from ecmactl.status.checks import START_HINT_SERVICE


def request_sync(
    home: Home,
    connector: str | None = None,
    *,
    timeout: float = 600.0,
    client_factory: ClientFactory | None = None,
) -> dict[str, Any]:
    """POST /_ecmactl/sync to the running host; its answer, or an EcmactlError with the fix."""
    from ecmactl.config.store import load_settings

    run = runfile.read_run_info(home)
    if run is None or not runfile.pid_alive(run.pid):
        raise HostNotRunningError(
            f"no host is running from {home.root}",
            hint=f"Start it with `{command('host', 'run')}` (or `{START_HINT_SERVICE}`).",
        )
    token = runfile.read_admin_token(home)
    cert_path = (
        Path(run.certificate) if run.certificate else home.resolve(load_settings(home).certificate)
    )
    factory = client_factory or (lambda r, c: _default_client()(r, c, timeout=timeout))
    params = {"connector": connector} if connector else {}
    with factory(run, cert_path) as client:
        try:
            response = client.post(
                SYNC_PATH, params=params, headers={"Authorization": f"Bearer {token}"}
            )
        except httpx.HTTPError as exc:
            raise EcmactlError(
                f"the host (PID {run.pid}) did not answer the sync request ({_reason(exc)})",
                hint=f"`{command('host', 'status')}` shows its state.",
            ) from None
    document = _json(response)
    if response.status_code == 404 and connector:
        known = ", ".join(run.connectors) or "none"
        raise EcmactlError(
            f"the running host serves no connector named {connector!r} (it serves: {known})",
            hint="Names are case-sensitive; a connector added after the start needs a restart.",
        )
    if response.status_code >= 400 or not isinstance(document, dict):
        detail = document.get("detail") if isinstance(document, dict) else None
        raise EcmactlError(
            f"the host answered the sync request with HTTP {response.status_code}"
            + (f": {detail}" if detail else ""),
            hint=f"`{command('host', 'status')}` shows the last error of each connector.",
        )
    return document


class HostNotRunningError(EcmactlError):
    exit_code = ExitCode.NOT_RUNNING
