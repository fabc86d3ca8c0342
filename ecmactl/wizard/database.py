"""The wizard's view of the database: connection test, tables, columns, anchor candidates.

Everything SQL lives in ecmactl.sql and is imported here lazily, inside the functions, so that
defining the wizard (for `--help` and flag generation) does not import SQLAlchemy.
"""

from __future__ import annotations

from typing import Any

from ecmactl.config.models import DATA_TYPES, DIRECTIONS
from ecmactl.home import expand_home
from ecmactl.wizard.context import KEEP, WizardContext
from ecmactl.wizard.questions import Choice, Invalid
from ecmactl.wizard.validators import plural


def default_secret_store() -> str:
    from ecmactl.secrets import keyring_available

    return "keyring" if keyring_available() else "file"


def is_sqlite(ctx: WizardContext) -> bool:
    """SQLite has no accounts: User Name and Password are not asked for it."""
    from ecmactl.errors import EcmactlError
    from ecmactl.sql.urls import parse_database_url

    try:
        return bool(parse_database_url(_url(ctx)).get_backend_name() == "sqlite")
    except EcmactlError:
        return False


def _url(ctx: WizardContext) -> str:
    url = str(ctx.get("connectivity.database_url") or "")
    return expand_home(ctx.url_aliases.get(url, url), ctx.home)


def url_without_password(ctx: WizardContext) -> tuple[str, str | None]:
    """The Connectivity page's database URL without its password, and that password.

    Config files hold references, never values: a password typed inside the URL (user:pw@,
    ?password=, ODBC PWD=) goes to the secret store like one given with --db-password-file."""
    from ecmactl.errors import EcmactlError
    from ecmactl.sql.urls import strip_password

    url = str(ctx.get("connectivity.database_url") or "")
    if url in ctx.url_aliases:  # the staged sample: SQLite, no password
        return url, None
    try:
        return strip_password(url)
    except EcmactlError:
        return url, None  # not a URL at all: the connection test has said so already


def _credentials(ctx: WizardContext) -> tuple[str | None, str | None]:
    password = ctx.secrets.get("connectivity.password")
    if password is KEEP:  # `configure` on an existing connector: its stored password...
        # ...unless the new URL holds one, which then replaces it (see plan_connector).
        in_url = url_without_password(ctx)[1] is not None
        password = None if in_url else ctx.current_db_password
    return (ctx.get("connectivity.user") or None), (password if isinstance(password, str) else None)


def validate_url(value: str, ctx: WizardContext) -> str:
    from ecmactl.errors import EcmactlError
    from ecmactl.sql.urls import parse_database_url

    try:
        parse_database_url(expand_home(value, ctx.home))
    except EcmactlError as exc:
        raise Invalid(exc.message) from None
    return value


def _engine(ctx: WizardContext) -> Any:
    from ecmactl.sql.connect import make_engine

    user, password = _credentials(ctx)
    return make_engine(_url(ctx), user=user, password=password)


def engine_for(ctx: WizardContext) -> Any:
    """An Engine on the Connectivity page's database, with its account (the caller disposes
    it): for the checks of later pages."""
    return _engine(ctx)


def test_connection(ctx: WizardContext) -> str:
    from ecmactl.sql import schema
    from ecmactl.sql.connect import test_connection as probe

    user, password = _credentials(ctx)
    info = probe(_url(ctx), user=user, password=password)
    ctx.dialect = info.dialect
    engine = _engine(ctx)
    try:
        ctx.tables = [(t.name, t.kind) for t in schema.list_tables(engine)]
    finally:
        engine.dispose()
    configured = str(ctx.get("connectivity.database_url") or "")
    if configured in ctx.url_aliases:  # the staged sample: name what the user will see
        where = " (the sample database)"
    else:
        where = f" database {info.database}" if info.database else ""
    found = plural(len(ctx.tables), "table or view", "tables and views")
    return f"Connected to {info.dialect} {info.server_version}{where}; {found}."


def table_choices(ctx: WizardContext) -> list[Choice]:
    kind = "view" if ctx.get("schema.attribute_detection") == "View" else "table"
    return [Choice(name, name) for name, k in ctx.tables if k == kind]


def default_table(ctx: WizardContext) -> str | None:
    choices = table_choices(ctx)
    return choices[0].value if len(choices) == 1 else None


