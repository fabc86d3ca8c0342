"""Standard input belongs to one run: each run may read one secret from `-`, and a second run in
the same process may too (the claim was module state never reset)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner, Result

from ecmactl.cli import app
from ecmactl.config.store import load_connector
from ecmactl.home import Home
from ecmactl.invocation import Invocation, running
from ecmactl.secrets import read_secret, read_secret_source


def _init_with_token_on_stdin(home: Home, token: str) -> Result:
    args = ["--home", str(home.root), "init", "--sample", "--no-input", "--force"]
    return CliRunner().invoke(app, [*args, "--secret-token-file", "-"], input=token + "\n")


def test_two_runs_in_one_process_each_read_stdin(home: Home):
    for token in ("first-token-from-stdin-1", "second-token-from-stdin-2"):
        result = _init_with_token_on_stdin(home, token)
        assert result.exit_code == 0, result.stderr
        ref = load_connector(home, "SQL").secret_token_ref or ""
        assert read_secret(ref, home) == token


def test_token_commands_after_a_wizard_run_read_stdin(home: Home):
    assert _init_with_token_on_stdin(home, "first-token-from-stdin-1").exit_code == 0
    result = CliRunner().invoke(
        app,
        ["--home", str(home.root), "token", "set", "--token-file", "-"],
        input="third-token-from-stdin-3\n",
    )
    assert result.exit_code == 0, result.stderr


def test_two_flags_of_one_run_cannot_share_stdin(home: Home):
    result = CliRunner().invoke(
        app,
        [
            *("--home", str(home.root), "init", "--sample", "--no-input"),
            *("--secret-token-file", "-", "--db-password-file", "-"),
        ],
        input="token-from-stdin-12345\npassword\n",
    )
    assert result.exit_code == 2
    assert "standard input is already used by --secret-token-file" in result.stderr
    assert not home.connector_path("SQL").exists()


def test_the_claim_ends_with_the_run(tmp_path: Path):
    import io

    with running(Invocation()):
        assert read_secret_source("-", flag="--a", stdin=io.StringIO("one\n")) == "one"
    with running(Invocation()):
        assert read_secret_source("-", flag="--b", stdin=io.StringIO("two\n")) == "two"


EXAMPLE_ANSWERS = Path(__file__).parents[2] / "templates" / "answers.example.toml"


def test_an_answers_file_on_stdin_is_one_more_flag_that_claims_it(home: Home):
    """`--answers-file -` and `--…-file -` read one standard input through one reader
    (``file_flags.read_file_flag``): the second flag is refused by name."""
    result = CliRunner().invoke(
        app,
        [
            *("--home", str(home.root), "init", "--no-input", "--answers-file", "-"),
            *("--secret-token-file", "-"),
        ],
        input=EXAMPLE_ANSWERS.read_text(encoding="utf-8"),
    )
    assert result.exit_code == 2
    assert "--answers-file -: standard input is already used by --secret-token-file" in (
        result.stderr
    )
    assert not home.connector_path("HR").exists()


def test_an_answers_file_on_stdin_alone(home: Home):
    result = CliRunner().invoke(
        app,
        ["--home", str(home.root), "init", "--sample", "--no-input", "--answers-file", "-"],
        input='[properties]\nname = "FromStdin"\n',
    )
    assert result.exit_code == 0, result.output
    assert home.connector_path("FromStdin").exists()


def test_an_answers_file_that_is_not_utf8_names_the_flag(home: Home, tmp_path: Path):
    answers = tmp_path / "answers.toml"
    answers.write_bytes(b"[properties]\nname = 'H\xe9R'\n")
    result = CliRunner().invoke(
        app, ["--home", str(home.root), "init", "--no-input", "--answers-file", str(answers)]
    )
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert f"--answers-file: {answers} is not UTF-8 text (invalid byte at offset" in result.stderr
    assert "Save it as UTF-8 text, or give --answers-file - to read standard input." in (
        result.stderr
    )
