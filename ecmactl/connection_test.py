"""`ecmactl agent test-connection`: what the Entra admin center's "Test Connection" does.

Entra (through the provisioning agent) takes the Tenant URL and the Secret Token, opens TLS to
the URL's host name and checks the certificate against that name, then asks for a user that
cannot exist: ``GET /Users?filter=<matching attribute> eq "<random GUID>"``, expecting 200 and an
empty ListResponse. We do the same, one step at a time (TCP, TLS, HTTP), so that a failure can
be explained the way Microsoft's troubleshooting guide would, in one sentence, with the fix.

TLS: the name is always verified. A self-signed certificate is trusted because the home's own
certificate file is added as a trust anchor (as the agent's machine must trust it); a CA-issued
one is verified against the system's trust store, as the agent would.

Nothing here prints; the result is a dataclass the CLI renders.
"""

from __future__ import annotations

import socket
import ssl
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from ecmactl.config.models import ECMA_EXTENSION_URN, Connector, HostSettings
from ecmactl.errors import EcmactlError, UsageError
from ecmactl.home import Home

LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
DEFAULT_TIMEOUT = 10.0
ENTRA_FIELDS = (
    "Entra admin center > Enterprise applications > your app > Provisioning > Admin Credentials"
)
START_FIX = "ecmactl host run (or: systemctl start ecmactl-host)"


@dataclass(frozen=True)
class Step:
    """One stage of the test: url, token, tcp, tls, request."""

    name: str
    ok: bool
    detail: str
    latency_ms: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ok": self.ok,
            "detail": self.detail,
            "latency_ms": self.latency_ms,
        }


@dataclass(frozen=True)
class Failure:
    """Why the test failed, in one sentence, and what fixes it."""

    code: str
    message: str
    fix: str

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "fix": self.fix}


@dataclass
class ConnectionTestResult:
    connector: str
    tenant_url: str
    matching_attribute: str
    request: str  # the probe, as Entra sends it (path and query)
    token_store: str | None = None
    token_ref: str | None = None
    steps: list[Step] = field(default_factory=list)
    failure: Failure | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None and bool(self.steps) and all(s.ok for s in self.steps)

    def to_dict(self) -> dict[str, Any]:
        return {
            "connector": self.connector,
            "ok": self.ok,
            "tenant_url": self.tenant_url,
            "matching_attribute": self.matching_attribute,
            "request": self.request,
            "token": {"store": self.token_store, "reference": self.token_ref},
            "steps": [s.to_dict() for s in self.steps],
            "failure": self.failure.to_dict() if self.failure else None,
        }

    def fail(self, step: str, code: str, message: str, fix: str) -> ConnectionTestResult:
        self.steps.append(Step(step, False, message))
        self.failure = Failure(code, message, fix)
        return self


def tenant_url(settings: HostSettings, connector: str) -> str:
    return f"https://{settings.hostname}:{settings.port}/ecma2host_{connector}/scim"


def matching_attribute(connector: Connector) -> str:
    """The attribute Entra matches on: userName when the anchor is bound to it, else the
    anchor's URN-qualified ECMA2Host attribute (what Entra's default mapping targets)."""
    anchor = connector.schema.anchor
    bound = next((a.scim for a in connector.attributes if a.column == anchor), None)
    return "userName" if bound == "userName" else f"{ECMA_EXTENSION_URN}:{anchor}"


def choose_connector(home: Home, name: str | None, url: str | None) -> list[str]:
    """The connectors to test: the named one, the one the --url names, or all of them."""
    from ecmactl.errors import ConfigError

    names = home.connector_names()
    if not names:
        raise ConfigError(
            f"there is no connector in {home.root}", hint="Create one with `ecmactl init`."
        )
    if name:
        return [name]
    if url is None:
        return names
    if len(names) == 1:
        return names
    in_url = _connector_in_url(url)
    if in_url in names:
        return [in_url]
    raise UsageError(
        f"this home has several connectors ({', '.join(names)}); which one's token goes with "
        f"{url}?",
        hint="Say which with --connector NAME.",
    )


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


