"""No secret reaches an output: every cert and token command's stdout, stderr and JSON, the
log records, and every file under the home except the secret store are searched for the
token, password and passphrase values and the private key.

The full run through real processes (init with a given token and database password, a host
serving requests with debug logs, status, Test Connection, bundles) is
tests/host/test_secret_leaks_full_run.py.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from cert_helpers import HOSTNAME
from cryptography.hazmat.primitives import serialization
from typer.testing import CliRunner

from ecmactl.certs.manage import host_paths
from ecmactl.certs.testing import OutputLog, TestCA, find_leaks, pfx
from ecmactl.cli import app
from ecmactl.config.models import Connector, HostSettings
from ecmactl.config.store import save_settings
from ecmactl.home import Home

TOKEN = "Leak-Check-Token-1111aaaa"
NEXT_TOKEN = "Leak-Check-Token-2222bbbb"
SHORT_TOKEN = "tiny-secret"  # refused (11 characters); must not be echoed either
PFX_PASSWORD = "Pfx-Password-3333cccc"
WRONG_PASSWORD = "Wrong-Password-4444dddd"
PASSPHRASE = "Key-Passphrase-5555eeee"
SECRETS = [TOKEN, NEXT_TOKEN, SHORT_TOKEN, PFX_PASSWORD, WRONG_PASSWORD, PASSPHRASE]


@pytest.mark.parametrize("store", ["keyring", "file"])
def test_no_secret_in_any_output_or_file(
    home: Home,
    connector: Connector,
    ca: TestCA,
    tmp_path: Path,
    store: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    settings = HostSettings(hostname=HOSTNAME, secret_store=store)  # type: ignore[arg-type]
    save_settings(home, settings)
    inputs = tmp_path / "inputs"  # outside the home, like a user's files
    inputs.mkdir()
    for name, value in [("token", TOKEN), ("next", NEXT_TOKEN), ("pass", PASSPHRASE)]:
        (inputs / name).write_text(value + "\n")
    leaf, key = ca.issue(HOSTNAME)
    (inputs / "host.pfx").write_bytes(pfx(leaf, key, [ca.certificate], password=PFX_PASSWORD))
    log = OutputLog()

    def run(*args: str, input: str | None = None, code: int | None = 0) -> None:
        result = CliRunner().invoke(app, ["--home", str(home.root), *args], input=input)
        log.add(" ".join(args), result)
        if code is not None:
            assert result.exit_code == code, (args, result.output)

    pfx_path, pass_file = str(inputs / "host.pfx"), str(inputs / "pass")
    run("cert", "create", "--key-type", "ec256", "--passphrase-file", pass_file)
    for args in (
        ["status"],
        ["status", "--json"],
        ["show"],
        ["show", "--json"],
        ["csr"],
        ["csr", "--json"],
        ["renew"],
        ["renew", "--json", "--rekey"],
        ["renew", "--if-due", "--json"],
    ):
        run("cert", *args)
    run("cert", "import", pfx_path, "--password-file", "-", input=WRONG_PASSWORD, code=2)
    run("cert", "import", pfx_path, "--password-file", "-", "--json", input=WRONG_PASSWORD, code=2)
    run("cert", "show", pfx_path, "--password-file", "-", "--json", input=PFX_PASSWORD)
    run(
        "cert",
        "import",
        pfx_path,
        "--password-file",
        "-",
        "--passphrase-file",
        pass_file,
        input=PFX_PASSWORD,
    )
    run("cert", "status", "--json")
    run("cert", "renew", code=10)  # CA-issued: explains what to send
    run("token", "set", "--token-file", "-", input=SHORT_TOKEN, code=2)
    run("token", "set", "--token-file", str(inputs / "token"))
    run("token", "show")
    run("token", "show", "--json")
    run("token", "rotate", "--token-file", str(inputs / "token"), code=2)  # same token
    run("token", "rotate", "--token-file", str(inputs / "next"), "--json")
    run("token", "show")
    run("token", "show", "--json")
    run("token", "rotate", "--token-file", str(inputs / "token"), "--grace", "0")

    # The private key is a secret too: on disk it is encrypted, so its plain PKCS#8 body must
    # appear nowhere (the passphrase must not appear in the encrypted file either).
    key_file = host_paths(home, settings)[1].read_bytes()
    on_disk = serialization.load_pem_private_key(key_file, password=PASSPHRASE.encode())
    plain = on_disk.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    key_body = "".join(plain.splitlines()[1:-1])[:48]
    leaks = find_leaks(
        [*SECRETS, key_body],
        texts={**log.texts, "log records": caplog.text},
        roots=[home.root],
        allowed=[home.secrets_dir],
    )
    assert leaks == []
    assert len(log.texts) >= 2 * 24  # the run really happened
    if store == "file":  # the secrets are where they should be, and only there
        stored = find_leaks(SECRETS, roots=[home.secrets_dir])
        assert stored, "the file store holds the token and passphrase"


def test_the_leak_finder_finds_leaks(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(f"token = '{TOKEN}'")
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "b").write_text(TOKEN)
    hits = find_leaks(
        [TOKEN], texts={"stdout": f"x{TOKEN}x"}, roots=[tmp_path], allowed=[tmp_path / "ok"]
    )
    assert hits == ["stdout: secret #0", f"{tmp_path / 'a.toml'}: secret #0"]
