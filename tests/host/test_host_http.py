"""Request helpers: query parsing, bearer tokens."""

from __future__ import annotations

from typing import Any

from ecmactl.host.auth import bearer_token
from ecmactl.host.http import log_safe_path, param_names, query_params


def _scope(query: bytes, path: str = "/x", raw: bytes | None = None) -> dict[str, Any]:
    scope: dict[str, Any] = {"query_string": query, "path": path, "headers": []}
    if raw is not None:
        scope["raw_path"] = raw
    return scope


def test_query_params_decode_like_a_form() -> None:
    params = query_params(
        _scope(b"aadOptscim062020&filter=userName+eq+%22a+b%2Bc%22&Count=5&count=7&x=%E2%82%AC")
    )
    assert params == {
        "aadoptscim062020": "",
        "filter": 'userName eq "a b+c"',
        "count": "7",
        "x": "€",
    }
    assert query_params(_scope(b"")) == {}
    assert param_names(_scope(b"filter=secret&count=1&filter=again")) == "filter,count"


def test_paths_in_logs_stay_encoded() -> None:
    assert log_safe_path(_scope(b"", raw=b"/Users/a%0Ab?x=1")) == "/Users/a%0Ab"
    assert log_safe_path(_scope(b"", path="/Users/a\nb")) == "/Users/a%0Ab"


def test_bearer_token() -> None:
    assert bearer_token(b"Bearer abc") == "abc"
    assert bearer_token(b"bearer   abc  ") == "abc"
    assert bearer_token(b"Basic abc") is None
    assert bearer_token(b"Bearer") is None
    assert bearer_token(None) is None
