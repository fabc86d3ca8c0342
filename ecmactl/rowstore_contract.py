"""The ``RowStore`` contract as one pytest suite, run against every store.

Subclass ``RowStoreContract`` in a test module and give it a ``sample`` fixture: the sample
Employees table (``templates/sample/employees.sql``: ContosoLogin NOT NULL UNIQUE, FirstName and
LastName NOT NULL VARCHAR(50), InternalGUID defaulting to a new UUID, AccountDisabled defaulting
to false, LastModified stamped on every write that does not set it) seeded with its five rows::

    class TestMyStore(RowStoreContract):
        @pytest.fixture
        def sample(self) -> SampleTable:
            return SampleTable(connector, SEED_ROWS, open=MyStore.for_connector, outage=cut)

The same tests then hold the in-memory store and every database to the same behaviour: where
they differ, the suite fails. ``MultiValuedContract`` does the same for multi-valued attributes
(child tables). Needs pytest (the ``test`` extra).
"""

from __future__ import annotations

import dataclasses
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ecmactl.config.models import Connector, Deprovisioning, GlobalSettings
from ecmactl.rowstore import (
    ConstraintViolation,
    DatabaseUnavailable,
    RowCount,
    RowStore,
    StoreError,
    UniqueViolation,
)

SAMPLE_COLUMNS = [
    "ContosoLogin",
    "FirstName",
    "LastName",
    "Email",
    "InternalGUID",
    "AzureID",
    "textID",
    "AccountDisabled",
    "LastModified",
]
NEW_USER = {"ContosoLogin": "adele", "FirstName": "Adele", "LastName": "Vance"}
RACERS = 50
# (values, the column the error names, its kind)
REFUSED_INSERTS: list[tuple[dict[str, Any], str, str]] = [
    ({"ContosoLogin": "new", "FirstName": "F"}, "LastName", "not_null"),  # omitted, no default
    ({**NEW_USER, "LastName": None}, "LastName", "not_null"),  # given as NULL
    ({**NEW_USER, "ContosoLogin": None}, "ContosoLogin", "not_null"),
    ({**NEW_USER, "FirstName": "x" * 51}, "FirstName", "too_long"),
    ({**NEW_USER, "Email": "a\x00b"}, "Email", "invalid_value"),
    ({**NEW_USER, "Email": "s\ud800"}, "Email", "invalid_value"),
    ({**NEW_USER, "ShoeSize": 42}, "ShoeSize", "other"),  # no such column
]
REFUSED_UPDATES: list[tuple[dict[str, Any], str, str]] = [
    ({"FirstName": "x" * 51}, "FirstName", "too_long"),
    ({"LastName": None, "Email": "new@contoso.com"}, "LastName", "not_null"),
]


@dataclass(frozen=True)
class SampleTable:
    """The seeded sample Employees table on one backend, and how to reach it."""

    connector: Connector  # the sample connector: disable flow on AccountDisabled, watermark
    rows: Sequence[Mapping[str, Any]]  # the seed rows, without LastModified
    open: Callable[[Connector], RowStore]  # a store on the table for this connector
    outage: Callable[[RowStore], AbstractContextManager[None]]  # the database gone, in a block


def recent(value: Any) -> bool:
    """A naive datetime within a few minutes of now in UTC: every store stamps in UTC."""
    now = datetime.now(UTC).replace(tzinfo=None)
    return (
        isinstance(value, datetime)
        and value.tzinfo is None
        and abs(now - value) < timedelta(minutes=5)
    )


def all_rows(store: RowStore, batch_size: int = 10_000) -> list[dict[str, Any]]:
    """Every row of a full import, sorted by anchor."""
    rows = [r for batch in store.iter_rows(batch_size) for r in batch]
    return sorted(rows, key=lambda r: str(r["ContosoLogin"]))


