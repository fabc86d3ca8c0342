"""Wizard fixtures: a copy of the sample database and a helper that runs the whole wizard."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ecmactl.config.models import Connector
from ecmactl.home import Home
from ecmactl.testing import ScriptedPrompter
from ecmactl.wizard.apply import Plan, apply_plan, plan_connector, plan_settings
from ecmactl.wizard.context import WizardContext
from ecmactl.wizard.engine import Sources, run_wizard
from ecmactl.wizard.pages import ALL_PAGES
from ecmactl.wizard.summary import summarize

QUESTIONS = [q for page in ALL_PAGES for q in page.questions]


@pytest.fixture(scope="session")
def sample_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ecmactl.sql.sample import create_sample_database

    return create_sample_database(tmp_path_factory.mktemp("sample") / "contoso.db")


@pytest.fixture
def sample_url(sample_db_template: Path, tmp_path: Path) -> str:
    target = tmp_path / "contoso.db"
    target.write_bytes(sample_db_template.read_bytes())
    return f"sqlite:///{target.as_posix()}"


Runner = Callable[..., tuple[WizardContext, ScriptedPrompter, Connector]]


@pytest.fixture
def run_sample_wizard(home: Home, sample_url: str) -> Runner:
    """Run every page with a scripted prompter; the sample's answers unless overridden."""

    def run(answers: dict[str, Any] | None = None, **prompter_args: Any) -> Any:
        script = {
            "settings.hostname": "ecma01.contoso.test",
            "settings.secret_store": "keyring",
            "properties.name": "HR",
            "connectivity.database_url": sample_url,
            "schema.table": "Employees",
        }
        script.update(answers or {})
        prompter = ScriptedPrompter(script, **prompter_args)
        ctx = WizardContext(home=home)
        run_wizard(ALL_PAGES, ctx, Sources(), prompter, summary=lambda c: summarize(ALL_PAGES, c))
        from ecmactl.secrets import SecretStore

        plan = Plan(home)
        store = SecretStore("keyring", home)
        plan_settings(ctx, plan, store=store)
        connector = plan_connector(ctx, plan, QUESTIONS, store=store)
        apply_plan(plan)
        return ctx, prompter, connector

    return run
