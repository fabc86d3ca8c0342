"""Settings: the certificate is checked against the host name where it is chosen, so a wrong
certificate is refused on the Settings page, not after the review of every other answer."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ecmactl.certs.testing import TestCA, pem, pfx
from ecmactl.cli import app
from ecmactl.home import Home
from ecmactl.testing import Turns


def _pem_for(tmp_path: Path, hostname: str, name: str) -> Path:
    ca = TestCA.create()
    leaf, key = ca.issue(hostname)
    path = tmp_path / name
    path.write_bytes(pem(ca.certificate, leaf, key))  # CA first: the leaf is still found
    return path


def test_a_pem_for_another_host_is_refused_at_the_question(run_sample_wizard, tmp_path: Path):
    wrong = _pem_for(tmp_path, "other.contoso.test", "wrong.pem")
    right = _pem_for(tmp_path, "ecma01.contoso.test", "right.pem")

    _, prompter, _ = run_sample_wizard(
        {
            "settings.certificate": "existing",
            "settings.certificate_path": Turns(str(wrong), str(right)),
        }
    )

    ((key, message),) = prompter.errors
    assert key == "settings.certificate_path"
    assert "does not include the host name ecma01.contoso.test" in message
    # Refused and asked again at once, not after the review.
    first = prompter.asked.index("settings.certificate_path")
    assert prompter.asked[first + 1] == "settings.certificate_path"


def test_a_pfx_for_another_host_fails_right_after_its_password(run_sample_wizard, tmp_path):
    ca = TestCA.create()
    leaf, key = ca.issue("other.contoso.test")
    wrong = tmp_path / "wrong.pfx"
    wrong.write_bytes(pfx(leaf, key, password="pw-123"))
    right = _pem_for(tmp_path, "ecma01.contoso.test", "right.pem")

    _, prompter, _ = run_sample_wizard(
        {
            "settings.certificate": "existing",
            "settings.certificate_path": Turns(str(wrong), str(right)),
            "settings.certificate_password": Turns("pw-123", None),
        },
        on_action_failure=["back"],
    )

    ((title, message),) = prompter.failures
    assert title == "Checking the certificate"
    assert "ecma01.contoso.test" in message
    # The failure came before any connector page.
    assert prompter.asked.index("properties.name") > prompter.asked.index(
        "settings.certificate_password"
    )


def test_keeping_a_certificate_that_misses_a_new_host_name_is_refused(home: Home):
    def invoke(*args: str):
        return CliRunner().invoke(app, ["--home", str(home.root), *args])

    assert (
        invoke("init", "--sample", "--no-input", "--hostname", "ecma01.contoso.test").exit_code == 0
    )
    before = (home.root / "settings.toml").read_bytes()

    result = invoke("configure", "settings", "--no-input", "--hostname", "ecma02.contoso.test")

    assert result.exit_code == 2, result.stderr
    assert "does not cover the host name ecma02.contoso.test" in result.stderr
    assert "--certificate" in result.stderr
    assert (home.root / "settings.toml").read_bytes() == before

    regenerated = invoke(
        "configure",
        "settings",
        "--no-input",
        "--hostname",
        "ecma02.contoso.test",
        "--certificate",
        "generate",
    )
    assert regenerated.exit_code == 0, regenerated.stderr
