"""An imported export as a plan of files: what it cannot carry is asked for (or taken from
flags) with the wizard's own questions, then every connector goes through the wizard's writer
(``plan_connector``) and the load-time rules, into one plan applied all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ecmactl.config.models import Connector, HostSettings
from ecmactl.config.rules import connector_violations
from ecmactl.config.store import load_settings
from ecmactl.errors import UsageError
from ecmactl.home import Home
from ecmactl.invocation import command
from ecmactl.migrate import Export
from ecmactl.migrate.generic_sql import Imported
from ecmactl.migrate.report import Report
from ecmactl.migrate.run_steps import checked
from ecmactl.secrets import SecretStore
from ecmactl.wizard.apply import Plan, plan_connector, plan_settings
from ecmactl.wizard.build import connector_answers, nest, settings_answers
from ecmactl.wizard.context import WizardContext
from ecmactl.wizard.engine import Sources, run_wizard
from ecmactl.wizard.pages import ALL_PAGES, CONNECTOR_PAGES, SETTINGS
from ecmactl.wizard.questions import Page, Prompter, Question

# The questions an export cannot answer, asked per imported connector.
INPUT_KEYS = (
    "properties.secret_token",
    "connectivity.database_url",
    "connectivity.user",
    "connectivity.password",
)


@dataclass
class ImportPlan:
    plan: Plan
    settings: HostSettings
    store: SecretStore
    connectors: list[Connector] = field(default_factory=list)


def answered_by_import() -> set[str]:
    """Question keys a flag may still answer with an import: the inputs and the host's page."""
    return set(INPUT_KEYS) | {q.key for q in SETTINGS.questions}


def input_page(name: str) -> Page:
    by_key = {q.key: q for page in CONNECTOR_PAGES for q in page.questions}
    return Page(
        "import",
        f"Import {name}",
        "What an export cannot carry: the secret token, and where the database is (a file "
        "DSN stays on the Windows machine).",
        tuple(by_key[key] for key in INPUT_KEYS),
    )


def plan_import(
    home: Home, export: Export, sources: Sources, prompter: Prompter | None, *, force: bool
) -> ImportPlan:
    """Every file, certificate and secret the import writes, in memory; nothing touches the
    home. Raises MissingInputError (naming the flags) when nothing may prompt."""
    existing = set(home.connector_names())
    clash = [i.connector.name for i in export.connectors if i.connector.name in existing]
    if clash and not force:
        raise UsageError(
            f"connector {', '.join(clash)} already exists in {home.root}",
            hint="Pass --force to replace it with the imported one, or import into another "
            f"home (--home). See `{command('configure', '--help')}` to change it instead.",
        )
    plan = Plan(home)
    questions: list[Question] = [q for page in ALL_PAGES for q in page.questions]
    settings, store = _settings(home, export, sources, prompter, plan)
    result = ImportPlan(plan, settings, store)
    for item in export.connectors:
        result.connectors.append(
            _connector(
                home,
                item,
                sources,
                prompter,
                plan,
                questions,
                store,
                settings,
                force,
                export.report,
            )
        )
    return result


def _settings(
    home: Home, export: Export, sources: Sources, prompter: Prompter | None, plan: Plan
) -> tuple[HostSettings, SecretStore]:
    report = export.report
    if home.settings_path.exists():
        settings = load_settings(home)
        if export.port is not None:
            same = export.port == settings.port
            report.add(
                "",
                "Setting.Port",
                "mapped" if same else "not mapped",
                ""
                if same
                else f"this home's host listens on {settings.port} already; change "
                f"it with `{command('configure', 'settings', '--port', str(export.port))}`",
                target="settings.port",
                value=str(export.port),
            )
        return settings, SecretStore(settings.secret_store, home)
    ctx = WizardContext(home=home)
    host_sources = replace(sources, defaults=dict(sources.defaults))
    if export.port is not None:
        host_sources.defaults["settings.port"] = export.port
        report.add("", "Setting.Port", "mapped", target="settings.port", value=str(export.port))
    run_wizard([SETTINGS], ctx, host_sources, prompter)
    store = SecretStore(ctx.get("settings.secret_store"), home)
    return plan_settings(ctx, plan, store=store), store


def _steps_for_database(ctx: WizardContext, item: Imported, report: Report) -> None:
    """Set back to the table a run step the database cannot run (a procedure on SQLite, named
    parameters on MariaDB), as the mapping does for a step that breaks a rule: reported, not
    refused, so the rest of the connector is still imported."""
    imported = item.connector
    url = ctx.get("connectivity.database_url")
    if not url or not imported.uses_run_steps:
        return
    connectivity = replace(imported.connectivity, database_url=str(url))
    kept = checked(replace(imported, connectivity=connectivity), report, item.source)
    for section in ("export", "full_import", "delta_import"):
        if getattr(imported, section) is not None and getattr(kept, section) is None:
            ctx.set(f"{section}.operation_method", "Table")


def _connector(
    home: Home,
    item: Imported,
    sources: Sources,
    prompter: Prompter | None,
    plan: Plan,
    questions: list[Question],
    store: SecretStore,
    settings: HostSettings,
    force: bool,
    report: Report,
) -> Connector:
    imported = item.connector
    ctx = WizardContext(
        home=home, existing_connectors=set(home.connector_names()), allow_replace=force
    )
    ctx.answers = nest(connector_answers(imported))
    for key in ("connectivity.database_url", "connectivity.user"):
        ctx.unset(key)  # asked below, with the export's value (if any) as the default
    ctx.columns = list(imported.schema.columns)
    ctx.child_tables = list(imported.schema.child_tables)
    defaults: dict[str, Any] = {}
    if item.user_default:
        defaults["connectivity.user"] = item.user_default
    if item.url_default:
        defaults["connectivity.database_url"] = item.url_default
    own = replace(sources, defaults={**sources.defaults, **defaults})
    resolution = run_wizard([input_page(imported.name)], ctx, own, prompter)
    _steps_for_database(ctx, item, report)
    if store.kind == "env" and resolution.source.get("properties.secret_token") == "default":
        raise UsageError(
            "with --secret-store env the generated token would be kept nowhere",
            hint="Supply the token: --secret-token-file PATH or $ECMACTL_SECRET_TOKEN.",
        )
    connector = plan_connector(
        ctx, plan, questions, store=store, answers_extra=settings_answers(settings)
    )
    path = home.connector_path(connector.name)
    for violation in connector_violations(connector, path):
        raise UsageError(
            f"the imported connector {connector.name} breaks a rule: {violation.error.message}",
            hint=violation.error.hint,
        )
    return connector
