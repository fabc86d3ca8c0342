"""Reloading a running host's config, through a real `ecmactl host run`:
`configure` applies its change to the running host, `host reload` and SIGHUP re-read the home,
an invalid config is refused while the old one keeps serving, a new database is imported again,
settings that need a restart say so, and `host status` shows the last reload."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import ssl
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import tomli_w
from hostproc import HostProcess, ecmactl, free_port, init_sample, read_token

pytestmark = pytest.mark.slow


@dataclass
class Live:
    home: Path
    port: int
    host: HostProcess
    client: httpx.Client

    @property
    def connector_file(self) -> Path:
        return self.home / "connectors" / "SQL.toml"

    def status(self) -> dict[str, Any]:
        done = ecmactl(self.home, "host", "status", "--json")
        document: dict[str, Any] = json.loads(done.stdout)
        document["exit_code"] = done.returncode
        return document

    def edit(self, path: Path, change: dict[str, Any]) -> None:
        data = tomllib.loads(path.read_text())
        for key, value in change.items():
            target = data
            *parents, last = key.split(".")
            for parent in parents:
                target = target[parent]
            target[last] = value
        path.write_text(tomli_w.dumps(data))

    def users(self) -> int:
        answer = self.client.get("/Users")
        assert answer.status_code == 200, answer.text
        return int(answer.json()["totalResults"])


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    home = tmp_path / "home"
    init_sample(home)
    port = free_port()
    trust = ssl.create_default_context(cafile=home / "certs" / "server.crt")
    with (
        HostProcess(home, port) as host,
        httpx.Client(
            base_url=f"https://localhost:{port}/ecma2host_SQL/scim",
            verify=trust,
            headers={"Authorization": f"Bearer {read_token(home)}"},
            timeout=10,
        ) as client,
    ):
        host.wait_ready()
        yield Live(home, port, host, client)


def test_configure_applies_a_change_to_the_running_host(live: Live) -> None:
    before = live.status()
    assert before["connectors"][0]["autosync_minutes"] == 120 and before["reload"] is None
    done = ecmactl(
        live.home, "configure", "properties", "--connector", "SQL", "--autosync-minutes", "5"
    )
    assert done.returncode == 0, done.stderr
    assert "Reloaded: updated SQL" in done.stderr
    after = live.status()
    assert after["exit_code"] == 0
    assert after["connectors"][0]["autosync_minutes"] == 5
    assert after["reload"]["result"] == "ok" and after["reload"]["changes"]["updated"] == ["SQL"]
    assert live.users() == 5  # kept serving, same cache, no re-import
    assert "reloaded: updated SQL" in live.host.log


def test_an_invalid_config_is_refused_and_the_old_one_keeps_serving(live: Live) -> None:
    good = live.connector_file.read_text()
    live.edit(live.connector_file, {"schema.anchor": "NoSuchColumn"})
    done = ecmactl(live.home, "host", "reload")
    assert done.returncode == 1
    assert "Reload refused" in done.stdout and "'NoSuchColumn' (the anchor)" in done.stdout
    assert "keeps serving" in done.stdout
    assert live.users() == 5
    status = ecmactl(live.home, "host", "status")
    assert status.returncode == 1
    assert "was refused" in status.stdout and "NoSuchColumn" in status.stdout
    assert f"ecmactl --home {live.home} host reload" in status.stdout
    assert "reload refused, the previous config keeps serving" in live.host.log
    live.connector_file.write_text(good)
    assert ecmactl(live.home, "host", "reload").returncode == 0
    assert live.status()["exit_code"] == 0


def test_a_new_database_is_imported_again(live: Live) -> None:
    source = live.home / "data" / "contoso.db"
    other = live.home / "data" / "other.db"
    shutil.copy(source, other)
    with sqlite3.connect(other) as db:
        db.execute("DELETE FROM Employees WHERE rowid > 2")
    live.edit(live.connector_file, {"connectivity.database_url": "sqlite:///{home}/data/other.db"})
    done = ecmactl(live.home, "host", "reload", "--json")
    assert done.returncode == 0, done.stdout
    assert json.loads(done.stdout)["result"]["changes"]["reimported"] == ["SQL"]
    end = time.monotonic() + 30
    while live.client.get("/Users").status_code != 200:  # 503 + Retry-After while importing
        assert time.monotonic() < end
        time.sleep(0.05)  # a poll interval, bounded by the deadline
    assert live.users() == 2


def test_settings_that_need_a_restart_say_so(live: Live) -> None:
    live.edit(live.home / "settings.toml", {"port": free_port()})
    done = ecmactl(live.home, "host", "reload")
    assert done.returncode == 0, done.stdout
    assert "Restart the host to apply: port" in done.stdout
    status = ecmactl(live.home, "host", "status")
    assert status.returncode == 1
    assert "restart the host to apply: port changed in settings.toml" in status.stdout
    assert live.users() == 5  # still on the port it was started on


def test_sighup_reloads(live: Live) -> None:
    live.edit(live.connector_file, {"autosync_minutes": 7})
    live.host.proc.send_signal(signal.SIGHUP)
    end = time.monotonic() + 30
    while (reload := live.status()["reload"]) is None:
        assert time.monotonic() < end, live.host.log
        time.sleep(0.05)  # a poll interval, bounded by the deadline
    assert reload["result"] == "ok"
    assert live.status()["connectors"][0]["autosync_minutes"] == 7
    assert live.host.proc.poll() is None


def test_a_sighup_during_the_start_is_applied_once_serving(tmp_path: Path) -> None:
    """A `systemctl reload` while `host run` still checks its connectors must neither kill it
    (death by SIGHUP is a clean exit to systemd: no restart) nor be lost."""
    home = tmp_path / "home"
    init_sample(home)
    secret = home / "secrets" / "SQL.secret-token"
    token = secret.read_text()
    secret.unlink()
    os.mkfifo(secret)  # the start's token check blocks on it until the test writes
    with HostProcess(home, free_port()) as host:
        writer = os.open(secret, os.O_WRONLY)  # returns once the host opened it: mid-start
        try:
            connector = home / "connectors" / "SQL.toml"
            data = tomllib.loads(connector.read_text())
            data["autosync_minutes"] = 7
            connector.write_text(tomli_w.dumps(data))
            host.proc.send_signal(signal.SIGHUP)
            plain = home / "secrets" / "plain"
            plain.write_text(token)
            plain.replace(secret)  # later reads find a regular file
            os.write(writer, token.encode())
        finally:
            os.close(writer)
        status = host.wait_ready()
        end = time.monotonic() + 30
        while status["reload"] is None:
            assert time.monotonic() < end, host.log
            time.sleep(0.05)  # a poll interval, bounded by the deadline
            status = json.loads(ecmactl(home, "host", "status", "--json").stdout)
        assert status["reload"]["result"] == "ok", status["reload"]
        assert status["connectors"][0]["autosync_minutes"] == 7
        assert host.proc.poll() is None
