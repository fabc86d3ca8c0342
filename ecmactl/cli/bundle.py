"""`ecmactl bundle emit|verify|inspect|apply`: move a home's configuration between hosts.

A bundle (.tar.gz) carries host settings, connectors, answers files and the certificate, with a
checksummed manifest; the private key only with --include-private-key; secret values never.
FILE may be ``-`` (stdout for emit, stdin for the others), so `emit -o - | ssh … apply -` works.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from ecmactl.config.bundle import ApplyResult, BundleReport

bundle_app = typer.Typer(
    help="Emit, verify, inspect and apply portable config bundles (secrets never included).",
    no_args_is_help=True,
)

FileArg = Annotated[
    Path, typer.Argument(metavar="FILE", help="The bundle (.tar.gz); - reads stdin.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]

# A bundle has two digests; every command names them the same way (and JSON uses the same keys).
DIGESTS = (
    ("archive_sha256", "Archive sha256", "of the .tar.gz file"),
    ("content_sha256", "Content sha256", "of the members, stable across re-packing"),
)


@bundle_app.command("emit")
def emit(
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="FILE", help="Where to write; - for stdout."),
    ],
    include_private_key: Annotated[
        bool,
        typer.Option(
            "--include-private-key",
            help="Also pack the TLS private key (the bundle becomes sensitive; mode 0600).",
        ),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing FILE.")] = False,
    json_output: JsonOpt = False,
) -> None:
    """Write the home's configuration to a bundle file.

    The bundle holds settings, connectors, answers files and the certificate. Secrets stay
    behind (configs hold keyring:/file:/env: references); emit refuses if any secret value of
    this home appears in a bundled file. Set SOURCE_DATE_EPOCH for
    byte-identical bundles of an unchanged home.

    Exit codes: 0 written, 1 error (invalid home, secret found), 2 FILE exists (use --force).
    """
    from ecmactl.cli import _output
    from ecmactl.cli._context import global_options
    from ecmactl.config.bundle import emit_bundle, write_bundle
    from ecmactl.errors import UsageError

    to_stdout = str(output) == "-"
    if to_stdout and json_output:
        raise UsageError("--json and -o - both need stdout", hint="Write the bundle to a file.")
    if to_stdout and sys.stdout.isatty():
        raise UsageError(
            "refusing to write a binary bundle to a terminal",
            hint="Redirect stdout (-o - > FILE), or give -o FILE.",
        )
    bundle = emit_bundle(global_options().home, include_private_key=include_private_key)
    if to_stdout:
        sys.stdout.buffer.write(bundle.data)
        sys.stdout.flush()
    else:
        write_bundle(bundle, output, force=force)
    if include_private_key:
        _warn(
            "[bold]This bundle contains the TLS private key.[/bold] Anyone holding it can "
            "impersonate this host: move it only over a secure channel and delete it after use"
            + (" (written with mode 0600)." if not to_stdout else ".")
        )
    for note in bundle.notes:
        _warn(_esc(note))
    files = bundle.manifest.files
    if json_output:
        _output.emit_json(
            "bundle-emit",
            {
                "path": str(output),
                "size": len(bundle.data),
                "sha256": bundle.sha256,  # v1's name for archive_sha256, kept for scripts
                **_digests(bundle.sha256, bundle.manifest.content_sha256),
                "manifest": bundle.manifest.to_json(),
                "notes": bundle.notes,
            },
        )
        return
    _info(
        f"[green]✓[/green] Wrote {_esc(_label(output, 'stdout'))}: {len(files)} files, "
        f"{len(bundle.data):,} bytes"
    )
    for label, value in _digest_lines(bundle.sha256, bundle.manifest.content_sha256):
        _info(f"  {label}: {value}")
    for f in files:
        _info(f"  {f.role:<12} {_esc(f.path)}")
    _info("Secrets are not in the bundle; `ecmactl bundle apply` lists which ones to supply.")


@bundle_app.command("verify")
def verify(file: FileArg, json_output: JsonOpt = False) -> None:
    """Check a bundle; exit 1 naming every problem.

    Checks sizes and sha256 against the manifest, refuses extra, missing, linked or unsafe
    (absolute, ..) entries and newer schema versions, validates every config file, and looks
    for secret values and undeclared key material.

    Exit codes: 0 good, 1 any problem (each one is named), 2 FILE does not exist.
    """
    from ecmactl.cli import _output
    from ecmactl.config.bundle import BundleInvalidError, verify_bundle

    report = verify_bundle(_read(file), _label(file))
    if json_output:
        _output.emit_json("bundle-verify", {"source": report.source, **_verdict(report)})
    elif report.ok:
        assert report.manifest is not None
        m = report.manifest
        key = "private key included" if m.private_key_included else "no private key"
        sys.stdout.write(
            f"OK {report.source}: {len(m.files)} files match their sha256; ecmactl "
            f"{m.ecmactl_version}, config schema {m.schema_version}, {key}\n"
        )
    else:
        for p in report.problems:
            sys.stdout.write(f"✗ {p.describe()}  [{p.code}]\n")
    if not report.ok:
        raise BundleInvalidError(report.source, report.problems)


@bundle_app.command("inspect")
def inspect(file: FileArg, json_output: JsonOpt = False) -> None:
    """Show a bundle: manifest, host, Tenant URLs, certificate, secrets.

    Inspect shows even a damaged bundle (with its problems); judge one with `bundle verify`.
    Exit codes: 0 shown, 1 no readable manifest, 2 FILE does not exist.
    """
    from ecmactl.cli import _output
    from ecmactl.config.bundle import BundleInvalidError, verify_bundle

    report = verify_bundle(_read(file), _label(file))
    if report.manifest is None:
        raise BundleInvalidError(report.source, report.problems)
    if json_output:
        _output.emit_json("bundle-inspect", _inspect_json(report))
    else:
        _render_inspect(report)
    for p in report.problems:
        _warn(_esc(f"{p.describe()} [{p.code}]"))


@bundle_app.command("apply")
def apply(
    file: FileArg,
    force: Annotated[
        bool, typer.Option("--force", help="Replace files of the home that differ.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be written; write nothing.")
    ] = False,
    json_output: JsonOpt = False,
) -> None:
    """Install a bundle into the home, all or nothing.

    The bundle is verified first; nothing is written if it fails, and a failed write rolls
    back. Files that exist with other content are replaced only with --force.

    The home's secrets/ and data/ are never touched; connectors not in the bundle are kept.
    Afterwards it lists the secrets the new home still needs and the command that sets each.

    A host running from this home reloads the new config at once, as after `configure`.

    Exit codes: 0 applied (or dry run), 1 bundle fails verification or a write failed
    (everything is rolled back), or applied but the running host refused to reload it (it
    keeps serving the config it had), 2 files differ (use --force) or FILE does not exist.
    """
    from ecmactl.cli import _output
    from ecmactl.cli._context import global_options
    from ecmactl.config.bundle import BundleInvalidError, apply_bundle

    home = global_options().home
    try:
        result = apply_bundle(_read(file), _label(file), home, force=force, dry_run=dry_run)
    except BundleInvalidError as exc:
        for p in exc.problems:
            _output.console(stderr=True).print(f"  ✗ {p.describe()} [{p.code}]", markup=False)
        raise
    from ecmactl.cli.host import print_reload, reload_after_change

    # A host running from this home applies the new config now (or says why it cannot).
    changed = any(c.action != "unchanged" for c in result.changes)
    reload = reload_after_change(home) if changed and not dry_run else None
    if json_output:
        _output.emit_json("bundle-apply", {**_apply_json(result), "reload": reload})
    else:
        _render_apply(result)
        if reload is not None:
            print_reload(reload, stderr=True)
    if reload is not None and reload.get("result") != "ok":
        raise typer.Exit(1)  # applied, but the running host refused it: it serves the old one


# --- helpers ----------------------------------------------------------------------------------


def _info(message: str) -> None:
    """Like _output.info, but long paths and URLs stay on one line (greppable logs)."""
    from ecmactl.cli import _output

    if not _output.quiet():
        _output.console(stderr=True).print(message, soft_wrap=True)


def _warn(message: str) -> None:
    from ecmactl.cli import _output

    _output.console(stderr=True).print(f"[yellow]![/yellow] {message}", soft_wrap=True)


def _print(renderable: Any) -> None:
    """Tables at their natural width when piped, instead of cropped to 80 columns."""
    from ecmactl.cli import _output

    out = _output.console()
    if not out.is_terminal:
        from rich.console import Console

        out = Console(file=out.file, width=10_000, no_color=True, highlight=False)
    out.print(renderable, markup=False)


def _read(file: Path) -> bytes:
    from ecmactl.config.bundle import read_bundle_file

    return sys.stdin.buffer.read() if str(file) == "-" else read_bundle_file(file)


def _label(file: Path, dash: str = "stdin") -> str:
    return dash if str(file) == "-" else str(file)


def _esc(text: str) -> str:
    """Bundle contents are untrusted: never let them act as Rich markup."""
    from rich.markup import escape

    return escape(text)


def _verdict(report: BundleReport) -> dict[str, Any]:
    return {
        "ok": report.ok,
        "problems": [
            {"code": p.code, "path": p.path, "message": p.message} for p in report.problems
        ],
    }


def _inspect_json(report: BundleReport) -> dict[str, Any]:
    from ecmactl.config.bundle import certificate_summary, redact_url, secret_refs

    assert report.manifest is not None
    s, cert = report.settings, certificate_summary(report)
    return {
        "source": report.source,
        **_verdict(report),
        **_digests(report.archive_sha256, report.manifest.content_sha256),
        "manifest": report.manifest.to_json(),
        "host": None
        if s is None
        else {"hostname": s.hostname, "port": s.port, "bind_address": s.bind_address},
        "certificate": None
        if cert is None
        else {
            "path": cert.path,
            "subject": cert.subject,
            "sans": list(cert.sans),
            "not_before": cert.not_before,
            "not_after": cert.not_after,
            "expired": cert.expired,
        },
        "connectors": [
            {
                "name": c.name,
                "tenant_url": _tenant_url(report, c.name),
                "table": c.schema.table,
                "anchor": c.schema.anchor,
                "database_url": redact_url(c.connectivity.database_url),
            }
            for c in report.connectors
        ],
        "secrets": [
            {"connector": c, "what": what, "ref": ref}
            for c, what, ref in secret_refs(report.settings, report.connectors)
        ],
    }


def _digests(archive: str, content: str) -> dict[str, str]:
    return dict(zip((key for key, _, _ in DIGESTS), (archive, content), strict=True))


def _digest_lines(archive: str, content: str) -> list[tuple[str, str]]:
    """(label, "digest  (what it covers)") for the human output of emit and inspect."""
    return [
        (label, f"{value}  ({what})")
        for (_, label, what), value in zip(DIGESTS, (archive, content), strict=True)
    ]


def _tenant_url(report: BundleReport, name: str) -> str | None:
    from ecmactl.config.models import tenant_url

    s = report.settings
    return tenant_url(s.hostname, s.port, name) if s else None


def _render_inspect(report: BundleReport) -> None:
    from rich.table import Table

    data = _inspect_json(report)
    m = report.manifest
    assert m is not None
    facts = Table.grid(padding=(0, 2))
    facts.add_row("Bundle", report.source)
    facts.add_row(
        "Format",
        f"{m.format} {m.format_version} · ecmactl {m.ecmactl_version} · "
        f"config schema {m.schema_version}",
    )
    facts.add_row("Created", f"{m.created_at} from {m.source_home}")
    for label, value in _digest_lines(report.archive_sha256, m.content_sha256):
        facts.add_row(label, value)
    facts.add_row(
        "Private key", "INCLUDED (sensitive)" if m.private_key_included else "not included"
    )
    if host := data["host"]:
        facts.add_row("Host", f"{host['hostname']}:{host['port']} (bind {host['bind_address']})")
    if cert := data["certificate"]:
        state = "EXPIRED" if cert["expired"] else "valid"
        facts.add_row(
            "Certificate",
            f"{cert['subject']} · SAN {', '.join(cert['sans']) or 'none'} · {state} until "
            f"{cert['not_after']:%Y-%m-%d %H:%M} UTC",
        )
    _print(facts)
    _table(
        "Connectors",
        ("Name", "Tenant URL", "Table", "Anchor", "Database"),
        [
            (c["name"], c["tenant_url"] or "", c["table"], c["anchor"], c["database_url"])
            for c in data["connectors"]
        ],
    )
    _table(
        "Secrets (not in the bundle: supply them on the target host)",
        ("Connector", "Secret", "Reference"),
        [(s["connector"] or "(host)", s["what"], s["ref"]) for s in data["secrets"]],
    )
    _table(
        "Files",
        ("Path", "Role", "Bytes", "sha256"),
        [(f.path, f.role, f"{f.size:,}", f.sha256[:16] + "…") for f in m.files],
    )


def _table(title: str, headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    from rich import box
    from rich.table import Table

    if not rows:
        return
    table = Table(*headers, title=title, title_justify="left", box=box.SIMPLE_HEAD)
    for row in rows:
        table.add_row(*row)
    _print(table)


def _apply_json(result: ApplyResult) -> dict[str, Any]:
    return {
        "home": result.home,
        "source": result.source,
        "dry_run": result.dry_run,
        "content_sha256": result.manifest.content_sha256,
        "changes": [
            {"path": c.path, "role": c.role, "action": c.action, "target": c.target}
            for c in result.changes
        ],
        "secrets": [
            {
                "connector": n.connector,
                "what": n.what,
                "ref": n.ref,
                "available": n.available,
                "required": n.required,
                "fix": n.fix,
            }
            for n in result.secrets
        ],
        "notes": result.notes,
        "key_needed": None
        if result.key_needed is None
        else {
            "certificate": result.key_needed.certificate,
            "key": result.key_needed.key,
            "fix": result.key_needed.fix,
        },
    }


def _render_apply(result: ApplyResult) -> None:

    counts = {a: sum(c.action == a for c in result.changes) for a in ("create", "update")}
    verb = "Would apply" if result.dry_run else "[green]✓[/green] Applied"
    _info(
        f"{verb} {_esc(result.source)} to {_esc(str(result.home))}: {counts['create']} created, "
        f"{counts['update']} replaced, "
        f"{len(result.changes) - sum(counts.values())} unchanged"
        + (" (dry run: nothing written)" if result.dry_run else "")
    )
    for c in result.changes:
        _info(f"  {c.action:<9} {_esc(c.path)}")
    missing = [n for n in result.secrets if not n.available]
    if missing:
        _warn("Secrets this home still needs (bundles never carry them):")
        for n in missing:
            who = f"connector {n.connector}" if n.connector else "host"
            _info(_esc(f"  {who}, {n.what} ({n.ref}): {n.fix}"))
    for note in result.notes:
        _warn(_esc(note))
    if result.key_needed is not None:  # last: the host cannot start until this is done
        need = result.key_needed
        _warn(_esc(f"The certificate {need.certificate} needs its private key: {need.fix}"))


def register(app: typer.Typer) -> None:
    app.add_typer(bundle_app, name="bundle")
