"""`ecmactl cert renew` on the home of a running `ecmactl host run`: the host serves the new
certificate from its next connection, without a restart, and keeps an open connection working
(through real processes and real TLS)."""

from __future__ import annotations

import socket
import ssl
from pathlib import Path

import pytest
from cryptography import x509
from hostproc import HostProcess, ecmactl, free_port, init_sample, read_token

pytestmark = pytest.mark.slow


def _served_serial(port: int, ca: Path) -> int:
    context = ssl.create_default_context(cafile=str(ca))
    with (
        socket.create_connection(("127.0.0.1", port), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname="localhost") as tls,
    ):
        der = tls.getpeercert(binary_form=True)
    assert der is not None
    return x509.load_der_x509_certificate(der).serial_number


def test_running_host_serves_the_renewed_certificate(tmp_path: Path) -> None:
    import httpx

    home = tmp_path / "home"
    init_sample(home)
    port = free_port()
    cert = home / "certs" / "server.crt"
    with HostProcess(home, port) as host:
        host.wait_ready()
        before = _served_serial(port, cert)
        old_ca = tmp_path / "old.crt"
        old_ca.write_bytes(cert.read_bytes())
        url = f"https://localhost:{port}/ecma2host_SQL/scim/ServiceProviderConfig"
        headers = {"Authorization": f"Bearer {read_token(home)}"}
        with httpx.Client(verify=ssl.create_default_context(cafile=str(old_ca))) as open_client:
            assert open_client.get(url, headers=headers).status_code == 200

            renewed = ecmactl(home, "cert", "renew", "--json")

            assert renewed.returncode == 0, renewed.stderr
            assert '"action": "renewed"' in renewed.stdout
            # The connection opened before the renewal keeps working (same TLS session).
            assert open_client.get(url, headers=headers).status_code == 200
        after = _served_serial(port, cert)
        assert after != before
        assert x509.load_pem_x509_certificate(cert.read_bytes()).serial_number == after
        assert host.proc.poll() is None  # no restart happened
