"""The load-time rules of the run-step pages (Export, Full Import), used by ``rules.py``.

Everything that can be known without a database is checked here, so a connector file cannot
hold a placeholder naming an unknown attribute, a procedure without its name or a method the
database cannot run: the wizard refuses it when configured and every load refuses a hand edit.
Whether the procedure exists and its parameters match is asked of the live database at
configure time (``ecmactl.sql.routines``).
"""

from __future__ import annotations

from collections.abc import Iterator

from ecmactl.config.models import Connector, DeltaImportStep, ExportStep, ImportStep
from ecmactl.config.run_steps import (
    ANCHOR,
    PAGE_NAMES,
    WATERMARK,
    StatementError,
    parse_parameters,
    placeholders,
    resolve,
    routine_name,
)

MAX_PAGE_SIZE = 100_000
_EXPORT_PAGE = "configure export"
_IMPORT_PAGE = "configure full-import"
_DELTA_PAGE = "configure delta-import"
# (procedure name field, its parameters field, the SQL Query field) per export operation
EXPORT_FIELDS = (
    ("add_sp_name", "add_sp_parameters", "insert_query"),
    ("update_sp_name", "update_sp_parameters", "update_query"),
    ("delete_sp_name", "delete_sp_parameters", "delete_query"),
)


def backend(connector: Connector) -> str:
    """``sqlite``, ``postgresql``, ``mysql``, ``mssql``… from the database URL's scheme."""
    scheme = connector.connectivity.database_url.split(":", 1)[0]
    name = scheme.split("+", 1)[0].lower()
    return "mysql" if name == "mariadb" else name


def attribute_names(connector: Connector) -> list[str]:
    """What an ``@Attribute`` may name: every column of Schema 2 (and the selected ones)."""
    names = [c.name for c in connector.schema.columns]
    names += [connector.schema.anchor, *(a.column for a in connector.attributes)]
    return list(dict.fromkeys(names))


def run_step_problems(connector: Connector) -> Iterator[tuple[str, str, str]]:
    """(key, problem, page) for each run-step rule the connector breaks."""
    if connector.export is not None:
        for key, problem in _export_problems(connector, connector.export):
            yield key, problem, _EXPORT_PAGE
    if connector.full_import is not None:
        for key, problem in _import_problems(connector, connector.full_import):
            yield key, problem, _IMPORT_PAGE
    if connector.delta_import is not None:
        for key, problem in _delta_problems(connector, connector.delta_import):
            yield key, problem, _DELTA_PAGE


def _export_problems(connector: Connector, step: ExportStep) -> Iterator[tuple[str, str]]:
    method = step.operation_method
    known = [*attribute_names(connector), ANCHOR]
    if method == "Stored Procedure":
        yield from _procedure_dialect(connector, "export")
        if step.use_named_parameters and backend(connector) == "mysql":
            yield (
                "export.use_named_parameters",
                "MariaDB and MySQL pass procedure parameters by position only; set "
                "export.use_named_parameters = false (the lines' order is the order passed)",
            )
        for name_key, params_key, _ in EXPORT_FIELDS:
            name = getattr(step, name_key)
            if not name:
                yield (
                    f"export.{name_key}",
                    f'export.operation_method is "{method}" but {name_key} is not set',
                )
                continue
            yield from _routine(f"export.{name_key}", name)
            yield from _parameters(f"export.{params_key}", getattr(step, params_key), known)
    elif method == "SQL Query":
        for _, _, query_key in EXPORT_FIELDS:
            query = getattr(step, query_key)
            if not query or not query.strip():
                yield (
                    f"export.{query_key}",
                    f'export.operation_method is "{method}" but {query_key} is not set',
                )
                continue
            yield from _statement(f"export.{query_key}", query, known)


