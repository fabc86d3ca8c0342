"""`ecmactl host`: run the SCIM host (foreground, for systemd), show its status, sync now.

Thin commands: the runner is ``ecmactl.host.server``, the status collector ``ecmactl.status``;
both are imported inside the commands so `ecmactl --help` never loads uvicorn or httpx.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from ecmactl.cli import _output
from ecmactl.cli._context import global_options
from ecmactl.cli._options import BindAlias, JsonFlag, either
from ecmactl.cluster.report import cluster_lines
from ecmactl.invocation import command

if TYPE_CHECKING:
    from rich.console import Console

    from ecmactl.home import Home
    from ecmactl.host.server import PreparedHost
    from ecmactl.status import Check, ConnectorReport, StatusReport

STATUS_EXIT_HELP = (
    "Exit codes (LSB, like systemctl status): 0 running and healthy · 1 running but a check "
    "fails (degraded) · 3 not running · 4 unknown (a process is there but cannot be asked) · "
    "30 healthy standby (another host holds the writer lease) · 31 no host holds the writer "
    "lease (active/standby: writes fail everywhere)."
)

host_app = typer.Typer(
    name="host",
    help="The embedded SCIM host: run it, show its status, sync a connector, reload its config.",
    no_args_is_help=True,
    rich_markup_mode=None,  # plain help, like the root app (rich help is slow to load)
)


def register(app: typer.Typer) -> None:
    app.add_typer(host_app, name="host")


class LogFormat(StrEnum):
    text = "text"
    json = "json"


class LogLevel(StrEnum):
    debug = "debug"
    info = "info"
    warning = "warning"
    error = "error"


@host_app.command("run")
def run_command(
    port: Annotated[
        int | None,
        typer.Option(
            "--port",
            "-p",
            metavar="N",
            min=0,
            max=65535,
            help="Port [default: from settings, 8585].",
            show_default=False,
        ),
    ] = None,
    bind: Annotated[
        str | None,
        typer.Option(
            "--bind-address",
            metavar="ADDRESS",
            help="Listen address: 127.0.0.1 (this machine), 0.0.0.0 (every interface) or one "
            "address [default: from settings].",
            show_default=False,
        ),
    ] = None,
    connector: Annotated[
        list[str] | None,
        typer.Option(
            "--connector",
            "-c",
            metavar="NAME",
            help="Serve only this connector (repeatable) [default: all].",
            show_default=False,
        ),
    ] = None,
    log_format: Annotated[
        LogFormat, typer.Option("--log-format", help="One line per event, as text or JSON.")
    ] = LogFormat.text,
    log_file: Annotated[
        str | None,
        typer.Option(
            "--log-file",
            metavar="PATH",
            help="Append the log here [default: stderr].",
            show_default=False,
        ),
    ] = None,
    log_level: Annotated[
        LogLevel | None,
        typer.Option(
            "--log-level", help="Log detail [default: from settings, info].", show_default=False
        ),
    ] = None,
    no_retry: Annotated[
        bool,
        typer.Option(
            "--no-retry",
            help="Exit 1 if a connector's first import fails, instead of retrying with back-off.",
        ),
    ] = False,
    graceful_timeout: Annotated[
        int,
        typer.Option(
            "--graceful-timeout",
            metavar="SECONDS",
            min=0,
            help="At SIGTERM/SIGINT, how long in-flight requests may take to finish.",
        ),
    ] = 30,
    standby: Annotated[
        bool,
        typer.Option(
            "--standby",
            help="Active/standby on PostgreSQL/MariaDB: switch the writer lease on for each "
            "connector; serve reads, answer writes 503 until this host holds the lease.",
        ),
    ] = False,
    lease_ttl: Annotated[
        float,
        typer.Option(
            "--lease-ttl",
            metavar="SECONDS",
            min=1.0,
            max=300.0,
            help="Writer lease lifetime: a standby takes over this long (plus a fifth) after "
            "the active host stops renewing it.",
        ),
    ] = 10.0,
    bind_alias: BindAlias = None,
) -> None:
    """Serve every connector over HTTPS, in the foreground (for systemd).

    Each connector is at https://<host>:<port>/ecma2host_<connector>/scim. Runs until
    SIGTERM or Ctrl-C (graceful: in-flight requests finish). TLS
    1.2+ with the home's certificate; a renewed certificate is served without a restart. A
    database that is down at start is retried with back-off (unless --no-retry).

    Before serving, every connector's secret token must be readable and every column it uses
    must exist in its table (a database that is down is retried instead). SIGHUP re-reads
    the config, like `ecmactl host reload`.

    Exit codes: 0 stopped by SIGTERM/SIGINT · 1 cannot serve (port in use, permission denied,
    a config file invalid, a token that cannot be read, a column missing, first import
    failed with --no-retry, another host running from this home) · 2 bad flag (e.g.
    --bind-address not an address of this machine, an unknown --connector) · 12 certificate
    unusable · 13 certificate missing.
    """
    from ecmactl.connector_names import check_known
    from ecmactl.host import server
    from ecmactl.invocation import serving

    if not math.isfinite(lease_ttl):  # click's FloatRange lets "nan" through
        raise typer.BadParameter(
            f"{lease_ttl} is not in the range 1<=x<=300.", param_hint="'--lease-ttl'"
        )
    home = global_options().home
    options = server.RunOptions(
        port=port,
        bind=either(bind, bind_alias),
        connectors=check_known(home, connector or ()),
        no_retry=no_retry,
        graceful_timeout=graceful_timeout,
        standby=standby,
        lease_ttl=lease_ttl,
    )
    prepared = server.prepare(home, options)
    try:
        _configure_logging(
            (log_level.value if log_level else prepared.settings.log_level),
            log_format.value,
            server.log_file_path(log_file),
        )
        _banner(prepared)
    except BaseException:
        prepared.close()
        raise
    with serving():  # the command line is done: a later reload refusal is not about it
        code = server.serve(prepared)
    raise typer.Exit(int(code))


def _configure_logging(level: str, fmt: str, file: Path | None) -> None:
    """The core's log setup for the ``ecmactl`` loggers; uvicorn's share the same handler, so
    its rare lines (a forced shutdown) come out in the same format and place."""
    import logging

    from ecmactl.errors import UsageError
    from ecmactl.host import configure_logging

    try:
        handler = configure_logging(level, "json" if fmt == "json" else "text", file)
    except OSError as exc:
        raise UsageError(
            f"--log-file: cannot write {file}: {exc.strerror or exc}",
            hint="Choose a writable path, or leave --log-file out to log to stderr.",
        ) from None
    uvicorn_log = logging.getLogger("uvicorn")
    uvicorn_log.handlers = [handler]
    uvicorn_log.propagate = False


def _say(line: str, style: str | None = None) -> None:
    """One message line on stderr, never wrapped (URLs stay copyable); silenced by --quiet."""
    if _output.quiet():
        return
    from rich.markup import escape

    text = escape(line) if style is None else f"[{style}]{escape(line)}[/{style}]"
    _output.console(stderr=True).print(text, soft_wrap=True, highlight=False)


def _banner(prepared: PreparedHost) -> None:
    import os

    from ecmactl import __version__
    from ecmactl.host.metrics_server import MetricsSocket

    served = prepared.tls.served
    count = len(prepared.connectors)
    _say(
        f"ecmactl {__version__} host (PID {os.getpid()}): {count} connector"
        f"{'s' if count != 1 else ''} on {prepared.listen_url}, TLS 1.2+, certificate valid "
        f"until {served.not_after:%Y-%m-%d}"
    )
    width = max(len(c.name) for c in prepared.connectors)
    for connector in prepared.connectors:
        _say(
            f"  {connector.name:<{width}}  Tenant URL {prepared.tenant_url(connector.name)}  "
            f"(Secret Token: {command('token', 'show', '--reveal', connector=connector.name)})"
        )
    if isinstance(prepared.metrics, MetricsSocket):
        _say(f"  Prometheus metrics at {prepared.metrics.url}")
    for warning in prepared.warnings:
        _say(f"! {warning}", "yellow")
    _say(f"Stop with Ctrl-C or SIGTERM; `{command('host', 'status')}` shows how it is doing.")


@host_app.command(
    "status",
    short_help="Show the running host and its connectors (exit 0/1/3/4/30/31).",
    help=f"Show the running host and its connectors. {STATUS_EXIT_HELP}",
)
def status_command(json_output: JsonFlag = False) -> None:
    show_status("host", json_output)


def show_status(kind: Literal["host", "agent"], json_output: bool) -> None:
    """`host status` and `agent status`: one collector, two emphases, the same exit codes."""
    from ecmactl.status import collect_status

    report = collect_status(global_options().home, kind=kind)
    if json_output:
        _output.emit_json(f"{kind}-status", report.to_dict())
    elif _output.quiet():  # the exit code is the answer; say only what fails, and the fix
        render_failing(report.failing, _output.console(stderr=True))
    else:
        render_status(report, _output.console())
    raise typer.Exit(int(report.exit_code))


@host_app.command("sync")
def sync_command(
    connector: Annotated[
        str | None,
        typer.Option(
            "--connector",
            "-c",
            metavar="NAME",
            help="Only this connector [default: all].",
            show_default=False,
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option("--timeout", metavar="SECONDS", min=1, help="How long to wait for it."),
    ] = 600.0,
    json_output: JsonFlag = False,
) -> None:
    """Run a full import now on the running host, and wait for it.

    What the autosync timer does, now: rows changed in the database by others appear.

    Shows the import's progress on stderr: a bar on a terminal, a line every 10 s otherwise
    (none with --json or --quiet).

    Exit codes: 0 synced · 1 a sync failed or the host refused · 3 no host is running.
    """
    from ecmactl.cli._progress import import_progress
    from ecmactl.connector_names import check_known
    from ecmactl.host.runfile import connector_statuses
    from ecmactl.status import ImportRun, request_sync

    home = global_options().home
    if connector is not None:
        check_known(home, [connector])
    with import_progress(not json_output and not _output.quiet()) as on_progress:
        document = request_sync(home, connector, timeout=timeout, on_progress=on_progress)
    runs = [
        (str(entry.get("name") or connector or "?"), ImportRun.from_dict(entry))
        for entry in connector_statuses(document)
    ]
    failed = [name for name, run in runs if run is None or not run.succeeded]
    if json_output:
        _output.emit_json("host-sync", {"ok": not failed, "result": document})
    else:
        out = _output.console()
        for name, run in runs:
            if _output.quiet() and run is not None and run.succeeded:
                continue  # -q: only what failed
            out.print(_sync_line(name, run), soft_wrap=True, highlight=False)
        if not runs and not _output.quiet():
            out.print("Sync requested.", highlight=False)
    raise typer.Exit(1 if failed else 0)


@host_app.command("reload")
def reload_command(json_output: JsonFlag = False) -> None:
    """Make the running host re-read the home's config, without a restart.

    The host validates the settings and every connector as a start would (fields, tokens,
    columns against the live tables). Valid: changed connectors are swapped in (a new
    database, table or mapping is imported again; autosync applies at once) and open
    connections stay. Invalid: nothing changes, the old config keeps serving, and the reason
    is printed, logged and shown by `host status`. Port, bind address, host name,
    certificate paths and log level need a restart. SIGHUP (`systemctl reload ecmactl-host`)
    does the same.

    Exit codes: 0 reloaded · 1 refused (the old config keeps serving) · 3 no host is running.
    """
    from ecmactl.status import request_reload

    result = request_reload(global_options().home)
    if json_output:
        _output.emit_json("host-reload", {"ok": result.get("result") == "ok", "result": result})
    else:
        print_reload(result, stderr=False)
    raise typer.Exit(0 if result.get("result") == "ok" else 1)


def reload_after_change(home: Home) -> dict[str, Any] | None:
    """After `configure` saved a change: the running host's reload result, None when no host
    runs from this home. A host that cannot be asked is a refusal that says what to run."""
    from ecmactl.errors import EcmactlError
    from ecmactl.invocation import command
    from ecmactl.status import host_running, request_reload

    if not host_running(home):
        return None
    try:
        return request_reload(home)
    except EcmactlError as exc:
        return {
            "result": "error",
            "error": f"the change is saved, but the running host was not reloaded: {exc.message}",
            "hint": f"Reload it with `{command('host', 'reload')}`, or restart it.",
        }


def print_reload(result: dict[str, Any], *, stderr: bool) -> None:
    """A reload's outcome in a few lines (shared with `configure`, which triggers one)."""
    from rich.markup import escape

    out = _output.console(stderr=stderr)

    def say(text: str) -> None:
        out.print(text, soft_wrap=True, highlight=False)

    if result.get("result") == "error":  # the host could not be asked
        say(f"[yellow]![/yellow] {escape(str(result.get('error')))}")
    elif result.get("result") != "ok":
        say(f"[red]✗[/red] Reload refused: {escape(str(result.get('error')))}")
        say("  The running host keeps serving the config it had.")
    if result.get("result") != "ok":
        if result.get("hint"):
            say(f"  Fix: {escape(str(result['hint']))}")
        return
    say(f"[green]✓[/green] Reloaded: {escape(_reload_changes(result))}")
    restart = result.get("restart_needed") or []
    if restart:
        say(
            f"[yellow]![/yellow] Restart the host to apply: {escape(', '.join(restart))} "
            "(`systemctl restart ecmactl-host`, or stop and start `host run`)"
        )


