"""Filter evaluation over resource dicts, and the equality lookup the host's index uses."""

from __future__ import annotations

import inspect
import sys
from typing import Any

import pytest

from ecmactl.scim.errors import ScimError
from ecmactl.scim.evaluate import (
    DEFAULT_RULES,
    AttributeRules,
    EqualityLookup,
    equality_lookup,
    matches,
)
from ecmactl.scim.filter import MAX_FILTER_TERMS, AttrPath, parse_filter
from ecmactl.scim.mapping import UserMapping

from .conftest import BASE_URL, ECMA, ENTERPRISE, sample_row

USER: dict[str, Any] = {
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
    "id": "2819c223-7f76-453a-919d-413861904646",
    "externalId": "BJensen-Ext",
    "userName": "bjensen@example.com",
    "name": {"familyName": "Jensen", "givenName": "Barbara"},
    "userType": "Employee",
    "title": "",
    "active": True,
    "loginCount": 12,
    "rating": 4.5,
    "emails": [
        {"value": "bjensen@example.com", "type": "work", "primary": True},
        {"value": "babs@jensen.org", "type": "home"},
    ],
    "roles": [],
    ENTERPRISE: {"employeeNumber": "701984", "department": "Tour Operations"},
    "meta": {
        "resourceType": "User",
        "created": "2010-01-23T04:56:22Z",
        "lastModified": "2011-05-13T04:42:34Z",
        "location": "https://example.com/v2/Users/2819c223",
    },
}


def check(
    text: str, resource: dict[str, Any] = USER, rules: AttributeRules = DEFAULT_RULES
) -> bool:
    return matches(parse_filter(text), resource, rules)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # eq / ne, case-insensitive strings
        ('userName eq "bjensen@example.com"', True),
        ('userName eq "BJENSEN@EXAMPLE.COM"', True),
        ('userName eq "other"', False),
        ('userName ne "other"', True),
        ('userName ne "BJensen@example.com"', False),
        # co / sw / ew
        ('userName co "JENSEN"', True),
        ('userName co "smith"', False),
        ('userName sw "bJ"', True),
        ('userName sw "jensen"', False),
        ('userName ew "EXAMPLE.com"', True),
        ('userName ew "example"', False),
        # gt / ge / lt / le on strings (case-insensitive, lexicographic)
        ('name.familyName gt "A"', True),
        ('name.familyName gt "jensen"', False),
        ('name.familyName ge "JENSEN"', True),
        ('name.familyName lt "K"', True),
        ('name.familyName le "jensen"', True),
        ('name.familyName lt "Jensen"', False),
        # pr
        ("name.givenName pr", True),
        ("title pr", False),  # empty string is not a value
        ("roles pr", False),  # empty list neither
        ("nickName pr", False),
        ("name pr", True),
        ("emails pr", True),
        # numbers
        ("loginCount eq 12", True),
        ("loginCount gt 11", True),
        ("loginCount ge 12.0", True),
        ("loginCount lt 12", False),
        ("loginCount le 12", True),
        ('loginCount eq "12"', True),  # Entra quotes every value
        ('loginCount eq "twelve"', False),
        ("rating gt 4", True),
        # booleans
        ("active eq true", True),
        ("active eq false", False),
        ("active ne false", True),
        ('active eq "True"', True),
        # dateTime compares chronologically
        ('meta.lastModified gt "2011-05-13T04:42:33Z"', True),
        ('meta.lastModified gt "2011-05-13T06:00:00+02:00"', True),
        ('meta.lastModified eq "2011-05-13T06:42:34+02:00"', True),
        ('meta.lastModified lt "2011-05-13"', False),
        ('meta.created ge "2010-01-23T04:56:22.000Z"', True),
        ('meta.lastModified sw "2011-05"', True),
        # null
        ("nickName eq null", True),
        ("userName eq null", False),
        ("userName ne null", True),
        ("nickName ne null", False),
        # absent attributes
        ('nickName eq "x"', False),
        ('nickName ne "x"', True),
        ('nickName co "x"', False),
    ],
)
def test_operators(text: str, expected: bool) -> None:
    assert check(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('id eq "2819c223-7f76-453a-919d-413861904646"', True),
        ('id eq "2819C223-7F76-453A-919D-413861904646"', False),  # id is caseExact
        ('externalId eq "bjensen-ext"', False),  # so is externalId (RFC 7643 §3.1)
        ('externalId eq "BJensen-Ext"', True),
        ('meta.location co "/V2/"', False),  # references are caseExact
    ],
)
def test_case_exact_attributes(text: str, expected: bool) -> None:
    assert check(text) is expected


