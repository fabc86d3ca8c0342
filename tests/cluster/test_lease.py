"""The writer lease against real PostgreSQL and MariaDB: acquire, renew, expire, takeover,
hand-over, and fencing (a write that started under epoch N commits before a takeover or is
refused after it, never both)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from db_fixtures import create_employees_table, employees_connector
from sqlalchemy import MetaData, text, update
from sqlalchemy.engine import Connection, Engine

from ecmactl.cluster.lease import Lease, database_now
from ecmactl.cluster.lease_keeper import LeaseKeeper
from ecmactl.cluster.tables import define_lease, ensure_tables
from ecmactl.rowstore import DatabaseUnavailable, NotWriter
from ecmactl.sql.connect import make_engine
from ecmactl.sql.rows import SqlRowStore

NEW = {"FirstName": "N", "LastName": "Ew"}


@pytest.fixture(
    params=[
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ]
)
def db_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(f"{request.param}_url")
    return url


@pytest.fixture
def leases(db_url: str) -> Iterator[Callable[[], Lease]]:
    """``leases()``: another handle on connector SQL's lease row (one engine each)."""
    engines: list[Engine] = []
    table = define_lease(MetaData())

    def new() -> Lease:
        engine = make_engine(db_url)
        engines.append(engine)
        ensure_tables(engine, [table])
        return Lease(engine, table, "SQL")

    yield new
    for engine in engines:
        engine.dispose()


