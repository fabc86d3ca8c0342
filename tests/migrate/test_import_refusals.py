"""What `init --from` refuses, and how: foreign connector libraries, files that are not exports,
hostile XML (DTDs, entities), missing input without a terminal, flags the export answers.
Every refusal exits 2 with the file (and line) named, no traceback, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from migratekit import FIXTURES, import_args, invoke, snapshot

from ecmactl.home import Home


def _refused(home: Home, *args: str) -> str:
    result = invoke(home, *args)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(home.root) == {}, "a refused import wrote something"
    return result.stderr


def test_microsofts_csv_sample_is_refused_naming_its_library(home: Home):
    err = _refused(home, *import_args("ecma2host_csv_powershell.xml"))

    assert "Microsoft.IAM.Connector.PowerShell" in err
    assert "ecma2host_csv_powershell.xml" in err and "'CSV'" in err
    assert "Generic SQL" in err


def test_a_mim_ldap_agent_is_refused_naming_its_library(home: Home):
    err = _refused(home, *import_args("mim_ldap.xml"))

    assert "Microsoft.IAM.Connector.GenericLdap.dll" in err and "'OpenLDAP'" in err


def test_one_foreign_connector_refuses_the_whole_file(home: Home, tmp_path: Path):
    sql = (FIXTURES / "ecma2host_table_anchor_dn.xml").read_text()
    csv = (FIXTURES / "ecma2host_csv_powershell.xml").read_text()
    foreign = csv[csv.index("    <Connector>") : csv.index("  </Connectors>")]
    both = tmp_path / "both.xml"
    both.write_text(sql.replace("  </Connectors>", foreign + "  </Connectors>"))

    err = _refused(home, *import_args(str(both)))

    assert "Microsoft.IAM.Connector.PowerShell" in err


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "export.xml"
    path.write_text(text)
    return str(path)


def test_malformed_xml_names_the_file_and_line(home: Home, tmp_path: Path):
    path = _write(tmp_path, "<Configuration>\n  <Connectors>\n    <Connector>\n  </Connectors>\n")

    err = _refused(home, *import_args(path))

    assert f"{path}, line 4: not well-formed XML" in err


def test_a_wrong_root_element_names_it_and_its_line(home: Home, tmp_path: Path):
    path = _write(
        tmp_path, '<?xml version="1.0"?>\n<!-- x -->\n<ma-data><name>x</name></ma-data>\n'
    )

    err = _refused(home, *import_args(path))

    assert f"{path}, line 3: the root element is <ma-data>" in err
    assert "<Configuration>" in err and "<export-ma>" in err


def test_a_missing_file_is_named(home: Home, tmp_path: Path):
    err = _refused(home, *import_args(str(tmp_path / "nope.xml")))

    assert "nope.xml does not exist" in err


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Configuration [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Configuration><Connectors><Connector><ECMAConfig><ProfileName>&lol4;</ProfileName>
</ECMAConfig></Connector></Connectors></Configuration>
"""


def test_entity_expansion_is_refused(home: Home, tmp_path: Path):
    path = _write(tmp_path, BILLION_LAUGHS)

    err = _refused(home, *import_args(path))

    assert f"{path}, line 2" in err and "document type declaration" in err
    assert "lollol" not in err


def test_external_entities_are_never_read(home: Home, tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    path = _write(
        tmp_path,
        f'<?xml version="1.0"?>\n<!DOCTYPE c [ <!ENTITY x SYSTEM "file://{secret}"> ]>\n'
        "<Configuration><Connectors><Connector><ECMAConfig><ProfileName>&x;</ProfileName>"
        "</ECMAConfig></Connector></Connectors></Configuration>\n",
    )

    err = _refused(home, *import_args(path))

    assert "document type declaration" in err and "TOP-SECRET-VALUE" not in err


def test_without_a_terminal_the_missing_database_is_named_by_its_flag(home: Home):
    args = [a for a in import_args("ecma2host_table_anchor_dn.xml") if a]
    i = args.index("--database-url")
    del args[i : i + 2]

    err = _refused(home, *args)

    assert "--database-url URL" in err


@pytest.mark.parametrize(
    ("flag", "value"), [("--table", "Other"), ("--name", "X"), ("--anchor", "Email")]
)
def test_flags_the_export_answers_are_refused(home: Home, flag: str, value: str):
    err = _refused(home, *import_args("ecma2host_table_anchor_dn.xml", flag, value))

    assert f"{flag} cannot be combined with --from" in err


@pytest.mark.parametrize("flag", ["--sample", "--exist-ok"])
def test_other_modes_are_refused(home: Home, flag: str):
    err = _refused(home, *import_args("ecma2host_table_anchor_dn.xml", flag))

    assert f"{flag} cannot be combined with --from" in err


def test_an_existing_connector_is_kept_unless_forced(home: Home):
    assert invoke(home, *import_args("ecma2host_table_anchor_dn.xml")).exit_code == 0
    before = snapshot(home.root)

    result = invoke(home, *import_args("ecma2host_table_anchor_dn.xml"))

    assert result.exit_code == 2 and "--force" in result.stderr
    assert snapshot(home.root) == before
    forced = invoke(home, *import_args("ecma2host_table_anchor_dn.xml", "--force"))
    assert forced.exit_code == 0, forced.stderr
