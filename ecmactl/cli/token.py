"""`ecmactl token`: a connector's secret token (what Entra sends as the bearer token).

`set` replaces it now; `rotate` replaces it and keeps the old one accepted for a grace period
(24h by default) while the Entra admin pastes the new one; `show` masks it unless --reveal.
Tokens are never flag values and never appear in --json output.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from ecmactl.cli import _output
from ecmactl.cli._context import can_prompt, global_options
from ecmactl.cli._options import ConnectorFlag, TokenFileAlias, either
from ecmactl.invocation import command

if TYPE_CHECKING:
    from ecmactl.home import Home
    from ecmactl.tokens import TokenChange

TOKEN_ENV = "ECMACTL_SECRET_TOKEN"
ENTRA_FIELD = (
    "Entra admin center > Enterprise applications > your app > Provisioning > Admin Credentials "
    "> Secret Token"
)

token_app = typer.Typer(
    name="token",
    help="A connector's secret token: set, rotate (with a grace period), show (masked).",
    no_args_is_help=True,
    rich_markup_mode=None,  # plain help, like the root app (rich help is slow to load)
)


def register(app: typer.Typer) -> None:
    app.add_typer(token_app, name="token")


class StoreChoice(StrEnum):
    keyring = "keyring"
    file = "file"


TokenFileFlag = Annotated[
    str | None,
    typer.Option(
        "--secret-token-file",
        metavar="PATH",
        show_default=False,
        help=f"Read the token from PATH ('-' for stdin; or {TOKEN_ENV}). At least 12 "
        "characters, printable ASCII.",
    ),
]
RevealFlag = Annotated[
    bool, typer.Option("--reveal", help="Print the token itself, alone, on stdout.")
]
JsonFlag = Annotated[
    bool, typer.Option("--json", help="Print one JSON document on stdout (never the token).")
]


@token_app.command("set")
def set_command(
    connector: ConnectorFlag = None,
    token_file: TokenFileFlag = None,
    generate: Annotated[
        bool, typer.Option("--generate", help="Generate a 32-character random token.")
    ] = False,
    store: Annotated[
        StoreChoice | None,
        typer.Option("--secret-store", help="Move the token to this store.", show_default=False),
    ] = None,
    reveal: RevealFlag = False,
    json_output: JsonFlag = False,
    token_file_alias: TokenFileAlias = None,
    store_alias: Annotated[StoreChoice | None, typer.Option("--store", hidden=True)] = None,
) -> None:
    """Replace the connector's token now; the old one stops working at once.

    The token comes from --secret-token-file, --generate, ECMACTL_SECRET_TOKEN, or a hidden
    prompt on a terminal. To keep the old token working while Entra is updated, use
    `token rotate`.
    """
    from ecmactl.errors import UsageError
    from ecmactl.secrets import read_secret_source
    from ecmactl.tokens import set_token

    _check_reveal(reveal, json_output)
    token_file, store = either(token_file, token_file_alias), either(store, store_alias)
    home = global_options().home
    name = _connector_name(home, connector)
    value = read_secret_source(token_file, flag="--secret-token-file")
    if value is None and not generate:
        value = read_secret_source(None, flag=TOKEN_ENV, env=TOKEN_ENV)
        if value is None:
            if not can_prompt():
                raise UsageError(
                    "no token given, and no terminal to ask for one",
                    hint=f"Pass --secret-token-file PATH ('-' for stdin), set {TOKEN_ENV}, or "
                    "--generate for a random one.",
                )
            value = typer.prompt(
                "Secret token", hide_input=True, confirmation_prompt=True, err=True
            )
    change = set_token(home, name, value, store=store.value if store else None)
    _report(change, home, reveal, json_output)


@token_app.command("rotate")
def rotate_command(
    connector: ConnectorFlag = None,
    token_file: Annotated[
        str | None,
        typer.Option(
            "--secret-token-file",
            metavar="PATH",
            show_default=False,
            help="Read the new token from PATH ('-' for stdin) instead of generating one.",
        ),
    ] = None,
    grace: Annotated[
        str,
        typer.Option(
            "--grace",
            metavar="DURATION",
            help="How long the old token stays valid: 24h, 7d, 90m; 0 ends it now (at most 30d).",
        ),
    ] = "24h",
    reveal: RevealFlag = False,
    json_output: JsonFlag = False,
    token_file_alias: TokenFileAlias = None,
) -> None:
    """Replace the token with a new random one (or --secret-token-file); the old one keeps
    working until the grace period ends, then only the new one is accepted."""
    from ecmactl.secrets import read_secret_source
    from ecmactl.tokens import rotate_token

    _check_reveal(reveal, json_output)
    token_file = either(token_file, token_file_alias)
    home = global_options().home
    name = _connector_name(home, connector)
    value = read_secret_source(token_file, flag="--secret-token-file")
    change = rotate_token(home, name, value, grace=parse_grace(grace))
    _report(change, home, reveal, json_output)


@token_app.command("show")
def show_command(
    connector: ConnectorFlag = None, reveal: RevealFlag = False, json_output: JsonFlag = False
) -> None:
    """Show where the token is kept and its masked form (and a previous one still accepted)."""
    from rich.markup import escape

    from ecmactl.tokens import reveal_token, token_state

    _check_reveal(reveal, json_output)
    home = global_options().home
    name = _connector_name(home, connector)
    if reveal:
        _print_token(reveal_token(home, name))
        return
    now = datetime.now(UTC)
    state = token_state(home, name, now=now)
    if json_output:
        _output.emit_json("token", state.to_dict())
        return
    out = _output.console()

    def row(label: str, value: str) -> None:
        out.print(f"{label + ':':<11} {value}", highlight=False, soft_wrap=True)

    row("Connector", escape(name))
    row("Store", f"{state.store} ({escape(state.ref)})" if state.ref else "[red]none[/red]")
    if state.error:
        row("Token", f"[red]unreadable: {escape(state.error)}[/red]")
    elif state.masked:
        row("Token", f"{state.masked}  ({state.length} characters)")
    if state.previous_ref and state.previous_expires:
        when = f"{state.previous_expires:%Y-%m-%d %H:%M} UTC"
        if state.previous_active:
            hours = int((state.previous_expires - now).total_seconds() // 3600)
            left = f"{hours} more hours" if hours >= 1 else "less than an hour more"
            row("Previous", f"{state.previous_masked} still accepted until {when} ({left})")
        else:
            row("Previous", f"no longer accepted (grace ended {when})")
    prints = command("token", "show", "--reveal", connector=name)
    row("Next", f"Paste the token into {ENTRA_FIELD}; `{escape(prints)}` prints it.")


def parse_grace(text: str) -> timedelta:
    """``24h``, ``7d``, ``1d12h``, ``90m`` or ``0`` (``ecmactl.durations``)."""
    from ecmactl.durations import parse_duration
    from ecmactl.errors import UsageError

    try:
        return parse_duration(text)
    except ValueError:
        raise UsageError(
            f"--grace {text!r} is not a duration",
            hint="Use for example 24h, 7d, 1d12h or 90m (0 ends the grace now).",
        ) from None


def _check_reveal(reveal: bool, json_output: bool) -> None:
    if reveal and json_output:
        from ecmactl.errors import UsageError

        raise UsageError(
            "--reveal and --json cannot be combined: JSON output never holds a token",
            hint="Use --reveal alone; it prints only the token.",
        )


def _connector_name(home: Home, given: str | None) -> str:
    from ecmactl.connector_names import choose_one

    return choose_one(home, given)


def _print_token(value: str) -> None:
    import sys

    sys.stdout.write(value + "\n")
    sys.stdout.flush()


def _report(change: TokenChange, home: Home, reveal: bool, json_output: bool) -> None:
    from rich.markup import escape

    from ecmactl.tokens import reveal_token

    if json_output:
        _output.emit_json("token-change", change.to_dict())
        return
    if reveal:
        _print_token(reveal_token(home, change.connector))
    made = "generated" if change.generated else "given"
    verb = "Rotated" if change.action == "rotated" else "Set"
    _output.info(
        f"{verb} the secret token of {change.connector} ({made}, {change.length} characters, "
        f"{change.masked}), kept in the {change.ref.partition(':')[0]} store."
    )
    if change.previous_expires is not None:
        _output.info(
            f"The previous token is accepted until {change.previous_expires:%Y-%m-%d %H:%M} UTC; "
            "then only the new one."
        )
        if change.dropped_previous:
            _output.warn("The token from before the last rotation is no longer accepted.")
    elif change.replaced:
        rotate = escape(command("token", "rotate", connector=change.connector))
        _output.info(
            "The previous token is no longer accepted"
            + (f" (`{rotate}` keeps it for a grace period)." if change.action == "set" else ".")
        )
    shown = escape(command("token", "show", "--reveal", connector=change.connector))
    hint = "" if reveal else f" (`{shown}` prints it)"
    _output.info(f"Next: paste the new token into {ENTRA_FIELD}{hint}.")
