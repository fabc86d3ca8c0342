"""Why a step failed, in one sentence, with the fix: a refused certificate, or the host's answer.

Each explanation is a (code, sentence, fix) triple, worded as Microsoft's troubleshooting guide
would put it.
"""

from __future__ import annotations

import socket
import ssl
from pathlib import Path
from typing import Any

import httpx

from ecmactl.config.models import Connector, HostSettings
from ecmactl.connection_test.target import DEFAULT_TIMEOUT, connector_in_url
from ecmactl.home import Home
from ecmactl.invocation import command
from ecmactl.status.channel import json_body

LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
ENTRA_FIELDS = (
    "Entra admin center > Enterprise applications > your app > Provisioning > Admin Credentials"
)


def explain_verification(
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
            f"`{command('cert', 'create', '--force')}` (a self-signed certificate for the "
            f"configured host name {settings.hostname}), or `{command('cert', 'import', 'FILE')}` "
            f"one issued for {host}; or use a Tenant URL with a name the certificate covers.",
        )
    if code == 10:  # X509_V_ERR_CERT_HAS_EXPIRED
        when = served["not_after"] if served else "an earlier date"
        return (
            "expired",
            f"The host's certificate expired on {when}; the provisioning agent refuses "
            "expired certificates.",
            f"`{command('cert', 'renew')}` (a CA-issued certificate: "
            f"`{command('cert', 'csr')}`, then `{command('cert', 'import', 'FILE')}`)",
        )
    if code == 9:  # X509_V_ERR_CERT_NOT_YET_VALID
        return (
            "not_yet_valid",
            "The host's certificate is not valid yet; this machine's clock or the "
            "certificate's start date is wrong.",
            f"Fix the clock, or `{command('cert', 'renew')}`",
        )
    if served and served["self_signed"] and not served["matches_home"]:
        return (
            "untrusted",
            f"The server at {host}:{port} presents a self-signed certificate other than this "
            f"home's {cert_path}; another program may be using the port, or the certificate "
            "was replaced without reloading.",
            f"`{command('host', 'status')}` (is this home's host the one on that port?)",
        )
    issuer = served["issuer"] if served else "its issuer"
    return (
        "untrusted",
        f"The certificate is not trusted on this machine ({exc.verify_message}): {issuer} is "
        "not in the trust store; the provisioning agent's machine must trust it.",
        "Install the issuing CA (or the self-signed certificate) in the trust store of the "
        f"agent's machine; `{command('cert', 'status')}` shows the certificate.",
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


def explain_status(
    home: Home, connector: Connector, target: str, response: httpx.Response
) -> tuple[str, str, str] | None:
    """(code, sentence, fix) for the host's answer to the probe, or None when it is the empty
    ListResponse Entra expects."""
    status = response.status_code
    body = json_body(response)
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
            "Report this as a bug with the output of "
            f"`{command('agent', 'test-connection', '--json', connector=name)}`.",
        )
    if status in (401, 403):
        return (
            "wrong_token",
            f"The host rejected the secret token (HTTP {status}): the Secret Token in Entra "
            f"must be exactly connector {name}'s current token.",
            f"`{command('token', 'show', '--reveal', connector=name)}`, and paste it into "
            f"{ENTRA_FIELDS} > Secret Token",
        )
    if status == 404:
        known = ", ".join(home.connector_names())
        in_url = connector_in_url(target)
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
            f"Wait for the import to finish and test again; `{command('host', 'status')}` shows "
            "it.",
        )
    if status == 400:
        scim_type = body.get("scimType") if isinstance(body, dict) else None
        kind = f", {scim_type}" if scim_type else ""
        said = f": {detail}" if detail else ""
        return (
            "invalid_filter",
            f"The host refused Entra's probe filter (HTTP 400{kind}){said}.",
            "Check that the matching attribute in Entra's attribute mappings is one of the "
            f"connector's attributes (`{command('configure', 'show', connector=name)}`).",
        )
    return (
        "server_error",
        f"The host answered HTTP {status}{': ' + detail if detail else ''}; Entra reports this "
        "as an unexpected response.",
        f"`{command('host', 'status')}`, and the host's log (`journalctl -u ecmactl-host`)",
    )


def _import_progress(home: Home, name: str) -> str | None:
    """ "imported 12,000 of 40,000 rows (30%)", from the local channel, when the host answers it."""
    try:
        from ecmactl.status import collect_status

        report = collect_status(home, kind="host")
    except Exception:  # progress is a nicety; the explanation stands without it
        return None
    for connector in report.connectors:
        if connector.name == name:
            running = connector.import_progress
            if running is not None:
                return f"imported {running.describe()}"
            if connector.state == "degraded" and connector.last_error:
                return f"the import is failing: {connector.last_error}"
    return None
