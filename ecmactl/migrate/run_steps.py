"""The Generic SQL wizard's Export, Full Import and Delta Import pages, as exported, mapped
onto ecmactl's run steps (Stored Procedure and SQL Query; Table and View are Schema 2's).

Each page's parameters are gathered while the export is read (their order varies) and mapped
once the step's Operation Method is known. The steps then meet the load-time rules the wizard's
answers meet (``run_step_rules``); a step that breaks one, for example a placeholder naming an
attribute that is not imported, falls back to the Schema 2 table with the rule's words in the
report, so the rest of the connector is still imported and the step can be fixed with
``ecmactl configure``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ecmactl.config.models import Connector, DeltaImportStep, ExportStep, ImportStep
from ecmactl.config.run_step_rules import run_step_problems
from ecmactl.config.run_steps import (
    END_INDEX,
    START_INDEX,
    StatementError,
    parameter_lines,
    placeholders,
)
from ecmactl.migrate.report import Finding, Report, Status
from ecmactl.migrate.source import normalise

STEPS = ("export", "fullimport", "deltaimport")
_METHODS = {"storedprocedure": "Stored Procedure", "sp": "Stored Procedure"}
_METHODS.update(dict.fromkeys(("sqlquery", "query"), "SQL Query"))
# normalised parameter name -> (step it belongs to when the export does not say, field)
_FIELDS: dict[str, tuple[str, str]] = {
    "operationmethod": ("", "operation_method"),
    "addspname": ("export", "add_sp_name"),
    "insertspname": ("export", "add_sp_name"),
    "updatespname": ("export", "update_sp_name"),
    "deletespname": ("export", "delete_sp_name"),
    "addspparameters": ("export", "add_sp_parameters"),
    "insertspparameters": ("export", "add_sp_parameters"),
    "updatespparameters": ("export", "update_sp_parameters"),
    "deletespparameters": ("export", "delete_sp_parameters"),
    "storedprocedureparameters": ("", "sp_parameters"),
    "usenamedparameterstoexecuteastoredprocedure": ("export", "use_named_parameters"),
    "usenamedparameters": ("export", "use_named_parameters"),
    "insertquery": ("export", "insert_query"),
    "updatequery": ("export", "update_query"),
    "deletequery": ("export", "delete_query"),
    "sqlquery": ("", "query"),
    "importquery": ("fullimport", "query"),
    "deltaquery": ("deltaimport", "query"),
    "tableviewsp": ("", "sp_name"),
    "startindexparametername": ("fullimport", "start_index"),
    "endindexparametername": ("fullimport", "end_index"),
    "pagesize": ("fullimport", "page_size"),
    "pagesizefullimport": ("fullimport", "page_size"),
    "pagesizedeltaimport": ("deltaimport", "page_size"),
    "importdefaultpagesize": ("fullimport", "page_size"),  # MIM's extension-config
}
_PAGES = {"export": "export", "fullimport": "full-import", "deltaimport": "delta-import"}
_TITLES = {"export": "Export", "full_import": "Full Import", "delta_import": "Delta Import"}
_SECTIONS = {"export": "export", "fullimport": "full_import", "deltaimport": "delta_import"}


@dataclasses.dataclass
class StepParameter:
    name: str  # as exported, for the report
    value: str
    slot: int | None = None  # its finding's place in the report (export order), if reserved

    def settle(
        self, report: Report, where: str, status: Status, reason: str = "", target: str = ""
    ) -> None:
        """Report what became of the parameter, where the export had it."""
        finding = Finding(where, self.name, status, reason, target or None, self.value)
        if self.slot is None:
            report.findings.append(finding)
        else:
            report.findings[self.slot] = finding


Gathered = dict[str, dict[str, StepParameter]]  # step -> field -> parameter


def step_field(key: str, step: str | None) -> tuple[str, str] | None:
    """(step, field) when the normalised parameter ``key`` belongs to a run-step page: the
    step it was read from, else the page that has it."""
    entry = _FIELDS.get(key)
    if entry is None:
        return None
    if step in STEPS:
        return step, entry[1]
    return (entry[0], entry[1]) if entry[0] else None


def is_procedure_or_query(text: str) -> bool:
    return normalise(text) in _METHODS


def map_steps(
    gathered: Gathered, step_tables: list[tuple[str, str]], report: Report, where: str
) -> dict[str, Any]:
    """The run steps of the export (unchecked), keyed by the Connector field, each gathered
    parameter reported once. A step's Table/View/SP names its procedure under the Stored
    Procedure method, else a table (added to ``step_tables``, reported with Schema 2's)."""
    steps: dict[str, Any] = {}
    for step in STEPS:
        fields = gathered.get(step, {})
        method_p = fields.get("operation_method")
        # gathered only for a procedure or query (Table and View are reported as Schema 2's)
        method = _METHODS.get(normalise(method_p.value)) if method_p else None
        if (method != "Stored Procedure" or step == "export") and "sp_name" in fields:
            table = fields.pop("sp_name")
            step_tables.append((table.name, table.value))
        if method is None:
            _report_unused(fields, step, report, where)
            continue
        built = _build(step, method, fields, report, where)
        steps[_SECTIONS[step]] = built
    return steps


def _build(
    step: str, method: str, fields: dict[str, StepParameter], report: Report, where: str
) -> Any:
    section = _SECTIONS[step]

    def take(field: str, target: str | None = None) -> str | None:
        p = fields.get(field)
        if p is None:
            return None
        p.settle(report, where, "mapped", target=f"{section}.{target or field}")
        return p.value.strip() or None

    def drop(field: str, reason: str) -> None:
        p = fields.get(field)
        if p is not None:
            p.settle(report, where, "not mapped", reason)

    take("operation_method")
    if step == "export":
        shared = fields.get("sp_parameters")
        values: dict[str, Any] = {}
        if method == "Stored Procedure":
            for op in ("add", "update", "delete"):
                name = take(f"{op}_sp_name")
                values[f"{op}_sp_name"] = _routine(name)
                own = take(f"{op}_sp_parameters")
                lines = own if own is not None else (shared.value if shared else None)
                values[f"{op}_sp_parameters"] = _input_lines(lines, report, where)
            own_all = all(f"{op}_sp_parameters" in fields for op in ("add", "update", "delete"))
            if shared is not None and own_all:
                drop("sp_parameters", "Add, Update and Delete each have parameters of their own")
            elif shared is not None:
                shared.settle(
                    report,
                    where,
                    "mapped",
                    "each of Add, Update and Delete without parameters of its own",
                    "export.*_sp_parameters",
                )
            named = take("use_named_parameters")
            values["use_named_parameters"] = (named or "").lower() in ("true", "1", "yes")
            for field in ("insert_query", "update_query", "delete_query"):
                drop(field, 'the Export method is "Stored Procedure"; the query is not used')
        else:
            for field in ("insert_query", "update_query", "delete_query"):
                values[field] = take(field)
            for field in (
                f"{op}_sp_{kind}"
                for op in ("add", "update", "delete")
                for kind in ("name", "parameters")
            ):
                drop(field, 'the Export method is "SQL Query"; the procedure is not used')
            drop("sp_parameters", 'the Export method is "SQL Query"; no procedure is called')
            drop("use_named_parameters", 'the Export method is "SQL Query"; no procedure is called')
        return ExportStep(operation_method=method, **values)  # type: ignore[arg-type]
    pages = {"start_index": START_INDEX, "end_index": END_INDEX} if step == "fullimport" else {}
    renames = {}
    for field, ours in pages.items():
        given = take(field, "sp_parameters" if method == "Stored Procedure" else "query") or ours
        renames[given.lstrip("@")] = ours
    values = {}
    if method == "Stored Procedure":
        values["sp_name"] = _routine(take("sp_name"))
        lines = _input_lines(take("sp_parameters"), report, where)
        values["sp_parameters"] = _page_lines(lines, renames)
        drop("query", 'the method is "Stored Procedure"; the query is not used')
    else:
        values["query"] = _renamed(take("query"), renames)
        drop("sp_name", 'the method is "SQL Query"; no procedure is called')
        drop("sp_parameters", 'the method is "SQL Query"; no procedure is called')
    if step == "fullimport":
        size = fields.get("page_size")
        if size is not None and size.value.strip().isdigit() and int(size.value) > 0:
            values["page_size"] = int(take("page_size") or 0)
        else:
            drop("page_size", "not a page size; the default is used")
        return ImportStep(operation_method=method, **values)  # type: ignore[arg-type]
    drop(
        "page_size",
        "ecmactl's delta import reads every changed row in one call (no pages)",
    )
    return DeltaImportStep(operation_method=method, **values)  # type: ignore[arg-type]


def _report_unused(fields: dict[str, StepParameter], step: str, report: Report, where: str) -> None:
    for field, p in fields.items():
        if field == "page_size":
            reason = "not needed by ecmactl: the Table and View methods read in one query"
        else:
            reason = f"the {_PAGES[step]} step's method is Table or View, which does not use it"
        p.settle(report, where, "not mapped", reason)


def _routine(name: str | None) -> str | None:
    """A procedure name without SQL Server's brackets or quotes (the rules check the rest)."""
    if name is None:
        return None
    return ".".join(part.strip().strip('[]"`') for part in name.split("."))


def _input_lines(text: str | None, report: Report, where: str) -> str | None:
    """The INPUT lines; an OUTPUT line is left out with a report line (ecmactl reads results
    as rows, so an output parameter would carry nothing it uses)."""
    if text is None:
        return None
    kept = []
    for line in parameter_lines(text):
        parts = [p.strip() for p in line.split(":", 2)]
        if len(parts) == 3 and parts[1].upper() in ("OUTPUT", "INPUTOUTPUT", "INOUT", "RETURN"):
            report.add(
                where,
                f"parameter {parts[0]}",
                "not mapped",
                f"{parts[1]} parameters are not supported (ecmactl passes values in and reads "
                "rows back); the line is left out",
                value=line.strip(),
            )
        elif line.strip():
            kept.append(line.strip())
    return "\n".join(kept) or None


def _page_lines(text: str | None, renames: dict[str, str]) -> str | None:
    """The procedure's lines with a line for each page bound it does not name yet (Microsoft's
    connector passes the Start/End Index parameters without a line of their own)."""
    lines = [line for line in parameter_lines(text) if line.strip()]
    named = {line.split(":", 1)[0].strip().lstrip("@").casefold() for line in lines}
    for given, ours in renames.items():
        if given.casefold() not in named:
            lines.append(f"{given}:INPUT:@{ours}")
    return "\n".join(lines) or None


def _renamed(sql: str | None, renames: dict[str, str]) -> str | None:
    """``sql`` with the export's page-bound placeholders (``@Start``) named as ecmactl's."""
    if sql is None:
        return None
    try:
        found = placeholders(sql)
    except StatementError:
        return sql  # the rules report it
    folded = {k.casefold(): v for k, v in renames.items()}
    for p in reversed(found):
        ours = folded.get(p.name.casefold())
        if ours is not None:
            sql = f"{sql[: p.start]}@{ours}{sql[p.end :]}"
    return sql


def checked(connector: Connector, report: Report, where: str) -> Connector:
    """``connector`` with each run step that breaks a load-time rule set back to the Schema 2
    table, each problem reported."""
    problems = list(run_step_problems(connector))
    dropped: dict[str, None] = {}
    for key, problem, _ in problems:
        section = key.split(".", 1)[0]
        dropped[section] = None
        page = _PAGES[{v: k for k, v in _SECTIONS.items()}[section]]
        report.add(
            where,
            f"{page} step",
            "not mapped",
            f"{problem}; the step reads or writes the Schema 2 table instead (set it "
            f"later on the {_TITLES[section]} page: configure {page})",
        )
    return dataclasses.replace(
        connector,
        export=None if "export" in dropped else connector.export,
        full_import=None if "full_import" in dropped else connector.full_import,
        delta_import=None if "delta_import" in dropped else connector.delta_import,
    )
