"""The Multi-Values Table/Views page's logic: child tables offered from the live database, the
join condition, each child column's SCIM target, and the answers ⇄ ``ChildTable`` conversion.

The page describes one child table per pass (as `configure multivalue --child-table T` does);
the connector's other child tables are kept. SQL is imported lazily, inside the functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from ecmactl.config.child_table_rules import ATTRIBUTE_NAME, multi_valued_target
from ecmactl.config.models import MULTI_VALUED_CORE, ChildTable, Connector, MultiValuedAttribute
from ecmactl.wizard.context import WizardContext
from ecmactl.wizard.questions import Choice, Invalid

NONE = "(none)"  # pages.choices.NONE, which cannot be imported here: the pages import this

EXTENSION = "extension"
# What a child column may become: a core multi-valued attribute, or an extension attribute.
TARGETS = (*MULTI_VALUED_CORE, EXTENSION)
TARGET_HELP = (
    f"{', '.join(MULTI_VALUED_CORE)}; {EXTENSION} (an extension attribute named after the "
    f"column) or {EXTENSION}:NAME"
)
_JOIN = re.compile(r"^\s*([\w$.]+)\.([\w$]+)\s*=\s*([\w$.]+)\.([\w$]+)\s*$")
# Default targets by column name; anything else is offered as an extension attribute.
_GUESSES = (
    (re.compile(r"e-?mail", re.IGNORECASE), "emails"),
    (re.compile(r"phone|mobile|fax", re.IGNORECASE), "phoneNumbers"),
    (re.compile(r"role", re.IGNORECASE), "roles"),
    (re.compile(r"entitlement", re.IGNORECASE), "entitlements"),
)


@dataclass(frozen=True)
class Join:
    """``child.join_column = parent.parent_column``, whichever side was written first."""

    child: str
    join_column: str
    parent: str
    parent_column: str

    def text(self) -> str:
        return f"{self.child}.{self.join_column} = {self.parent}.{self.parent_column}"


def parse_join(value: str, parent: str, child: str | None = None) -> Join:
    """The join condition as MIM writes it (``EmployeeEmails.EmployeeID = Employees.ID``);
    the side naming ``parent`` is the parent's. Raises Invalid naming the expected form."""
    match = _JOIN.match(value)
    example = f"{child or 'ChildTable'}.ParentID = {parent}.ID"
    if match is None:
        raise Invalid(f"{value!r} is not a join condition; write it as {example}")
    left = Join(*match.groups())
    right = Join(left.parent, left.parent_column, left.child, left.join_column)
    bare = parent.rpartition(".")[2].casefold()
    for join in (left, right):
        if join.parent.rpartition(".")[2].casefold() == bare and join.child != join.parent:
            if child is not None and join.child.rpartition(".")[2] != child:
                raise Invalid(
                    f"the join condition names {join.child}, not the child table {child}; "
                    f"write it as {example}"
                )
            return join
    raise Invalid(f"the join condition must name the parent table {parent}; write {example}")


def target_of(value: str) -> tuple[str | None, str | None]:
    """(core SCIM target, extension name) of a child column's answer; (None, None): not one."""
    text = value.strip()
    if text in ("", NONE):
        return None, None
    kind, _, name = text.partition(":")
    if kind.casefold() == EXTENSION:
        if name and not ATTRIBUTE_NAME.match(name):
            raise Invalid(f"{name!r} is not a SCIM attribute name (a letter, then letters/digits)")
        return None, name or ""
    try:
        return multi_valued_target(text), None
    except ValueError:
        raise Invalid(f"{value!r} is not a target; use one of: {TARGET_HELP}") from None


# -- the live database -------------------------------------------------------------------------


def detect_candidates(ctx: WizardContext) -> str:
    """The Action before the page's first question: which tables may be child tables."""
    from ecmactl.sql.child_tables import child_table_candidates
    from ecmactl.wizard.database import engine_for

    parent = str(ctx.get("schema.table"))
    anchor = ctx.get("schema.anchor")
    engine = engine_for(ctx)
    try:
        ctx.child_candidates = child_table_candidates(
            engine,
            parent,
            ctx.get("schema.db_schema") or None,
            join_column=anchor,
            parent_column=anchor,
        )
    finally:
        engine.dispose()
    if not ctx.child_candidates:
        return f"No table has a foreign key to {parent} or a column named {anchor}."
    return "Child table candidates: " + ", ".join(
        f"{c.table} ({c.found_by} {c.join_column})" for c in ctx.child_candidates
    )


