"""Public helpers for tests and downstream scripts: an in-memory keyring and a scripted prompter.

Use ``MemoryKeyring`` by setting ``PYTHON_KEYRING_BACKEND=ecmactl.testing.MemoryKeyring`` (one
process only) or ``keyring.set_keyring(MemoryKeyring())``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from keyring.backend import KeyringBackend


class MemoryKeyring(KeyringBackend):
    """A keyring backend that lives in this process's memory (shared by all instances)."""

    priority: ClassVar[float] = 1
    _store: ClassVar[dict[tuple[str, str], str]] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._store.pop((service, username), None)

    @classmethod
    def clear(cls) -> None:
        cls._store.clear()

    def __repr__(self) -> str:  # what `keyring --list-backends` style output shows
        return "ecmactl.testing.MemoryKeyring"

    def __getstate__(self) -> dict[str, Any]:  # pragma: no cover - keyring pickles nothing
        return {}


BACK = "<back>"  # a scripted answer that presses Esc (go back)


class Turns:
    """Successive answers to one question: ``Turns("bad", "good")``."""

    def __init__(self, *values: Any) -> None:
        self.values = values


class ScriptedPrompter:
    """A Prompter that answers from a script instead of a terminal.

    ``answers`` maps question keys to an answer, or to ``Turns(...)`` for answers given in turn
    (after going back or after a validation error). ``BACK`` means "go back" (Esc). Questions
    without a scripted answer take their default. Everything asked, every error shown and every
    action failure is recorded so tests can assert the conversation.
    """

    def __init__(
        self,
        answers: dict[str, Any] | None = None,
        *,
        on_action_failure: list[str] | None = None,
        review: list[bool] | None = None,
    ) -> None:
        self.script = dict(answers or {})
        self.turns: dict[str, int] = {}
        self.asked: list[str] = []
        self.offered: list[tuple[str, Any]] = []  # (question key, default offered)
        self.errors: list[tuple[str, str]] = []
        self.notes: list[str] = []
        self.explained: list[tuple[str, str]] = []  # (question key, why its default is what it is)
        self.pages: list[str] = []
        self.failures: list[tuple[str, str]] = []
        self.on_action_failure = list(on_action_failure or [])
        self.reviews = list(review or [True])
        self.reviewed: list[Any] = []  # every review summary shown

    def page(self, page: Any, index: int, total: int) -> None:
        self.pages.append(page.name)

    def ask(
        self,
        question: Any,
        default: Any,
        choices: Any,
        error: str | None,
        note: str | None = None,
    ) -> Any:
        from ecmactl.wizard.questions import GoBack

        self.asked.append(question.key)
        self.offered.append((question.key, default))
        if note:
            self.explained.append((question.key, note))
        if error:
            self.errors.append((question.key, error))
        if question.key not in self.script:
            if error is not None and default is None:
                raise AssertionError(f"the script has no answer for {question.key}: {error}")
            return default  # a SecretOffer is accepted as a person pressing Enter would
        answer = self.script[question.key]
        if isinstance(answer, Turns):
            turn = self.turns.get(question.key, 0)
            self.turns[question.key] = turn + 1
            if turn >= len(answer.values):
                raise AssertionError(f"the script ran out of answers for {question.key}")
            answer = answer.values[turn]
        if isinstance(answer, str) and answer == BACK:
            raise GoBack()
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def note(self, text: str) -> None:
        self.notes.append(text)

    def action_failed(self, title: str, message: str, hint: str | None) -> str:
        self.failures.append((title, message))
        return self.on_action_failure.pop(0) if self.on_action_failure else "cancel"

    def review(self, summary: Any) -> bool:
        self.reviewed.append(summary)
        return self.reviews.pop(0) if self.reviews else True
