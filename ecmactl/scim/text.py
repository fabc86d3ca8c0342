"""Text a request may carry that nothing downstream can encode: lone UTF-16 surrogates.

JSON may spell a surrogate on its own (``"\\ud800"``); Python decodes it into a ``str`` that
cannot be encoded as UTF-8, so the SQLite driver, PostgreSQL and even an error document naming it
would fail. It is refused where text enters (the request body, a filter literal) with a
``400 invalidValue`` saying where. (NUL, which only some databases refuse, is checked before a
value is written: :func:`ecmactl.scim.values.to_db`.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ecmactl.scim.errors import ScimError

_SURROGATE = re.compile("[\ud800-\udfff]")
# A JSON escape of a surrogate: the only way one reaches a str decoded strictly from UTF-8.
# (``"\\ud800"`` in JSON, an escaped backslash, matches too; the walk then finds nothing.)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")


def has_lone_surrogate(text: str) -> bool:
    """Whether ``text`` holds a surrogate code point (a pair decodes to one astral character)."""
    return _SURROGATE.search(text) is not None


def check_json_text(raw: str, document: Any) -> None:
    """Refuse a parsed JSON ``document`` holding a lone surrogate (in a key or a value).

    ``raw`` is the JSON text it was parsed from: without a surrogate escape in it, the
    document cannot hold one, and the walk is skipped (the usual case, at regex speed)."""
    if _SURROGATE_ESCAPE.search(raw) is None:
        return
    where = _surrogate_location(document)
    if where is not None:
        raise ScimError(
            400,
            "invalidValue",
            f"The request body holds invalid Unicode at {where}: a lone UTF-16 surrogate "
            "(\\ud800-\\udfff escape without its pair); send the character itself or its "
            "complete surrogate pair",
        )


def _surrogate_location(document: Any) -> str | None:
    """Where the first lone surrogate is (``Operations[0].value.userName``), or None.

    Iterative (a stack, children pushed in reverse to visit them in order): the document's
    depth is bounded before it is parsed, but a walk never needs to rely on that."""
    stack: list[tuple[str, Any]] = [("", document)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            if has_lone_surrogate(item):
                return where or "the top level"
        elif isinstance(item, Mapping):
            children: list[tuple[str, Any]] = []
            for key, value in item.items():
                name = _printable(str(key))
                if has_lone_surrogate(str(key)):
                    return f"the name of attribute {name}"
                children.append((f"{where}.{name}" if where else name, value))
            stack.extend(reversed(children))
        elif isinstance(item, list):
            stack.extend((f"{where}[{i}]", item[i]) for i in reversed(range(len(item))))
    return None


def _printable(text: str) -> str:
    """``text`` with surrogates escaped (``\\ud800``), so that it can be sent and logged."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