def child_table_choices(ctx: WizardContext) -> list[Choice]:
    parent = ctx.get("schema.table")
    found = {c.table: c for c in ctx.child_candidates}
    choices = [Choice(NONE, "(none: no multi-valued attributes)")]
    choices += [Choice(t, t, f"{c.found_by}: {c.join}") for t, c in found.items()]
    configured = [c.table for c in ctx.child_tables if c.table not in found]
    choices += [Choice(t, t, "configured") for t in configured]
    others = [n for n, kind in ctx.tables if kind == "table" and n not in found and n != parent]
    choices += [Choice(t, t) for t in others if t not in configured]
    return choices


def detect_child_columns(ctx: WizardContext) -> str:
    """Read the chosen child table's columns (the join and the targets are offered from them)."""
    from ecmactl.sql.schema import detect_columns
    from ecmactl.wizard.database import engine_for

    table = str(ctx.get("multivalue.child_table"))
    engine = engine_for(ctx)
    try:
        ctx.child_columns = detect_columns(engine, table, ctx.get("schema.db_schema") or None)
    finally:
        engine.dispose()
    _answers_for(ctx, table)
    return f"{table}: {', '.join(c.name for c in ctx.child_columns)}."


_FOLLOWING = ("join", "attributes", "type_column", "primary_column")


def _answers_for(ctx: WizardContext, table: str) -> None:
    """The page's later answers as configured for ``table`` (none for a new child table), so
    that choosing another table does not offer the previous table's join and columns."""
    join = str(ctx.get("multivalue.join") or "")
    if join.partition(".")[0] == table:
        return
    for name in _FOLLOWING:
        ctx.unset(f"multivalue.{name}")
    entry = current_entry(ctx)
    if entry is not None:
        parent, anchor = str(ctx.get("schema.table")), str(ctx.get("schema.anchor"))
        for key, value in entry_answers(entry, parent, anchor).items():
            ctx.set(key, value)


def current_entry(ctx: WizardContext) -> ChildTable | None:
    table = ctx.get("multivalue.child_table")
    return next((c for c in ctx.child_tables if c.table == table), None)


def default_join(ctx: WizardContext) -> str | None:
    table = str(ctx.get("multivalue.child_table"))
    parent = str(ctx.get("schema.table"))
    entry = current_entry(ctx)
    if entry is not None:
        key = entry.parent_column or ctx.get("schema.anchor")
        return f"{table}.{entry.join_column} = {parent}.{key}"
    found = next((c for c in ctx.child_candidates if c.table == table), None)
    if found is not None:
        return f"{table}.{found.join_column} = {parent}.{found.parent_column}"
    return None  # no foreign key and no column named like the anchor: the user must say


def validate_join(value: str, ctx: WizardContext) -> str:
    """Parsed, and checked live: both columns exist and their types compare."""
    from ecmactl.errors import EcmactlError
    from ecmactl.sql.child_tables import ChildTableShape, check_child_table
    from ecmactl.wizard.database import engine_for

    parent = str(ctx.get("schema.table"))
    join = parse_join(value, parent, str(ctx.get("multivalue.child_table")))
    shape = ChildTableShape(join.child, join.join_column, join.parent_column, ())
    engine = engine_for(ctx)
    try:
        check_child_table(
            engine, parent, shape, ctx.get("schema.db_schema") or None, parent_columns=ctx.columns
        )
    except EcmactlError as exc:
        raise Invalid(f"{exc.message} {exc.hint or ''}".strip()) from None
    finally:
        engine.dispose()
    return join.text()


def _join(ctx: WizardContext) -> Join:
    return parse_join(str(ctx.get("multivalue.join")), str(ctx.get("schema.table")))


def default_attributes(ctx: WizardContext) -> dict[str, str]:
    """Every child column but the join, with its current or guessed target ((none): left out)."""
    entry = current_entry(ctx)
    current = {a.column: _answer(a) for a in entry.attributes} if entry is not None else {}
    join = _join(ctx).join_column
    out: dict[str, str] = {}
    for column in ctx.child_columns:
        if column.name == join:
            continue
        guess = NONE if column.primary_key or _is_flag(column.name) else guess_target(column.name)
        out[column.name] = current.get(column.name, NONE if entry is not None else guess)
    return out


def guess_target(name: str) -> str:
    """The target a column's name suggests: emails, phoneNumbers, roles… else extension."""
    return next((t for pattern, t in _GUESSES if pattern.search(name)), EXTENSION)


def _is_flag(name: str) -> bool:
    return bool(re.search(r"type|kind|primary|default", name, re.IGNORECASE))


def _answer(attribute: MultiValuedAttribute) -> str:
    if attribute.scim is not None:
        return attribute.scim
    return f"{EXTENSION}:{attribute.name}" if attribute.name else EXTENSION


