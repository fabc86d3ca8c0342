"""Settings: the host-level page, asked once per home (port, address, name, certificate)."""

from __future__ import annotations

from ecmactl.certs.names import default_hostname as default_hostname
from ecmactl.config.models import (
    DEFAULT_BIND_ADDRESS,
    DEFAULT_METRICS_PORT,
    DEFAULT_PORT,
)
from ecmactl.secrets import STORE_KINDS
from ecmactl.wizard import database, network, validators
from ecmactl.wizard.certificate import (
    check_certificate_file,
    check_import,
    check_kept_certificate,
)
from ecmactl.wizard.context import WizardContext
from ecmactl.wizard.pages.choices import fixed_choices
from ecmactl.wizard.questions import Action, Choice, Invalid, Page, Question


def _certificate_default(ctx: WizardContext) -> str:
    return "keep" if ctx.home.settings_path.exists() else "generate"


def _certificate_choices(ctx: WizardContext) -> list[Choice]:
    choices = [
        Choice("generate", "Generate a self-signed certificate"),
        Choice("existing", "Use an existing PEM or PFX file"),
    ]
    if ctx.home.settings_path.exists():
        choices.insert(0, Choice("keep", "Keep the current certificate"))
    return choices


def _metrics_on(ctx: WizardContext) -> bool:
    return ctx.get("settings.metrics") is not False


def _metrics_port(value: int, ctx: WizardContext) -> int:
    value = validators.port(value, ctx)
    if value == ctx.get("settings.port"):
        raise Invalid(f"port {value} is the HTTPS port; metrics need a port of their own")
    return value


SETTINGS = Page(
    "settings",
    "Settings",
    "The host: the HTTPS port Entra's provisioning agent calls, and the certificate it trusts.",
    (
        Question(
            "settings.port",
            "Port",
            "int",
            "HTTPS port of the SCIM host.",
            "--port",
            default=lambda ctx: DEFAULT_PORT,
            validate=network.listening_port,
            metavar="PORT",
        ),
        Question(
            "settings.bind_address",
            "Bind address",
            "text",
            "Interface to listen on: 127.0.0.1 when the provisioning agent runs on this "
            "machine (Microsoft's layout), 0.0.0.0 to accept other machines.",
            "--bind-address",
            default=lambda ctx: DEFAULT_BIND_ADDRESS,
            validate=network.listening_address,
            metavar="ADDRESS",
        ),
        Question(
            "settings.hostname",
            "Host name",
            "text",
            "The name in the Tenant URL and the certificate's SAN (the machine's FQDN).",
            "--hostname",
            default=lambda ctx: default_hostname(),
            validate=validators.hostname,
            metavar="NAME",
        ),
        Question(
            "settings.certificate",
            "Certificate",
            "select",
            "Generate a self-signed certificate whose SAN is the host name (valid 2 years), "
            "or use an existing PEM or PFX file (recommended for production).",
            "--certificate",
            default=lambda ctx: _certificate_default(ctx),
            choices=lambda ctx: _certificate_choices(ctx),
            validate=check_kept_certificate,
            metavar="generate|existing|keep",
        ),
        Question(
            "settings.certificate_path",
            "Certificate file",
            "text",
            "PEM (certificate, key and chain in one file) or PFX/PKCS#12 file.",
            "--certificate-path",
            validate=check_certificate_file,
            when=lambda ctx: ctx.get("settings.certificate") == "existing",
            metavar="PATH",
        ),
        Question(
            "settings.key_path",
            "Private key file",
            "text",
            "The private key, when the PEM file does not contain it (leave empty otherwise).",
            "--key-path",
            validate=validators.existing_file,
            required=False,
            when=lambda ctx: (
                ctx.get("settings.certificate") == "existing"
                and not str(ctx.get("settings.certificate_path", ""))
                .lower()
                .endswith((".pfx", ".p12"))
            ),
            metavar="PATH",
        ),
        Question(
            "settings.certificate_password",
            "Certificate password",
            "secret",
            "Password of the PFX file or encrypted key (empty if none).",
            "--certificate-password-file",
            secret_env="ECMACTL_CERTIFICATE_PASSWORD",
            required=False,
            when=lambda ctx: ctx.get("settings.certificate") == "existing",
        ),
        Action(
            "settings.certificate_check",
            "Checking the certificate",
            check_import,
            back_to="settings.certificate_path",
            when=lambda ctx: ctx.get("settings.certificate") == "existing",
        ),
        Question(
            "settings.secret_store",
            "Secret store",
            "select",
            "Where tokens and passwords are kept: the OS keyring, a 0600 file in the home, "
            "or environment variables supplied at run time.",
            "--secret-store",
            default=lambda ctx: database.default_secret_store(),
            choices=fixed_choices(*STORE_KINDS),
            validate=validators.secret_store,
            metavar="keyring|file|env",
        ),
        # Metrics: flags (and the answers file) only; the defaults suit a first run.
        Question(
            "settings.metrics",
            "Prometheus metrics",
            "confirm",
            "Serve Prometheus metrics at http://BIND:PORT/metrics on a port of their own.",
            "--metrics",
            default=lambda ctx: True,
            prompted=False,
        ),
        Question(
            "settings.metrics_bind_address",
            "Metrics bind address",
            "text",
            "Interface for /metrics: 127.0.0.1 (this machine only, the default) or an address "
            "your Prometheus reaches (there is no authentication: firewall it).",
            "--metrics-bind-address",
            default=lambda ctx: DEFAULT_BIND_ADDRESS,
            validate=validators.bind_address,
            when=_metrics_on,
            metavar="ADDRESS",
            prompted=False,
        ),
        Question(
            "settings.metrics_port",
            "Metrics port",
            "int",
            f"Plain-HTTP port for /metrics (default {DEFAULT_METRICS_PORT}).",
            "--metrics-port",
            default=lambda ctx: DEFAULT_METRICS_PORT,
            validate=_metrics_port,
            when=_metrics_on,
            metavar="PORT",
            prompted=False,
        ),
    ),
    level="host",
)
