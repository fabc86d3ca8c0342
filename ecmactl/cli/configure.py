"""`ecmactl configure PAGE`: re-run one wizard page on an existing connector (or the host).

Each page is its own command with the same questions and flags as in `init`; answers not given
keep their current values. `configure show` prints a connector's configuration.
"""

from __future__ import annotations

import inspect
from typing import Any

import typer

from ecmactl.wizard.pages import ALL_PAGES, CONNECTIVITY, SCHEMA, SETTINGS
from ecmactl.wizard.questions import Page

configure_app = typer.Typer(
    help="Change one wizard page of an existing connector (or the host settings).",
    no_args_is_help=True,
)


def _common(connector: bool) -> list[inspect.Parameter]:
    def opt(name: str, annotation: Any, default: Any) -> inspect.Parameter:
        return inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
        )

    params = [
        opt(
            "no_input",
            bool,
            typer.Option(False, "--no-input", help="Never prompt; keep what is not given."),
        ),
        opt(
            "defaults",
            bool,
            typer.Option(False, "--defaults", help="Keep current values without asking."),
        ),
        opt("dry_run", bool, typer.Option(False, "--dry-run", help="Show changes; write nothing.")),
        opt(
            "detailed_exitcode",
            bool,
            typer.Option(
                False, "--detailed-exitcode", help="With --dry-run: exit 20 when something changes."
            ),
        ),
        opt("json_output", bool, typer.Option(False, "--json", help="Print the result as JSON.")),
    ]
    if connector:
        params.insert(
            0,
            opt(
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
        if previous.secret_token_ref:
            ctx.secrets["properties.secret_token"] = KEEP
        if previous.connectivity.password_ref:
            ctx.secrets["connectivity.password"] = KEEP
            ctx.current_db_password = read_secret(previous.connectivity.password_ref, home)
    else:
        ctx.set("settings.certificate", "keep")
    before = dict(flatten(ctx.answers))  # what is configured now, for old → new
    pages: list[Page] = [page]
    if page is SCHEMA:  # the schema pages need the database's tables first
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

        def impl(_page: Page = page, **kwargs: Any) -> None:
            _run_page(_page, **kwargs)

        impl.__name__ = page.name.replace("-", "_")
        configure_app.command(page.name, help=doc)(with_signature(impl, params, doc))
    configure_app.command("show")(_show)
    app.add_typer(configure_app, name="configure")


__all__ = ["SETTINGS", "register"]
