"""What a change to an existing configuration does, field by field: ``page › field: old → new``.

Used by `configure --dry-run` (text and JSON) and by the review before `configure` writes, so
that a change is shown as a change, as `kubectl diff` shows one. Secrets are never shown, nor
the password a database URL may carry (``postgresql://hr:***@db01/hr``).
A file key that no question asks (``log_level``, ``[limits]``…) is compared too and shown as
``settings.toml › log_level: debug → info``, so a change the page did not ask for is never
made silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from ecmactl.wizard.questions import Page, Question

MASK = "(not shown)"
_URL_FIELDS = {"database_url"}  # answers whose text may hold a password


def shown(key: str, value: Any) -> Any:
    """``value`` of the answer ``key`` with any password in it masked (other values as is)."""
    if key.rpartition(".")[2] not in _URL_FIELDS or not isinstance(value, str) or not value:
        return value
    from ecmactl.sql.urls import display_url

    masked = display_url(value)
    # display_url re-renders (``{home}`` → ``%7Bhome%7D``): keep the text as typed when it
    # had nothing to mask.
    return value if unquote(masked) == unquote(value) else masked


def display(value: Any, key: str = "") -> str:
    """An answer as the review shows it (``key``: the answer's, to mask a URL's password)."""
    value = shown(key, value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    if isinstance(value, dict):
        return "; ".join(f"{k} → {v}" for k, v in value.items()) or "(none)"
    if value in (None, ""):
        return "(none)"
    return str(value)


@dataclass(frozen=True)
class FieldChange:
    key: str  # page.field, the answers-file key
    page: str  # the page's title
    label: str  # the question's label, with " › item" for one entry of a mapping
    old: Any
    new: Any
    item: str | None = None  # the mapping entry (a column name) that changed
    secret: bool = False

    def text(self) -> str:
        if self.secret:
            return f"{self.page} › {self.label}: changed {MASK}"
        old, new = display(self.old, self.key), display(self.new, self.key)
        return f"{self.page} › {self.label}: {old} → {new}"

    def to_dict(self) -> dict[str, Any]:
        page, _, name = self.key.partition(".")
        out: dict[str, Any] = {"key": self.key, "page": page, "field": name}
        if self.item is not None:
            out["item"] = self.item
        if self.secret:
            out.update({"secret": True, "changed": True})
        else:
            out.update({"old": shown(self.key, self.old), "new": shown(self.key, self.new)})
        return out


def question_changes(q: Question, page: str, old: Any, new: Any) -> list[FieldChange]:
    """The changes of one question's answer; one per entry for a mapping."""
    if old == new:
        return []
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        return [
            FieldChange(q.key, page, f"{q.label} › {k}", old.get(k), new.get(k), item=str(k))
            for k in [*old, *(k for k in new if k not in old)]
            if old.get(k) != new.get(k)
        ]
    return [FieldChange(q.key, page, q.label, old, new)]


def field_changes(
    pages: Sequence[Page],
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    changed_secrets: Iterable[str] = (),
) -> list[FieldChange]:
    """Every answer that differs between two flat answer sets, in wizard order."""
    secrets = set(changed_secrets)
    out: list[FieldChange] = []
    for page in pages:
        for q in page.questions:
            if q.kind == "secret":
                if q.key in secrets:
                    out.append(FieldChange(q.key, page.title, q.label, None, None, secret=True))
                continue
            if q.key in before or q.key in after:
                out += question_changes(q, page.title, before.get(q.key), after.get(q.key))
    return out


def unasked_changes(
    title: str,
    prefix: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    answered: Iterable[str],
) -> list[FieldChange]:
    """The keys of a config file (``old``/``new`` as ``to_dict`` gives them) that differ and
    that no question answers: ``answered`` names top-level keys the pages' changes already show.
    Keys are ``prefix.dotted.path`` (``host.limits.max_connections``)."""
    skip = set(answered)
    before, after = _flat(old), _flat(new)
    return [
        FieldChange(f"{prefix}.{path}", title, path, before.get(path), after.get(path))
        for path in [*before, *(p for p in after if p not in before)]
        if path.partition(".")[0] not in skip and before.get(path) != after.get(path)
    ]


def _flat(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, Mapping):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out
