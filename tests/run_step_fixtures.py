"""The sample Employees table behind procedures (PostgreSQL, MariaDB) or SQL queries (all
three dialects), and the run-step configs that use them: for the run-step store and host tests.

The procedures write the table as a DBA would grant them: SECURITY DEFINER on PostgreSQL, so an
account with EXECUTE on them and no table rights can provision. ``RefusedName`` is on a deny
list each Add and Update procedure enforces with the dialect's own error (RAISE EXCEPTION,
SIGNAL), so a test sees a procedure's message reach the client.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import text

from ecmactl.config.models import Connector, DeltaImportStep, ExportStep, ImportStep
from ecmactl.sql.connect import make_engine

REFUSED = "RefusedName"
PG_REFUSAL = "FirstName RefusedName is on the deny list"
MARIADB_REFUSAL = "FirstName is on the deny list"
ATTRIBUTE_PARAMS = [
    ("login", "ContosoLogin"),
    ("first", "FirstName"),
    ("last", "LastName"),
    ("email", "Email"),
    ("guid", "InternalGUID"),
    ("azure", "AzureID"),
    ("textid", "textID"),
    ("disabled", "AccountDisabled"),
]
_COLS = ",".join(f'"{a}"' for _, a in ATTRIBUTE_PARAMS)

_POSTGRES = (
    f"""
    CREATE PROCEDURE add_employee(p_login text, p_first text, p_last text, p_email text,
        p_guid text, p_azure text, p_textid text, p_disabled boolean)
    LANGUAGE plpgsql SECURITY DEFINER AS $$
    BEGIN
        IF p_first = '{REFUSED}' THEN
            RAISE EXCEPTION 'FirstName % is on the deny list', p_first;
        END IF;
        INSERT INTO "Employees" ({_COLS})
        VALUES (p_login, p_first, p_last, p_email, COALESCE(p_guid::uuid, gen_random_uuid()),
                p_azure::uuid, p_textid, COALESCE(p_disabled, false));
    END $$
    """,
    f"""
    CREATE PROCEDURE update_employee(p_login text, p_first text, p_last text, p_email text,
        p_guid text, p_azure text, p_textid text, p_disabled boolean)
    LANGUAGE plpgsql SECURITY DEFINER AS $$
    BEGIN
        IF p_first = '{REFUSED}' THEN
            RAISE EXCEPTION 'FirstName % is on the deny list', p_first;
        END IF;
        UPDATE "Employees" SET "FirstName" = p_first, "LastName" = p_last, "Email" = p_email,
            "InternalGUID" = p_guid::uuid, "AzureID" = p_azure::uuid, "textID" = p_textid,
            "AccountDisabled" = p_disabled
        WHERE "ContosoLogin" = p_login;
    END $$
    """,
    """
    CREATE FUNCTION delete_employee(p_login text) RETURNS void
    LANGUAGE sql SECURITY DEFINER AS $$ DELETE FROM "Employees" WHERE "ContosoLogin" = p_login $$
    """,
    """
    CREATE FUNCTION get_changed(p_since timestamp) RETURNS SETOF "Employees"
    LANGUAGE sql STABLE SECURITY DEFINER AS $$
        SELECT * FROM "Employees" WHERE "LastModified" > p_since ORDER BY "LastModified"
    $$
    """,
    """
    CREATE FUNCTION get_employees(p_start integer, p_end integer) RETURNS SETOF "Employees"
    LANGUAGE sql STABLE SECURITY DEFINER AS $$
        SELECT * FROM "Employees" ORDER BY "ContosoLogin"
        OFFSET p_start - 1 LIMIT p_end - p_start + 1
    $$
    """,
)
_MARIADB = (
    f"""
    CREATE PROCEDURE add_employee(IN p_login VARCHAR(128), IN p_first VARCHAR(50),
        IN p_last VARCHAR(50), IN p_email VARCHAR(128), IN p_guid CHAR(36), IN p_azure CHAR(36),
        IN p_textid VARCHAR(128), IN p_disabled BOOLEAN)
    BEGIN
        IF p_first = '{REFUSED}' THEN
            SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '{MARIADB_REFUSAL}';
        END IF;
        INSERT INTO Employees ({_COLS.replace('"', "`")})
        VALUES (p_login, p_first, p_last, p_email, COALESCE(p_guid, UUID()), p_azure, p_textid,
                COALESCE(p_disabled, 0));
    END
    """,
    f"""
    CREATE PROCEDURE update_employee(IN p_login VARCHAR(128) CHARSET utf8mb4,
        IN p_first VARCHAR(50),
        IN p_last VARCHAR(50), IN p_email VARCHAR(128), IN p_guid CHAR(36), IN p_azure CHAR(36),
        IN p_textid VARCHAR(128), IN p_disabled BOOLEAN)
    BEGIN
        IF p_first = '{REFUSED}' THEN
            SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '{MARIADB_REFUSAL}';
        END IF;
        UPDATE Employees SET FirstName = p_first, LastName = p_last, Email = p_email,
            InternalGUID = p_guid, AzureID = p_azure, textID = p_textid,
            AccountDisabled = p_disabled
        WHERE ContosoLogin = p_login;
    END
    """,
    """
    CREATE PROCEDURE delete_employee(IN p_login VARCHAR(128) CHARSET utf8mb4)
    BEGIN DELETE FROM Employees WHERE ContosoLogin = p_login; END
    """,
    """
    CREATE PROCEDURE get_changed(IN p_since TIMESTAMP(3))
    BEGIN SELECT * FROM Employees WHERE LastModified > p_since ORDER BY LastModified; END
    """,
    """
    CREATE PROCEDURE get_employees(IN p_start INT, IN p_end INT)
    BEGIN
        DECLARE v_skip INT DEFAULT p_start - 1;
        DECLARE v_take INT DEFAULT p_end - p_start + 1;
        SELECT * FROM Employees ORDER BY ContosoLogin LIMIT v_skip, v_take;
    END
    """,
)


def create_procedures(url: str) -> None:
    """The Add/Update/Delete procedures and the paged import on the Employees table at ``url``."""
    engine = make_engine(url)
    try:
        ddl = _POSTGRES if engine.dialect.name == "postgresql" else _MARIADB
        with engine.begin() as conn:
            for statement in ddl:
                conn.execute(text(statement.replace(":", "\\:")))
    finally:
        engine.dispose()


def _lines(params: list[tuple[str, str]]) -> str:
    return "\n".join(f"p_{name}:INPUT:@{attribute}" for name, attribute in params)


def procedure_steps(connector: Connector, *, named: bool = False, page_size: int = 2) -> Connector:
    """``connector`` exporting and importing through the procedures above."""
    every = _lines(ATTRIBUTE_PARAMS)
    export = ExportStep(
        operation_method="Stored Procedure",
        add_sp_name="add_employee",
        add_sp_parameters=every,
        update_sp_name="update_employee",
        update_sp_parameters=every.replace("@ContosoLogin", "@Anchor"),
        delete_sp_name="delete_employee",
        delete_sp_parameters="p_login:INPUT:@Anchor",
        use_named_parameters=named,
    )
    full_import = ImportStep(
        operation_method="Stored Procedure",
        sp_name="get_employees",
        sp_parameters="p_start:INPUT:@StartIndex\np_end:INPUT:@EndIndex",
        page_size=page_size,
    )
    return dataclasses.replace(connector, export=export, full_import=full_import)


def query_steps(connector: Connector, dialect: str, *, page_size: int = 2) -> Connector:
    """``connector`` exporting and importing through SQL queries (any dialect)."""
    q = "`" if dialect == "mysql" else '"'
    # InternalGUID is left to the column's default (as the procedures' COALESCE does).
    attributes = [a for _, a in ATTRIBUTE_PARAMS[:-1] if a != "InternalGUID"]
    cast = "CAST(@AzureID AS uuid)" if dialect == "postgresql" else "@AzureID"
    values = [cast if a == "AzureID" else f"@{a}" for a in attributes]
    false = "false" if dialect == "postgresql" else "0"
    insert = (
        f"INSERT INTO {q}Employees{q} ({', '.join(f'{q}{a}{q}' for a in attributes)}, "
        f"{q}AccountDisabled{q}) VALUES ({', '.join(values)}, COALESCE(@AccountDisabled, {false}))"
    )
    updated = [a for _, a in ATTRIBUTE_PARAMS[1:] if a != "InternalGUID"]
    sets = ", ".join(f"{q}{a}{q} = {cast if a == 'AzureID' else '@' + a}" for a in updated)
    export = ExportStep(
        operation_method="SQL Query",
        insert_query=insert,
        update_query=f"UPDATE {q}Employees{q} SET {sets} WHERE {q}ContosoLogin{q} = @Anchor",
        delete_query=f"DELETE FROM {q}Employees{q} WHERE {q}ContosoLogin{q} = @Anchor",
    )
    full_import = ImportStep(
        operation_method="SQL Query",
        query=f"SELECT * FROM {q}Employees{q} ORDER BY {q}ContosoLogin{q} "
        "LIMIT @EndIndex - @StartIndex + 1 OFFSET @StartIndex - 1"
        if dialect != "mysql"
        else "SELECT * FROM (SELECT e.*, ROW_NUMBER() OVER (ORDER BY ContosoLogin) AS rn "
        "FROM Employees e) AS page WHERE rn BETWEEN @StartIndex AND @EndIndex",
        page_size=page_size,
    )
    return dataclasses.replace(connector, export=export, full_import=full_import)


def delta_step(connector: Connector, dialect: str) -> Connector:
    """``connector`` with a Delta Import step: the procedure on PostgreSQL and MariaDB, a
    query on SQLite."""
    if dialect == "sqlite":
        step = DeltaImportStep(
            operation_method="SQL Query",
            query="SELECT * FROM Employees WHERE LastModified > @Watermark",
        )
    else:
        step = DeltaImportStep(
            operation_method="Stored Procedure",
            sp_name="get_changed",
            sp_parameters="p_since:INPUT:@Watermark",
        )
    return dataclasses.replace(connector, delta_import=step)
