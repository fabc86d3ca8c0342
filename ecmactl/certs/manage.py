"""The host's certificate in a home: check, create, import, renew, and request from a CA.

These functions read the settings' paths and passphrase reference, do one job, write files
atomically and return a result to render. They never print or prompt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from ecmactl.atomic import write_atomic
from ecmactl.certs import create, files, keys
from ecmactl.certs.create import LOOPBACK_SANS, build_csr, create_self_signed
from ecmactl.certs.errors import (
    CertificateError,
    CertificateMissingError,
    CertificateRenewalError,
    CertificateUnusableError,
)
from ecmactl.certs.importing import load_for_import
from ecmactl.certs.inspect import CertificateInfo, inspect_certificate
from ecmactl.certs.model import CertificateBundle
from ecmactl.certs.names import machine_names
from ecmactl.certs.status import (
    DEFAULT_THRESHOLD,
    CertificateStatus,
    State,
    Threshold,
    evaluate_certificate,
    key_missing_fix,
)
from ecmactl.config.models import HostSettings
from ecmactl.config.store import save_settings
from ecmactl.errors import EcmactlError, UsageError
from ecmactl.exit_codes import ExitCode
from ecmactl.home import Home
from ecmactl.invocation import command
from ecmactl.secrets import SecretStore, read_secret

KEY_PASSPHRASE_ENV = "ECMACTL_KEY_PASSPHRASE"
_KEY_TYPES: dict[tuple[str, int, str | None], keys.KeyType] = {
    ("RSA", 2048, None): "rsa2048",
    ("RSA", 3072, None): "rsa3072",
    ("EC", 256, "secp256r1"): "ec256",
}
Action = Literal["created", "imported", "renewed", "skipped", "would_renew"]


@dataclass(frozen=True)
class CertificateChange:
    """What create/import/renew did (or, for a dry run or a skip, would do or did not)."""

    action: Action
    reason: str
    cert_path: Path
    key_path: Path
    certificate: CertificateInfo
    previous: CertificateInfo | None = None
    key_replaced: bool = False
    added_sans: tuple[str, ...] = ()
    key_encrypted: bool = False


@dataclass(frozen=True)
class CsrResult:
    csr_pem: bytes
    key_path: Path
    new_key: bool
    sans: tuple[str, ...]


def host_paths(home: Home, settings: HostSettings) -> tuple[Path, Path]:
    return home.resolve(settings.certificate), home.resolve(settings.private_key)


def check_host_certificate(
    home: Home,
    settings: HostSettings,
    *,
    threshold: Threshold = DEFAULT_THRESHOLD,
    now: datetime | None = None,
) -> CertificateStatus:
    cert_path, key_path = host_paths(home, settings)
    passphrase, passphrase_error = None, None
    try:
        passphrase = key_passphrase(home, settings)
    except CertificateError as exc:
        passphrase_error = exc
    return evaluate_certificate(
        cert_path,
        key_path,
        settings.hostname,
        passphrase=passphrase,
        passphrase_error=passphrase_error,
        threshold=threshold,
        now=now,
    )


def key_passphrase(home: Home, settings: HostSettings) -> str | None:
    """The key's passphrase from its reference; a CertificateError (never the value) if absent."""
    if not settings.key_passphrase_ref:
        return None
    try:
        return read_secret(settings.key_passphrase_ref, home)
    except EcmactlError as exc:
        raise CertificateUnusableError(
            f"the private key's passphrase cannot be read: {exc.message}",
            hint=exc.hint or "Fix key_passphrase_ref in settings.toml.",
            code="passphrase_unavailable",
        ) from None


def create_host_certificate(
    home: Home,
    settings: HostSettings,
    *,
    extra_sans: Sequence[str] = (),
    include_loopback: bool = True,
    days: int = create.DEFAULT_DAYS,
    key_type: keys.KeyType = "rsa2048",
    passphrase: str | None = None,
    force: bool = False,
    now: datetime | None = None,
) -> CertificateChange:
    cert_path, key_path = host_paths(home, settings)
    if cert_path.exists() and not force:
        raise UsageError(
            f"a certificate already exists at {cert_path}",
            hint=f"Pass --force to replace it, or run `{command('cert', 'renew')}` to re-issue it.",
        )
    previous = _installed_info(cert_path)
    bundle = create_self_signed(
        settings.hostname,
        extra_sans=[*extra_sans, *machine_names()],
        include_loopback=include_loopback,
        days=days,
        key_type=key_type,
        now=now,
    )
    _install(home, settings, bundle, passphrase)
    return CertificateChange(
        "created",
        "on request",
        cert_path,
        key_path,
        inspect_certificate(bundle.certificate),
        previous,
        key_replaced=True,
        key_encrypted=bool(passphrase),
    )