def validate_attributes(value: dict[str, str], ctx: WizardContext) -> dict[str, str]:
    names = {c.name for c in ctx.child_columns}
    table = ctx.get("multivalue.child_table")
    join = _join(ctx).join_column
    out = dict.fromkeys((n for n in names if n != join), NONE) if names else {}
    for column, target in value.items():
        if names and column not in names:
            raise Invalid(f"{column!r} is not a column of {table} ({', '.join(sorted(names))})")
        if column == join:
            raise Invalid(f"{column} is the join column; it holds the parent's key, not values")
        core, extension = target_of(target)
        if core is not None:
            _single_valued_conflict(ctx, core, column)
        if core is None and extension is not None and (extension or column) in ctx.column_names:
            parent = ctx.get("schema.table")
            raise Invalid(
                f"{extension or column} is also a column of {parent}; name the extension "
                f"attribute: {column}={EXTENSION}:{table}{column}"
            )
        out[column] = core or (_extension_answer(extension) if extension is not None else NONE)
    if all(v == NONE for v in out.values()):
        raise Invalid(f"choose at least one column of {table} as a multi-valued attribute")
    order = [c.name for c in ctx.child_columns]
    return {k: out[k] for k in order if k in out} if order else out


def _extension_answer(name: str) -> str:
    return f"{EXTENSION}:{name}" if name else EXTENSION


def binds_core(ctx: WizardContext) -> bool:
    """Type and primary columns are asked only when a column is bound to a core attribute."""
    attributes = ctx.get("multivalue.attributes") or {}
    return any(target_of(v)[0] is not None for v in attributes.values())


def flag_choices(kind: str) -> Any:
    """(none) + the child's columns fit to be a type (text) or primary (true/false) column."""
    wanted = ("String",) if kind == "type" else ("Boolean", "Integer")

    def choices(ctx: WizardContext) -> list[Choice]:
        used = {_join(ctx).join_column, *_bound(ctx)}
        return [Choice(NONE, "(none)")] + [
            Choice(c.name, f"{c.name}  ({c.sql_type})")
            for c in ctx.child_columns
            if c.data_type in wanted and c.name not in used
        ]

    return choices


def default_flag(kind: str) -> Any:
    def default(ctx: WizardContext) -> str:
        entry = current_entry(ctx)
        if entry is not None:
            column = next((getattr(a, f"{kind}_column") for a in entry.attributes if a.scim), None)
            return column or NONE
        offered = [c.value for c in flag_choices(kind)(ctx)[1:]]
        return next((c for c in offered if kind in c.casefold()), NONE)

    return default


def _bound(ctx: WizardContext) -> list[str]:
    attributes = ctx.get("multivalue.attributes") or {}
    return [k for k, v in attributes.items() if v != NONE]


def check_child(ctx: WizardContext) -> str:
    """The Action at the page's end: the whole child table checked against the live one."""
    from ecmactl.sql.child_tables import check_child_table
    from ecmactl.wizard.database import engine_for

    entry = build_entry(ctx)
    assert entry is not None
    shape = shape_of(entry, str(ctx.get("schema.anchor")))
    engine = engine_for(ctx)
    try:
        check_child_table(
            engine,
            str(ctx.get("schema.table")),
            shape,
            ctx.get("schema.db_schema") or None,
            parent_columns=ctx.columns,
        )
    finally:
        engine.dispose()
    values = ", ".join(f"{a.column} → {a.scim or a.key}" for a in entry.attributes)
    return f"{entry.table} joined on {entry.join_column}: {values}."


def shape_of(entry: ChildTable, anchor: str) -> Any:
    from ecmactl.sql.child_tables import ChildTableShape

    flags = [a for a in entry.attributes if a.scim]
    return ChildTableShape(
        entry.table,
        entry.join_column,
        entry.parent_column or anchor,
        tuple(a.column for a in entry.attributes),
        type_column=next((a.type_column for a in flags if a.type_column), None),
        primary_column=next((a.primary_column for a in flags if a.primary_column), None),
    )


# -- answers ⇄ config --------------------------------------------------------------------------