class RowStoreContract:
    """What every ``RowStore`` does, on the sample table: as a database does it."""

    @pytest.fixture
    def sample(self) -> SampleTable:
        """The seeded sample table on the backend under test: override it."""
        pytest.fail(f"{type(self).__name__} gives no `sample` fixture", pytrace=False)

    @pytest.fixture
    def store(self, sample: SampleTable) -> RowStore:
        return sample.open(sample.connector)

    # -- shape --------------------------------------------------------------------------------

    def test_it_is_a_row_store_with_the_sample_columns_in_table_order(
        self, store: RowStore
    ) -> None:
        protocol = [n for n in vars(RowStore) if not n.startswith("_")]  # mypy checks signatures
        assert protocol and all(callable(getattr(store, n)) for n in protocol if n != "columns")
        assert store.columns == SAMPLE_COLUMNS  # anchor, attributes, disable, watermark

    def test_columns_follow_the_connector(self, sample: SampleTable) -> None:
        plain = dataclasses.replace(
            sample.connector, deprovisioning=Deprovisioning(), global_=GlobalSettings()
        )
        assert sample.open(plain).columns == SAMPLE_COLUMNS[:-2]  # no disable, no watermark

    # -- reads --------------------------------------------------------------------------------

    def test_full_import_streams_batches_with_the_same_values(
        self, store: RowStore, sample: SampleTable
    ) -> None:
        batches = list(store.iter_rows(batch_size=2))
        assert [len(b) for b in batches] == [2, 2, 1]
        rows = sorted((r for b in batches for r in b), key=lambda r: r["ContosoLogin"])
        expected = sorted(sample.rows, key=lambda r: r["ContosoLogin"])
        for row, seed in zip(rows, expected, strict=True):
            assert list(row) == SAMPLE_COLUMNS
            assert {k: v for k, v in row.items() if k != "LastModified"} == seed
            # bool from PostgreSQL BOOLEAN, MariaDB TINYINT(1) and SQLite 0/1 alike
            assert type(row["AccountDisabled"]) is bool
            # str from PostgreSQL UUID and CHAR(36) alike
            assert type(row["InternalGUID"]) is str
            assert recent(row["LastModified"])

    def test_full_import_equals_reading_row_by_row(self, store: RowStore) -> None:
        rows = all_rows(store)
        assert [store.read_row(r["ContosoLogin"]) for r in rows] == rows
        for batch_size in (1, 3, 10_000):
            assert all_rows(store, batch_size) == rows
        changed, _ = store.changed_since(None)
        assert sorted(changed, key=lambda r: r["ContosoLogin"]) == rows
        assert store.count_rows() == RowCount(len(rows), exact=True)

    def test_read_row_finds_by_anchor_and_answers_none_when_absent(self, store: RowStore) -> None:
        row = store.read_row("pgupta")
        assert row is not None
        assert row["FirstName"] == "Pradeep" and row["Email"] is None
        assert row["AccountDisabled"] is True
        assert store.read_row("nobody") is None
        assert store.read_row(None) is None

    def test_ping_answers_while_the_table_is_there(self, store: RowStore) -> None:
        store.ping()

    # -- writes -------------------------------------------------------------------------------

    def test_insert_returns_the_stored_row_with_defaults_filled_in(self, store: RowStore) -> None:
        row = store.insert(NEW_USER)
        assert row["ContosoLogin"] == "adele" and row["Email"] is None
        assert row["AccountDisabled"] is False  # DEFAULT 0 / FALSE
        assert str(uuid.UUID(row["InternalGUID"])) == row["InternalGUID"]  # lowercase UUID text
        assert recent(row["LastModified"])
        assert store.read_row("adele") == row
        row["FirstName"] = "changed"  # a copy, as a database's row would be
        assert store.read_row("adele") == {**row, "FirstName": "Adele"}

    def test_insert_takes_every_value_type_and_reads_it_back_unchanged(
        self, store: RowStore
    ) -> None:
        azure = "5171a35d-8207-4e06-8ce2-3d5f1c0b9a77"
        stamp = datetime(2030, 5, 6, 7, 8, 9, 123000)
        row = store.insert(
            {
                **NEW_USER,
                "Email": "adele@contoso.com",
                "AzureID": azure,
                "AccountDisabled": True,
                "LastModified": stamp,
            }
        )
        assert row["AzureID"] == azure
        assert row["AccountDisabled"] is True
        assert row["LastModified"] == stamp
        assert store.read_row("adele") == row

    def test_update_returns_the_stored_row_or_none(self, store: RowStore) -> None:
        row = store.update("avance", {"Email": "adele.vance@contoso.com", "AccountDisabled": True})
        assert row is not None
        assert row["Email"] == "adele.vance@contoso.com" and row["AccountDisabled"] is True
        assert row["FirstName"] == "Adele"  # untouched
        assert store.read_row("avance") == row
        assert store.update("avance", {}) == row  # nothing to change: the row as it is
        assert store.update("nobody", {"Email": "x@contoso.com"}) is None
        renamed = store.update("avance", {"FirstName": "A"})
        assert renamed is not None and renamed["FirstName"] == "A"

    def test_delete_reports_whether_a_row_went(self, store: RowStore) -> None:
        assert store.delete("nwilke") is True
        assert store.read_row("nwilke") is None
        assert store.delete("nwilke") is False
        assert len(all_rows(store)) == 4
        assert store.insert({"ContosoLogin": "nwilke", "FirstName": "Re", "LastName": "Born"})

    # -- refusals -----------------------------------------------------------------------------

    def test_a_taken_anchor_is_a_unique_violation_naming_it(self, store: RowStore) -> None:
        before = store.read_row("avance")
        with pytest.raises(UniqueViolation) as info:
            store.insert({"ContosoLogin": "avance", "FirstName": "F", "LastName": "L"})
        assert info.value.column == "ContosoLogin"
        assert store.read_row("avance") == before

    def test_a_refused_write_is_a_constraint_violation_naming_the_column(
        self, store: RowStore
    ) -> None:
        before = store.read_row("avance")
        for values, column, kind in REFUSED_INSERTS:
            with pytest.raises(ConstraintViolation) as info:
                store.insert(values)
            assert (info.value.column, info.value.kind) == (column, kind), values
        for values, column, kind in REFUSED_UPDATES:
            with pytest.raises(ConstraintViolation) as info:
                store.update("avance", values)
            assert (info.value.column, info.value.kind) == (column, kind), values
        assert store.read_row("adele") is None and store.read_row("new") is None
        assert store.read_row("avance") == before  # a refused write changed nothing

    def test_fifty_simultaneous_inserts_of_one_anchor_make_one_row(self, store: RowStore) -> None:
        store.ping()  # a SQL store reflects its table first: the race is about the INSERT
        start = threading.Barrier(RACERS)

        def race(i: int) -> str:
            start.wait()
            try:
                store.insert({"ContosoLogin": "racer", "FirstName": f"Racer{i}", "LastName": "R"})
            except UniqueViolation as exc:
                assert exc.column == "ContosoLogin"
                return "duplicate"
            return "created"

        with ThreadPoolExecutor(RACERS) as pool:
            outcomes = list(pool.map(race, range(RACERS)))
        assert outcomes.count("created") == 1
        assert outcomes.count("duplicate") == RACERS - 1
        assert [r["ContosoLogin"] for r in all_rows(store)].count("racer") == 1

    # -- watermark ----------------------------------------------------------------------------

    def test_changed_since_follows_the_watermark_column(self, store: RowStore) -> None:
        rows, mark = store.changed_since(None)
        assert len(rows) == 5 and mark == max(r["LastModified"] for r in rows)
        assert store.changed_since(mark) == ([], mark)
        store.update("avance", {"FirstName": "Z"})  # stamped by the table, not by the writer
        rows, newer = store.changed_since(mark)
        assert [r["ContosoLogin"] for r in rows] == ["avance"] and newer > mark
        later = datetime(2037, 1, 2, 3, 4, 5, 6000)  # MariaDB TIMESTAMP ends in 2038
        store.update("mbowen", {"LastModified": later})  # set by the writer: kept
        rows, newest = store.changed_since(newer)
        assert [r["ContosoLogin"] for r in rows] == ["mbowen"] and newest == later
        # The host's own watermark (the highest value of a full import) works the same way.
        top = max(r["LastModified"] for r in all_rows(store))
        assert store.changed_since(top) == ([], top)

    def test_changed_since_needs_a_watermark_column(self, sample: SampleTable) -> None:
        store = sample.open(dataclasses.replace(sample.connector, global_=GlobalSettings()))
        assert "LastModified" not in store.columns
        with pytest.raises(StoreError, match="no watermark column"):
            store.changed_since(None)

    # -- outage -------------------------------------------------------------------------------

    def test_an_outage_is_unavailable_and_the_same_store_recovers(
        self, store: RowStore, sample: SampleTable
    ) -> None:
        assert store.insert({"ContosoLogin": "before", "FirstName": "B", "LastName": "B"})
        calls: list[Callable[[], object]] = [
            lambda: store.insert({"ContosoLogin": "during", "FirstName": "D", "LastName": "D"}),
            lambda: store.update("before", {"Email": "lost@contoso.com"}),
            lambda: store.delete("avance"),
            lambda: store.read_row("before"),
            lambda: list(store.iter_rows()),
            lambda: store.changed_since(None),
            store.count_rows,
            store.ping,
        ]
        with sample.outage(store):
            for index, call in enumerate(calls):
                with pytest.raises(DatabaseUnavailable) as info:
                    call()
                assert "\n" not in str(info.value), index
        # The same store works again, by itself; nothing refused got in.
        assert store.insert({"ContosoLogin": "after", "FirstName": "A", "LastName": "A"})
        row = store.update("before", {"Email": "kept@contoso.com"})
        assert row is not None and row["Email"] == "kept@contoso.com"
        logins = [r["ContosoLogin"] for r in all_rows(store)]
        assert len(logins) == 7 and "during" not in logins and "avance" in logins


