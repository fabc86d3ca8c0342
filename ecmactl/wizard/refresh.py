"""`configure schema --refresh`: the connector fitted to its live table, planned as the wizard
plans a change (same files, same load-time rules, written all or nothing by ``apply_plan``).

The added columns are the one thing a refresh asks about: each may become a selected attribute
(offered on a terminal, given by ``--add-column``/``--add-all`` otherwise). Everything else
follows from the table; see ecmactl.sql.schema_diff.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ecmactl.config.models import Column, Connector, HostSettings
from ecmactl.config.rules import connector_violations
from ecmactl.config.store import serialize
from ecmactl.errors import ConfigError
from ecmactl.home import Home
from ecmactl.invocation import command
from ecmactl.sql.schema_diff import SchemaDiff, refreshed_connector
from ecmactl.wizard.answers import render_answers
from ecmactl.wizard.apply import FileWrite, Plan
from ecmactl.wizard.build import connector_answers, settings_answers
from ecmactl.wizard.questions import Choice, GoBack, Prompter, Question

ADD_COLUMNS = Question(
    "refresh.add_columns",
    "Columns added to the table",
    "checkbox",
    "Checked columns become selected attributes Entra can map; the others stay unexposed.",
    "--add-column",
    required=False,
    metavar="COLUMN",
)


@dataclass
class Refresh:
    """One refresh: what differs, what is added, the connector after it and its files."""

    previous: Connector
    diff: SchemaDiff
    add: list[str]
    connector: Connector
    plan: Plan
    notes: list[str] = field(default_factory=list)

    @property
    def dropped(self) -> list[str]:
        kept = {a.column for a in self.connector.attributes}
        return [a.column for a in self.previous.attributes if a.column not in kept]

    def summary(self) -> dict[str, dict[str, str]]:
        """The review a terminal shows before writing."""
        changes = {c.column + f" ({c.kind})": c.text() for c in self.diff.changes}
        effect = {
            "Attributes added": ", ".join(self.add) or "(none)",
            "Attributes dropped": ", ".join(self.dropped) or "(none)",
        }
        return {f"Table {self.diff.table}": changes, f"Connector {self.connector.name}": effect}

    def to_dict(self) -> dict[str, Any]:
        return {
            "connector": self.connector.name,
            **self.diff.to_dict(),
            "attributes_added": self.add,
            "attributes_dropped": self.dropped,
        }


def default_added(live: Sequence[Column], diff: SchemaDiff) -> list[str]:
    """Offered checked: every added column but Booleans (as Select Attributes does: a Boolean
    is often a disable flag, not an attribute)."""
    kinds = {c.name: c.data_type for c in live}
    return [name for name in diff.added if kinds.get(name) != "Boolean"]


def ask_added(
    prompter: Prompter, live: Sequence[Column], diff: SchemaDiff, error: str | None = None
) -> list[str]:
    """The added columns the user checks (GoBack: none, as Esc leaves the question)."""
    by_name = {c.name: c for c in live}
    choices = [
        Choice(name, f"{name}  ({by_name[name].sql_type}, {by_name[name].data_type})")
        for name in diff.added
    ]
    try:
        answer = prompter.ask(ADD_COLUMNS, default_added(live, diff), choices, error)
    except GoBack:
        return []
    return [str(name) for name in answer or []]


def plan_refresh(
    home: Home,
    previous: Connector,
    live: Sequence[Column],
    diff: SchemaDiff,
    add: Sequence[str],
    settings: HostSettings,
    questions: list[Question],
) -> Refresh:
    """The refreshed connector and its files (connector and answers), checked by the same
    rules as every load. Raises ConfigError for what a refresh cannot decide."""
    connector = refreshed_connector(previous, live, add)
    path = home.connector_path(connector.name)
    already = {v.error.message for v in connector_violations(previous, path)}
    for violation in connector_violations(connector, path):
        if violation.error.message in already:
            continue  # the file broke this rule before the table changed: not the refresh's
        # The file is fine; the table's change would break it: say so, and what decides it.
        problem = violation.error.message.removeprefix(f"{path}: ")
        fix = (violation.error.hint or "").partition("`")[2].partition("`")[0]
        raise ConfigError(
            f"connector {connector.name!r}: the change to table {diff.table} cannot be "
            f"applied: {problem}",
            hint=(f"Change it first with `{fix}`, or" if fix else "Edit the connector, or")
            + " restore the column in the database; then refresh.",
        )
    plan = Plan(home)
    plan.connector = connector
    plan.files.append(
        FileWrite(path, serialize(connector).encode(), 0o644, f"connector {connector.name}")
    )
    flat = {**settings_answers(settings), **connector_answers(connector)}
    plan.files.append(
        FileWrite(
            home.answers_path(connector.name),
            render_answers(flat, questions).encode(),
            0o644,
            f"answers for {connector.name}",
        )
    )
    refresh = Refresh(previous, diff, list(add), connector, plan)
    name = connector.name
    not_added = [name for name in diff.added if name not in set(add)]
    if not_added:
        refresh.notes.append(
            f"Not selected as attributes (Entra does not see them): {', '.join(not_added)}; "
            f"select them later with `{command('configure', 'attributes', connector=name)}`."
        )
    plan.notes.extend(refresh.notes)
    return refresh
