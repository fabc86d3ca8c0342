"""TLS for the SCIM host: TLS 1.2+, AEAD suites only; a renewed certificate is served at once.

Every TLS ClientHello runs the context's ``sni_callback`` (with or without SNI). There we stat
the certificate and key files; when either changed since the last load, a fresh SSLContext is
loaded and the connection being set up is pointed at it, and so is every later one. Connections
already established keep the context they started with, so no request is dropped. If the new
files cannot be loaded yet (the key replaced a moment before the certificate, or a typo), the
previous certificate keeps being served and the reload is retried on the next connection.

With uvicorn: ``config.load(); config.ssl = host_tls_context(home, settings).context`` (uvicorn
builds no SSL context of its own when ssl_certfile is unset). The same works for
``asyncio.start_server(ssl=…)`` and ``ssl.SSLContext.wrap_socket``.
"""

from __future__ import annotations

import os
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography import x509

from ecmactl.certs.errors import CertificateUnusableError
from ecmactl.invocation import command

if TYPE_CHECKING:
    from ecmactl.config.models import HostSettings
    from ecmactl.home import Home

PasswordSource = Callable[[], str | None] | str | None
_Signature = tuple[tuple[int, int, int], tuple[int, int, int]]


@dataclass(frozen=True)
class ServedCertificate:
    """What the host serves right now (for `host status`)."""

    serial: str
    not_after: datetime
    loaded_at: datetime


# Mozilla's "intermediate" TLS 1.2 suites: forward secrecy and AEAD only. The standard
# library's default also offers the CBC suites ECDHE-*-AES256-SHA384 and ECDHE-*-AES128-SHA256.
# No DHE: it needs DH parameters, and every TLS 1.2 client (Entra's agent on Windows included)
# has ECDHE. TLS 1.3's suites are all AEAD and are not affected by this list.
TLS12_CIPHERS = ":".join(
    (
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305",
        "ECDHE-RSA-CHACHA20-POLY1305",
    )
)


def server_context() -> ssl.SSLContext:
    """A server context: the standard library's safe defaults, TLS 1.2 as the floor, and only
    AEAD suites with forward secrecy for TLS 1.2."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.set_ciphers(TLS12_CIPHERS)
    return context


class ReloadingTLSContext:
    """Hand ``.context`` to the server; it always serves the newest loadable cert and key."""

    def __init__(self, cert_path: Path, key_path: Path, *, password: PasswordSource = None) -> None:
        self.cert_path = Path(cert_path)
        self.key_path = Path(key_path)
        self._password = password
        self._lock = threading.Lock()
        self.last_error: str | None = None
        signature = self._signature()
        self._current, self.served = self._load()  # the first load must work: raise if not
        self._signature_loaded = signature
        # The dispatching context: its own certificate only matters if the callback fails.
        self.context = server_context()
        self.context.load_cert_chain(self.cert_path, self.key_path, password=self._secret())
        self.context.sni_callback = self._on_client_hello

    def reload_if_changed(self) -> bool:
        """Load the files again if they changed; True when a new certificate is now served."""
        with self._lock:
            try:
                signature = self._signature()
            except OSError as exc:  # a file is gone for now: keep serving the old one
                self.last_error = f"cannot stat the certificate files: {exc.strerror}"
                return False
            if signature == self._signature_loaded:
                return False
            try:
                context, served = self._load()
            except CertificateUnusableError as exc:
                self.last_error = exc.message  # e.g. key replaced before the certificate
                return False
            self._current, self.served = context, served
            self._signature_loaded = signature
            self.last_error = None
            return True

    def _on_client_hello(
        self,
        connection: ssl.SSLObject | ssl.SSLSocket,
        server_name: str | None,
        context: ssl.SSLContext,
    ) -> None:
        try:
            self.reload_if_changed()
        except Exception as exc:  # never abort a handshake because of a reload attempt
            self.last_error = f"reload failed: {type(exc).__name__}"
        connection.context = self._current

    def _signature(self) -> _Signature:
        # The inode changes on every atomic replace, even within one mtime tick.
        c, k = os.stat(self.cert_path), os.stat(self.key_path)
        return (c.st_mtime_ns, c.st_size, c.st_ino), (k.st_mtime_ns, k.st_size, k.st_ino)

    def _secret(self) -> str | None:
        return self._password() if callable(self._password) else self._password

    def _load(self) -> tuple[ssl.SSLContext, ServedCertificate]:
        context = server_context()
        try:
            context.load_cert_chain(self.cert_path, self.key_path, password=self._secret())
            leaf = x509.load_pem_x509_certificates(self.cert_path.read_bytes())[0]
        except (ssl.SSLError, OSError, ValueError, IndexError) as exc:
            reason = getattr(exc, "reason", None) or type(exc).__name__
            raise CertificateUnusableError(
                f"the host cannot load {self.cert_path} with {self.key_path} ({reason})",
                hint=f"Check them with `{command('cert', 'status')}`.",
                code="tls_load_failed",
            ) from None
        served = ServedCertificate(
            format(leaf.serial_number, "x"), leaf.not_valid_after_utc, datetime.now(UTC)
        )
        return context, served


def host_tls_context(home: Home, settings: HostSettings) -> ReloadingTLSContext:
    """The reloading context for a home's configured certificate, key and key passphrase."""
    from ecmactl.certs.manage import host_paths, key_passphrase

    cert_path, key_path = host_paths(home, settings)
    return ReloadingTLSContext(cert_path, key_path, password=lambda: key_passphrase(home, settings))
