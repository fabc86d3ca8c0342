"""Export and Full Import: the run-step pages, with Microsoft's field names.

Operation Method ``Table`` (the default) writes and reads the Schema 2 table; ``Stored
Procedure`` and ``SQL Query`` serve a DBA who grants EXECUTE on procedures and no table rights.
Placeholders are checked against the attributes as they are typed (the rules every load applies);
the check action then asks the live database whether each procedure exists with those parameters
and each query prepares.
"""

from __future__ import annotations

from ecmactl.config.models import (
    DEFAULT_PAGE_SIZE,
    DELTA_METHODS,
    EXPORT_METHODS,
    IMPORT_METHODS,
)
from ecmactl.config.run_step_rules import MAX_PAGE_SIZE, parameters_problem, statement_problem
from ecmactl.config.run_steps import (
    ANCHOR,
    PAGE_NAMES,
    WATERMARK,
    StatementError,
    routine_name,
)
from ecmactl.wizard.context import WizardContext
from ecmactl.wizard.questions import Action, Choice, Choices, Invalid, Page, Question, When

PROCEDURE = "Stored Procedure"
QUERY = "SQL Query"
_NO_PROCEDURES = "SQLite has no stored procedures: use SQL Query (or Table)"


def _is_sqlite(ctx: WizardContext) -> bool:
    from ecmactl.wizard.database import is_sqlite

    return is_sqlite(ctx)


def _methods(values: tuple[str, ...]) -> Choices:
    def choices(ctx: WizardContext) -> list[Choice]:
        sqlite = _is_sqlite(ctx)
        return [Choice(v, v, _NO_PROCEDURES if sqlite and v == PROCEDURE else "") for v in values]

    return choices


def _method(value: str, ctx: WizardContext) -> str:
    if value == PROCEDURE and _is_sqlite(ctx):
        raise Invalid(_NO_PROCEDURES)
    return value


def _routine(value: str, ctx: WizardContext) -> str:
    try:
        return routine_name(value)
    except StatementError as exc:
        raise Invalid(str(exc)) from None


def _attributes(ctx: WizardContext) -> list[str]:
    names = [c.name for c in ctx.columns] or list(ctx.get("attributes.columns") or [])
    anchor = ctx.get("schema.anchor")
    return list(dict.fromkeys([*names, *([anchor] if anchor else [])]))


def _export_parameters(value: str, ctx: WizardContext) -> str:
    problem = parameters_problem(value, [*_attributes(ctx), ANCHOR])
    if problem:
        raise Invalid(problem)
    return value


def _export_query(value: str, ctx: WizardContext) -> str:
    problem = statement_problem(value, [*_attributes(ctx), ANCHOR])
    if problem:
        raise Invalid(problem)
    return value


def _import_parameters(value: str, ctx: WizardContext) -> str:
    problem = parameters_problem(value, list(PAGE_NAMES))
    if problem:
        raise Invalid(problem)
    return value


def _import_query(value: str, ctx: WizardContext) -> str:
    problem = statement_problem(value, list(PAGE_NAMES))
    if problem:
        raise Invalid(problem)
    return value


def _delta_parameters(value: str, ctx: WizardContext) -> str:
    problem = parameters_problem(value, [WATERMARK])
    if problem:
        raise Invalid(problem)
    return value


def _delta_query(value: str, ctx: WizardContext) -> str:
    problem = statement_problem(value, [WATERMARK])
    if problem:
        raise Invalid(problem)
    return value


def _delta_is(*methods: str) -> When:
    return lambda ctx: (
        bool(ctx.get("run_profiles.delta_import"))
        and ctx.get("delta_import.operation_method") in methods
    )


def _check_delta(ctx: WizardContext) -> str:
    from ecmactl.wizard.run_step_checks import check_delta

    return check_delta(ctx)


def _page_size(value: int, ctx: WizardContext) -> int:
    if not 1 <= value <= MAX_PAGE_SIZE:
        raise Invalid(f"a page size is a number from 1 to {MAX_PAGE_SIZE}")
    return value