# -- multi-valued attributes (child tables) ----------------------------------------------------

WORK = {"value": "adele@contoso.com", "type": "work", "primary": True}
HOME = {"value": "adele@home.example", "type": "home", "primary": False}


class MultiValuedContract:
    """What every ``RowStore`` does with multi-valued attributes (``ecmactl.rowstore``): the
    sample table seeded as for ``RowStoreContract``, its connector with two child tables and
    no child rows yet: ``Address`` (a value, ``type`` and ``primary``) and ``roleCodes`` (values
    only). Subclass it and give it a ``multi_valued_store`` fixture."""

    @pytest.fixture
    def multi_valued_store(self) -> RowStore:
        """The store on the sample table and its child tables: override it."""
        pytest.fail(f"{type(self).__name__} gives no `multi_valued_store`", pytrace=False)

    def test_rows_carry_each_set_in_one_order(self, multi_valued_store: RowStore) -> None:
        store = multi_valued_store
        row = store.insert({**NEW_USER, "Address": [HOME, WORK], "roleCodes": [{"value": "b"}]})
        assert row["Address"] == [WORK, HOME]  # the primary first, then by type and value
        assert row["roleCodes"] == [{"value": "b"}]
        assert store.read_row("adele") == row
        imported = {r["ContosoLogin"]: r for r in all_rows(store, batch_size=2)}
        assert imported["adele"] == row
        assert imported["avance"]["Address"] == [] and imported["avance"]["roleCodes"] == []

    def test_a_write_replaces_only_the_sets_it_gives(self, multi_valued_store: RowStore) -> None:
        store = multi_valued_store
        store.insert({**NEW_USER, "Address": [WORK], "roleCodes": [{"value": "a"}]})
        row = store.update("adele", {"Address": [HOME]})
        assert row is not None and row["Address"] == [HOME] and row["roleCodes"] == [{"value": "a"}]
        row = store.update("adele", {"FirstName": "Ada"})
        assert row is not None and row["Address"] == [HOME]
        assert store.update("nobody", {"Address": [WORK]}) is None

    def test_a_set_alone_leaves_the_parent_and_its_watermark(
        self, multi_valued_store: RowStore
    ) -> None:
        store = multi_valued_store
        before = store.insert({**NEW_USER, "Address": [WORK]})
        _, mark = store.changed_since(None)
        row = store.update("adele", {"roleCodes": [{"value": "ops"}]})
        assert row is not None and row["LastModified"] == before["LastModified"]
        assert store.changed_since(mark) == ([], mark)  # a delta does not see it (documented)

    def test_a_deleted_row_leaves_no_values_behind(self, multi_valued_store: RowStore) -> None:
        store = multi_valued_store
        store.insert({**NEW_USER, "Address": [WORK, HOME], "roleCodes": [{"value": "a"}]})
        assert store.delete("adele") is True and store.read_row("adele") is None
        again = store.insert(dict(NEW_USER))
        assert again["Address"] == [] and again["roleCodes"] == []