def validate_object_type_column(value: str, ctx: WizardContext) -> str:
    from ecmactl.errors import EcmactlError
    from ecmactl.sql import schema

    engine = _engine(ctx)
    try:
        types = schema.object_types_from_table(
            engine, ctx.get("schema.object_type_table"), value, schema=ctx.get("schema.db_schema")
        )
    except EcmactlError as exc:
        raise Invalid(exc.message) from None
    finally:
        engine.dispose()
    if not types:
        raise Invalid(f"column {value} holds no object type names")
    ctx.set("schema.object_types", ",".join(str(t) for t in types))
    return value


def detect_columns(ctx: WizardContext) -> str:
    from ecmactl.sql import schema

    table = ctx.get("schema.table")
    db_schema = ctx.get("schema.db_schema") or None
    engine = _engine(ctx)
    before = {c.name: c for c in ctx.columns} if ctx.editing else {}
    try:
        ctx.columns = schema.detect_columns(engine, table, schema=db_schema)
    finally:
        engine.dispose()
    ctx.detected_for = (table, db_schema)
    if before:
        _forget_vanished_columns(ctx, before)
    anchors = schema.anchor_candidates(ctx.columns)
    columns = plural(len(ctx.columns), "column", "columns")
    note = f"{table}: {columns}, {len(anchors)} usable as anchor."
    if not anchors:
        raise schema.no_anchor_error(
            table, ctx.columns, is_view=ctx.get("schema.attribute_detection") == "View"
        )
    return note


def _forget_vanished_columns(ctx: WizardContext, before: dict[str, Any]) -> None:
    """`configure` on a table that changed since: answers about columns it no longer has are
    dropped (they would be refused), and a retyped column takes its detected type, so the page
    offers the table as it is now; the review and --dry-run show what that changes."""
    live = {c.name: c for c in ctx.columns}

    def same_type(name: str) -> bool:
        old, new = before.get(name), live.get(name)
        return new is not None and (old is None or old.sql_type == new.sql_type)

    types = ctx.get("schema.column_types")
    if isinstance(types, dict):
        ctx.set("schema.column_types", {k: v for k, v in types.items() if same_type(k)})
    for key in ("schema.directions", "attributes.bindings"):
        mapping = ctx.get(key)
        if isinstance(mapping, dict):
            ctx.set(key, {k: v for k, v in mapping.items() if k in live})
    selected = ctx.get("attributes.columns")
    if isinstance(selected, list):
        ctx.set("attributes.columns", [c for c in selected if c in live])


def anchor_choices(ctx: WizardContext) -> list[Choice]:
    from ecmactl.sql.schema import anchor_candidates

    return [Choice(c.name, f"{c.name}  ({c.sql_type})") for c in anchor_candidates(ctx.columns)]


def default_anchor(ctx: WizardContext) -> str | None:
    choices = anchor_choices(ctx)
    if not choices:
        return None
    # Prefer a login-like column, then a declared unique column, then the primary key.
    for choice in choices:
        if "login" in choice.value.lower() or "user" in choice.value.lower():
            return str(choice.value)
    return str(choices[0].value)


def _merge_mapping(
    value: dict[str, str], ctx: WizardContext, allowed: tuple[str, ...], base: dict[str, str]
) -> dict[str, str]:
    out = dict(base)
    names = set(ctx.column_names)
    for column, item in value.items():
        if column not in names:
            raise Invalid(f"{column!r} is not a column of {ctx.get('schema.table')}")
        match = next((a for a in allowed if a.casefold() == item.casefold()), None)
        if match is None:
            raise Invalid(f"{item!r} for {column} is not one of: {', '.join(allowed)}")
        out[column] = match
    return out


def validate_column_types(value: dict[str, str], ctx: WizardContext) -> dict[str, str]:
    return _merge_mapping(value, ctx, DATA_TYPES, {c.name: c.data_type for c in ctx.columns})


def validate_directions(value: dict[str, str], ctx: WizardContext) -> dict[str, str]:
    return _merge_mapping(value, ctx, DIRECTIONS, {c.name: "ImportExport" for c in ctx.columns})


def default_watermark_query(ctx: WizardContext) -> str:
    return {
        "mssql": "SELECT SYSUTCDATETIME()",
        "sqlite": "SELECT CURRENT_TIMESTAMP",
    }.get(ctx.dialect or "", "SELECT CURRENT_TIMESTAMP")
