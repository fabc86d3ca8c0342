"""`init --child-table …` and `configure multivalue` with no terminal, on real SQLite,
PostgreSQL and MariaDB databases with child tables created by the test; `--list`, `--remove`,
errors that name the fix, the refresh that reports a lost child column, and the bundle."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from child_table_fixtures import create_candidate_tables
from db_fixtures import create_employees_table
from typer.testing import CliRunner, Result

from ecmactl.cli import app
from ecmactl.config.models import MultiValuedAttribute
from ecmactl.config.store import load_connector
from ecmactl.home import Home
from ecmactl.sql.connect import make_engine

EMAILS = ("--child-table", "EmployeeEmails", "--child-attribute", "Email=emails")


def invoke(home: Home, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(app, ["--home", str(home.root), *args], input=input)


def configure(home: Home, *args: str) -> Result:
    return invoke(home, "configure", "multivalue", "--connector", "HR", "--no-input", *args)


def make_hr(home: Home, any_db_url: str) -> Home:
    """Connector HR on Employees, with EmployeeEmails (foreign key), EmployeePhones (a column
    named like the anchor) and Badges next to it; its first child table set by `init`."""
    create_employees_table(any_db_url)
    engine = make_engine(any_db_url)
    create_candidate_tables(engine)
    engine.dispose()
    result = invoke(
        home,
        "init",
        "--no-input",
        "--hostname",
        "ecma01.contoso.test",
        "--secret-store",
        "file",
        "--name",
        "HR",
        "--database-url",
        any_db_url,
        "--table",
        "Employees",
        "--disable-flow",
        "Delete",
        *EMAILS,
    )
    assert result.exit_code == 0, result.stderr
    return home


@pytest.fixture
def hr_any(home: Home, any_db_url: str) -> Home:
    """HR on SQLite, PostgreSQL and MariaDB: for what the database decides (detection, types,
    a dropped column)."""
    return make_hr(home, any_db_url)


@pytest.fixture
def hr(home: Home, sqlite_url: str) -> Home:
    """HR on SQLite: for what the configuration decides alone."""
    return make_hr(home, sqlite_url)


def test_init_takes_the_child_table_from_flags(hr_any: Home) -> None:
    [child] = load_connector(hr_any, "HR").schema.child_tables
    assert (child.table, child.join_column, child.parent_column) == (
        "EmployeeEmails",
        "ContosoLogin",
        None,
    )
    # Employees has an Email column too: the multi-valued one gets a row key of its own
    assert child.attributes == [
        MultiValuedAttribute(
            "Email",
            "emails",
            name="EmployeeEmails_Email",
            type_column="EmailType",
            primary_column="IsPrimary",
        )
    ]
    assert "schema_version = 3" in hr_any.connector_path("HR").read_text()


def test_configure_adds_a_second_table_and_keeps_the_first(hr: Home) -> None:
    done = configure(
        hr,
        "--child-table",
        "EmployeePhones",
        "--join",
        "Employees.ContosoLogin = EmployeePhones.contosologin",
        "--child-attribute",
        "Phone=phoneNumbers",
        "--child-attribute",
        "Id=(none)",
        "--type-column",
        "(none)",
    )
    assert done.exit_code == 0, done.stderr
    tables = load_connector(hr, "HR").schema.child_tables
    assert [(t.table, t.join_column) for t in tables] == [
        ("EmployeeEmails", "ContosoLogin"),
        ("EmployeePhones", "contosologin"),
    ]
    assert tables[1].attributes == [MultiValuedAttribute("Phone", "phoneNumbers")]

    listed = invoke(hr, "configure", "multivalue", "--connector", "HR", "--list")
    assert listed.exit_code == 0, listed.stderr
    assert "EmployeePhones  (EmployeePhones.contosologin = Employees.ContosoLogin)" in listed.stdout
    assert "Email → emails (type from EmailType, primary from IsPrimary)" in listed.stdout

    removed = invoke(hr, "configure", "multivalue", "-c", "HR", "--remove", "EmployeeEmails")
    assert removed.exit_code == 0, removed.stderr
    as_json = invoke(hr, "configure", "multivalue", "-c", "HR", "--list", "--json")
    document = json.loads(as_json.stdout)
    assert [t["table"] for t in document["child_tables"]] == ["EmployeePhones"]


MISTAKES: list[tuple[tuple[str, ...], str]] = [
    (
        ("--child-table", "Badges", "--child-attribute", "Badge=roles"),
        "Badges.ContosoLogin is INTEGER",
    ),
    (
        ("--child-table", "EmployeeEmails", "--join", "EmployeeEmails.Login = Employees.Id"),
        "EmployeeEmails has no column 'Login' (the join column)",
    ),
    (
        ("--child-table", "EmployeeEmails", "--join", "EmployeeEmails.ContosoLogin"),
        "is not a join condition; write it as EmployeeEmails.ParentID = Employees.ID",
    ),
    (
        ("--child-table", "EmployeeEmails", "--child-attribute", "Email=email"),
        "'email' is not a target; use one of: emails, phoneNumbers",
    ),
    (
        ("--child-table", "EmployeeEmails", "--child-attribute", "Mail=emails"),
        "'Mail' is not a column of EmployeeEmails",
    ),
    (
        ("--list", "--child-table", "EmployeeEmails"),
        "--child-table cannot be combined with --list",
    ),
    (("--remove", "Badges"), "connector HR has no child table Badges"),
]


def test_mistakes_are_refused_naming_the_fix_and_nothing_is_written(hr_any: Home) -> None:
    """One home for every mistake: none of them writes anything."""
    before = hr_any.connector_path("HR").read_bytes()
    for flags, error in MISTAKES:
        done = configure(hr_any, *flags)
        assert done.exit_code == 2, (flags, done.stdout)
        assert error in done.stderr, flags
        assert hr_any.connector_path("HR").read_bytes() == before, flags


def test_dry_run_shows_the_change_and_writes_nothing(hr: Home) -> None:
    before = hr.connector_path("HR").read_bytes()
    done = configure(
        hr, "--child-table", "EmployeeEmails", "--type-column", "(none)", "--dry-run",
        "--detailed-exitcode",
    )  # fmt: skip
    assert done.exit_code == 20, done.stderr
    assert "Type column: EmailType → (none)" in done.stdout
    assert hr.connector_path("HR").read_bytes() == before


def test_refresh_reports_a_column_gone_from_a_child_table(hr_any: Home, any_db_url: str) -> None:
    engine = make_engine(any_db_url)
    quote = engine.dialect.identifier_preparer.quote
    with engine.begin() as conn:
        conn.exec_driver_sql(
            f"ALTER TABLE {quote('EmployeeEmails')} DROP COLUMN {quote('EmailType')}"
        )
    engine.dispose()

    done = invoke(hr_any, "configure", "schema", "--connector", "HR", "--refresh", "--json")

    assert done.exit_code == 1
    [refused] = json.loads(done.stdout)["refused"]
    assert refused["error"] == (
        "connector 'HR': column 'EmailType' (the type of emails) is gone from child table "
        "EmployeeEmails"
    )
    assert "configure multivalue --connector HR --child-table EmployeeEmails" in refused["hint"]
    assert "--remove EmployeeEmails" in refused["hint"]


def test_a_bundle_carries_the_child_tables(hr: Home, tmp_path: Path) -> None:
    bundle = tmp_path / "hr.bundle"
    emitted = invoke(hr, "bundle", "emit", "-o", str(bundle))
    assert emitted.exit_code == 0, emitted.stderr
    target = Home(tmp_path / "target")
    applied = invoke(target, "bundle", "apply", str(bundle))
    assert applied.exit_code == 0, applied.stderr
    assert target.connector_path("HR").read_bytes() == hr.connector_path("HR").read_bytes()
    assert load_connector(target, "HR").schema.child_tables == (
        load_connector(hr, "HR").schema.child_tables
    )


def test_a_core_attribute_is_filled_once_single_or_multi_valued(hr: Home) -> None:
    """init left Email unbound (emails comes from EmployeeEmails); binding it is refused, and
    after removing the child table the single-valued binding is accepted."""
    work = 'Email=emails[type eq "work"].value'
    bound = invoke(hr, "configure", "attributes", "-c", "HR", "--no-input", "--bind", work)
    assert bound.exit_code == 2
    assert "emails is filled by the multi-valued attribute of child table EmployeeEmails" in (
        bound.stderr
    )
    assert "configure multivalue --connector HR --remove EmployeeEmails" in bound.stderr
    assert configure(hr, "--remove", "EmployeeEmails").exit_code == 0
    bound = invoke(hr, "configure", "attributes", "-c", "HR", "--no-input", "--bind", work)
    assert bound.exit_code == 0, bound.stderr

    again = configure(hr, *EMAILS)
    assert again.exit_code == 2
    assert "emails is filled by column Email" in again.stderr
    assert "configure attributes --connector HR --bind 'Email=(none)'" in again.stderr
