"""Request bodies as JSON: bounded depth without recursion, valid Unicode, no NaN."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from ecmactl.host.json_body import MAX_JSON_DEPTH, parse_json, too_deep
from ecmactl.scim.errors import ScimError


def depth(document: Any) -> int:
    """Nesting of arrays and objects, the obvious (recursive) way."""
    if isinstance(document, dict):
        return 1 + max(map(depth, document.values()), default=0)
    if isinstance(document, list):
        return 1 + max(map(depth, document), default=0)
    return 0


def nested(levels: int) -> str:
    """Objects in arrays, ``levels`` deep in all: ``[{"a":[{"a":…1}]}]``."""
    arrays, objects = levels - levels // 2, levels // 2
    return (
        '[{"a":' * objects
        + "[" * (arrays - objects)
        + "1"
        + "]" * (arrays - objects)
        + ("}]" * objects)
    )


def _refused(body: bytes) -> ScimError:
    with pytest.raises(ScimError) as info:
        parse_json(body)
    assert info.value.status == 400
    return info.value


texts = st.text(alphabet=st.sampled_from('ab"\\[]{}: ,é\n'), max_size=6)
documents = st.recursive(
    st.none() | st.booleans() | st.integers() | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=40,
)


@given(documents, st.integers(min_value=0, max_value=12))
@example(["[[[[", {"]]]]": "{{"}], 2)
@example({"a": 'x\\"]]]"'}, 1)
def test_the_depth_scan_is_exact_for_valid_json(document: Any, limit: int) -> None:
    # Brackets and escaped quotes inside strings are no nesting.
    text = json.dumps(document, ensure_ascii=False)
    assert too_deep(text, limit) == (depth(document) > limit)


def test_json_nested_1000_deep_is_400_invalid_syntax() -> None:
    # json.loads recursed into a RecursionError: an internal error (500) once.
    for body in ("[" * 1000 + "]" * 1000, nested(1000), "[" * 100_000):
        error = _refused(body.encode())
        assert error.scim_type == "invalidSyntax"
        assert f"more than {MAX_JSON_DEPTH} levels deep" in error.detail
    assert _refused(nested(MAX_JSON_DEPTH + 1).encode()).scim_type == "invalidSyntax"
    assert depth(parse_json(nested(MAX_JSON_DEPTH).encode())) == MAX_JSON_DEPTH


def test_many_brackets_that_do_not_nest_deeply_are_fine() -> None:
    operations = [{"op": "add", "path": f"a{i}", "value": [{"v": "[{"}]} for i in range(500)]
    assert parse_json(json.dumps({"Operations": operations}).encode())["Operations"][499]


@pytest.mark.parametrize(
    "body",
    [
        b'{"userName": "a\\ud800"}',
        b'{"userName": "\\udfff b"}',
        b'{"urn:x:y": {"x\\ud800": 1}}',
        b'{"emails": [{"value": "\\ude00\\ud83d"}]}',  # a pair in the wrong order
    ],
)
def test_a_lone_surrogate_is_400_invalid_value(body: bytes) -> None:
    # Python decodes "\ud800" into a str nothing can encode as UTF-8: the SQLite driver, and
    # the error document naming an unknown attribute, failed with UnicodeEncodeError (500s).
    error = _refused(body)
    assert error.scim_type == "invalidValue"
    assert "lone UTF-16 surrogate" in error.detail
    error.detail.encode()  # the detail itself names the place and can be sent


def test_a_lone_surrogate_is_located() -> None:
    error = _refused(b'{"Operations": [{"op": "add", "value": {"title": "\\ud800"}}]}')
    assert "at Operations[0].value.title:" in error.detail


def test_valid_unicode_passes() -> None:
    assert parse_json(b'{"a": "\\ud83d\\ude00 \\\\ud800", "b": "\xc3\xa9"}') == {
        "a": "\U0001f600 \\ud800",
        "b": "é",
    }
    assert parse_json('{"a": "é"}'.encode("utf-16")) == {"a": "é"}  # RFC 8259 §8.1 detection
    assert parse_json(b'\xef\xbb\xbf{"a": 1}') == {"a": 1}  # a UTF-8 byte order mark


@pytest.mark.parametrize(
    "body",
    [b'{"a": "\xff"}', b'{"a": "\xed\xa0\x80"}', b'{"a": "\xc3"}'],  # \xed\xa0\x80: U+D800
)
def test_invalid_utf8_is_400_invalid_value(body: bytes) -> None:
    error = _refused(body)
    assert error.scim_type == "invalidValue" and "not valid UTF-8" in error.detail


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"a": NaN}', "NaN is not a JSON value"),
        (b'{"a": -Infinity}', "-Infinity is not a JSON value"),
        (b'{"a": ' + b"1" * 5000 + b"}", "not valid JSON"),  # Python's 4,300-digit limit
        (b"  ", "empty"),
    ],
)
def test_what_is_not_json_is_400_invalid_syntax(body: bytes, message: str) -> None:
    error = _refused(body)
    assert error.scim_type == "invalidSyntax" and message in error.detail


def test_an_unterminated_string_of_escapes_is_scanned_in_linear_time():
    """`[`×65 then `"` and `\\"` escapes to the end of 1 MiB: the skeleton scan once retried
    the string from every later quote (quadratic: 80 KB took 19 s on the event loop). A
    liveness bound in a child process, not a speed check: linear is milliseconds, the old scan
    would take most of an hour."""
    import subprocess
    import sys

    code = (
        "from ecmactl.host.json_body import too_deep\n"
        "assert too_deep('[' * 65 + '\"' + '\\\\\"' * 500_000)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], timeout=30, capture_output=True)
    assert done.returncode == 0, done.stderr