def test_rules_can_make_an_attribute_case_exact() -> None:
    rules = AttributeRules({"userName": ("string", True)})
    assert check('userName eq "bjensen@example.com"', rules=rules)
    assert not check('userName eq "BJENSEN@example.com"', rules=rules)


def test_attribute_names_are_case_insensitive() -> None:
    assert check('USERNAME eq "bjensen@example.com"')
    assert check('Name.FamilyName eq "jensen"')
    assert check('EMAILS[TYPE eq "WORK"].VALUE eq "bjensen@example.com"')


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('a eq 1 or userName eq "bjensen@example.com"', True),
        ('userName eq "x" or userName eq "y"', False),
        ('userName eq "bjensen@example.com" and active eq true', True),
        ('userName eq "bjensen@example.com" and active eq false', False),
        ('not (userName eq "x")', True),
        ('not (userName eq "bjensen@example.com")', False),
        ('userName eq "x" or active eq true and title pr', False),  # and binds tighter
        ('(userName eq "x" or active eq true) and loginCount gt 1', True),
        (
            'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
            True,
        ),
    ],
)
def test_logical_operators(text: str, expected: bool) -> None:
    assert check(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('emails[type eq "work"]', True),
        ('emails[type eq "other"]', False),
        ('emails[type eq "work" and value co "@example.com"]', True),
        ('emails[type eq "home" and value co "@example.com"]', False),
        ('emails[type eq "work"].value eq "BJensen@example.com"', True),
        ('emails[type eq "home"].value eq "bjensen@example.com"', False),
        ('emails[primary eq true].value ew ".com"', True),
        ('emails[not (type eq "work")].value co "jensen.org"', True),
        ('emails.value eq "babs@jensen.org"', True),  # any value matches
        ('emails co "babs"', True),  # value is implied
        ('emails.type eq "home"', True),
        ('emails.value ne "babs@jensen.org"', False),  # ne: none of the values
        ('userName eq "x" or emails[type eq "home"]', True),
    ],
)
def test_multi_valued_and_value_paths(text: str, expected: bool) -> None:
    assert check(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f'{ENTERPRISE}:employeeNumber eq "701984"', True),
        (f'{ENTERPRISE.upper()}:EMPLOYEENUMBER eq "701984"', True),
        ('urn:ietf:params:scim:schemas:extension:enterprise:2.0User:department co "tour"', True),
        (f'{ENTERPRISE}:department eq "Sales"', False),
        ('urn:ietf:params:scim:schemas:core:2.0:User:userName sw "bjensen"', True),
        ('employeeNumber eq "701984"', True),  # bare extension name, tolerated
        ('urn:acme:ext:User:employeeNumber eq "701984"', False),  # another extension
    ],
)
def test_urn_qualified_attributes(text: str, expected: bool) -> None:
    assert check(text) is expected


def test_entra_probe_and_unknown_attributes_match_nothing() -> None:
    assert not check('PLACEHOLDER eq "8646d011-1693-4cd3-9ee6-0d7482ca2219"')
    assert not check('urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User:Nope eq "x"')
    assert not check('manager.value eq "x"')


@pytest.mark.parametrize(
    "text", ["active gt 1", 'active lt "x"', 'meta.lastModified gt "yesterday"']
)
def test_misuse_is_an_invalid_filter_error(text: str) -> None:
    with pytest.raises(ScimError) as info:
        check(text)
    assert (info.value.status, info.value.scim_type) == (400, "invalidFilter")


