"""A request body parsed as JSON, within bounds: Unicode that can be encoded, a bounded depth.

``json.loads`` recurses once per nesting level, so ``[[[…]]]`` 1,000 deep is a
``RecursionError``, and one a little less deep reaches the code that walks the document. A SCIM
body nests six levels at most (a PatchOp: object, Operations, operation, value, emails,
element); anything deeper than :data:`MAX_JSON_DEPTH` is refused before it is parsed, by a scan
that never recurses. Most bodies have fewer brackets in all than that depth, which two
``str.count`` calls prove at almost no cost (bench/RESULTS.md); only the others get the exact
scan.

The text must be valid Unicode (UTF-8, or UTF-16/32 as RFC 8259 §8.1 detects them), the
document free of lone surrogate escapes (:mod:`ecmactl.scim.text`), and ``NaN``/``Infinity``
(no JSON) are refused.
"""

from __future__ import annotations

import json
import operator
import re
from itertools import accumulate
from typing import Any, NoReturn

from ecmactl.scim.errors import ScimError
from ecmactl.scim.text import check_json_text

MAX_JSON_DEPTH = 64  # nesting of arrays and objects; a SCIM body nests six levels at most

# A string, or a run of anything else. An unterminated string runs to the end of the text (the
# parser then says what is wrong): a closing quote required there would make the scan retry from
# every later quote, quadratic in a body of `\"` escapes (found by fuzzing, bench/RESULTS.md).
_STRING_OR_OTHER = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\Z)|[^\[\]{}"]+')
_CLOSE_BRACES = str.maketrans("{}", "[]")
_OPENS = re.compile(r"\[+")
_CLOSES = re.compile(r"\]+")


def parse_json(body: bytes) -> Any:
    """The document in ``body``; ScimError(400) when it is not acceptable JSON."""
    text = _decode(body)
    if not text.strip():
        raise ScimError(400, "invalidSyntax", "The request body is empty; a JSON object is needed")
    if too_deep(text):
        raise _too_deep()
    try:
        document = json.loads(text, parse_constant=_no_constant)
    except RecursionError:  # unbalanced brackets the scan leaves to the parser: `[[[[…`
        raise _too_deep() from None
    except ValueError as exc:
        raise ScimError(
            400, "invalidSyntax", f"The request body is not valid JSON: {exc}"
        ) from None
    check_json_text(text, document)
    return document


def too_deep(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON ``text`` nests arrays and objects more than ``limit`` levels deep.

    Exact for valid JSON; for invalid JSON either answer leads to a 400. Strings and everything
    but brackets are dropped (strings may hold brackets); the depth of the bracket skeleton is
    then its largest prefix sum, computed over runs of ``[`` and ``]`` at C speed. A few passes
    that drop the innermost ``[]`` pairs (one level each) first make a skeleton of many short
    runs (``[][][]…``) short. Worst case, a crafted body costs about what parsing it does."""
    if text.count("[") + text.count("{") <= limit:
        return False
    skeleton = _STRING_OR_OTHER.sub("", text).translate(_CLOSE_BRACES)
    levels = 0
    while levels < 4 and skeleton.count("][") * 40 > len(skeleton):
        skeleton = skeleton.replace("[]", "")
        levels += 1
    skeleton = skeleton.lstrip("]")  # unbalanced: the parser says what is wrong
    opened = accumulate(map(len, _OPENS.findall(skeleton)))
    closed = accumulate(map(len, _CLOSES.findall(skeleton)), initial=0)
    return levels + max(map(operator.sub, opened, closed), default=0) > limit


def _decode(body: bytes) -> str:
    try:
        return body.decode(json.detect_encoding(body))
    except UnicodeDecodeError as exc:
        raise ScimError(
            400,
            "invalidValue",
            f"The request body is not valid {exc.encoding.upper()} text (invalid bytes at "
            f"offset {exc.start}); JSON is sent as UTF-8",
        ) from None


def _too_deep() -> ScimError:
    return ScimError(
        400,
        "invalidSyntax",
        f"The request body nests arrays and objects more than {MAX_JSON_DEPTH} levels deep",
    )


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a JSON value")
