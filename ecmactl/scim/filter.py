"""SCIM filters and attribute paths: the RFC 7644 §3.4.2.2 grammar, parsed into a small AST.

Supported: ``eq ne co sw ew gt ge lt le pr``; ``and``/``or``/``not`` with the RFC's precedence
(``not`` > ``and`` > ``or``); parentheses; value paths (``emails[type eq "work"]``) and, as Entra
sends for uniqueness checks, value paths with a sub-attribute used in a comparison
(``emails[type eq "work"].value eq "x"``); string, number, boolean and null literals; operators,
keywords and attribute names in any case; URN-qualified names
(``urn:…:ECMA2Host:2.0:User:ContosoLogin``). Unknown attribute names parse fine: whether they
exist is the evaluator's or the mapping's business, so Entra's ``PLACEHOLDER eq "…"`` probe simply
matches nothing.

Malformed input raises ``ScimError(400, "invalidFilter")`` (``invalidPath`` for PATCH paths) with
the 1-based character position. The common ``attr eq "value"`` form skips the tokenizer.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal, get_args

from ecmactl.scim.core_schema import CORE_USER_URN, canonical_urn
from ecmactl.scim.errors import ScimError, ScimType
from ecmactl.scim.text import has_lone_surrogate

CompareOp = Literal["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"]
Literal_ = str | int | float | bool | None

COMPARE_OPS: frozenset[str] = frozenset(get_args(CompareOp))
ORDER_OPS: frozenset[str] = frozenset(("gt", "ge", "lt", "le"))
STRING_OPS: frozenset[str] = frozenset(("co", "sw", "ew"))
MAX_FILTER_LENGTH = 10_000  # Entra's own expression limit; guards the parser against abuse
MAX_DEPTH = 50  # nesting of parentheses / not / value filters
# Comparisons and `pr` tests in one filter or path. Entra sends one or two; a scan of a large
# cache costs each of them once per row, so a long `or` chain is a CPU cost to bound, too.
MAX_FILTER_TERMS = 100
MAX_NUMBER_LENGTH = 100  # characters of a number literal (Python refuses ints of 4,300 digits)

_NAME = re.compile(r"[A-Za-z_$][\w$-]*\Z")
_TOKEN = re.compile(
    r"""\s*(?:
      (?P<lp>\() | (?P<rp>\)) | (?P<lb>\[) | (?P<rb>\]) |
      (?P<str>"(?:[^"\\]|\\.)*") |
      (?P<num>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?![\w.:$]) |
      (?P<sub>\.[A-Za-z_$][\w$-]*) |
      (?P<word>[A-Za-z_$][\w$:.-]*)
    )""",
    re.VERBOSE,
)
_SIMPLE_EQ = re.compile(r'\s*([A-Za-z_$][\w$:.-]*)\s+[eE][qQ]\s+("(?:[^"\\]|\\.)*")\s*\Z')


@dataclass(frozen=True, slots=True)
class AttrPath:
    """``[urn:]attr[.sub]`` or ``attr[filter][.sub]``; ``urn`` is None for core attributes."""

    attr: str
    sub: str | None = None
    urn: str | None = None
    filter: Filter | None = None
    key: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # A canonical, lower-cased form for dictionary lookups (bindings, rules, projections).
        key = f"{self.urn.lower()}:" if self.urn else ""
        key += self.attr.lower()
        if self.filter is not None:
            key += f"[{str(self.filter).lower()}]"
        if self.sub is not None:
            key += f".{self.sub.lower()}"
        object.__setattr__(self, "key", key)

    def __str__(self) -> str:
        text = f"{self.urn}:{self.attr}" if self.urn else self.attr
        if self.filter is not None:
            text += f"[{self.filter}]"
        if self.sub is not None:
            text += f".{self.sub}"
        return text


@dataclass(frozen=True, slots=True)
class Compare:
    path: AttrPath
    op: CompareOp
    value: Literal_

    def __str__(self) -> str:
        return f"{self.path} {self.op} {json.dumps(self.value)}"


@dataclass(frozen=True, slots=True)
class Present:
    path: AttrPath

    def __str__(self) -> str:
        return f"{self.path} pr"


@dataclass(frozen=True, slots=True)
class ValueFilter:
    """``emails[type eq "work"]``: some element of a multi-valued attribute matches."""

    path: AttrPath  # path.filter is set, path.sub is None

    def __str__(self) -> str:
        return str(self.path)


@dataclass(frozen=True, slots=True, init=False)
class And:
    """``a and b and …``: every term matches. N-ary, so that a chain of 100 terms is one node,
    not 100 levels for the evaluator and ``str`` to recurse through."""

    terms: tuple[Filter, ...]

    def __init__(self, *terms: Filter) -> None:
        object.__setattr__(self, "terms", terms)

    def __str__(self) -> str:
        return f"({' and '.join(map(str, self.terms))})"


@dataclass(frozen=True, slots=True, init=False)
class Or:
    """``a or b or …``: some term matches (n-ary, as :class:`And`)."""

    terms: tuple[Filter, ...]

    def __init__(self, *terms: Filter) -> None:
        object.__setattr__(self, "terms", terms)

    def __str__(self) -> str:
        return f"({' or '.join(map(str, self.terms))})"


@dataclass(frozen=True, slots=True)
class Not:
    inner: Filter

    def __str__(self) -> str:
        inner = str(self.inner)
        return f"not {inner}" if isinstance(self.inner, And | Or) else f"not ({inner})"


Filter = Compare | Present | ValueFilter | And | Or | Not


@lru_cache(maxsize=512)
def parse_filter(text: str) -> Filter:
    """Parse a ``filter`` query parameter (already URL-decoded) into an AST."""
    simple = _SIMPLE_EQ.match(text)
    if simple is not None:
        word, raw = simple.groups()
        path = _path_from_word(word, text.index(word), "invalidFilter")
        value = raw[1:-1] if "\\" not in raw else _decode_string(raw, 0, "invalidFilter")
        return Compare(path, "eq", value)
    return _Parser(text, "invalidFilter").parse_filter()


@lru_cache(maxsize=512)
def parse_path(text: str) -> AttrPath:
    """Parse a PATCH ``path`` (``attrPath`` or ``valuePath[.subAttr]``); errors are invalidPath."""
    return _Parser(text, "invalidPath").parse_path()


def _path_from_word(word: str, pos: int, scim_type: ScimType) -> AttrPath:
    path = _split_word(word)
    if path is None:
        raise _error(scim_type, f"{word!r} is not a valid attribute path", pos)
    return path


@lru_cache(maxsize=1024)
def _split_word(word: str) -> AttrPath | None:
    urn: str | None = None
    rest = word
    if ":" in word:
        prefix, _, rest = word.rpartition(":")
        urn = canonical_urn(prefix)
        if urn == CORE_USER_URN:
            urn = None
    attr, dot, sub = rest.partition(".")
    if not _NAME.match(attr) or (dot and not _NAME.match(sub)):
        return None
    return AttrPath(attr, sub if dot else None, urn)


def _decode_string(raw: str, pos: int, scim_type: ScimType) -> str:
    try:
        value = json.loads(raw)
    except ValueError:
        raise _error(scim_type, f"invalid escape in string {raw}", pos) from None
    assert isinstance(value, str)
    if has_lone_surrogate(value):  # "\ud800": no store, nor the error document, can encode it
        kind = "filter" if scim_type == "invalidFilter" else "path"
        raise ScimError(
            400,
            "invalidValue",
            f"Invalid {kind}: the string at character {pos + 1} holds a lone UTF-16 surrogate "
            "escape (\\ud800-\\udfff without its pair)",
        )
    return value


def _error(scim_type: ScimType, message: str, pos: int) -> ScimError:
    kind = "filter" if scim_type == "invalidFilter" else "path"
    return ScimError(400, scim_type, f"Invalid {kind}: {message} (at character {pos + 1})")


class _Parser:
    """Recursive descent over a token list; one instance per parse."""

    def __init__(self, text: str, scim_type: ScimType) -> None:
        self.text = text
        self.scim_type: ScimType = scim_type
        self.tokens: list[tuple[str, str, int]] = self._tokenize(text)
        self.i = 0
        self.depth = 0
        self.terms = 0

    def _tokenize(self, text: str) -> list[tuple[str, str, int]]:
        what = "filter" if self.scim_type == "invalidFilter" else "path"
        if not text.strip():
            raise ScimError(400, self.scim_type, f"Invalid {what}: it is empty")
        if len(text) > MAX_FILTER_LENGTH:
            raise ScimError(
                400, self.scim_type, f"Invalid {what}: longer than {MAX_FILTER_LENGTH} characters"
            )
        tokens: list[tuple[str, str, int]] = []
        pos, end = 0, len(text)
        while pos < end:
            m = _TOKEN.match(text, pos)
            if m is None or m.lastgroup is None:
                if text[pos:].strip() == "":
                    break
                start = pos + len(text[pos:]) - len(text[pos:].lstrip())
                raise self._unexpected_char(start)
            kind = m.lastgroup
            tokens.append((kind, m.group(kind), m.start(kind)))
            pos = m.end()
        return tokens

    def _unexpected_char(self, pos: int) -> ScimError:
        char = self.text[pos]
        if char == '"':
            return self.error("unterminated string", pos)
        if char == "'":
            return self.error("strings must be in double quotes", pos)
        return self.error(f"unexpected character {char!r}", pos)

    def error(self, message: str, pos: int | None = None) -> ScimError:
        if pos is None:
            pos = self.tokens[self.i][2] if self.i < len(self.tokens) else len(self.text)
        return _error(self.scim_type, message, pos)

    # -- token helpers ------------------------------------------------------------------------

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def keyword(self, word: str) -> bool:
        tok = self.peek()
        if tok is not None and tok[0] == "word" and tok[1].lower() == word:
            self.i += 1
            return True
        return False

    def expect(self, kind: str, what: str) -> tuple[str, str, int]:
        tok = self.peek()
        if tok is None or tok[0] != kind:
            raise self.error(f"expected {what}, found {self.describe(tok)}")
        self.i += 1
        return tok

    @staticmethod
    def describe(tok: tuple[str, str, int] | None) -> str:
        return "the end" if tok is None else repr(tok[1])

    # -- grammar ------------------------------------------------------------------------------

    def parse_filter(self) -> Filter:
        result = self.or_expr(in_brackets=False)
        if self.peek() is not None:
            raise self.error(f"expected 'and', 'or' or the end, found {self.describe(self.peek())}")
        return result

    def parse_path(self) -> AttrPath:
        tok = self.expect("word", "an attribute name")
        path = _path_from_word(tok[1], tok[2], self.scim_type)
        nxt = self.peek()
        if nxt is not None and nxt[0] == "lb":
            path = self.value_path(path)
        if self.peek() is not None:
            raise self.error(f"unexpected {self.describe(self.peek())} after the path")
        return path

    def or_expr(self, in_brackets: bool) -> Filter:
        terms = [self.and_expr(in_brackets)]
        while self.keyword("or"):
            terms.append(self.and_expr(in_brackets))
        return terms[0] if len(terms) == 1 else Or(*terms)

    def and_expr(self, in_brackets: bool) -> Filter:
        terms = [self.unary(in_brackets)]
        while self.keyword("and"):
            terms.append(self.unary(in_brackets))
        return terms[0] if len(terms) == 1 else And(*terms)

    def unary(self, in_brackets: bool) -> Filter:
        tok = self.peek()
        if tok is None:
            raise self.error("expected an attribute, 'not' or '(', found the end")
        nxt = self.tokens[self.i + 1] if self.i + 1 < len(self.tokens) else None
        if tok[0] == "word" and tok[1].lower() == "not" and nxt is not None and nxt[0] == "lp":
            self.i += 1
            return Not(self.group(in_brackets))
        if tok[0] == "lp":
            return self.group(in_brackets)
        if tok[0] != "word":
            raise self.error(f"expected an attribute, 'not' or '(', found {self.describe(tok)}")
        return self.attr_expr(in_brackets)

    def group(self, in_brackets: bool) -> Filter:
        self.expect("lp", "'('")
        self.enter()
        inner = self.or_expr(in_brackets)
        self.expect("rp", "')'")
        self.depth -= 1
        return inner

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"nested more than {MAX_DEPTH} levels deep")

    def value_path(self, path: AttrPath) -> AttrPath:
        if path.sub is not None:
            raise self.error(f"a value filter cannot follow the sub-attribute in {path}")
        self.expect("lb", "'['")
        self.enter()
        inner = self.or_expr(in_brackets=True)
        self.expect("rb", "']'")
        self.depth -= 1
        sub: str | None = None
        tok = self.peek()
        if tok is not None and tok[0] == "sub":
            sub = tok[1][1:]
            self.i += 1
        return AttrPath(path.attr, sub, path.urn, inner)

    def attr_expr(self, in_brackets: bool) -> Filter:
        _, word, pos = self.tokens[self.i]
        self.terms += 1
        if self.terms > MAX_FILTER_TERMS:
            raise self.error(
                f"more than {MAX_FILTER_TERMS} comparisons; split the query into several", pos
            )
        self.i += 1
        path = _path_from_word(word, pos, self.scim_type)
        tok = self.peek()
        if tok is not None and tok[0] == "lb":
            if in_brackets:
                raise self.error("value filters cannot be nested")
            path = self.value_path(path)
            if path.sub is None:
                return ValueFilter(path)
        tok = self.peek()
        if tok is None or tok[0] != "word" or tok[1].lower() not in (*COMPARE_OPS, "pr"):
            if word.lower() == "not":
                raise self.error("'not' must be followed by '('", pos)
            raise self.error(
                f"expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after {word!r}, "
                f"found {self.describe(tok)}"
            )
        self.i += 1
        op = tok[1].lower()
        if op == "pr":
            return Present(path)
        value = self.literal()
        if op in ORDER_OPS and (value is None or isinstance(value, bool)):
            raise self.error(f"'{op}' cannot compare with {json.dumps(value)}", tok[2])
        if op in STRING_OPS and not isinstance(value, str):
            raise self.error(f"'{op}' needs a string value, not {json.dumps(value)}", tok[2])
        return Compare(path, op, value)  # type: ignore[arg-type]

    def literal(self) -> Literal_:
        tok = self.peek()
        if tok is None:
            raise self.error("expected a value, found the end")
        kind, text, pos = tok
        self.i += 1
        if kind == "str":
            return _decode_string(text, pos, self.scim_type)
        if kind == "num":
            if len(text) > MAX_NUMBER_LENGTH:
                raise self.error(f"a number longer than {MAX_NUMBER_LENGTH} characters", pos)
            return float(text) if any(c in text for c in ".eE") else int(text)
        if kind == "word" and text.lower() in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[text.lower()]
        hint = " (strings must be in double quotes)" if kind == "word" else ""
        raise self.error(
            f'expected a value ("string", number, true, false or null), found {text!r}{hint}', pos
        )
