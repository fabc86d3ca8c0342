"""The review shown before anything is written: every page's answers, secrets masked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ecmactl.wizard.context import KEEP, WizardContext
from ecmactl.wizard.diff import display, question_changes
from ecmactl.wizard.questions import Page
from ecmactl.wizard.validators import plural


def summarize(
    pages: Sequence[Page], ctx: WizardContext, before: Mapping[str, Any] | None = None
) -> dict[str, dict[str, str]]:
    """Rows per page; with ``before`` (the current configuration), a changed answer is shown
    as ``old → new``."""
    out: dict[str, dict[str, str]] = {}
    for page in pages:
        rows: dict[str, str] = {}
        for q in page.questions:
            if q.when is not None and not q.when(ctx):
                continue
            if q.kind == "secret":
                value = ctx.secrets.get(q.key)
                if value is KEEP:
                    rows[q.label] = "unchanged"
                elif value:
                    rows[q.label] = (
                        f"set ({plural(len(value), 'character', 'characters')}, not shown)"
                    )
                else:
                    rows[q.label] = "(none)"
            elif q.key == "schema.directions":
                changed = {k: v for k, v in (ctx.get(q.key) or {}).items() if v != "ImportExport"}
                rows[q.label] = display(changed) if changed else "ImportExport (every column)"
            elif q.key == "attributes.bindings":
                bound = {k: v for k, v in (ctx.get(q.key) or {}).items() if v != "(none)"}
                rows[q.label] = display(bound)
            elif ctx.has(q.key) and q.explain is not None:
                value = ctx.get(q.key)
                shown = str(value).lower() if isinstance(value, bool) else display(value)
                rows[q.label] = f"{shown} ({q.explain(ctx, value)})"
            elif ctx.has(q.key):
                rows[q.label] = display(ctx.get(q.key), q.key)
            if before is not None and q.kind != "secret" and q.key in before:
                changes = question_changes(q, page.title, before[q.key], ctx.get(q.key))
                if changes:
                    rows[q.label] = "; ".join(
                        (f"{c.item}: " if c.item else "")
                        + f"{display(c.old, c.key)} → {display(c.new, c.key)}"
                        for c in changes
                    )
        if rows:
            out[page.title] = rows
    return out
