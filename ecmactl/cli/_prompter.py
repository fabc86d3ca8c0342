"""The terminal face of the wizard: questionary prompts, Esc to go back, Ctrl-C to cancel.

Always ``unsafe_ask``: questionary's ``ask`` swallows Ctrl-C and returns None, which would look
like an answer. Here Ctrl-C raises KeyboardInterrupt (exit 130, nothing written).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import questionary
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from questionary import Style
from rich.markup import escape

from ecmactl.cli._output import console
from ecmactl.wizard.context import KEEP
from ecmactl.wizard.questions import Choice, GoBack, Page, Question, SecretOffer

STYLE = Style(
    [
        ("qmark", "fg:#5f87ff bold"),
        ("answer", "fg:#00af87 bold"),
        ("instruction", "fg:#808080"),
        ("highlighted", "fg:#5f87ff bold"),
    ]
)


def _with_back(question: questionary.Question) -> questionary.Question:
    """Esc leaves the prompt with GoBack; the engine then re-asks the previous question."""
    bindings = KeyBindings()

    @bindings.add("escape", eager=True)
    def _back(event: Any) -> None:
        event.app.exit(exception=GoBack())

    app = question.application
    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), bindings])
    return question


def _ask(question: questionary.Question) -> Any:
    return _with_back(question).unsafe_ask()


def _yes_no(default: Any) -> str:
    if default is None:
        return "(y/n)"
    return "(Y/n)" if default else "(y/N)"


class QuestionaryPrompter:
    def __init__(self) -> None:
        self.err = console(stderr=True)

    def page(self, page: Page, index: int, total: int) -> None:
        self.err.print()
        self.err.rule(
            f"[bold]{page.title}[/bold]  [dim]step {index} of {total}[/dim]", align="left"
        )
        self.err.print(f"[dim]{escape(page.intro)}[/dim]")
        if index == 1:
            self.err.print(
                "[dim]Enter accepts the default · Esc goes back · Ctrl-C cancels "
                "(nothing is written until the end)[/dim]"
            )

    def note(self, text: str) -> None:
        self.err.print(f"[green]✓[/green] {escape(text)}")

    def ask(
        self,
        q: Question,
        default: Any,
        choices: list[Choice],
        error: str | None,
        note: str | None = None,
    ) -> Any:
        if error:
            self.err.print(f"[red]✗ {escape(error)}[/red]")
        label = q.label
        # Every question shows its help, whether or not it has a default.
        about = f"({q.help})" if not note else f"({q.help}) ({note})"
        if q.kind in ("text", "int"):
            return _ask(
                questionary.text(
                    label,
                    default="" if default is None else str(default),
                    instruction=about,
                    style=STYLE,
                )
            )
        if q.kind == "select":
            items = [questionary.Choice(c.title, value=c.value) for c in choices]
            if not items:
                return None
            start = default if any(c.value == default for c in choices) else None
            return _ask(
                questionary.select(
                    label, choices=items, default=start, instruction=about, style=STYLE
                )
            )
        if q.kind == "confirm":
            # questionary drops its "(Y/n)" when given an instruction: put it back, and ask
            # for an explicit y or n when there is no default.
            return _ask(
                questionary.confirm(
                    label,
                    default=default,  # None: Enter alone answers nothing and is asked again
                    style=STYLE,
                    instruction=f" {about} {_yes_no(default)} ",
                )
            )
        if q.kind == "checkbox":
            picked = set(default or [])
            items = [
                questionary.Choice(c.title, value=c.value, checked=c.value in picked)
                for c in choices
            ]
            return _ask(
                questionary.checkbox(
                    label,
                    choices=items,
                    style=STYLE,
                    instruction=f"({q.help} Space toggles, Enter confirms.)",
                )
            )
        if q.kind == "secret":
            return self._secret(q, default)
        if q.kind == "mapping":
            return self._mapping(q, default or {}, choices)
        raise AssertionError(f"unknown question kind {q.kind}")

    def _secret(self, q: Question, default: Any) -> Any:
        if default is KEEP:
            if _ask(
                questionary.confirm(
                    f"Keep the current {q.label.lower()}?", default=True, style=STYLE
                )
            ):
                return KEEP
        elif isinstance(default, SecretOffer):
            # The wording comes from where the offer came from, never from its length alone:
            # a value typed earlier is not "a random token".
            if default.generated:
                text = f"{q.label}: generate a random {len(default.value)}-character token?"
                hint = f" (recommended) ({q.help}) (Y/n) "
            else:
                text = f"Keep the {q.label.lower()} you entered?"
                hint = None
            if _ask(questionary.confirm(text, default=True, style=STYLE, instruction=hint)):
                return default
        return (
            _ask(questionary.password(f"{q.label}:", style=STYLE, instruction=f"({q.help})"))
            or None
        )

    def _mapping(self, q: Question, current: dict[str, str], choices: list[Choice]) -> Any:
        from rich.table import Table

        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        table.add_column("Column")
        table.add_column(q.label)
        for key, value in current.items():
            table.add_row(escape(key), escape(value or "(none)"))
        self.err.print(table)
        keep = questionary.confirm(
            f"Keep these ({q.label.lower()})?",
            default=True,
            style=STYLE,
            instruction=f" ({q.help}) (Y/n) ",
        )
        if _ask(keep):
            return current
        keys = list(current)
        out: dict[str, str] = {}
        for key in keys:
            items = [questionary.Choice(c.title, value=c.value) for c in choices]
            now = current.get(key)
            start = now if any(c.value == now for c in choices) else None
            out[key] = _ask(
                questionary.select(f"{key}:", choices=items, default=start, style=STYLE)
            )
        return out

    def action_failed(self, title: str, message: str, hint: str | None) -> str:
        self.err.print(f"[red]✗ {escape(title)} failed:[/red] {escape(message)}")
        if hint:
            self.err.print(f"[dim]Fix:[/dim] {escape(hint)}")
        return str(
            _ask(
                questionary.select(
                    "What now?",
                    choices=[
                        questionary.Choice("Retry", value="retry"),
                        questionary.Choice("Go back and change the settings", value="back"),
                        questionary.Choice("Cancel (nothing is written)", value="cancel"),
                    ],
                    style=STYLE,
                )
            )
        )

    def review(self, summary: Mapping[str, Mapping[str, str]]) -> bool:
        from rich.table import Table

        table = Table(title="Review", show_header=False, box=None, pad_edge=False)
        table.add_column(style="bold")
        table.add_column()
        for page, rows in summary.items():
            table.add_row(f"[cyan]{escape(page)}[/cyan]", "")
            for label, value in rows.items():
                table.add_row(f"  {escape(label)}", escape(value))
        self.err.print()
        self.err.print(table)
        choice = _ask(
            questionary.select(
                "Write this configuration?",
                choices=[
                    questionary.Choice("Write it", value="write"),
                    questionary.Choice("Go back", value="back"),
                    questionary.Choice("Cancel (nothing is written)", value="cancel"),
                ],
                style=STYLE,
            )
        )
        if choice == "cancel":
            raise KeyboardInterrupt
        return bool(choice == "write")
