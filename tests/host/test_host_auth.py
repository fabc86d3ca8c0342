"""The host's token check: secrets are read in a worker thread, never on the event loop."""

from __future__ import annotations

import asyncio
import threading
from typing import Literal

import pytest

from ecmactl.errors import ConfigError
from ecmactl.host.auth import TokenCheck, TokenUnavailable

pytestmark = pytest.mark.anyio

Due = Literal["no", "now", "soon"]


class FakeVerifier:
    """TokenVerifier's split interface over a fake connector file with a version number:
    ``reload`` reads the file when it starts, may be held, and stores what it read."""

    name = "contoso"

    def __init__(self, accepted: set[str]) -> None:
        self.on_disk, self.version = set(accepted), 1  # the connector file
        self.loaded: set[str] = set()
        self.loaded_version = 0  # never loaded
        self.soon = False  # the periodic re-read is due
        self.reload_threads: list[threading.Thread] = []
        self.hold: threading.Event | None = None
        self.entered = threading.Event()
        self.fail: Exception | None = None

    def change(self, accepted: set[str]) -> None:
        """``token set``/``rotate``: the connector file is rewritten."""
        self.on_disk, self.version = set(accepted), self.version + 1

    def reload_due(self) -> Due:
        if self.loaded_version != self.version:
            return "now"
        return "soon" if self.soon else "no"

    def reload(self) -> None:
        version, tokens = self.version, set(self.on_disk)
        self.reload_threads.append(threading.current_thread())
        self.entered.set()
        if self.hold is not None:
            self.hold.wait(10)
        if self.fail is not None:
            raise self.fail
        self.loaded, self.loaded_version, self.soon = tokens, version, False

    def matches(self, presented: str) -> bool:
        return presented in self.loaded


def _check(verifier: FakeVerifier, now: list[float], **kwargs: object) -> TokenCheck:
    return TokenCheck(verifier, remember=1.0, clock=lambda: now[0], **kwargs)  # type: ignore[arg-type]


async def test_the_first_check_waits_for_a_reload_in_a_worker_thread() -> None:
    verifier = FakeVerifier({"good-token-0123"})
    check = _check(verifier, [0.0])
    assert await check("good-token-0123")
    assert verifier.reload_threads and verifier.reload_threads[0] is not threading.main_thread()
    assert not await check("wrong")
    assert len(verifier.reload_threads) == 1  # loaded once


async def test_the_accepted_token_is_remembered_for_a_second_only() -> None:
    now = [0.0]
    verifier = FakeVerifier({"old-token-0123"})
    check = _check(verifier, now)
    assert await check("old-token-0123")
    verifier.change(set())  # replaced without grace: the file changed
    now[0] = 0.5
    assert await check("old-token-0123")  # remembered: not even the file is looked at
    now[0] = 1.5
    assert not await check("old-token-0123")  # reloaded before answering
    assert not await check("wrong") and not await check("wrong")  # refusals never remembered


async def test_concurrent_checks_share_one_reload() -> None:
    verifier = FakeVerifier({"good-token-0123"})
    check = _check(verifier, [0.0])
    results = await asyncio.gather(*(check("good-token-0123") for _ in range(10)))
    assert all(results) and len(verifier.reload_threads) == 1


async def _held_background_reload(token: str) -> tuple[FakeVerifier, TokenCheck, list[float]]:
    """A check that accepted ``token``, then started a periodic reload that is held, and
    answered that request from the secrets it had."""
    now = [0.0]
    verifier = FakeVerifier({token})
    check = _check(verifier, now)
    assert await check(token)
    verifier.soon, verifier.hold = True, threading.Event()
    now[0] = 5.0
    verifier.entered.clear()
    assert await asyncio.wait_for(check(token), 5)  # not waiting for the held reload
    return verifier, check, now


async def test_a_periodic_reload_runs_in_the_background() -> None:
    verifier, check, _ = await _held_background_reload("good-token-0123")
    assert verifier.hold is not None
    reloading = check._reloading
    assert reloading is not None
    assert await asyncio.to_thread(verifier.entered.wait, 5)
    assert len(verifier.reload_threads) == 2
    verifier.hold.set()
    await asyncio.wait([reloading])
    assert verifier.reload_due() == "no" and check._reloading is None