def import_host_certificate(
    home: Home,
    settings: HostSettings,
    path: Path,
    *,
    key_path: Path | None = None,
    password: str | None = None,
    passphrase: str | None = None,
    now: datetime | None = None,
) -> CertificateChange:
    bundle = load_for_import(
        path, key_path=key_path, password=password, hostname=settings.hostname, now=now
    )
    cert_file, key_file = host_paths(home, settings)
    previous = _installed_info(cert_file)
    _install(home, settings, bundle, passphrase)
    return CertificateChange(
        "imported",
        f"imported from {path}",
        cert_file,
        key_file,
        inspect_certificate(bundle.certificate, bundle.chain),
        previous,
        key_replaced=True,
        key_encrypted=bool(passphrase),
    )


def renew_host_certificate(
    home: Home,
    settings: HostSettings,
    *,
    if_due: bool = False,
    threshold: Threshold = DEFAULT_THRESHOLD,
    rekey: bool = False,
    key_type: keys.KeyType | None = None,
    days: int | None = None,
    extra_sans: Sequence[str] = (),
    dry_run: bool = False,
    now: datetime | None = None,
) -> CertificateChange:
    """Re-issue the self-signed certificate: new serial, valid ``days`` (default 730) from
    ``now``, same SANs (plus the host name and this machine's names if missing) and same key
    unless ``rekey`` or another ``key_type``."""
    moment = now or datetime.now(UTC)
    status = check_host_certificate(home, settings, threshold=threshold, now=moment)
    cert_path, key_path = status.cert_path, status.key_path
    info = status.info
    if info is None:
        if status.state == State.MISSING:
            raise CertificateMissingError(
                f"there is no certificate to renew at {cert_path}",
                hint=f"Run `{command('cert', 'create')}`.",
                code="missing",
            )
        raise CertificateUnusableError(
            status.problems[0].message,
            hint=f"Replace it with `{command('cert', 'create', '--force')}` or "
            f"`{command('cert', 'import', 'PATH')}`.",
            code=status.problems[0].code,
        )
    if if_due and status.state == State.OK:
        due = status.renewal_due_at
        return CertificateChange(
            "skipped",
            f"not due (threshold {threshold.text}; due after {due:%Y-%m-%d %H:%M} UTC)",
            cert_path,
            key_path,
            info,
            info,
        )
    if not info.self_signed:
        raise CertificateRenewalError(
            f"the certificate at {cert_path} was issued by {info.issuer}, so only that CA can "
            "renew it",
            hint=f"Run `{command('cert', 'csr', '--out', 'host.csr')}`, send host.csr to the CA "
            f"asking for a TLS server certificate (serverAuth) for {settings.hostname}, then "
            f"`{command('cert', 'import', 'ISSUED.crt', '--key', str(key_path))}`.",
            exit_code=max(status.exit_code, ExitCode.RENEWAL_DUE),
        )
    passphrase = key_passphrase(home, settings)
    current_key: keys.ServerKey | None = None
    if not rekey:
        try:
            _, loaded = files.read_installed(cert_path, key_path, passphrase)
        except CertificateMissingError:
            raise CertificateMissingError(
                f"{State.KEY_MISSING.label}: there is no private key at {key_path} to renew with",
                hint=key_missing_fix(cert_path, key_path, self_signed=True),
                code="key_missing",
            ) from None
        if isinstance(loaded, keys.ServerKey) and keys.strong_enough(loaded):
            current_key = loaded  # a weak or exotic key is replaced, as if --rekey
    old_type = _KEY_TYPES.get((info.key_type, info.key_size, info.key_curve))
    new_type: keys.KeyType = key_type or old_type or "rsa2048"
    if current_key is not None and key_type and keys.key_type_of(current_key) != key_type:
        current_key = None  # another key type means another key
    names = [*info.dns_names, *info.ip_addresses]
    known = {n.lower() for n in names}
    # This machine's names too: a certificate made when they were missing heals.
    wanted = [settings.hostname, *extra_sans, *machine_names()]
    added = tuple(dict.fromkeys(n for n in wanted if n.lower() not in known))
    bundle = create_self_signed(
        settings.hostname,
        extra_sans=[*names, *extra_sans, *machine_names()],
        include_loopback=False,
        # Not the old lifetime: a short-lived certificate renewed to its own lifetime would be
        # due again at once, and a daily `renew --if-due` would renew it every day.
        days=days or create.DEFAULT_DAYS,
        key_type=new_type,
        now=moment,
        key=current_key,
    )
    reason = "on request" if status.state == State.OK else status.state.value.replace("_", " ")
    new_info = inspect_certificate(bundle.certificate)
    if dry_run:
        return CertificateChange(
            "would_renew",
            reason,
            cert_path,
            key_path,
            new_info,
            info,
            key_replaced=current_key is None,
            added_sans=added,
        )
    if current_key is None:
        files.write_bundle(bundle, cert_path, key_path, passphrase=passphrase)
    else:
        write_atomic(cert_path, bundle.cert_pem, mode=0o644)
    return CertificateChange(
        "renewed",
        reason,
        cert_path,
        key_path,
        new_info,
        info,
        key_replaced=current_key is None,
        added_sans=added,
        key_encrypted=bool(passphrase),
    )


