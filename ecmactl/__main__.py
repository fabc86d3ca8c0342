"""``python -m ecmactl`` and the console script: answer --version and a bare --help before
loading the CLI (Typer's import alone takes longer than these answers may)."""

import sys


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


def main() -> None:
    args = sys.argv[1:]
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