def test_chains_evaluate_without_recursing_through_them() -> None:
    # A chain of n terms was a left-deep tree of n binary nodes, evaluated by n nested calls:
    # with 1,000 terms a RecursionError. With a stack only 40 frames deeper than here, the
    # longest chain the parser accepts (MAX_FILTER_TERMS) must still evaluate.
    last = f'a pr or {ENTERPRISE}:department eq "Tour Operations"'
    chain = parse_filter(" or ".join(["nope pr"] * (MAX_FILTER_TERMS - 2)) + f" or {last}")
    both = parse_filter(" and ".join(["userName pr"] * (MAX_FILTER_TERMS - 1)) + " and a pr")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack(0)) + 40)
    try:
        found, missed = matches(chain, USER), matches(both, USER)
    finally:
        sys.setrecursionlimit(limit)
    assert (found, missed) == (True, False)


def test_type_mismatches_do_not_match() -> None:
    assert not check('name eq "x"')  # a complex value without a value sub-attribute
    assert not check("userName eq 1")
    assert not check("userName gt 1")


def test_mapping_rules_compare_extension_columns_by_type(mapping: UserMapping) -> None:
    resource = mapping.to_resource(sample_row(AccountDisabled=True), BASE_URL)
    assert matches(parse_filter(f"{ECMA}:AccountDisabled eq true"), resource, mapping.rules)
    assert matches(parse_filter("active eq false"), resource, mapping.rules)
    lm = f'{ECMA}:LastModified gt "2024-05-13T06:00:00+02:00"'
    assert matches(parse_filter(lm), resource, mapping.rules)
    assert matches(parse_filter('contosologin eq "BJENSEN"'), resource, mapping.rules)
    assert not matches(parse_filter('id eq "BJENSEN"'), resource, mapping.rules)
    guid = sample_row()["AzureID"].upper()  # SQL Server's spelling of a uniqueidentifier
    assert matches(parse_filter(f'externalId eq "{guid}"'), resource, mapping.rules)


# -- equality lookup ------------------------------------------------------------------------------


def test_plain_equality_is_an_exact_lookup() -> None:
    found = equality_lookup(parse_filter('userName eq "x"'))
    assert found == EqualityLookup(AttrPath("userName"), "x", True)


def test_one_side_of_an_and_is_a_partial_lookup() -> None:
    found = equality_lookup(parse_filter('id eq "a" and manager eq "b"'))
    assert found == EqualityLookup(AttrPath("id"), "a", False)
    found = equality_lookup(parse_filter('title pr and externalId eq "e"'))
    assert found == EqualityLookup(AttrPath("externalId"), "e", False)
    found = equality_lookup(parse_filter("(a pr and b eq 1) and c pr"))
    assert found == EqualityLookup(AttrPath("b"), 1, False)
    found = equality_lookup(parse_filter("a pr and b pr and c eq 2 and d eq 3"))
    assert found == EqualityLookup(AttrPath("c"), 2, False)


def test_value_path_equality_is_a_lookup() -> None:
    found = equality_lookup(parse_filter('emails[type eq "work"].value eq "u@contoso.com"'))
    assert found is not None
    assert str(found.path) == 'emails[type eq "work"].value'
    assert found.exact


def test_urn_equality_is_a_lookup() -> None:
    found = equality_lookup(parse_filter(f'{ECMA}:ContosoLogin eq "x"'))
    assert found == EqualityLookup(AttrPath("ContosoLogin", urn=ECMA), "x", True)


@pytest.mark.parametrize(
    "text",
    [
        'userName ne "x"',
        'userName co "x"',
        "userName eq null",
        "title pr",
        'a eq "x" or b eq "y"',
        'not (a eq "x")',
        'emails[type eq "work"]',
        'a pr and b co "x"',
    ],
)
def test_other_filters_need_a_scan(text: str) -> None:
    assert equality_lookup(parse_filter(text)) is None


def test_entra_probe_is_a_lookup_the_mapping_cannot_resolve(mapping: UserMapping) -> None:
    found = equality_lookup(parse_filter('PLACEHOLDER eq "8646d011-1693-4cd3-9ee6-0d7482ca2219"'))
    assert found is not None
    assert mapping.resolve(found.path) is None
