"""Walks the wizard pages: resolves every answer from flags, answers file, prompt or default.

Precedence (copier's, documented in the README): flags and answers file > interactive answer >
previous value (sample or existing config) > the question's own default. Without a terminal,
questions with a default take it, and every question without one is reported at once, with the
flag that answers it (exit 2).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ecmactl.errors import EcmactlError, MissingInputError, UsageError
from ecmactl.wizard.context import KEEP, WizardContext
from ecmactl.wizard.questions import (
    Action,
    Choice,
    GoBack,
    Invalid,
    Page,
    Prompter,
    Question,
    Resolution,
    SecretOffer,
)


@dataclass
class Sources:
    fixed: dict[str, Any] = field(default_factory=dict)  # key -> value (flags, answers file)
    origin: dict[str, str] = field(default_factory=dict)  # key -> "flag" | "answers file"
    defaults: dict[str, Any] = field(default_factory=dict)  # key -> sample/existing value
    use_defaults: bool = False  # --defaults: take every default without asking


class ReviewDeclined(EcmactlError):
    def __init__(self) -> None:
        super().__init__("Nothing was written.")


def run_wizard(
    pages: Sequence[Page],
    ctx: WizardContext,
    sources: Sources,
    prompter: Prompter | None,
    summary: Any = None,  # Callable[[WizardContext], Mapping[str, Mapping[str, str]]]
) -> Resolution:
    """Fill ``ctx.answers`` (and ``ctx.secrets``); raises on missing or invalid input."""
    steps = [(index, step) for index, page in enumerate(pages) for step in page.steps]
    resolution = Resolution()
    missing: list[Question] = []
    reasons: dict[str, str] = {}  # key -> why its default could not be used
    history: list[int] = []  # indexes of prompted questions, for going back
    announced = -1
    i = 0
    while i <= len(steps):
        if i == len(steps):
            if prompter is None or summary is None:
                break
            verdict = prompter.review(summary(ctx))
            if verdict:
                break
            if not history:
                raise ReviewDeclined()
            i = history.pop()
            continue
        page_index, step = steps[i]
        if prompter is not None and page_index != announced:
            prompter.page(pages[page_index], page_index + 1, len(pages))
            announced = page_index
        if step.when is not None and not step.when(ctx):
            if isinstance(step, Question):
                ctx.unset(step.key)
                ctx.secrets.pop(step.key, None)
            i += 1
            continue
        if isinstance(step, Action):
            if missing:  # an earlier answer is missing; the action cannot run meaningfully
                i += 1
                continue
            try:
                note = step.run(ctx)
            except EcmactlError as exc:
                if prompter is None:
                    raise
                choice = prompter.action_failed(step.title, exc.message, exc.hint)
                if choice == "retry":
                    continue
                if choice == "back":
                    target = _index_of(steps, step.back_to)
                    history = [h for h in history if h < target]
                    i = target
                    announced = -1
                    continue
                raise KeyboardInterrupt from None
            if note and prompter is not None:
                prompter.note(note)
            i += 1
            continue
        try:
            resolved = _resolve(step, ctx, sources, prompter, resolution, reasons, bool(missing))
        except GoBack:
            if history:
                i = history.pop()
                announced = -1
            continue
        if resolved == "missing":
            missing.append(step)
        elif resolved == "prompt":
            history.append(i)
        i += 1
    if missing:
        raise MissingInputError([(_why_missing(q, ctx, reasons), q.flag_hint()) for q in missing])
    return resolution


def _why_missing(q: Question, ctx: WizardContext, reasons: dict[str, str]) -> str:
    reason = reasons.get(q.key) or (q.explain(ctx, None) if q.explain is not None else None)
    return f"{q.label} ({reason})" if reason else q.label


def _index_of(steps: list[tuple[int, Any]], key: str) -> int:
    return next(i for i, (_, s) in enumerate(steps) if isinstance(s, Question) and s.key == key)


def _resolve(
    q: Question,
    ctx: WizardContext,
    sources: Sources,
    prompter: Prompter | None,
    resolution: Resolution,
    reasons: dict[str, str],
    after_missing: bool = False,
) -> str:
    """Give ``q`` its value. Returns how: "fixed", "default", "prompt", "missing" or
    "unchecked".

    ``after_missing``: an earlier answer is missing, so the actions after it (the connection
    test, schema detection) were skipped and what they provide is absent. Without a terminal,
    a value refused then may be refused only for that absence: it is "unchecked", not an
    error, so the one error names what is really missing."""
    choices = q.choices(ctx) if q.choices else []
    if q.key in sources.fixed:
        try:
            _store(q, ctx, check(q, sources.fixed[q.key], ctx, choices))
            resolution.source[q.key] = sources.origin.get(q.key, "flag")
            return "fixed"
        except Invalid as exc:
            if prompter is None:
                if after_missing:
                    return "unchecked"
                raise UsageError(f"{q.flag}: {exc}") from None
            error: str | None = str(exc)
            default = None
        except EcmactlError as exc:  # a validator's own error keeps its exit code unprompted
            if prompter is None:
                raise
            error, default = _problem(exc), None
    else:
        error = None
        default = _default(q, ctx, sources)
        unprompted = prompter is None or not q.prompted
        if unprompted or (sources.use_defaults and default is not None):
            if default is None and q.kind == "checkbox":
                default = []
            if default is None and q.required:
                return "missing"
            try:
                _store(q, ctx, check(q, default, ctx, choices))
            except (Invalid, EcmactlError) as exc:
                if unprompted:
                    if isinstance(exc, EcmactlError):
                        raise
                    if after_missing:
                        return "unchecked"
                    if q.key in sources.defaults:
                        raise UsageError(f"{q.flag}: {exc}") from None
                    reasons[q.key] = str(exc)
                    return "missing"
                error = _problem(exc)
            else:
                resolution.source[q.key] = "default"
                return "default"
    assert prompter is not None
    while True:
        note = q.explain(ctx, default) if q.explain is not None else None
        answer = prompter.ask(q, _offer(q, ctx, default), choices, error, note)
        if isinstance(answer, SecretOffer):
            answer = answer.value
        try:
            _store(q, ctx, check(q, answer, ctx, choices))
        except (Invalid, EcmactlError) as exc:
            error = _problem(exc)
            # Typed text comes back for editing; anything else (a rejected secret above all)
            # must not become the next offer: the question is asked as it was the first time.
            default = answer if q.kind in ("text", "int") else _default(q, ctx, sources)
            continue
        resolution.source[q.key] = "prompt"
        return "prompt"


def _problem(exc: Exception) -> str:
    """A validation failure as shown with the question: the message, then the fix."""
    if isinstance(exc, EcmactlError):
        return f"{exc.message.rstrip('.')}. {exc.hint}" if exc.hint else exc.message
    return str(exc)


def _default(q: Question, ctx: WizardContext, sources: Sources) -> Any:
    if q.kind == "secret":
        if q.key in ctx.secrets:
            return ctx.secrets[q.key]
    elif ctx.has(q.key):  # answered before the user went back
        return ctx.get(q.key)
    if q.key in sources.defaults:
        return sources.defaults[q.key]
    if q.default is None:
        return None
    if q.kind == "secret":  # generated once per run: going back offers the same value
        if q.key not in ctx.generated:
            ctx.generated[q.key] = q.default(ctx)
        return ctx.generated[q.key]
    return q.default(ctx)


def _offer(q: Question, ctx: WizardContext, default: Any) -> Any:
    """What the prompter is offered: a secret's default says whether it was generated."""
    if q.kind != "secret" or not isinstance(default, str) or not default:
        return default
    return SecretOffer(default, generated=ctx.generated.get(q.key) == default)