def _until(check: Callable[[], Any], what: str, timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def _switched_on_long_ago(db_url: str) -> None:
    """Backdate connector SQL's lease row as if lease mode was switched on an hour ago (a
    lease nobody held yet is taken only a TTL after that)."""
    engine = make_engine(db_url)
    table = define_lease(MetaData())
    with engine.begin() as conn:
        ago = database_now(conn) - timedelta(hours=1)
        conn.execute(update(table).where(table.c.connector == "SQL").values(changed=ago))
    engine.dispose()


def test_one_holder_at_a_time_through_acquire_renew_expiry_and_hand_over(
    db_url: str, leases: Callable[[], Lease]
) -> None:
    a, b = leases(), leases()
    assert a.read() is None  # lease mode is off until enabled
    assert a.enable() is True
    assert b.enable() is False
    state = b.read()
    assert state is not None and state.holder is None and state.epoch == 0
    assert a.acquire("a", 0.6) is None  # switched on just now: nobody holds it for a TTL
    assert b.take("b", 0.6) is None
    assert _until(lambda: a.acquire("a", 0.6), "the fresh lease to settle") == 1
    assert b.acquire("b", 0.6) is None  # held
    assert a.renew("a", 1, 0.6) is True
    assert _until(lambda: b.acquire("b", 30), "the lease to expire") == 2  # by the db's clock
    assert a.renew("a", 1, 30) is False  # lost: a takeover bumped the epoch
    assert b.hand_over("a", 2, "b", 30) is None  # not a's to hand
    assert b.hand_over("b", 2, "a", 30) == 3  # deliberate failover: at once, epoch+1
    assert b.renew("b", 2, 30) is False and a.renew("a", 3, 30) is True
    assert b.take("b", 30) == 4  # failover run on a standby's home
    assert b.release("b", 4) is True
    state = a.read()
    assert state is not None and state.holder is None and state.epoch == 5
    assert a.acquire("a", 30) == 6  # a released lease is free at once
    assert a.disable() is True
    assert b.read() is None and b.acquire("b", 30) is None


def test_concurrent_acquires_give_exactly_one_holder(
    db_url: str, leases: Callable[[], Lease]
) -> None:
    handles = [leases() for _ in range(6)]
    handles[0].enable()
    _switched_on_long_ago(db_url)
    start = threading.Barrier(len(handles))

    def acquire(i: int) -> int | None:
        start.wait()
        return handles[i].acquire(f"h{i}", 30)

    with ThreadPoolExecutor(len(handles)) as pool:
        results = list(pool.map(acquire, range(len(handles))))
    assert sorted(r for r in results if r is not None) == [1]
    state = handles[0].read()
    assert state is not None and state.holder == f"h{results.index(1)}"


def _lock_waits(engine: Engine) -> int:
    """Sessions of this test's database waiting for a row lock."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            sql = (
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()"
            )
        else:
            sql = (
                "SELECT count(*) FROM information_schema.INNODB_TRX t "
                "JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id "
                "WHERE t.trx_state = 'LOCK WAIT' AND p.DB = DATABASE()"
            )
        return int(conn.execute(text(sql)).scalar_one())


def test_a_write_under_epoch_n_commits_before_a_takeover_or_is_refused_after_it(
    db_url: str, leases: Callable[[], Lease], open_row_store: Callable[..., SqlRowStore]
) -> None:
    create_employees_table(db_url, seed=False)
    store = open_row_store(employees_connector(db_url))
    old = LeaseKeeper(leases(), "old", standby=False, ttl=30)
    old.lease.enable()
    _switched_on_long_ago(db_url)
    old.start()  # takes the free lease at once (no --standby)
    assert old.holding and old.epoch == 1 and old.role == "active"
    new = LeaseKeeper(leases(), "new", standby=True, ttl=30)
    new.start()
    assert new.role == "standby"
    with pytest.raises(NotWriter):
        new.admit()
    fenced = threading.Event()
    go_on = threading.Event()

    def hook(conn: Connection, op: str, anchor: Any) -> None:
        old.fence(conn)
        if anchor == "inflight":  # hold the transaction open after the check
            fenced.set()
            assert go_on.wait(20)

    store.on_write = hook
    store.insert({**NEW, "ContosoLogin": "before"})
    with ThreadPoolExecutor(2) as pool:
        writing = pool.submit(store.insert, {**NEW, "ContosoLogin": "inflight"})
        assert fenced.wait(10)
        taking = pool.submit(new.take)
        _until(lambda: _lock_waits(store.engine) > 0, "the takeover to wait for the write")
        assert not taking.done()  # serialised behind the write in flight
        go_on.set()
        assert writing.result(10)["ContosoLogin"] == "inflight"  # committed under epoch 1
        assert taking.result(10) == 2
    with pytest.raises(NotWriter):  # after the takeover: refused inside the transaction
        store.insert({**NEW, "ContosoLogin": "after"})
    assert store.read_row("after") is None  # rolled back, never committed
    assert store.read_row("inflight") is not None and store.read_row("before") is not None
    old.tick()  # its renewal fails: it knows it lost the lease
    assert old.role == "standby" and not old.holding
    with pytest.raises(NotWriter):
        old.admit()
    store.on_write = lambda conn, op, anchor: new.fence(conn)
    assert store.insert({**NEW, "ContosoLogin": "by-new"})["ContosoLogin"] == "by-new"


def test_a_holder_past_its_local_deadline_refuses_writes_before_the_database_does(
    db_url: str, leases: Callable[[], Lease], open_row_store: Callable[..., SqlRowStore]
) -> None:
    create_employees_table(db_url, seed=False)
    store = open_row_store(employees_connector(db_url))
    now = [0.0]
    keeper = LeaseKeeper(leases(), "a", standby=True, ttl=10, clock=lambda: now[0])
    keeper.start()  # --standby: lease mode on; a never-held lease is left to others at first
    _switched_on_long_ago(db_url)
    now[0] += 5
    keeper.tick()
    assert keeper.role == "standby"
    now[0] += 10
    keeper.tick()  # nobody took it within 1.5 TTL: this standby does
    assert keeper.holding and keeper.epoch == 1
    store.on_write = lambda conn, op, anchor: keeper.fence(conn)
    store.insert({**NEW, "ContosoLogin": "in-time"})
    now[0] += 10  # no renewal for a whole TTL (the database unreachable, the process paused)
    assert keeper.role == "standby"
    with pytest.raises(NotWriter):
        keeper.admit()
    with pytest.raises(NotWriter):
        store.insert({**NEW, "ContosoLogin": "late"})
    assert store.read_row("late") is None


def test_lease_mode_off_lets_every_host_write(
    db_url: str, leases: Callable[[], Lease], open_row_store: Callable[..., SqlRowStore]
) -> None:
    create_employees_table(db_url, seed=False)
    store = open_row_store(employees_connector(db_url))
    keepers = [LeaseKeeper(leases(), name, standby=False, ttl=10) for name in ("a", "b")]
    for keeper in keepers:
        keeper.start()
        assert keeper.role == "active" and not keeper.mode
        keeper.admit()
    for keeper in keepers:
        store.on_write = lambda conn, op, anchor, k=keeper: k.fence(conn)
        store.insert({**NEW, "ContosoLogin": keeper.host_id})
    assert store.read_row("a") is not None and store.read_row("b") is not None


def test_standby_on_a_connector_no_other_host_can_share_is_a_warning_naming_it(
    db_url: str,
) -> None:
    from dataclasses import replace

    from ecmactl.config.models import Connectivity
    from ecmactl.host.server import standby_warnings

    create_employees_table(db_url, seed=False)
    shared = replace(employees_connector(db_url), name="Shared")
    local = replace(shared, name="Local", connectivity=Connectivity(database_url="sqlite:///x.db"))
    assert standby_warnings([local, shared], standby=False) == []
    assert standby_warnings([shared], standby=True) == []
    (warning,) = standby_warnings([local, shared], standby=True)
    assert "--standby does not apply to Local:" in warning and "Shared" not in warning


def test_active_active_writes_skip_the_lease_read_only_while_the_off_reading_is_fresh(
    db_url: str, leases: Callable[[], Lease], open_row_store: Callable[..., SqlRowStore]
) -> None:
    create_employees_table(db_url, seed=False)
    store = open_row_store(employees_connector(db_url))
    now = [0.0]
    keeper = LeaseKeeper(leases(), "a", standby=False, ttl=10, clock=lambda: now[0])
    keeper.start()  # no lease row: active-active
    reads: list[int] = []
    locked = keeper.lease.locked

    def counted(conn: Connection) -> tuple[str | None, int] | None:
        reads.append(1)
        return locked(conn)

    keeper.lease.locked = counted  # type: ignore[method-assign]
    store.on_write = lambda conn, op, anchor: keeper.fence(conn)
    store.insert({**NEW, "ContosoLogin": "fresh"})
    assert reads == []  # "off" read at the last tick: no round trip for the write
    other = leases()
    assert other.enable()  # a --standby host switches lease mode on, and then holds it
    _switched_on_long_ago(db_url)
    assert other.acquire("b", 10) is not None
    now[0] += 9.5  # no tick of this host for 0.95 TTL: its "off" reading is stale
    with pytest.raises(NotWriter):
        store.insert({**NEW, "ContosoLogin": "stale"})
    assert reads == [1] and store.read_row("stale") is None


def test_a_standby_cannot_take_a_fresh_lease_while_active_active_hosts_still_skip_the_check(
    db_url: str, leases: Callable[[], Lease], open_row_store: Callable[..., SqlRowStore]
) -> None:
    """`agent failover` on a standby right after it switched lease mode on: a host that read
    "no lease row" just before still writes without the database check for up to 0.9 TTL, so
    the standby may not hold the lease (and write) until that reading is stale."""
    create_employees_table(db_url, seed=False)
    store = open_row_store(employees_connector(db_url))
    active = LeaseKeeper(leases(), "a", standby=False, ttl=1)
    active.start()  # no lease row: active-active, the next writes skip the lease read
    standby = LeaseKeeper(leases(), "b", standby=True, ttl=1)
    standby.start()  # switches lease mode on
    taken = standby.take()  # `agent failover` on the standby's home, at once
    store.on_write = lambda conn, op, anchor: active.fence(conn)
    try:
        store.insert({**NEW, "ContosoLogin": "by-a"})
        a_wrote = True
    except NotWriter:
        a_wrote = False
    store.on_write = lambda conn, op, anchor: standby.fence(conn)
    try:
        store.insert({**NEW, "ContosoLogin": "by-b"})
        b_wrote = True
    except NotWriter:
        b_wrote = False
    assert not (a_wrote and b_wrote), f"both hosts committed in lease mode (take gave {taken})"
    # Once a TTL has passed since lease mode was switched on, the take goes through.
    assert _until(standby.take, "the fresh lease to settle") is not None
    assert standby.holding


def test_no_host_holds_a_fresh_lease_while_another_host_still_skips_the_check(
    db_url: str, leases: Callable[[], Lease], open_row_store: Callable[..., SqlRowStore]
) -> None:
    """Two hosts without --standby (A, E) run active-active; a --standby host switches lease
    mode on. A reads the row at its next tick and may take the lease, but E read "no lease
    row" just before and writes without the check for up to 0.9 TTL: A may not hold the lease
    (and write) until that reading is stale."""
    create_employees_table(db_url, seed=False)
    store = open_row_store(employees_connector(db_url))
    a = LeaseKeeper(leases(), "a", standby=False, ttl=1)
    e = LeaseKeeper(leases(), "e", standby=False, ttl=1)
    a.start()
    e.start()  # both: no lease row, active-active
    LeaseKeeper(leases(), "b", standby=True, ttl=1).start()  # switches lease mode on
    a.tick()  # A sees it first
    wrote = []
    for keeper in (a, e):
        store.on_write = lambda conn, op, anchor, k=keeper: k.fence(conn)
        try:
            store.insert({**NEW, "ContosoLogin": keeper.host_id})
            wrote.append(keeper.host_id)
        except NotWriter:
            pass
    assert len(wrote) <= 1, f"both {wrote} committed in lease mode"

    def settled() -> bool:
        a.tick()
        return a.holding

    _until(settled, "A to take the lease once it settled")  # then A holds it, as before
    e.tick()
    assert e.role == "standby"


def test_a_holder_hung_inside_a_write_does_not_keep_the_lease_from_a_standby(
    db_url: str, leases: Callable[[], Lease], open_row_store: Callable[..., SqlRowStore]
) -> None:
    """The active host hangs (SIGSTOP, a frozen VM) after its write read the lease row under a
    shared lock and before it committed: the database ends that transaction, so the standby
    takes the lease after it expires instead of waiting for the lock forever, and the hung
    write, when it resumes, is never committed."""
    create_employees_table(db_url, seed=False)
    store = open_row_store(employees_connector(db_url))
    old = LeaseKeeper(leases(), "old", standby=False, ttl=1)
    old.lease.enable()
    _switched_on_long_ago(db_url)
    old.start()
    assert old.holding
    fenced, resume = threading.Event(), threading.Event()

    def hook(conn: Connection, op: str, anchor: Any) -> None:
        old.fence(conn)
        fenced.set()
        assert resume.wait(30)  # hung, with the transaction open

    store.on_write = hook
    new = leases()
    with ThreadPoolExecutor(2) as pool:
        writing = pool.submit(store.insert, {**NEW, "ContosoLogin": "hung"})
        assert fenced.wait(10)
        taking = pool.submit(
            lambda: _until(lambda: new.acquire("new", 30), "the takeover", timeout=20)
        )
        try:
            assert taking.result(25) is not None  # the lease expired and the lock was freed
        finally:
            resume.set()
        with pytest.raises(DatabaseUnavailable):  # the database ended its transaction
            writing.result(10)
    assert store.read_row("hung") is None


def test_failover_on_a_standby_right_after_it_switched_lease_mode_on_says_to_retry(
    db_url: str, open_row_store: Callable[..., SqlRowStore]
) -> None:
    import anyio

    from ecmactl.cluster.member import ClusterMember, FailoverError

    create_employees_table(db_url, seed=False)
    connector = employees_connector(db_url)
    store = open_row_store(connector)
    member = ClusterMember(
        connector, host_id="b", address="b:1", version="0", standby=True, lease_ttl=30
    )

    async def idle() -> None:
        return None

    try:
        member.attach(store)  # --standby: switches lease mode on
        assert member.enabled and member.lease is not None and member.lease.mode
        with pytest.raises(FailoverError) as refused:
            anyio.run(member.failover, idle)
    finally:
        member.close()
    assert refused.value.reason == "settling"
    assert "switched on less than 30 s ago" in refused.value.message
    state = member.lease.lease.read()
    assert state is not None and state.holder is None and state.epoch == 0  # nothing moved


@pytest.mark.parametrize("active_active", [False, True])
def test_failover_while_the_database_fails_is_a_failover_error_naming_it(
    db_url: str,
    open_row_store: Callable[..., SqlRowStore],
    monkeypatch: pytest.MonkeyPatch,
    active_active: bool,
) -> None:
    """`agent failover` when the database stops answering: the member says so (a
    FailoverError the CLI prints, exit 1), not an exception the host answers with a 500."""
    import anyio
    from sqlalchemy.exc import OperationalError

    from ecmactl.cluster.member import ClusterMember, FailoverError

    create_employees_table(db_url, seed=False)
    connector = employees_connector(db_url)
    store = open_row_store(connector)
    member = ClusterMember(connector, host_id="a", address="a:1", version="0")

    def down(*args: Any) -> None:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    async def idle() -> None:
        return None

    try:
        member.attach(store)
        assert member.enabled and member.lease is not None
        monkeypatch.setattr(member.lease.lease, "read", down)
        monkeypatch.setattr(member.lease.lease, "disable", down)
        with pytest.raises(FailoverError) as refused:
            if active_active:
                anyio.run(member.end_lease_mode)
            else:
                anyio.run(member.failover, idle)
    finally:
        member.close()
    assert refused.value.reason == "database"
    assert "connection refused" in refused.value.message


def test_a_host_with_a_long_ttl_stops_skipping_the_check_before_a_short_ttl_host_holds_the_lease(
    db_url: str, leases: Callable[[], Lease], open_row_store: Callable[..., SqlRowStore]
) -> None:
    """Hosts given different --lease-ttl: A (30 s) read "no lease row"; B (1 s) switches lease
    mode on and holds the lease after its own TTL. A's "off" reading must have gone stale
    first, whatever A's TTL, or both would commit."""
    create_employees_table(db_url, seed=False)
    store = open_row_store(employees_connector(db_url))
    now = [0.0]
    a = LeaseKeeper(leases(), "a", standby=False, ttl=30, clock=lambda: now[0])
    a.start()  # no lease row: active-active
    store.on_write = lambda conn, op, anchor: a.fence(conn)
    store.insert({**NEW, "ContosoLogin": "before"})
    b = leases()
    assert b.enable()
    _switched_on_long_ago(db_url)  # as if B's one-second settling time had passed
    assert b.acquire("b", 1) is not None
    now[0] += 1.0  # A has not ticked for B's whole TTL
    with pytest.raises(NotWriter):
        store.insert({**NEW, "ContosoLogin": "unchecked"})
    assert store.read_row("unchecked") is None
