"""`ecmactl configure schema --refresh`: the difference between a connector and its live table,
shown (text, JSON, exit 20 for scripts), and the connector updated to match, all or nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from db_fixtures import create_employees_table
from typer.testing import CliRunner, Result

from ecmactl.cli import _wizard_run, app
from ecmactl.config.store import load_connector
from ecmactl.home import Home
from ecmactl.sql.connect import make_engine
from ecmactl.testing import ScriptedPrompter, Turns

REFRESH = ("configure", "schema", "--refresh")


def invoke(home: Home, *args: str) -> Result:
    return CliRunner().invoke(app, ["--home", str(home.root), *args])


def files(home: Home) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(home.root.rglob("*.toml"))}


def attributes(home: Home) -> list[str]:
    return [a.column for a in load_connector(home, "SQL").attributes]


@pytest.fixture
def sample(home: Home) -> Home:
    done = invoke(home, "init", "--sample", "--no-input", "--secret-store", "file")
    assert done.exit_code == 0, done.stderr
    return home


def sqlite_alter(home: Home, *statements: str) -> None:
    with sqlite3.connect(home.root / "data" / "contoso.db") as db:
        for statement in statements:
            db.execute(statement)


def grow_and_shrink(home: Home) -> None:
    sqlite_alter(
        home,
        "ALTER TABLE Employees ADD COLUMN Department VARCHAR(64)",
        "ALTER TABLE Employees ADD COLUMN OnLeave BOOLEAN",
        "ALTER TABLE Employees DROP COLUMN textID",
    )


def test_a_table_in_sync_says_so(sample: Home) -> None:
    before = files(sample)
    done = invoke(sample, *REFRESH, "--dry-run", "--detailed-exitcode")
    assert done.exit_code == 0, done.stderr
    assert "Connector SQL matches table Employees: nothing to refresh." in done.stderr
    data = invoke(sample, *REFRESH, "--json")
    assert data.exit_code == 0
    assert json.loads(data.stdout) == {
        "schema": "ecmactl/schema-refresh/v1",
        "connector": "SQL",
        "table": "Employees",
        "in_sync": True,
        "changes": [],
        "dry_run": False,
        "refused": [],
    }
    assert files(sample) == before


def test_dry_run_shows_the_difference_and_writes_nothing(sample: Home) -> None:
    grow_and_shrink(sample)
    before = files(sample)

    text = invoke(sample, *REFRESH, "--dry-run", "--add-column", "Department")
    drift = invoke(sample, *REFRESH, "--dry-run", "--detailed-exitcode")
    data = invoke(sample, *REFRESH, "--dry-run", "--json", "--add-all")

    assert text.exit_code == 0, text.stderr
    assert drift.exit_code == 20, drift.stderr  # scripts detect a changed table
    assert data.exit_code == 0, data.stderr
    assert files(sample) == before
    lines = text.stdout.splitlines()
    assert lines[:4] == [
        "Table Employees differs from connector SQL:",
        "  column textID (a selected attribute) was removed",
        "  column Department was added (VARCHAR(64) NULL allowed, String)",
        "  column OnLeave was added (BOOLEAN NULL allowed, Boolean)",
    ]
    assert "Dry run: nothing was written." in lines
    assert "Attributes added: Department; dropped: textID." in lines
    document = json.loads(data.stdout)
    assert document["schema"] == "ecmactl/schema-refresh/v1"
    assert document["dry_run"] is True and document["in_sync"] is False
    assert [(c["column"], c["change"], c["role"]) for c in document["changes"]] == [
        ("textID", "removed", "a selected attribute"),
        ("Department", "added", None),
        ("OnLeave", "added", None),
    ]
    assert document["changes"][1]["new"]["sql_type"] == "VARCHAR(64)"
    assert document["attributes_added"] == ["Department", "OnLeave"]
    assert document["attributes_dropped"] == ["textID"]
    assert {f["what"]: f["action"] for f in document["files"]} == {
        "connector SQL": "update",
        "answers for SQL": "update",
    }


def test_refresh_updates_the_connector_and_its_answers(sample: Home) -> None:
    grow_and_shrink(sample)
    done = invoke(sample, *REFRESH, "--no-input", "--add-column", "Department")
    assert done.exit_code == 0, done.stderr
    assert (
        "Connector SQL refreshed from table Employees: 3 differences applied; attributes "
        "added: Department; dropped: textID." in done.stderr
    )
    assert "Not selected as attributes (Entra does not see them): OnLeave" in done.stderr
    connector = load_connector(sample, "SQL")  # the load-time rules pass
    assert attributes(sample)[-1] == "Department" and "textID" not in attributes(sample)
    assert [c.name for c in connector.schema.columns][-2:] == ["Department", "OnLeave"]
    answers = sample.answers_path("SQL").read_text()
    assert '"Department"' in answers and "textID" not in answers
    again = invoke(sample, *REFRESH, "--dry-run", "--detailed-exitcode")
    assert again.exit_code == 0, again.stdout  # in sync now


def test_a_terminal_offers_the_added_columns_and_asks_before_writing(
    sample: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    grow_and_shrink(sample)
    prompter = ScriptedPrompter(
        {"refresh.add_columns": Turns(["Department", "OnLeave"], ["OnLeave"])},
        review=[False, True],  # "Go back" once: the columns are asked again
    )
    monkeypatch.setattr(_wizard_run, "prompter_for", lambda no_input: prompter)
    done = invoke(sample, *REFRESH)
    assert done.exit_code == 0, done.stderr
    assert prompter.asked == ["refresh.add_columns", "refresh.add_columns"]
    assert prompter.offered[0] == ("refresh.add_columns", ["Department"])  # not the Boolean
    table, effect = prompter.reviewed[-1].values()
    assert table["textID (removed)"] == "column textID (a selected attribute) was removed"
    assert effect == {"Attributes added": "OnLeave", "Attributes dropped": "textID"}
    assert attributes(sample)[-1] == "OnLeave"


def test_a_declined_review_writes_nothing(sample: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    sqlite_alter(sample, "ALTER TABLE Employees DROP COLUMN textID")
    before = files(sample)
    prompter = ScriptedPrompter({}, review=[False])
    monkeypatch.setattr(_wizard_run, "prompter_for", lambda no_input: prompter)
    done = invoke(sample, *REFRESH)
    assert done.exit_code == 1 and "Nothing was written." in done.stderr
    assert files(sample) == before
    monkeypatch.setattr(_wizard_run, "prompter_for", lambda no_input: prompter)
    assert invoke(sample, *REFRESH, "--yes").exit_code == 0  # --yes: no review
    assert "textID" not in attributes(sample)


def test_a_vanished_anchor_is_refused_naming_the_fix(sample: Home) -> None:
    sqlite_alter(sample, "ALTER TABLE Employees RENAME COLUMN ContosoLogin TO Login")
    before = files(sample)
    done = invoke(sample, *REFRESH, "--no-input")
    data = invoke(sample, *REFRESH, "--dry-run", "--json")
    assert done.exit_code == 1
    assert (
        "Error: connector 'SQL': the anchor column 'ContosoLogin' is gone from table Employees"
        in done.stderr
    )
    assert f"`ecmactl --home {sample.root} configure schema --connector SQL`" in done.stderr
    assert "Traceback" not in done.stderr
    assert data.exit_code == 1
    document = json.loads(data.stdout)
    assert document["refused"][0]["error"].startswith("connector 'SQL': the anchor column")
    assert files(sample) == before


def test_a_change_that_breaks_a_binding_is_refused(sample: Home) -> None:
    """The refreshed connector meets the load-time rules, or nothing is written."""
    off = invoke(sample, "configure", "deprovisioning", "--no-input", "--disable-flow", "None")
    assert off.exit_code == 0, off.stderr
    done = invoke(
        sample, "configure", "attributes", "--no-input", "--attribute", "ContosoLogin",
        "--attribute", "AccountDisabled", "--bind", "AccountDisabled=active",
    )  # fmt: skip
    assert done.exit_code == 0, done.stderr
    sqlite_alter(
        sample,
        "ALTER TABLE Employees RENAME COLUMN AccountDisabled TO Old",
        "ALTER TABLE Employees ADD COLUMN AccountDisabled VARCHAR(5)",
    )
    before = files(sample)
    refused = invoke(sample, *REFRESH, "--no-input")
    assert refused.exit_code == 1, refused.stderr
    assert "active can only be bound to a Boolean column, not AccountDisabled" in refused.stderr
    assert files(sample) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("configure", "schema", "--add-column", "X"), "--add-column works with --refresh only"),
        ((*REFRESH, "--table", "Employees"), "--table cannot be combined with --refresh"),
        ((*REFRESH, "--add-all", "--add-column", "X"), "cannot be combined"),
        ((*REFRESH, "--add-column", "FirstName"), "--add-column FirstName: not a column added"),
    ],
)
def test_bad_flags_are_usage_errors(sample: Home, args: tuple[str, ...], message: str) -> None:
    sqlite_alter(sample, "ALTER TABLE Employees ADD COLUMN Department VARCHAR(64)")
    done = invoke(sample, *args, "--no-input")
    assert done.exit_code == 2, done.stderr
    assert message in done.stderr


def test_refresh_on_every_database(home: Home, any_db_url: str) -> None:
    """PostgreSQL and MariaDB through the same command: ALTER TABLE, refresh, in sync."""
    create_employees_table(any_db_url)
    done = invoke(
        home, "init", "--no-input", "--hostname", "localhost", "--secret-store", "file",
        "--name", "SQL", "--database-url", any_db_url, "--table", "Employees",
    )  # fmt: skip
    assert done.exit_code == 0, done.stderr
    engine = make_engine(any_db_url)
    quote = engine.dialect.identifier_preparer.quote
    with engine.begin() as conn:
        conn.exec_driver_sql(f"ALTER TABLE {quote('Employees')} ADD {quote('Title')} VARCHAR(80)")
        conn.exec_driver_sql(f"ALTER TABLE {quote('Employees')} DROP COLUMN {quote('textID')}")
    engine.dispose()
    drift = invoke(home, *REFRESH, "--dry-run", "--detailed-exitcode", "--json")
    assert drift.exit_code == 20, drift.stderr
    assert [c["change"] for c in json.loads(drift.stdout)["changes"]] == ["removed", "added"]
    done = invoke(home, *REFRESH, "--no-input", "--add-all", "--json")
    assert done.exit_code == 0, done.stderr
    assert json.loads(done.stdout)["attributes_added"] == ["Title"]
    assert "Title" in attributes(home) and "textID" not in attributes(home)
    assert invoke(home, *REFRESH, "--dry-run", "--detailed-exitcode").exit_code == 0


def test_plain_configure_schema_takes_the_table_as_it_is_now(sample: Home) -> None:
    """Without --refresh the page re-detects too: answers about a dropped column are not
    refused as unknown, they go (and the dry run says so)."""
    sqlite_alter(
        sample,
        "ALTER TABLE Employees DROP COLUMN textID",
        "ALTER TABLE Employees ADD COLUMN Title VARCHAR(40)",
    )
    dry = invoke(sample, "configure", "schema", "--no-input", "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "Schema 1-4 › DataType per attribute › Title: (none) → String" in dry.stdout
    assert "Select Attributes › Attributes: " in dry.stdout
    done = invoke(sample, "configure", "schema", "--no-input")
    assert done.exit_code == 0, done.stderr
    assert "textID" not in attributes(sample)
    assert invoke(sample, *REFRESH, "--dry-run", "--detailed-exitcode").exit_code == 0


@pytest.mark.slow
def test_refresh_on_a_terminal(sample: Home) -> None:
    """A person at a keyboard: the difference, the added columns checked (not the Boolean),
    Space toggles, the review, Enter writes."""
    import os
    import sys

    pexpect = pytest.importorskip("pexpect")
    grow_and_shrink(sample)
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "TERM": "xterm",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "PROMPT_TOOLKIT_NO_CPR": "1",  # pexpect does not answer the cursor-position request
    }
    env.pop("ECMACTL_NO_INPUT", None)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "ecmactl", "--home", str(sample.root), *REFRESH],
        env=env,
        encoding="utf-8",
        timeout=60,  # a hang bound, not a speed check
        dimensions=(50, 120),
    )
    child.expect_exact("column textID (a selected attribute) was removed")
    child.expect_exact("Columns added to the table")
    child.expect_exact("OnLeave  (BOOLEAN, Boolean)")
    child.send("\x1b[B" + " " + "\r")  # down to OnLeave, check it, confirm
    child.expect_exact("Attributes added")
    child.expect_exact("Write this configuration?")
    child.send("\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert attributes(sample)[-2:] == ["Department", "OnLeave"]
