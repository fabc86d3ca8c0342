"""A column the connector uses that is gone from the live table: `host run`
says which column, in which table, and the `configure` command, before the banner; a database
that cannot be reached is still retried as before."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from hostproc import HostProcess, ecmactl, free_port, init_sample

from ecmactl.config.store import load_connector
from ecmactl.errors import ConfigError
from ecmactl.home import Home
from ecmactl.host.preflight import check_schema


def _rename(home: Path, old: str, new: str) -> None:
    with sqlite3.connect(home / "data" / "contoso.db") as db:
        db.execute(f'ALTER TABLE Employees RENAME COLUMN "{old}" TO "{new}"')


def test_a_renamed_anchor_is_refused_before_the_banner(tmp_path: Path) -> None:
    home = tmp_path / "home"
    init_sample(home)
    _rename(home, "ContosoLogin", "Login")
    done = ecmactl(home, "host", "run", "--port", str(free_port()))
    assert done.returncode == 1, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        "Error: connector 'SQL': column 'ContosoLogin' (the anchor) does not exist in table "
        "Employees (its columns: " + errors[0].split("(its columns: ")[1]
    ], done.stderr
    assert "Login" in errors[0]
    assert f"`ecmactl --home {home} configure schema --connector SQL`" in done.stderr
    assert "Tenant URL" not in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("column", "role", "page"),
    [
        ("Email", "a selected attribute", "attributes"),
        ("AccountDisabled", "the disable attribute", "deprovisioning"),
    ],
)
def test_every_used_column_is_checked(home: Home, column: str, role: str, page: str) -> None:
    init_sample(home.root)
    _rename(home.root, column, f"{column}Old")
    with pytest.raises(ConfigError) as caught:
        check_schema(home, load_connector(home, "SQL"))
    assert f"column {column!r} ({role})" in caught.value.message
    assert f"configure {page} --connector SQL" in (caught.value.hint or "")


def test_watermark_and_dn_columns_are_checked(home: Home) -> None:
    init_sample(home.root)
    connector = load_connector(home, "SQL")
    connector.global_.delta_strategy = "Watermark"
    connector.global_.watermark_column = "Modified"
    with pytest.raises(ConfigError, match="'Modified' \\(the watermark column\\)"):
        check_schema(home, connector)
    connector.global_.delta_strategy = "None"
    connector.schema.dn_attribute = "DistinguishedName"
    with pytest.raises(ConfigError, match="'DistinguishedName' \\(the DN attribute\\)"):
        check_schema(home, connector)


def test_an_unreachable_database_is_still_retried(tmp_path: Path) -> None:
    """The database is down at start: the host serves and retries (no schema verdict)."""
    home = tmp_path / "home"
    init_sample(home)
    database = home / "data" / "contoso.db"
    moved = database.with_suffix(".away")
    database.rename(moved)
    with HostProcess(home, free_port()) as host:
        database_back = False
        try:
            end = time.monotonic() + 30
            status = ecmactl(home, "host", "status")
            while "Main PID" not in status.stdout:  # the host comes up without its database
                assert host.proc.poll() is None, host.log
                assert time.monotonic() < end, status.stdout
                status = ecmactl(home, "host", "status")
            moved.rename(database)
            database_back = True
            host.wait_ready(deadline=60)
        finally:
            if not database_back:
                moved.rename(database)


def test_the_check_passes_and_fails_on_every_database(home: Home, employees_url: str) -> None:
    """PostgreSQL and MariaDB report their columns as SQLite does (names as created)."""
    from db_fixtures import employees_connector

    connector = employees_connector(employees_url)
    assert check_schema(home, connector) == []  # the table as the wizard saw it: no warning
    connector.schema.anchor = "contosologin"  # a case variant is another column
    with pytest.raises(ConfigError, match="'contosologin' \\(the anchor\\) does not exist"):
        check_schema(home, connector)


# -- differences the host serves through, with one warning each -------------------------------


def _alter(home: Path, *statements: str) -> None:
    with sqlite3.connect(home / "data" / "contoso.db") as db:
        for statement in statements:
            db.execute(statement)


def test_a_removed_attribute_names_the_refresh(home: Home) -> None:
    init_sample(home.root)
    _alter(home.root, "ALTER TABLE Employees DROP COLUMN textID")
    with pytest.raises(ConfigError) as caught:
        check_schema(home, load_connector(home, "SQL"))
    assert caught.value.hint == (
        "Drop it from the connector with `ecmactl configure schema --connector SQL --refresh`, "
        "choose the attributes again with `ecmactl configure attributes --connector SQL`, or "
        "restore the column in the database."
    )


def test_each_other_difference_is_one_warning(home: Home) -> None:
    init_sample(home.root)
    connector = load_connector(home, "SQL")
    assert check_schema(home, connector) == []  # as the wizard left it
    _alter(
        home.root,
        "ALTER TABLE Employees ADD COLUMN Department VARCHAR(64)",
        "ALTER TABLE Employees ADD COLUMN CostCenter INTEGER NOT NULL DEFAULT 0",
    )
    connector.attributes = [a for a in connector.attributes if a.column != "AzureID"]
    _alter(home.root, "ALTER TABLE Employees DROP COLUMN AzureID")
    refresh = "ecmactl configure schema --connector SQL --refresh"
    assert check_schema(home, connector) == [
        "connector 'SQL': table Employees: column AzureID was removed; the connector still "
        f"describes the old column: run `{refresh}`",
        "connector 'SQL': table Employees: column Department was added (VARCHAR(64) NULL "
        f"allowed, String); Entra does not see it until you add it: `{refresh} --add-column "
        "Department`",
        "connector 'SQL': table Employees: column CostCenter was added (INTEGER NOT NULL, with "
        f"a default, Integer); Entra does not see it until you add it: `{refresh} --add-column "
        "CostCenter`",
    ]


def test_a_new_not_null_column_without_default_says_creates_fail(home: Home) -> None:
    init_sample(home.root)
    db = home.root / "data" / "contoso.db"
    with sqlite3.connect(db) as conn:  # SQLite cannot add such a column to a filled table
        conn.execute("DELETE FROM Employees")
        conn.execute("ALTER TABLE Employees ADD COLUMN Badge INTEGER NOT NULL")
    warnings = check_schema(home, load_connector(home, "SQL"))
    assert warnings == [
        "connector 'SQL': table Employees: column Badge was added (INTEGER NOT NULL, Integer); "
        "creating a user fails until it is a selected attribute: `ecmactl configure schema "
        "--connector SQL --refresh --add-column Badge`"
    ]


def test_the_host_warns_at_start_and_serves(tmp_path: Path) -> None:
    """A real `host run`: one banner line per difference, pasteable, then it serves."""
    home = tmp_path / "home"
    init_sample(home)
    _alter(home, "ALTER TABLE Employees ADD COLUMN Department VARCHAR(64)")
    with HostProcess(home, free_port()) as host:
        host.wait_ready()
        warned = [line for line in host.log.splitlines() if "Department" in line]
    assert warned == [
        "! connector 'SQL': table Employees: column Department was added (VARCHAR(64) NULL "
        "allowed, String); Entra does not see it until you add it: "
        f"`ecmactl --home {home} configure schema --connector SQL --refresh --add-column "
        "Department`"
    ]
    # Pasted as printed, the command fixes it: the next start says nothing.
    fix = warned[0].split("`")[1].split()
    done = ecmactl(home, *fix[3:])
    assert done.returncode == 0, done.stderr
    assert "Department" in [a.column for a in load_connector(Home(home), "SQL").attributes]
    with HostProcess(home, free_port()) as host:
        host.wait_ready()
        assert "! connector" not in host.log
