"""The wizard's certificate checks, run where the certificate is chosen (Settings), not after
the review: the file must cover the host name answered just before it.

cryptography is imported inside the functions, so defining the wizard stays cheap.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ecmactl.wizard.context import WizardContext
from ecmactl.wizard.questions import Invalid
from ecmactl.wizard.validators import existing_file


def _leaf(certificates: list[Any]) -> Any:
    """The server certificate of a PEM bundle: the first that is not a CA."""
    from cryptography import x509

    for certificate in certificates:
        try:
            ca = certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        except x509.ExtensionNotFound:
            ca = False
        if not ca:
            return certificate
    return certificates[0]


def check_certificate_file(value: str, ctx: WizardContext) -> str:
    """Validator of the certificate file: a PEM's certificate is checked against the host name
    at once (no key or password needed); a PFX is checked once its password is known."""
    from ecmactl.certs import checks
    from ecmactl.certs.files import parse_certificates
    from ecmactl.certs.inspect import inspect_certificate

    path = existing_file(value, ctx)
    data = Path(path).read_bytes()
    if b"-----BEGIN" not in data:
        return path  # PFX or DER: see check_import
    certificates = parse_certificates(data, source=path)
    if not certificates:
        raise Invalid(f"{value} holds no -----BEGIN CERTIFICATE----- block")
    leaf = _leaf(certificates)
    problems = checks.certificate_problems(
        leaf, inspect_certificate(leaf), ctx.get("settings.hostname"), datetime.now(UTC), "incoming"
    )
    if problems:
        raise problems[0].to_error()  # a CertificateError: its own exit code without a terminal
    return path


def check_import(ctx: WizardContext) -> str:
    """Action after the certificate questions: the whole import (key, password, chain)."""
    from ecmactl.certs import load_for_import

    key_path = ctx.get("settings.key_path")
    password = ctx.secrets.get("settings.certificate_password")
    hostname = ctx.get("settings.hostname")
    bundle = load_for_import(
        Path(ctx.get("settings.certificate_path")),
        key_path=Path(key_path) if key_path else None,
        password=password if isinstance(password, str) else None,
        hostname=hostname,
    )
    until = bundle.certificate.not_valid_after_utc.strftime("%Y-%m-%d")
    return f"The certificate covers {hostname} and is valid until {until}."


def check_kept_certificate(value: str, ctx: WizardContext) -> str:
    """Validator of the certificate choice: "keep" needs a current certificate that covers the
    (possibly new) host name."""
    if value != "keep":
        return value
    from ecmactl.certs.files import parse_certificates
    from ecmactl.certs.inspect import hostname_matches, inspect_certificate
    from ecmactl.config.store import load_settings

    hostname = ctx.get("settings.hostname")
    # Unchecked: `configure settings` is the fix that errors name for a settings file the rules
    # refuse, so it must open one; only the certificate path is used here.
    path = ctx.home.resolve(load_settings(ctx.home, check=False).certificate)
    if not path.is_file():
        raise Invalid(f"there is no current certificate ({path}); choose generate or existing")
    certificates = parse_certificates(path.read_bytes(), source=str(path))
    if not certificates:
        raise Invalid(f"{path} holds no certificate; choose generate or existing")
    info = inspect_certificate(certificates[0])
    if not hostname_matches(hostname, info.dns_names, info.ip_addresses):
        names = ", ".join([*info.dns_names, *info.ip_addresses]) or "none"
        raise Invalid(
            f"the current certificate does not cover the host name {hostname} (its SAN: "
            f"{names}); choose generate (a new self-signed certificate) or existing"
        )
    return value
