"""This machine's names when the FQDN lookup answers ``localhost``.

With an /etc/hosts line ``127.0.0.1 localhost myhost``, ``socket.getfqdn()`` is ``localhost``:
the default host name and the self-signed SAN then held only localhost, and an agent on another
machine could not reach https://myhost:8585. The machine's host name now counts as well.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from cert_helpers import HOSTNAME, NOW
from cryptography import x509
from typer.testing import CliRunner

from ecmactl.certs import create_host_certificate, renew_host_certificate
from ecmactl.certs.manage import host_paths
from ecmactl.certs.names import default_hostname, machine_names
from ecmactl.cli import app
from ecmactl.config.models import HostSettings
from ecmactl.config.store import load_settings
from ecmactl.home import Home

Machine = Callable[[str, str], None]


def _dns_names(home: Home, settings: HostSettings) -> list[str]:
    cert = x509.load_pem_x509_certificates(host_paths(home, settings)[0].read_bytes())[0]
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return [str(n) for n in san.get_values_for_type(x509.DNSName)]


@pytest.mark.parametrize(
    ("fqdn", "hostname", "names", "default"),
    [
        ("localhost", "myhost", ("myhost",), "myhost"),  # 127.0.0.1 localhost myhost
        ("myhost.corp.example", "myhost", ("myhost.corp.example", "myhost"), "myhost.corp.example"),
        ("MyHost.Corp.Example.", "myhost.corp.example", ("myhost.corp.example",), None),
        ("localhost.localdomain", "ip6-localhost", (), "localhost"),  # no name but loopback
        ("localhost", "My_Host", (), "localhost"),  # not a DNS name: cannot be in a SAN
        ("10.0.0.5", "myhost", ("myhost",), "myhost"),  # getfqdn echoes an address
    ],
)
def test_machine_names_and_the_default_host_name(
    machine: Machine, fqdn: str, hostname: str, names: tuple[str, ...], default: str | None
) -> None:
    machine(fqdn, hostname)
    assert machine_names() == names
    assert default_hostname() == (default or names[0])


def test_self_signed_san_covers_the_machine_name_and_loopback(
    home: Home, settings: HostSettings, machine: Machine
) -> None:
    machine("localhost", "myhost")
    create_host_certificate(home, settings, key_type="ec256", now=NOW)
    assert _dns_names(home, settings) == [HOSTNAME, "myhost", "localhost"]


def test_renewal_adds_the_machine_names_a_certificate_lacks(
    home: Home, settings: HostSettings, machine: Machine
) -> None:
    create_host_certificate(home, settings, key_type="ec256", now=NOW)  # the machine unnamed
    assert "myhost" not in _dns_names(home, settings)
    machine("myhost.corp.example", "myhost")
    change = renew_host_certificate(home, settings, now=NOW)
    assert change.added_sans == ("myhost.corp.example", "myhost")
    assert {"myhost.corp.example", "myhost", HOSTNAME, "localhost"} <= set(
        _dns_names(home, settings)
    )


def test_init_defaults_to_the_machine_name_not_localhost(home: Home, machine: Machine) -> None:
    machine("localhost", "myhost")
    result = CliRunner().invoke(
        app,
        ["--home", str(home.root), "init", "--sample", "--no-input", "--json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["tenant_url"] == "https://myhost:8585/ecma2host_SQL/scim"
    settings = load_settings(home)
    assert settings.hostname == "myhost"
    assert _dns_names(home, settings) == ["myhost", "localhost"]
