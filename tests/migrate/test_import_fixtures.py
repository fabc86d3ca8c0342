"""Each Generic SQL export fixture -> the connector files ecmactl writes, byte for byte, and the
report, through the real `ecmactl init --from` (the wizard's writer and load-time rules)."""

from __future__ import annotations

import json

import pytest
from migratekit import EXPECTED, FIXTURES, compare, import_args, invoke

from ecmactl.config.store import load_connector
from ecmactl.home import Home

GENERIC_SQL = sorted(
    p.name
    for p in FIXTURES.glob("*.xml")
    if p.name not in ("ecma2host_csv_powershell.xml", "mim_ldap.xml")
)


@pytest.mark.parametrize("fixture", GENERIC_SQL)
def test_fixture_becomes_the_expected_connectors(home: Home, fixture: str):
    result = invoke(home, *import_args(fixture, "--json"))

    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    names = [c["name"] for c in document["connectors"]]
    stem = fixture.removesuffix(".xml")
    assert names == sorted(names, key=names.index) and names
    for name in names:
        written = home.connector_path(name).read_bytes()
        compare(EXPECTED / stem / f"{name}.toml", written)
        load_connector(home, name)  # the load-time rules accept what the import wrote
    report = json.dumps(document["report"], indent=2, ensure_ascii=False) + "\n"
    compare(EXPECTED / stem / "report.json", report.encode())


def test_several_connectors_in_one_export(home: Home):
    result = invoke(home, *import_args("ecma2host_several_object_types.xml", "--json"))

    assert result.exit_code == 0, result.stderr
    assert sorted(home.connector_names()) == ["Contractors", "SQL"]
    assert load_connector(home, "Contractors").object_type.target_object == "Person"
    findings = json.loads(result.stdout)["report"]["findings"]
    group = [f for f in findings if f["parameter"] == "object type Group"]
    assert group and group[0]["status"] == "not mapped" and "users only" in group[0]["reason"]


def test_mim_object_types_each_become_a_connector(home: Home):
    result = invoke(home, *import_args("mim_several_object_types.xml"))

    assert result.exit_code == 0, result.stderr
    assert sorted(home.connector_names()) == ["Directory_Person", "Directory_User"]
    assert load_connector(home, "Directory_Person").schema.table == "Persons"


def test_port_from_the_export_goes_to_a_new_home(home: Home):
    result = invoke(home, *import_args("ecma2host_table_anchor_dn.xml"))

    assert result.exit_code == 0, result.stderr
    assert "port = 8586" in (home.root / "settings.toml").read_text()
    assert "https://ecma01.contoso.test:8586/ecma2host_SQL/scim" in result.stdout


def test_stored_procedures_are_mapped_and_multivalued_attributes_reported(home: Home):
    result = invoke(home, *import_args("ecma2host_stored_procedure.xml", "--json"))

    assert result.exit_code == 0, result.stderr
    findings = json.loads(result.stdout)["report"]["findings"]
    status = {(f["parameter"], f.get("target")): f["status"] for f in findings}
    for name, target in (
        ("Operation Method", "export.operation_method"),
        ("Add SP Name", "export.add_sp_name"),
        ("Update SP Name", "export.update_sp_name"),
        ("Delete SP Name", "export.delete_sp_name"),
        ("Operation Method", "full_import.operation_method"),
        ("Table/View/SP", "full_import.sp_name"),
        ("Start Index Parameter Name", "full_import.sp_parameters"),
    ):
        assert status[name, target] == "mapped", name
    not_mapped = {f["parameter"]: f for f in findings if f["status"] == "not mapped"}
    for name in ("User.Phones", "User:Name of Multi-Values Table/Views", "Delta Strategy"):
        assert name in not_mapped, name
    assert "Table method only" in not_mapped["User.Phones"]["reason"]
    connector = load_connector(home, "Payroll")
    assert "Phones" not in [c.name for c in connector.schema.columns]
    assert connector.export is not None and connector.full_import is not None
    assert connector.export.add_sp_name == "dbo.AddEmployee"
    assert connector.full_import.sp_parameters == (
        "StartIndex:INPUT:@StartIndex\nEndIndex:INPUT:@EndIndex"
    )


def test_text_report_lists_what_was_not_mapped_and_why(home: Home):
    result = invoke(home, *import_args("mim_sql_query.xml", "--dry-run"))

    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Would create connector Badges" in out
    # the export names an Insert query only: the Export step falls back to the table, saying why
    assert "Not mapped" in out and "export step" in out and "update_query is not set" in out
    assert "DSN File" in out and "--database-url" in out


