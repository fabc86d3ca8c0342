"""The load-time rules of child tables (multi-valued attributes), used by ``rules.py``.

What a connector file says about its child tables must hold together without a database: the
join names columns that exist (when the wizard detected them), each SCIM target is used once,
no multi-valued attribute shadows a parent column, and ``type``/``primary`` come only with a
core attribute that has them. Each rule has one copy here; the wizard asks the same functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ecmactl.config.models import (
    MULTI_VALUED_CORE,
    ChildTable,
    Connector,
    MultiValuedAttribute,
)

_PAGE = "configure multivalue"  # the Multi-Values Table/Views page
# RFC 7643 §2.1 ATTRNAME: an extension attribute's name is what a SCIM client writes
ATTRIBUTE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def child_table_problems(connector: Connector) -> Iterator[tuple[str, str, str]]:
    """(key, problem, page) for each child-table rule the connector breaks."""
    for key, problem in _problems(connector):
        yield key, problem, _PAGE


def multi_valued_target(value: str) -> str:
    """A core multi-valued attribute, spelled as RFC 7643 spells it (the wizard's validator)."""
    for name in MULTI_VALUED_CORE:
        if value.casefold() == name.casefold():
            return name
    raise ValueError(
        f"{value!r} is not a core multi-valued attribute ecmactl binds "
        f"({', '.join(MULTI_VALUED_CORE)}); leave it out for an extension attribute"
    )


def _problems(connector: Connector) -> Iterator[tuple[str, str]]:
    schema = connector.schema
    if not schema.child_tables:
        return
    methods = {
        "export": connector.export_method,
        "full_import": connector.import_method,
        "delta_import": connector.delta_method,
    }
    for section, method in methods.items():
        if method != "Table":
            yield (
                f"{section}.operation_method",
                f'{section}.operation_method is "{method}" but child tables (multi-valued '
                'attributes) are read and written with the "Table" method only',
            )
    parent_columns = {c.name for c in schema.columns}
    parent_columns |= {schema.anchor, *(a.column for a in connector.attributes)}
    seen_tables: set[tuple[str | None, str]] = set()
    keys: dict[str, str] = {}  # row key -> where it was defined
    targets: dict[str, str] = {}  # core SCIM target -> where it was bound
    for i, child in enumerate(schema.child_tables):
        where = f"schema.child_tables[{i}]"
        yield from _table(connector, child, where, seen_tables)
        for j, attribute in enumerate(child.attributes):
            at = f"{where}.attributes[{j}]"
            for column_key in ("column", "type_column", "primary_column"):
                column = getattr(attribute, column_key)
                if column is not None:
                    yield from _child_column(child, f"{at}.{column_key}", column)
                    if column == child.join_column:
                        yield (
                            f"{at}.{column_key}",
                            f"{at}.{column_key} is the join column {column}; a value column "
                            "holds the attribute's values, not the parent's key",
                        )
            yield from _attribute(attribute, at, targets)
            key = attribute.key
            if not ATTRIBUTE_NAME.match(key):
                yield (
                    f"{at}.name",
                    f"{at}: {key!r} is not a SCIM attribute name (a letter, then letters, "
                    "digits, '_' or '-'); set name to one",
                )
            if key in parent_columns:
                yield (
                    f"{at}.name",
                    f"{at}: {key} is also a column of {schema.table}; give the multi-valued "
                    "attribute another name (name = ...)",
                )
            elif key in keys:
                yield (
                    f"{at}.name",
                    f"{at}: the name {key} is used by {keys[key]} too; give one another name",
                )
            keys.setdefault(key, at)
    joined = sorted({c.parent_column or schema.anchor for c in schema.child_tables})
    if len(joined) > 1:
        yield (
            "schema.child_tables",
            f"the child tables join different columns of {schema.table} ({', '.join(joined)}); "
            "join them all to one (usually the anchor)",
        )
    readable = {schema.anchor, *(a.column for a in connector.attributes)}
    for column in joined:
        if column not in readable:
            yield (
                "schema.child_tables",
                f"the child tables join {schema.table}.{column}, which is neither the anchor "
                "nor a selected attribute; select it, or join the anchor",
            )
    for i, single in enumerate(connector.attributes):
        base = (single.scim or "").split("[", 1)[0]
        if base in targets:
            yield (
                f"attributes[{i}].scim",
                f"{single.scim} (attributes[{i}], column {single.column}) and the "
                f"multi-valued {base} ({targets[base]}) both fill {base}; bind one of them",
            )


def _table(
    connector: Connector, child: ChildTable, where: str, seen: set[tuple[str | None, str]]
) -> Iterator[tuple[str, str]]:
    schema = connector.schema
    if not child.table.strip():
        yield f"{where}.table", f"{where}.table is empty"
    elif (child.db_schema, child.table) == (schema.db_schema, schema.table):
        yield f"{where}.table", f"{where}.table is the parent table {schema.table} itself"
    elif (child.db_schema, child.table) in seen:
        yield (
            f"{where}.table",
            f"{where}.table {child.table} is listed twice; put all its attributes in one entry",
        )
    seen.add((child.db_schema, child.table))
    if not child.join_column.strip():
        yield f"{where}.join_column", f"{where}.join_column is empty"
    else:
        yield from _child_column(child, f"{where}.join_column", child.join_column)
    parent = child.parent_column or schema.anchor
    if schema.columns and connector.column(parent) is None:
        yield (
            f"{where}.parent_column",
            f"{where}.parent_column {parent} is not a column of {schema.table} "
            f"(columns: {', '.join(c.name for c in schema.columns)})",
        )
    if not child.attributes:
        yield (
            f"{where}.attributes",
            f"{where} ({child.table}) has no attributes; name at least one value column",
        )


def _child_column(child: ChildTable, key: str, column: str) -> Iterator[tuple[str, str]]:
    if child.columns and child.column(column) is None:
        yield (
            key,
            f"{key} {column} is not a column of {child.table} "
            f"(columns: {', '.join(c.name for c in child.columns)})",
        )


def _attribute(
    attribute: MultiValuedAttribute, at: str, targets: dict[str, str]
) -> Iterator[tuple[str, str]]:
    scim = attribute.scim
    if scim is None:
        for column_key in ("type_column", "primary_column"):
            if getattr(attribute, column_key) is not None:
                yield (
                    f"{at}.{column_key}",
                    f"{at}.{column_key} is set but scim is not: type and primary belong to a "
                    f"core multi-valued attribute ({', '.join(MULTI_VALUED_CORE)})",
                )
        return
    if scim not in MULTI_VALUED_CORE:
        yield (
            f"{at}.scim",
            f"{at}.scim = {scim!r} is not a core multi-valued attribute ecmactl binds "
            f"({', '.join(MULTI_VALUED_CORE)}); leave scim out for an extension attribute",
        )
        return
    if attribute.data_type != "String":
        yield (
            f"{at}.data_type",
            f"{at}: {scim} values are text; data_type must be String, not {attribute.data_type}",
        )
    if scim in targets:
        yield f"{at}.scim", f"{at}: {scim} is bound by {targets[scim]} too; bind it once"
    targets.setdefault(scim, at)
