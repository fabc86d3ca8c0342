"""SCIM protocol errors (RFC 7644 §3.12) as one exception type the host turns into a response.

Everything in ``ecmactl.scim`` that rejects a request raises :class:`ScimError`; the host catches
it and answers ``status`` with ``to_document()`` as an ``application/scim+json`` body. Details are
written for the administrator reading Entra's provisioning logs: they name the attribute, the
column, and where a filter went wrong. They never contain secrets.
"""

from __future__ import annotations

from typing import Any, Literal

ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error"

# RFC 7644 §3.12, table 9; "sensitive" and "invalidVers" are listed for completeness.
ScimType = Literal[
    "invalidFilter",
    "tooMany",
    "uniqueness",
    "mutability",
    "invalidSyntax",
    "invalidPath",
    "noTarget",
    "invalidValue",
    "invalidVers",
    "sensitive",
]


class ScimError(Exception):
    """A request the SCIM layer refuses: HTTP ``status``, RFC ``scim_type`` and a ``detail``."""

    def __init__(self, status: int, scim_type: ScimType | None = None, detail: str = "") -> None:
        super().__init__(detail or f"HTTP {status}")
        self.status = status
        self.scim_type = scim_type
        self.detail = detail

    def to_document(self) -> dict[str, Any]:
        """The RFC 7644 §3.12 error body; ``status`` is a string, as the RFC's examples show."""
        doc: dict[str, Any] = {"schemas": [ERROR_URN], "status": str(self.status)}
        if self.scim_type is not None:
            doc["scimType"] = self.scim_type
        if self.detail:
            doc["detail"] = self.detail
        return doc

    def __repr__(self) -> str:
        return f"ScimError({self.status}, {self.scim_type!r}, {self.detail!r})"

    @classmethod
    def not_found(cls, resource_id: str) -> ScimError:
        return cls(404, None, f"Resource {resource_id} not found")

    @classmethod
    def bad_request(cls, scim_type: ScimType, detail: str) -> ScimError:
        return cls(400, scim_type, detail)

    @classmethod
    def conflict(cls, detail: str) -> ScimError:
        """A uniqueness violation (409, RFC 7644 §3.3), e.g. a duplicate anchor on create."""
        return cls(409, "uniqueness", detail)
