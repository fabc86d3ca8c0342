"""Reading the host's status document (``ecmactl.status_document``) into what a report shows."""

from __future__ import annotations

from ecmactl.status_document import ConnectorStatus, ErrorStatus


def request_totals(counts: dict[str, int]) -> tuple[int, int | None]:
    """(requests, server errors) from the host's counts: ``total`` and one per class, 2xx … 5xx."""
    total = counts.get("total")
    if total is None:
        total = sum(count for key, count in counts.items() if key.endswith("xx"))
    return total, counts.get("5xx")


def error_text(error: ErrorStatus | None) -> str | None:
    """An error the host recorded, as status shows it: ``message (at time)``."""
    if error is None or not error["message"]:
        return None
    at = error["at"]
    return error["message"] + (f" (at {at})" if at else "")


def auth_error(connector: ConnectorStatus) -> str | None:
    """Why the host cannot authenticate this connector's requests, or None when it can."""
    authentication = connector["authentication"]
    if authentication["ok"]:
        return None
    return authentication["error"] or "cannot read the secret token"
