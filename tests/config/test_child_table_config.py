"""Child tables (multi-valued attributes) in a connector file: the TOML round trip, the version
that makes an older ecmactl refuse the file, and each load-time rule."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest

from ecmactl.config.child_table_rules import multi_valued_target
from ecmactl.config.models import (
    MULTI_VALUED_SCHEMA_VERSION,
    SCHEMA_VERSION,
    Attribute,
    ChildTable,
    Column,
    Connectivity,
    Connector,
    ExportStep,
    MultiValuedAttribute,
    Schema,
)
from ecmactl.config.rules import connector_violations
from ecmactl.config.store import load_connector, save_connector, serialize
from ecmactl.errors import ConfigError
from ecmactl.home import Home


def _columns(*names: str, boolean: tuple[str, ...] = ()) -> list[Column]:
    return [
        Column(
            name=n,
            sql_type="BOOLEAN" if n in boolean else "TEXT",
            data_type="Boolean" if n in boolean else "String",
        )
        for n in names
    ]


def connector(*children: ChildTable) -> Connector:
    return Connector(
        name="HR",
        connectivity=Connectivity(database_url="sqlite:///{home}/hr.db"),
        schema=Schema(
            table="Employees",
            anchor="ID",
            columns=_columns("ID", "Login", "Mail"),
            child_tables=list(children),
        ),
        attributes=[Attribute(column="Login", scim="userName"), Attribute(column="Mail")],
    )


def emails() -> ChildTable:
    return ChildTable(
        table="EmployeeEmails",
        join_column="EmployeeID",
        parent_column="ID",
        columns=_columns("EmployeeID", "Address", "Kind", "IsPrimary", boolean=("IsPrimary",)),
        attributes=[
            MultiValuedAttribute(
                column="Address", scim="emails", type_column="Kind", primary_column="IsPrimary"
            )
        ],
    )


def roles() -> ChildTable:
    return ChildTable(
        table="EmployeeRoles",
        join_column="EmployeeID",
        db_schema="hr",
        attributes=[MultiValuedAttribute(column="Role", name="roleCodes")],
    )


def problems(c: Connector) -> list[str]:
    return [v.error.message for v in connector_violations(c, Path("HR.toml"))]


def test_round_trip_keeps_every_field_and_writes_version_3(home: Home) -> None:
    original = connector(emails(), roles())
    save_connector(home, original)
    text = home.connector_path("HR").read_text()
    data = tomllib.loads(text)
    assert data["schema_version"] == MULTI_VALUED_SCHEMA_VERSION == 3
    assert [c["table"] for c in data["schema"]["child_tables"]] == [
        "EmployeeEmails",
        "EmployeeRoles",
    ]
    loaded = load_connector(home, "HR")
    assert loaded == dataclasses.replace(original, schema_version=MULTI_VALUED_SCHEMA_VERSION)
    assert [(t.table, a.key) for t, a in loaded.schema.multi_valued()] == [
        ("EmployeeEmails", "Address"),
        ("EmployeeRoles", "roleCodes"),
    ]


def test_without_child_tables_the_file_is_unchanged() -> None:
    text = serialize(connector())
    assert f"schema_version = {SCHEMA_VERSION}\n" in text and "child_tables" not in text


def test_an_unknown_key_in_a_child_table_names_it(home: Home) -> None:
    save_connector(home, connector(emails()))
    path = home.connector_path("HR")
    path.write_text(path.read_text().replace('join_column = "EmployeeID"', 'join = "EmployeeID"'))
    with pytest.raises(ConfigError, match=r"schema.child_tables\[0\]: unknown key\(s\) join"):
        load_connector(home, "HR")


def test_a_valid_connector_breaks_no_rule() -> None:
    assert problems(connector(emails(), roles())) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda c: setattr(c.attributes[0], "column", "Adress"),
            r"attributes\[0\].column Adress is not a column of EmployeeEmails",
        ),
        (
            lambda c: setattr(c, "join_column", "EmpID"),
            r"join_column EmpID is not a column of EmployeeEmails",
        ),
        (
            lambda c: setattr(c, "parent_column", "Nope"),
            r"parent_column Nope is not a column of Employees",
        ),
        (
            lambda c: setattr(c.attributes[0], "type_column", "EmployeeID"),
            r"type_column is the join column EmployeeID",
        ),
        (
            lambda c: setattr(c.attributes[0], "scim", "addresses"),
            r"'addresses' is not a core multi-valued attribute",
        ),
        (lambda c: setattr(c.attributes[0], "scim", None), r"type_column is set but scim is not"),
        (lambda c: setattr(c.attributes[0], "data_type", "Integer"), r"emails values are text"),
        (lambda c: setattr(c, "attributes", []), r"has no attributes"),
        (lambda c: setattr(c, "table", "Employees"), r"is the parent table Employees itself"),
    ],
)
def test_each_child_table_rule(change, expected: str) -> None:
    child = emails()
    change(child)
    found = problems(connector(child))
    assert any(__import__("re").search(expected, p) for p in found), found


def test_two_attributes_on_one_scim_target_are_refused() -> None:
    child = emails()
    child.columns += _columns("Other")
    child.attributes.append(MultiValuedAttribute(column="Other", scim="emails", name="other"))
    assert any(
        "emails is bound by schema.child_tables[0].attributes[0] too" in p
        for p in problems(connector(child))
    )


def test_a_name_shadowing_a_parent_column_or_another_attribute_is_refused() -> None:
    shadow = roles()
    shadow.attributes[0].name = "Login"
    assert any("Login is also a column of Employees" in p for p in problems(connector(shadow)))
    twice = roles()
    twice.attributes.append(MultiValuedAttribute(column="Other", name="roleCodes"))
    assert any("the name roleCodes is used by" in p for p in problems(connector(twice)))
    bad = roles()
    bad.attributes[0].name = "role codes"
    assert any("is not a SCIM attribute name" in p for p in problems(connector(bad)))


def test_a_table_listed_twice_is_refused() -> None:
    assert any("is listed twice" in p for p in problems(connector(roles(), roles())))


def test_a_single_valued_binding_of_the_same_core_attribute_is_refused() -> None:
    c = connector(emails())
    c.attributes[1].scim = 'emails[type eq "work"].value'
    assert any("both fill emails" in p for p in problems(c))


def test_child_tables_need_the_table_method() -> None:
    c = connector(emails())
    c.export = ExportStep(
        operation_method="SQL Query", insert_query="x", update_query="y", delete_query="z"
    )
    assert any(
        'child tables (multi-valued attributes) are read and written with the "Table"' in p
        for p in problems(c)
    )


def test_a_broken_rule_is_refused_on_load_with_the_page_to_fix_it(home: Home) -> None:
    child = emails()
    child.attributes[0].scim = "mails"
    save_connector(home, connector(child))
    with pytest.raises(ConfigError, match="mails") as caught:
        load_connector(home, "HR")
    assert "configure multivalue" in (caught.value.hint or "")


def test_the_wizard_spells_the_target_as_the_rfc_does() -> None:
    assert multi_valued_target("PHONENUMBERS") == "phoneNumbers"
    with pytest.raises(ValueError, match="extension attribute"):
        multi_valued_target("addresses")


def test_every_child_table_joins_one_readable_parent_column() -> None:
    other = roles()
    other.parent_column = "Login"
    assert any("join different columns" in p for p in problems(connector(emails(), other)))
    hidden = emails()
    hidden.parent_column = "Hidden"
    c = connector(hidden)
    c.schema.columns += _columns("Hidden")
    assert any("neither the anchor nor a selected attribute" in p for p in problems(c))
