"""MIM's multi-valued attributes onto child tables: "Name of Multi-Values Table/Views" (Schema
2, comma-separated), the run step's "Join Condition", and the attributes the export marks
multi-valued (``Multivalued`` / ``single-value="false"``).

MIM names a child table's value columns after the attributes (parent and child may not share
column names), so each multi-valued attribute is the column of that name in the child table.
With several child tables the export does not say which table holds which attribute: that is
reported, for `configure multivalue` to settle against the live database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ecmactl.config.models import ChildTable, Column, MultiValuedAttribute
from ecmactl.invocation import command
from ecmactl.migrate.report import Report
from ecmactl.wizard.multivalue import Join, guess_target, parse_join
from ecmactl.wizard.questions import Invalid

SETTLE = ("configure", "multivalue")


@dataclass
class MultiValues:
    """What the export says about child tables, gathered while its parameters are read."""

    tables: dict[str, tuple[str, str]] = field(default_factory=dict)  # type -> (name, value)
    joins: list[tuple[str, str]] = field(default_factory=list)  # (parameter name, condition)


def child_tables(
    multi: MultiValues,
    object_type: str,
    table: str,
    anchor: str,
    parent_columns: list[Column],
    multivalued: list[Column],
    report: Report,
    where: str,
    connector: str,
    *,
    procedure_or_query: str | None = None,
    taken: frozenset[str] | set[str] = frozenset(),
) -> list[ChildTable]:
    """The object type's child tables; every parameter and attribute reported once.
    ``procedure_or_query``: a run step's method other than Table, which child tables do not
    support (the run steps are kept, the child tables reported). ``taken``: core attributes
    the single-valued attributes fill already (not bound again)."""
    named = multi.tables.get(object_type.lower()) or multi.tables.get("")
    fix = f"add it with `{command(*SETTLE, connector=connector)}`"
    if named is None or procedure_or_query or not multivalued:
        if procedure_or_query:
            why = (
                f"child tables are read and written with the Table method only, and this "
                f"connector's run steps use {procedure_or_query}"
            )
        elif named is None:
            why = f"multi-valued, but the export names no Multi-Values Table; {fix}"
        else:  # a child table needs attributes: none here (the parameter names all types')
            why = f"{object_type} has no multi-valued attribute"
        for column in multivalued:
            report.add(where, f"{object_type}.{column.name}", "not mapped", why)
        if named is not None:
            report.add(where, named[0], "not mapped", why, value=named[1])
        for name, value in multi.joins:
            reason = why if procedure_or_query or named else "no Multi-Values Table uses it"
            report.add(where, name, "not mapped", reason, value=value)
        return []
    parameter, value = named
    tables = [t.strip() for t in value.split(",") if t.strip()]
    joins = _joins(multi, table, tables, report, where)
    out: list[ChildTable] = []
    for child in tables:
        join = joins.get(child.rpartition(".")[2].casefold())
        if join is None:
            report.add(
                where,
                parameter,
                "not mapped",
                f"{child}: no Join Condition names it; "
                f"add it with `{command(*SETTLE, '--child-table', child, connector=connector)}`",
                value=child,
            )
            continue
        if len(tables) > 1:
            report.add(
                where,
                parameter,
                "not mapped",
                f"{child}: the export does not say which multi-valued attributes {child} holds "
                f"when there are several tables; choose them with "
                f"`{command(*SETTLE, '--child-table', child, connector=connector)}`",
                value=child,
            )
            continue
        parent_column = next((c for c in parent_columns if c.name == join.parent_column), None)
        key_type = parent_column.sql_type if parent_column else "VARCHAR"
        key_kind = parent_column.data_type if parent_column else "String"
        attributes = _attributes(multivalued, taken)
        columns = [Column(join.join_column, key_type, key_kind)]
        columns += [c for c in multivalued if c.name != join.join_column]
        db_schema, _, bare = child.rpartition(".")
        out.append(
            ChildTable(
                table=bare,
                db_schema=db_schema or None,
                join_column=join.join_column,
                attributes=attributes,
                parent_column=None if join.parent_column == anchor else join.parent_column,
                columns=columns,
            )
        )
        report.add(where, parameter, "mapped", target="schema.child_tables", value=child)
        for column in multivalued:
            report.add(
                where,
                f"{object_type}.{column.name}",
                "mapped",
                f"a column of child table {child}",
                target="schema.child_tables.attributes",
            )
    if not out:
        for column in multivalued:
            report.add(
                where,
                f"{object_type}.{column.name}",
                "not mapped",
                f"multi-valued; its child table is not mapped (see {parameter})",
            )
    return out


def _joins(
    multi: MultiValues, parent: str, tables: list[str], report: Report, where: str
) -> dict[str, Join]:
    """Each child table's join, from the Join Condition(s): one condition, or several joined
    by AND, by commas or one per run step."""
    found: dict[str, Join] = {}
    for name, condition in dict.fromkeys(multi.joins):
        for part in re.split(r"\s+AND\s+|[,;]", condition, flags=re.IGNORECASE):
            if not part.strip():
                continue
            try:
                join = parse_join(part, parent)
            except Invalid as exc:
                report.add(where, name, "not mapped", str(exc), value=part.strip())
                continue
            bare = join.child.rpartition(".")[2]
            # dbo.EmployeeEmails in either parameter: the table's name decides.
            if bare.casefold() not in {t.rpartition(".")[2].casefold() for t in tables}:
                report.add(
                    where,
                    name,
                    "not mapped",
                    f"{bare} is not a Multi-Values Table ({', '.join(tables)})",
                    value=part.strip(),
                )
                continue
            found.setdefault(bare.casefold(), join)
            report.add(
                where, name, "mapped", target="schema.child_tables.join_column", value=part.strip()
            )
    return found


def _attributes(
    multivalued: list[Column], taken: frozenset[str] | set[str]
) -> list[MultiValuedAttribute]:
    """Each multi-valued attribute: bound to the core attribute its name suggests when only
    one attribute suggests it, it is text and no single-valued attribute fills that core
    attribute, else an extension attribute of its name."""
    guesses = {c.name: guess_target(c.name) for c in multivalued}
    counts: dict[str, int] = {}
    for target in guesses.values():
        counts[target] = counts.get(target, 0) + 1
    out = []
    for column in multivalued:
        target = guesses[column.name]
        free = target != "extension" and counts[target] == 1 and target not in taken
        core = target if free else None
        if column.data_type != "String":
            core = None
        out.append(MultiValuedAttribute(column.name, scim=core, data_type=column.data_type))
    return out
