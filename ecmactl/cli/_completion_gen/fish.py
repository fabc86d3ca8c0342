"""The fish script: one ``complete`` line per subcommand, option and argument."""

from __future__ import annotations

from ecmactl.cli._completion_gen.script import script_header
from ecmactl.cli._completion_gen.tree import SAFE_NAME, Command, Value


def _fish(word: str) -> str:
    """Single-quote a word for fish (only \\\\ and \\' are special inside)."""
    return "'" + word.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish_candidates(value: Value) -> str:
    """The `complete` flags that list a value's candidates ("" for free text)."""
    if value.kind == "choice":
        # -a is expanded like a command line, so the inner quotes keep "Set attribute value" whole.
        words = " ".join(c if SAFE_NAME.fullmatch(c) else _fish(c) for c in value.choices)
        return "-a " + (f'"{words}"' if not set('"$\\').intersection(words) else _fish(words))
    if value.kind == "file":
        return "-F"
    if value.kind == "dir":
        return "-a '(__fish_complete_directories)'"
    if value.kind == "connector":
        return "-a '(__ecmactl_connectors)'"
    return ""


def _fish_option_value(value: Value) -> str:
    # -r: needs a value; -x: needs a value and no file names (unless -F says otherwise).
    return " ".join(filter(None, ["-r" if value.kind == "file" else "-x", _fish_candidates(value)]))


def render_fish(root: Command) -> str:
    subcommand_cases, value_patterns, completions = [], [], []
    for cmd in root.walk():
        if cmd.subcommands:
            subcommand_cases += [
                f"        case {_fish(cmd.key)}",
                f"            printf '%s\\n' {' '.join(s.path[-1] for s in cmd.subcommands)}",
            ]
        value_patterns += [
            _fish(f"{cmd.key} {n}") for o in cmd.options if o.value is not None for n in o.names
        ]
        # Names are checked safe, so the path can sit in single quotes inside double quotes.
        is_here = f"__ecmactl_is '{cmd.key}'"
        lines = [f"# {cmd.key}"]
        for sub in cmd.subcommands:
            lines.append(
                f'complete -c ecmactl -n "{is_here} 0" -a {sub.path[-1]} '
                f"-d {_fish(sub.help or sub.path[-1])}"
            )
        for opt in cmd.options:
            for name in opt.all_names:
                if name.startswith("--"):
                    flag = f"-l {name[2:]}"
                elif len(name) == 2:
                    flag = f"-s {name[1]}"
                else:
                    flag = f"-o {name[1:]}"
                value = f" {_fish_option_value(opt.value)}" if opt.value else ""
                lines.append(
                    f'complete -c ecmactl -n "{is_here}" {flag}{value} -d {_fish(opt.help or name)}'
                )
        for index, arg in enumerate(cmd.arguments):
            position = f"{index}+" if arg.variadic else str(index)
            candidates = _fish_candidates(arg.value)
            if candidates:
                lines.append(
                    f'complete -c ecmactl -n "{is_here} {position}" {candidates} '
                    f"-d {_fish(arg.hint)}"
                )
            if arg.variadic:
                break
        completions.append("\n".join(lines))
    return _FISH.format(
        header=script_header("#", "fish"),
        subcommand_cases="\n".join(subcommand_cases),
        value_patterns=" \\\n            ".join(value_patterns) or "''",
        completions="\n\n".join(completions),
    )


_FISH = r"""{header}

# Prints the subcommands of command path $argv[1] ("ecmactl configure").
function __ecmactl_subcommands
    switch $argv[1]
{subcommand_cases}
    end
end

# Succeeds when option $argv[2] of command path $argv[1] takes a value.
function __ecmactl_takes_value
    switch "$argv[1] $argv[2]"
        case {value_patterns}
            return 0
    end
    return 1
end

# Sets __ecmactl_path (the command path being completed) and __ecmactl_npos (positional words
# it already has). fish tests every completion's condition on each TAB, so the result is kept
# for as long as the command line stays the same.
function __ecmactl_parse
    set -l line (commandline -pc)
    test "$line" = "$__ecmactl_line"; and return
    set -g __ecmactl_line $line
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l path ecmactl
    set -l npos 0
    set -l skip 0
    set -l options_done 0
    for token in $tokens
        if test $skip = 1
            set skip 0
        else if test $options_done = 0; and string match -q -- '-?*' $token
            if test "x$token" = x--  # not `test $token = --`: test could read -- as an option
                set options_done 1
            else if not string match -q -- '*=*' $token; and __ecmactl_takes_value "$path" $token
                set skip 1
            end
        else if test $npos = 0; and contains -- $token (__ecmactl_subcommands "$path")
            set path "$path $token"
        else
            set npos (math $npos + 1)
        end
    end
    set -g __ecmactl_path $path
    set -g __ecmactl_npos $npos
end

# Succeeds when completing command path $argv[1]; with $argv[2] (N or N+), also when it has
# exactly (or at least) N positional words before the cursor.
function __ecmactl_is
    __ecmactl_parse
    test "$__ecmactl_path" = "$argv[1]"; or return 1
    set -q argv[2]; or return 0
    set -l want (string replace -- + '' $argv[2])
    if string match -q -- '*+' $argv[2]
        test $__ecmactl_npos -ge $want
    else
        test $__ecmactl_npos -eq $want
    end
end

# Prints the connector names of the home being completed: --home on the command line, else
# ECMACTL_HOME or the default home. ecmactl answers `__connectors` without loading its CLI.
function __ecmactl_connectors
    set -l tokens (commandline -opc)
    set -l home
    for i in (seq 2 (count $tokens))
        if test "x$tokens[$i]" = x--home; and set -q tokens[(math $i + 1)]
            set home $tokens[(math $i + 1)]
        else if string match -q -- '--home=*' $tokens[$i]
            set home (string replace -- '--home=' '' $tokens[$i])
        end
    end
    set home (string replace -r -- '^~' $HOME "$home")
    if test -n "$home"
        command $tokens[1] __connectors --home $home 2>/dev/null
    else
        command $tokens[1] __connectors 2>/dev/null
    end
end

# No file names unless an option or argument takes a path.
complete -c ecmactl -f

{completions}
"""
