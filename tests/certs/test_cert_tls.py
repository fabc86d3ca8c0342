"""Real TLS on 127.0.0.1: the created certificate verifies by host name with the standard
library, TLS 1.2 is the floor, and a renewed certificate is served from the next connection
while connections already open keep working."""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from cert_helpers import HOSTNAME
from cryptography import x509

from ecmactl.atomic import write_atomic
from ecmactl.certs import (
    CertificateBundle,
    CertificateUnusableError,
    ReloadingTLSContext,
    create_self_signed,
    write_bundle,
)
from ecmactl.certs.testing import cached_key


class EchoServer:
    """A threaded TLS echo server: one thread accepting, one per connection."""

    def __init__(self, context: ssl.SSLContext) -> None:
        self.context = context
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepting = threading.Thread(target=self._accept, daemon=True)
        self.accepting.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._echo, args=(conn,), daemon=True).start()

    def _echo(self, conn: socket.socket) -> None:
        try:
            with self.context.wrap_socket(conn, server_side=True) as tls:
                while data := tls.recv(1024):
                    tls.sendall(data)
        except (ssl.SSLError, OSError):
            pass

    def close(self) -> None:
        self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept() on Linux
        self.listener.close()
        self.accepting.join(timeout=5)


def client_context(*trusted: CertificateBundle) -> ssl.SSLContext:
    context = ssl.create_default_context(cadata="".join(b.cert_pem.decode() for b in trusted))
    context.verify_flags |= ssl.VERIFY_X509_STRICT  # Python 3.13's default; be ready for it
    return context


def connect(port: int, context: ssl.SSLContext, name: str = HOSTNAME) -> ssl.SSLSocket:
    return context.wrap_socket(
        socket.create_connection(("127.0.0.1", port), timeout=5), server_hostname=name
    )


def served_serial(tls: ssl.SSLSocket) -> int:
    der = tls.getpeercert(binary_form=True)
    assert der is not None
    return x509.load_der_x509_certificate(der).serial_number


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "server.crt", tmp_path / "server.key"


@pytest.fixture
def first(files: tuple[Path, Path]) -> CertificateBundle:
    bundle = create_self_signed(HOSTNAME, key=cached_key("ec256"))
    write_bundle(bundle, *files)
    return bundle


@pytest.fixture
def reloading(files: tuple[Path, Path], first: CertificateBundle) -> ReloadingTLSContext:
    return ReloadingTLSContext(*files)


@pytest.fixture
def server(reloading: ReloadingTLSContext) -> Iterator[EchoServer]:
    running = EchoServer(reloading.context)
    yield running
    running.close()


@pytest.mark.parametrize("name", [HOSTNAME, "localhost", "127.0.0.1"])
def test_handshake_verifies_by_host_name(
    server: EchoServer, first: CertificateBundle, name: str
) -> None:
    with connect(server.port, client_context(first), name) as tls:
        assert served_serial(tls) == first.certificate.serial_number
        assert tls.version() in ("TLSv1.2", "TLSv1.3")
        tls.sendall(b"ping")
        assert tls.recv(4) == b"ping"


def test_wrong_host_name_is_rejected_by_the_client(
    server: EchoServer, first: CertificateBundle
) -> None:
    with pytest.raises(ssl.SSLCertVerificationError, match="Hostname mismatch"):
        connect(server.port, client_context(first), "ecma02.contoso.test")


def test_default_rsa_certificate_handshake(tmp_path: Path) -> None:
    bundle = create_self_signed(HOSTNAME)  # RSA 2048, as ecmactl creates it by default
    write_bundle(bundle, tmp_path / "c.pem", tmp_path / "k.pem")
    running = EchoServer(ReloadingTLSContext(tmp_path / "c.pem", tmp_path / "k.pem").context)
    try:
        with connect(running.port, client_context(bundle)) as tls:
            assert served_serial(tls) == bundle.certificate.serial_number
    finally:
        running.close()


