"""``python -m ecmactl`` and the console script: answer --version, a bare --help and the
completion scripts' question (the connector names) before loading the CLI (Typer's import alone
takes longer than these answers may)."""

import sys

COMPLETE_CONNECTORS = "__connectors"  # the hidden question the completion scripts ask


def _static_help() -> str | None:
    """The shipped top-level help, when it is what the CLI would print (see cli/_static_help)."""
    import shutil
    from pathlib import Path

    if shutil.get_terminal_size().columns < 80:  # the CLI wraps narrower; let it
        return None
    try:
        return (Path(__file__).parent / "cli" / "help.txt").read_text(encoding="utf-8")
    except OSError:
        return None


def _connector_names(args: list[str]) -> None:
    """``ecmactl __connectors [--home DIR]``: the home's connector names, one a line, for the
    completion scripts (hidden; prints nothing rather than an error: it runs on every TAB)."""
    home = None
    for index, word in enumerate(args):
        if word == "--home" and index + 1 < len(args):
            home = args[index + 1]
        elif word.startswith("--home="):
            home = word.partition("=")[2]
    from ecmactl.home import resolve_home

    try:
        names = resolve_home(home).connector_names()
    except Exception:  # a completion must never print a traceback into the shell
        return
    sys.stdout.write("".join(f"{name}\n" for name in names))


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == [COMPLETE_CONNECTORS]:
        _connector_names(args[1:])
        return
    if args == ["--version"]:  # scripts call this often; it needs nothing but a string
        from ecmactl import __version__

        sys.stdout.write(f"ecmactl {__version__}\n")
        return
    if args in (["--help"], ["-h"]):
        text = _static_help()
        if text is not None:
            sys.stdout.write(text)
            return
    from ecmactl.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
