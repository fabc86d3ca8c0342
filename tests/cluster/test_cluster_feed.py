"""The cluster's parts against real databases: a change is announced only when its write
commits (PostgreSQL NOTIFY), the MariaDB change log is read whatever order its ids commit in,
an account that may not create tables gets the statement to run, and the negative cache."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from db_fixtures import account_with_password, create_employees_table, employees_connector
from sqlalchemy import MetaData, insert, make_url, text

from ecmactl.cluster import change_feed
from ecmactl.cluster.change_feed import Change, ChangeLogPoller, PostgresListener, writer
from ecmactl.cluster.member import ClusterMember
from ecmactl.cluster.negative import TTL_S, NegativeCache
from ecmactl.cluster.tables import define, ensure_tables
from ecmactl.config.models import Connectivity
from ecmactl.rowstore import UniqueViolation
from ecmactl.sql.connect import make_engine
from ecmactl.sql.rows import SqlRowStore

NEW = {"ContosoLogin": "new", "FirstName": "N", "LastName": "Ew"}


@pytest.fixture
def pg_store(postgres_url: str, open_row_store: Callable[..., SqlRowStore]) -> SqlRowStore:
    create_employees_table(postgres_url)
    return open_row_store(employees_connector(postgres_url))


def test_postgres_announces_a_write_when_it_commits_and_never_a_refused_one(
    pg_store: SqlRowStore,
) -> None:
    received: list[Change] = []
    arrived = threading.Event()

    def deliver(change: Change) -> None:
        received.append(change)
        arrived.set()

    listener = PostgresListener(pg_store.engine, deliver, lambda: None)
    listener.start()
    try:
        assert listener.ready.wait(10)
        _, changes = define(MetaData())
        pg_store.on_write = writer(
            "postgresql", changes, table="Employees", connector="SQL", host="h1"
        )
        with pytest.raises(UniqueViolation):  # rolled back: nothing announced
            pg_store.insert({**NEW, "ContosoLogin": "avance"})
        pg_store.insert(NEW)
        assert arrived.wait(10)
        pg_store.delete("new")
        while len(received) < 2:
            arrived.clear()
            assert arrived.wait(10)
    finally:
        listener.stop()
        listener.join(5)
    assert [(c.anchor, c.op, c.host, c.table) for c in received] == [
        ("new", "upsert", "h1", "Employees"),
        ("new", "delete", "h1", "Employees"),
    ]


@pytest.fixture
def change_log(mariadb_url: str) -> Iterator[tuple[Any, Any]]:
    engine = make_engine(mariadb_url)
    _, changes = define(MetaData())
    ensure_tables(engine, [changes])
    yield engine, changes
    engine.dispose()


def test_the_change_log_is_read_whatever_order_its_ids_commit_in(
    change_log: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, changes = change_log
    seen: list[Any] = []
    poller = ChangeLogPoller(engine, changes, lambda c: seen.append(c.anchor), lambda: None)
    poller.begin()

    def row(anchor: str, ident: int | None = None) -> dict[str, Any]:
        values: dict[str, Any] = {"payload": Change("T", anchor, "upsert", "h").encode()}
        values["created"] = text("CURRENT_TIMESTAMP")
        if ident is not None:
            values["id"] = ident
        return values

    slow = engine.connect()
    slow_tx = slow.begin()
    slow.execute(insert(changes).values(row("first")))  # takes id 1, commits last
    with engine.begin() as conn:
        conn.execute(insert(changes).values(row("second")))  # id 2, committed first
    poller._poll()
    assert seen == ["second"] and poller.floor == 0  # id 1 may still commit: not past it
    slow_tx.commit()
    slow.close()
    poller._poll()
    assert seen == ["second", "first"] and poller.floor == 2

    with engine.begin() as conn:  # ids 3 and 4 never come (a rolled-back insert, a step)
        conn.execute(insert(changes).values(row("fifth", 5)))
    poller._poll()
    assert seen[-1] == "fifth" and poller.floor == 2
    monkeypatch.setattr(change_feed, "GAP_GRACE_S", 0.0)  # the grace period is over
    poller._poll()
    assert poller.floor == 5 and seen.count("fifth") == 1


@pytest.mark.postgres
def test_an_account_that_may_not_create_tables_is_told_the_statement_to_run(
    postgres_url: str, request: pytest.FixtureRequest, home: Any, caplog: pytest.LogCaptureFixture
) -> None:
    create_employees_table(postgres_url)
    bare, user = account_with_password(postgres_url, "s3cret-Passw0rd", request)
    # PostgreSQL 15+: a new role has no CREATE on schema public.
    admin = make_engine(postgres_url)
    with admin.begin() as conn:
        conn.execute(text(f"REVOKE CREATE ON SCHEMA public FROM {user}"))
        conn.execute(text("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
    admin.dispose()
    url = make_url(bare).set(username=user, password="s3cret-Passw0rd")
    connector = employees_connector(
        postgres_url,
        connectivity=Connectivity(database_url=url.render_as_string(hide_password=False)),
    )
    store = SqlRowStore.open(connector, home)
    member = ClusterMember(connector, host_id="h1", address="localhost:8585", version="0")
    try:
        with caplog.at_level("ERROR", logger="ecmactl.host"):
            member.attach(store)
    finally:
        member.close()
        store.close()
    assert not member.enabled and not member.shares_database  # it runs alone, as before
    assert member.problem is not None and "may not create" in member.problem
    assert "ecmactl_hosts" in member.problem
    (line,) = [r.getMessage() for r in caplog.records]
    assert "Grant it CREATE" in line and "CREATE TABLE ecmactl_hosts" in line


@pytest.mark.postgres
def test_a_host_still_joining_reads_through_to_the_database(
    postgres_url: str, home: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Until it has joined (the feed not started yet, the database briefly away), other hosts
    may already write the table: a miss must still ask the database, never answer 404."""
    create_employees_table(postgres_url)
    connector = employees_connector(postgres_url)
    store = SqlRowStore.open(connector, home)
    member = ClusterMember(connector, host_id="h1", address="localhost:8585", version="0")

    def feed_not_ready(engine: object) -> None:
        raise TimeoutError("the change feed did not start")

    monkeypatch.setattr(member, "_setup", feed_not_ready)
    try:
        member.attach(store)
    finally:
        member.close()
        store.close()
    assert not member.enabled and not member.feed_live
    assert member.shares_database
    assert member.problem is not None and "cannot join the cluster yet" in member.problem


