"""ScimError and its RFC 7644 §3.12 body."""

from __future__ import annotations

from typing import Any

import pytest

from ecmactl.scim.errors import ERROR_URN, ScimError


def test_document_has_string_status_scim_type_and_detail() -> None:
    error = ScimError(400, "invalidFilter", "bad filter")
    assert error.to_document() == {
        "schemas": [ERROR_URN],
        "status": "400",
        "scimType": "invalidFilter",
        "detail": "bad filter",
    }
    assert str(error) == "bad filter"


def test_document_leaves_out_what_is_not_set() -> None:
    assert ScimError(404).to_document() == {"schemas": [ERROR_URN], "status": "404"}


@pytest.mark.parametrize(
    ("error", "status", "scim_type"),
    [
        (ScimError.not_found("abc"), 404, None),
        (ScimError.bad_request("invalidPath", "x"), 400, "invalidPath"),
        (ScimError.conflict("dup"), 409, "uniqueness"),
    ],
)
def test_constructors(error: ScimError, status: int, scim_type: str | None) -> None:
    assert (error.status, error.scim_type) == (status, scim_type)


def test_not_found_detail_matches_the_entra_tutorial_shape() -> None:
    assert ScimError.not_found("5171a35d").detail == "Resource 5171a35d not found"


def test_documents_are_valid_scim_errors(sm: Any) -> None:
    for error in (
        ScimError(400, "mutability", "anchor"),
        ScimError(404),
        ScimError(409, "uniqueness"),
    ):
        model = sm.Error.model_validate(error.to_document())
        assert model.status == error.status
        assert model.scim_type == error.scim_type
