"""What a reload of a running host reads, checks and changes (``Host.reload`` applies it).

A reload (``ecmactl host reload``, SIGHUP, or `configure` on a home whose host runs) re-reads
the home's settings and connectors and validates them exactly as a start does (every field by
the wizard's rules, each connector's token, each changed connector's columns against its live
table). Anything invalid refuses the whole reload: the host keeps serving what it had, and says
why in its log and in `host status`; so does a SQLite file that another host serves (the reload
takes the one-host claim of ``cluster/sqlite_claim.py`` on the files it adds, as a start does).
Otherwise each connector is:

- unchanged: kept as is;
- updated in place: only ``autosync_minutes``, the description or the token references changed
  (the token check re-reads its secrets when the connector file changes anyway);
- re-imported: anything else changed (database, table, anchor, attributes…): a new runtime with
  a new store replaces the old one and imports its table, answering 503 + Retry-After on /Users
  meanwhile (as at start); connections stay open, discovery answers at once;
- added or removed (a host started without --connector serves every connector of its home).

Settings the listening sockets or the TLS context were built from (port, bind address, host
name, certificate and key paths, the log level, ``[limits]``, ``[metrics]``) cannot change
live: the reload applies the rest and reports "restart the host to apply" for those.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from ecmactl.config.models import Connector, HostSettings
from ecmactl.errors import ConfigError
from ecmactl.home import Home
from ecmactl.invocation import command
from ecmactl.status_document import ReloadStatus

# Settings a running host cannot change (the socket, TLS and logging were set up from them).
RESTART_SETTINGS: tuple[str, ...] = (
    "port",
    "bind_address",
    "hostname",
    "certificate",
    "private_key",
    "key_passphrase_ref",
    "log_level",
    "limits",  # the listener (connection cap, handshake timeout) and the edge protocol
    "metrics",  # the metrics socket, bound at start
)
# Connector fields a running connector takes without a new runtime.
LIVE_FIELDS: tuple[str, ...] = (
    "autosync_minutes",
    "description",
    "secret_token_ref",
    "previous_secret_token_ref",
    "previous_secret_token_expires",
)


@dataclass
class NewConfig:
    settings: HostSettings
    connectors: list[Connector]


@dataclass
class Plan:
    """What changes, by connector name."""

    added: list[Connector] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    reimported: list[Connector] = field(default_factory=list)
    updated: list[Connector] = field(default_factory=list)
    restart_needed: list[str] = field(default_factory=list)  # settings keys

    @property
    def changes(self) -> dict[str, list[str]]:
        return {
            "added": [c.name for c in self.added],
            "removed": list(self.removed),
            "reimported": [c.name for c in self.reimported],
            "updated": [c.name for c in self.updated],
        }


@dataclass
class ReloadResult:
    """One reload, as `host reload` prints it and `host status` shows the last one."""

    at: datetime
    result: Literal["ok", "refused"]
    changes: dict[str, list[str]] = field(default_factory=dict)
    restart_needed: list[str] = field(default_factory=list)
    error: str | None = None
    hint: str | None = None

    def to_dict(self) -> ReloadStatus:
        from ecmactl.host.runtime import iso

        return {
            "at": iso(self.at),
            "result": self.result,
            "changes": self.changes,
            "restart_needed": self.restart_needed,
            "error": self.error,
            "hint": self.hint,
        }


def read_config(home: Home, selection: Sequence[str], served: dict[str, Connector]) -> NewConfig:
    """Load and validate the home's config as a start would (blocking: run it in a thread).

    ``selection``: the connectors named by `host run --connector` (empty: every connector of
    the home); ``served``: what runs now (unchanged connectors skip the database check)."""
    from ecmactl.config.store import load_connector, load_settings
    from ecmactl.host.preflight import check_schema
    from ecmactl.tokens import require_token

    settings = load_settings(home)
    names = list(selection) or home.connector_names()
    if not names:
        raise ConfigError(
            f"there is no connector left in {home.root} to serve",
            hint=f"Create one with `{command('init')}`, or stop the host.",
        )
    connectors = [load_connector(home, name) for name in names]
    for connector in connectors:
        require_token(home, connector)
        current = served.get(connector.name)
        if current is None or _needs_import(current, connector):
            for warning in check_schema(home, connector):  # served anyway, as at start
                logging.getLogger("ecmactl.host").warning("%s", warning)
    return NewConfig(settings, connectors)


def plan(current: HostSettings, served: dict[str, Connector], new: NewConfig) -> Plan:
    result = Plan()
    result.restart_needed = [
        key for key in RESTART_SETTINGS if getattr(current, key) != getattr(new.settings, key)
    ]
    wanted = {c.name: c for c in new.connectors}
    result.removed = [name for name in served if name not in wanted]
    for name, connector in wanted.items():
        old = served.get(name)
        if old is None:
            result.added.append(connector)
        elif _needs_import(old, connector):
            result.reimported.append(connector)
        elif old != connector:
            result.updated.append(connector)
    return result


def _needs_import(old: Connector, new: Connector) -> bool:
    """True when more than the live fields changed (a new runtime must import the table)."""
    live = {name: getattr(new, name) for name in LIVE_FIELDS}
    return dataclasses.replace(old, **live) != new
