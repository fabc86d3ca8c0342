"""MIM's Multi-Values Table and Join Condition onto child tables (``migrate.child_tables``):
schema-qualified names, and object types without multi-valued attributes."""

from __future__ import annotations

from ecmactl.config.models import Column
from ecmactl.migrate.child_tables import MultiValues, child_tables
from ecmactl.migrate.report import Report

TABLES = "Name of Multi-Values Table/Views"
PARENT = [Column("ID", "int", "Integer")]
MAIL = [Column("Mail", "varchar(100)", "String")]


def _multi(table: str, join: str) -> MultiValues:
    return MultiValues(tables={"": (TABLES, table)}, joins=[("Join Condition", join)])


def test_a_schema_qualified_multi_values_table_is_mapped() -> None:
    report = Report("export.xml", "mim")
    multi = _multi("dbo.EmployeeEmails", "dbo.EmployeeEmails.EmployeeID = dbo.Employees.ID")
    (child,) = child_tables(multi, "Person", "Employees", "ID", PARENT, MAIL, report, "w", "HR")
    assert (child.db_schema, child.table, child.join_column) == (
        "dbo",
        "EmployeeEmails",
        "EmployeeID",
    )
    assert [a.column for a in child.attributes] == ["Mail"]
    assert all(f.status == "mapped" for f in report.findings)


def test_an_object_type_without_multi_valued_attributes_gets_no_child_table() -> None:
    # The table parameter is global; a child table with no attributes is no valid connector.
    report = Report("export.xml", "mim")
    multi = _multi("EmployeeEmails", "EmployeeEmails.EmployeeID = Employees.ID")
    assert child_tables(multi, "Group", "Employees", "ID", PARENT, [], report, "w", "HR") == []
    assert {f.parameter: f.status for f in report.findings}[TABLES] == "not mapped"
