"""Connectivity-page input → SQLAlchemy URL: every accepted form, credentials, masking."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from ecmactl.errors import UsageError
from ecmactl.sql.urls import (
    display_url,
    mask_secrets,
    normalize_database_url,
    parse_database_url,
    parse_odbc_string,
    render_odbc_string,
    split_password,
    sqlite_url,
)

ODBC = "Driver={ODBC Driver 18 for SQL Server};Server=tcp:sql01,1433;Database=CONTOSO"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("postgresql://u@db:5432/hr", "postgresql+psycopg://u@db:5432/hr"),
        ("postgres://u@db/hr", "postgresql+psycopg://u@db/hr"),
        ("postgresql+psycopg://u@db/hr", "postgresql+psycopg://u@db/hr"),
        ("postgresql+psycopg2://u@db/hr", "postgresql+psycopg2://u@db/hr"),
        ("mysql://root@127.0.0.1:3306/hr", "mysql+pymysql://root@127.0.0.1:3306/hr"),
        ("mariadb://root@db/hr", "mariadb+pymysql://root@db/hr"),
        (
            "mysql+pymysql://root@db/hr?charset=utf8mb4",
            "mysql+pymysql://root@db/hr?charset=utf8mb4",
        ),
        ("mssql://sa@sql01/CONTOSO", "mssql+pyodbc://sa@sql01/CONTOSO"),
        ("sqlite:///relative.db", "sqlite:///relative.db"),
        ("sqlite:////var/lib/hr.db", "sqlite:////var/lib/hr.db"),
        ("sqlite://", "sqlite://"),
        ("sqlite:///:memory:", "sqlite:///:memory:"),
        ("  postgresql://u@db/hr  ", "postgresql+psycopg://u@db/hr"),
    ],
)
def test_sqlalchemy_urls_get_our_drivers(typed: str, expected: str) -> None:
    assert normalize_database_url(typed) == expected


def test_a_bare_sqlite_path_becomes_an_absolute_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert normalize_database_url("hr.db") == f"sqlite:///{(tmp_path / 'hr.db').as_posix()}"
    spaced = tmp_path / "my data" / "hr.sqlite3"
    # Windows Explorer's "Copy as path" adds quotes.
    assert normalize_database_url(f'"{spaced}"') == f"sqlite:///{spaced.as_posix()}"
    assert sqlite_url(spaced) == f"sqlite:///{spaced.as_posix()}"


def test_an_odbc_connection_string_becomes_mssql_pyodbc() -> None:
    url = parse_database_url(ODBC)
    rendered = url.render_as_string(hide_password=False)
    assert rendered.startswith("mssql+pyodbc:///?odbc_connect=")
    assert make_url(rendered).query["odbc_connect"] == ODBC


def test_odbc_strings_keep_braced_values_intact() -> None:
    pairs = parse_odbc_string("Driver={Weird;Driver}};};Server=a;PWD={p;w}}d};Encrypt=yes;")
    assert pairs == {"Driver": "Weird;Driver};", "Server": "a", "PWD": "p;w}d", "Encrypt": "yes"}
    assert parse_odbc_string(render_odbc_string(pairs)) == pairs


@pytest.mark.parametrize("text", ["Driver={unterminated", "Server=a;junk"])
def test_malformed_odbc_strings_are_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        parse_odbc_string(text)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_a_file_dsn_becomes_an_odbc_url(tmp_path: Path, encoding: str) -> None:
    dsn = tmp_path / "GenericSQL.dsn"
    dsn.write_text(
        "[ODBC]\r\nDRIVER=ODBC Driver 18 for SQL Server\r\nUID=sqladmin\r\n"
        "DATABASE=CONTOSO\r\nWSID=APP1\r\nSERVER=sql01\r\nTrustServerCertificate=Yes\r\n",
        encoding=encoding,
    )
    url = parse_database_url(str(dsn), user="svc-ecma", password="s3cret")
    pairs = parse_odbc_string(url.query["odbc_connect"])  # type: ignore[arg-type]
    assert url.drivername == "mssql+pyodbc"
    assert pairs["DRIVER"] == "ODBC Driver 18 for SQL Server"
    assert pairs["DATABASE"] == "CONTOSO"
    # Credentials from the Connectivity page take precedence over the DSN's.
    assert "sqladmin" not in pairs.values()
    assert (pairs["UID"], pairs["PWD"]) == ("svc-ecma", "s3cret")


def test_file_dsn_errors_say_what_to_fix(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        parse_database_url(str(tmp_path / "missing.dsn"))
    no_section = tmp_path / "empty.dsn"
    no_section.write_text("[Other]\nA=B\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"no \[ODBC\] section"):
        parse_database_url(str(no_section))
    latin1 = tmp_path / "latin1.dsn"
    latin1.write_bytes(b"[ODBC]\nDATABASE=Caf\xe9\n")
    with pytest.raises(UsageError, match="not UTF-8") as info:
        parse_database_url(str(latin1))
    assert "UTF-8" in (info.value.hint or "")


@pytest.mark.parametrize(
    ("odbc", "expected"),
    [
        (
            "Driver={PostgreSQL Unicode};Servername=pg1;Port=5433;Database=hr;"
            "Username=app;Password=pw;SSLmode=require",
            "postgresql+psycopg://app:pw@pg1:5433/hr?sslmode=require",
        ),
        (
            "DRIVER={MySQL ODBC 8.0 Unicode Driver};SERVER=my1;PORT=3306;DATABASE=hr;UID=app",
            "mysql+pymysql://app@my1:3306/hr",
        ),
    ],
)
def test_odbc_for_postgres_or_mysql_uses_the_native_drivers(odbc: str, expected: str) -> None:
    assert normalize_database_url(odbc) == expected


def test_separate_credentials_take_precedence() -> None:
    url = parse_database_url(
        "postgresql://old:oldpw@db/hr?password=querypw&sslmode=require",
        user="new",
        password="p@ss:w/rd",
    )
    assert (url.username, url.password) == ("new", "p@ss:w/rd")
    assert dict(url.query) == {"sslmode": "require"}
    odbc = parse_database_url(ODBC + ";UID=old;PWD=oldpw", password="n;ew}")
    pairs = parse_odbc_string(odbc.query["odbc_connect"])  # type: ignore[arg-type]
    assert (pairs["UID"], pairs["PWD"]) == ("old", "n;ew}")
    # SQLite has no accounts: credentials are ignored rather than smuggled into the URL.
    assert parse_database_url("sqlite:///x.db", user="u", password="p").password is None


def test_display_url_masks_every_password() -> None:
    assert display_url("postgresql://app:hunter2@db/hr") == "postgresql://app:***@db/hr"
    assert "hunter2" not in display_url("postgresql://app@db/hr?password=hunter2")
    shown = display_url(parse_database_url(ODBC, user="sa", password="p;w}d"))
    assert "p;w" not in shown and "PWD=***" in shown and "Server=tcp:sql01,1433" in shown
    # Not even a URL: still masked.
    assert "hunter2" not in display_url("postgresql:/app:hunter2@db")
    assert mask_secrets("Server=a;Pwd={x;y}}};UID=sa") == "Server=a;Pwd=***;UID=sa"


def test_split_password_moves_the_password_out_of_the_url() -> None:
    assert split_password("postgresql+psycopg://app:pw@db/hr") == (
        "postgresql+psycopg://app@db/hr",
        "pw",
    )
    assert split_password("postgresql+psycopg://app@db/hr?password=pw") == (
        "postgresql+psycopg://app@db/hr",
        "pw",
    )
    url, password = split_password(parse_database_url(ODBC, user="sa", password="pw"))
    assert password == "pw"
    assert "PWD" not in make_url(url).query["odbc_connect"]
    assert split_password("sqlite:///x.db") == ("sqlite:///x.db", None)


@pytest.mark.parametrize(
    "garbage",
    ["", "   ", "hello", "http://example.com/db", "oracle://scott@db/orcl", "a=b;c=d", "://"],
)
def test_garbage_is_a_usage_error_naming_the_accepted_forms(garbage: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_database_url(garbage)
    assert "postgresql://" in (info.value.hint or "")
    assert "Driver=" in (info.value.hint or "")


def test_garbage_is_echoed_without_its_password() -> None:
    with pytest.raises(UsageError) as info:
        parse_database_url("postgresql//app:hunter2@db")
    assert "hunter2" not in info.value.message
