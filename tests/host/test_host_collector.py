"""The garbage collector is paused while imports build caches, and restored after the last."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from ecmactl.host.collector import collector_paused


@pytest.fixture(autouse=True)
def _restore_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    (gc.enable if enabled else gc.disable)()


def test_overlapping_imports_resume_the_collector_after_the_last() -> None:
    gc.enable()
    first, second = collector_paused(), collector_paused()
    first.__enter__()
    assert not gc.isenabled()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()  # the second import is still building
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_failed_import_resumes_it_too() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("the database went away")
    assert gc.isenabled()


def test_a_collector_disabled_by_the_embedding_program_stays_disabled() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()
