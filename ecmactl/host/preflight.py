"""Before serving: does each connector's table still match what the connector was set up on?

A column renamed or dropped after the wizard ran (the anchor, a selected attribute, the DN,
disable or watermark column) would otherwise fail the first import after the start-up banner,
and every import after it: ``check_schema`` raises one ConfigError naming the column, its role,
the table and the command that fixes it. Any other difference (a column added, retyped, its
length, nullability, uniqueness or default changed) is served, with one warning line each
naming `configure schema --refresh`. A database that cannot be reached now (or a table that is
missing, which may be the wrong database being up) is not an error here: the host starts and
retries as before.
"""

from __future__ import annotations

import logging

from ecmactl.config.models import Column, Connector
from ecmactl.errors import ConfigError, UsageError
from ecmactl.home import Home, expand_home
from ecmactl.invocation import command
from ecmactl.sql.schema_diff import (
    ColumnChange,
    diff_schema,
    refresh_command,
    table_label,
    used_columns,
)

__all__ = ["check_schema", "live_table", "used_columns"]

log = logging.getLogger("ecmactl.host")
CONNECT_TIMEOUT_S = 3.0


def live_table(home: Home, connector: Connector) -> list[Column] | None:
    """The table's columns as the wizard detects them, or None when the database or the table
    cannot be read now."""
    from ecmactl.secrets import read_secret
    from ecmactl.sql.schema import detect_columns
    from ecmactl.sql.store_engine import store_engine

    conn = connector.connectivity
    password = read_secret(conn.password_ref, home) if conn.password_ref else None
    try:
        engine = store_engine(
            expand_home(conn.database_url, home),
            user=conn.user,
            password=password,
            connect_timeout=CONNECT_TIMEOUT_S,
        )
    except (ConfigError, UsageError):
        raise  # a bad URL or a missing driver: the user's to fix, now
    except Exception as exc:
        log.debug("connector %s: schema check skipped: %s", connector.name, exc)
        return None
    try:
        return detect_columns(engine, connector.schema.table, connector.schema.db_schema)
    except UsageError:
        return None  # the table is missing: retried by the host like an outage
    except Exception as exc:  # unreachable, refused, timed out: the host retries
        log.debug("connector %s: schema check skipped: %s", connector.name, exc)
        return None
    finally:
        engine.dispose()


def check_schema(home: Home, connector: Connector) -> list[str]:
    """Raise a ConfigError naming the first column the connector uses that the table lacks;
    return one warning per other difference between the configured and the live columns."""
    live = live_table(home, connector)
    if live is None:
        return []
    present = {c.name for c in live}
    table = table_label(connector)
    for column, role, page in used_columns(connector):
        if column in present:
            continue
        fix = command("configure", page, connector=connector.name)
        if role == "a selected attribute":
            fix_text = (
                f"Drop it from the connector with `{refresh_command(connector.name)}`, choose "
                f"the attributes again with `{fix}`, or restore the column in the database."
            )
        else:
            fix_text = f"Choose {role} again with `{fix}`, or restore the column in the database."
        raise ConfigError(
            f"connector {connector.name!r}: column {column!r} ({role}) does not exist in table "
            f"{table} (its columns: {', '.join(c.name for c in live)})",
            hint=fix_text,
        )
    if not connector.schema.columns:  # written by hand without the detected columns
        return []
    selected = {a.column for a in connector.attributes}
    by_name = {c.name: c for c in live}
    return [
        _warning(connector, change, by_name.get(change.column), selected)
        for change in diff_schema(connector, live).changes
    ]


def _warning(
    connector: Connector, change: ColumnChange, live: Column | None, selected: set[str]
) -> str:
    refresh = refresh_command(connector.name)
    text = f"connector {connector.name!r}: table {table_label(connector)}: {change.text()}"
    blocks_creates = (
        live is not None
        and not live.nullable
        and not live.has_default
        and live.name not in selected
    )
    if change.kind == "added":
        add = f"`{refresh} --add-column {change.column}`"
        if blocks_creates:
            return f"{text}; creating a user fails until it is a selected attribute: {add}"
        return f"{text}; Entra does not see it until you add it: {add}"
    if blocks_creates:
        attributes = command("configure", "attributes", connector=connector.name)
        return f"{text}; creating a user fails until it is a selected attribute: `{attributes}`"
    return f"{text}; the connector still describes the old column: run `{refresh}`"