def _sync_line(name: str, run: Any) -> str:
    from rich.markup import escape

    if run is None:
        return f"[red]✗[/red] {escape(name)}: no result"
    facts = [f"{run.rows:,} rows" if run.rows is not None else None, _seconds(run.duration_s)]
    said = ", ".join(f for f in facts if f)
    if run.succeeded:
        return f"[green]✓[/green] {escape(name)}: synced" + (f" ({said})" if said else "")
    return f"[red]✗[/red] {escape(name)}: {escape(run.error or run.result or 'failed')}"


# -- rendering shared with `agent status` ---------------------------------------------------------

_HEAD = {
    "running": ("[green]●[/green]", "[green]active (running)[/green]"),
    "degraded": ("[yellow]●[/yellow]", "[yellow]active (degraded)[/yellow]"),
    "not_running": ("○", "inactive (dead)"),
    "unknown": ("[red]●[/red]", "[red]unknown[/red]"),
}
_CHECK_LABELS = {
    "process": "Process",
    "status_channel": "Status",
    "endpoint": "Endpoint",
    "certificate": "Certificate",
    "settings": "Settings",
}
_CONNECTOR_DOT = {"ready": "[green]●[/green]", "importing": "[yellow]●[/yellow]"}


def render_status(report: StatusReport, out: Console) -> None:
    """`systemctl status` style: a headline, aligned key: value lines, then one remediation
    line per failing check."""
    from rich.markup import escape

    dot, active = _HEAD[report.state]
    title = "provisioning path" if report.kind == "agent" else "embedded SCIM host"
    out.print(
        f"{dot} ecmactl {report.kind} - {title} of {escape(str(report.home))}",
        soft_wrap=True,
        highlight=False,
    )

    def row(label: str, value: str, indent: int = 0) -> None:
        out.print(f"{'':<{indent}}{label:>12}: {value}", soft_wrap=True, highlight=False)

    run = report.run
    if report.state == "not_running":
        stale = f" · stale run file from PID {run.pid} (started {run.started_at})" if run else ""
        row("Active", f"{active}{escape(stale)}")
    elif run is not None:
        row("Active", f"{active} since {escape(run.started_at)}{_ago(report.uptime_s)}")
        row("Main PID", f"{run.pid} (ecmactl {escape(run.version)})")
        row("Listen", escape(f"{run.local_url} (bound to {run.bind}) · host name {run.hostname}"))
    else:
        row("Active", active)
    if report.health is not None:
        row("Endpoint", escape(_probe_text(report.health)))
    if report.reload is not None:
        row("Reload", escape(_reload_text(report.reload)))
    for line in cluster_lines(report.cluster):
        row("Cluster", escape(line))
    if report.metrics is not None:
        why = report.metrics.get("unavailable")
        where = report.metrics["url"]
        row("Metrics", escape(f"unavailable ({where}): {why}" if why else where))
    if report.certificate is not None:
        check = _check(report, "certificate")
        row(
            "Certificate",
            _mark(check) + escape(check.detail if check else report.certificate.state),
        )
    for connector in report.connectors:
        out.print("", highlight=False)
        _render_connector(report, connector, out)
    failing = report.failing
    out.print("", highlight=False)
    if not failing:
        out.print(f"[green]✓[/green] All {len(report.checks)} checks pass.", highlight=False)
        return
    render_failing(failing, out)


