"""Child tables of multi-valued attributes: detection and checks on SQLite, PostgreSQL, MariaDB."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from child_table_fixtures import create_candidate_tables
from sqlalchemy.engine import Engine

from ecmactl.errors import UsageError
from ecmactl.sql.child_tables import (
    ChildTableCandidate,
    ChildTableShape,
    check_child_table,
    child_table_candidates,
)
from ecmactl.sql.connect import make_engine


@pytest.fixture
def engine(employees_url: str) -> Iterator[Engine]:
    engine = make_engine(employees_url)
    create_candidate_tables(engine)
    yield engine
    engine.dispose()


def test_a_foreign_key_to_the_parent_makes_a_candidate(engine: Engine) -> None:
    assert child_table_candidates(engine, "Employees") == [
        ChildTableCandidate("EmployeeEmails", "ContosoLogin", "ContosoLogin", "foreign key")
    ]


def test_a_named_join_column_finds_tables_without_a_foreign_key(engine: Engine) -> None:
    found = child_table_candidates(
        engine, "Employees", join_column="ContosoLogin", parent_column="ContosoLogin"
    )
    assert [(c.table, c.join_column, c.found_by) for c in found] == [
        ("EmployeeEmails", "ContosoLogin", "foreign key"),
        ("Badges", "ContosoLogin", "column name"),
        ("EmployeePhones", "contosologin", "column name"),
    ]


def _shape(**overrides: object) -> ChildTableShape:
    values: dict[str, object] = {
        "table": "EmployeeEmails",
        "join_column": "ContosoLogin",
        "parent_column": "ContosoLogin",
        "value_columns": ("Email",),
        "type_column": "EmailType",
        "primary_column": "IsPrimary",
    }
    values.update(overrides)
    return ChildTableShape(**values)  # type: ignore[arg-type]


def test_a_matching_child_table_passes_and_returns_its_columns(engine: Engine) -> None:
    columns = check_child_table(engine, "Employees", _shape())
    assert [c.name for c in columns] == ["Id", "ContosoLogin", "Email", "EmailType", "IsPrimary"]


@pytest.mark.parametrize(
    ("overrides", "message", "hint"),
    [
        ({"table": "EmployeeMails"}, "'EmployeeMails' does not exist", "EmployeeEmails"),
        ({"table": "Employees"}, "the connector's own table", "EmployeeEmails"),
        ({"join_column": "contosologin"}, "no column 'contosologin'", "Did you mean ContosoLogin"),
        ({"parent_column": "Login"}, "Employees has no column 'Login'", "FirstName"),
        ({"value_columns": ("Mail",)}, "(the value column)", "Email"),
        ({"value_columns": ("ContosoLogin",)}, "is the join column", "another column"),
        ({"type_column": "IsPrimary"}, "a type column holds text", "text column"),
        ({"primary_column": "Email"}, "a primary column holds true/false", "boolean column"),
        (
            {"table": "Badges", "value_columns": ("Badge",), "type_column": None,
             "primary_column": None},
            "(Integer) but Employees.ContosoLogin is VARCHAR(128) (String)",
            "with the type of Employees.ContosoLogin",
        ),
    ],
)  # fmt: skip
def test_a_mismatch_names_the_fix(
    engine: Engine, overrides: dict[str, object], message: str, hint: str
) -> None:
    with pytest.raises(UsageError) as raised:
        check_child_table(engine, "Employees", _shape(**overrides))
    assert message in raised.value.message
    assert hint in (raised.value.hint or "")
