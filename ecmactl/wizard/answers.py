"""Answers files: the wizard's non-secret answers, replayable with --answers-file.

Read as TOML, YAML or JSON (by extension); written as TOML. Secrets are never read from or
written to an answers file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ecmactl import __version__
from ecmactl.errors import UsageError
from ecmactl.file_flags import read_file_flag
from ecmactl.wizard.build import flatten, nest
from ecmactl.wizard.questions import Question

ANSWERS_HEADER = (
    "# ecmactl answers: replay with `ecmactl init --answers-file THIS --no-input`.\n"
    "# Secrets are not here; supply them with --secret-token-file / --db-password-file or env.\n"
)


def load_answers(path: Path, questions: Iterable[Question]) -> dict[str, Any]:
    """Flat ``page.field`` answers from ``path``; unknown keys and secrets are refused."""
    text = read_file_flag(str(path), flag="--answers-file")
    data = _parse(text, path)
    flat = flatten(data)
    by_key = {q.key: q for q in questions}
    unknown = sorted(k for k in flat if k not in by_key)
    if unknown:
        raise UsageError(
            f"{path}: unknown answer key(s): {', '.join(unknown)}",
            hint="Keys are page.field as in the answers file `ecmactl init` writes; "
            "see templates/answers.example.toml.",
        )
    secrets = sorted(k for k in flat if by_key[k].kind == "secret")
    if secrets:
        raise UsageError(
            f"{path}: secrets are never read from an answers file ({', '.join(secrets)})",
            hint="Pass them with " + ", ".join(by_key[k].flag_hint() for k in secrets) + ".",
        )
    return flat


def _parse(text: str, path: Path) -> dict[str, Any]:
    suffix = path.suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text)
        elif suffix == ".json":
            data = json.loads(text)
        else:
            import tomllib

            data = tomllib.loads(text)
    except Exception as exc:  # each parser has its own error type; the message is what matters
        raise UsageError(f"{path} is not valid {suffix.lstrip('.') or 'TOML'}: {exc}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path}: expected a table of pages (settings, properties, …)")
    return data


def render_answers(flat: dict[str, Any], questions: Iterable[Question]) -> str:
    """TOML text of the non-secret answers, pages in wizard order, with a provenance header."""
    from ecmactl.config.store import dump_toml

    order = [q.key for q in questions if q.kind != "secret"]
    kept = {k: flat[k] for k in order if k in flat and flat[k] is not None}
    document: dict[str, Any] = {"_ecmactl": {"version": __version__, "schema": 1}}
    document.update(nest(kept))
    return ANSWERS_HEADER + dump_toml(document)
