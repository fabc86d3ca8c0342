"""Command-line flags generated from the wizard's question specs (one flag per question).

Typer reads a command's parameters from ``inspect.signature``; we give the command a
``__signature__`` built from the specs, so adding a question adds its flag, its help and its
place in the "missing input" error without touching the CLI.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Iterable
from typing import Any

import typer

from ecmactl.wizard.questions import Question


def keyword_option(name: str, annotation: Any, default: Any) -> inspect.Parameter:
    """A keyword-only parameter for a signature built at run time (``default`` is the
    ``typer.Option``)."""
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
    )


def _annotation(q: Question) -> Any:
    if q.kind == "confirm":
        return bool | None
    if q.kind in ("checkbox", "mapping"):
        return list[str] | None
    return str | None


def _option(q: Question, page_title: str) -> Any:
    help_text = f"[{page_title}] {q.label}: {q.help}"
    if q.kind == "confirm":
        return typer.Option(None, f"{q.flag}/--no-{q.flag[2:]}", help=help_text, show_default=False)
    if q.kind == "secret":
        env = f" Or set {q.secret_env}." if q.secret_env else ""
        return typer.Option(
            None,
            q.flag,
            help=f"{help_text} Read from PATH ('-' for stdin).{env}",
            metavar="PATH",
            show_default=False,
        )
    metavar = q.metavar or "VALUE"
    if q.kind in ("checkbox", "mapping"):
        help_text += " Repeat the flag for several values."
    return typer.Option(None, q.flag, help=help_text, metavar=metavar, show_default=False)


def question_parameters(pages: Iterable[Any]) -> list[inspect.Parameter]:
    params = []
    for page in pages:
        for q in page.questions:
            params.append(
                inspect.Parameter(
                    q.param_name,
                    inspect.Parameter.KEYWORD_ONLY,
                    default=_option(q, page.title),
                    annotation=_annotation(q),
                )
            )
    return params


def with_signature(
    impl: Callable[..., Any], params: list[inspect.Parameter], doc: str
) -> Callable[..., Any]:
    """A function Typer can read: ``impl(**kwargs)`` behind the generated signature."""

    def command(**kwargs: Any) -> Any:
        return impl(**kwargs)

    ordered = sorted(params, key=lambda p: p.default is not inspect.Parameter.empty)
    command.__signature__ = inspect.Signature(ordered)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in params}
    command.__doc__ = doc
    command.__name__ = impl.__name__
    return command


def fixed_answers(kwargs: dict[str, Any], questions: Iterable[Question]) -> dict[str, Any]:
    """Values given on the command line (secrets read from their files or environment)."""
    from ecmactl.secrets import read_secret_source

    fixed: dict[str, Any] = {}
    for q in questions:
        value = kwargs.get(q.param_name)
        if q.kind == "secret":
            secret = (
                read_secret_source(value, flag=q.flag)
                if value
                else os.environ.get(q.secret_env or "")
            )
            if secret:
                fixed[q.key] = secret
            continue
        if value is None or (isinstance(value, list) and not value):
            continue
        fixed[q.key] = value
    return fixed
