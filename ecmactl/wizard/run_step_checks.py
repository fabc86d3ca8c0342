"""The run-step pages' check against the live database (see ``ecmactl.sql.routines``)."""

from __future__ import annotations

from ecmactl.config.run_steps import ANCHOR, PAGE_NAMES, WATERMARK
from ecmactl.wizard.context import WizardContext

_EXPORTS = (
    ("add", "Add", "insert"),
    ("update", "Update", "update"),
    ("delete", "Delete", "delete"),
)


def _known(ctx: WizardContext) -> list[str]:
    names = [c.name for c in ctx.columns]
    return [*names, ANCHOR]


def check_export(ctx: WizardContext) -> str:
    """Each Add/Update/Delete procedure exists with its parameters, or each query prepares."""
    from ecmactl.sql.routines import check_query, check_routine
    from ecmactl.wizard.database import engine_for

    method = ctx.get("export.operation_method")
    engine = engine_for(ctx)
    notes: list[str] = []
    try:
        for operation, verb, query in _EXPORTS:
            if method == "Stored Procedure":
                name = str(ctx.get(f"export.{operation}_sp_name"))
                parameters = ctx.get(f"export.{operation}_sp_parameters")
                notes.append(check_routine(engine, f"{verb} SP", name, parameters))
            else:
                sql = str(ctx.get(f"export.{query}_query"))
                notes.append(check_query(engine, f"{verb} Query", sql, _known(ctx)))
    finally:
        engine.dispose()
    return "; ".join(notes)


def check_import(ctx: WizardContext) -> str:
    """The view or procedure exists (with its parameters), or the query prepares."""
    from ecmactl.sql.routines import check_query, check_routine
    from ecmactl.wizard.database import engine_for

    method = ctx.get("full_import.operation_method")
    engine = engine_for(ctx)
    try:
        if method == "View":
            view = str(ctx.get("full_import.view"))
            names = {name.casefold() for name, _ in ctx.tables}
            if ctx.tables and view.rpartition(".")[2].casefold() not in names:
                from ecmactl.errors import ConfigError

                raise ConfigError(
                    f"the database has no view {view}",
                    hint="Create the view first, or correct its name.",
                )
            return f"View {view} found"
        if method == "Stored Procedure":
            name = str(ctx.get("full_import.sp_name"))
            return check_routine(
                engine, "Stored Procedure", name, ctx.get("full_import.sp_parameters")
            )
        size = int(ctx.get("full_import.page_size") or 500)
        sql = str(ctx.get("full_import.query"))
        return check_query(engine, "SQL Query", sql, list(PAGE_NAMES), size)
    finally:
        engine.dispose()


def check_delta(ctx: WizardContext) -> str:
    """The delta procedure exists with its parameters, or the delta query prepares."""
    from ecmactl.sql.routines import check_query, check_routine
    from ecmactl.wizard.database import engine_for

    engine = engine_for(ctx)
    try:
        if ctx.get("delta_import.operation_method") == "Stored Procedure":
            name = str(ctx.get("delta_import.sp_name"))
            parameters = ctx.get("delta_import.sp_parameters")
            return check_routine(engine, "Stored Procedure", name, parameters)
        sql = str(ctx.get("delta_import.query"))
        return check_query(engine, "SQL Query", sql, [WATERMARK])
    finally:
        engine.dispose()
