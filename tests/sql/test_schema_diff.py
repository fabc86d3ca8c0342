"""The connector against its live table after ALTER TABLE, on SQLite, PostgreSQL and MariaDB:
what differs, the connector refreshed to match, and what a refresh refuses to decide."""

from __future__ import annotations

from dataclasses import replace

import pytest
from db_fixtures import create_employees_table, employees_connector

from ecmactl.config.models import Column, Connector
from ecmactl.errors import ConfigError, UsageError
from ecmactl.home import Home
from ecmactl.sql.connect import make_engine
from ecmactl.sql.schema_diff import (
    SchemaDiff,
    diff_schema,
    read_live_columns,
    refresh_problems,
    refreshed_connector,
)

_NAMES = (
    "ContosoLogin",
    "Login",
    "textID",
    "AzureID",
    "LastName",
    "Department",
    "AccountDisabled",
    "Disabled",
)


def alter(url: str, *statements: str) -> None:
    """Run DDL with {T} the quoted Employees table and {Name} each quoted column of _NAMES."""
    engine = make_engine(url)
    quote = engine.dialect.identifier_preparer.quote
    names = {name: quote(name) for name in _NAMES}
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement.format(T=quote("Employees"), **names))
    finally:
        engine.dispose()


def refresh_inputs(home: Home, connector: Connector) -> tuple[list[Column], SchemaDiff]:
    live = read_live_columns(home, connector)
    return live, diff_schema(connector, live)


def test_an_unchanged_table_has_no_difference(home: Home, employees_url: str) -> None:
    """Detection is repeatable: what the wizard stored is what the table says now."""
    connector = employees_connector(employees_url)
    live, diff = refresh_inputs(home, connector)
    assert not diff and diff.to_dict() == {"table": "Employees", "in_sync": True, "changes": []}
    assert list(refresh_problems(connector, live)) == []
    assert refreshed_connector(connector, live) == connector


def test_added_and_removed_columns(home: Home, employees_url: str) -> None:
    connector = employees_connector(employees_url)
    alter(
        employees_url,
        "ALTER TABLE {T} ADD {Department} VARCHAR(64) NULL",
        "ALTER TABLE {T} DROP COLUMN {textID}",
    )
    live, diff = refresh_inputs(home, connector)

    assert [(c.column, c.kind, c.role) for c in diff.changes] == [
        ("textID", "removed", "a selected attribute"),
        ("Department", "added", None),
    ]
    added = diff.changes[1]
    assert added.new["data_type"] == "String" and added.new["max_length"] == 64
    assert added.text() == (
        f"column Department was added ({added.new['sql_type']} NULL allowed, String)"
    )
    assert diff.changes[0].text() == "column textID (a selected attribute) was removed"

    kept = refreshed_connector(connector, live)  # nothing added unless asked
    assert "textID" not in [a.column for a in kept.attributes]
    assert "Department" not in [a.column for a in kept.attributes]
    assert [c.name for c in kept.schema.columns] == [c.name for c in live]

    grown = refreshed_connector(connector, live, ["Department"])
    assert [a.column for a in grown.attributes] == [
        *(a.column for a in connector.attributes if a.column != "textID"),
        "Department",
    ]
    assert not diff_schema(grown, live)  # refreshed: in sync


def test_an_add_naming_no_added_column_is_refused(home: Home, employees_url: str) -> None:
    connector = employees_connector(employees_url)
    alter(employees_url, "ALTER TABLE {T} ADD {Department} VARCHAR(64) NULL")
    live, _ = refresh_inputs(home, connector)
    with pytest.raises(UsageError) as caught:
        refreshed_connector(connector, live, ["FirstName"])
    assert caught.value.message == (
        "--add-column FirstName: not a column added to table Employees (added columns: Department)"
    )
    assert "configure attributes --connector test" in (caught.value.hint or "")


def test_a_renamed_anchor_is_refused_with_the_page_that_fixes_it(
    home: Home, employees_url: str
) -> None:
    connector = employees_connector(employees_url)
    alter(employees_url, "ALTER TABLE {T} RENAME COLUMN {ContosoLogin} TO {Login}")
    live, diff = refresh_inputs(home, connector)
    assert diff.changes[0].column == "ContosoLogin" and diff.changes[0].kind == "removed"
    problems = list(refresh_problems(connector, live))
    assert problems[0].message == (
        "connector 'test': the anchor column 'ContosoLogin' is gone from table Employees"
    )
    assert "configure schema --connector test`" in (problems[0].hint or "")
    with pytest.raises(ConfigError, match="anchor column 'ContosoLogin' is gone"):
        refreshed_connector(connector, live)


