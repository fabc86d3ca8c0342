"""Wizard details a newcomer hit: names, object types, ports, SQLite credentials, plurals."""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from ecmactl.errors import UsageError
from ecmactl.home import Home
from ecmactl.testing import ScriptedPrompter
from ecmactl.wizard.context import WizardContext
from ecmactl.wizard.database import test_connection as connection_note
from ecmactl.wizard.engine import Sources, run_wizard
from ecmactl.wizard.pages import CONNECTIVITY, CONNECTOR_PAGES, OBJECT_TYPES, PROPERTIES, SETTINGS


def test_a_name_with_the_host_prefix_is_refused(home: Home):
    with pytest.raises(UsageError, match=r"adds the ecma2host_ prefix itself.*name it HR"):
        run_wizard(
            [PROPERTIES],
            WizardContext(home=home),
            Sources(fixed={"properties.name": "ecma2host_HR"}),
            None,
        )


@pytest.mark.parametrize(
    ("typed", "kept"), [("User", "User"), ("user", "User"), ("Person", "Person")]
)
def test_user_like_target_objects_are_accepted(home: Home, typed: str, kept: str):
    ctx = WizardContext(home=home)
    sources = Sources(
        fixed={"object_type.target_object": typed}, defaults={"schema.anchor": "Login"}
    )
    ctx.set("connectivity.dn_is_anchor", True)

    run_wizard([OBJECT_TYPES], ctx, sources, None)

    assert ctx.get("object_type.target_object") == kept


@pytest.mark.parametrize("typed", ["Group", "groups", "Department"])
def test_other_target_objects_are_refused_with_the_reason(home: Home, typed: str):
    ctx = WizardContext(home=home)
    ctx.set("connectivity.dn_is_anchor", True)

    with pytest.raises(UsageError, match=r"--target-object: .*(users only|not an object type)"):
        run_wizard([OBJECT_TYPES], ctx, Sources(fixed={"object_type.target_object": typed}), None)


@pytest.fixture
def listener() -> Iterator[tuple[str, int]]:
    """Another program listening on a loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.2", 0))
        sock.listen()
        yield sock.getsockname()


def settings_sources(**fixed: object) -> Sources:
    base = {"settings.hostname": "ecma01.contoso.test", "settings.secret_store": "file"}
    return Sources(fixed={**base, **{f"settings.{k}": v for k, v in fixed.items()}})


def test_a_port_another_program_listens_on_is_refused(home: Home):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        with pytest.raises(UsageError, match=f"--port: port {port} on 127.0.0.1 is already in use"):
            run_wizard([SETTINGS], WizardContext(home=home), settings_sources(port=port), None)


def test_a_port_in_use_on_the_chosen_address_is_refused(home: Home, listener):
    address, port = listener

    with pytest.raises(
        UsageError, match=f"--bind-address: port {port} on {address} is already in use"
    ):
        run_wizard(
            [SETTINGS],
            WizardContext(home=home),
            settings_sources(port=port, bind_address=address),
            None,
        )


def test_the_address_question_checks_the_pair(home: Home, listener):
    """The port is free on the default 127.0.0.1 but not on every interface."""
    _, port = listener

    with pytest.raises(UsageError, match=f"--bind-address: port {port} on 0.0.0.0"):
        run_wizard(
            [SETTINGS],
            WizardContext(home=home),
            settings_sources(port=port, bind_address="0.0.0.0"),
            None,
        )
    run_wizard([SETTINGS], WizardContext(home=home), settings_sources(port=port), None)


def test_this_homes_own_port_is_not_in_use_by_another(home: Home, listener):
    """The home's running host holds its port; `configure settings` must not refuse it."""
    from ecmactl.config.models import HostSettings
    from ecmactl.config.store import serialize

    address, port = listener
    home.root.mkdir(parents=True)
    home.settings_path.write_text(
        serialize(HostSettings(hostname="ecma01.contoso.test", port=port, bind_address=address))
    )
    ctx = WizardContext(home=home)

    run_wizard(
        [SETTINGS],
        ctx,
        settings_sources(port=port, bind_address=address, certificate="generate"),
        None,
    )

    assert ctx.get("settings.port") == port


def test_sqlite_is_not_asked_for_a_user_or_password(home: Home, sample_url: str):
    prompter = ScriptedPrompter(
        {
            "properties.name": "HR",
            "connectivity.database_url": sample_url,
            "schema.table": "Employees",
        }
    )

    run_wizard(CONNECTOR_PAGES, WizardContext(home=home), Sources(), prompter)

    assert "connectivity.user" not in prompter.asked
    assert "connectivity.password" not in prompter.asked


def test_a_server_database_is_asked_for_them(home: Home):
    unreachable = "postgresql+psycopg://127.0.0.1:1/hr"
    prompter = ScriptedPrompter({"connectivity.database_url": unreachable})

    with pytest.raises(KeyboardInterrupt):  # the connection test fails; the script cancels
        run_wizard([CONNECTIVITY], WizardContext(home=home), Sources(), prompter)

    assert {"connectivity.user", "connectivity.password"} <= set(prompter.asked)


@pytest.mark.parametrize(("tables", "text"), [(1, "1 table or view."), (2, "2 tables and views.")])
def test_counts_are_pluralised(home: Home, tmp_path: Path, tables: int, text: str):
    db = tmp_path / "one.db"
    with sqlite3.connect(db) as conn:
        for n in range(tables):
            conn.execute(f"CREATE TABLE T{n} (Id INTEGER PRIMARY KEY)")
    ctx = WizardContext(home=home)
    ctx.set("connectivity.database_url", f"sqlite:///{db}")

    assert connection_note(ctx).endswith(text)
