"""What `init` and `configure` share: sources of answers, the prompter, dry-run and output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ecmactl.cli import _output
from ecmactl.cli._context import can_prompt
from ecmactl.exit_codes import ExitCode
from ecmactl.wizard.answers import load_answers
from ecmactl.wizard.apply import Plan
from ecmactl.wizard.context import WizardContext
from ecmactl.wizard.diff import FieldChange
from ecmactl.wizard.engine import Sources
from ecmactl.wizard.questions import Page, Prompter, Question


def sources_for(
    questions: list[Question],
    fixed_flags: dict[str, Any],
    answers_file: Path | None,
    defaults: bool,
) -> Sources:
    sources = Sources(use_defaults=defaults)
    if answers_file is not None:
        for key, value in load_answers(answers_file, questions).items():
            sources.fixed[key] = value
            sources.origin[key] = "answers file"
    for key, value in fixed_flags.items():  # flags win over the answers file
        sources.fixed[key] = value
        sources.origin[key] = "flag"
    return sources


def prompter_for(no_input: bool) -> Prompter | None:
    if not can_prompt(no_input):
        return None
    from ecmactl.cli._prompter import QuestionaryPrompter

    return QuestionaryPrompter()


def all_questions(pages: tuple[Page, ...] | list[Page]) -> list[Question]:
    return [q for page in pages for q in page.questions]


def report_dry_run(
    plan: Plan,
    *,
    as_json: bool,
    detailed_exitcode: bool,
    kind: str,
    fields: list[FieldChange] | None = None,
) -> int:
    """What applying would do: with ``fields`` (a change to an existing configuration), every
    changed field as ``page › field: old → new`` first, then the files."""
    changes = plan.changes()
    if as_json:
        payload: dict[str, Any] = {"dry_run": True, "changes": changes, "notes": plan.notes}
        if fields is not None:
            payload["fields"] = [f.to_dict() for f in fields]
        _output.emit_json(kind, payload)
    else:
        from rich.markup import escape

        out = _output.console()
        out.print("[bold]Dry run[/bold]: nothing was written.")
        if fields is not None:
            if fields:
                out.print("Changes:")
                for field in fields:
                    out.print(f"  {escape(field.text())}", soft_wrap=True)
            else:
                out.print("No setting changes.")
        out.print("Applying would write:")
        for change in changes:
            where = escape(str(change.get("path") or change.get("ref")))
            out.print(
                f"  {change['action']:<9} {escape(change['what']):<44} {where}", soft_wrap=True
            )
        for note in plan.notes:
            out.print(f"  note      {escape(note)}", soft_wrap=True)
    if detailed_exitcode and plan.pending:
        return int(ExitCode.CHANGES_PENDING)
    return 0


def keep_answers(ctx: WizardContext, questions: list[Question], *, sample: bool) -> None:
    """After a failure past the review: save the answers (never the secrets) and print the
    command that resumes from them, so a failed write does not cost the whole wizard."""
    from ecmactl.atomic import write_atomic
    from ecmactl.invocation import command
    from ecmactl.wizard.answers import render_answers
    from ecmactl.wizard.build import flatten
    from ecmactl.wizard.database import url_without_password

    name = str(ctx.get("properties.name") or "connector")
    flat = flatten(ctx.answers)
    if "connectivity.database_url" in flat:  # a password typed in the URL is a secret too
        flat["connectivity.database_url"] = url_without_password(ctx)[0]
    text = render_answers(flat, questions).encode()
    err = _output.console(stderr=True)
    # In the home beside the answers `init` writes; in the current directory if the home
    # itself is what cannot be written.
    for path in (ctx.home.answers_dir / f"{name}.unfinished.toml", Path(f"ecmactl-{name}.toml")):
        try:
            write_atomic(path.absolute(), text, mode=0o600)
        except OSError:
            continue
        sample_flag = ("--sample",) if sample else ()
        resume = command("init", *sample_flag, "--answers-file", str(path.absolute()))
        err.print(
            f"Your answers are saved in {path.absolute()} (secrets are not). After fixing the "
            f"cause below, resume with:\n  {resume}",
            markup=False,
            soft_wrap=True,
        )
        return
    err.print("Your answers could not be saved (the home and this directory are read-only).")