def build_entry(ctx: WizardContext) -> ChildTable | None:
    """The child table the page answered, or None when the page chose (none)."""
    table = ctx.get("multivalue.child_table")
    if table in (None, "", NONE) or not ctx.get("multivalue.join"):
        return None
    join = _join(ctx)
    type_column = _optional(ctx.get("multivalue.type_column"))
    primary_column = _optional(ctx.get("multivalue.primary_column"))
    kinds = {c.name: c.data_type for c in ctx.child_columns}
    attributes = []
    for column, answer in (ctx.get("multivalue.attributes") or {}).items():
        core, extension = target_of(answer)
        if core is None and extension is None:
            continue
        if core is not None and column in ctx.column_names:
            extension = f"{table}_{column}"  # the row key only: the parent has a {column}
        attributes.append(
            MultiValuedAttribute(
                column=column,
                scim=core,
                name=extension or None,
                type_column=type_column if core else None,
                primary_column=primary_column if core else None,
                data_type="String" if core else kinds.get(column, "String"),
            )
        )
    anchor = ctx.get("schema.anchor")
    return ChildTable(
        table=str(table),
        join_column=join.join_column,
        attributes=attributes,
        parent_column=None if join.parent_column == anchor else join.parent_column,
        db_schema=ctx.get("schema.db_schema") or None,
        columns=list(ctx.child_columns),
    )


def _optional(value: Any) -> str | None:
    return None if value in (None, "", NONE) else str(value)


def merged_child_tables(ctx: WizardContext) -> list[ChildTable]:
    """The connector's child tables with the page's one added or replaced in place."""
    tables = list(ctx.child_tables)
    if not ctx.child_columns:  # the page did not run (another page, an import): keep them
        return tables
    entry = build_entry(ctx)
    if entry is None:
        return tables
    for i, current in enumerate(tables):
        if current.table == entry.table:
            tables[i] = entry
            return tables
    return [*tables, entry]


def entry_answers(entry: ChildTable, parent: str, anchor: str) -> dict[str, Any]:
    """The page's answers that rebuild ``entry``."""
    flags = [a for a in entry.attributes if a.scim]
    return {
        "multivalue.child_table": entry.table,
        "multivalue.join": (
            f"{entry.table}.{entry.join_column} = {parent}.{entry.parent_column or anchor}"
        ),
        "multivalue.attributes": {a.column: _answer(a) for a in entry.attributes},
        "multivalue.type_column": next((a.type_column for a in flags if a.type_column), NONE),
        "multivalue.primary_column": next(
            (a.primary_column for a in flags if a.primary_column), NONE
        ),
    }


def child_table_answers(c: Connector) -> dict[str, Any]:
    """The page's answers for ``c``: its first child table (an answers file carries one; the
    others stay in the connector file), or (none)."""
    if not c.schema.child_tables:
        return {"multivalue.child_table": NONE}
    return entry_answers(c.schema.child_tables[0], c.schema.table, c.schema.anchor)


def multi_valued_targets(ctx: WizardContext) -> dict[str, str]:
    """The core attributes the child tables fill, each with its child table (Select
    Attributes leaves them unbound)."""
    return {a.scim: t.table for t in merged_child_tables(ctx) for a in t.attributes if a.scim}


def without_multi_valued(ctx: WizardContext, bindings: dict[str, str]) -> dict[str, str]:
    """Suggested bindings minus those a child table's multi-valued attribute fills."""
    taken = multi_valued_targets(ctx)
    return {c: NONE if b.split("[", 1)[0] in taken else b for c, b in bindings.items()}


def _single_valued_conflict(ctx: WizardContext, core: str, column: str) -> None:
    """`configure multivalue` on a connector whose Select Attributes fill ``core`` already."""
    bound = ctx.get("attributes.bindings") or {}
    clash = next((c for c, b in bound.items() if str(b).split("[", 1)[0] == core), None)
    if clash is not None:
        from ecmactl.invocation import command

        unbind = command(
            "configure", "attributes", "--bind", f"{clash}={NONE}", connector=ctx.editing
        )
        raise Invalid(
            f"{core} is filled by column {clash} (Select Attributes: {bound[clash]}); bind "
            f"{column} to {core} after unbinding {clash}: `{unbind}`, or choose {EXTENSION}"
        )


def without_child_table(c: Connector, table: str) -> Connector:
    """``c`` without child table ``table`` (`configure multivalue --remove`)."""
    kept = [t for t in c.schema.child_tables if t.table != table]
    return replace(c, schema=replace(c.schema, child_tables=kept))


def child_table_defaults(ctx: WizardContext, table: str | None) -> None:
    """`configure multivalue --child-table T`: the page starts from T as configured (or from
    nothing, for a new child table) instead of the connector's first child table."""
    if table:
        ctx.set("multivalue.child_table", table)
        _answers_for(ctx, table)


def edited_answers(c: Connector, table: Any) -> dict[str, Any]:
    """The page's answers for child table ``table`` of ``c`` ((none) when it has none)."""
    entry = next((t for t in c.schema.child_tables if t.table == table), None)
    if entry is None:
        empty = dict.fromkeys(f"multivalue.{n}" for n in _FOLLOWING)
        return {**empty, "multivalue.child_table": NONE}
    return entry_answers(entry, c.schema.table, c.schema.anchor)
