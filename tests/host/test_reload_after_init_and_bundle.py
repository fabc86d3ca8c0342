"""`init` and `bundle apply` into a home whose host runs apply the change to it at once, as
`configure` does, and a reload the running host refuses names no command line of its own as
the fix. Through a real `host run`."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import tomli_w
from hostproc import HostProcess, ecmactl, free_port, init_sample

pytestmark = pytest.mark.slow


def add_connector(home: Path, name: str, *flags: str) -> tuple[int, str, str]:
    database = home / "data" / "contoso.db"
    done = ecmactl(
        home,
        "init",
        "--no-input",
        "--name",
        name,
        "--database-url",
        f"sqlite:///{database}",
        "--table",
        "Employees",
        *flags,
    )
    return done.returncode, done.stdout, done.stderr


def edit(path: Path, key: str, value: object) -> None:
    """Set ``key`` (dotted: ``schema.anchor``) in a TOML file."""
    import tomllib

    data = tomllib.loads(path.read_text())
    *parents, last = key.split(".")
    target = data
    for parent in parents:
        target = target[parent]
    target[last] = value
    path.write_text(tomli_w.dumps(data))


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    init_sample(home)
    return home


@pytest.fixture
def served(sample: Path) -> Iterator[HostProcess]:
    with HostProcess(sample, free_port()) as host:
        host.wait_ready()
        yield host


def test_init_adds_a_connector_the_running_host_serves_at_once(served: HostProcess) -> None:
    code, _, stderr = add_connector(served.home, "HR")
    assert code == 0, stderr
    assert "Reloaded: added HR" in stderr
    assert "Start the host" not in stderr  # it runs
    status = json.loads(ecmactl(served.home, "host", "status", "--json").stdout)
    assert sorted(c["name"] for c in status["connectors"]) == ["HR", "SQL"]
    assert status["reload"]["changes"]["added"] == ["HR"]


def test_init_json_carries_the_reload(served: HostProcess) -> None:
    code, stdout, stderr = add_connector(served.home, "HR", "--json")
    assert code == 0, stderr
    assert json.loads(stdout)["reload"]["changes"]["added"] == ["HR"]


def test_init_without_a_running_host_says_to_start_it(sample: Path) -> None:
    code, _, stderr = add_connector(sample, "HR")
    assert code == 0, stderr
    assert "Reloaded" not in stderr and "1. Start the host:" in stderr


@pytest.fixture
def bundle_of_a_copy(sample: Path, tmp_path: Path) -> Path:
    """A copy of the sample home, emitted as a bundle after each test edits it."""
    copy = tmp_path / "copy"
    shutil.copytree(sample, copy)
    return copy


def emit(home: Path) -> Path:
    out = home.parent / "home.bundle"
    done = ecmactl(home, "bundle", "emit", "-o", str(out), "--force")
    assert done.returncode == 0, done.stderr
    return out


def test_bundle_apply_reloads_the_running_host(served: HostProcess, bundle_of_a_copy: Path) -> None:
    edit(bundle_of_a_copy / "connectors" / "SQL.toml", "autosync_minutes", 5)
    bundle = emit(bundle_of_a_copy)
    done = ecmactl(served.home, "bundle", "apply", str(bundle), "--force")
    assert done.returncode == 0, done.stderr
    assert "Reloaded: updated SQL" in done.stderr
    status = json.loads(ecmactl(served.home, "host", "status", "--json").stdout)
    assert status["connectors"][0]["autosync_minutes"] == 5


def test_a_bundle_the_running_host_refuses_exits_1(
    served: HostProcess, bundle_of_a_copy: Path
) -> None:
    good = (served.home / "connectors" / "SQL.toml").read_text()
    edit(bundle_of_a_copy / "connectors" / "SQL.toml", "schema.anchor", "NoSuchColumn")
    bundle = emit(bundle_of_a_copy)
    text = ecmactl(served.home, "bundle", "apply", str(bundle), "--force")
    assert text.returncode == 1, text.stderr
    assert "Reload refused" in text.stderr and "NoSuchColumn" in text.stderr
    assert "keeps serving" in text.stderr
    (served.home / "connectors" / "SQL.toml").write_text(good)  # so the bundle differs again
    done = ecmactl(served.home, "bundle", "apply", str(bundle), "--force", "--json")
    assert done.returncode == 1, done.stderr
    reload = json.loads(done.stdout)["reload"]
    assert reload["result"] != "ok" and "NoSuchColumn" in reload["error"]


def test_a_refused_reload_does_not_offer_the_host_command_line(sample: Path) -> None:
    code, _, stderr = add_connector(sample, "HR")
    assert code == 0, stderr
    with HostProcess(sample, free_port(), "--connector", "HR") as host:
        host.wait_ready()
        (sample / "connectors" / "HR.toml").unlink()
        done = ecmactl(sample, "host", "reload")
    assert done.returncode == 1
    assert "there is no connector named 'HR'" in done.stdout
    fix = next(line for line in done.stdout.splitlines() if "Fix:" in line)
    assert "host run" not in fix, fix
    assert f"ecmactl --home {sample} configure show --connector SQL" in fix