def test_the_negative_cache_forgets_after_its_ttl_and_on_discard() -> None:
    now = [0.0]
    cache = NegativeCache(clock=lambda: now[0])
    cache.add(("a", 1))
    cache.add(("b", 2))
    assert cache.known_missing(("a", 1)) and cache.hits == 1
    cache.discard(("a", 1))
    assert not cache.known_missing(("a", 1))
    now[0] = TTL_S + 1
    assert not cache.known_missing(("b", 2)) and len(cache) == 0


def test_a_payload_that_is_not_ours_is_ignored() -> None:
    assert Change.decode("hello") is None
    assert Change.decode('{"t": "T"}') is None
    change = Change("T", 42, "delete", "h", "SQL", 1.5)
    assert Change.decode(change.encode()) == change


@pytest.mark.parametrize(
    "server",
    [
        pytest.param("postgres_url", marks=pytest.mark.postgres, id="postgresql"),
        pytest.param("mariadb_url", marks=pytest.mark.mariadb, id="mariadb"),
    ],
)
def test_read_rows_by_finds_a_row_by_a_case_folded_key(
    server: str, request: pytest.FixtureRequest, open_row_store: Callable[..., SqlRowStore]
) -> None:
    url = request.getfixturevalue(server)
    create_employees_table(url)
    store = open_row_store(employees_connector(url))
    store.insert({**NEW, "ContosoLogin": "MixedCase"})
    (row,) = store.read_rows_by("ContosoLogin", "mixedcase", case_exact=False)
    assert row["ContosoLogin"] == "MixedCase"
    assert store.read_rows_by("FirstName", "nobody", case_exact=True) == []


@pytest.mark.parametrize(
    "server",
    [
        pytest.param("postgres_url", marks=pytest.mark.postgres, id="postgresql"),
        pytest.param("mariadb_url", marks=pytest.mark.mariadb, id="mariadb"),
    ],
)
def test_read_rows_by_finds_every_row_the_cache_rule_matches_beyond_ascii(
    server: str, request: pytest.FixtureRequest, open_row_store: Callable[..., SqlRowStore]
) -> None:
    """The cache folds with casefold (ß → ss, ς → σ); the read-through must find what it
    would, or a miss answers "not found" for a row the cache would have matched."""
    url = request.getfixturevalue(server)
    create_employees_table(url)
    store = open_row_store(employees_connector(url))
    logins = ["Straße", "Strasse-Two", "Σίσυφος", "ﬁnn", "Grüße"]
    for login in logins:
        store.insert({**NEW, "ContosoLogin": login})
    for asked in ["STRASSE", "strasse-two", "ΣΊΣΥΦΟΣ", "FINN", "GRÜSSE", "grüße"]:
        key = asked.casefold()
        found = store.read_rows_by("ContosoLogin", asked, case_exact=False)
        matched = sorted(r["ContosoLogin"] for r in found if r["ContosoLogin"].casefold() == key)
        assert matched == sorted(x for x in logins if x.casefold() == key), asked
