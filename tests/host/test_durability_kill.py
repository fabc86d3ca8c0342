"""Durability under `kill -9`: 8 concurrent writers create users over real TLS against a
real `ecmactl host run`; the host is killed with SIGKILL while their requests are in flight, then
restarted on the same home and port.

What must hold, on SQLite, PostgreSQL and MariaDB:
- every create the clients saw acknowledged (201) is in the table (read directly) and is served by
  the restarted host; a re-sent create of one gives 409 (the anchor's uniqueness held);
- no create the host refused (any other answer) left a row, nor one that never reached the host
  (connection refused); one whose connection died unanswered may be there or not (both counted);
- the database is sound: `PRAGMA integrity_check` is "ok" (SQLite), no duplicate anchors (all).

The kill is triggered by the acknowledgements, not by time: the test waits on a condition until
the writers together hold ``KILL_AFTER`` of them. Each writer is bounded in count and time.
"""

from __future__ import annotations

import os
import signal
import ssl
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from hostproc import HostProcess, free_port, init_on_database, read_token
from sqlalchemy import text

from ecmactl.sql.connect import make_engine

pytestmark = pytest.mark.slow

CORE = "urn:ietf:params:scim:schemas:core:2.0:User"
WRITERS = 8
# Acknowledged creates, all writers together, before the kill; raise it for a longer soak.
KILL_AFTER = int(os.environ.get("ECMACTL_TEST_KILL_AFTER_ACKS", "500"))
PER_WRITER_MAX = 2 * KILL_AFTER  # a bound on each writer's loop: far more than the kill leaves
DEADLINE_S = 60.0  # liveness only: a host that stops answering fails instead of hanging
PREFIX = "kill9"


@dataclass
class Tally:
    """What the writers' clients saw, shared between their threads."""

    acked: dict[str, str] = field(default_factory=dict)  # userName -> id in the 201
    refused: dict[str, int] = field(default_factory=dict)  # userName -> the other status
    unanswered: list[str] = field(default_factory=list)  # sent; the connection died
    unsent: list[str] = field(default_factory=list)  # connection refused: never reached it
    in_flight: int = 0
    writing: int = WRITERS  # writers still in their loop
    changed: threading.Condition = field(default_factory=threading.Condition)

    def sending(self) -> None:
        with self.changed:
            self.in_flight += 1

    def answered(self, login: str, reply: httpx.Response) -> None:
        with self.changed:
            self.in_flight -= 1
            if reply.status_code == 201:
                self.acked[login] = str(reply.json()["id"])
            else:
                self.refused[login] = reply.status_code
            self.changed.notify_all()

    def failed(self, login: str, exc: httpx.TransportError) -> None:
        with self.changed:
            self.in_flight -= 1
            unsent = isinstance(exc, httpx.ConnectError)  # no connection: nothing was sent
            (self.unsent if unsent else self.unanswered).append(login)
            self.changed.notify_all()

    def stopped(self) -> None:
        with self.changed:
            self.writing -= 1
            self.changed.notify_all()


def _user(login: str) -> dict[str, object]:
    return {
        "schemas": [CORE],
        "userName": login,
        "name": {"givenName": "Kill", "familyName": "Nine"},
        "active": True,
    }


def _write(
    index: int, base: str, trust: ssl.SSLContext, token: str, tally: Tally, done: threading.Event
) -> None:
    """One writer on its own connection: creates until the host dies, the test stops it, or
    its count or time bound is reached."""
    end = time.monotonic() + DEADLINE_S
    headers = {"Authorization": f"Bearer {token}"}
    try:
        with httpx.Client(verify=trust, headers=headers, timeout=DEADLINE_S) as client:
            for n in range(PER_WRITER_MAX):
                if done.is_set() or time.monotonic() > end:
                    return
                login = f"{PREFIX}-w{index}-{n}"
                tally.sending()
                try:
                    reply = client.post(f"{base}/Users", json=_user(login))
                except httpx.TransportError as exc:
                    tally.failed(login, exc)
                    return  # the host is gone
                tally.answered(login, reply)
    finally:
        tally.stopped()


def _stored_logins(db_url: str) -> tuple[set[str], list[str], str | None]:
    """(our userNames in the table, anchors stored twice, SQLite's integrity_check or None)."""
    engine = make_engine(db_url)
    quote = engine.dialect.identifier_preparer.quote
    login, table = quote("ContosoLogin"), quote("Employees")
    try:
        with engine.connect() as conn:
            integrity = None
            if engine.dialect.name == "sqlite":
                integrity = "; ".join(conn.execute(text("PRAGMA integrity_check")).scalars())
            rows = conn.execute(
                text(f"SELECT {login} FROM {table} WHERE {login} LIKE :p"), {"p": f"{PREFIX}-%"}
            )
            stored = set(rows.scalars())
            twice = list(
                conn.execute(
                    text(f"SELECT {login} FROM {table} GROUP BY {login} HAVING COUNT(*) > 1")
                ).scalars()
            )
    finally:
        engine.dispose()
    return stored, twice, integrity


