"""The run-step pages of an export become ecmactl's run steps under the wizard's rules: a
placeholder naming no imported attribute sends the step back to the table with a report line,
an OUTPUT parameter is left out, the export's page-bound names are ecmactl's, and an imported
Stored Procedure connector on PostgreSQL is served by `ecmactl host run`."""

from __future__ import annotations

import json
import ssl
from pathlib import Path

import httpx
import pytest
from db_fixtures import create_employees_table
from migratekit import FIXTURES, host_helpers, import_args, invoke
from run_step_fixtures import ATTRIBUTE_PARAMS, create_procedures
from sqlalchemy import text

from ecmactl.config.store import load_connector
from ecmactl.home import Home
from ecmactl.sql.connect import make_engine

hostproc = host_helpers()


def _variant(tmp_path: Path, fixture: str, *replacements: tuple[str, str]) -> str:
    source = (FIXTURES / fixture).read_text()
    for old, new in replacements:
        assert old in source, old
        source = source.replace(old, new)
    path = tmp_path / fixture
    path.write_text(source)
    return str(path)


def _param(name: str, value: str) -> str:
    return f"<Parameter><Name>{name}</Name><Value>{value}</Value></Parameter>"


def _findings(result_stdout: str) -> list[dict[str, str]]:
    findings: list[dict[str, str]] = json.loads(result_stdout)["report"]["findings"]
    return findings


def test_a_placeholder_naming_no_attribute_sends_the_step_back_to_the_table(
    home: Home, tmp_path: Path
):
    # Phones is multi-valued, so it is not imported: the Insert query cannot name it
    export = _variant(
        tmp_path,
        "ecma2host_sql_query.xml",
        ("VALUES (@ContosoLogin, @FirstName)", "VALUES (@ContosoLogin, @phones)"),
    )

    result = invoke(home, *import_args(export, "--json"))

    assert result.exit_code == 0, result.stderr
    step = [f for f in _findings(result.stdout) if f["parameter"] == "export step"]
    assert len(step) == 1 and step[0]["status"] == "not mapped"
    assert "@phones, which is not an attribute" in step[0]["reason"]
    assert "on the Export page: configure export" in step[0]["reason"]
    connector = load_connector(home, "Badges")
    assert connector.export is None  # the table, as the report says
    assert connector.full_import is not None  # the other step is kept


def test_output_parameters_are_left_out_and_page_bounds_take_ecmactls_names(
    home: Home, tmp_path: Path
):
    export = _variant(
        tmp_path,
        "ecma2host_stored_procedure.xml",
        (
            _param("Stored Procedure Parameters", "EmployeeName:INPUT:@FirstName"),
            _param(
                "Stored Procedure Parameters",
                "EmployeeName:INPUT:@firstname;NewId:OUTPUT:@ContosoLogin",
            ),
        ),
        (
            _param("Start Index Parameter Name", "@StartIndex"),
            _param("Start Index Parameter Name", "@First") + _param("PageSizeFullImport", "50"),
        ),
        (_param("Stored Procedure Parameters", "StartIndex:INPUT:@StartIndex"), ""),
    )

    result = invoke(home, *import_args(export, "--json"))

    assert result.exit_code == 0, result.stderr
    output = [f for f in _findings(result.stdout) if f["parameter"] == "parameter NewId"]
    assert output and output[0]["status"] == "not mapped" and "OUTPUT" in output[0]["reason"]
    connector = load_connector(home, "Payroll")
    assert connector.export is not None and connector.full_import is not None
    assert connector.export.add_sp_parameters == "EmployeeName:INPUT:@firstname"
    assert (
        connector.full_import.sp_parameters == "First:INPUT:@StartIndex\nEndIndex:INPUT:@EndIndex"
    )
    assert connector.full_import.page_size == 50


def test_dry_run_of_a_procedure_export_writes_nothing(home: Home):
    result = invoke(home, *import_args("ecma2host_stored_procedure.xml", "--dry-run"))

    assert result.exit_code == 0, result.stderr
    assert "Would create connector Payroll" in result.stdout
    assert not home.root.exists()


_EVERY = ";".join(f"p_{name}:INPUT:@{attribute}" for name, attribute in ATTRIBUTE_PARAMS)
_ATTRIBUTE = """<AttributeSchema><Name>{name}</Name><IsAnchor>false</IsAnchor><IsDN>false</IsDN>
<Multivalued>false</Multivalued><DataType>{data_type}</DataType></AttributeSchema>"""


