"""`configure multivalue --list` and `--remove TABLE`: the connector's child tables shown or
dropped without running the page (adding or changing one runs the page: `--child-table T`)."""

from __future__ import annotations

import inspect
from typing import Any

import typer

from ecmactl.wizard.pages import MULTIVALUE


def parameters() -> list[inspect.Parameter]:
    from ecmactl.cli._flags import keyword_option

    return [
        keyword_option(
            "remove",
            list[str] | None,
            typer.Option(
                None,
                "--remove",
                metavar="TABLE",
                help="Remove this child table and its multi-valued attributes (repeat).",
                show_default=False,
            ),
        ),
        keyword_option(
            "list_child_tables",
            bool,
            typer.Option(False, "--list", help="List the child tables and their attributes."),
        ),
    ]


HELP = (
    " --child-table T adds child table T or changes it (the others are kept); --remove T drops "
    "it; --list shows them."
)


def handled(kwargs: dict[str, Any]) -> bool:
    """Runs --list or --remove when given; False: the page runs."""
    from ecmactl.errors import UsageError

    listing, remove = kwargs.get("list_child_tables"), kwargs.get("remove") or []
    if not listing and not remove:
        return False
    given = [q.flag for q in MULTIVALUE.questions if kwargs.get(q.param_name) not in (None, [])]
    if listing and remove:
        given.insert(0, "--remove")
    if given:
        alone = "--list" if listing else "--remove"
        raise UsageError(
            f"{given[0]} cannot be combined with {alone}",
            hint=f"Run {alone} on its own; add or change a child table with --child-table.",
        )
    if listing:
        _list(kwargs)
    else:
        _remove(kwargs, list(dict.fromkeys(remove)))
    return True


def _describe(attribute: Any) -> str:
    target = attribute.scim or f"extension attribute {attribute.key}"
    extra = [
        f"{k} from {v}"
        for k, v in (("type", attribute.type_column), ("primary", attribute.primary_column))
        if v
    ]
    return f"{attribute.column} → {target}" + (f" ({', '.join(extra)})" if extra else "")


def _list(kwargs: dict[str, Any]) -> None:
    from rich.markup import escape

    from ecmactl.cli import _output
    from ecmactl.cli._context import global_options
    from ecmactl.cli.configure import pick_connector
    from ecmactl.config.store import load_connector
    from ecmactl.config.typed import to_dict
    from ecmactl.invocation import command

    home = global_options().home
    connector = load_connector(home, pick_connector(kwargs.get("connector")), check=False)
    schema = connector.schema
    if kwargs.get("json_output"):
        _output.emit_json(
            "child-tables",
            {
                "connector": connector.name,
                "table": schema.table,
                "child_tables": [to_dict(c) for c in schema.child_tables],
            },
        )
        return
    if not schema.child_tables:
        add = command("configure", "multivalue", connector=connector.name)
        _output.info(f"Connector {connector.name} has no child tables; add one with `{add}`.")
        return
    out = _output.console()
    for child in schema.child_tables:
        key = child.parent_column or schema.anchor
        out.print(
            escape(f"{child.table}  ({child.table}.{child.join_column} = {schema.table}.{key})"),
            soft_wrap=True,
        )
        for attribute in child.attributes:
            out.print(escape(f"  {_describe(attribute)}"), soft_wrap=True)


def _remove(kwargs: dict[str, Any], tables: list[str]) -> None:
    from ecmactl.cli import _output
    from ecmactl.cli._context import global_options
    from ecmactl.cli._wizard_run import report_dry_run
    from ecmactl.cli.configure import pick_connector
    from ecmactl.config.store import load_connector, load_settings, serialize
    from ecmactl.errors import UsageError
    from ecmactl.wizard.answers import render_answers
    from ecmactl.wizard.apply import FileWrite, Plan, apply_plan
    from ecmactl.wizard.build import connector_answers, settings_answers
    from ecmactl.wizard.multivalue import without_child_table
    from ecmactl.wizard.pages import ALL_PAGES

    home = global_options().home
    settings = load_settings(home)
    connector = load_connector(home, pick_connector(kwargs.get("connector")), check=False)
    configured = [c.table for c in connector.schema.child_tables]
    for table in tables:
        if table not in configured:
            raise UsageError(
                f"--remove {table}: connector {connector.name} has no child table {table}",
                hint=f"Its child tables: {', '.join(configured) or 'none'}.",
            )
        connector = without_child_table(connector, table)
    plan = Plan(home)
    plan.connector = connector
    plan.files.append(
        FileWrite(
            home.connector_path(connector.name),
            serialize(connector).encode(),
            0o644,
            f"connector {connector.name}",
        )
    )
    flat = {**settings_answers(settings), **connector_answers(connector)}
    questions = [q for p in ALL_PAGES for q in p.questions]
    plan.files.append(
        FileWrite(
            home.answers_path(connector.name),
            render_answers(flat, questions).encode(),
            0o644,
            f"answers for {connector.name}",
        )
    )
    if kwargs["dry_run"]:
        raise typer.Exit(
            report_dry_run(
                plan,
                as_json=kwargs["json_output"],
                detailed_exitcode=kwargs["detailed_exitcode"],
                kind="configure",
            )
        )
    apply_plan(plan)
    from ecmactl.cli.host import print_reload, reload_after_change

    reload = reload_after_change(home)
    if kwargs["json_output"]:
        _output.emit_json(
            "configure",
            {
                "page": MULTIVALUE.name,
                "removed": tables,
                "changes": plan.changes_done,
                "reload": reload,
            },
        )
    else:
        _output.info(f"[green]✓[/green] Child tables removed: {', '.join(tables)}.")
        if reload is not None:
            print_reload(reload, stderr=True)
    if reload is not None and reload.get("result") != "ok":
        raise typer.Exit(1)  # saved, but the running host refused it: it serves the old one