def make_csr(
    home: Home,
    settings: HostSettings,
    *,
    new_key_path: Path | None = None,
    key_type: keys.KeyType = "rsa2048",
    extra_sans: Sequence[str] = (),
) -> CsrResult:
    """A CSR for the host name (plus the installed certificate's non-loopback SANs and
    ``extra_sans``), signed by the installed key or a new key written to ``new_key_path``."""
    cert_path, key_path = host_paths(home, settings)
    names: list[str] = [settings.hostname]
    installed = _installed_info(cert_path)
    if installed is not None:
        names += [
            n for n in (*installed.dns_names, *installed.ip_addresses) if n not in LOOPBACK_SANS
        ]
    names += list(extra_sans)
    if new_key_path is not None:
        if new_key_path.exists():
            raise UsageError(
                f"{new_key_path} already exists",
                hint="Choose another --new-key path; keys are never overwritten.",
            )
        key: keys.ServerKey = keys.generate_key(key_type)
        csr = build_csr(settings.hostname, key, extra_sans=names[1:])
        write_atomic(new_key_path, keys.key_pem(key), mode=0o600)
        used = new_key_path
    else:
        data = files.read_bytes(key_path, what="private key")
        loaded = keys.load_private_key(data, key_passphrase(home, settings), source=str(key_path))
        if not isinstance(loaded, keys.ServerKey):
            raise CertificateUnusableError(
                f"the key at {key_path} is not an RSA or EC key",
                hint="Pass --new-key PATH to make the request with a new key.",
            )
        csr = build_csr(settings.hostname, loaded, extra_sans=names[1:])
        used = key_path
    general = create.general_names(names)
    return CsrResult(csr, used, new_key_path is not None, tuple(str(g.value) for g in general))


def _install(
    home: Home, settings: HostSettings, bundle: CertificateBundle, passphrase: str | None
) -> None:
    cert_path, key_path = host_paths(home, settings)
    ref = save_key_passphrase(home, settings, passphrase) if passphrase else None
    files.write_bundle(bundle, cert_path, key_path, passphrase=passphrase)
    if ref != settings.key_passphrase_ref:
        settings.key_passphrase_ref = ref
        save_settings(home, settings)


def save_key_passphrase(home: Home, settings: HostSettings, passphrase: str) -> str:
    """Store the key passphrase where the settings keep secrets; return its reference.

    With the ``env`` store nothing is stored: the host reads ECMACTL_KEY_PASSPHRASE at start.
    """
    if settings.secret_store == "env":
        return f"env:{KEY_PASSPHRASE_ENV}"
    return SecretStore(settings.secret_store, home).put("host", "key-passphrase", passphrase)


def _installed_info(cert_path: Path) -> CertificateInfo | None:
    try:
        certificates = files.parse_certificates(files.read_bytes(cert_path), source=str(cert_path))
    except CertificateError:
        return None
    return inspect_certificate(certificates[0]) if certificates else None
