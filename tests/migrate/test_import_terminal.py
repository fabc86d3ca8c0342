"""`init --from` on a real terminal (a pty): the wizard's own prompts ask what the export cannot
carry; with --defaults only what has no default (the database and its password)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from migratekit import FIXTURES

pexpect = pytest.importorskip("pexpect")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")]
ENTER = "\r"


def test_the_import_asks_on_a_terminal(tmp_path: Path):
    home = tmp_path / "home"
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "TERM": "xterm",
        "COLUMNS": "120",
        "LINES": "50",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "PROMPT_TOOLKIT_NO_CPR": "1",  # pexpect does not answer the cursor-position request
    }
    env.pop("ECMACTL_NO_INPUT", None)
    fixture = str(FIXTURES / "mim_table.xml")
    child = pexpect.spawn(
        sys.executable,
        [
            "-m",
            "ecmactl",
            "--home",
            str(home),
            "init",
            "--from",
            fixture,
            "--defaults",
            "--secret-store",
            "file",
            "--hostname",
            "localhost",
        ],
        env=env,
        encoding="utf-8",
        timeout=60,  # a hang bound, not a speed check
        dimensions=(50, 120),
    )
    child.expect_exact("Import HR_SQL")
    child.expect_exact("Database URL")  # no default: asked even with --defaults
    child.send("postgresql://db01.contoso.test/hr" + ENTER)
    child.expect_exact("Password")  # User Name: the export's svc_mim, a default (--defaults)
    child.send("pw-from-terminal" + ENTER)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    text = (home / "connectors" / "HR_SQL.toml").read_text()
    assert 'user = "svc_mim"' in text and "pw-from-terminal" not in text
    assert (home / "secrets" / "HR_SQL.db-password").read_text().strip() == "pw-from-terminal"
