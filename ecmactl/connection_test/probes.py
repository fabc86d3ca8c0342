"""The test's steps, as the provisioning agent takes them: token, TCP, TLS, then the request.

Each step appends a ``Step``, or fails the result with the explanation of what went wrong
(``explanations`` words the refused certificates and the host's HTTP answers).
"""

from __future__ import annotations

import socket
import ssl
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from ecmactl.config.models import Connector, HostSettings
from ecmactl.connection_test.explanations import explain_status, explain_verification
from ecmactl.connection_test.result import ConnectionTestResult, Step
from ecmactl.connection_test.target import DEFAULT_TIMEOUT, matching_attribute, tenant_url
from ecmactl.errors import EcmactlError
from ecmactl.home import Home
from ecmactl.invocation import command
from ecmactl.status.checks import START_HINT_SERVICE


def run_test(
    home: Home,
    connector: Connector,
    settings: HostSettings,
    *,
    url: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    guid: str | None = None,
    token: str | None = None,
) -> ConnectionTestResult:
    """Entra's Test Connection against ``url`` (default: the connector's Tenant URL), with
    ``token`` (default: the connector's, from its secret store)."""
    target = (url or tenant_url(settings, connector.name)).rstrip("/")
    attribute = matching_attribute(connector)
    probe_filter = f'{attribute} eq "{guid or uuid.uuid4()}"'
    result = ConnectionTestResult(
        connector=connector.name,
        tenant_url=target,
        matching_attribute=attribute,
        request=f"GET /Users?filter={probe_filter}",
    )
    parts = urlsplit(target)
    if parts.scheme != "https" or not parts.hostname:
        return result.fail(
            "url",
            "bad_url",
            f"{target} is not an https:// URL; Entra's provisioning agent only speaks HTTPS to "
            "the ECMA host.",
            f"Use the Tenant URL {tenant_url(settings, connector.name)}",
        )
    host, port = parts.hostname, parts.port or 443
    result.steps.append(Step("url", True, target))
    if token is not None:
        result.token_store = "given"
        result.steps.append(Step("token", True, "as given (--token-file)"))
    else:
        token = _token(home, connector, result)
        if token is None:
            return result
    if not _tcp(home, host, port, timeout, result):
        return result
    context = client_context(home, settings)
    if not _tls(home, settings, host, port, context, timeout, result):
        return result
    _request(home, connector, target, probe_filter, token, context, timeout, result)
    return result


def client_context(home: Home, settings: HostSettings) -> ssl.SSLContext:
    """What the agent's machine trusts: the system store, plus the home's certificate when it is
    self-signed (the admin installs it in Trusted Root). TLS 1.2+, the host name is checked."""
    context = ssl.create_default_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    cert_path = home.resolve(settings.certificate)
    if _self_signed(cert_path):
        context.load_verify_locations(cafile=str(cert_path))
    return context


def start_fix() -> str:
    """How to start the host of this home (as a command, or as the service)."""
    return f"{command('host', 'run')} (or: {START_HINT_SERVICE})"


def _token(home: Home, connector: Connector, result: ConnectionTestResult) -> str | None:
    from ecmactl.secrets import read_secret, secret_ref_kind

    ref = connector.secret_token_ref
    fix = command("token", "set", connector=connector.name)
    if not ref:
        result.fail("token", "no_token", f"Connector {connector.name} has no secret token.", fix)
        return None
    result.token_store, result.token_ref = secret_ref_kind(ref), ref
    try:
        value = read_secret(ref, home)
    except EcmactlError as exc:
        result.fail("token", "no_token", f"The secret token cannot be read: {exc.message}", fix)
        return None
    result.steps.append(Step("token", True, f"from the {result.token_store} store ({ref})"))
    return value


