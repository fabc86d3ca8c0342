"""Imports raise the collector's first threshold while they build caches, and restore it."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from ecmactl.host.gc_tuning import IMPORT_FACTOR, fewer_collections


@pytest.fixture(autouse=True)
def _restore_gc() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.set_threshold(*thresholds)


def test_overlapping_imports_restore_the_thresholds_after_the_last() -> None:
    gc.set_threshold(700, 10, 10)
    first, second = fewer_collections(), fewer_collections()
    first.__enter__()
    assert gc.get_threshold() == (700 * IMPORT_FACTOR, 10, 10) and gc.isenabled()
    second.__enter__()
    first.__exit__(None, None, None)
    assert gc.get_threshold() == (700 * IMPORT_FACTOR, 10, 10)  # the second still builds
    second.__exit__(None, None, None)
    assert gc.get_threshold() == (700, 10, 10)


def test_a_failed_import_restores_them_too() -> None:
    gc.set_threshold(500, 5, 5)
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("the database went away")
    assert gc.get_threshold() == (500, 5, 5)


def test_the_collector_state_is_left_to_the_embedding_program() -> None:
    enabled = gc.isenabled()
    gc.disable()
    try:
        with fewer_collections():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        (gc.enable if enabled else gc.disable)()