def render_failing(failing: list[Check], out: Console) -> None:
    """One line per failing check, and the line that fixes it."""
    from rich.markup import escape

    for check in failing:
        label = _CHECK_LABELS.get(check.name)
        text = f"{label}: {check.detail}" if label else check.detail
        out.print(f"[red]✗[/red] {escape(text)}", soft_wrap=True, highlight=False)
        if check.fix:
            out.print(f"  To fix, run: {escape(check.fix)}", soft_wrap=True, highlight=False)
        elif check.advice:
            out.print(f"  To fix: {escape(check.advice)}", soft_wrap=True, highlight=False)


_NO_TENANT_URL = "[red]unknown[/red] - no usable host settings (see Settings below)"


def _render_connector(report: StatusReport, c: ConnectorReport, out: Console) -> None:
    from rich.markup import escape

    dot = _CONNECTOR_DOT.get(c.state or "", "[red]●[/red]" if c.state else "○")
    state = c.state or ("not served" if report.state in ("running", "degraded") else "stopped")
    out.print(f"{dot} {escape(c.name)} - {escape(state)}", soft_wrap=True, highlight=False)

    def row(label: str, value: str) -> None:
        out.print(f"{label:>14}: {value}", soft_wrap=True, highlight=False)

    row("Tenant URL", escape(c.tenant_url) if c.tenant_url else _NO_TENANT_URL)
    if report.kind == "agent":
        if c.token_store:
            row("Token", escape(f"from the {c.token_store} store ({c.token_ref})"))
        elif c.token_error:
            row("Token", f"[red]{escape(c.token_error)}[/red]")
        if c.probe is not None:
            row("Probe", escape(_probe_text(c.probe, "GET ServiceProviderConfig")))
    if report.state in ("not_running", "unknown"):
        if c.autosync_minutes:
            row("Autosync", f"every {c.autosync_minutes} min")
        return
    if c.cache_size is not None:
        row("Cache", f"{c.cache_size:,} users")
    running = c.import_progress
    if c.state == "importing" and running is not None:
        row("Importing", running.describe())
    row("Autosync", escape(_autosync_text(c)))
    if c.requests is not None:
        errors = f" ({c.errors:,} server errors)" if c.errors is not None else ""
        row("Requests", f"{c.requests:,}{errors}")
    if c.auth_error:
        row("Token", f"[red]{escape(c.auth_error)}[/red]")
    if c.database_reachable is not None:
        row("Database", "reachable" if c.database_reachable else "[red]unreachable[/red]")
    if c.last_error:
        row("Last error", escape(c.last_error))


