"""A password inside a database URL is never printed by `configure`: not in the dry run's
changes (text or --json), not in the review before writing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner, Result

from ecmactl.cli import app
from ecmactl.home import Home
from ecmactl.sql.urls import split_password
from ecmactl.wizard.context import WizardContext
from ecmactl.wizard.pages import CONNECTIVITY
from ecmactl.wizard.summary import summarize

PASSWORD = "Sup3r-Secret-pw"
OLD_URL = f"postgresql://hr:{PASSWORD}@db01/hr"
NEW_ODBC = f"Driver={{PostgreSQL Unicode}};Server=db02;Database=hr;UID=hr;PWD={PASSWORD}"


def _invoke(home: Home, *args: str) -> Result:
    return CliRunner().invoke(app, ["--home", str(home.root), *args])


def test_the_review_masks_url_passwords(home: Home):
    ctx = WizardContext(home=home)
    ctx.set("connectivity.database_url", NEW_ODBC)

    rows = summarize([CONNECTIVITY], ctx)["Connectivity"]
    changed = summarize([CONNECTIVITY], ctx, before={"connectivity.database_url": OLD_URL})

    shown = json.dumps([rows, changed])
    assert PASSWORD not in shown
    assert "PWD=***" in shown and "postgresql://hr:***@db01/hr" in shown


@pytest.mark.postgres
def test_configure_dry_run_masks_the_url_password(home: Home, postgres_server_url: str):
    done = _invoke(home, "init", "--sample", "--no-input", "--secret-store", "file")
    assert done.exit_code == 0, done.stderr
    server = make_url(postgres_server_url)
    password = server.password if isinstance(server.password, str) else PASSWORD
    url = server.set(password=password).render_as_string(hide_password=False)
    args = ("configure", "connectivity", "--no-input", "--database-url", url, "--dry-run")

    text, as_json = _invoke(home, *args), _invoke(home, *args, "--json")

    assert text.exit_code == 0 and as_json.exit_code == 0, text.stderr + as_json.stderr
    assert password not in text.stdout + text.stderr + as_json.stdout + as_json.stderr
    # Stored without its password (moved to the secret store: test_url_password_moved.py).
    assert f"→ {split_password(url)[0]}" in text.stdout
    fields = json.loads(as_json.stdout)
    assert split_password(url)[0] in json.dumps(fields)
    assert "sqlite:///{home}/data/contoso.db" in text.stdout  # nothing to mask: as it was
