"""The filter and path grammar (RFC 7644 §3.4.2.2, §3.5.2), including what Entra sends."""

from __future__ import annotations

import pytest

from ecmactl.scim.errors import ScimError
from ecmactl.scim.filter import (
    MAX_DEPTH,
    MAX_FILTER_LENGTH,
    MAX_FILTER_TERMS,
    MAX_NUMBER_LENGTH,
    And,
    AttrPath,
    Compare,
    Not,
    Or,
    Present,
    ValueFilter,
    parse_filter,
    parse_path,
)

ECMA = "urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def eq(attr: str, value: object, **kw: object) -> Compare:
    return Compare(AttrPath(attr, **kw), "eq", value)  # type: ignore[arg-type]


@pytest.mark.parametrize("op", ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"])
def test_every_comparison_operator(op: str) -> None:
    assert parse_filter(f'title {op} "x"') == Compare(AttrPath("title"), op, "x")  # type: ignore[arg-type]


@pytest.mark.parametrize("op", ["EQ", "Eq", "eQ"])
def test_operators_are_case_insensitive(op: str) -> None:
    assert parse_filter(f'userName {op} "bjensen"') == eq("userName", "bjensen")
    assert parse_filter(f'userName {op} "bjensen" AND title PR') == And(
        eq("userName", "bjensen"), Present(AttrPath("title"))
    )


def test_present() -> None:
    assert parse_filter("title pr") == Present(AttrPath("title"))
    assert parse_filter("name.givenName PR") == Present(AttrPath("name", "givenName"))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('a eq "x"', "x"),
        ('a eq "with \\"quotes\\" and \\u00e9"', 'with "quotes" and é'),
        ('a eq ""', ""),
        ("a eq 42", 42),
        ("a eq -7", -7),
        ("a eq 1.5", 1.5),
        ("a eq 2e3", 2000.0),
        ("a eq true", True),
        ("a eq FALSE", False),
        ("a eq null", None),
        ("a eq Null", None),
    ],
)
def test_literals(text: str, value: object) -> None:
    result = parse_filter(text)
    assert isinstance(result, Compare)
    assert result.value == value
    assert type(result.value) is type(value)


def test_and_binds_tighter_than_or() -> None:
    a, b, c = eq("a", 1), eq("b", 2), eq("c", 3)
    assert parse_filter("a eq 1 or b eq 2 and c eq 3") == Or(a, And(b, c))
    assert parse_filter("a eq 1 and b eq 2 or c eq 3") == Or(And(a, b), c)


def test_parentheses_override_precedence() -> None:
    a, b, c = eq("a", 1), eq("b", 2), eq("c", 3)
    assert parse_filter("(a eq 1 or b eq 2) and c eq 3") == And(Or(a, b), c)
    assert parse_filter("((a eq 1))") == a


def test_not_binds_tighter_than_and() -> None:
    a, b = eq("a", 1), eq("b", 2)
    assert parse_filter("not (a eq 1) and b eq 2") == And(Not(a), b)
    assert parse_filter("NOT(a eq 1)") == Not(a)


def test_and_or_chains_are_one_n_ary_node() -> None:
    a, b, c = eq("a", 1), eq("b", 2), eq("c", 3)
    assert parse_filter("a eq 1 and b eq 2 and c eq 3") == And(a, b, c)
    assert parse_filter("a eq 1 or b eq 2 or c eq 3") == Or(a, b, c)
    assert parse_filter("a eq 1 or b eq 2 and c eq 3 or a eq 1") == Or(a, And(b, c), a)
    assert parse_filter("(a eq 1 or b eq 2) or c eq 3") == Or(Or(a, b), c)  # brackets stay


def test_rfc_example_with_everything() -> None:
    text = 'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")'
    assert parse_filter(text) == And(
        eq("userType", "Employee"),
        Or(
            Compare(AttrPath("emails"), "co", "example.com"),
            Compare(AttrPath("emails", "value"), "co", "example.org"),
        ),
    )


def test_value_path_filter() -> None:
    work = eq("type", "work")
    assert parse_filter('emails[type eq "work"]') == ValueFilter(AttrPath("emails", filter=work))
    assert parse_filter('emails[type eq "work" and value co "@example.com"]') == ValueFilter(
        AttrPath("emails", filter=And(work, Compare(AttrPath("value"), "co", "@example.com")))
    )


def test_value_path_with_sub_attribute_in_a_comparison() -> None:
    # Entra's uniqueness query: emails[type eq "work"].value eq "user@contoso.com"
    result = parse_filter('emails[type eq "work"].value eq "user@contoso.com"')
    assert result == Compare(
        AttrPath("emails", "value", filter=eq("type", "work")), "eq", "user@contoso.com"
    )


def test_value_filter_combined_with_logic() -> None:
    result = parse_filter('userType eq "Employee" and emails[type eq "work" and value co "@x"]')
    assert isinstance(result, And)
    assert isinstance(result.terms[1], ValueFilter)


