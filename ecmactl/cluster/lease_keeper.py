"""This host's side of one connector's writer lease: take it, renew it, fence every write.

``tick`` (every ``renew_interval``, in a worker thread) renews the lease this host holds, or
takes it when it is free or expired, and otherwise stands by; it reads the row each time, so a
lease handed to this host (``agent failover`` on the active's home) is adopted at the next
tick. ``admit`` refuses a write before it starts when this host knows it is not the writer;
``fence`` runs inside every write transaction (``SqlRowStore.on_write``) and refuses it unless
the row, read with a shared lock, still names this host under the epoch it holds. A holder that
could not renew before its local deadline refuses writes before the database check. A host
started with ``--standby`` switches lease mode on for the connector (``Lease.enable``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from sqlalchemy.engine import Connection

from ecmactl.cluster.lease import MIN_TTL_S, Lease, LeaseState
from ecmactl.rowstore import NotWriter

log = logging.getLogger("ecmactl.host")
_DEADLINE_SHARE = 0.9  # of the TTL: the local deadline falls before the database's expiry
# How long "no lease row" read by a tick lets writes skip the check: under the shortest TTL any
# host may have, so no host, whatever its --lease-ttl, can hold a lease switched on meanwhile.
OFF_FRESH_S = MIN_TTL_S * _DEADLINE_SHARE
OFF_CHECK_S = 0.4  # how often a host in active-active reads the lease row (< OFF_FRESH_S)


class LeaseKeeper:
    """The writer lease of one connector, as this host holds it or waits for it."""

    def __init__(
        self,
        lease: Lease,
        host_id: str,
        *,
        standby: bool,
        ttl: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.lease, self.host_id = lease, host_id
        self.standby, self.ttl = standby, ttl
        self._clock = clock
        self.state: LeaseState | None = None  # the row as the last tick read it
        self.mode = False  # lease mode is on (the row exists)
        self.epoch: int | None = None  # the epoch this host holds the lease under
        self.deadline = 0.0  # clock() after which it stops writing unless renewed
        self.draining = False  # a failover is handing the lease over: admit nothing new
        self._fresh_since: float | None = None  # when it first saw a never-held lease
        # Until this clock(), lease mode is known to be off: writes skip the database check.
        self._off_until = 0.0
        self._said: tuple[str | None, int] | None = None

    @property
    def name(self) -> str:
        return self.lease.connector

    @property
    def holding(self) -> bool:
        return self.epoch is not None and self._clock() < self.deadline

    @property
    def role(self) -> str:
        """active: it may write (active-active, or it holds the lease); else standby."""
        return "standby" if self.mode and not self.holding else "active"

    def start(self) -> None:
        """Switch lease mode on when started with --standby, then read the lease once."""
        if self.standby and self.lease.enable():
            log.info(
                "connector %s: writer lease mode switched on (this host runs with --standby); "
                "one host at a time now writes",
                self.name,
            )
        self.tick()

    # -- in a worker thread ----------------------------------------------------------------------

    def tick(self) -> None:
        """Renew, adopt or take the lease, or stand by; raises when the database fails."""
        sent = self._clock()
        if self.epoch is not None:
            if self.lease.renew(self.host_id, self.epoch, self.ttl):
                self.deadline = sent + self.ttl * _DEADLINE_SHARE
            else:
                log.warning(
                    "connector %s: lost the writer lease (epoch %d); writes are refused here",
                    self.name,
                    self.epoch,
                )
                self.epoch = None
        state = self.lease.read()
        self.state, self.mode = state, state is not None
        if state is None:
            self.epoch = None  # back to active-active: the fence lets every write through
            self._fresh_since = None  # a lease switched on again later is fresh again
            # No host can hold a lease within MIN_TTL_S of lease mode being switched on (the
            # database refuses), so "off" read at ``sent`` holds for OFF_FRESH_S.
            self._off_until = sent + OFF_FRESH_S
            return
        self._off_until = 0.0
        if self.epoch is not None or self.draining:
            return
        if state.holder == self.host_id:  # handed to this host by the active's failover
            self._hold(state.epoch, "was handed")
        elif not state.held and self._may_take(state):
            self._acquire()
        if self.epoch is None:
            self._say_standby(state)

    def take(self) -> int | None:
        """Take the lease whoever holds it (failover on a standby's home)."""
        sent = self._clock()
        epoch = self.lease.take(self.host_id, self.ttl)
        if epoch is not None:
            self.epoch, self.deadline = epoch, sent + self.ttl * _DEADLINE_SHARE
            log.info("connector %s: took the writer lease (epoch %d)", self.name, epoch)
        return epoch

    def hand_over(self, target: str) -> int | None:
        """Pass the lease this host holds to ``target``: the new epoch, or None."""
        epoch, self.epoch = self.epoch, None
        if epoch is None:
            return None
        handed = self.lease.hand_over(self.host_id, epoch, target, self.ttl)
        if handed is not None:
            log.info(
                "connector %s: handed the writer lease to host %s (epoch %d)",
                self.name,
                target,
                handed,
            )
        return handed

    def release(self) -> None:
        """Give the lease up at shutdown, so a standby takes it at its next tick."""
        epoch, self.epoch = self.epoch, None
        if epoch is not None and self.lease.release(self.host_id, epoch):
            log.info("connector %s: released the writer lease (epoch %d)", self.name, epoch)

    def fence(self, conn: Connection) -> None:
        """Inside a write transaction: refuse it (NotWriter) unless this host may commit.
        Active-active, read fresh by the last tick, costs no round trip."""
        if self._clock() < self._off_until:
            return
        held = self.lease.locked(conn)
        if held is None:
            return  # lease mode is off: active-active
        holder, epoch = held
        if holder == self.host_id and epoch == self.epoch and self.holding:
            # Hung from here to the commit: the database ends it before the lease expires.
            self.lease.end_if_idle(conn, self.ttl / 2)
            return
        raise NotWriter(self._refusal(holder))

    # -- on the event loop ------------------------------------------------------------------------

    def admit(self) -> None:
        """Before a write starts: refuse it when this host knows it is not the writer."""
        if self.draining:
            raise NotWriter(
                f"This host is handing connector {self.name}'s writer lease to another host; "
                "nothing was written. Retry."
            )
        if self.mode and not self.holding:
            raise NotWriter(self._refusal(self.state.holder if self.state else None))

    # -- internals ---------------------------------------------------------------------------------

    def _may_take(self, state: LeaseState) -> bool:
        if not self.standby or state.holder is not None or state.epoch > 0:
            return True
        # A lease nobody held yet: no host may take it within a TTL of lease mode switching on
        # (``Lease.acquire``); a --standby host leaves it to the others for another TTL/2, so
        # the host started without --standby (it tries every TTL/5) becomes the active one.
        now = self._clock()
        if self._fresh_since is None:
            self._fresh_since = now
        return now - self._fresh_since >= self.ttl * 1.5

    def _acquire(self) -> None:
        sent = self._clock()
        epoch = self.lease.acquire(self.host_id, self.ttl)
        if epoch is not None:
            self._hold(epoch, "took", sent)

    def _hold(self, epoch: int, how: str, sent: float | None = None) -> None:
        sent = self._clock() if sent is None else sent
        if how == "was handed" and not self.lease.renew(self.host_id, epoch, self.ttl):
            return
        self.epoch, self.deadline, self._said = epoch, sent + self.ttl * _DEADLINE_SHARE, None
        log.info(
            "connector %s: this host %s the writer lease (epoch %d) and accepts writes",
            self.name,
            how,
            epoch,
        )

    def _say_standby(self, state: LeaseState) -> None:
        said = (state.holder, state.epoch)
        if said != self._said:
            self._said = said
            holder = f"host {state.holder}" if state.holder else "no host yet"
            log.info(
                "connector %s: standing by (writes answer 503): %s holds the writer lease "
                "(epoch %d)",
                self.name,
                holder,
                state.epoch,
            )

    def _refusal(self, holder: str | None) -> str:
        who = f"host {holder} holds it" if holder else "no host holds it right now"
        return (
            f"This host is a standby for connector {self.name}: {who} (writer lease); "
            "nothing was written. Retry."
        )
