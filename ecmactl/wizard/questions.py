"""Wizard questions as data: what to ask, its flag, default, choices, validation and when.

The same spec drives the interactive prompt, the generated command-line flag, the answers file
and the "missing input" error, so the four can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from ecmactl.wizard.context import WizardContext

Kind = Literal["text", "int", "select", "confirm", "checkbox", "secret", "mapping"]


class Invalid(Exception):
    """A value failed validation; the message says what is wrong and what is allowed."""


class GoBack(Exception):
    """The user asked to go back to the previous question."""


@dataclass(frozen=True)
class Choice:
    value: Any
    title: str
    note: str = ""


Default = Callable[["WizardContext"], Any]
Choices = Callable[["WizardContext"], list[Choice]]
Validator = Callable[[Any, "WizardContext"], Any]
When = Callable[["WizardContext"], bool]
Explain = Callable[["WizardContext", Any], "str | None"]


@dataclass(frozen=True)
class Question:
    """One wizard field. ``key`` is ``page.field`` and is also the answers-file key."""

    key: str
    label: str
    kind: Kind
    help: str
    flag: str
    default: Default | None = None
    choices: Choices | None = None
    validate: Validator | None = None
    when: When | None = None
    secret_env: str | None = None  # for secrets: the environment variable that supplies it
    required: bool = True  # False: an empty answer is fine (stored as None)
    metavar: str | None = None
    # False: answered by its flag or the answers file, else by the current value or default;
    # never prompted (settings an operator sets on purpose, not on a first run).
    prompted: bool = True
    # Why a value is (or would be) the default, e.g. "from the column name Enabled"; shown
    # with the prompt (for the default) and in the review (for the answer).
    explain: Explain | None = None

    @property
    def page(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def field(self) -> str:
        return self.key.split(".", 1)[1]

    @property
    def param_name(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")

    def flag_hint(self) -> str:
        """How to answer this question without a terminal, for error messages."""
        if self.kind == "secret":
            env = f" or ${self.secret_env}" if self.secret_env else ""
            return f"{self.flag} PATH{env}"
        if self.kind == "confirm":
            return f"{self.flag}/--no-{self.flag[2:]}"
        if self.kind in ("checkbox",):
            return f"{self.flag} VALUE (repeat)"
        if self.kind == "mapping":
            return f"{self.flag} KEY=VALUE (repeat)"
        return f"{self.flag} {self.metavar or 'VALUE'}"


@dataclass(frozen=True)
class Action:
    """A step between questions that talks to the world (test a connection, detect a schema).

    ``run`` raises EcmactlError on failure; interactively the user may retry or go back to
    ``back_to`` (a question key), otherwise the error ends the wizard.
    """

    key: str
    title: str
    run: Callable[[WizardContext], str | None]  # returns a one-line success note
    back_to: str
    when: When | None = None


Step = Question | Action


@dataclass(frozen=True)
class SecretOffer:
    """The default a secret question offers: a value the wizard generated for it, or the value
    entered for it earlier in this run (after going back). Never a rejected answer."""

    value: str = field(repr=False)
    generated: bool


@dataclass(frozen=True)
class Page:
    """One wizard page, named as in Microsoft's ECMA2Host wizard."""

    name: str  # command-line name, e.g. "connectivity"
    title: str  # Microsoft's page title, e.g. "Connectivity"
    intro: str
    steps: tuple[Step, ...]
    level: Literal["host", "connector"] = "connector"

    @property
    def questions(self) -> list[Question]:
        return [s for s in self.steps if isinstance(s, Question)]


class Prompter(Protocol):
    """The face that asks: questionary on a terminal, a script in tests.

    Every method may raise GoBack (the user asked to go back) or KeyboardInterrupt (cancel).
    ``error`` is the previous answer's validation message, shown with the question.
    """

    def page(self, page: Page, index: int, total: int) -> None: ...

    def ask(
        self,
        question: Question,
        default: Any,
        choices: list[Choice],
        error: str | None,
        note: str | None = None,
    ) -> Any:
        """``note`` says where ``default`` comes from, or why there is none."""
        ...

    def note(self, text: str) -> None: ...

    def action_failed(self, title: str, message: str, hint: str | None) -> str:
        """Returns "retry", "back" or "cancel"."""
        ...

    def review(self, summary: Mapping[str, Mapping[str, str]]) -> bool: ...


@dataclass
class Resolution:
    """Where each answer came from, for the review and for `--json` output."""

    source: dict[str, str] = field(default_factory=dict)  # key -> flag|file|prompt|default|config