def test_a_removed_disable_column_is_refused(home: Home, employees_url: str) -> None:
    connector = employees_connector(employees_url)
    alter(employees_url, "ALTER TABLE {T} RENAME COLUMN {AccountDisabled} TO {Disabled}")
    live, _ = refresh_inputs(home, connector)
    with pytest.raises(ConfigError) as caught:
        refreshed_connector(connector, live)
    assert caught.value.message == (
        "connector 'test': column 'AccountDisabled' (the disable attribute) is gone from table "
        "Employees"
    )
    assert "configure deprovisioning --connector test`" in (caught.value.hint or "")


# -- changes SQLite's ALTER TABLE cannot make: on the servers ---------------------------------

_RETYPE = {
    "postgresql": (
        "ALTER TABLE {T} ALTER COLUMN {AzureID} TYPE INTEGER USING NULL",
        "ALTER TABLE {T} ALTER COLUMN {textID} TYPE VARCHAR(256)",
        "ALTER TABLE {T} ALTER COLUMN {LastName} DROP NOT NULL",
    ),
    "mysql": (
        "ALTER TABLE {T} MODIFY {AzureID} INTEGER NULL",
        "ALTER TABLE {T} MODIFY {textID} VARCHAR(256) NULL",
        "ALTER TABLE {T} MODIFY {LastName} VARCHAR(50) NULL",
    ),
}
_DROP_UNIQUE = {
    "postgresql": 'ALTER TABLE {T} DROP CONSTRAINT "Employees_ContosoLogin_key"',
    "mysql": "ALTER TABLE {T} DROP INDEX {ContosoLogin}",
}


@pytest.fixture(params=["postgres", "mariadb"])
def server_url(request: pytest.FixtureRequest) -> str:
    request.applymarker(getattr(pytest.mark, request.param))
    url: str = request.getfixturevalue(f"{request.param}_url")
    create_employees_table(url)
    return url


def _dialect(url: str) -> str:
    engine = make_engine(url)
    try:
        return "postgresql" if engine.dialect.name == "postgresql" else "mysql"
    finally:
        engine.dispose()


def test_retyped_resized_and_nullable_columns(home: Home, server_url: str) -> None:
    connector = employees_connector(server_url)
    first = connector.column("FirstName")
    assert first is not None
    first.direction = "Import"  # the user's choices on columns the ALTER does not touch stay
    alter(server_url, *_RETYPE[_dialect(server_url)])
    live, diff = refresh_inputs(home, connector)

    by_kind = {(c.column, c.kind): c for c in diff.changes}
    assert set(by_kind) == {
        ("AzureID", "type"),
        ("textID", "length"),
        ("LastName", "nullable"),
    }
    retyped = by_kind["AzureID", "type"]
    assert retyped.old.endswith("(String)") and retyped.new.endswith("(Integer)")
    assert by_kind["textID", "length"].text() == (
        "column textID (a selected attribute) length 128 → 256"
    )
    assert by_kind["LastName", "nullable"].text() == (
        "column LastName (a selected attribute) is now NULL allowed"
    )

    refreshed = refreshed_connector(connector, live)
    azure, text_id, last = (refreshed.column(n) for n in ("AzureID", "textID", "LastName"))
    assert azure is not None and azure.data_type == "Integer"
    assert text_id is not None and text_id.max_length == 256
    assert last is not None and last.nullable
    assert refreshed.column("FirstName") == replace(first, direction="Import")
    assert refreshed.attributes == connector.attributes
    assert not diff_schema(refreshed, live)


def test_an_anchor_that_lost_its_unique_constraint_is_refused(home: Home, server_url: str) -> None:
    connector = employees_connector(server_url)
    alter(server_url, _DROP_UNIQUE[_dialect(server_url)])
    live, diff = refresh_inputs(home, connector)
    assert [(c.column, c.kind, c.new) for c in diff.changes] == [("ContosoLogin", "unique", False)]
    with pytest.raises(ConfigError) as caught:
        refreshed_connector(connector, live)
    assert caught.value.message == (
        "connector 'test': the anchor column 'ContosoLogin' of table Employees is no longer "
        "UNIQUE, so it no longer identifies one user"
    )