@pytest.mark.parametrize(
    ("text", "path"),
    [
        (f'{ECMA}:ContosoLogin eq "x"', AttrPath("ContosoLogin", urn=ECMA)),
        (f'{ENTERPRISE}:employeeNumber eq "x"', AttrPath("employeeNumber", urn=ENTERPRISE)),
        (f'{ENTERPRISE}:manager.value eq "x"', AttrPath("manager", "value", urn=ENTERPRISE)),
        ('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x"', AttrPath("userName")),
        (
            'urn:ietf:params:scim:schemas:core:2.0:User:name.givenName eq "x"',
            AttrPath("name", "givenName"),
        ),
        # Microsoft's typo, and other spellings of the same URN
        (
            'urn:ietf:params:scim:schemas:extension:enterprise:2.0User:department eq "x"',
            AttrPath("department", urn=ENTERPRISE),
        ),
        (f'{ECMA.upper()}:ContosoLogin eq "x"', AttrPath("ContosoLogin", urn=ECMA)),
        (
            'urn:acme:ext:1.0:User:costCode eq "x"',
            AttrPath("costCode", urn="urn:acme:ext:1.0:User"),
        ),
        ('msDS-UserAccountDisabled eq "x"', AttrPath("msDS-UserAccountDisabled")),
        ('$ref eq "x"', AttrPath("$ref")),
    ],
)
def test_urn_qualified_and_special_names(text: str, path: AttrPath) -> None:
    result = parse_filter(text)
    assert isinstance(result, Compare)
    assert result.path == path


def test_urn_qualified_names_work_in_full_filters_too() -> None:
    result = parse_filter(f'{ECMA}:ContosoLogin eq "x" or {ENTERPRISE}:department pr')
    assert result == Or(
        Compare(AttrPath("ContosoLogin", urn=ECMA), "eq", "x"),
        Present(AttrPath("department", urn=ENTERPRISE)),
    )


def test_entra_test_connection_probe_parses() -> None:
    result = parse_filter('PLACEHOLDER eq "8646d011-1693-4cd3-9ee6-0d7482ca2219"')
    assert result == eq("PLACEHOLDER", "8646d011-1693-4cd3-9ee6-0d7482ca2219")


def test_extra_whitespace_is_tolerated() -> None:
    assert parse_filter('  userName   eq\t"x"  ') == eq("userName", "x")
    assert parse_filter("( a eq 1 )  and  ( b eq 2 )") == And(eq("a", 1), eq("b", 2))


def test_attribute_names_keep_their_spelling_but_keys_are_lower_case() -> None:
    result = parse_filter('USERNAME eq "x"')
    assert isinstance(result, Compare)
    assert result.path.attr == "USERNAME"
    assert result.path.key == "username"
    assert parse_path(f"{ECMA}:FirstName").key == f"{ECMA.lower()}:firstname"
    assert parse_path('emails[Type EQ "Work"].Value').key == 'emails[type eq "work"].value'


@pytest.mark.parametrize(
    "text",
    [
        'userName eq "bjensen"',
        "a eq 1 or b eq 2 and c eq 3",
        "not (a eq 1 or b eq 2) and c pr",
        'emails[type eq "work" and value co "@"]',
        'emails[type eq "work"].value eq "a@b"',
        f'{ECMA}:ContosoLogin eq "x"',
        'meta.lastModified gt "2011-05-13T04:42:34Z"',
        'a eq "quote \\" here"',
    ],
)
def test_str_round_trips(text: str) -> None:
    parsed = parse_filter(text)
    assert parse_filter(str(parsed)) == parsed


# -- malformed filters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("userName", "expected an operator"),
        ('userName "x"', "expected an operator"),
        ('userName equals "x"', "after 'userName', found 'equals'"),
        ("userName eq", "expected a value"),
        ("userName eq bjensen", "strings must be in double quotes"),
        ("userName eq 'bjensen'", "strings must be in double quotes"),
        ('userName eq "bjensen', "unterminated string"),
        ('userName eq "bad \\x escape"', "invalid escape"),
        ("(a eq 1", "expected ')'"),
        ("a eq 1)", "found ')'"),
        ("()", "expected an attribute"),
        ("a eq 1 and", "found the end"),
        ("and a eq 1", "expected an operator"),
        ("a eq 1 b eq 2", "expected 'and', 'or'"),
        ('a eq "x" "y"', "expected 'and', 'or'"),
        ("not a eq 1", "'not' must be followed by '('"),
        ('emails[type eq "work"', "expected ']'"),
        ('emails[type eq "work"]]', "found ']'"),
        ("emails[]", "expected an attribute"),
        ('emails[type[value eq 1] eq "x"]', "cannot be nested"),
        ('emails[type eq "work"] eq "x"', "expected 'and', 'or'"),
        ('emails[type eq "work"].value', "expected an operator"),
        ("a gt true", "'gt' cannot compare with true"),
        ("a le null", "'le' cannot compare with null"),
        ("a co 1", "'co' needs a string value"),
        ("a sw true", "'sw' needs a string value"),
        ("a ew null", "'ew' needs a string value"),
        ("a..b eq 1", "not a valid attribute path"),
        ("name.givenName.x eq 1", "not a valid attribute path"),
        ("1abc eq 1", "unexpected character"),
        ("a eq 12abc", "unexpected character"),
        ("a # 1", "unexpected character"),
        ("a eq 1 && b eq 2", "unexpected character"),
        ('urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User: eq "x"', "not a valid"),
    ],
)
def test_malformed_filters_are_invalid_filter_errors(text: str, message: str) -> None:
    with pytest.raises(ScimError) as info:
        parse_filter(text)
    assert info.value.status == 400
    assert info.value.scim_type == "invalidFilter"
    assert message in info.value.detail


