"""The embedded sample database: built from the template, seeded, WAL, atomic, no clobbering."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from db_fixtures import EMPLOYEE_COLUMNS, EMPLOYEE_ROWS

import ecmactl
from ecmactl.errors import EcmactlError, UsageError
from ecmactl.sql import connect, sample
from ecmactl.sql.connect import make_engine
from ecmactl.sql.sample import SAMPLE_TEMPLATE, create_sample_database, templates_dir
from ecmactl.sql.schema import anchor_candidates, detect_columns
from ecmactl.sql.urls import sqlite_url

REPO_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _rows(path: Path, query: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(query, params).fetchall()
    conn.close()
    return rows


def test_the_template_is_found_in_a_checkout_and_in_a_wheel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert templates_dir() == REPO_TEMPLATES
    # A wheel maps templates/ to ecmactl/templates/.
    package = tmp_path / "site-packages" / "ecmactl"
    (package / "templates" / "sample").mkdir(parents=True)
    shutil.copy(REPO_TEMPLATES / SAMPLE_TEMPLATE, package / "templates" / SAMPLE_TEMPLATE)
    monkeypatch.setattr(ecmactl, "__file__", str(package / "__init__.py"))
    assert templates_dir() == package / "templates"
    (package / "templates" / SAMPLE_TEMPLATE).unlink()
    with pytest.raises(EcmactlError, match="template is missing"):
        templates_dir()


def test_the_sample_is_created_seeded_and_in_wal_mode(tmp_path: Path) -> None:
    target = tmp_path / "data" / "sample.db"  # the folder is created
    assert create_sample_database(target) == target
    assert sorted(p.name for p in target.parent.iterdir()) == ["sample.db"]
    assert _rows(target, "PRAGMA journal_mode") == [("wal",)]
    columns = ", ".join(EMPLOYEE_COLUMNS)
    rows = _rows(target, f"SELECT {columns} FROM Employees ORDER BY rowid")
    expected = [
        tuple(int(v) if isinstance(v, bool) else v for v in r.values()) for r in EMPLOYEE_ROWS
    ]
    assert rows == expected


def test_sample_defaults_mirror_the_tutorial(tmp_path: Path) -> None:
    target = create_sample_database(tmp_path / "sample.db")
    with sqlite3.connect(target) as conn:
        conn.execute(
            "INSERT INTO Employees (ContosoLogin, FirstName, LastName) VALUES (?, ?, ?)",
            ("jdoe", "Jane", "Doe"),
        )
        guid, disabled, modified = conn.execute(
            "SELECT InternalGUID, AccountDisabled, LastModified FROM Employees "
            "WHERE ContosoLogin = ?",
            ("jdoe",),
        ).fetchone()
        with pytest.raises(sqlite3.IntegrityError):  # the anchor is unique
            conn.execute(
                "INSERT INTO Employees (ContosoLogin, FirstName, LastName) VALUES (?, ?, ?)",
                ("jdoe", "J", "D"),
            )
    conn.close()
    assert len(guid) == 36 and guid[14] == "4"  # a version 4 UUID, like newid()
    assert disabled == 0
    assert len(modified) == len("2024-01-01 12:00:00.000")


def test_last_modified_follows_every_update(tmp_path: Path) -> None:
    target = create_sample_database(tmp_path / "sample.db")
    with sqlite3.connect(target) as conn:
        old = "2000-01-01 00:00:00.000"
        conn.execute(
            "UPDATE Employees SET LastModified = ? WHERE ContosoLogin = ?", (old, "avance")
        )
        assert conn.execute(
            "SELECT LastModified FROM Employees WHERE ContosoLogin = ?", ("avance",)
        ).fetchone() == (old,)  # an explicit value is kept
        conn.execute("UPDATE Employees SET AccountDisabled = 1 WHERE ContosoLogin = ?", ("avance",))
        (modified,) = conn.execute(
            "SELECT LastModified FROM Employees WHERE ContosoLogin = ?", ("avance",)
        ).fetchone()
    conn.close()
    assert modified > old


def test_an_existing_file_is_not_replaced_without_force(tmp_path: Path) -> None:
    target = tmp_path / "sample.db"
    target.write_bytes(b"precious")
    with pytest.raises(UsageError, match="already exists") as info:
        create_sample_database(target)
    assert "--force" in (info.value.hint or "")
    assert target.read_bytes() == b"precious"


def test_overwrite_replaces_the_file_and_drops_a_stale_wal(tmp_path: Path) -> None:
    target = tmp_path / "sample.db"
    target.write_bytes(b"old")
    stale = tmp_path / "sample.db-wal"
    stale.write_bytes(b"frames of another database")
    create_sample_database(target, overwrite=True)
    assert not stale.exists()
    assert _rows(target, "SELECT count(*) FROM Employees") == [(5,)]


def test_a_failed_build_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "sample.db"
    target.write_bytes(b"previous")
    monkeypatch.setattr(sample, "sample_schema_sql", lambda: "CREATE TABLE broken (;")
    with pytest.raises(sqlite3.Error):
        create_sample_database(target, overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sample.db"]
    assert target.read_bytes() == b"previous"


def test_an_unwritable_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(EcmactlError, match="Cannot write the sample database"):
        create_sample_database(blocker / "sample.db")


def test_the_sample_passes_the_connection_test_and_offers_its_anchor(tmp_path: Path) -> None:
    url = sqlite_url(create_sample_database(tmp_path / "sample.db"))
    assert connect.test_connection(url).dialect == "sqlite"
    engine = make_engine(url)
    try:
        columns = detect_columns(engine, "Employees")
    finally:
        engine.dispose()
    assert [c.name for c in anchor_candidates(columns)] == [sample.SAMPLE_ANCHOR]
    by_name = {c.name: c for c in columns}
    assert by_name[sample.SAMPLE_DISABLE_COLUMN].data_type == "Boolean"
    assert by_name[sample.SAMPLE_WATERMARK_COLUMN].data_type == "DateTime"
