"""What every generated script shares: its header comment, and POSIX quoting (bash, zsh)."""

from __future__ import annotations

_INSTALL = {
    "bash": "copy to ~/.local/share/bash-completion/completions/ecmactl or /etc/bash_completion.d/",
    "zsh": "save as _ecmactl in a directory listed in $fpath (before compinit runs)",
    "fish": "copy to ~/.config/fish/completions/ecmactl.fish",
    "powershell": "save it and dot-source it from $PROFILE: . /path/to/ecmactl.ps1",
}


def script_header(comment: str, shell: str) -> str:
    """The comment every script starts with: what made it, and where to install it."""
    return "\n".join(
        f"{comment} {line}"
        for line in (
            f"{shell} completion for ecmactl; generated from the command tree by",
            f"`ecmactl completion {shell}`. Do not edit: regenerate instead.",
            f"Install: {_INSTALL[shell]}",
        )
    )


def sh_quote(word: str) -> str:
    """Single-quote a word for POSIX shells (bash, zsh)."""
    return "'" + word.replace("'", "'\\''") + "'"
