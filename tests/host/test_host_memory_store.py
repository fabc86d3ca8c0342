"""MemoryRowStore behaves like a database where the host can tell: the RowStore contract suite
(``ecmactl.rowstore_contract``), as SqlRowStore runs it in tests/sql/test_rows_contract.py. Its
outage is the store's own switch, ``available = False``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hostkit import make_connector, memory_store, seed_rows
from multi_valued_fixtures import with_child_tables

from ecmactl.host import MemoryRowStore
from ecmactl.rowstore import RowStore
from ecmactl.rowstore_contract import MultiValuedContract, RowStoreContract, SampleTable


class TestMemoryRowStore(RowStoreContract):
    @pytest.fixture
    def sample(self) -> SampleTable:
        return SampleTable(make_connector(delta=True), seed_rows(), memory_store, switched_off)


class TestMemoryRowStoreMultiValued(MultiValuedContract):
    @pytest.fixture
    def multi_valued_store(self) -> RowStore:
        return memory_store(with_child_tables(make_connector(delta=True)))


@contextmanager
def switched_off(store: RowStore) -> Iterator[None]:
    assert isinstance(store, MemoryRowStore)
    store.available = False
    try:
        yield
    finally:
        store.available = True
