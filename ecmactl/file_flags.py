"""Text given to a ``--…-file PATH`` flag, where ``-`` means standard input.

One reader for secrets (``secrets.read_secret_source``) and answers files (``wizard.answers``),
so every such flag words a missing, unreadable or non-UTF-8 file the same way, and standard
input is read by one flag per run (``invocation.claim_stdin``): two would silently split it.
Errors name the flag and the file, never the content (it may be a secret).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from ecmactl.errors import UsageError
from ecmactl.invocation import current


def read_file_flag(
    path: str, *, flag: str, one_line: bool = False, stdin: TextIO | None = None
) -> str:
    """The text of ``path``, or of standard input for ``-``; ``one_line``: the value is one
    line, so standard input is read up to its first line break only."""
    if path == "-":
        current().claim_stdin(flag)
        source = stdin or sys.stdin
        return source.readline() if one_line else source.read()
    try:
        return Path(path).expanduser().read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{flag}: the file {path} does not exist") from None
    except OSError as exc:
        raise UsageError(f"{flag}: cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        shape = "UTF-8 text (one line)" if one_line else "UTF-8 text"
        raise UsageError(
            f"{flag}: {path} is not UTF-8 text ({undecodable_at(exc)})",
            hint=f"Save it as {shape}, or give {flag} - to read standard input.",
        ) from None


def undecodable_at(exc: UnicodeDecodeError) -> str:
    """Where decoding failed, without the bytes (they may be part of a secret)."""
    return f"invalid byte at offset {exc.start}"