def _export_is(method: str) -> When:
    return lambda ctx: ctx.get("export.operation_method") == method


def _import_is(*methods: str) -> When:
    return lambda ctx: ctx.get("full_import.operation_method") in methods


def _check_export(ctx: WizardContext) -> str:
    from ecmactl.wizard.run_step_checks import check_export

    return check_export(ctx)


def _check_import(ctx: WizardContext) -> str:
    from ecmactl.wizard.run_step_checks import check_import

    return check_import(ctx)


_PARAMS_HELP = (
    "one Name:Direction:Value per line (or separated by ';'), as Microsoft's wizard writes "
    "them, e.g. p_login:INPUT:@ContosoLogin; @Attribute binds an attribute, @Anchor the anchor, "
    "anything else is bound as a literal. Direction: INPUT."
)


def _procedure(operation: str, verb: str, flag: str) -> tuple[Question, Question]:
    return (
        Question(
            f"export.{operation}_sp_name",
            f"{verb} SP Name",
            "text",
            f"The procedure (or PostgreSQL function) that {verb.lower()}s a user.",
            f"--{flag}-sp-name",
            validate=_routine,
            when=_export_is(PROCEDURE),
            metavar="NAME",
        ),
        Question(
            f"export.{operation}_sp_parameters",
            f"{verb} SP Parameters",
            "text",
            f"The {verb} procedure's parameters: {_PARAMS_HELP}",
            f"--{flag}-sp-parameters",
            validate=_export_parameters,
            when=_export_is(PROCEDURE),
            required=False,
            metavar="LINES",
        ),
    )


def _query(operation: str, verb: str) -> Question:
    return Question(
        f"export.{operation}_query",
        f"{verb} Query",
        "text",
        f"The SQL statement that {verb.lower()}s a user, with @Attribute placeholders "
        "(@Anchor: the user's anchor); every value is bound, never pasted into the text.",
        f"--{operation}-query",
        validate=_export_query,
        when=_export_is(QUERY),
        metavar="SQL",
    )


EXPORT = Page(
    "export",
    "Export",
    "How a create, update or delete from Entra is written: to the table, or through stored "
    "procedures or SQL statements the DBA allows.",
    (
        Question(
            "export.operation_method",
            "Operation Method",
            "select",
            "Table (the Schema 2 table, written directly), Stored Procedure (Add/Update/Delete "
            "procedures, for an account with EXECUTE rights only) or SQL Query (your "
            "statements). SQLite has no procedures.",
            "--export-method",
            default=lambda ctx: "Table",
            choices=_methods(EXPORT_METHODS),
            validate=_method,
            metavar="|".join(EXPORT_METHODS),
        ),
        *_procedure("add", "Add", "add"),
        *_procedure("update", "Update", "update"),
        *_procedure("delete", "Delete", "delete"),
        Question(
            "export.use_named_parameters",
            "Use named parameters",
            "confirm",
            "Pass procedure parameters by name (PostgreSQL name => value, SQL Server "
            "@name = value) instead of by position (MariaDB: by position only).",
            "--use-named-parameters",
            default=lambda ctx: False,
            when=_export_is(PROCEDURE),
        ),
        _query("insert", "Insert"),
        _query("update", "Update"),
        _query("delete", "Delete"),
        Action(
            "export.check",
            "Check the export statements",
            _check_export,
            back_to="export.operation_method",
            when=lambda ctx: ctx.get("export.operation_method") in (PROCEDURE, QUERY),
        ),
    ),
)