def test_parameter_names_match_whatever_their_case_and_spacing(home: Home, tmp_path):
    text = (FIXTURES / "ecma2host_table_anchor_dn.xml").read_text()
    for old, new in (
        ("<Name>Delta Strategy</Name>", "<Name>DELTA_STRATEGY</Name>"),
        ("<Name>User Name</Name>", "<Name>username</Name>"),
        ("<Name>Select Anchor for: User</Name>", "<Name>select anchor for: user</Name>"),
        ("<Name>Connection Timeout</Name>", "<Name>Query Hint</Name>"),
    ):
        assert old in text
        text = text.replace(old, new)
    variant = tmp_path / "variant.xml"
    variant.write_text(text)

    result = invoke(home, *import_args(str(variant), "--json"))

    assert result.exit_code == 0, result.stderr
    connector = load_connector(home, "SQL")
    assert connector.global_.delta_strategy == "Watermark"
    assert connector.connectivity.user == "svc_ecma"
    assert connector.schema.anchor == "ContosoLogin"
    findings = json.loads(result.stdout)["report"]["findings"]
    unknown = [f for f in findings if f["status"] == "unknown"]
    assert [f["parameter"] for f in unknown] == ["Query Hint"]  # kept in the report


def test_an_odbc_connection_string_in_the_export_is_offered_and_its_password_kept_secret(
    home: Home, tmp_path
):
    text = (FIXTURES / "ecma2host_table_anchor_dn.xml").read_text()
    odbc = "Driver={ODBC Driver 18 for SQL Server};Server=db01;Database=HR;UID=svc;PWD=Secr3t!"
    text = text.replace("<Name>Connection Timeout</Name>", "<Name>Connection String</Name>")
    text = text.replace("<Value>30</Value>", f"<Value>{odbc}</Value>")
    variant = tmp_path / "odbc.xml"
    variant.write_text(text)
    args = import_args(str(variant), "--json")
    i = args.index("--database-url")
    del args[i : i + 2]

    result = invoke(home, *args)

    assert result.exit_code == 0, result.stderr
    assert "Secr3t!" not in result.stdout + result.stderr
    written = home.connector_path("SQL").read_text()
    assert "Secr3t!" not in written and "Server=db01" in written
    assert (home.root / "secrets" / "SQL.db-password").read_text().strip() == "Secr3t!"


def test_multi_values_table_and_join_condition_become_a_child_table(home: Home):
    result = invoke(home, *import_args("mim_multivalued.xml", "--json"))

    assert result.exit_code == 0, result.stderr
    connector = load_connector(home, "HR_SQL")
    [child] = connector.schema.child_tables
    assert (child.table, child.join_column, child.parent_column) == (
        "EmployeeContacts",
        "EmployeeLogin",
        None,  # the anchor
    )
    # Email (single-valued) fills emails already, so EmailAddress stays an extension attribute
    assert [(a.column, a.scim) for a in child.attributes] == [
        ("EmailAddress", None),
        ("PhoneNumber", "phoneNumbers"),
    ]
    assert "EmailAddress" not in [c.name for c in connector.schema.columns]
    findings = json.loads(result.stdout)["report"]["findings"]
    joins = {f["value"]: f for f in findings if f["parameter"] == "Join Condition"}
    assert joins["Employees.ContosoLogin=EmployeeContacts.EmployeeLogin"]["status"] == "mapped"
    history = joins["Employees.ContosoLogin=EmployeesHistory.ContosoLogin"]
    assert history["status"] == "not mapped" and "trigger" in history["reason"]


def test_several_multi_values_tables_are_reported_for_configure_multivalue(home: Home, tmp_path):
    text = (FIXTURES / "ecma2host_multivalued.xml").read_text()
    text = text.replace("<Value>EmployeeRoles</Value>", "<Value>EmployeeRoles, Badges</Value>")
    variant = tmp_path / "two.xml"
    variant.write_text(text)

    result = invoke(home, *import_args(str(variant), "--json"))

    assert result.exit_code == 0, result.stderr
    assert load_connector(home, "SQL").schema.child_tables == []
    findings = json.loads(result.stdout)["report"]["findings"]
    tables = [f for f in findings if f["parameter"] == "User:Name of Multi-Values Table/Views"]
    assert [(f["value"], f["status"]) for f in tables] == [
        ("EmployeeRoles", "not mapped"),
        ("Badges", "not mapped"),
    ]
    assert "configure multivalue --connector SQL --child-table EmployeeRoles" in tables[0]["reason"]
    assert "no Join Condition names it" in tables[1]["reason"]
    roles = next(f for f in findings if f["parameter"] == "User.Roles")
    assert roles["status"] == "not mapped"
