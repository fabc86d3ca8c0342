"""`ecmactl agent`: the local side of the Entra provisioning path.

`status` checks what the provisioning agent depends on (the host process, its endpoint, each
connector's token and probe, the certificate); `test-connection` does what the Entra admin
center's "Test Connection" button does and explains a failure the way Microsoft's
troubleshooting guide would; `failover` moves the writer lease of an active/standby cluster.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ecmactl.cli import _output
from ecmactl.cli._context import global_options
from ecmactl.cli._options import JsonFlag, TokenFileAlias, either
from ecmactl.cli.host import STATUS_EXIT_HELP, show_status
from ecmactl.invocation import command

if TYPE_CHECKING:
    from rich.console import Console

    from ecmactl.connection_test import ConnectionTestResult

agent_app = typer.Typer(
    name="agent",
    help="The provisioning path from Entra to this host: status, test-connection, failover.",
    no_args_is_help=True,
    rich_markup_mode=None,  # plain help, like the root app (rich help is slow to load)
)


def register(app: typer.Typer) -> None:
    app.add_typer(agent_app, name="agent")


@agent_app.command(
    "status",
    short_help="Check the provisioning path (exit 0/1/3/4/30/31).",
    help="Check the provisioning path: the host process, its endpoint (latency), each "
    "connector's token source and authenticated probe, cache and autosync, the certificate "
    f"(days left, SAN). {STATUS_EXIT_HELP}",
)
def status_command(json_output: JsonFlag = False) -> None:
    show_status("agent", json_output)


@agent_app.command("test-connection")
def test_connection_command(
    connector: Annotated[
        str | None,
        typer.Option(
            "--connector",
            "-c",
            metavar="NAME",
            help="The connector to test [default: every connector; with --url, the one it names]."
            " Must be one of this home's.",
            show_default=False,
        ),
    ] = None,
    url: Annotated[
        str | None,
        typer.Option(
            "--url",
            metavar="URL",
            help="Test this Tenant URL instead of https://<hostname>:<port>/ecma2host_<name>/scim.",
            show_default=False,
        ),
    ] = None,
    token_file: Annotated[
        str | None,
        typer.Option(
            "--secret-token-file",
            metavar="PATH",
            help="Test this token (e.g. what was pasted into Entra) instead of the connector's; "
            "'-' reads stdin.",
            show_default=False,
        ),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", metavar="SECONDS", min=0.1, help="Per step.")
    ] = 10.0,
    json_output: JsonFlag = False,
    token_file_alias: TokenFileAlias = None,
) -> None:
    """Do what Entra's "Test Connection" does; explain failures.

    The Tenant URL, TLS with the host name checked, the secret token, and
    GET /Users?filter=<matching attribute> eq "<random GUID>", which must answer 200 with an
    empty ListResponse.

    Each failure is explained in one sentence with its fix: certificate name mismatch, expired
    certificate, wrong token, wrong connector name in the URL, host not running, still
    importing. Exit codes: 0 the test passes (for every connector tested) · 1 it fails.
    """
    from ecmactl.config.store import load_connector, load_settings
    from ecmactl.connection_test import choose_connector, run_test
    from ecmactl.secrets import read_secret_source

    home = global_options().home
    settings = load_settings(home)
    names = choose_connector(home, connector, url)
    token_file = either(token_file, token_file_alias)
    token = read_secret_source(token_file, flag="--secret-token-file")
    results = [
        run_test(home, load_connector(home, name), settings, url=url, timeout=timeout, token=token)
        for name in names
    ]
    ok = all(r.ok for r in results)
    if json_output:
        _output.emit_json(
            "agent-test-connection", {"ok": ok, "results": [r.to_dict() for r in results]}
        )
    elif _output.quiet():  # the exit code is the answer; say only what fails, and the fix
        for result in results:
            _render_failure(result, _output.console(stderr=True))
    else:
        out = _output.console()
        for index, result in enumerate(results):
            if index:
                out.print("", highlight=False)
            _render_test(result, out)
    raise typer.Exit(0 if ok else 1)


@agent_app.command("failover")
def failover_command(
    connector: Annotated[
        str | None,
        typer.Option(
            "--connector",
            "-c",
            metavar="NAME",
            help="The connector whose writer lease moves [default: every connector in "
            "active/standby].",
            show_default=False,
        ),
    ] = None,
    active_active: Annotated[
        bool,
        typer.Option(
            "--active-active",
            help="End active/standby instead: every host writes again (restart the hosts "
            "started with --standby without it first).",
        ),
    ] = False,
    json_output: JsonFlag = False,
) -> None:
    """Move the writer lease of an active/standby cluster, with no failed request.

    Run on the active host's home: it stops admitting writes (503 + Retry-After, which Entra
    retries), lets writes in flight finish, and hands the lease to a live standby, which
    takes it at once. Run on a standby's home: it takes the lease; the old active host is
    fenced at its next write and stands by. With --active-active, on any host's home: the
    writer lease is dropped and every host writes again (active-active).

    Exit codes: 0 the lease moved · 1 it did not (no standby live, the connector runs
    active-active, not on PostgreSQL/MariaDB) · 2 unknown connector · 3 no host is running
    from this home.
    """
    from ecmactl.connector_names import check_known
    from ecmactl.status import request_failover

    home = global_options().home
    if connector is not None:
        check_known(home, [connector])
    result = request_failover(home, connector, active_active=active_active)
    if json_output:
        _output.emit_json("agent-failover", result)
        raise typer.Exit(0)
    out = _output.console()
    for name, moved in result["connectors"].items():
        if moved["action"] == "active-active":
            line = f"{name}: writer lease mode ended; every host writes (active-active)"
        elif moved["action"] == "handed":
            line = (
                f"{name}: handed the writer lease to host {moved['to']} "
                f"({moved.get('to_address', '?')}), epoch {moved['epoch']}; this host stands by"
            )
        else:
            holder = f"host {moved['from']}" if moved.get("from") else "nobody"
            line = (
                f"{name}: took the writer lease from {holder}, epoch {moved['epoch']}; this "
                "host accepts writes"
            )
        out.print(line, highlight=False, soft_wrap=True)
    raise typer.Exit(0)


_STEP_LABELS = {
    "url": "Tenant URL",
    "token": "Secret Token",
    "tcp": "Connect",
    "tls": "TLS",
    "request": "Probe",
}


def _render_failure(result: ConnectionTestResult, out: Console) -> None:
    from rich.markup import escape

    if result.failure is None:
        return
    out.print(
        f"[red]✗[/red] {escape(result.connector)}: {escape(result.failure.message)} "
        f"({escape(result.failure.code)})",
        soft_wrap=True,
        highlight=False,
    )
    out.print(f"  To fix: {escape(result.failure.fix)}", soft_wrap=True, highlight=False)


def _render_test(result: ConnectionTestResult, out: Console) -> None:
    from rich.markup import escape

    from ecmactl.connection_test import ENTRA_FIELDS

    def line(text: str) -> None:
        out.print(text, soft_wrap=True, highlight=False)

    line(f"Test Connection for connector {escape(result.connector)}, as Entra does it:")
    for step in result.steps:
        mark = "[green]✓[/green]" if step.ok else "[red]✗[/red]"
        timing = f" ({step.latency_ms:.0f} ms)" if step.latency_ms is not None else ""
        detail = step.detail
        if step.name == "request" and step.ok:
            detail = f"{result.request} → {step.detail}"
        line(f"  {mark} {_STEP_LABELS.get(step.name, step.name):<12} {escape(detail)}{timing}")
    if result.failure is not None:
        line(f"  To fix: {escape(result.failure.fix)}")
        line(f"Test Connection fails ({escape(result.failure.code)}).")
        return
    line("Test Connection succeeds. In " + escape(ENTRA_FIELDS) + ", enter:")
    line(f"  Tenant URL:    {escape(result.tenant_url)}")
    reveal = command("token", "show", "--reveal", connector=result.connector)
    line(f"  Secret Token:  the output of `{escape(reveal)}`")
