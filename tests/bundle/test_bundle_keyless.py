"""A bundle applied without its private key.

Before: `agent status` said "no certificate at …/server.crt" (the file is there) with the fix
`ecmactl cert create`, `cert status` said "missing … 0.0% of lifetime used … renewal due" with
`cert renew --rekey`, and `bundle apply` said to copy the key. Now every command names one state,
"certificate without its key", and prints one fix, which works when followed.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
from bundle_home import build_home
from typer.testing import CliRunner, Result

from ecmactl.cli import app
from ecmactl.home import Home


def ecmactl(home: Home, *args: str) -> Result:
    return CliRunner().invoke(app, ["--home", str(home.root), *args], catch_exceptions=False)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def keyless(tmp_path: Path) -> tuple[Home, Home]:
    """A source home and a target home where its bundle (without the key) was applied."""
    source, target = build_home(Home(tmp_path / "source")), Home(tmp_path / "target")
    out = tmp_path / "b.tar.gz"
    assert ecmactl(source, "bundle", "emit", "-o", str(out)).exit_code == 0
    applied = ecmactl(target, "bundle", "apply", str(out))
    assert applied.exit_code == 0, applied.stderr
    return source, target


def test_every_command_names_one_state_and_one_fix(
    keyless: tuple[Home, Home], tmp_path: Path
) -> None:
    _source, target = keyless
    out = tmp_path / "b.tar.gz"
    cert, key = target.certs_dir / "server.crt", target.certs_dir / "server.key"
    ecm = f"ecmactl --home {target.root}"  # every printed command keeps --home
    command = f"{ecm} cert import {cert} --key server.key"
    fix = (
        f"Copy server.key from the host this certificate came from into the current folder, "
        f"then run `{command}`; without that key, `{ecm} cert renew --rekey` issues a new "
        "self-signed certificate, which the provisioning agent's machine must then trust."
    )
    applied = ecmactl(target, "bundle", "apply", str(out))  # again: unchanged, still keyless
    last = flat(applied.stderr).rsplit("! ", 1)[-1]
    assert last == f"The certificate {cert} needs its private key: {fix}"
    document = json.loads(ecmactl(target, "bundle", "apply", str(out), "--json").stdout)
    assert document["key_needed"] == {"certificate": str(cert), "key": str(key), "fix": fix}

    status = ecmactl(target, "cert", "status")
    assert status.exit_code == 13
    text = flat(status.stdout)
    assert "Status: certificate without its key" in text and "missing" not in text
    assert "Renewal: not due" in text
    assert fix in text
    as_json = json.loads(ecmactl(target, "cert", "status", "--json").stdout)
    assert as_json["status"] == "key_missing" and as_json["renewal_due"] is False
    assert as_json["next_steps"] == [fix]

    for kind in ("agent", "host"):
        report = ecmactl(target, kind, "status")
        text = flat(report.stdout)
        assert f"certificate without its key: there is no private key at {key}" in text, kind
        assert "no certificate at" not in text and f"To fix: {fix}" in text, kind

    run = ecmactl(target, "host", "run", "--port", "0")
    assert run.exit_code == 13
    assert "certificate without its key" in flat(run.stderr) and fix in flat(run.stderr)

    renew = ecmactl(target, "cert", "renew")
    assert renew.exit_code == 13 and fix in flat(renew.stderr)


def test_the_fix_works_when_followed(
    keyless: tuple[Home, Home], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, target = keyless
    printed = flat(ecmactl(target, "cert", "status").stdout)
    command = re.search(r"then run `([^`]+)`", printed)
    assert command is not None
    workdir = tmp_path / "work"
    workdir.mkdir()
    shutil.copy(source.certs_dir / "server.key", workdir / "server.key")  # "copy server.key"
    monkeypatch.chdir(workdir)
    argv = shlex.split(command.group(1))
    assert argv[0] == "ecmactl"
    imported = ecmactl(target, *argv[1:])
    assert imported.exit_code == 0, imported.stderr
    assert ecmactl(target, "cert", "status").exit_code == 0
    assert (target.certs_dir / "server.key").stat().st_mode & 0o777 == 0o600
