"""The run-step check at configure time: a procedure exists with the parameters its lines name
(PostgreSQL, MariaDB), a query prepares (EXPLAIN, rolled back: nothing is written)."""

from __future__ import annotations

import pytest
from db_fixtures import create_employees_table
from run_step_fixtures import create_procedures
from sqlalchemy import text

from ecmactl.errors import ConfigError
from ecmactl.sql.connect import make_engine
from ecmactl.sql.routines import check_query, check_routine

ADD = (
    "p_login:INPUT:@ContosoLogin\np_first:INPUT:@FirstName\np_last:INPUT:@LastName\n"
    "p_email:INPUT:@Email\np_guid:INPUT:@InternalGUID\np_azure:INPUT:@AzureID\n"
    "p_textid:INPUT:@textID\np_disabled:INPUT:@AccountDisabled"
)
KNOWN = ["ContosoLogin", "FirstName", "LastName", "Email", "Anchor"]


@pytest.fixture(
    params=[
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ]
)
def procedures_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(f"{request.param}_url")
    create_employees_table(url)
    create_procedures(url)
    return url


def test_a_procedure_with_matching_parameters_passes(procedures_url: str) -> None:
    engine = make_engine(procedures_url)
    try:
        note = check_routine(engine, "Add SP", "add_employee", ADD)
        assert "add_employee(p_login" in note
        assert "found" in check_routine(
            engine, "Delete SP", "delete_employee", "p_login:INPUT:@Anchor"
        )
    finally:
        engine.dispose()


def test_a_missing_procedure_or_a_wrong_parameter_is_named(procedures_url: str) -> None:
    engine = make_engine(procedures_url)
    try:
        with pytest.raises(ConfigError, match="no procedure or function add_employe"):
            check_routine(engine, "Add SP", "add_employe", ADD)
        with pytest.raises(ConfigError, match=r"has no parameter p_mail \(it takes p_login"):
            check_routine(engine, "Add SP", "add_employee", ADD.replace("p_email", "p_mail"))
        with pytest.raises(ConfigError, match="takes 8 parameters"):
            check_routine(engine, "Add SP", "add_employee", ADD.rsplit("\n", 1)[0])
    finally:
        engine.dispose()


def test_a_query_is_prepared_never_run(any_db_url: str) -> None:
    create_employees_table(any_db_url)
    engine = make_engine(any_db_url)
    q = "`" if engine.dialect.name == "mysql" else '"'
    try:
        delete = f"DELETE FROM {q}Employees{q} WHERE {q}ContosoLogin{q} = @Anchor"
        assert check_query(engine, "Delete Query", delete, KNOWN) == "Delete Query: prepares"
        with engine.connect() as conn:
            assert conn.execute(text(f"SELECT COUNT(*) FROM {q}Employees{q}")).scalar() == 5
        with pytest.raises(ConfigError, match="Delete Query does not prepare"):
            check_query(engine, "Delete Query", delete.replace("Employees", "Nowhere"), KNOWN)
    finally:
        engine.dispose()