def _token(home: Home, connector: Connector, result: ConnectionTestResult) -> str | None:
    from ecmactl.secrets import read_secret, secret_ref_kind

    ref = connector.secret_token_ref
    fix = f"ecmactl token set --connector {connector.name}"
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
            f"Add {host} to DNS or the hosts file, or set the host name with `ecmactl configure "
            "settings` (and re-create the certificate for it).",
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
                f"Use port {elsewhere} in the Tenant URL, or restart the host with --port {port}.",
            )
        else:
            result.fail(
                "tcp",
                "host_not_running",
                f"Nothing is listening on {host}:{port}: the ECMA host is not running.",
                START_FIX,
            )
        return False
    except TimeoutError:
        result.fail(
            "tcp",
            "timeout",
            f"No answer from {host}:{port} within {timeout:.0f} s: a firewall may be dropping "
            "the connection, or the host is bound to another address.",
            "Allow inbound TCP on the port from the agent's machine, and check the bind address "
            "with `ecmactl host status`.",
        )
        return False
    except OSError as exc:
        result.fail(
            "tcp",
            "unreachable",
            f"Cannot connect to {host}:{port} ({exc.strerror or exc}).",
            "Check the host name and port of the Tenant URL, and `ecmactl host status`.",
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
        code, message, fix = _explain_verification(home, settings, host, port, exc)
        result.fail("tls", code, message, fix)
        return False
    except (ssl.SSLError, OSError) as exc:
        result.fail(
            "tls",
            "tls",
            f"The TLS handshake with {host}:{port} failed ({_ssl_reason(exc)}); the ECMA host "
            "serves TLS 1.2 or newer only.",
            "Check that the URL points at the ECMA host (https) and `ecmactl host status`.",
        )
        return False
    latency = round((time.perf_counter() - started) * 1000, 1)
    result.steps.append(Step("tls", True, f"{version}, certificate valid for {host}", latency))
    return True


def _explain_verification(
    home: Home,
    settings: HostSettings,
    host: str,
    port: int,
    exc: ssl.SSLCertVerificationError,
) -> tuple[str, str, str]:
    """(code, sentence, fix) for a refused certificate, from OpenSSL's verify code."""
    cert_path = home.resolve(settings.certificate)
    served = _served_certificate(host, port, cert_path)
    code = exc.verify_code
    if code in (62, 64):  # X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH
        names = ", ".join(served["names"]) if served else "other names"
        return (
            "name_mismatch",
            f"The certificate's subject alternative names ({names}) do not cover {host}, so "
            "the provisioning agent refuses it (certificate name mismatch).",
            "ecmactl cert create --force (a self-signed certificate for the configured host "
            f"name {settings.hostname}), or `ecmactl cert import` one issued for {host}; or use "
            "a Tenant URL with a name the certificate covers.",
        )
    if code == 10:  # X509_V_ERR_CERT_HAS_EXPIRED
        when = served["not_after"] if served else "an earlier date"
        return (
            "expired",
            f"The host's certificate expired on {when}; the provisioning agent refuses "
            "expired certificates.",
            "ecmactl cert renew (a CA-issued certificate: `ecmactl cert csr`, then "
            "`ecmactl cert import`)",
        )
    if code == 9:  # X509_V_ERR_CERT_NOT_YET_VALID
        return (
            "not_yet_valid",
            "The host's certificate is not valid yet; this machine's clock or the "
            "certificate's start date is wrong.",
            "Fix the clock, or ecmactl cert renew",
        )
    if served and served["self_signed"] and not served["matches_home"]:
        return (
            "untrusted",
            f"The server at {host}:{port} presents a self-signed certificate other than this "
            f"home's {cert_path}; another program may be using the port, or the certificate "
            "was replaced without reloading.",
            "ecmactl host status (is this home's host the one on that port?)",
        )
    issuer = served["issuer"] if served else "its issuer"
    return (
        "untrusted",
        f"The certificate is not trusted on this machine ({exc.verify_message}): {issuer} is "
        "not in the trust store; the provisioning agent's machine must trust it.",
        "Install the issuing CA (or the self-signed certificate) in the trust store of the "
        "agent's machine; `ecmactl cert status` shows the certificate.",
    )


def _served_certificate(host: str, port: int, home_cert: Path) -> dict[str, Any] | None:
    """The certificate the server presents, read without verification, for explanations."""
    from cryptography import x509

    from ecmactl.certs.inspect import is_self_signed, subject_alt_names

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with (
            socket.create_connection((host, port), timeout=DEFAULT_TIMEOUT) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            der = tls.getpeercert(binary_form=True)
        if der is None:
            return None
        certificate = x509.load_der_x509_certificate(der)
    except (OSError, ValueError):
        return None
    dns, ips = subject_alt_names(certificate)
    try:
        home_leaf = x509.load_pem_x509_certificates(home_cert.read_bytes())[0]
        matches_home = home_leaf == certificate
    except (OSError, ValueError, IndexError):
        matches_home = False
    return {
        "names": [*dns, *ips],
        "not_after": f"{certificate.not_valid_after_utc:%Y-%m-%d %H:%M} UTC",
        "issuer": certificate.issuer.rfc4514_string(),
        "self_signed": is_self_signed(certificate),
        "matches_home": matches_home,
    }


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
            "ecmactl host status (the host may be overloaded or stuck)",
        )
        return
    except httpx.HTTPError as exc:
        result.fail(
            "request",
            "request_failed",
            f"The request failed ({exc}).",
            "ecmactl host status",
        )
        return
    latency = round((time.perf_counter() - started) * 1000, 1)
    explained = _explain_status(home, connector, target, response)
    if explained is not None:
        result.fail("request", *explained)
        return
    result.steps.append(
        Step("request", True, "200 with an empty ListResponse, as Entra expects", latency)
    )


def _explain_status(
    home: Home, connector: Connector, target: str, response: httpx.Response
) -> tuple[str, str, str] | None:
    status = response.status_code
    body = _json(response)
    detail = str(body.get("detail") or "") if isinstance(body, dict) else ""
    name = connector.name
    if status == 200:
        if (
            isinstance(body, dict)
            and LIST_RESPONSE in (body.get("schemas") or [])
            and body.get("totalResults") == 0
            and not body.get("Resources")
        ):
            return None
        return (
            "bad_answer",
            "The host answered 200 but not with an empty ListResponse, so Entra would report "
            "an unexpected response.",
            "Report this as a bug with the output of `ecmactl agent test-connection --json`.",
        )
    if status in (401, 403):
        return (
            "wrong_token",
            f"The host rejected the secret token (HTTP {status}): the Secret Token in Entra "
            f"must be exactly connector {name}'s current token.",
            f"ecmactl token show --connector {name} --reveal, and paste it into {ENTRA_FIELDS} "
            "> Secret Token",
        )
    if status == 404:
        known = ", ".join(home.connector_names())
        in_url = _connector_in_url(target)
        return (
            "wrong_connector",
            f"No connector named {in_url!r} is served at this URL (HTTP 404): the Tenant URL "
            f"must name a configured connector, spelt exactly (configured: {known}).",
            "Use the Tenant URL https://<host>:<port>/ecma2host_<connector>/scim with one of: "
            f"{known}; a connector added after the host started needs a restart.",
        )
    if status == 503:
        retry = response.headers.get("Retry-After")
        progress = _import_progress(home, name)
        return (
            "importing",
            "The ECMA host is currently importing data from the target application (HTTP 503"
            + (f", Retry-After {retry} s" if retry else "")
            + ")"
            + (f"; {progress}" if progress else "")
            + (f": {detail}" if detail and not progress else "")
            + ".",
            "Wait for the import to finish and test again; `ecmactl host status` shows it.",
        )
    if status == 400:
        scim_type = body.get("scimType") if isinstance(body, dict) else None
        kind = f", {scim_type}" if scim_type else ""
        said = f": {detail}" if detail else ""
        return (
            "invalid_filter",
            f"The host refused Entra's probe filter (HTTP 400{kind}){said}.",
            "Check that the matching attribute in Entra's attribute mappings is one of the "
            "connector's attributes (`ecmactl configure show`).",
        )
    return (
        "server_error",
        f"The host answered HTTP {status}{': ' + detail if detail else ''}; Entra reports this "
        "as an unexpected response.",
        "ecmactl host status, and the host's log (`journalctl -u ecmactl-host`)",
    )


def _import_progress(home: Home, name: str) -> str | None:
    """ "12,000 rows imported so far", from the local channel, when the host answers it."""
    try:
        from ecmactl.status import collect_status

        report = collect_status(home, kind="host")
    except Exception:  # progress is a nicety; the explanation stands without it
        return None
    for connector in report.connectors:
        if connector.name == name:
            if connector.imported_rows:
                return f"{connector.imported_rows:,} rows imported so far"
            if connector.state == "degraded" and connector.last_error:
                return f"the import is failing: {connector.last_error}"
    return None


def _connector_in_url(url: str) -> str:
    path = urlsplit(url).path
    for part in path.split("/"):
        if part.startswith("ecma2host_"):
            return part[len("ecma2host_") :]
    return path


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


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
