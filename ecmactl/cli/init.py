"""`ecmactl init`: the guided wizard (on a terminal) or its scripted twin (flags, answers file)."""

from __future__ import annotations

import inspect
import shutil
import tempfile
from pathlib import Path
from typing import Any

import typer

from ecmactl.invocation import command
from ecmactl.wizard.pages import ALL_PAGES, CONNECTOR_PAGES, SETTINGS

HELP = """Create a connector (and, in a new home, the host settings and certificate).

On a terminal this walks Microsoft's ECMA2Host wizard pages: Settings, Properties, Connectivity,
Schema 1-4, Global, Run Profiles, Object Types, Select Attributes, Deprovisioning, then a review.
Without a terminal (or with --no-input) every answer comes from flags, an --answers-file, or
defaults; missing required answers exit 2 naming the flags to pass.

A host running from the home reloads at once and serves the new connector (exit 1 if it
refuses the new config; the connector is written and the host keeps serving the old one).

Examples:

  ecmactl init --sample --no-input

  ecmactl init --answers-file answers.toml --secret-token-file token.txt --no-input

  ecmactl init --from Configuration.xml --database-url postgresql://db01/hr --dry-run
"""


def _common_parameters() -> list[inspect.Parameter]:
    from ecmactl.cli._flags import keyword_option

    return [
        keyword_option(
            "sample",
            bool,
            typer.Option(
                False,
                "--sample",
                help="Set up the embedded sample: a SQLite copy of the Employees "
                "table from Microsoft's SQL connector tutorial, connector SQL, anchor "
                "ContosoLogin.",
            ),
        ),
        keyword_option(
            "answers_file",
            Path | None,
            typer.Option(
                None,
                "--answers-file",
                metavar="FILE",
                help="Answers to replay (TOML, YAML or JSON; `ecmactl init` writes one per "
                "connector in <home>/answers/). Flags win over it.",
            ),
        ),
        keyword_option(
            "defaults",
            bool,
            typer.Option(
                False,
                "--defaults",
                help="Accept every default without asking; ask only what has no default.",
            ),
        ),
        keyword_option(
            "no_input",
            bool,
            typer.Option(
                False,
                "--no-input",
                help="Never prompt (also ECMACTL_NO_INPUT=1); missing answers exit 2.",
            ),
        ),
        keyword_option(
            "dry_run",
            bool,
            typer.Option(False, "--dry-run", help="Show what would be written; write nothing."),
        ),
        keyword_option(
            "detailed_exitcode",
            bool,
            typer.Option(
                False,
                "--detailed-exitcode",
                help="With --dry-run: exit 20 when something would change.",
            ),
        ),
        keyword_option(
            "force",
            bool,
            typer.Option(False, "--force", help="Replace an existing connector of the same name."),
        ),
        keyword_option(
            "exist_ok",
            bool,
            typer.Option(
                False,
                "--exist-ok",
                help="Do nothing (exit 0) when the named connector already exists; for "
                "idempotent provisioning scripts.",
            ),
        ),
        keyword_option(
            "json_output", bool, typer.Option(False, "--json", help="Print the result as JSON.")
        ),
        keyword_option(
            "from_file",
            Path | None,
            typer.Option(
                None,
                "--from",
                metavar="FILE",
                help="Import the connectors of an ECMA2Host Configuration.xml export or a MIM "
                "Export Management Agent file (Generic SQL); asks only what an export cannot "
                "carry (--database-url, the token and password flags).",
            ),
        ),
    ]


