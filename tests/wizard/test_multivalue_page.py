"""The Multi-Values Table/Views page through the scripted prompter, on the sample database with
child tables: offered from the foreign key, the join and targets defaulted, errors re-asked."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import Runner

from ecmactl.config.models import ChildTable, MultiValuedAttribute
from ecmactl.testing import Turns

CHILDREN = """
CREATE TABLE EmployeeEmails (
    Id INTEGER PRIMARY KEY,
    EmployeeLogin VARCHAR(128) NOT NULL REFERENCES Employees(ContosoLogin),
    Email VARCHAR(128) NOT NULL,
    EmailType VARCHAR(20),
    IsPrimary BOOLEAN
);
CREATE TABLE Badges (ContosoLogin INTEGER, Badge VARCHAR(20));
"""


@pytest.fixture
def with_children(sample_url: str) -> str:
    with sqlite3.connect(sample_url.removeprefix("sqlite:///")) as conn:
        conn.executescript(CHILDREN)
    return sample_url


def test_the_foreign_key_offers_the_table_join_and_targets(
    run_sample_wizard: Runner, with_children: str
) -> None:
    _, prompter, connector = run_sample_wizard({"multivalue.child_table": "EmployeeEmails"})

    offered = dict(prompter.offered)
    assert offered["multivalue.join"] == "EmployeeEmails.EmployeeLogin = Employees.ContosoLogin"
    assert offered["multivalue.attributes"] == {
        "Id": "(none)",
        "Email": "emails",
        "EmailType": "(none)",
        "IsPrimary": "(none)",
    }
    assert offered["multivalue.type_column"] == "EmailType"
    assert offered["multivalue.primary_column"] == "IsPrimary"
    [child] = connector.schema.child_tables
    assert isinstance(child, ChildTable)
    assert (child.table, child.join_column, child.parent_column) == (
        "EmployeeEmails",
        "EmployeeLogin",
        None,
    )
    assert child.attributes == [
        MultiValuedAttribute(
            column="Email",
            scim="emails",
            name="EmployeeEmails_Email",  # Employees has an Email column: a row key of its own
            type_column="EmailType",
            primary_column="IsPrimary",
        )
    ]
    assert "multivalue" in prompter.pages
    assert any("EmployeeEmails (foreign key EmployeeLogin)" in n for n in prompter.notes)


def test_none_is_the_default_and_adds_no_child_table(
    run_sample_wizard: Runner, with_children: str
) -> None:
    _, prompter, connector = run_sample_wizard()

    assert dict(prompter.offered)["multivalue.child_table"] == "(none)"
    assert connector.schema.child_tables == []
    assert "multivalue.join" not in prompter.asked


def test_a_join_of_other_types_and_a_join_column_as_value_are_asked_again(
    run_sample_wizard: Runner, with_children: str
) -> None:
    _, prompter, connector = run_sample_wizard(
        {
            "multivalue.child_table": "Badges",
            "multivalue.join": Turns(
                "Badges.ContosoLogin = Employees.ContosoLogin",
                "Employees.ContosoLogin = Badges.Badge",  # either side may come first
            ),
            "multivalue.attributes": Turns(
                {"Badge": "roles"},
                {"ContosoLogin": "extension"},
                {"ContosoLogin": "extension:badgeOwners"},
            ),
        }
    )

    errors = dict(prompter.errors)
    assert "(Integer) but Employees.ContosoLogin is VARCHAR(128)" in errors["multivalue.join"]
    attribute_errors = [e for k, e in prompter.errors if k == "multivalue.attributes"]
    assert "Badge is the join column" in attribute_errors[0]
    assert "extension:BadgesContosoLogin" in attribute_errors[1]  # the parent has ContosoLogin
    [child] = connector.schema.child_tables
    assert child.join_column == "Badge"
    assert child.attributes == [
        MultiValuedAttribute(column="ContosoLogin", name="badgeOwners", data_type="Integer")
    ]
    assert "multivalue.type_column" not in prompter.asked  # no core attribute: no type/primary