def _reload_text(reload: Mapping[str, Any]) -> str:
    when = _clock(reload.get("at"))
    if reload.get("result") != "ok":
        return f"{when}: refused ({reload.get('error')})"
    return f"{when}: ok ({_reload_changes(reload)})"


def _reload_changes(result: Mapping[str, Any]) -> str:
    """What a reload changed, e.g. ``reimported SQL; added HR`` (both for `host reload` and
    for the Reload line of `host status`)."""
    changes = result.get("changes") or {}
    said = "; ".join(f"{kind} {', '.join(names)}" for kind, names in changes.items() if names)
    return said or "no connector changed"


def _autosync_text(c: ConnectorReport) -> str:
    parts = [f"every {c.autosync_minutes} min" if c.autosync_minutes else "autosync"]
    last = c.last_import
    if last is not None:
        facts = [
            last.result or "?",
            _seconds(last.duration_s),
            f"{last.rows:,} rows" if last.rows is not None else None,
        ]
        when = _clock(last.finished or last.started)
        parts.append(f"last {when} ({', '.join(f for f in facts if f)})")
        if last.error and not last.succeeded:
            parts.append(f"error: {last.error}")
    if c.next_sync_at:
        parts.append(f"next {_clock(c.next_sync_at)}")
    return " · ".join(parts)


