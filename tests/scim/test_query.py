"""Query plans: which filters an index answers, which need a scan, which match nothing."""

from __future__ import annotations

from typing import Any

import pytest

from ecmactl.scim.evaluate import matches
from ecmactl.scim.filter import parse_filter
from ecmactl.scim.mapping import UserMapping
from ecmactl.scim.query import plan_query

from .conftest import BASE_URL, ECMA, rich_row, sample_row


@pytest.mark.parametrize(
    ("text", "column", "case_exact", "key", "exact"),
    [
        ('userName eq "BJensen"', "ContosoLogin", False, "bjensen", True),
        ('id eq "BJensen"', "ContosoLogin", True, "BJensen", True),
        (f'{ECMA}:ContosoLogin eq "X"', "ContosoLogin", False, "x", True),
        ('externalId eq "0A21F0F2"', "AzureID", False, "0a21f0f2", True),
        ('emails[type eq "work"].value eq "U@Contoso.com"', "Email", False, "u@contoso.com", True),
        ('emails.value eq "u@contoso.com"', "Email", False, "u@contoso.com", True),
        ('id eq "a" and manager eq "b"', "ContosoLogin", True, "a", False),
        ('name.familyName eq "J" and active eq true', "LastName", False, "j", False),
        (f"{ECMA}:AccountDisabled eq true", "AccountDisabled", False, True, True),
    ],
)
def test_index_plans(
    mapping: UserMapping, text: str, column: str, case_exact: bool, key: Any, exact: bool
) -> None:
    plan = plan_query(mapping, parse_filter(text))
    assert plan.kind == "index"
    assert plan.target is not None and plan.target.column is not None
    assert (plan.target.column.name, plan.target.case_exact, plan.key, plan.exact) == (
        column,
        case_exact,
        key,
        exact,
    )
    assert (plan.target.column, case_exact) in mapping.index_specs()


@pytest.mark.parametrize(
    "text",
    [
        'PLACEHOLDER eq "8646d011-1693-4cd3-9ee6-0d7482ca2219"',  # Entra's Test Connection probe
        'displayName eq "x"',  # a core attribute with no column
        f'{ECMA}:Nope eq "x"',
        'PLACEHOLDER eq "x" and userName pr',
        'userName eq "' + "x" * 129 + '"',  # longer than the column can hold
        f"{ECMA}:LastModified eq 7",
    ],
)
def test_nothing_can_match(mapping: UserMapping, text: str) -> None:
    assert plan_query(mapping, parse_filter(text)).kind == "none"


@pytest.mark.parametrize(
    "text",
    [
        'userName co "x"',
        'userName eq "a" or userName eq "b"',
        "active eq false",  # no index on active: rows with a NULL column are active too
        'meta.resourceType eq "User"',
        'emails[value eq "a@b"].value eq "a@b"',
        'not (userName eq "x")',
    ],
)
def test_scans(mapping: UserMapping, text: str) -> None:
    assert plan_query(mapping, parse_filter(text)).kind == "scan"


def test_integer_columns_are_indexed_by_number(rich_mapping: UserMapping) -> None:
    plan = plan_query(rich_mapping, parse_filter(f'{ECMA}:EmployeeNo eq "42"'))
    assert (plan.kind, plan.key) == ("index", 42)
    assert plan_query(rich_mapping, parse_filter(f'{ECMA}:EmployeeNo eq "x"')).kind == "none"


def test_plans_agree_with_evaluation(mapping: UserMapping) -> None:
    # Index each row per spec the way a host would, then compare with a scan for many filters.
    rows = [
        sample_row(),
        sample_row(ContosoLogin="Alice", Email="ALICE@contoso.com", AzureID="A1"),
        sample_row(ContosoLogin="carol", Email=None, AccountDisabled=True),
    ]
    indexes: dict[tuple[str, bool], dict[Any, list[dict[str, Any]]]] = {}
    for column, case_exact in mapping.index_specs():
        index = indexes.setdefault((column.name, case_exact), {})
        target = next(
            t
            for p in ("id", "userName", f"{ECMA}:{column.name}", "externalId", "emails")
            if (t := mapping.resolve(p)) is not None
            and t.column is column
            and t.case_exact == case_exact
        )
        for row in rows:
            index.setdefault(mapping.index_key(target, row[column.name]), []).append(row)
    resources = {mapping.resource_id(r): mapping.to_resource(r, BASE_URL) for r in rows}
    for text in [
        'userName eq "ALICE"',
        'id eq "alice"',
        'id eq "Alice"',
        'externalId eq "a1"',
        'emails[type eq "work"].value eq "alice@CONTOSO.com"',
        'userName eq "carol" and active eq false',
        'userName eq "carol" and active eq true',
        f'{ECMA}:AccountDisabled eq "True"',
        'PLACEHOLDER eq "x"',
    ]:
        flt = parse_filter(text)
        scanned = sorted(i for i, r in resources.items() if matches(flt, r, mapping.rules))
        plan = plan_query(mapping, flt)
        assert plan.kind in ("index", "none"), text
        found: list[str] = []
        if plan.kind == "index":
            assert plan.target is not None and plan.target.column is not None
            index = indexes[(plan.target.column.name, plan.target.case_exact)]
            found = [mapping.resource_id(r) for r in index.get(plan.key, [])]
            if not plan.exact:
                found = [i for i in found if matches(flt, resources[i], mapping.rules)]
        assert sorted(found) == scanned, text


def test_rich_rows_index_by_user_name(rich_mapping: UserMapping) -> None:
    plan = plan_query(rich_mapping, parse_filter('userName eq "Barbara@Contoso.com"'))
    assert plan.target is not None and plan.target.column is not None
    assert plan.target.column.name == "UPN"
    assert rich_mapping.index_key(plan.target, rich_row()["UPN"]) == plan.key
