"""The state a wizard run builds up: answers so far, secrets, and what the database told us."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ecmactl.config.models import ChildTable, Column
from ecmactl.home import Home


class Keep:
    """Sentinel default for a secret that already exists: keep it unchanged."""

    def __repr__(self) -> str:
        return "<keep current>"


KEEP = Keep()


@dataclass
class WizardContext:
    home: Home
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    secrets: dict[str, Any] = field(default_factory=dict)  # key -> value or KEEP; never saved
    existing_connectors: set[str] = field(default_factory=set)
    editing: str | None = None  # the connector being edited by `configure`
    sample: bool = False
    allow_replace: bool = False  # --force: an existing connector of the same name is replaced
    url_aliases: dict[str, str] = field(default_factory=dict)  # the staged sample database
    current_db_password: str | None = field(default=None, repr=False)  # configure: kept password
    # Secrets the wizard generated (key -> value), one per question and run, so that going back
    # offers the same value and an offer is told apart from a value the user typed.
    generated: dict[str, str] = field(default_factory=dict, repr=False)
    # Filled by actions:
    dialect: str | None = None
    tables: list[tuple[str, str]] = field(default_factory=list)  # (name, "table" | "view")
    columns: list[Column] = field(default_factory=list)
    detected_for: tuple[str, str | None] | None = None  # (table, schema) the columns came from
    # The Multi-Values Table/Views page: the connector's child tables (kept unless the page
    # names one), the live candidates, and the chosen child table's columns.
    child_tables: list[ChildTable] = field(default_factory=list)
    child_candidates: list[Any] = field(default_factory=list)  # sql.child_tables candidates
    child_columns: list[Column] = field(default_factory=list)

    def get(self, key: str, default: Any = None) -> Any:
        page, _, name = key.partition(".")
        return self.answers.get(page, {}).get(name, default)

    def set(self, key: str, value: Any) -> None:
        page, _, name = key.partition(".")
        self.answers.setdefault(page, {})[name] = value

    def unset(self, key: str) -> None:
        page, _, name = key.partition(".")
        self.answers.get(page, {}).pop(name, None)

    def has(self, key: str) -> bool:
        page, _, name = key.partition(".")
        return name in self.answers.get(page, {})

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]
