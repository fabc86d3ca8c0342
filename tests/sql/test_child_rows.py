"""SqlRowStore with child tables (multi-valued attributes) on SQLite, PostgreSQL and MariaDB:
full and delta import with children, writes of parent and children in one transaction, and a
failed child insert that leaves no half-committed row."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from db_fixtures import create_employees_table, employees_connector
from multi_valued_fixtures import count, execute, with_child_tables

from ecmactl.config.models import ChildTable, MultiValuedAttribute
from ecmactl.rowstore import ConstraintViolation, RowStore
from ecmactl.rowstore_contract import MultiValuedContract
from ecmactl.sql.rows import SqlRowStore

OpenStore = Callable[..., SqlRowStore]
WORK = {"value": "adele@contoso.com", "type": "work", "primary": True}
HOME = {"value": "adele@home.example", "type": "home", "primary": False}
NEW_USER: dict[str, Any] = {"ContosoLogin": "adele", "FirstName": "Adele", "LastName": "Vance"}
# The row keys: a multi-valued attribute's name, by default its value column.


@pytest.fixture
def store(any_db_url: str, open_row_store: OpenStore) -> SqlRowStore:
    create_employees_table(any_db_url)
    return open_row_store(with_child_tables(employees_connector(any_db_url), any_db_url))


def _user(**lists: Any) -> dict[str, Any]:
    return NEW_USER | lists


def _children(url: str, login: str) -> int:
    return count(
        url, 'SELECT COUNT(*) FROM "EmployeeEmails" WHERE "EmployeeLogin" = :k', k=login
    ) + count(url, 'SELECT COUNT(*) FROM "EmployeeRoles" WHERE "EmployeeLogin" = :k', k=login)


class TestSqlRowStoreMultiValued(MultiValuedContract):
    @pytest.fixture
    def multi_valued_store(self, store: SqlRowStore) -> RowStore:
        return store


def test_sets_are_rows_of_the_child_tables(store: SqlRowStore, any_db_url: str) -> None:
    store.insert(_user(Address=[HOME, WORK], roleCodes=[{"value": "b"}, {"value": "a"}]))
    assert _children(any_db_url, "adele") == 4
    store.update("adele", {"Address": [HOME]})
    assert _children(any_db_url, "adele") == 3
    row = store.update("adele", {"Address": [], "roleCodes": []})
    assert row is not None and row["Address"] == [] and row["roleCodes"] == []
    assert _children(any_db_url, "adele") == 0


def test_delete_removes_the_children_first(store: SqlRowStore, any_db_url: str) -> None:
    store.insert(_user(Address=[WORK, HOME], roleCodes=[{"value": "a"}]))
    assert store.delete("adele") is True
    assert store.read_row("adele") is None
    assert _children(any_db_url, "adele") == 0  # no orphan (and no foreign-key error)


def test_a_failed_child_insert_rolls_back_the_parent(store: SqlRowStore, any_db_url: str) -> None:
    bad = {"value": "not-an-address", "type": "work"}
    with pytest.raises(ConstraintViolation):
        store.insert(_user(Address=[WORK, bad]))
    assert store.read_row("adele") is None
    assert (
        count(any_db_url, 'SELECT COUNT(*) FROM "Employees" WHERE "ContosoLogin" = \'adele\'') == 0
    )
    assert _children(any_db_url, "adele") == 0
    store.insert(_user(Address=[WORK]))
    with pytest.raises(ConstraintViolation):
        store.update("adele", {"FirstName": "Ada", "Address": [bad]})
    row = store.read_row("adele")
    assert row is not None and row["FirstName"] == "Adele" and row["Address"] == [WORK]


def test_full_import_gives_every_row_its_children_across_batches(
    store: SqlRowStore, any_db_url: str
) -> None:
    for login in ("avance", "mbowen", "pgupta"):
        execute(
            any_db_url,
            'INSERT INTO "EmployeeEmails" ("EmployeeLogin", "Address", "Kind", "IsPrimary") '
            "VALUES (:k, :a, 'work', TRUE)",
            k=login,
            a=f"{login}@contoso.com",
        )
        execute(
            any_db_url,
            'INSERT INTO "EmployeeRoles" ("EmployeeLogin", "Role") VALUES (:k, :r)',
            k=login,
            r=f"role-{login}",
        )
    rows = [r for batch in store.iter_rows(batch_size=2) for r in batch]
    assert len(rows) == 5
    by_login = {r["ContosoLogin"]: r for r in rows}
    for login in ("avance", "mbowen", "pgupta"):
        assert by_login[login]["Address"] == [
            {"value": f"{login}@contoso.com", "type": "work", "primary": True}
        ]
        assert by_login[login]["roleCodes"] == [{"value": f"role-{login}"}]
        assert by_login[login] == store.read_row(login)
    assert by_login["ljacobson"]["Address"] == [] and by_login["nwilke"]["roleCodes"] == []
    found = store.read_rows_by("ContosoLogin", "mbowen", case_exact=True)
    assert [r["roleCodes"] for r in found] == [[{"value": "role-mbowen"}]]


def test_delta_import_carries_children_of_changed_parents_only(
    store: SqlRowStore, any_db_url: str
) -> None:
    _, mark = store.changed_since(None)
    store.insert(_user(Address=[WORK]))
    changed, mark = store.changed_since(mark)
    assert [(r["ContosoLogin"], r["Address"]) for r in changed] == [("adele", [WORK])]
    # A child row changed behind the host's back, its parent untouched: the parent's watermark
    # did not move, so the delta does not see it; the next full import does.
    execute(
        any_db_url,
        'INSERT INTO "EmployeeRoles" ("EmployeeLogin", "Role") VALUES (:k, :r)',
        k="adele",
        r="auditor",
    )
    changed, _ = store.changed_since(mark)
    assert changed == []
    full = {r["ContosoLogin"]: r for b in store.iter_rows() for r in b}
    assert full["adele"]["roleCodes"] == [{"value": "auditor"}]


def _tags_store(url: str, open_row_store: OpenStore) -> SqlRowStore:
    """Employees with a child table Tags joined to textID (not the anchor)."""
    create_employees_table(url)
    execute(url, 'CREATE TABLE "Tags" ("OwnerText" VARCHAR(128) NULL, "Tag" VARCHAR(50))')
    tags = ChildTable(
        table="Tags",
        join_column="OwnerText",
        parent_column="textID",
        attributes=[MultiValuedAttribute(column="Tag", name="tags")],
    )
    connector = employees_connector(url)
    schema = dataclasses.replace(connector.schema, child_tables=[tags])
    return open_row_store(dataclasses.replace(connector, schema=schema))


def test_changing_the_joined_parent_column_keeps_the_children(
    any_db_url: str, open_row_store: OpenStore
) -> None:
    # Child rows joined to textID (not the anchor): a new textID must take them along.
    store = _tags_store(any_db_url, open_row_store)
    store.insert(_user(textID="t-1", tags=[{"value": "a"}, {"value": "b"}]))
    row = store.update("adele", {"textID": "t-2"})
    assert row is not None and row["tags"] == [{"value": "a"}, {"value": "b"}]
    assert count(any_db_url, 'SELECT COUNT(*) FROM "Tags" WHERE "OwnerText" = \'t-1\'') == 0


def test_a_set_for_a_row_without_a_joined_value_is_refused(
    any_db_url: str, open_row_store: OpenStore
) -> None:
    # No textID: the child rows would join nothing (and be read back as no values at all).
    store = _tags_store(any_db_url, open_row_store)
    with pytest.raises(ConstraintViolation, match="textID"):
        store.insert(_user(tags=[{"value": "a"}]))
    assert store.read_row("adele") is None
    assert count(any_db_url, 'SELECT COUNT(*) FROM "Tags"') == 0