@pytest.mark.postgres
def test_an_imported_stored_procedure_connector_is_served_on_postgres(
    tmp_path: Path, postgres_url: str
):
    create_employees_table(postgres_url)
    create_procedures(postgres_url)
    export = _variant(
        tmp_path,
        "ecma2host_stored_procedure.xml",
        ("<Value>svc_ecma</Value>", "<Value>postgres</Value>"),  # the test server's role
        ("dbo.AddEmployee", "add_employee"),
        ("dbo.UpdateEmployee", "update_employee"),
        (
            _param("Delete SP Name", "dbo.DeleteEmployee"),
            _param("Delete SP Name", "delete_employee")
            + _param("Delete SP Parameters", "p_login:INPUT:@Anchor"),
        ),
        (
            _param("Stored Procedure Parameters", "EmployeeName:INPUT:@FirstName"),
            _param("Stored Procedure Parameters", _EVERY),
        ),
        ("dbo.ImportEmployees", "get_employees"),
        (
            _param("Start Index Parameter Name", "@StartIndex"),
            _param("Start Index Parameter Name", "@p_start"),
        ),
        (
            _param("End Index Parameter Name", "@EndIndex"),
            _param("End Index Parameter Name", "@p_end"),
        ),
        (_param("Stored Procedure Parameters", "StartIndex:INPUT:@StartIndex"), ""),
        (
            "<SchemaAttributes>",
            "<SchemaAttributes>"
            + _ATTRIBUTE.format(name="InternalGUID", data_type="String")
            + _ATTRIBUTE.format(name="AccountDisabled", data_type="Boolean"),
        ),
    )
    home, port = tmp_path / "home", hostproc.free_port()
    done = hostproc.ecmactl(
        home,
        "init",
        "--from",
        export,
        "--no-input",
        "--hostname",
        "localhost",
        "--secret-store",
        "file",
        "--database-url",
        postgres_url,
        "--port",
        str(port),
    )
    assert done.returncode == 0, done.stderr
    assert load_connector(Home(home), "Payroll").export_method == "Stored Procedure"

    with hostproc.HostProcess(home, port) as host:
        host.wait_ready()
        trust = ssl.create_default_context(cafile=home / "certs" / "server.crt")
        response = httpx.post(
            f"https://localhost:{port}/ecma2host_Payroll/scim/Users",
            headers={"Authorization": f"Bearer {hostproc.read_token(home, 'Payroll')}"},
            json={
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": "adele.import",
                "name": {"givenName": "Adele", "familyName": "Vance"},
            },
            verify=trust,
            timeout=10,
        )
    assert response.status_code == 201, response.text
    engine = make_engine(postgres_url)
    try:
        with engine.connect() as conn:
            first = conn.execute(
                text('SELECT "FirstName" FROM "Employees" WHERE "ContosoLogin" = :login'),
                {"login": "adele.import"},
            ).scalar_one()
    finally:
        engine.dispose()
    assert first == "Adele"  # written by the add_employee procedure


def test_procedures_on_a_database_without_them_fall_back_with_a_report_line(
    home: Home, tmp_path: Path
):
    args = import_args("ecma2host_stored_procedure.xml", "--json")
    args[args.index("--database-url") + 1] = f"sqlite:///{tmp_path / 'hr.db'}"

    result = invoke(home, *args)

    assert result.exit_code == 0, result.stderr
    lines = {f["parameter"]: f["reason"] for f in _findings(result.stdout)}
    assert "SQLite has no stored procedures" in lines["export step"]
    assert "SQLite has no stored procedures" in lines["full-import step"]
    assert not load_connector(home, "Payroll").uses_run_steps


def test_mims_import_default_page_size_is_the_full_import_page_size_unless_the_step_says(
    home: Home, tmp_path: Path
):
    """MIM keeps the agent's import page size in extension-config; a Full Import step's own
    Page Size parameter wins over it, and the report says which was used."""
    step_page = (
        '<parameter name="End Index Parameter Name" type="string" use="run-step" '
        'encrypted="">@EndIndex</parameter>'
    )
    export = _variant(
        tmp_path,
        "mim_stored_procedure.xml",
        (
            step_page,
            step_page + '<parameter name="Page Size" type="string" use="run-step">100</parameter>',
        ),
    )

    result = invoke(home, *import_args(export, "--json"))

    assert result.exit_code == 0, result.stderr
    full_import = load_connector(home, "Payroll").full_import
    assert full_import is not None and full_import.page_size == 100
    (default,) = [
        f for f in _findings(result.stdout) if f["parameter"] == "import-default-page-size"
    ]
    assert default["status"] == "not mapped" and default["value"] == "250"
    assert default["reason"] == "the step's Page Size is used instead"