def test_error_detail_gives_the_position() -> None:
    with pytest.raises(ScimError) as info:
        parse_filter('userName equals "x"')
    assert info.value.detail.endswith("(at character 10)")


def test_too_long_and_too_deep_filters_are_refused() -> None:
    with pytest.raises(ScimError, match="longer than"):
        parse_filter('a eq "' + "x" * MAX_FILTER_LENGTH + '"  and b pr')
    with pytest.raises(ScimError, match="nested more than"):
        parse_filter("(" * (MAX_DEPTH + 1) + "a pr" + ")" * (MAX_DEPTH + 1))
    assert parse_filter("(" * MAX_DEPTH + "a pr" + ")" * MAX_DEPTH) == Present(AttrPath("a"))


def test_a_number_of_thousands_of_digits_is_an_invalid_filter() -> None:
    # Python refuses to convert an int of over 4,300 digits (a ValueError, once a 500).
    with pytest.raises(ScimError) as info:
        parse_filter("userName eq " + "1" * 5000)
    assert (info.value.status, info.value.scim_type) == (400, "invalidFilter")
    assert f"a number longer than {MAX_NUMBER_LENGTH} characters" in info.value.detail
    assert parse_filter("a eq " + "9" * MAX_NUMBER_LENGTH) == eq("a", int("9" * MAX_NUMBER_LENGTH))


@pytest.mark.parametrize("joiner", [" or ", " and "])
def test_a_long_chain_of_terms_is_an_invalid_filter(joiner: str) -> None:
    # 1,000 operands once nested 1,000 binary nodes deep: a RecursionError (500) when evaluated.
    with pytest.raises(ScimError) as info:
        parse_filter(joiner.join(["a pr"] * 1000))
    assert (info.value.status, info.value.scim_type) == (400, "invalidFilter")
    assert f"more than {MAX_FILTER_TERMS} comparisons" in info.value.detail
    most = parse_filter(joiner.join(["a pr"] * MAX_FILTER_TERMS))
    assert isinstance(most, Or | And) and len(most.terms) == MAX_FILTER_TERMS


def test_a_long_chain_in_a_value_filter_is_an_invalid_filter() -> None:
    # emails[x pr or …×400]: a RecursionError in AttrPath.__str__ (its key) while parsing.
    text = "emails[" + " or ".join(["x pr"] * 400) + "]"
    for parse, kind in ((parse_filter, "invalidFilter"), (parse_path, "invalidPath")):
        with pytest.raises(ScimError) as info:
            parse(text)
        assert (info.value.status, info.value.scim_type) == (400, kind)
    widest = parse_path("emails[" + " or ".join(["x pr"] * MAX_FILTER_TERMS) + "]")
    assert widest.key.count(" or ") == MAX_FILTER_TERMS - 1


def test_a_lone_surrogate_in_a_string_literal_is_an_invalid_value() -> None:
    with pytest.raises(ScimError) as info:
        parse_filter('userName eq "a\\ud800"')
    assert (info.value.status, info.value.scim_type) == (400, "invalidValue")
    assert "lone UTF-16 surrogate" in info.value.detail
    with pytest.raises(ScimError, match="surrogate"):
        parse_filter('a pr and userName eq "\\udfff"')
    assert parse_filter('userName eq "\\ud83d\\ude00"') == eq("userName", "\U0001f600")  # a pair


# -- PATCH paths ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("userName", AttrPath("userName")),
        ("name.familyName", AttrPath("name", "familyName")),
        ('emails[type eq "work"].value', AttrPath("emails", "value", filter=eq("type", "work"))),
        ('emails[type eq "work"]', AttrPath("emails", filter=eq("type", "work"))),
        ('members[value eq "7f4b"]', AttrPath("members", filter=eq("value", "7f4b"))),
        (f"{ENTERPRISE}:employeeNumber", AttrPath("employeeNumber", urn=ENTERPRISE)),
        (f"{ECMA}:AccountDisabled", AttrPath("AccountDisabled", urn=ECMA)),
    ],
)
def test_patch_paths(text: str, path: AttrPath) -> None:
    assert parse_path(text) == path
    assert str(parse_path(text)) == text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a b",
        'userName eq "x"',
        "emails[type eq]",
        "name.",
        "(userName)",
        'emails[type eq "w"].value.x',
    ],
)
def test_malformed_paths_are_invalid_path_errors(text: str) -> None:
    with pytest.raises(ScimError) as info:
        parse_path(text)
    assert (info.value.status, info.value.scim_type) == (400, "invalidPath")
    assert info.value.detail.startswith("Invalid path")
