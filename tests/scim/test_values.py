"""Single values between column data types and SCIM JSON."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from ecmactl.config.models import Column
from ecmactl.scim.errors import ScimError
from ecmactl.scim.values import parse_bool, time_zone, to_db, to_scim


def col(data_type: Any, **kw: Any) -> Column:
    return Column("C", "sql", data_type, **kw)


@pytest.mark.parametrize(
    ("data_type", "db", "scim"),
    [
        ("String", "x", "x"),
        ("String", 12, "12"),
        ("Integer", 7, 7),
        ("Integer", Decimal("7"), 7),
        ("Integer", True, 1),
        ("Boolean", True, True),
        ("Boolean", 0, False),
        ("Boolean", "1", True),
        ("Boolean", "False", False),
        ("Boolean", 5, True),
        ("DateTime", datetime(2024, 1, 2, 3, 4, 5), "2024-01-02T03:04:05Z"),
        ("DateTime", datetime(2024, 1, 2, 3, 4, 5, 600000), "2024-01-02T03:04:05.600000Z"),
        (
            "DateTime",
            datetime(2024, 1, 2, 5, 4, 5, tzinfo=timezone(timedelta(hours=2))),
            "2024-01-02T03:04:05Z",
        ),
        ("DateTime", date(2024, 1, 2), "2024-01-02"),
        ("DateTime", "2024-01-02 03:04:05", "2024-01-02 03:04:05"),
        ("Binary", b"\x00\x01\xff", "AAH/"),
        ("Binary", memoryview(b"ab"), "YWI="),
        ("Binary", "already text", "already text"),
        ("String", None, None),
    ],
)
def test_to_scim(data_type: Any, db: Any, scim: Any) -> None:
    assert to_scim(col(data_type), db, UTC) == scim


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        (True, True),
        (False, False),
        ("True", True),
        ("false", False),
        (" TRUE ", True),
        (1, True),
        (0, False),
        ("1", True),
        ("0", False),
        ("yes", None),
        (2, None),
        (None, None),
        (1.0, None),
    ],
)
def test_parse_bool(value: Any, parsed: bool | None) -> None:
    assert parse_bool(value) is parsed


def test_time_zones() -> None:
    assert time_zone("UTC") is UTC
    assert time_zone("z") is UTC
    assert str(time_zone("Europe/Paris")) == "Europe/Paris"


def test_date_times_are_stored_naive_in_the_data_source_zone() -> None:
    paris = time_zone("Europe/Paris")
    assert to_db(col("DateTime"), "2024-01-02T03:04:05Z", "a", paris) == datetime(
        2024, 1, 2, 4, 4, 5
    )
    assert to_db(col("DateTime"), "2024-01-02", "a", UTC) == datetime(2024, 1, 2)


def test_max_length_of_binary() -> None:
    assert to_db(col("Binary", max_length=3), "AAH/", "a", UTC) == b"\x00\x01\xff"
    with pytest.raises(ScimError, match="is 4 bytes; the most is 3"):
        to_db(col("Binary", max_length=3), "AAECAw==", "a", UTC)


def test_long_values_are_shortened_in_messages() -> None:
    with pytest.raises(ScimError) as info:
        to_db(col("Integer"), "9" * 60 + "x", "a", UTC)
    assert info.value.detail.endswith("...")
    assert len(info.value.detail) < 120


def test_a_nul_character_is_refused_for_every_database() -> None:
    # PostgreSQL refuses NUL in text (a 500 "database write failed" once); SQLite and MariaDB
    # keep it. Refused before the write, naming the attribute, so every store behaves alike.
    with pytest.raises(ScimError) as info:
        to_db(col("String"), "Ada\x00Lovelace", "name.givenName", UTC)
    assert (info.value.status, info.value.scim_type) == (400, "invalidValue")
    assert info.value.detail.startswith("Attribute name.givenName (column C, String) holds a NUL")


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
def test_an_infinite_number_is_no_integer(value: float) -> None:
    # JSON 1e999 parses as inf; int(inf) raised OverflowError (a 500).
    with pytest.raises(ScimError, match="must be an integer"):
        to_db(col("Integer"), value, "a", UTC)


@pytest.mark.parametrize(
    ("value", "zone"),
    [
        ("0001-01-01T00:00:00+01:00", "UTC"),
        ("9999-12-31T23:59:59-01:00", "UTC"),
        ("0001-01-01T00:00:00Z", "America/New_York"),
    ],
)
def test_a_date_time_outside_the_years_1_to_9999_is_invalid(value: str, zone: str) -> None:
    # Converting to the data source zone raised OverflowError (a 500).
    with pytest.raises(ScimError) as info:
        to_db(col("DateTime"), value, "urn:x:HireDate", time_zone(zone))
    assert (info.value.status, info.value.scim_type) == (400, "invalidValue")
    assert "within the years 1-9999" in info.value.detail