def _tcp(home: Home, host: str, port: int, timeout: float, result: ConnectionTestResult) -> bool:
    started = time.perf_counter()
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except socket.gaierror:
        result.fail(
            "tcp",
            "dns",
            f"The host name {host} does not resolve on this machine; the provisioning agent "
            "must be able to resolve it too.",
            f"Add {host} to DNS or the hosts file, or set the host name with "
            f"`{command('configure', 'settings')}` (and re-create the certificate for it).",
        )
        return False
    except ConnectionRefusedError:
        elsewhere = _running_port(home)
        if elsewhere is not None and elsewhere != port:
            result.fail(
                "tcp",
                "wrong_port",
                f"Nothing is listening on {host}:{port}, but the host of this home runs on port "
                f"{elsewhere}: the Tenant URL has the wrong port.",
                f"Use port {elsewhere} in the Tenant URL, or restart the host on port {port}: "
                f"`{command('host', 'run', '--port', str(port))}`.",
            )
        else:
            result.fail(
                "tcp",
                "host_not_running",
                f"Nothing is listening on {host}:{port}: the ECMA host is not running.",
                start_fix(),
            )
        return False
    except TimeoutError:
        result.fail(
            "tcp",
            "timeout",
            f"No answer from {host}:{port} within {timeout:.0f} s: a firewall may be dropping "
            "the connection, or the host is bound to another address.",
            "Allow inbound TCP on the port from the agent's machine, and check the bind address "
            f"with `{command('host', 'status')}`.",
        )
        return False
    except OSError as exc:
        result.fail(
            "tcp",
            "unreachable",
            f"Cannot connect to {host}:{port} ({exc.strerror or exc}).",
            f"Check the host name and port of the Tenant URL, and `{command('host', 'status')}`.",
        )
        return False
    latency = round((time.perf_counter() - started) * 1000, 1)
    result.steps.append(Step("tcp", True, f"connected to {host}:{port}", latency))
    return True


def _running_port(home: Home) -> int | None:
    """The port of this home's running host, if one runs."""
    from ecmactl.host import runfile

    try:
        info = runfile.read_run_info(home)
    except EcmactlError:
        return None
    if info is None or not runfile.pid_alive(info.pid):
        return None
    return info.port


def _tls(
    home: Home,
    settings: HostSettings,
    host: str,
    port: int,
    context: ssl.SSLContext,
    timeout: float,
    result: ConnectionTestResult,
) -> bool:
    started = time.perf_counter()
    try:
        with (
            socket.create_connection((host, port), timeout=timeout) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            version = tls.version()
    except ssl.SSLCertVerificationError as exc:
        code, message, fix = explain_verification(home, settings, host, port, exc)
        result.fail("tls", code, message, fix)
        return False
    except (ssl.SSLError, OSError) as exc:
        result.fail(
            "tls",
            "tls",
            f"The TLS handshake with {host}:{port} failed ({_ssl_reason(exc)}); the ECMA host "
            "serves TLS 1.2 or newer only.",
            "Check that the URL points at the ECMA host (https) and "
            f"`{command('host', 'status')}`.",
        )
        return False
    latency = round((time.perf_counter() - started) * 1000, 1)
    result.steps.append(Step("tls", True, f"{version}, certificate valid for {host}", latency))
    return True


def _request(
    home: Home,
    connector: Connector,
    target: str,
    probe_filter: str,
    token: str,
    context: ssl.SSLContext,
    timeout: float,
    result: ConnectionTestResult,
) -> None:
    started = time.perf_counter()
    try:
        with httpx.Client(verify=context, timeout=timeout, trust_env=False) as client:
            response = client.get(
                f"{target}/Users",
                params={"filter": probe_filter},
                headers={"Authorization": f"Bearer {token}", "Accept": "application/scim+json"},
            )
    except httpx.TimeoutException:
        result.fail(
            "request",
            "timeout",
            f"The host accepted the connection but did not answer within {timeout:.0f} s.",
            f"{command('host', 'status')} (the host may be overloaded or stuck)",
        )
        return
    except httpx.HTTPError as exc:
        result.fail(
            "request",
            "request_failed",
            f"The request failed ({exc}).",
            command("host", "status"),
        )
        return
    latency = round((time.perf_counter() - started) * 1000, 1)
    explained = explain_status(home, connector, target, response)
    if explained is not None:
        result.fail("request", *explained)
        return
    detail = "200 with an empty ListResponse, as Entra expects"
    if response.headers.get("x-ecmactl-role") == "standby":
        detail += (
            "; this host is a STANDBY (another host holds the writer lease): it serves reads "
            "and answers writes 503 until it takes over, and Entra retries them"
        )
    result.steps.append(Step("request", True, detail, latency))


def _self_signed(cert_path: Path) -> bool:
    from cryptography import x509

    from ecmactl.certs.inspect import is_self_signed

    try:
        certificate = x509.load_pem_x509_certificates(cert_path.read_bytes())[0]
    except (OSError, ValueError, IndexError):
        return False
    return is_self_signed(certificate)


def _ssl_reason(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLError):
        return exc.reason or str(exc)
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)
