"""`ecmactl cert`: the host's TLS certificate: create, import, show, status, renew, csr.

Thin commands: parse flags, call ecmactl.certs (imported inside each command so `ecmactl --help`
never loads cryptography), render text or one JSON document. Exit codes are the verdict.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ecmactl.cli import _output
from ecmactl.cli._context import global_options
from ecmactl.cli._options import JsonFlag
from ecmactl.invocation import command

if TYPE_CHECKING:
    from ecmactl.certs import CertificateChange, CertificateStatus

EXIT_CODES_HELP = (
    "Exit codes: 0 ok · 10 renewal due · 11 expired or not yet valid · 12 unusable (SAN does "
    "not cover the host name, key mismatch, no serverAuth) · 13 missing (the certificate, or "
    "its key) · 1 error · 2 bad input."
)

cert_app = typer.Typer(
    name="cert",
    help="The host's TLS certificate (SAN = host name): create, import, show, status, renew, "
    "csr. " + EXIT_CODES_HELP,
    no_args_is_help=True,
    rich_markup_mode=None,  # plain help, like the root app (rich help is slow to load)
)


def register(app: typer.Typer) -> None:
    app.add_typer(cert_app, name="cert")


class KeyTypeChoice(StrEnum):
    rsa2048 = "rsa2048"
    rsa3072 = "rsa3072"
    ec256 = "ec256"


SanFlag = Annotated[
    list[str] | None,
    typer.Option("--san", metavar="NAME|IP", help="Another SAN (DNS name or IP); repeatable."),
]
PassphraseFlag = Annotated[
    str | None,
    typer.Option(
        "--passphrase-file",
        metavar="PATH",
        show_default=False,
        help="Encrypt the private key on disk with the passphrase in PATH ('-' for stdin; or "
        "ECMACTL_KEY_PASSPHRASE). It is kept in the secret store for the host.",
    ),
]
PasswordFlag = Annotated[
    str | None,
    typer.Option(
        "--password-file",
        metavar="PATH",
        show_default=False,
        help="Password of the PFX file or encrypted key, read from PATH ('-' for stdin; or "
        "ECMACTL_CERTIFICATE_PASSWORD).",
    ),
]
ExpiresFlag = Annotated[
    str | None,
    typer.Option(
        "--expires-in",
        metavar="DURATION|PERCENT",
        show_default=False,
        help="Renewal is due within this time before expiry (30d, 2w, 36h) or after this share "
        "of the lifetime (75%). Default: 66%.",
    ),
]


@cert_app.command("create")
def create_command(
    san: SanFlag = None,
    no_loopback: Annotated[
        bool, typer.Option("--no-loopback", help="Leave localhost, 127.0.0.1 and ::1 out.")
    ] = False,
    days: Annotated[int, typer.Option("--days", min=1, help="Validity in days.")] = 730,
    key_type: Annotated[KeyTypeChoice, typer.Option("--key-type", help="Key type.")] = (
        KeyTypeChoice.rsa2048
    ),
    passphrase_file: PassphraseFlag = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing certificate.")] = (
        False
    ),
    json_output: JsonFlag = False,
) -> None:
    """Create a self-signed server certificate whose SAN is the configured host name.

    Also covers this machine's names (its FQDN and host name), localhost and the loopback
    addresses (unless --no-loopback) and every --san.
    RSA 2048 and 730 days by default, serverAuth; the key is written 0600.
    """
    from ecmactl.certs import create_host_certificate
    from ecmactl.config.store import load_settings
    from ecmactl.secrets import read_secret_source

    home = global_options().home
    settings = load_settings(home)
    passphrase = read_secret_source(
        passphrase_file, flag="--passphrase-file", env="ECMACTL_KEY_PASSPHRASE"
    )
    change = create_host_certificate(
        home,
        settings,
        extra_sans=san or (),
        include_loopback=not no_loopback,
        days=days,
        key_type=key_type.value,
        passphrase=passphrase,
        force=force,
    )
    _report_change(change, json_output)


@cert_app.command("import")
def import_command(
    path: Annotated[Path, typer.Argument(help="PEM (certificate, key, chain) or PFX/P12 file.")],
    key: Annotated[
        Path | None, typer.Option("--key", metavar="PATH", help="The private key, if separate.")
    ] = None,
    password_file: PasswordFlag = None,
    passphrase_file: PassphraseFlag = None,
    json_output: JsonFlag = False,
) -> None:
    """Import a CA-issued certificate after checking the host can serve it.

    Checked first: the key matches, the SAN covers the configured host name, it is valid now,
    and it allows serverAuth. Any failure is one sentence with the fix; nothing is written.
    """
    from ecmactl.certs import import_host_certificate
    from ecmactl.config.store import load_settings

    home = global_options().home
    settings = load_settings(home)
    password, passphrase = _two_secrets(password_file, passphrase_file)
    change = import_host_certificate(
        home, settings, path, key_path=key, password=password, passphrase=passphrase
    )
    _report_change(change, json_output)


@cert_app.command("show")
def show_command(
    path: Annotated[
        Path | None,
        typer.Argument(help="Any PEM, DER or PFX file [default: the host's certificate]."),
    ] = None,
    key: Annotated[
        Path | None, typer.Option("--key", metavar="PATH", help="Check this key against it.")
    ] = None,
    password_file: PasswordFlag = None,
    expires_in: ExpiresFlag = None,
    json_output: JsonFlag = False,
) -> None:
    """Show a certificate: names, key, thumbprints, validity, and what to do next.

    Exits 0 whenever the certificate could be read (13 when the host has none); use
    `cert status` for an exit code that reflects its health.
    """
    from ecmactl.certs import check_host_certificate, parse_threshold
    from ecmactl.certs.status import DEFAULT_THRESHOLD, State, inspect_file
    from ecmactl.config.store import load_settings
    from ecmactl.exit_codes import ExitCode
    from ecmactl.secrets import read_secret_source

    threshold = parse_threshold(expires_in) if expires_in else DEFAULT_THRESHOLD
    home = global_options().home
    if path is None:
        status = check_host_certificate(home, load_settings(home), threshold=threshold)
    else:
        hostname = load_settings(home).hostname if home.settings_path.exists() else None
        password = read_secret_source(
            password_file, flag="--password-file", env="ECMACTL_CERTIFICATE_PASSWORD"
        )
        status = inspect_file(
            path, key_path=key, password=password, hostname=hostname, threshold=threshold
        )
    _report_status(status, json_output)
    if status.state == State.MISSING:
        raise typer.Exit(int(ExitCode.CERT_MISSING))


@cert_app.command("status")
def status_command(expires_in: ExpiresFlag = None, json_output: JsonFlag = False) -> None:
    """Check the host's certificate; the exit code is the verdict (for cron and monitoring).

    0 ok · 10 renewal due · 11 expired or not yet valid · 12 unusable · 13 missing (the
    certificate, or its key).
    When several apply, the highest code wins. --json does not change the exit code.
    """
    from ecmactl.certs import check_host_certificate, parse_threshold
    from ecmactl.certs.status import DEFAULT_THRESHOLD
    from ecmactl.config.store import load_settings

    threshold = parse_threshold(expires_in) if expires_in else DEFAULT_THRESHOLD
    home = global_options().home
    status = check_host_certificate(home, load_settings(home), threshold=threshold)
    if json_output or not _output.quiet():
        _report_status(status, json_output)
    raise typer.Exit(int(status.exit_code))


@cert_app.command("renew")
def renew_command(
    if_due: Annotated[
        bool, typer.Option("--if-due", help="Renew only when due; exit 0 either way.")
    ] = False,
    expires_in: ExpiresFlag = None,
    rekey: Annotated[bool, typer.Option("--rekey", help="Generate a new key too.")] = False,
    key_type: Annotated[
        KeyTypeChoice | None,
        typer.Option(
            "--key-type", help="Another key type (implies a new key).", show_default=False
        ),
    ] = None,
    days: Annotated[
        int | None,
        typer.Option(
            "--days", min=1, help="Validity in days from now [default: 730].", show_default=False
        ),
    ] = None,
    san: SanFlag = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would happen.")] = False,
    json_output: JsonFlag = False,
) -> None:
    """Re-issue the self-signed certificate: new serial, 730 days (or --days), same SANs and key.

    A running host serves the new certificate from its next connection, without a restart.
    --expires-in implies --if-due. A CA-issued certificate cannot be renewed here: the command
    says what to send the CA (`ecmactl cert csr`) and exits 10 (or 11/12 if worse).
    """
    from ecmactl.certs import parse_threshold, renew_host_certificate
    from ecmactl.certs.status import DEFAULT_THRESHOLD
    from ecmactl.config.store import load_settings

    threshold = parse_threshold(expires_in) if expires_in else DEFAULT_THRESHOLD
    home = global_options().home
    change = renew_host_certificate(
        home,
        load_settings(home),
        if_due=if_due or expires_in is not None,
        threshold=threshold,
        rekey=rekey,
        key_type=key_type.value if key_type else None,
        days=days,
        extra_sans=san or (),
        dry_run=dry_run,
    )
    _report_change(change, json_output)


@cert_app.command("csr")
def csr_command(
    out: Annotated[
        Path | None, typer.Option("--out", metavar="PATH", help="Write here [default: stdout].")
    ] = None,
    new_key: Annotated[
        Path | None,
        typer.Option(
            "--new-key",
            metavar="PATH",
            help="Make a new key (written 0600 to PATH) instead of using the host's.",
        ),
    ] = None,
    key_type: Annotated[
        KeyTypeChoice, typer.Option("--key-type", help="Type of the --new-key.")
    ] = KeyTypeChoice.rsa2048,
    san: SanFlag = None,
    json_output: JsonFlag = False,
) -> None:
    """Write a certificate signing request for your CA (CN and SAN = the host name)."""
    from ecmactl.atomic import write_atomic
    from ecmactl.certs import make_csr
    from ecmactl.config.store import load_settings

    home = global_options().home
    result = make_csr(
        home,
        load_settings(home),
        new_key_path=new_key,
        key_type=key_type.value,
        extra_sans=san or (),
    )
    if out is not None:
        write_atomic(out, result.csr_pem, mode=0o644)
    if json_output:
        _output.emit_json(
            "cert-csr",
            {
                "path": out,
                "key_path": result.key_path,
                "new_key": result.new_key,
                "sans": list(result.sans),
                "csr": result.csr_pem.decode(),
            },
        )
    elif out is None:
        _output.console().out(result.csr_pem.decode(), end="", highlight=False)
    _output.info(
        f"Certificate request for {', '.join(result.sans)}"
        + (f" written to {out}" if out else "")
        + f" (key: {result.key_path})."
    )
    _output.info(
        "Send it to your CA for a TLS server certificate (serverAuth); then run "
        f"`{command('cert', 'import', 'ISSUED.crt', '--key', str(result.key_path))}`."
    )


def _two_secrets(
    password_file: str | None, passphrase_file: str | None
) -> tuple[str | None, str | None]:
    from ecmactl.errors import UsageError
    from ecmactl.secrets import read_secret_source

    if password_file == "-" and passphrase_file == "-":
        raise UsageError(
            "--password-file and --passphrase-file cannot both read stdin",
            hint="Give one of them a file, or use the environment variables.",
        )
    return (
        read_secret_source(
            password_file, flag="--password-file", env="ECMACTL_CERTIFICATE_PASSWORD"
        ),
        read_secret_source(passphrase_file, flag="--passphrase-file", env="ECMACTL_KEY_PASSPHRASE"),
    )


def _report_change(change: CertificateChange, json_output: bool) -> None:
    if json_output:
        previous = change.previous
        _output.emit_json(
            "cert-change",
            {
                "action": change.action,
                "reason": change.reason,
                "path": change.cert_path,
                "key_path": change.key_path,
                "key_replaced": change.key_replaced,
                "key_encrypted": change.key_encrypted,
                "added_sans": list(change.added_sans),
                "not_after": change.certificate.not_after,  # the (new) expiry, for scripts
                "certificate": change.certificate.to_dict(),
                "previous": None
                if previous is None
                else {"serial": previous.serial, "not_after": previous.not_after},
            },
        )
        return
    from rich.markup import escape

    info, previous = change.certificate, change.previous
    names = ", ".join((*info.dns_names, *info.ip_addresses))
    days = (info.not_after - info.not_before).days
    until = f"{info.not_after:%Y-%m-%d %H:%M} UTC ({days} days)"
    key = f"{change.key_path} (mode 0600{', encrypted' if change.key_encrypted else ''})"
    if change.action == "skipped":
        _output.info(f"Not renewed: {escape(change.reason)}; valid until {until}.")
        return
    if change.action in ("renewed", "would_renew"):
        verb = "Renewed" if change.action == "renewed" else "Would renew"
        old = f"serial {previous.serial} → " if previous else ""
        _output.info(
            f"{verb} ({escape(change.reason)}): {old}serial {info.serial}, valid until {until}."
        )
        if change.key_replaced:
            _output.info(f"New key: {escape(key)}.")
        if change.added_sans:
            _output.info(f"Added to the SAN: {escape(', '.join(change.added_sans))}.")
        if change.action == "renewed":
            _output.info("A running host serves it from its next connection (no restart).")
            _output.info(
                f"Trust the new {escape(str(change.cert_path))} on the provisioning "
                "agent's machine if it trusts this certificate directly."
            )
        return
    what = "a self-signed certificate" if change.action == "created" else "the certificate"
    _output.info(
        f"{change.action.capitalize()} {what} for {escape(names)} "
        f"({info.key_type} {info.key_size})."
    )
    _output.info(f"Certificate: {escape(str(change.cert_path))}")
    _output.info(f"Private key: {escape(key)}")
    _output.info(f"Valid until {until}.")
    if info.self_signed:
        _output.info(
            f"Next: trust {escape(str(change.cert_path))} on the provisioning agent's "
            "machine (Windows: Local Computer > Trusted Root Certification Authorities)."
        )


_STATE_STYLE = {
    "ok": "green",
    "renewal_due": "yellow",
    "expired": "red",
    "not_yet_valid": "red",
    "unusable": "red",
    "key_missing": "red",
    "missing": "red",
}


def _report_status(status: CertificateStatus, json_output: bool) -> None:
    if json_output:
        _output.emit_json("cert-status", status.to_dict())
        return
    from rich.markup import escape

    out = _output.console()
    style = _STATE_STYLE.get(status.state.value, "red")

    def row(label: str, value: str) -> None:
        # soft_wrap: data lines are never broken at the terminal width (greppable, pasteable).
        out.print(f"  {label + ':' if label else '':<12} {value}", highlight=False, soft_wrap=True)

    out.print(f"Certificate  {escape(str(status.cert_path))}", highlight=False, soft_wrap=True)
    row("Status", f"[{style}]{status.state.label}[/{style}]")
    info = status.info
    if info is not None:
        row("Subject", escape(info.subject) + ("   (self-signed)" if info.self_signed else ""))
        row("Issuer", "itself" if info.self_signed else escape(info.issuer))
        row("Serial", info.serial)
        sans = [f"DNS:{d}" for d in info.dns_names] + [f"IP:{i}" for i in info.ip_addresses]
        row("SANs", escape(", ".join(sans)) or "[red]none[/red]")
        if status.hostname is not None:
            mark = (
                "[green]✓ in the SAN[/green]"
                if status.hostname_in_san
                else "[red]✗ not in the SAN[/red]"
            )
            row("Host name", f"{escape(status.hostname)}  {mark}")
        curve = f" ({info.key_curve})" if info.key_curve else ""
        if status.key_matches is True:
            key_note = "[green]✓ matches the certificate[/green]"
        elif status.key_matches is False:
            key_note = "[red]✗ does not match the certificate[/red]"
        else:
            key_note = "private key present" if status.key_present else "no private key"
        row("Key", f"{info.key_type} {info.key_size}{curve}  {key_note}")
        row("Thumbprint", f"SHA-1 {info.sha1_thumbprint}")
        row("Fingerprint", f"SHA-256 {info.sha256_fingerprint}")
        row("Valid from", f"{info.not_before:%Y-%m-%d %H:%M} UTC")
        left = info.not_after - status.checked_at
        when = (
            f"expires in {status.days_remaining} days"
            if left.total_seconds() > 0
            else f"expired {-left.days} days ago"
        )
        row(
            "        to",
            f"{info.not_after:%Y-%m-%d %H:%M} UTC   {when} · "
            f"{status.lifetime_used_percent}% of lifetime used",
        )
        due = status.renewal_due_at
        assert due is not None
        timing = "due since" if status.checked_at >= due else "due after"
        verdict = "due" if status.renewal_due else "not due"
        row(
            "Renewal",
            f"{verdict} (threshold {escape(status.threshold.text)}; {timing} "
            f"{due:%Y-%m-%d %H:%M} UTC)",
        )
        if info.chain_length:
            row("Chain", f"{info.chain_length} more certificate(s) after the leaf")
    for index, problem in enumerate(status.problems):
        row("Problem" if index == 0 else "", f"[red]✗[/red] {escape(problem.message)}")
    for index, step in enumerate(status.next_steps):
        row("Next" if index == 0 else "", escape(step))
