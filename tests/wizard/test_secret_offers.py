"""A secret question offers only what belongs to it: its own generated value, or what was
entered for it earlier in this run; never a rejected answer, never another question's value."""

from __future__ import annotations

import pytest

from ecmactl.home import Home
from ecmactl.testing import ScriptedPrompter, Turns
from ecmactl.wizard.context import WizardContext
from ecmactl.wizard.engine import Sources, run_wizard
from ecmactl.wizard.pages import CONNECTOR_PAGES
from ecmactl.wizard.questions import SecretOffer


def offers(prompter: ScriptedPrompter, key: str) -> list[object]:
    return [default for asked, default in prompter.offered if asked == key]


def test_a_rejected_token_is_not_offered_back(run_sample_wizard):
    _, prompter, _ = run_sample_wizard(
        {"properties.secret_token": Turns("short", "a-token-of-sufficient-length")}
    )

    first, second = offers(prompter, "properties.secret_token")
    assert isinstance(first, SecretOffer) and first.generated and len(first.value) == 32
    # Asked again as the first time: the same generated offer, not "short" as a random token.
    assert second == first
    assert all(
        getattr(o, "value", o) != "short" for o in offers(prompter, "properties.secret_token")
    )


def test_going_back_offers_the_password_entered_not_a_generated_token(home: Home):
    """Connectivity fails, the user goes back: the password typed before is offered as such."""
    unreachable = "postgresql+psycopg://hr@127.0.0.1:1/hr"
    prompter = ScriptedPrompter(
        {
            "properties.name": "HR",
            "connectivity.database_url": Turns(unreachable, unreachable),
            "connectivity.password": Turns("ninechars", "ninechars"),
        },
        on_action_failure=["back", "cancel"],
    )

    with pytest.raises(KeyboardInterrupt):
        run_wizard(CONNECTOR_PAGES, WizardContext(home=home), Sources(), prompter)

    first, second = offers(prompter, "connectivity.password")
    assert first is None  # no default password
    assert second == SecretOffer("ninechars", generated=False)
    # The token question's own offer is unaffected by the password's.
    (token,) = offers(prompter, "properties.secret_token")
    assert isinstance(token, SecretOffer) and token.generated and len(token.value) == 32
