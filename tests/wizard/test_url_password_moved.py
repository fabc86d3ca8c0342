"""A password typed inside the database URL ends in the secret store, never in a config file.

README: "config files hold references, never values". `init` and `configure connectivity`
move a password found in the URL (user:pw@, ?password=, ODBC PWD=) to the secret store, as
one given with --db-password-file; the connector and answers files keep the URL without it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from db_fixtures import account_with_password, create_employees_table
from sqlalchemy import text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner, Result

from ecmactl.cli import app
from ecmactl.config.store import load_connector
from ecmactl.home import Home
from ecmactl.secrets import SecretStore, read_secret, write_secret
from ecmactl.sql.rows import SqlRowStore
from ecmactl.wizard.apply import Plan, plan_connector
from ecmactl.wizard.context import WizardContext
from ecmactl.wizard.pages import ALL_PAGES

PASSWORD = "Sup3r-Secret-url-pw"
QUESTIONS = [q for page in ALL_PAGES for q in page.questions]
REF = "file:secrets/HR.db-password"


def _invoke(home: Home, *args: str) -> Result:
    return CliRunner().invoke(app, ["--home", str(home.root), *args])


def _leaks(home: Home, secret: str) -> list[str]:
    """Files in the home holding ``secret``, apart from the secret store's own file."""
    store = home.root / "secrets"
    return [
        str(p)
        for p in home.root.rglob("*")
        if p.is_file() and store not in p.parents and secret.encode() in p.read_bytes()
    ]


def _init(home: Home, url: str, *extra: str) -> Result:
    return _invoke(
        home,
        "init",
        "--no-input",
        "--hostname",
        "ecma01.contoso.test",
        "--secret-store",
        "file",
        "--name",
        "HR",
        "--database-url",
        url,
        "--table",
        "Employees",
        "--disable-flow",
        "Delete",
        *extra,
    )


def _url_with_password(postgres_url: str, request: pytest.FixtureRequest) -> tuple[str, str]:
    """(URL with PASSWORD inside, the same URL without) for an account that needs PASSWORD."""
    create_employees_table(postgres_url)
    bare, user = account_with_password(postgres_url, PASSWORD, request)
    with_user = make_url(bare).set(username=user)
    return (
        with_user.set(password=PASSWORD).render_as_string(hide_password=False),
        with_user.render_as_string(hide_password=False),
    )


def _assert_moved(home: Home, result: Result) -> None:
    assert result.exit_code == 0, result.stderr
    said = result.stdout + result.stderr
    assert PASSWORD not in said
    assert said.count(f"moved to the secret store as {REF}") == 1
    assert _leaks(home, PASSWORD) == []
    connector = load_connector(home, "HR")
    assert connector.connectivity.password_ref == REF
    assert read_secret(REF, home) == PASSWORD
    assert make_url(connector.connectivity.database_url).password is None
    # The host's way in (the password read from its reference) still connects.
    store = SqlRowStore.open(connector, home)
    try:
        with store.engine.connect() as conn:
            assert conn.execute(text('SELECT COUNT(*) FROM "Employees"')).scalar_one() > 0
    finally:
        store.engine.dispose()
    shown = _invoke(home, "configure", "show", "--json")
    assert shown.exit_code == 0, shown.stderr
    assert PASSWORD not in shown.stdout and REF in shown.stdout


@pytest.mark.postgres
def test_init_moves_the_url_password_to_the_secret_store(
    home: Home, postgres_url: str, request: pytest.FixtureRequest
):
    url, _ = _url_with_password(postgres_url, request)

    dry = _init(home, url, "--dry-run", "--json")
    assert dry.exit_code == 0, dry.stderr
    assert PASSWORD not in dry.stdout + dry.stderr
    assert REF in json.dumps(json.loads(dry.stdout))

    _assert_moved(home, _init(home, url))


@pytest.mark.postgres
def test_configure_connectivity_moves_the_url_password(
    home: Home, postgres_url: str, request: pytest.FixtureRequest, tmp_path: Path
):
    url, bare = _url_with_password(postgres_url, request)
    password_file = tmp_path / "pw"
    password_file.write_text(PASSWORD + "\n")
    first = _init(home, bare, "--db-password-file", str(password_file))
    assert first.exit_code == 0, first.stderr
    write_secret(REF, "stale-password", home)  # the URL's password must replace a kept one

    moved = _invoke(home, "configure", "connectivity", "--no-input", "--database-url", url)

    _assert_moved(home, moved)