FULL_IMPORT = Page(
    "full-import",
    "Full Import",
    "How every row is read at start and on each autosync: the table, a view, or a procedure "
    "or query returning one page of rows per call.",
    (
        Question(
            "full_import.operation_method",
            "Operation Method",
            "select",
            "Table (the Schema 2 table), View (a view with the same columns), Stored Procedure "
            "or SQL Query (one page per call, @StartIndex to @EndIndex, 1-based inclusive).",
            "--import-method",
            default=lambda ctx: "Table",
            choices=_methods(IMPORT_METHODS),
            validate=_method,
            metavar="|".join(IMPORT_METHODS),
        ),
        Question(
            "full_import.view",
            "View",
            "text",
            "The view to read (its columns named as the table's).",
            "--import-view",
            validate=_routine,
            when=_import_is("View"),
            metavar="NAME",
        ),
        Question(
            "full_import.sp_name",
            "Stored Procedure",
            "text",
            "The procedure (MariaDB) or set-returning function (PostgreSQL) returning rows "
            "@StartIndex to @EndIndex.",
            "--import-sp-name",
            validate=_routine,
            when=_import_is(PROCEDURE),
            metavar="NAME",
        ),
        Question(
            "full_import.sp_parameters",
            "Stored Procedure Parameters",
            "text",
            f"The import procedure's parameters: {_PARAMS_HELP} Use @StartIndex and @EndIndex.",
            "--import-sp-parameters",
            validate=_import_parameters,
            when=_import_is(PROCEDURE),
            required=False,
            metavar="LINES",
        ),
        Question(
            "full_import.query",
            "SQL Query",
            "text",
            "A query returning rows @StartIndex to @EndIndex (1-based, inclusive) in a stable "
            "order, with every selected column.",
            "--import-query",
            validate=_import_query,
            when=_import_is(QUERY),
            metavar="SQL",
        ),
        Question(
            "full_import.page_size",
            "Page size",
            "int",
            "Rows per call of the procedure or query.",
            "--import-page-size",
            default=lambda ctx: DEFAULT_PAGE_SIZE,
            validate=_page_size,
            when=_import_is(PROCEDURE, QUERY),
            metavar="ROWS",
        ),
        Action(
            "full_import.check",
            "Check the import statement",
            _check_import,
            back_to="full_import.operation_method",
            when=_import_is("View", PROCEDURE, QUERY),
        ),
    ),
)

DELTA_IMPORT = Page(
    "delta-import",
    "Delta Import",
    "How rows changed since the last import are read (only with Delta import on the Run "
    "Profiles page): the watermark column in the table, or a procedure or query returning every "
    "row changed after @Watermark.",
    (
        Question(
            "delta_import.operation_method",
            "Operation Method",
            "select",
            "Table (compare the Global page's watermark column), Stored Procedure or SQL Query "
            "(every row whose watermark is after @Watermark, the highest value seen so far).",
            "--delta-method",
            default=lambda ctx: "Table",
            choices=_methods(DELTA_METHODS),
            validate=_method,
            when=lambda ctx: bool(ctx.get("run_profiles.delta_import")),
            metavar="|".join(DELTA_METHODS),
        ),
        Question(
            "delta_import.sp_name",
            "Stored Procedure",
            "text",
            "The procedure (MariaDB) or set-returning function (PostgreSQL) returning the rows "
            "changed after @Watermark.",
            "--delta-sp-name",
            validate=_routine,
            when=_delta_is(PROCEDURE),
            metavar="NAME",
        ),
        Question(
            "delta_import.sp_parameters",
            "Stored Procedure Parameters",
            "text",
            f"The delta procedure's parameters: {_PARAMS_HELP} Use @Watermark.",
            "--delta-sp-parameters",
            validate=_delta_parameters,
            when=_delta_is(PROCEDURE),
            required=False,
            metavar="LINES",
        ),
        Question(
            "delta_import.query",
            "SQL Query",
            "text",
            "A query returning every row changed after @Watermark, with every selected column.",
            "--delta-query",
            validate=_delta_query,
            when=_delta_is(QUERY),
            metavar="SQL",
        ),
        Action(
            "delta_import.check",
            "Check the delta import statement",
            _check_delta,
            back_to="delta_import.operation_method",
            when=_delta_is(PROCEDURE, QUERY),
        ),
    ),
)
