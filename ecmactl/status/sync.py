"""Requests to the running host: `host sync` (a full import now), `host reload` (re-read
the config) and `agent failover` (move the writer lease), over the local channel."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from ecmactl.errors import EcmactlError
from ecmactl.exit_codes import ExitCode
from ecmactl.home import Home
from ecmactl.host import runfile
from ecmactl.host.progress import ImportProgress
from ecmactl.host.runfile import RunInfo
from ecmactl.invocation import command
from ecmactl.status.channel import (
    DEFAULT_TIMEOUT,
    FAILOVER_PATH,
    RELOAD_PATH,
    STATUS_PATH,
    SYNC_PATH,
    ClientFactory,
    current_default_client,
    error_reason,
    json_body,
)
from ecmactl.status.checks import START_HINT_SERVICE
from ecmactl.status_document import StatusDocumentError, parse_status_document

Progress = Callable[[dict[str, ImportProgress]], None]
POLL_INTERVAL_S = 0.5  # how often the host's status is asked while a sync with progress runs


def request_sync(
    home: Home,
    connector: str | None = None,
    *,
    timeout: float = 600.0,
    client_factory: ClientFactory | None = None,
    on_progress: Progress | None = None,
) -> dict[str, Any]:
    """POST /_ecmactl/sync to the running host; its answer, or an EcmactlError with the fix.

    The host answers when the import is done. With ``on_progress``, the request waits in a
    thread while this one asks the host's status every POLL_INTERVAL_S and passes on the
    progress of each import under way ({connector: progress}; only those still running)."""
    host = _running_host(home)
    params = {"connector": connector} if connector else {}

    def post() -> httpx.Response:
        return _post(host, SYNC_PATH, "sync", params, timeout, client_factory)

    if on_progress is None:
        response = post()
    else:
        # The status answers at once: a short timeout, whatever the sync's own.
        status_factory = client_factory or (
            lambda r, c: current_default_client()(r, c, timeout=DEFAULT_TIMEOUT)
        )
        with status_factory(host.run, host.cert_path) as status_client:
            response = _while_polling(
                post, lambda: _progress(status_client, host.headers, connector), on_progress
            )
    document = json_body(response)
    if response.status_code == 404 and connector:
        known = ", ".join(host.run.connectors) or "none"
        raise EcmactlError(
            f"the running host serves no connector named {connector!r} (it serves: {known})",
            hint="Names are case-sensitive; a connector added after the start is served after "
            f"`{command('host', 'reload')}`.",
        )
    return _document(response, document, "sync")


def request_reload(
    home: Home, *, timeout: float = 120.0, client_factory: ClientFactory | None = None
) -> dict[str, Any]:
    """POST /_ecmactl/reload: the host re-reads and validates its config (see
    ``ecmactl.host.reload``); its ReloadResult as a dict, or an EcmactlError with the fix."""
    response = _post(_running_host(home), RELOAD_PATH, "reload", {}, timeout, client_factory)
    return _document(response, json_body(response), "reload")


class FailoverError(EcmactlError):
    """`agent failover` did not move the lease of at least one connector (the message says
    which and why)."""


def request_failover(
    home: Home,
    connector: str | None = None,
    *,
    active_active: bool = False,
    timeout: float = 60.0,
    client_factory: ClientFactory | None = None,
) -> dict[str, Any]:
    """POST /_ecmactl/failover: on the lease holder's home hand the writer lease to a live
    standby (writes in flight finish first); on a standby's home take it; with
    ``active_active`` end lease mode. The host's answer ({"ok", "connectors": {name:
    result}}) when every connector moved, else a FailoverError naming each failure and its
    fix."""
    host = _running_host(home)
    params = {"connector": connector} if connector else {}
    if active_active:
        params["mode"] = "active-active"
    response = _post(host, FAILOVER_PATH, "failover", params, timeout, client_factory)
    if response.status_code == 404 and connector:
        known = ", ".join(host.run.connectors) or "none"
        raise EcmactlError(
            f"the running host serves no connector named {connector!r} (it serves: {known})",
            hint="Names are case-sensitive.",
        )
    document = _document(response, json_body(response), "failover")
    failed = {n: r for n, r in document.get("connectors", {}).items() if "error" in r}
    if failed:
        reasons = {r.get("reason") for r in failed.values()}
        raise FailoverError(
            "; ".join(r["error"] for r in failed.values()), hint=_failover_hint(reasons)
        )
    return document


def _failover_hint(reasons: set[str | None]) -> str:
    if "no_standby" in reasons:
        return (
            "Start a standby host on another machine (`ecmactl host run --standby` there), "
            f"then run `{command('agent', 'failover')}` again once "
            f"`{command('host', 'status')}` lists it."
        )
    if "settling" in reasons:
        return f"Run `{command('agent', 'failover')}` again in a few seconds."
    if "standby_flag" in reasons:
        return "Stop this host and start it again without --standby, then run this again."
    if "not_lease_mode" in reasons:
        return (
            "Active/standby starts when a host runs with --standby (`ecmactl host run "
            "--standby` on the passive machine)."
        )
    return f"`{command('host', 'status')}` shows the cluster of each connector."


def host_running(home: Home) -> bool:
    """True when a live host left its run file in this home (a cheap check, no request)."""
    try:
        run = runfile.read_run_info(home)
    except runfile.RunFileError:
        return False
    return run is not None and runfile.pid_alive(run.pid)


@dataclass(frozen=True)
class _Host:
    """The running host as its run file describes it, and how to talk to it."""

    run: RunInfo
    cert_path: Path
    headers: dict[str, str]


def _running_host(home: Home) -> _Host:
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
    return _Host(run, cert_path, {"Authorization": f"Bearer {token}"})


def _post(
    host: _Host,
    path: str,
    what: str,
    params: dict[str, str],
    timeout: float,
    client_factory: ClientFactory | None,
) -> httpx.Response:
    factory = client_factory or (lambda r, c: current_default_client()(r, c, timeout=timeout))
    with factory(host.run, host.cert_path) as client:
        try:
            return client.post(path, params=params, headers=host.headers)
        except httpx.HTTPError as exc:
            raise EcmactlError(
                f"the host (PID {host.run.pid}) did not answer the {what} request "
                f"({error_reason(exc)})",
                hint=f"`{command('host', 'status')}` shows its state.",
            ) from None


def _document(response: httpx.Response, document: Any, what: str) -> dict[str, Any]:
    if response.status_code >= 400 or not isinstance(document, dict):
        detail = document.get("detail") if isinstance(document, dict) else None
        raise EcmactlError(
            f"the host answered the {what} request with HTTP {response.status_code}"
            + (f": {detail}" if detail else ""),
            hint=f"`{command('host', 'status')}` shows the last error of each connector.",
        )
    return document


def _while_polling(
    post: Callable[[], httpx.Response],
    poll: Callable[[], dict[str, ImportProgress] | None],
    on_progress: Progress,
) -> httpx.Response:
    """``post()`` in a thread; meanwhile ``poll()`` every POLL_INTERVAL_S into ``on_progress``."""
    outcome: list[httpx.Response | BaseException] = []

    def run() -> None:
        try:
            outcome.append(post())
        except BaseException as exc:  # handed to the caller's thread, raised there
            outcome.append(exc)

    worker = threading.Thread(target=run, name="ecmactl-sync", daemon=True)
    worker.start()
    while True:
        worker.join(POLL_INTERVAL_S)
        if not worker.is_alive():
            break
        progress = poll()
        if progress is not None:
            on_progress(progress)
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result


def _progress(
    client: httpx.Client, headers: dict[str, str], connector: str | None
) -> dict[str, ImportProgress] | None:
    """The imports under way (of ``connector``, or all), or None if the status did not come."""
    try:
        response = client.get(STATUS_PATH, headers=headers)
    except httpx.HTTPError:
        return None  # progress is a nicety: the sync's own answer is what counts
    if response.status_code != 200:
        return None
    try:
        document = parse_status_document(json_body(response))
    except StatusDocumentError:
        return None  # `host status` says what is wrong with it
    found = {}
    for name, entry in document["connectors"].items():
        progress = ImportProgress.from_status(entry)
        if progress is not None and (connector is None or name == connector):
            found[name] = progress
    return found


class HostNotRunningError(EcmactlError):
    exit_code = ExitCode.NOT_RUNNING
