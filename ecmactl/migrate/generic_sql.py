"""Microsoft's Generic SQL connector, as exported, mapped onto ecmactl connectors.

Parameter names are the wizard's labels (exports differ between versions, so names are compared
normalised, see ``source.normalise``). Each parameter ends in one report finding. What ecmactl
cannot do yet (multi-valued attributes, output parameters, trigger or snapshot deltas) is
reported as "not mapped" with what the connector does instead; nothing is dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ecmactl.config import rules
from ecmactl.config.models import DEFAULT_AUTOSYNC_MINUTES, Connector
from ecmactl.errors import UsageError
from ecmactl.invocation import command
from ecmactl.migrate.connector import build_connector
from ecmactl.migrate.parameters import Draft, map_parameter
from ecmactl.migrate.report import Report
from ecmactl.migrate.run_steps import map_steps
from ecmactl.migrate.source import GENERIC_SQL_LIBRARY, SourceConnector, SourceObjectType


@dataclass
class Imported:
    """A connector built from an export, with what is still to be asked for it."""

    connector: Connector  # database_url is empty: it is asked for
    user_default: str | None = None
    url_default: str | None = None
    source: str = ""  # the connector's name in the export, for the report


def check_library(source: SourceConnector, path: str) -> None:
    library = source.library.strip()
    bare = re.sub(r"\.dll$", "", library, flags=re.IGNORECASE)
    if bare.casefold() != GENERIC_SQL_LIBRARY.casefold():
        raise UsageError(
            f"{path}: connector {source.name!r} uses {library or 'no connector library'}; "
            f"ecmactl imports Generic SQL connectors only ({GENERIC_SQL_LIBRARY})",
            hint="Export only the Generic SQL connector, or recreate this one with "
            f"`{command('init')}`.",
        )


def map_connector(source: SourceConnector, report: Report) -> list[Imported]:
    """The ecmactl connectors for ``source``: one per object type ecmactl provisions."""
    draft = Draft(connector_name(source.name, report, source.name))
    _autosync(source, draft, report)
    types = {n.lower() for t in source.object_types for n in (t.name, t.external_name) if n}
    for parameter in source.parameters:
        map_parameter(parameter, draft, types, report, source.name)
    _run_profiles(source, draft, report)
    draft.values["_run_steps"] = map_steps(draft.steps, draft.step_tables, report, source.name)
    _step_tables(draft, report, source.name)
    users = [t for t in source.object_types if _provisions(t, report, source.name)]
    if not users:
        raise UsageError(
            f"{report.source}: connector {source.name!r} has no User object type "
            f"(it has {', '.join(t.name for t in source.object_types) or 'none'})",
            hint="ecmactl provisions users only; export a connector whose object type is User.",
        )
    out = []
    for object_type in users:
        name = draft.name if len(users) == 1 else f"{draft.name}_{object_type.name}"
        connector = build_connector(draft, object_type, name, report, source.name)
        out.append(Imported(connector, draft.user_default, draft.url_default, source.name))
    return out


def connector_name(name: str, report: Report, where: str) -> str:
    """The export's name when ecmactl accepts it; otherwise the closest name it does."""
    try:
        return rules.connector_name(name)
    except rules.RuleError as exc:
        fixed = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._-")[:64] or "imported"
        if fixed.casefold().startswith(rules.URL_PREFIX):
            fixed = fixed[len(rules.URL_PREFIX) :] or "imported"
        report.add(
            where,
            "Name",
            "mapped",
            f"renamed to {fixed}: {exc}; the Tenant URL in Entra changes to "
            f"/{rules.URL_PREFIX}{fixed}/scim",
            target="properties.name",
            value=name,
        )
        return fixed


def _autosync(source: SourceConnector, draft: Draft, report: Report) -> None:
    raw = source.autosync_minutes
    if raw is None:
        return
    try:
        draft.values["properties.autosync_minutes"] = rules.autosync_minutes(int(raw))
        report.add(
            source.name, "AutosyncTimer", "mapped", target="properties.autosync_minutes", value=raw
        )
    except (ValueError, rules.RuleError) as exc:
        report.add(
            source.name,
            "AutosyncTimer",
            "not mapped",
            f"{exc}; the default {DEFAULT_AUTOSYNC_MINUTES} minutes is used",
            value=raw,
        )


def _provisions(object_type: SourceObjectType, report: Report, where: str) -> bool:
    """Whether ecmactl provisions this type; ECMA2Host's Entra-facing name counts too."""
    for name in (object_type.name, object_type.external_name):
        try:
            if name:
                rules.target_object(name)
                return True
        except rules.RuleError:
            pass
    try:
        rules.target_object(object_type.name)
    except rules.RuleError as exc:
        report.add(where, f"object type {object_type.name}", "not mapped", str(exc))
    return False


def _run_profiles(source: SourceConnector, draft: Draft, report: Report) -> None:
    steps = source.run_steps
    if steps is None:
        return
    draft.values["run_profiles.full_import"] = "fullimport" in steps
    draft.values["run_profiles.delta_import"] = "deltaimport" in steps
    for step in dict.fromkeys(steps):
        report.add(source.name, f"run profile {step}", "mapped", target=f"run_profiles.{step}")
    if "export" not in steps:
        report.add(
            source.name,
            "run profile export",
            "not mapped",
            "Export is always on in ecmactl (Entra writes through it)",
        )


def _step_tables(draft: Draft, report: Report, where: str) -> None:
    schema_tables = {t.casefold() for t in draft.table.values()}
    for name, table in draft.step_tables:
        if not schema_tables or table.casefold() in schema_tables:
            report.add(where, name, "mapped", target="schema.table", value=table)
        else:
            report.add(
                where,
                name,
                "not mapped",
                "ecmactl reads and writes one table or view, Schema 2's "
                f"({', '.join(sorted(draft.table.values()))}), in every run step",
                value=table,
            )