def _probe_text(probe: Any, label: str | None = None) -> str:
    what = label or f"GET {probe.path}"
    if probe.status is None:
        return f"{what} → {probe.error or 'no answer'}"
    return f"{what} → {probe.status} in {probe.latency_ms:.0f} ms"


def _check(report: StatusReport, name: str) -> Check | None:
    return next((c for c in report.checks if c.name == name), None)


def _mark(check: Check | None) -> str:
    if check is None:
        return ""
    return "" if check.ok else "[red]✗[/red] "


def _seconds(value: float | None) -> str | None:
    if value is None:
        return None
    return f"{value:.1f} s" if value < 100 else f"{value / 60:.1f} min"


def _clock(value: str | None) -> str:
    """An ISO timestamp as 'YYYY-MM-DD HH:MM:SS UTC' (as given when it is not one)."""
    if not value:
        return "?"
    from datetime import UTC

    from ecmactl.tokens import parse_utc

    moment = parse_utc(value)
    return value if moment is None else f"{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


def _ago(seconds: float | None) -> str:
    if seconds is None:
        return ""
    total = int(seconds)
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        text = f"{days}d {hours}h"
    elif hours:
        text = f"{hours}h {minutes}min"
    elif minutes:
        text = f"{minutes}min {secs}s"
    else:
        text = f"{secs}s"
    return f"; {text} ago"