def _plan(home: Home, url: str, password: str | None = None) -> Plan:
    ctx = WizardContext(home=home)
    ctx.set("properties.name", "HR")
    ctx.set("connectivity.database_url", url)
    ctx.set("schema.table", "Employees")
    ctx.set("schema.anchor", "Login")
    if password is not None:
        ctx.secrets["connectivity.password"] = password
    plan = Plan(home)
    plan_connector(ctx, plan, QUESTIONS, store=SecretStore("file", home))
    return plan


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        (
            f"Driver={{PostgreSQL Unicode}};Server=db02;Database=hr;UID=hr;PWD={{{PASSWORD};x}}",
            "Driver={PostgreSQL Unicode};Server=db02;Database=hr;UID=hr",
        ),
        (
            f"Driver={{ODBC Driver 18 for SQL Server}};Server=db02;Database=hr;Pwd={PASSWORD}",
            "Driver={ODBC Driver 18 for SQL Server};Server=db02;Database=hr",
        ),
        (f"postgresql://hr@db02/hr?password={PASSWORD}", "postgresql+psycopg://hr@db02/hr"),
        (f"mysql://hr:{PASSWORD}@db02/hr", "mysql+pymysql://hr@db02/hr"),
    ],
    ids=["odbc-postgres", "odbc-sqlserver", "query", "userinfo"],
)
def test_every_url_form_keeps_only_a_reference(home: Home, url: str, kept: str):
    plan = _plan(home, url)

    assert plan.connector is not None
    assert plan.connector.connectivity.database_url == kept
    assert plan.connector.connectivity.password_ref == REF
    (secret,) = plan.secrets
    assert secret.ref == REF and secret.value.startswith(PASSWORD)
    assert all(PASSWORD.encode() not in f.content for f in plan.files)
    assert any(f"moved to the secret store as {REF}" in note for note in plan.notes)


def test_a_password_given_separately_wins_over_the_urls(home: Home):
    plan = _plan(home, f"postgresql://hr:{PASSWORD}@db02/hr", password="given-apart")

    assert plan.connector is not None
    assert plan.connector.connectivity.database_url == "postgresql+psycopg://hr@db02/hr"
    assert [s.value for s in plan.secrets] == ["given-apart"]
    assert all(PASSWORD.encode() not in f.content for f in plan.files)
    assert any("given separately" in note for note in plan.notes)


def test_a_url_without_password_is_stored_as_typed(home: Home):
    plan = _plan(home, "postgresql://hr@db02/hr")

    assert plan.connector is not None
    assert plan.connector.connectivity.database_url == "postgresql://hr@db02/hr"
    assert plan.connector.connectivity.password_ref is None
    assert plan.secrets == [] and plan.notes == []


def test_the_answers_kept_after_a_failure_hold_no_url_password(home: Home):
    from ecmactl.cli._wizard_run import keep_answers

    ctx = WizardContext(home=home)
    ctx.set("properties.name", "HR")
    ctx.set("connectivity.database_url", f"postgresql://hr:{PASSWORD}@db02/hr")

    keep_answers(ctx, QUESTIONS, sample=False)

    kept = (home.answers_dir / "HR.unfinished.toml").read_text()
    assert PASSWORD not in kept and "postgresql+psycopg://hr@db02/hr" in kept


@pytest.mark.postgres
def test_status_names_a_password_left_in_a_url_and_the_fix(
    home: Home, postgres_url: str, request: pytest.FixtureRequest, tmp_path: Path
):
    """A home written before the fix: `host status` and `agent status` fail a check until
    `configure connectivity` moves the password."""
    url, bare = _url_with_password(postgres_url, request)
    password_file = tmp_path / "pw"
    password_file.write_text(PASSWORD + "\n")
    assert _init(home, bare, "--db-password-file", str(password_file)).exit_code == 0
    path = home.connector_path("HR")
    path.write_text(path.read_text().replace(f'"{bare}"', f'"{url}"'))
    assert PASSWORD in path.read_text()

    for kind in ("host", "agent"):
        status = json.loads(_invoke(home, kind, "status", "--json").stdout)
        (check,) = [c for c in status["checks"] if c["name"] == "config:HR"]
        assert not check["ok"] and str(path) in check["detail"] and PASSWORD not in check["detail"]
        assert " configure connectivity " in check["fix"] and "HR" in check["fix"]

    fixed = _invoke(home, "configure", "connectivity", "--no-input")

    assert fixed.exit_code == 0, fixed.stderr
    assert _leaks(home, PASSWORD) == []
    status = json.loads(_invoke(home, "host", "status", "--json").stdout)
    assert not [c for c in status["checks"] if c["name"] == "config:HR"]
