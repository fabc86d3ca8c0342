"""``python -m ecmactl`` and the console script: answer --version before loading the CLI."""

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:  # scripts call this often; it needs nothing but a string
        from ecmactl import __version__

        sys.stdout.write(f"ecmactl {__version__}\n")
        return
    from ecmactl.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
