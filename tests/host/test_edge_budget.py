"""The connection cap's fit under RLIMIT_NOFILE, and the once-a-minute warning (in process)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from ecmactl.host import fdlimit
from ecmactl.host.throttled_log import ThrottledWarning

resource = pytest.importorskip("resource")
NEED = 1000 + fdlimit.headroom(1)


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A fake RLIMIT_NOFILE: ``state["now"]`` is (soft, hard)."""
    state: dict[str, Any] = {"now": (1024, 1024)}

    def getrlimit(which: int) -> tuple[int, int]:
        return state["now"]  # type: ignore[no-any-return]

    def setrlimit(which: int, value: tuple[int, int]) -> None:
        hard = state["now"][1]
        if hard != resource.RLIM_INFINITY and value[0] > hard:
            raise ValueError("not allowed")
        state["now"] = value

    monkeypatch.setattr(resource, "getrlimit", getrlimit)
    monkeypatch.setattr(resource, "setrlimit", setrlimit)
    return state


def test_a_soft_limit_that_holds_the_cap_is_left_alone(limits: dict[str, Any]):
    limits["now"] = (NEED, NEED)
    assert fdlimit.fit_connection_cap(1000, 1) == fdlimit.ConnectionBudget(1000, NEED)
    assert limits["now"] == (NEED, NEED)


def test_the_soft_limit_is_raised_as_far_as_needed(limits: dict[str, Any]):
    limits["now"] = (1024, 524288)
    budget = fdlimit.fit_connection_cap(1000, 1)
    assert budget == fdlimit.ConnectionBudget(1000, NEED)
    assert limits["now"] == (NEED, 524288)


def test_an_unlimited_hard_limit_is_enough(limits: dict[str, Any]):
    limits["now"] = (1024, resource.RLIM_INFINITY)
    assert fdlimit.fit_connection_cap(1000, 1).max_connections == 1000
    assert limits["now"][0] == NEED


def test_a_low_hard_limit_lowers_the_cap_and_says_how_to_raise_it(limits: dict[str, Any]):
    limits["now"] = (256, 1024)
    budget = fdlimit.fit_connection_cap(1000, 2)
    assert budget.max_connections == 1024 - fdlimit.headroom(2)
    assert budget.note is not None
    assert f"serving at most {budget.max_connections} connections, not 1000" in budget.note
    assert f"`ulimit -n` to {1000 + fdlimit.headroom(2)}" in budget.note


def test_a_limit_too_low_for_any_host_refuses_to_start(limits: dict[str, Any]):
    limits["now"] = (64, 64)
    with pytest.raises(fdlimit.DescriptorLimitError, match=r"ulimit -n\) is 64") as caught:
        fdlimit.fit_connection_cap(1000, 1)
    assert "LimitNOFILE=" in (caught.value.hint or "")


def test_the_warning_is_logged_once_a_minute_with_a_count(caplog: pytest.LogCaptureFixture):
    now = [0.0]
    warn = ThrottledWarning(logging.getLogger("t"), clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="t"):
        for second in range(0, 125, 5):  # every 5 s for 2 minutes
            now[0] = float(second)
            warn("cap hit by %s", "x")
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        "cap hit by x",
        "cap hit by x (11 more like this in the last 60 s)",
        "cap hit by x (11 more like this in the last 60 s)",
    ]
    assert warn.total == 25