def _store(q: Question, ctx: WizardContext, value: Any) -> None:
    if q.kind == "secret":
        if value is None:
            ctx.secrets.pop(q.key, None)
        else:
            ctx.secrets[q.key] = value  # KEEP or a value; never in the answers
        return
    ctx.set(q.key, value)


def check(q: Question, raw: Any, ctx: WizardContext, choices: list[Choice]) -> Any:
    """Coerce ``raw`` to the question's type, check it against the choices, run its validator."""
    value = coerce(q, raw)
    if value is None or value == "" or value == [] or value is KEEP:
        if q.required and value is None and q.kind == "confirm":
            raise Invalid("answer yes or no")  # a yes/no question without a default
        if q.required and value is not KEEP and q.kind not in ("checkbox", "mapping", "confirm"):
            raise Invalid("a value is required")
        value = None if value == "" else value
    elif choices and q.kind == "select":
        value = _match_choice(value, choices)
    elif choices and q.kind == "checkbox":
        value = [_match_choice(v, choices) for v in value]
    if q.validate is not None and value is not KEEP and value is not None:
        value = q.validate(value, ctx)  # an empty optional answer has nothing to validate
    return value


def _match_choice(value: Any, choices: list[Choice]) -> Any:
    for choice in choices:
        if choice.value == value:
            return choice.value
    lowered = str(value).casefold()
    for choice in choices:
        if str(choice.value).casefold() == lowered:
            return choice.value
    allowed = ", ".join(str(c.value) for c in choices)
    raise Invalid(f"{value!r} is not one of: {allowed}")


_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}


def coerce(q: Question, raw: Any) -> Any:
    if raw is None or raw is KEEP:
        return raw
    if q.kind == "int":
        if isinstance(raw, bool):
            raise Invalid("expected a whole number")
        try:
            return int(str(raw).strip())
        except ValueError:
            raise Invalid(f"{raw!r} is not a whole number") from None
    if q.kind == "confirm":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise Invalid(f"{raw!r} is not yes or no")
    if q.kind == "checkbox":
        items = raw if isinstance(raw, list | tuple) else str(raw).split(",")
        return [str(v).strip() for v in items if str(v).strip()]
    if q.kind == "mapping":
        return _coerce_mapping(raw)
    if isinstance(raw, str):
        return raw.strip()
    if q.kind in ("text", "select") and isinstance(raw, int | float) and not isinstance(raw, bool):
        return str(raw)
    return raw


def _coerce_mapping(raw: Any) -> dict[str, str]:
    if isinstance(raw, Mapping):
        return {str(k): str(v) for k, v in raw.items()}
    items = raw if isinstance(raw, list | tuple) else [raw]
    out: dict[str, str] = {}
    for item in items:
        key, sep, val = str(item).partition("=")
        if not sep or not key.strip():
            raise Invalid(f"{item!r} is not KEY=VALUE")
        out[key.strip()] = val.strip()
    return out
