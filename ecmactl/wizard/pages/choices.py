"""What the pages share: the "(none)" choice, fixed choice lists, and the table's columns."""

from __future__ import annotations

from typing import Any

from ecmactl.wizard.context import WizardContext
from ecmactl.wizard.questions import Choice

NONE = "(none)"


def fixed_choices(*values: str) -> Any:
    """A question's ``choices``: always ``values``, each shown as itself."""
    return lambda ctx: [Choice(v, v) for v in values]


def column_choices(ctx: WizardContext, *, exclude: tuple[str, ...] = ()) -> list[Choice]:
    """The table's columns as choices, each with its SQL type and NOT NULL, minus ``exclude``."""
    return [
        Choice(c.name, f"{c.name}  ({c.sql_type}{'' if c.nullable else ', NOT NULL'})")
        for c in ctx.columns
        if c.name not in exclude
    ]
