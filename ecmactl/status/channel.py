"""Asking the running host over the local channel: the HTTPS client, its status, probes."""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from ecmactl.host import runfile
from ecmactl.host.runfile import RunInfo
from ecmactl.status.model import Check, Probe
from ecmactl.status_document import HostStatus, StatusDocumentError, parse_status_document

ClientFactory = Callable[[RunInfo, Path], httpx.Client]

STATUS_PATH = "/_ecmactl/status"
SYNC_PATH = "/_ecmactl/sync"
RELOAD_PATH = "/_ecmactl/reload"
FAILOVER_PATH = "/_ecmactl/failover"
HEALTH_PATH = "/health"
DEFAULT_TIMEOUT = 5.0


def default_client(
    run: RunInfo, certificate: Path, timeout: float = DEFAULT_TIMEOUT
) -> httpx.Client:
    """An HTTPS client for the local channel: trusts the home's certificate file, nothing else."""
    return httpx.Client(
        base_url=run.local_url,
        verify=runfile.local_tls_context(certificate),
        timeout=timeout,
        trust_env=False,  # never send the admin token through an HTTP(S)_PROXY
    )


def current_default_client() -> Callable[..., httpx.Client]:
    """``default_client`` as the package has it now: callers and tests replace
    ``ecmactl.status.default_client``, so it is looked up there when a client is made, not bound
    when this module is imported."""
    import ecmactl.status

    return ecmactl.status.default_client


def fetch_status(client: httpx.Client, run: RunInfo, token: str) -> HostStatus | Check:
    """The host's own status document, checked, or the failing check that says why there is
    none (no answer, a refusal, or a document this ecmactl cannot read)."""
    where = f"{run.local_url}{STATUS_PATH}"
    fix_log = "Look at the host's log (`journalctl -u ecmactl-host`, or its terminal)."
    try:
        response = client.get(STATUS_PATH, headers={"Authorization": f"Bearer {token}"})
    except httpx.ConnectError as exc:
        cause = _tls_cause(exc)
        if cause is not None:
            return Check(
                "status_channel",
                False,
                f"PID {run.pid} answers on {run.local_url} with a certificate other than the "
                f"home's ({cause})",
                advice="The run files may belong to another program; restart the host.",
            )
        return Check(
            "status_channel",
            False,
            f"PID {run.pid} is alive but nothing answers at {where} ({error_reason(exc)})",
            advice="If the host is starting, wait a moment; otherwise restart it. " + fix_log,
        )
    except httpx.HTTPError as exc:
        return Check(
            "status_channel",
            False,
            f"PID {run.pid} is alive but {where} did not answer ({error_reason(exc)})",
            advice="The host may be overloaded or stuck. " + fix_log,
        )
    if response.status_code == 401:
        return Check(
            "status_channel",
            False,
            f"the host at {run.local_url} refused this home's admin token",
            advice="The run files belong to another host; restart the host of this home.",
        )
    if response.status_code != 200:
        return Check(
            "status_channel",
            False,
            f"{where} answered HTTP {response.status_code}",
            advice="Is another program using this port? " + fix_log,
        )
    document = json_body(response)
    if not isinstance(document, dict):
        return Check("status_channel", False, f"{where} answered something that is not JSON")
    try:
        return parse_status_document(document)
    except StatusDocumentError as exc:
        return Check("status_channel", False, exc.message, advice=exc.hint)


def json_body(response: httpx.Response) -> object:
    """The answer's JSON body, or None when it is not JSON."""
    try:
        return response.json()
    except ValueError:
        return None


def probe(client: httpx.Client, path: str, token: str | None) -> Probe:
    """GET ``path`` (with ``token`` as the bearer, if any): its status and latency, or why not."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    started = time.perf_counter()
    try:
        response = client.get(path, headers=headers)
    except httpx.HTTPError as exc:
        return Probe(path, False, error=error_reason(exc))
    latency = round((time.perf_counter() - started) * 1000, 1)
    return Probe(path, response.status_code == 200, response.status_code, latency)


def _tls_cause(exc: BaseException) -> str | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return seen.verify_message or "verification failed"
        if isinstance(seen, ssl.SSLError):
            return seen.reason or str(seen)
        seen = seen.__cause__ or seen.__context__
    return None


def error_reason(exc: BaseException) -> str:
    """Why a request failed, in a few words: "timed out", "connection refused", or the error."""
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    text = str(exc) or type(exc).__name__
    if "Connection refused" in text or "ConnectionRefused" in text:
        return "connection refused"
    return text.splitlines()[0][:200]