def test_kill_9_under_concurrent_writers_loses_no_acknowledged_create(
    tmp_path: Path, employees_url: str
) -> None:
    home = tmp_path / "home"
    init_on_database(home, employees_url)
    port = free_port()
    base = f"https://localhost:{port}/ecma2host_SQL/scim"
    trust = ssl.create_default_context(cafile=str(home / "certs" / "server.crt"))
    token = read_token(home)
    tally = Tally()
    stop_writers = threading.Event()

    host = HostProcess(home, port)
    try:
        host.wait_ready()
        writers = [
            threading.Thread(target=_write, args=(i, base, trust, token, tally, stop_writers))
            for i in range(WRITERS)
        ]
        for writer in writers:
            writer.start()
        with tally.changed:
            reached = tally.changed.wait_for(
                lambda: len(tally.acked) >= KILL_AFTER or tally.writing == 0,
                timeout=DEADLINE_S,
            )
            in_flight_at_kill = tally.in_flight
            host.proc.send_signal(signal.SIGKILL)  # under the lock: no answer counted meanwhile
        killed = host.stop(signal.SIGKILL)
    finally:
        stop_writers.set()
        host.stop(signal.SIGKILL)
    for writer in writers:
        writer.join(timeout=DEADLINE_S)
    assert not any(w.is_alive() for w in writers)
    assert killed == -signal.SIGKILL
    assert reached and len(tally.acked) >= KILL_AFTER, (
        f"only {len(tally.acked)} creates acknowledged before the deadline; "
        f"refused: {tally.refused}\n{host.log}"
    )
    # The kill landed while requests were in flight: some connections died unanswered.
    assert in_flight_at_kill > 0 and tally.unanswered, f"{in_flight_at_kill} in flight at the kill"

    # The database as the killed host left it.
    stored, twice, integrity = _stored_logins(employees_url)
    missing = sorted(set(tally.acked) - stored)
    assert not missing, f"acknowledged creates lost: {missing}"
    refused_stored = sorted(set(tally.refused) & stored)
    assert not refused_stored, f"refused creates left rows: {refused_stored} ({tally.refused})"
    unsent_stored = sorted(set(tally.unsent) & stored)
    assert not unsent_stored, f"creates that never reached the host left rows: {unsent_stored}"
    assert twice == []
    assert integrity in (None, "ok"), integrity
    unanswered_stored = sum(login in stored for login in tally.unanswered)
    print(  # the numbers a run reports (pytest -s)
        f"\n{employees_url.split(':')[0]}: acknowledged {len(tally.acked)}, refused "
        f"{len(tally.refused)}, in flight at the kill {in_flight_at_kill}, unanswered "
        f"{len(tally.unanswered)} ({unanswered_stored} stored, "
        f"{len(tally.unanswered) - unanswered_stored} not), never sent {len(tally.unsent)}"
    )

    # The restarted host (same home and port; whatever the killed one left in run/ is stale).
    headers = {"Authorization": f"Bearer {token}"}
    with (
        HostProcess(home, port) as again,
        httpx.Client(base_url=base, verify=trust, headers=headers, timeout=DEADLINE_S) as client,
    ):
        again.wait_ready()
        for login, rid in tally.acked.items():
            got = client.get(f"/Users/{rid}")
            assert got.status_code == 200 and got.json()["userName"] == login, got.text
        for login in tally.unanswered:
            got = client.get(f"/Users/{login}")
            assert got.status_code == (200 if login in stored else 404), got.text
        for login in tally.refused:
            assert client.get(f"/Users/{login}").status_code == 404
        last_acked = {login.rsplit("-", 1)[0]: login for login in tally.acked}  # per writer
        for login in last_acked.values():
            again_sent = client.post("/Users", json=_user(login))
            assert again_sent.status_code == 409, again_sent.text
        fresh = client.post("/Users", json=_user(f"{PREFIX}-after-restart"))
        assert fresh.status_code == 201, fresh.text
    assert again.proc.returncode == 0, again.log

    stored_after, twice, integrity = _stored_logins(employees_url)
    assert stored_after == stored | {f"{PREFIX}-after-restart"}
    assert twice == []
    assert integrity in (None, "ok"), integrity
