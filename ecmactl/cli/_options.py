"""Option types several commands share, so the same flag reads the same everywhere."""

from __future__ import annotations

from typing import Annotated, TypeVar

import typer

T = TypeVar("T")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]

# -c/--connector, one rule (see ecmactl.connector_names): commands that act on one connector
# need it when the home has several; commands that cover all of them cover all without it.
ConnectorFlag = Annotated[
    str | None,
    typer.Option(
        "--connector",
        "-c",
        metavar="NAME",
        show_default=False,
        help="The connector [default: the only one; required when the home has several].",
    ),
]

# Old spellings, still accepted but not shown: one name per thing across commands.
# The visible name is the one `init` uses too; the command merges the two with ``either``.
TokenFileAlias = Annotated[str | None, typer.Option("--token-file", hidden=True)]
BindAlias = Annotated[str | None, typer.Option("--bind", hidden=True)]


def either(value: T | None, old_spelling: T | None) -> T | None:
    """The value of a flag given under its name or its old spelling (the name wins)."""
    return value if value is not None else old_spelling
