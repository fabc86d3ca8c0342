"""Suggested core SCIM bindings from column names, so the defaults work for most tables."""

from __future__ import annotations

import re

from ecmactl.config.models import Column

# Normalised column name (lowercase, no separators) -> core SCIM attribute.
_RULES: tuple[tuple[str, str], ...] = (
    (
        r"(user|login|account)(name)?|username|samaccountname|upn|userprincipalname|.*login",
        "userName",
    ),
    (r"azureid|objectid|entraid|aadid|externalid|immutableid", "externalId"),
    (r"displayname|fullname", "displayName"),
    (r"first(name)?|givenname|forename", "name.givenName"),
    (r"last(name)?|surname|familyname|sn", "name.familyName"),
    (r"e?mail(address)?|emailaddress|workemail", 'emails[type eq "work"].value'),
    (r"(work)?phone(number)?|telephone(number)?", 'phoneNumbers[type eq "work"].value'),
    (r"(job)?title", "title"),
    (r"nickname|mailnickname", "nickName"),
    (
        r"employee(id|number|no)|empno|personnelnumber",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
    ),
    (r"department|dept", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"),
    (r"(is)?(active|enabled)", "active"),
)


def _normalise(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def suggest_bindings(
    columns: list[Column], selected: list[str], anchor: str | None
) -> dict[str, str]:
    """Column -> core attribute for the selected columns; each core attribute used once."""
    by_name = {c.name: c for c in columns}
    out: dict[str, str] = {}
    used: set[str] = set()
    for name in selected:
        column = by_name.get(name)
        if column is None:
            continue
        key = _normalise(name)
        for pattern, target in _RULES:
            if target in used or not re.fullmatch(pattern, key):
                continue
            if target == "active" and column.data_type != "Boolean":
                continue
            if target != "active" and column.data_type == "Boolean":
                continue
            out[name] = target
            used.add(target)
            break
    # userName is the one attribute every SCIM client expects: fall back to the anchor.
    if "userName" not in used and anchor and anchor in selected and anchor not in out:
        out[anchor] = "userName"
    return {name: out.get(name, "(none)") for name in selected}


# A disable column whose name says "disabled" gets true on disable; one that says "enabled"
# gets false. Checked on the normalised name, whole-name matches only (so "Inactive" is not
# read as "Active", and "ActiveDirectoryId" says nothing).
_TRUE_WHEN_DISABLED = re.compile(
    r"(is|account|user)?(disabled|deactivated|inactive|locked|lockedout|suspended|blocked)"
)
_FALSE_WHEN_DISABLED = re.compile(r"(is|account|user)?(enabled|active|activated)")


def disable_value_for(column: str | None) -> bool | None:
    """The value to write on disable that the column's name implies, or None if it says none."""
    if not column:
        return None
    key = _normalise(column)
    if _TRUE_WHEN_DISABLED.fullmatch(key):
        return True
    if _FALSE_WHEN_DISABLED.fullmatch(key):
        return False
    return None
