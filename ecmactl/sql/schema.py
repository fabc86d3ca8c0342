"""Schema detection (wizard pages Schema 1-4) through SQLAlchemy's inspector.

Tables and views, their columns with a readable SQL type and the ECMA data type, keys and
uniqueness, the columns that may be the anchor, and object types read from a table.
SQLite types are taken as declared (its reflection reduces unknown names such as ``UUID`` or
``DATETIME2`` to NUMERIC by affinity); other dialects go by SQLAlchemy's reflected type.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import column as sql_column
from sqlalchemy import inspect, select, text
from sqlalchemy import table as sql_table
from sqlalchemy.engine import Engine, Inspector
from sqlalchemy.exc import DBAPIError, NoSuchTableError, SAWarning
from sqlalchemy.sql.expression import ColumnClause
from sqlalchemy.types import (
    BINARY,
    VARBINARY,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    NullType,
    Numeric,
    String,
    TypeEngine,
    Uuid,
)

from ecmactl.config.models import Column, DataType
from ecmactl.errors import UsageError

NO_ANCHOR_MESSAGE = (
    "No column can be the anchor: an anchor must be UNIQUE and NOT NULL (and not Boolean or "
    "Binary), because Entra finds each user by it and its value must never change."
)
MAX_OBJECT_TYPES = 100
_UUID_LENGTH = 36


@dataclass(frozen=True)
class TableInfo:
    """A table or view the wizard can offer on Schema 2."""

    name: str
    kind: Literal["table", "view"]
    schema: str | None = None


def list_tables(engine: Engine, schema: str | None = None) -> list[TableInfo]:
    """Tables, then views, of ``schema`` (the connection's default schema when None)."""
    inspector = inspect(engine)
    tables = [TableInfo(n, "table", schema) for n in sorted(inspector.get_table_names(schema))]
    views = [TableInfo(n, "view", schema) for n in sorted(inspector.get_view_names(schema))]
    return tables + views


def detect_columns(engine: Engine, table: str, schema: str | None = None) -> list[Column]:
    """The columns of a table or view, in table order, as the Schema 4 page lists them."""
    inspector = inspect(engine)
    try:
        reflected = _reflect_columns(engine, inspector, table, schema)
        primary = list(inspector.get_pk_constraint(table, schema).get("constrained_columns") or [])
        unique = _unique_columns(engine, inspector, table, schema, primary)
    except DBAPIError as exc:
        if not _metadata_denied(exc):
            raise
        raise _definition_denied(engine, table, schema) from None
    declared = _sqlite_declared_types(engine, table, schema)
    columns: list[Column] = []
    for info in reflected:
        name = str(info["name"])
        type_: TypeEngine[Any] = info["type"]
        sql_type = declared.get(name) or _readable_type(type_, engine)
        computed = bool(info.get("computed"))
        rowid = _is_rowid_alias(engine, name, sql_type, primary)
        # A primary key is NOT NULL, except in SQLite, where only the rowid alias is.
        not_null = rowid or (name in primary and engine.dialect.name != "sqlite")
        columns.append(
            Column(
                name=name,
                sql_type=sql_type,
                data_type=_data_type_of(type_, sql_type, by_name=name in declared),
                # A generated column can be read, never written.
                direction="Import" if computed else "ImportExport",
                nullable=bool(info.get("nullable", True)) and not not_null,
                unique=name in unique,
                primary_key=name in primary,
                max_length=_max_length(type_, sql_type, by_name=name in declared),
                has_default=computed
                or info.get("default") is not None
                or info.get("autoincrement") is True
                or bool(info.get("identity"))
                or rowid,
            )
        )
    return columns


def anchor_candidates(columns: Sequence[Column]) -> list[Column]:
    """Columns that may be the anchor: unique, NOT NULL, single-valued, not Boolean/Binary."""
    return [
        c
        for c in columns
        if c.unique and not c.nullable and c.data_type not in ("Boolean", "Binary")
    ]


def no_anchor_hint(table: str, columns: Sequence[Column], *, is_view: bool = False) -> str:
    """How to make a column eligible as the anchor, with a statement for this table."""
    if is_view:
        return (
            f"{table} is a view, and views carry no UNIQUE constraints; detect the schema "
            "from the underlying table, or add a UNIQUE NOT NULL column to it."
        )
    pick = _suggest_anchor(columns)
    name = pick.name if pick else "LoginName"
    if pick is not None and pick.unique:
        return (
            f"{name} is unique but allows NULL: fill in its empty values and make it NOT NULL, "
            "or add another UNIQUE NOT NULL column whose values never change."
        )
    not_null = f" and make {name} NOT NULL" if pick is not None and pick.nullable else ""
    return (
        "Add a UNIQUE NOT NULL column or constraint whose values never change, for example: "
        f"ALTER TABLE {table} ADD CONSTRAINT uq_{table}_{name} UNIQUE ({name}){not_null}."
    )


def _suggest_anchor(columns: Sequence[Column]) -> Column | None:
    """The column most likely meant to be the anchor: unique already, or named like a login."""
    usable = [c for c in columns if c.data_type in ("String", "Integer")]
    named = re.compile(r"login|user|upn|mail|guid|uuid|id$", re.IGNORECASE)
    for candidates in (
        [c for c in usable if c.unique],
        [c for c in usable if named.search(c.name) and not c.nullable],
        [c for c in usable if named.search(c.name)],
        [c for c in usable if not c.nullable],
    ):
        if candidates:
            return candidates[0]
    return None


def no_anchor_error(table: str, columns: Sequence[Column], *, is_view: bool = False) -> UsageError:
    """The error to raise when a table offers no anchor (message and hint as above)."""
    return UsageError(NO_ANCHOR_MESSAGE, hint=no_anchor_hint(table, columns, is_view=is_view))


def object_types_from_table(
    engine: Engine, table: str, column: str, schema: str | None = None
) -> list[str]:
    """Distinct non-empty values of ``column`` (Schema 1, detection method "Table")."""
    inspector = inspect(engine)
    names = [str(info["name"]) for info in _reflect_columns(engine, inspector, table, schema)]
    if column not in names:
        raise UsageError(
            f"Table {table} has no column '{column}'.",
            hint="Columns: " + ", ".join(names) + ".",
        )
    col: ColumnClause[Any] = sql_column(column)
    query = (
        select(col)
        .select_from(sql_table(table, col, schema=schema))
        .where(col.is_not(None))
        .distinct()
        .order_by(col)
        .limit(MAX_OBJECT_TYPES + 1)
    )
    with engine.connect() as conn:
        values = [str(v).strip() for v in conn.execute(query).scalars()]
    found = list(dict.fromkeys(v for v in values if v))
    if len(values) > MAX_OBJECT_TYPES:
        raise UsageError(
            f"Column {column} of {table} holds more than {MAX_OBJECT_TYPES} distinct values; "
            "it does not look like a list of object types.",
            hint="Choose the column that holds object type names (such as User), or use "
            "the Fixed Value method.",
        )
    return found


# -- reflection ------------------------------------------------------------------------------


def _reflect_columns(
    engine: Engine, inspector: Inspector, table: str, schema: str | None
) -> list[Any]:
    try:
        with warnings.catch_warnings():
            # "Did not recognize type …": such columns become String, which is what ECMA does.
            warnings.simplefilter("ignore", SAWarning)
            return list(inspector.get_columns(table, schema))
    except NoSuchTableError:
        raise _missing_table(engine, table, schema) from None


def _metadata_denied(exc: DBAPIError) -> bool:
    # MariaDB/MySQL 1142 "SHOW command denied" to an account without any right on the table.
    text = str(exc.orig).lower()
    return "command denied" in text or "permission denied" in text


def _definition_denied(engine: Engine, table: str, schema: str | None) -> UsageError:
    where = f"{schema}.{table}" if schema else table
    account = engine.url.username or "The database account"
    return UsageError(
        f"The database account {account} may not read the definition of {where} (its columns "
        "and keys), which the wizard needs to offer the attributes and the anchor.",
        hint=f"Grant it a right on {where} that reads no rows (on MariaDB/MySQL: REFERENCES), "
        "or run the wizard with an account that may read the definition.",
    )


def _missing_table(engine: Engine, table: str, schema: str | None) -> UsageError:
    existing = [t.name for t in list_tables(engine, schema)]
    where = f" in schema {schema}" if schema else ""
    close = [n for n in existing if n.lower() == table.lower()]
    if close:
        hint = f"Did you mean {close[0]}? Table names are case-sensitive here."
    elif existing:
        shown = ", ".join(existing[:20]) + (
            f" and {len(existing) - 20} more" if len(existing) > 20 else ""
        )
        hint = f"Existing tables and views{where}: {shown}."
    else:
        hint = f"The database has no tables or views{where}; check the database URL."
    return UsageError(f"Table or view '{table}' does not exist{where}.", hint=hint)


def _unique_columns(
    engine: Engine, inspector: Inspector, table: str, schema: str | None, primary: list[str]
) -> set[str]:
    """Columns unique on their own: single-column PK, UNIQUE constraint or full unique index."""
    unique = set(primary) if len(primary) == 1 else set()
    try:
        for constraint in inspector.get_unique_constraints(table, schema):
            if len(constraint["column_names"]) == 1:
                unique.add(constraint["column_names"][0])
    except NotImplementedError:  # pragma: no cover - every dialect we ship implements it
        pass
    # SQLite hides the indexes behind inline UNIQUE unless asked for them.
    extra = {"include_auto_indexes": True} if engine.dialect.name == "sqlite" else {}
    for index in inspector.get_indexes(table, schema, **extra):
        names = index["column_names"]
        if not index["unique"] or len(names) != 1 or names[0] is None:
            continue
        options = index.get("dialect_options") or {}
        if any(key.endswith("_where") and value is not None for key, value in options.items()):
            continue  # a partial index is unique only among the rows it covers
        unique.add(names[0])
    return unique


def _sqlite_declared_types(engine: Engine, table: str, schema: str | None) -> dict[str, str]:
    if engine.dialect.name != "sqlite":
        return {}
    query = text("SELECT name, type FROM pragma_table_xinfo(:table, :schema)")
    with engine.connect() as conn:
        rows = conn.execute(query, {"table": table, "schema": schema or "main"}).all()
    return {str(name): " ".join(str(type_).upper().split()) for name, type_ in rows if type_}


def _is_rowid_alias(engine: Engine, name: str, sql_type: str, primary: list[str]) -> bool:
    # SQLite: an INTEGER PRIMARY KEY is the rowid, filled in on insert.
    return engine.dialect.name == "sqlite" and primary == [name] and sql_type == "INTEGER"


# -- types -----------------------------------------------------------------------------------


def _readable_type(type_: TypeEngine[Any], engine: Engine) -> str:
    if isinstance(type_, NullType):
        return "UNKNOWN"
    try:
        compiled = type_.compile(dialect=engine.dialect)
    except Exception:  # an exotic type the dialect cannot render back
        compiled = type(type_).__name__.upper()
    return compiled.replace(" WITHOUT TIME ZONE", "")


def _data_type_of(type_: TypeEngine[Any], sql_type: str, *, by_name: bool) -> DataType:
    if by_name or isinstance(type_, NullType):
        return _data_type_by_name(sql_type)
    kind = type(type_).__name__.upper()
    if kind == "TINYINT" and getattr(type_, "display_width", None) == 1:
        return "Boolean"  # MySQL/MariaDB BOOL is TINYINT(1)
    if kind == "BIT":  # SQL Server BIT is a Boolean subclass; MySQL BIT(n) is a bit field
        return "Boolean" if getattr(type_, "length", 1) in (None, 1) else "Integer"
    if isinstance(type_, Boolean):
        return "Boolean"
    if isinstance(type_, Integer):
        return "Integer"
    if isinstance(type_, Numeric) and not isinstance(type_, Float):
        # NUMERIC(10,0) holds whole numbers; ECMA's Integer is 64-bit.
        scale, precision = type_.scale, type_.precision
        return "Integer" if scale == 0 and (precision or 0) <= 18 else "String"
    if isinstance(type_, (DateTime, Date)):
        return "DateTime"
    if isinstance(type_, (LargeBinary, BINARY, VARBINARY)):
        return "Binary"
    return "String"  # also UUID: ECMA has no GUID type, and Entra sends text


_NAME_RULES: tuple[tuple[str, DataType], ...] = (
    (r"BOOL|^BIT$", "Boolean"),
    (r"UUID|GUID|UNIQUEIDENTIFIER|CHAR|TEXT|CLOB", "String"),
    (r"INT", "Integer"),
    (r"DATE|TIMESTAMP|^DATETIME", "DateTime"),
    (r"BLOB|BINARY|BYTEA|IMAGE", "Binary"),
)


def _data_type_by_name(sql_type: str) -> DataType:
    """The ECMA type of a declared type name (SQLite declares anything; unknown is String)."""
    if re.fullmatch(r"TINYINT\(\s*1\s*\)", sql_type):
        return "Boolean"  # the MySQL spelling of BOOL, kept by schemas ported to SQLite
    base = sql_type.split("(")[0].strip()
    for pattern, data_type in _NAME_RULES:
        if re.search(pattern, base):
            return data_type
    if re.fullmatch(r"(NUMERIC|DECIMAL)\(\s*\d+\s*,\s*0\s*\)", sql_type):
        return "Integer"
    return "String"


def _max_length(type_: TypeEngine[Any], sql_type: str, *, by_name: bool) -> int | None:
    if by_name:
        if "UUID" in sql_type or "GUID" in sql_type:
            return _UUID_LENGTH
        match = re.fullmatch(r"[A-Z ]*(CHAR|TEXT|CLOB)[A-Z ]*\(\s*(\d+)\s*\)", sql_type)
        return int(match.group(2)) if match else None
    if isinstance(type_, Uuid):
        return _UUID_LENGTH
    if isinstance(type_, String):
        return type_.length
    return None
