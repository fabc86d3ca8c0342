"""A realistic home to bundle: host settings, two connectors, answers, certificate and key,
a file-stored secret token and a keyring-stored database password (values known to the tests)."""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ecmactl.config.models import Column, Connectivity, Connector, HostSettings, Schema
from ecmactl.config.store import save_connector, save_settings
from ecmactl.home import Home
from ecmactl.secrets import SecretStore

TOKEN = "tok3n-V4lue-Th4t-Must-N3ver-Travel"
PASSWORD = "db-P4ssw0rd-Never-Bundled"
HOSTNAME = "ecma01.contoso.test"
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z, for reproducible bundles


def make_cert(hostname: str = HOSTNAME) -> tuple[bytes, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostname)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=730))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(hostname)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


_CERT = make_cert()  # one certificate for the whole session keeps the tests fast


def build_home(home: Home) -> Home:
    save_settings(home, HostSettings(hostname=HOSTNAME))
    files, keyring = SecretStore("file", home), SecretStore("keyring", home)
    for name in ("HR", "Payroll"):
        connector = Connector(
            name=name,
            description=f"{name} users",
            connectivity=Connectivity(
                database_url="sqlite:///{home}/data/contoso.db",
                user="ecma",
                password_ref=keyring.put(name, "db-password", PASSWORD),
            ),
            schema=Schema(
                table="Employees",
                anchor="ContosoLogin",
                columns=[
                    Column("ContosoLogin", "NVARCHAR(128)", nullable=False, primary_key=True),
                    Column("FirstName", "NVARCHAR(64)"),
                    Column("AccountDisabled", "BIT", data_type="Boolean"),
                ],
            ),
            secret_token_ref=files.put(name, "secret-token", TOKEN),
        )
        save_connector(home, connector)
        home.answers_dir.mkdir(exist_ok=True)
        home.answers_path(name).write_text(
            f'[properties]\nname = "{name}"\n\n[connectivity]\n'
            'database_url = "sqlite:///{home}/data/contoso.db"\n'
        )
    home.certs_dir.mkdir()
    (home.certs_dir / "server.crt").write_bytes(_CERT[0])
    (home.certs_dir / "server.key").write_bytes(_CERT[1])
    (home.certs_dir / "server.key").chmod(0o600)
    home.data_dir.mkdir()
    (home.data_dir / "contoso.db").write_bytes(b"SQLite format 3\x00 not really")
    return home
