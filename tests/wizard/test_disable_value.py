"""Value when disabled: decided from the disable column's name, asked when the name says nothing.

A column named Enabled must be written false on disable; the old default (always true) left a
disabled user enabled.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from ecmactl.errors import MissingInputError
from ecmactl.home import Home
from ecmactl.testing import ScriptedPrompter, Turns
from ecmactl.wizard.build import build_connector
from ecmactl.wizard.context import WizardContext
from ecmactl.wizard.engine import Sources, run_wizard
from ecmactl.wizard.pages import CONNECTOR_PAGES
from ecmactl.wizard.suggest import disable_value_for
from ecmactl.wizard.summary import summarize


@pytest.fixture
def people_url(tmp_path: Path) -> str:
    db = tmp_path / "people.db"
    with sqlite3.connect(db) as conn:
        conn.execute(
            "CREATE TABLE People (Login VARCHAR(64) PRIMARY KEY NOT NULL, Name VARCHAR(64), "
            "Enabled BOOLEAN, IsLocked BOOLEAN, Flag BOOLEAN)"
        )
    return f"sqlite:///{db.as_posix()}"


def answers(url: str, column: str) -> dict[str, Any]:
    return {
        "properties.name": "People",
        "connectivity.database_url": url,
        "schema.table": "People",
        "attributes.columns": ["Login", "Name"],
        "deprovisioning.disable_flow": "Set attribute value",
        "deprovisioning.disable_attribute": column,
    }


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("Enabled", False),
        ("IsActive", False),
        ("Active", False),
        ("IsEnabled", False),
        ("account_enabled", False),
        ("Disabled", True),
        ("AccountDisabled", True),
        ("IsDisabled", True),
        ("Locked", True),
        ("IsLocked", True),
        ("Inactive", True),
        ("Suspended", True),
        ("Flag", None),
        ("ActiveDirectoryId", None),
        ("Deleted", None),
    ],
)
def test_the_column_name_decides_the_value(column: str, expected: bool | None):
    assert disable_value_for(column) is expected


@pytest.mark.parametrize(("column", "expected"), [("Enabled", False), ("IsLocked", True)])
def test_no_input_takes_the_value_the_name_implies(home: Home, people_url, column, expected):
    ctx = WizardContext(home=home)
    sources = Sources(fixed=answers(people_url, column))

    run_wizard(CONNECTOR_PAGES, ctx, sources, None)

    connector = build_connector(ctx, {})
    assert connector.deprovisioning.disable_attribute == column
    assert connector.deprovisioning.disable_value is expected


def test_no_input_without_a_hint_names_the_flag(home: Home, people_url):
    ctx = WizardContext(home=home)

    with pytest.raises(MissingInputError) as caught:
        run_wizard(CONNECTOR_PAGES, ctx, Sources(fixed=answers(people_url, "Flag")), None)

    ((label, flag),) = caught.value.missing
    assert flag == "--disable-value/--no-disable-value"
    assert "Flag does not say" in label


def test_defaults_still_ask_when_the_name_says_nothing(home: Home, people_url):
    """--defaults takes every default; a value that cannot be decided is not a default."""
    script = answers(people_url, "Flag")
    prompter = ScriptedPrompter({"deprovisioning.disable_value": Turns(None, True)})
    ctx = WizardContext(home=home)

    run_wizard(CONNECTOR_PAGES, ctx, Sources(fixed=script, use_defaults=True), prompter)

    assert prompter.asked.count("deprovisioning.disable_value") == 2  # Enter alone is refused
    assert ("deprovisioning.disable_value", "answer yes or no") in prompter.errors
    assert build_connector(ctx, {}).deprovisioning.disable_value is True


def test_the_prompt_and_the_review_say_where_the_default_comes_from(home: Home, people_url):
    prompter = ScriptedPrompter(answers(people_url, "Enabled"))
    ctx = WizardContext(home=home)

    run_wizard(CONNECTOR_PAGES, ctx, Sources(), prompter)

    assert ("deprovisioning.disable_value", False) in prompter.offered
    assert (
        "deprovisioning.disable_value",
        "from the column name Enabled",
    ) in prompter.explained
    review = summarize(CONNECTOR_PAGES, ctx)["Deprovisioning"]
    assert review["Value when disabled"] == "false (from the column name Enabled)"


def test_changing_the_column_decides_the_value_again(home: Home, people_url):
    """`configure deprovisioning`: true was right for IsLocked; for Enabled it is false."""
    ctx = WizardContext(home=home)
    run_wizard(CONNECTOR_PAGES, ctx, Sources(fixed=answers(people_url, "IsLocked")), None)
    assert ctx.get("deprovisioning.disable_value") is True

    again = answers(people_url, "Enabled")
    run_wizard(CONNECTOR_PAGES, ctx, Sources(fixed=again), None)

    assert build_connector(ctx, {}).deprovisioning.disable_value is False
