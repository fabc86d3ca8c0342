"""The review shown before anything is written: every page's answers, secrets masked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ecmactl.wizard.context import KEEP, WizardContext
from ecmactl.wizard.questions import Page
from ecmactl.wizard.validators import plural


def _display(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    if isinstance(value, dict):
        return "; ".join(f"{k} → {v}" for k, v in value.items()) or "(none)"
    if value in (None, ""):
        return "(none)"
    return str(value)


def summarize(pages: Sequence[Page], ctx: WizardContext) -> dict[str, dict[str, str]]:
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
                rows[q.label] = _display(changed) if changed else "ImportExport (every column)"
            elif q.key == "attributes.bindings":
                bound = {k: v for k, v in (ctx.get(q.key) or {}).items() if v != "(none)"}
                rows[q.label] = _display(bound)
            elif ctx.has(q.key) and q.explain is not None:
                value = ctx.get(q.key)
                shown = str(value).lower() if isinstance(value, bool) else _display(value)
                rows[q.label] = f"{shown} ({q.explain(ctx, value)})"
            elif ctx.has(q.key):
                rows[q.label] = _display(ctx.get(q.key))
        if rows:
            out[page.title] = rows
    return out
