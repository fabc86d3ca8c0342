"""Before serving: does each connector's table still have every column the connector uses?

A column renamed or dropped after the wizard ran (the anchor, a selected attribute, the DN,
disable or watermark column) would otherwise fail the first import after the start-up banner,
and every import after it. ``check_schema`` compares the connector with the live table and
raises one ConfigError naming the column, its role, the table and the `configure` command that
fixes it. A database that cannot be reached now (or a table that is missing, which may be the
wrong database being up) is not an error here: the host starts and retries as before.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from ecmactl.config.models import Connector
from ecmactl.errors import ConfigError, UsageError
from ecmactl.home import Home, expand_home
from ecmactl.invocation import command

log = logging.getLogger("ecmactl.host")
CONNECT_TIMEOUT_S = 3.0


def used_columns(connector: Connector) -> Iterator[tuple[str, str, str]]:
    """(column, its role, the `configure` page that sets it) for every column the host reads
    or writes."""
    schema, dep = connector.schema, connector.deprovisioning
    yield schema.anchor, "the anchor", "schema"
    if schema.dn_attribute:
        yield schema.dn_attribute, "the DN attribute", "schema"
    for attribute in connector.attributes:
        yield attribute.column, "a selected attribute", "attributes"
    if dep.disable_flow == "Set attribute value" and dep.disable_attribute:
        yield dep.disable_attribute, "the disable attribute", "deprovisioning"
    if connector.global_.delta_strategy == "Watermark" and connector.global_.watermark_column:
        yield connector.global_.watermark_column, "the watermark column", "global"


def live_columns(home: Home, connector: Connector) -> list[str] | None:
    """The table's column names, or None when the database or the table cannot be read now."""
    import sqlalchemy
    from sqlalchemy.exc import NoSuchTableError

    from ecmactl.secrets import read_secret
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
        with engine.connect() as connection:
            found = sqlalchemy.inspect(connection).get_columns(
                connector.schema.table, connector.schema.db_schema
            )
        return [str(column["name"]) for column in found]
    except NoSuchTableError:
        return None  # retried by the host like an outage (see missing_table)
    except Exception as exc:  # unreachable, refused, timed out: the host retries
        log.debug("connector %s: schema check skipped: %s", connector.name, exc)
        return None
    finally:
        engine.dispose()


def check_schema(home: Home, connector: Connector) -> None:
    """Raise a ConfigError naming the first column the connector uses that the table lacks."""
    columns = live_columns(home, connector)
    if columns is None:
        return
    present = set(columns)
    schema = connector.schema
    table = f"{schema.db_schema}.{schema.table}" if schema.db_schema else schema.table
    for column, role, page in used_columns(connector):
        if column in present:
            continue
        fix = command("configure", page, connector=connector.name)
        raise ConfigError(
            f"connector {connector.name!r}: column {column!r} ({role}) does not exist in table "
            f"{table} (its columns: {', '.join(columns)})",
            hint=f"Choose {role} again with `{fix}`, or restore the column in the database.",
        )
