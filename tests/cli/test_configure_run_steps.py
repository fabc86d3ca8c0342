"""`ecmactl configure export` / `full-import`: the run-step pages by flags and answers file,
their rules at load time, and the check against the live database (SQLite: SQL Query only)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ecmactl.cli import app
from ecmactl.config.models import ExportStep
from ecmactl.config.store import load_connector, save_connector
from ecmactl.errors import ConfigError
from ecmactl.home import Home

INSERT = (
    "INSERT INTO Employees (ContosoLogin, FirstName, LastName, Email, textID, AccountDisabled) "
    "VALUES (@ContosoLogin, @FirstName, @LastName, @Email, @textID, COALESCE(@AccountDisabled, 0))"
)
UPDATE = (
    "UPDATE Employees SET FirstName = @FirstName, LastName = @LastName, Email = @Email, "
    "AccountDisabled = @AccountDisabled WHERE ContosoLogin = @Anchor"
)
DELETE = "DELETE FROM Employees WHERE ContosoLogin = @Anchor"
PAGE = (
    "SELECT * FROM Employees ORDER BY ContosoLogin "
    "LIMIT @EndIndex - @StartIndex + 1 OFFSET @StartIndex - 1"
)
QUERY_FLAGS: tuple[str, ...] = ("--export-method", "SQL Query", "--insert-query", INSERT)
QUERY_FLAGS += ("--update-query", UPDATE, "--delete-query", DELETE)


def invoke(home: Home, *args: str) -> Result:
    return CliRunner().invoke(app, ["--home", str(home.root), *args])


@pytest.fixture
def sample(home: Home) -> Home:
    done = invoke(home, "init", "--sample", "--no-input", "--secret-store", "file")
    assert done.exit_code == 0, done.stderr
    return home


def test_an_existing_connector_loads_unchanged_at_version_1(sample: Home) -> None:
    path = sample.connector_path("SQL")
    before = path.read_bytes()
    assert b"schema_version = 1" in before and b"[export]" not in before
    connector = load_connector(sample, "SQL")
    assert connector.export is None and connector.export_method == "Table"
    save_connector(sample, connector)
    assert path.read_bytes() == before


def test_export_and_import_by_sql_query_from_flags(sample: Home) -> None:
    done = invoke(sample, "configure", "export", "--connector", "SQL", "--no-input", *QUERY_FLAGS)
    assert done.exit_code == 0, done.stderr
    done = invoke(
        sample,
        "configure",
        "full-import",
        "--connector",
        "SQL",
        "--no-input",
        "--import-method",
        "SQL Query",
        "--import-query",
        PAGE,
        "--import-page-size",
        "2",
    )
    assert done.exit_code == 0, done.stderr
    connector = load_connector(sample, "SQL")
    assert connector.export == ExportStep(
        operation_method="SQL Query", insert_query=INSERT, update_query=UPDATE, delete_query=DELETE
    )
    assert connector.full_import is not None and connector.full_import.page_size == 2
    text = sample.connector_path("SQL").read_text()
    assert "schema_version = 2" in text  # an older ecmactl refuses it rather than misread it


def test_an_unknown_placeholder_is_refused_when_configured(sample: Home) -> None:
    before = sample.connector_path("SQL").read_bytes()
    flags = [f.replace("@Email", "@ShoeSize") for f in QUERY_FLAGS]
    done = invoke(sample, "configure", "export", "--connector", "SQL", "--no-input", *flags)
    assert done.exit_code == 2, done.stdout
    assert "@ShoeSize, which is not an attribute" in done.stderr
    assert sample.connector_path("SQL").read_bytes() == before  # nothing half-written


def test_a_query_that_does_not_prepare_is_refused_and_nothing_is_written(sample: Home) -> None:
    before = sample.connector_path("SQL").read_bytes()
    flags = [f.replace("DELETE FROM Employees", "DELETE FROM Nowhere") for f in QUERY_FLAGS]
    done = invoke(sample, "configure", "export", "--connector", "SQL", "--no-input", *flags)
    assert done.exit_code != 0
    assert "Delete Query does not prepare" in done.stderr and "Nowhere" in done.stderr
    assert sample.connector_path("SQL").read_bytes() == before


def test_sqlite_offers_no_stored_procedures(sample: Home) -> None:
    done = invoke(
        sample,
        "configure",
        "export",
        "--connector",
        "SQL",
        "--no-input",
        "--export-method",
        "Stored Procedure",
        "--add-sp-name",
        "add_employee",
    )
    assert done.exit_code == 2
    assert "SQLite has no stored procedures" in done.stderr


def test_a_hand_edit_naming_an_unknown_attribute_is_refused_at_load(sample: Home) -> None:
    connector = load_connector(sample, "SQL")
    broken = dataclasses.replace(
        connector,
        export=ExportStep(
            operation_method="SQL Query",
            insert_query=INSERT,
            update_query=UPDATE.replace("@Email", "@Emial"),
            delete_query=DELETE,
        ),
    )
    save_connector(sample, broken)
    with pytest.raises(ConfigError, match=r"export.update_query.*@Emial"):
        load_connector(sample, "SQL")
    done = invoke(sample, "host", "check") if False else None
    assert done is None


def test_answers_file_keys_are_the_page_fields(home: Home, tmp_path: Path) -> None:
    answers = tmp_path / "answers.toml"
    q = "'''"
    answers.write_text(
        "[export]\n"
        'operation_method = "SQL Query"\n'
        f"insert_query = {q}{INSERT}{q}\n"
        f"update_query = {q}{UPDATE}{q}\n"
        f"delete_query = {q}{DELETE}{q}\n"
        "[full_import]\n"
        'operation_method = "SQL Query"\n'
        f"query = {q}{PAGE}{q}\n"
        "page_size = 2\n"
    )
    done = invoke(
        home,
        "init",
        "--sample",
        "--no-input",
        "--secret-store",
        "file",
        "--answers-file",
        str(answers),
    )
    assert done.exit_code == 0, done.stderr
    connector = load_connector(home, "SQL")
    assert connector.export_method == "SQL Query" and connector.import_method == "SQL Query"


def test_delta_import_by_sql_query(sample: Home) -> None:
    delta = "SELECT * FROM Employees WHERE LastModified > @Watermark"
    for page, *flags in (
        ("global", "--delta-strategy", "Watermark", "--watermark-column", "LastModified"),
        ("run-profiles", "--delta-import"),
    ):
        done = invoke(sample, "configure", page, "--connector", "SQL", "--no-input", *flags)
        assert done.exit_code == 0, done.stderr
    done = invoke(
        sample,
        "configure",
        "delta-import",
        "--connector",
        "SQL",
        "--no-input",
        "--delta-method",
        "SQL Query",
        "--delta-query",
        delta,
    )
    assert done.exit_code == 0, done.stderr
    connector = load_connector(sample, "SQL")
    assert connector.delta_import is not None and connector.delta_import.query == delta
    bad = invoke(
        sample,
        "configure",
        "delta-import",
        "--connector",
        "SQL",
        "--no-input",
        "--delta-method",
        "SQL Query",
        "--delta-query",
        delta.replace("@Watermark", "@Since"),
    )
    assert bad.exit_code == 2 and "@Since, which is not an attribute" in bad.stderr
