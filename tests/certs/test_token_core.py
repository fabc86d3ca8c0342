"""Secret token lifecycle: set, rotate with a grace period, accepted tokens, the verifier."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta

import pytest
from cert_helpers import NOW

from ecmactl.config.models import Connector
from ecmactl.config.store import load_connector, save_connector
from ecmactl.errors import ConfigError, UsageError
from ecmactl.home import Home
from ecmactl.secrets import read_secret
from ecmactl.tokens import (
    TokenVerifier,
    accepted_tokens,
    rotate_token,
    set_token,
    token_matches,
    token_state,
)

TOKEN = "first-token-Abc123"


@pytest.fixture
def with_token(home: Home, connector: Connector) -> Connector:
    set_token(home, connector.name, TOKEN)
    return load_connector(home, connector.name)


def test_set_token_in_the_keyring_and_show_it_masked(home: Home, connector: Connector) -> None:
    change = set_token(home, "SQL", TOKEN)
    assert change.ref.startswith("keyring:") and change.ref.endswith("SQL/secret-token")
    assert read_secret(change.ref, home) == TOKEN
    assert TOKEN not in repr(change) and TOKEN not in str(change.to_dict())
    state = token_state(home, "SQL")
    assert state.masked == "*" * (len(TOKEN) - 2) + "23" and state.length == len(TOKEN)
    assert state.store == "keyring" and state.previous_ref is None


def test_generated_tokens_are_long_and_random(home: Home, connector: Connector) -> None:
    first = set_token(home, "SQL")
    value = read_secret(first.ref, home)
    assert first.generated and len(value) == 32 and value.isalnum()
    set_token(home, "SQL")
    assert read_secret(first.ref, home) != value


@pytest.mark.parametrize(
    "bad", ["short", "has a space in it", "tab\there-is-long", "ünïcödé-long-token"]
)
def test_token_rules(home: Home, connector: Connector, bad: str) -> None:
    with pytest.raises(UsageError) as caught:
        set_token(home, "SQL", bad)
    assert bad not in caught.value.message


def test_file_store_is_0600_and_moving_deletes_the_old_entry(
    home: Home, with_token: Connector
) -> None:
    old_ref = with_token.secret_token_ref
    assert old_ref is not None
    change = set_token(home, "SQL", TOKEN, store="file")
    path = home.resolve(change.ref.partition(":")[2])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with pytest.raises(ConfigError):
        read_secret(old_ref, home)


def test_rotate_keeps_the_old_token_during_the_grace_period(
    home: Home, with_token: Connector
) -> None:
    change = rotate_token(home, "SQL", grace=timedelta(hours=24), now=NOW)
    new = read_secret(change.ref, home)
    assert new != TOKEN and len(new) == 32
    connector = load_connector(home, "SQL")
    assert connector.previous_secret_token_expires == "2026-03-02T12:00:00Z"
    assert accepted_tokens(connector, home, NOW + timedelta(hours=23)) == [new, TOKEN]
    assert accepted_tokens(connector, home, NOW + timedelta(hours=24)) == [new]
    state = token_state(home, "SQL", now=NOW + timedelta(hours=1))
    assert state.previous_active and state.previous_masked and TOKEN not in str(state)


def test_rotate_with_no_grace_and_rotating_twice(home: Home, with_token: Connector) -> None:
    rotate_token(home, "SQL", "second-token-xyz789", now=NOW)
    third = rotate_token(home, "SQL", "third-token-xyz789", now=NOW + timedelta(hours=1))
    assert third.dropped_previous  # the first token's grace ends early
    connector = load_connector(home, "SQL")
    assert accepted_tokens(connector, home, NOW + timedelta(hours=2)) == [
        "third-token-xyz789",
        "second-token-xyz789",
    ]
    rotate_token(home, "SQL", "fourth-token-xyz789", grace=timedelta(0), now=NOW)
    connector = load_connector(home, "SQL")
    assert connector.previous_secret_token_ref is None
    assert accepted_tokens(connector, home, NOW) == ["fourth-token-xyz789"]


def test_set_ends_the_grace_period(home: Home, with_token: Connector) -> None:
    rotate_token(home, "SQL", now=NOW)
    change = set_token(home, "SQL", "replacement-token-1")
    assert change.dropped_previous is False  # NOW is in the past: grace already over
    connector = load_connector(home, "SQL")
    assert connector.previous_secret_token_ref is None
    assert accepted_tokens(connector, home) == ["replacement-token-1"]


def test_rotate_refusals(home: Home, connector: Connector, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match="has no secret token"):
        rotate_token(home, "SQL")
    with pytest.raises(ConfigError, match="has no secret token"):
        accepted_tokens(connector, home)
    connector.secret_token_ref = "env:ECMACTL_SECRET_TOKEN_SQL"
    save_connector(home, connector)
    monkeypatch.setenv("ECMACTL_SECRET_TOKEN_SQL", TOKEN)
    with pytest.raises(UsageError, match="environment variable"):
        rotate_token(home, "SQL")
    with pytest.raises(UsageError, match="environment variable"):
        set_token(home, "SQL", TOKEN)
    assert accepted_tokens(connector, home) == [TOKEN]
    set_token(home, "SQL", TOKEN, store="keyring")  # moving out of env is allowed
    with pytest.raises(UsageError, match="same as the current"):
        rotate_token(home, "SQL", TOKEN)
    with pytest.raises(UsageError, match="between 0 and 30 days"):
        rotate_token(home, "SQL", grace=timedelta(days=31))


def test_a_corrupt_expiry_fails_closed(home: Home, with_token: Connector) -> None:
    rotate_token(home, "SQL", now=datetime.now(UTC))
    connector = load_connector(home, "SQL")
    connector.previous_secret_token_expires = "tomorrow-ish"
    assert TOKEN not in accepted_tokens(connector, home)


def test_verifier_follows_rotation_and_the_clock(home: Home, with_token: Connector) -> None:
    clock = [NOW]
    verifier = TokenVerifier(home, "SQL", clock=lambda: clock[0])
    assert verifier.verify(TOKEN) and not verifier.verify("wrong-token-000000")
    change = rotate_token(home, "SQL", grace=timedelta(hours=1), now=NOW)
    new = read_secret(change.ref, home)
    assert verifier.verify(new) and verifier.verify(TOKEN)  # reloaded: the file changed
    clock[0] = NOW + timedelta(hours=2)
    assert verifier.verify(new) and not verifier.verify(TOKEN)


def test_token_matches() -> None:
    assert token_matches("abc", ["x", "abc"]) and not token_matches("abc", [])
    assert not token_matches("abcd", ["abc"])


def test_verifier_says_when_a_reload_is_due(home: Home, with_token: Connector) -> None:
    verifier = TokenVerifier(home, "SQL", ttl=30.0)
    assert verifier.reload_due() == "now" and not verifier.matches(TOKEN)  # nothing read yet
    verifier.reload()
    assert verifier.reload_due() == "no" and verifier.matches(TOKEN)
    rotate_token(home, "SQL", grace=timedelta(0), now=NOW)  # rewrites the connector file
    assert verifier.reload_due() == "now"
    assert verifier.matches(TOKEN)  # until reloaded: the host reloads before answering
    verifier.reload()
    assert not verifier.matches(TOKEN)
    verifier.ttl = 0.0
    assert verifier.reload_due() == "soon"