def _import_problems(connector: Connector, step: ImportStep) -> Iterator[tuple[str, str]]:
    method = step.operation_method
    if not 1 <= step.page_size <= MAX_PAGE_SIZE:
        yield (
            "full_import.page_size",
            f"full_import.page_size {step.page_size} is not from 1 to {MAX_PAGE_SIZE}",
        )
    known = list(PAGE_NAMES)
    if method == "View":
        if not step.view:
            yield "full_import.view", 'full_import.operation_method is "View" but view is not set'
        else:
            yield from _routine("full_import.view", step.view)
    else:
        yield from _read_step(connector, "full_import", "full import", step, known)


def _delta_problems(connector: Connector, step: DeltaImportStep) -> Iterator[tuple[str, str]]:
    method = step.operation_method
    if method != "Table" and not connector.global_.watermark_column:
        yield (
            "delta_import.operation_method",
            f'delta_import.operation_method is "{method}" but global.watermark_column is not '
            "set (the new watermark is the highest value of that column among the rows)",
        )
    known = [WATERMARK]
    yield from _read_step(connector, "delta_import", "delta import", step, known)


def _read_step(
    connector: Connector,
    section: str,
    label: str,
    step: ImportStep | DeltaImportStep,
    known: list[str],
) -> Iterator[tuple[str, str]]:
    """The Stored Procedure / SQL Query rules an import step and a delta import step share."""
    method = step.operation_method
    if method == "Stored Procedure":
        yield from _procedure_dialect(connector, label)
        if not step.sp_name:
            yield (
                f"{section}.sp_name",
                f'{section}.operation_method is "{method}" but sp_name is not set',
            )
        else:
            yield from _routine(f"{section}.sp_name", step.sp_name)
        yield from _parameters(f"{section}.sp_parameters", step.sp_parameters, known)
    elif method == "SQL Query":
        if not step.query or not step.query.strip():
            yield (
                f"{section}.query",
                f'{section}.operation_method is "{method}" but query is not set',
            )
        else:
            yield from _statement(f"{section}.query", step.query, known)


def _procedure_dialect(connector: Connector, step: str) -> Iterator[tuple[str, str]]:
    if backend(connector) == "sqlite":
        section = {"export": "export", "full import": "full_import"}.get(step, "delta_import")
        yield (
            f"{section}.operation_method",
            f"SQLite has no stored procedures; use SQL Query (or Table) for the {step}",
        )


def _routine(key: str, name: str) -> Iterator[tuple[str, str]]:
    try:
        routine_name(name)
    except StatementError as exc:
        yield key, f"{key}: {exc}"


def _parameters(key: str, text: str | None, known: list[str]) -> Iterator[tuple[str, str]]:
    try:
        parameters = parse_parameters(text)
    except StatementError as exc:
        yield key, f"{key}: {exc}"
        return
    for parameter in parameters:
        if parameter.placeholder is not None and resolve(parameter.placeholder, known) is None:
            yield (
                key,
                f"{key}: parameter {parameter.name} names {_unknown(parameter.placeholder, known)}",
            )


def _statement(key: str, sql: str, known: list[str]) -> Iterator[tuple[str, str]]:
    try:
        found = placeholders(sql)
    except StatementError as exc:
        yield key, f"{key}: {exc}"
        return
    for placeholder in found:
        if resolve(placeholder.name, known) is None:
            yield key, f"{key} names {_unknown(placeholder.name, known)}"


def parameters_problem(text: str | None, known: list[str]) -> str | None:
    """What is wrong with procedure parameter lines (the wizard's validator), or None."""
    return next((problem for _, problem in _parameters("parameters", text, known)), None)


def statement_problem(sql: str, known: list[str]) -> str | None:
    """What is wrong with a SQL query's placeholders (the wizard's validator), or None."""
    return next((problem for _, problem in _statement("the query", sql, known)), None)


def _unknown(name: str, known: list[str]) -> str:
    return f"@{name}, which is not an attribute (known: {', '.join('@' + k for k in known)})"
