"""`ecmactl configure PAGE`: re-run one wizard page on an existing connector (or the host).

Each page is its own command with the same questions and flags as in `init`; answers not given
keep their current values. `configure show` prints a connector's configuration.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

import typer

from ecmactl.cli import _configure_multivalue
from ecmactl.wizard.pages import ALL_PAGES, CONNECTIVITY, MULTIVALUE, SCHEMA, SETTINGS
from ecmactl.wizard.questions import Page

if TYPE_CHECKING:
    from ecmactl.errors import ConfigError
    from ecmactl.sql.schema_diff import SchemaDiff
    from ecmactl.wizard.refresh import Refresh

configure_app = typer.Typer(
    help="Change one wizard page of an existing connector (or the host settings).",
    no_args_is_help=True,
)


def _common(connector: bool) -> list[inspect.Parameter]:
    from ecmactl.cli._flags import keyword_option

    params = [
        keyword_option(
            "no_input",
            bool,
            typer.Option(False, "--no-input", help="Never prompt; keep what is not given."),
        ),
        keyword_option(
            "defaults",
            bool,
            typer.Option(False, "--defaults", help="Keep current values without asking."),
        ),
        keyword_option(
            "dry_run", bool, typer.Option(False, "--dry-run", help="Show changes; write nothing.")
        ),
        keyword_option(
            "detailed_exitcode",
            bool,
            typer.Option(
                False, "--detailed-exitcode", help="With --dry-run: exit 20 when something changes."
            ),
        ),
        keyword_option(
            "json_output", bool, typer.Option(False, "--json", help="Print the result as JSON.")
        ),
    ]
    if connector:
        params.insert(
            0,
            keyword_option(
                "connector",
                str | None,
                typer.Option(
                    None,
                    "--connector",
                    "-c",
                    metavar="NAME",
                    help="The connector to change [default: the only one; required when the "
                    "home has several].",
                ),
            ),
        )
    return params


def pick_connector(name: str | None) -> str:
    from ecmactl.cli._context import global_options
    from ecmactl.connector_names import choose_one

    return choose_one(global_options().home, name)


CERTIFICATE = "settings.certificate"


def _run_page(page: Page, **kwargs: Any) -> None:
    from ecmactl.cli import _output
    from ecmactl.cli._context import global_options
    from ecmactl.cli._flags import fixed_answers
    from ecmactl.cli._wizard_run import prompter_for, report_dry_run, sources_for
    from ecmactl.config.store import load_connector, load_settings
    from ecmactl.config.typed import to_dict
    from ecmactl.secrets import SecretStore, read_secret
    from ecmactl.wizard.apply import Plan, apply_plan, plan_connector, plan_settings
    from ecmactl.wizard.build import (
        CONNECTOR_ANSWERED,
        SETTINGS_ANSWERED,
        connector_answers,
        flatten,
        settings_answers,
    )
    from ecmactl.wizard.context import KEEP, WizardContext
    from ecmactl.wizard.diff import field_changes, unasked_changes
    from ecmactl.wizard.engine import run_wizard
    from ecmactl.wizard.multivalue import child_table_defaults, edited_answers
    from ecmactl.wizard.questions import Action
    from ecmactl.wizard.summary import summarize

    home = global_options().home
    settings = load_settings(home, check=page.level != "host")  # configure fixes what it opens
    questions = page.questions
    sources = sources_for(questions, fixed_answers(kwargs, questions), None, kwargs["defaults"])
    ctx = WizardContext(home=home, existing_connectors=set(home.connector_names()))
    for key, value in settings_answers(settings).items():
        ctx.set(key, value)
    store = SecretStore(settings.secret_store, home)
    previous = None
    if page.level == "connector":
        name = pick_connector(kwargs.get("connector"))
        previous = load_connector(home, name, check=False)
        ctx.editing = name
        for key, value in connector_answers(previous).items():
            ctx.set(key, value)
        sources.fixed["properties.name"] = name  # a rename would change the Tenant URL
        ctx.columns = list(previous.schema.columns)
        ctx.child_tables = list(previous.schema.child_tables)
        if page is MULTIVALUE:
            child_table_defaults(ctx, kwargs.get("child_table"))
        if previous.secret_token_ref:
            ctx.secrets["properties.secret_token"] = KEEP
        if previous.connectivity.password_ref:
            ctx.secrets["connectivity.password"] = KEEP
            ctx.current_db_password = read_secret(previous.connectivity.password_ref, home)
    else:
        ctx.set("settings.certificate", "keep")
    before = dict(flatten(ctx.answers))  # what is configured now, for old → new
    pages: list[Page] = [page]
    if page in (SCHEMA, MULTIVALUE):  # the schema pages need the database's tables first
        test = next(s for s in CONNECTIVITY.steps if isinstance(s, Action))
        pages.insert(0, Page("connect", "Connectivity", "", (test,)))
    run_wizard(
        pages,
        ctx,
        sources,
        prompter_for(kwargs["no_input"]),
        summary=lambda c: summarize([page], c, before=before),
    )
    plan = Plan(home)
    if page.level == "host":
        current = settings
        settings = plan_settings(ctx, plan, store=store, current=current)
        after = {**settings_answers(settings), "settings.certificate": ctx.get(CERTIFICATE)}
        secrets = [k for k, v in ctx.secrets.items() if isinstance(v, str)]
        unasked = unasked_changes(
            "settings.toml", "host", to_dict(current), to_dict(settings), SETTINGS_ANSWERED
        )
    else:
        connector = plan_connector(
            ctx,
            plan,
            [q for p in ALL_PAGES for q in p.questions],
            store=store,
            previous=previous,
            answers_extra=settings_answers(settings),
        )
        after = {**settings_answers(settings), **connector_answers(connector)}
        assert previous is not None
        if page is MULTIVALUE:  # the child table this run edited, not the first one
            table = ctx.get("multivalue.child_table")
            before.update(edited_answers(previous, table))
            after.update(edited_answers(connector, table))
        refs = {
            "properties.secret_token": (previous.secret_token_ref, connector.secret_token_ref),
            "connectivity.password": (
                previous.connectivity.password_ref,
                connector.connectivity.password_ref,
            ),
        }
        secrets = [
            k for k, (old, new) in refs.items() if old != new or isinstance(ctx.secrets.get(k), str)
        ]
        unasked = unasked_changes(
            f"connectors/{connector.name}.toml",
            "connector",
            to_dict(previous),
            to_dict(connector),
            CONNECTOR_ANSWERED,
        )
    if kwargs["dry_run"]:
        raise typer.Exit(
            report_dry_run(
                plan,
                as_json=kwargs["json_output"],
                detailed_exitcode=kwargs["detailed_exitcode"],
                kind="configure",
                fields=field_changes(ALL_PAGES, before, after, secrets) + unasked,
            )
        )
    apply_plan(plan)
    changed = [c for c in plan.changes_done if c["action"] != "unchanged"]
    from ecmactl.cli.host import reload_after_change

    # A host running from this home applies the change now (or says why it cannot).
    reload = reload_after_change(home) if changed else None
    if kwargs["json_output"]:
        _output.emit_json(
            "configure",
            {
                "page": page.name,
                "changes": plan.changes_done,
                "notes": plan.notes,
                "reload": reload,
            },
        )
    elif changed:
        _output.info(
            f"[green]✓[/green] {page.title} updated: " + ", ".join(c["what"] for c in changed)
        )
        if reload is not None:
            from ecmactl.cli.host import print_reload

            print_reload(reload, stderr=True)
    else:
        _output.info(f"{page.title}: nothing changed.")
    for note in plan.notes:
        _output.warn(note)
    if reload is not None and reload.get("result") != "ok":
        raise typer.Exit(1)  # saved, but the running host refused it: it serves the old one


REFRESH_HELP = (
    " With --refresh: compare the connector with its live table and update it (columns added, "
    "removed, retyped); --dry-run --detailed-exitcode exits 20 when the table has changed."
)
_REFRESH_ONLY = {"add_column": "--add-column", "add_all": "--add-all", "yes": "--yes"}


def _refresh_parameters() -> list[inspect.Parameter]:
    from ecmactl.cli._flags import keyword_option

    return [
        keyword_option(
            "refresh",
            bool,
            typer.Option(
                False,
                "--refresh",
                help="Read the live table, show how it differs from the connector and update "
                "the connector to match (keeps the table, anchor and DN).",
            ),
        ),
        keyword_option(
            "add_column",
            list[str] | None,
            typer.Option(
                None,
                "--add-column",
                metavar="COLUMN",
                help="With --refresh: select this added column as an attribute (repeat).",
                show_default=False,
            ),
        ),
        keyword_option(
            "add_all",
            bool,
            typer.Option(False, "--add-all", help="With --refresh: select every added column."),
        ),
        keyword_option(
            "yes",
            bool,
            typer.Option(
                False, "--yes", "-y", help="With --refresh: write without asking to confirm."
            ),
        ),
    ]


def _refresh_requested(kwargs: dict[str, Any]) -> bool:
    from ecmactl.errors import UsageError

    if kwargs.get("refresh"):
        given = [q.flag for q in SCHEMA.questions if kwargs.get(q.param_name) not in (None, [])]
        if given:
            raise UsageError(
                f"{given[0]} cannot be combined with --refresh: a refresh keeps the table, "
                "anchor and DN and takes each column as the table now has it",
                hint=f"Run `{_configure_schema(kwargs)}` without --refresh to choose them again.",
            )
        if kwargs.get("add_all") and kwargs.get("add_column"):
            raise UsageError("--add-all and --add-column cannot be combined")
        return True
    used = [flag for key, flag in _REFRESH_ONLY.items() if kwargs.get(key)]
    if used:
        raise UsageError(
            f"{used[0]} works with --refresh only",
            hint=f"Add --refresh: `{_configure_schema(kwargs, '--refresh')}`.",
        )
    return False


def _configure_schema(kwargs: dict[str, Any], *extra: str) -> str:
    from ecmactl.invocation import command

    return command("configure", "schema", *extra, connector=kwargs.get("connector"))


def _refresh_schema(**kwargs: Any) -> None:
    """`configure schema --refresh`: diff, choose the added columns, confirm, write, reload."""
    from ecmactl.cli import _output
    from ecmactl.cli._context import global_options
    from ecmactl.cli._wizard_run import prompter_for
    from ecmactl.config.store import load_connector, load_settings
    from ecmactl.errors import EcmactlError, UsageError
    from ecmactl.exit_codes import ExitCode
    from ecmactl.sql.child_tables import child_table_drift, read_live_child_columns
    from ecmactl.sql.schema_diff import diff_schema, read_live_columns, refresh_problems
    from ecmactl.wizard.apply import apply_plan
    from ecmactl.wizard.refresh import ask_added, plan_refresh

    home = global_options().home
    settings = load_settings(home)
    name = pick_connector(kwargs.get("connector"))
    previous = load_connector(home, name, check=False)  # configure fixes what it opens
    try:
        live = read_live_columns(home, previous)
    except UsageError as exc:  # the table itself is gone (or renamed)
        raise UsageError(
            exc.message,
            hint=f"{exc.hint + ' ' if exc.hint else ''}Choose the table again with "
            f"`{_configure_schema({'connector': name})}`.",
        ) from None
    diff = diff_schema(previous, live)
    as_json, dry_run = kwargs["json_output"], kwargs["dry_run"]
    problems = list(refresh_problems(previous, live))
    problems += child_table_drift(previous, read_live_child_columns(home, previous))
    _print_diff(diff, name, as_json=as_json, dry_run=dry_run, problems=problems)
    if problems:
        raise problems[0]
    if not diff:
        return
    prompter = None if kwargs["defaults"] or dry_run else prompter_for(kwargs["no_input"])
    questions = [q for p in ALL_PAGES for q in p.questions]
    if kwargs["add_all"]:
        add = list(diff.added)
    elif kwargs["add_column"]:
        add = list(dict.fromkeys(kwargs["add_column"]))
    elif prompter is not None and diff.added:
        add = ask_added(prompter, live, diff)
    else:
        add = []
    while True:
        try:
            refresh = plan_refresh(home, previous, live, diff, add, settings, questions)
        except UsageError as exc:  # an --add-column that names no added column
            if prompter is None or kwargs["add_column"]:
                raise
            add = ask_added(prompter, live, diff, exc.message)
            continue
        if dry_run:
            _print_plan(refresh, as_json=as_json)
            code = ExitCode.CHANGES_PENDING if kwargs["detailed_exitcode"] else ExitCode.OK
            raise typer.Exit(int(code))
        if prompter is None or kwargs["yes"] or prompter.review(refresh.summary()):
            break
        if not diff.added:  # nothing to go back to
            raise EcmactlError("Nothing was written.")
        add = ask_added(prompter, live, diff)
    apply_plan(refresh.plan)
    from ecmactl.cli.host import reload_after_change

    reload = reload_after_change(home)
    if as_json:
        _output.emit_json(
            "schema-refresh",
            {
                **refresh.to_dict(),
                "dry_run": False,
                "files": refresh.plan.changes_done,
                "notes": refresh.plan.notes,
                "reload": reload,
            },
        )
    else:
        _output.info(
            f"[green]✓[/green] Connector {name} refreshed from table {diff.table}: "
            f"{_count(len(diff.changes), 'difference')} applied; attributes added: "
            f"{', '.join(refresh.add) or 'none'}; dropped: {', '.join(refresh.dropped) or 'none'}."
        )
        if reload is not None:
            from ecmactl.cli.host import print_reload

            print_reload(reload, stderr=True)
    for note in refresh.plan.notes:
        if not as_json:
            _output.warn(note)
    if reload is not None and reload.get("result") != "ok":
        raise typer.Exit(1)  # saved, but the running host refused it: it serves the old one


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _print_diff(
    diff: SchemaDiff, name: str, *, as_json: bool, dry_run: bool, problems: list[ConfigError]
) -> None:
    """The differences, before anything is asked or written (JSON: only when nothing follows,
    i.e. in sync or refused; otherwise the plan's document carries them)."""
    from rich.markup import escape

    from ecmactl.cli import _output

    if as_json:
        if not diff or problems:
            _output.emit_json(
                "schema-refresh",
                {
                    "connector": name,
                    **diff.to_dict(),
                    "dry_run": dry_run,
                    "refused": [{"error": p.message, "hint": p.hint} for p in problems],
                },
            )
        return
    if not diff:
        if not problems:
            _output.info(f"Connector {name} matches table {diff.table}: nothing to refresh.")
        return
    out = _output.console()
    out.print(f"Table {escape(diff.table)} differs from connector {escape(name)}:")
    for change in diff.changes:
        out.print(f"  {escape(change.text())}", soft_wrap=True)


def _print_plan(refresh: Refresh, *, as_json: bool) -> None:
    from rich.markup import escape

    from ecmactl.cli import _output

    changes = refresh.plan.changes()
    if as_json:
        _output.emit_json(
            "schema-refresh",
            {**refresh.to_dict(), "dry_run": True, "files": changes, "notes": refresh.plan.notes},
        )
        return
    out = _output.console()
    out.print("[bold]Dry run[/bold]: nothing was written.")
    out.print(
        f"Attributes added: {escape(', '.join(refresh.add) or 'none')}; dropped: "
        f"{escape(', '.join(refresh.dropped) or 'none')}."
    )
    out.print("Applying would write:")
    for change in changes:
        out.print(
            f"  {change['action']:<9} {escape(change['what']):<44} {escape(change['path'])}",
            soft_wrap=True,
        )
    for note in refresh.plan.notes:
        out.print(f"  note      {escape(note)}", soft_wrap=True)


def _show(
    connector: str | None = typer.Option(
        None,
        "--connector",
        "-c",
        metavar="NAME",
        help="The connector [default: the only one; required when the home has several].",
    ),
    json_output: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Show a connector's configuration (secrets appear as references, never values)."""
    from ecmactl.cli import _output
    from ecmactl.cli._context import global_options
    from ecmactl.config.store import load_connector, load_settings, serialize
    from ecmactl.config.typed import to_dict

    home = global_options().home
    settings = load_settings(home)
    config = load_connector(home, pick_connector(connector))
    if json_output:
        _output.emit_json(
            "connector", {"settings": to_dict(settings), "connector": to_dict(config)}
        )
    else:
        import sys

        sys.stdout.write(serialize(config))


def register(app: typer.Typer) -> None:
    from ecmactl.cli._flags import question_parameters, with_signature

    for page in ALL_PAGES:
        params = _common(page.level == "connector") + question_parameters([page])
        doc = f"{page.title}: {page.intro}"
        if page is SCHEMA:
            params += _refresh_parameters()
            doc += REFRESH_HELP
        if page is MULTIVALUE:
            params += _configure_multivalue.parameters()
            doc += _configure_multivalue.HELP

        def impl(_page: Page = page, **kwargs: Any) -> None:
            if _page is SCHEMA and _refresh_requested(kwargs):
                _refresh_schema(**kwargs)
                return
            if _page is MULTIVALUE and _configure_multivalue.handled(kwargs):
                return
            _run_page(_page, **kwargs)

        impl.__name__ = page.name.replace("-", "_")
        configure_app.command(page.name, help=doc)(with_signature(impl, params, doc))
    configure_app.command("show")(_show)
    app.add_typer(configure_app, name="configure")


__all__ = ["SETTINGS", "register"]