async def test_a_failed_background_reload_fails_closed_and_says_so_once() -> None:
    """A secret that disappeared stops authenticating (503), like a replaced token; the next
    successful read, at most once a second, ends it."""
    now = [0.0]
    errors: list[str] = []
    verifier = FakeVerifier({"good-token-0123"})
    check = _check(verifier, now, on_error=errors.append)
    assert await check("good-token-0123")
    verifier.soon, verifier.fail = True, ConfigError("the secret file is missing")
    now[0] = 5.0
    assert await check("good-token-0123")  # answered while the re-read runs
    reloading = check._reloading
    assert reloading is not None
    await asyncio.wait([reloading])
    await asyncio.sleep(0)  # done callbacks run in the next loop turn
    assert errors == ["cannot read the secret token: the secret file is missing"]
    assert check.error == errors[0]
    for moment in (5.1, 5.5, 6.5):  # refused, retried after RETRY_S, still failing: one log
        now[0] = moment
        with pytest.raises(TokenUnavailable):
            await check("good-token-0123")
    assert len(errors) == 1
    verifier.fail = None
    now[0] = 8.0
    assert await check("good-token-0123") and check.error is None


async def test_refresh_records_the_outcome_without_raising() -> None:
    verifier = FakeVerifier({"good-token-0123"})
    verifier.fail = ConfigError("no secret")
    check = _check(verifier, [0.0])
    await check.refresh()
    assert check.error == "cannot read the secret token: no secret"
    verifier.fail = None
    await check.refresh()
    assert check.error is None


async def test_a_token_that_cannot_be_read_when_needed_raises() -> None:
    verifier = FakeVerifier(set())
    verifier.fail = ConfigError("no secret")
    check = _check(verifier, [0.0])
    with pytest.raises(TokenUnavailable):
        await check("any-token-0123")


async def test_a_token_replaced_during_a_background_reload_is_refused_at_once() -> None:
    """The background re-read started before ``token set``: the next request must not be
    answered from what that reload read, but from a reload of the changed file."""
    verifier, check, now = await _held_background_reload("old-token-0123")
    assert verifier.hold is not None
    assert await asyncio.to_thread(verifier.entered.wait, 5)  # it has read the old file
    verifier.change({"new-token-0123"})
    now[0] = 6.5  # past the second the accepted token is remembered
    pending = asyncio.ensure_future(check("old-token-0123"))
    for _ in range(5):  # let it reach the reload still running, and join it
        await asyncio.sleep(0)
    assert not pending.done()
    verifier.hold.set()
    assert not await pending
    assert await check("new-token-0123")


async def test_an_unexpected_read_error_is_unavailable_not_a_crash(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Any exception of a read (a reader bug, a decoding error) is a 503 with the traceback in
    the log, and ``refresh`` (start-up, status, in a task group) never raises it."""
    verifier = FakeVerifier({"good-token-0123"})
    verifier.fail = UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")
    check = _check(verifier, [0.0])
    await check.refresh()
    assert check.error == "cannot read the secret token: UnicodeDecodeError (see the host log)"
    with pytest.raises(TokenUnavailable):
        await check("good-token-0123")
    assert any(record.exc_info for record in caplog.records)


async def test_refresh_reads_only_when_a_request_would() -> None:
    """Status is polled (`host sync`: twice a second): a refresh reads the token only when it
    was never read, its files changed, ``ttl`` passed, or a failed read may be retried."""
    now = [0.0]
    verifier = FakeVerifier({"good-token-0123"})
    check = _check(verifier, now)
    await check.refresh()
    for _ in range(5):
        await check.refresh()
    assert len(verifier.reload_threads) == 1
    verifier.soon = True  # ttl passed
    await check.refresh()
    assert len(verifier.reload_threads) == 2
    verifier.change({"good-token-0123"})  # token set: at once
    await check.refresh()
    assert len(verifier.reload_threads) == 3

    verifier.soon, verifier.fail = True, ConfigError("keyring locked")
    await check.refresh()
    assert check.error is not None and len(verifier.reload_threads) == 4
    now[0] = 0.5  # a failed read is retried once a second, as requests retry it
    await check.refresh()
    assert len(verifier.reload_threads) == 4
    now[0] = 1.0
    verifier.fail = None
    await check.refresh()
    assert check.error is None and len(verifier.reload_threads) == 5