def test_tls_1_2_is_the_floor(server: EchoServer, first: CertificateBundle) -> None:
    assert server.context.minimum_version == ssl.TLSVersion.TLSv1_2
    tls12 = client_context(first)
    tls12.maximum_version = ssl.TLSVersion.TLSv1_2
    with connect(server.port, tls12) as tls:
        assert tls.version() == "TLSv1.2"
    old = client_context(first)
    with warnings.catch_warnings():  # TLS 1.0/1.1 are deprecated, which is the point
        warnings.simplefilter("ignore", DeprecationWarning)
        old.minimum_version = ssl.TLSVersion.TLSv1
        old.maximum_version = ssl.TLSVersion.TLSv1_1
    with pytest.raises((ssl.SSLError, OSError)):
        connect(server.port, old)


def test_renewal_is_served_from_the_next_connection_without_dropping_open_ones(
    server: EchoServer,
    reloading: ReloadingTLSContext,
    files: tuple[Path, Path],
    first: CertificateBundle,
) -> None:
    in_flight = connect(server.port, client_context(first))
    assert served_serial(in_flight) == first.certificate.serial_number
    renewed = create_self_signed(HOSTNAME, key=cached_key("ec256", slot=5))  # --rekey
    write_bundle(renewed, *files)
    with connect(server.port, client_context(renewed)) as tls:
        assert served_serial(tls) == renewed.certificate.serial_number
    assert reloading.served.serial == renewed.serial
    in_flight.sendall(b"still here")  # the connection opened before renewal keeps working
    assert in_flight.recv(10) == b"still here"
    in_flight.close()


def test_half_written_renewal_keeps_serving_the_old_certificate(
    server: EchoServer,
    reloading: ReloadingTLSContext,
    files: tuple[Path, Path],
    first: CertificateBundle,
) -> None:
    cert_path, key_path = files
    renewed = create_self_signed(HOSTNAME, key=cached_key("ec256", slot=6))
    write_atomic(key_path, renewed.key_pem, mode=0o600)  # the key lands first
    with connect(server.port, client_context(first)) as tls:
        assert served_serial(tls) == first.certificate.serial_number
    assert reloading.last_error and "cannot load" in reloading.last_error
    write_atomic(cert_path, renewed.cert_pem)  # then the certificate
    with connect(server.port, client_context(renewed)) as tls:
        assert served_serial(tls) == renewed.certificate.serial_number
    assert reloading.last_error is None


def test_unchanged_files_are_not_reloaded(reloading: ReloadingTLSContext) -> None:
    assert reloading.reload_if_changed() is False


def test_unusable_files_at_start_raise(files: tuple[Path, Path], first: CertificateBundle) -> None:
    files[1].write_bytes(b"not a key")
    with pytest.raises(CertificateUnusableError, match="cannot load"):
        ReloadingTLSContext(*files)


def test_asyncio_server_picks_up_renewal(
    reloading: ReloadingTLSContext, files: tuple[Path, Path], first: CertificateBundle
) -> None:
    """The same context under asyncio (SSLObject), which is what uvicorn uses."""

    async def scenario() -> list[int]:
        async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            writer.write(await reader.read(4))
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(echo, "127.0.0.1", 0, ssl=reloading.context)
        port = server.sockets[0].getsockname()[1]
        serials = []
        renewed = create_self_signed(HOSTNAME, key=cached_key("ec256", slot=4))
        for trusted in (first, renewed):
            reader, writer = await asyncio.open_connection(
                "127.0.0.1", port, ssl=client_context(trusted), server_hostname=HOSTNAME
            )
            der = writer.get_extra_info("ssl_object").getpeercert(binary_form=True)
            serials.append(x509.load_der_x509_certificate(der).serial_number)
            writer.write(b"ping")
            assert await reader.read(4) == b"ping"
            writer.close()
            await writer.wait_closed()
            if trusted is first:
                write_bundle(renewed, *files)
        server.close()
        await server.wait_closed()
        return serials

    first_serial, second_serial = asyncio.run(scenario())
    assert first_serial == first.certificate.serial_number
    assert second_serial != first_serial