def run_init(**kwargs: Any) -> None:
    if kwargs.get("from_file") is not None:
        from ecmactl.cli._import import run_import

        return run_import(**kwargs)
    from rich.markup import escape

    from ecmactl.cli import _output
    from ecmactl.cli._context import global_options
    from ecmactl.cli._flags import fixed_answers
    from ecmactl.cli._wizard_run import (
        all_questions,
        keep_answers,
        prompter_for,
        report_dry_run,
        sources_for,
    )
    from ecmactl.config import models
    from ecmactl.config.store import load_settings
    from ecmactl.errors import UsageError
    from ecmactl.secrets import SecretStore, keyring_available
    from ecmactl.wizard.apply import Plan, apply_plan, plan_connector, plan_settings
    from ecmactl.wizard.build import settings_answers
    from ecmactl.wizard.context import WizardContext
    from ecmactl.wizard.engine import run_wizard
    from ecmactl.wizard.sample import SAMPLE_ANSWERS, SAMPLE_DB, SAMPLE_URL
    from ecmactl.wizard.summary import summarize

    home = global_options().home
    settings = load_settings(home) if home.settings_path.exists() else None
    pages = list(CONNECTOR_PAGES if settings else ALL_PAGES)
    questions = all_questions(ALL_PAGES)
    sources = sources_for(
        questions, fixed_answers(kwargs, questions), kwargs["answers_file"], kwargs["defaults"]
    )
    if settings is not None:
        ignored = sorted(k for k in sources.fixed if k.startswith("settings."))
        for key in ignored:
            sources.fixed.pop(key)
        if ignored:
            _output.warn(
                "This home already has host settings; ignoring "
                f"{', '.join(ignored)}. Change them with `{command('configure', 'settings')}`."
            )
    ctx = WizardContext(
        home=home,
        existing_connectors=set(home.connector_names()),
        sample=kwargs["sample"],
        allow_replace=kwargs["force"],
    )
    wanted = sources.fixed.get("properties.name") or (
        SAMPLE_ANSWERS["properties.name"] if kwargs["sample"] else None
    )
    if kwargs["exist_ok"] and wanted in ctx.existing_connectors:
        if kwargs["force"]:
            raise UsageError("--exist-ok and --force contradict each other; choose one")
        if kwargs["json_output"]:
            _output.emit_json(
                "init",
                {
                    "home": str(home.root),
                    "connector": wanted,
                    "changes": [],
                    "notes": ["exists; unchanged"],
                },
            )
        else:
            _output.info(
                f"Connector {escape(wanted)} already exists in {escape(str(home.root))}; "
                "nothing changed."
            )
        return
    staging: Path | None = None
    try:
        if kwargs["sample"]:
            from ecmactl.sql.sample import create_sample_database

            sources.defaults.update(SAMPLE_ANSWERS)
            staging = Path(tempfile.mkdtemp(prefix="ecmactl-sample-"))
            staged_db = create_sample_database(staging / "contoso.db")
            target_db = home.resolve(SAMPLE_DB)
            if not target_db.exists():  # an existing sample database (with its data) is kept
                ctx.url_aliases[SAMPLE_URL] = f"sqlite:///{staged_db.as_posix()}"
        prompter = prompter_for(kwargs["no_input"])
        resolution = run_wizard(
            pages, ctx, sources, prompter, summary=lambda c: summarize(pages, c)
        )
    except BaseException:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        store_kind = ctx.get("settings.secret_store") if settings is None else settings.secret_store
        store = SecretStore(store_kind, home)
        if store.kind == "env" and resolution.source.get("properties.secret_token") == "default":
            raise UsageError(
                "with --secret-store env the generated token would be kept nowhere",
                hint="Supply the token: --secret-token-file PATH or $ECMACTL_SECRET_TOKEN.",
            )
        plan = Plan(home)
        if settings is None:
            settings = plan_settings(ctx, plan, store=store)
        name = ctx.get("properties.name")
        if staging is not None and ctx.url_aliases:
            plan.moves.append((staging / "contoso.db", home.resolve(SAMPLE_DB), "sample database"))
        host_answers = settings_answers(settings)
        if ctx.get("settings.certificate") == "existing":  # replay imports the same file
            for key in ("settings.certificate", "settings.certificate_path", "settings.key_path"):
                if ctx.get(key):
                    host_answers[key] = ctx.get(key)
        plan_connector(ctx, plan, questions, store=store, answers_extra=host_answers)
        if kwargs["dry_run"]:
            code = report_dry_run(
                plan,
                as_json=kwargs["json_output"],
                detailed_exitcode=kwargs["detailed_exitcode"],
                kind="init",
            )
            raise typer.Exit(code)
        apply_plan(plan)
    except (typer.Exit, SystemExit):
        raise
    except Exception:
        # Past the review, whatever failed, the answers are kept. (Ctrl-C is the user's own
        # choice, after which "nothing was written" holds.)
        if prompter is not None:
            keep_answers(ctx, questions, sample=kwargs["sample"])
        raise
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    # Answers kept by an earlier failed run of this connector are now stale.
    (home.answers_dir / f"{name}.unfinished.toml").unlink(missing_ok=True)

    if (
        store.kind == "file"
        and resolution.source.get("settings.secret_store") == "default"
        and not keyring_available()
    ):
        _output.warn(
            f"No OS keyring is available here; secrets are stored in {home.secrets_dir} "
            "(mode 0600, readable only by you). Choose otherwise with "
            "--secret-store keyring|file|env."
        )
    tenant_url = models.tenant_url(settings.hostname, settings.port, name)
    from ecmactl.cli.host import print_reload, reload_after_change

    # A host running from this home serves the new connector now (or says why it cannot).
    reload = reload_after_change(home)
    if kwargs["json_output"]:
        _output.emit_json(
            "init",
            {
                "home": str(home.root),
                "connector": name,
                "tenant_url": tenant_url,
                "secret_store": store.kind,
                "changes": plan.changes_done,
                "notes": plan.notes,
                "reload": reload,
            },
        )
        _exit_if_refused(reload)
        return
    _output.info(
        f"[green]✓[/green] Connector [bold]{name}[/bold] written to {escape(str(home.root))}"
    )
    if reload is not None:
        print_reload(reload, stderr=True)
    for note in plan.notes:
        _output.warn(note)
    _exit_if_refused(reload)
    if not _output.quiet():
        steps = [] if reload is not None else [("Start the host:", command("host", "run"))]
        steps += [
            ("Entra admin center, Tenant URL:", tenant_url),
            (
                "Entra admin center, Secret Token:",
                command("token", "show", "--reveal", connector=name),
            ),
            ("Check the path end to end:", command("agent", "test-connection", connector=name)),
        ]
        _output.console(stderr=True).print(
            "\nNext steps:\n"
            + "\n".join(f"  {i}. {what:<33} {how}" for i, (what, how) in enumerate(steps, 1)),
            soft_wrap=True,
            markup=False,
        )


def _exit_if_refused(reload: dict[str, Any] | None) -> None:
    """Exit 1, as `configure` does, when the running host refused the new config: the
    connector is written, but the host keeps serving the config it had."""
    if reload is not None and reload.get("result") != "ok":
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    from ecmactl.cli._flags import question_parameters, with_signature

    params = _common_parameters() + question_parameters(ALL_PAGES)
    app.command("init", help=HELP, no_args_is_help=False)(with_signature(run_init, params, HELP))


__all__ = ["SETTINGS", "register"]
