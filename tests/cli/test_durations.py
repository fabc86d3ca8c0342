"""One duration grammar (``ecmactl.durations``) for every flag that takes one: `token rotate
--grace` and `cert status|check|renew --expires-in` accept the same durations."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ecmactl.certs import parse_threshold
from ecmactl.cli.token import parse_grace
from ecmactl.durations import parse_duration
from ecmactl.errors import UsageError

DURATIONS = [
    ("24h", timedelta(hours=24)),
    ("7d", timedelta(days=7)),
    ("2w", timedelta(weeks=2)),
    ("1d12h", timedelta(days=1, hours=12)),
    ("90m", timedelta(minutes=90)),
    ("45s", timedelta(seconds=45)),
    ("1.5h", timedelta(minutes=90)),
    (" 2W ", timedelta(weeks=2)),
    ("0", timedelta(0)),
    ("0s", timedelta(0)),
]
NOT_DURATIONS = ["", "30", "thirty days", "30x", "-5d", "1d 12h", "d", "1.d", "tomorrow"]


@pytest.mark.parametrize(("text", "expected"), DURATIONS)
def test_every_duration_flag_reads_the_same_grammar(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected
    assert parse_grace(text) == expected
    assert parse_threshold(text).before_expiry == expected


@pytest.mark.parametrize("text", NOT_DURATIONS)
def test_what_is_not_a_duration_names_the_flag(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)
    with pytest.raises(UsageError, match="--grace") as grace:
        parse_grace(text)
    with pytest.raises(UsageError, match="--expires-in") as expires_in:
        parse_threshold(text)
    assert grace.value.hint and expires_in.value.hint
