"""Static shell completion scripts generated from the click command tree.

Typer's own completion re-runs the program on every TAB (a Python start-up each time). These
scripts instead carry the tree itself: subcommands, options with their aliases, which options take
a value and how to complete it (choices, file or directory names). They are regenerated from the
live tree, so generated wizard flags and `configure` pages are picked up without a hand list, and
a test fails when the copies in ``completions/`` are stale.

Run ``python -m ecmactl.cli._completion_gen [DIR]`` to rewrite the four files (default DIR:
``completions``).
"""

from __future__ import annotations

import re
import shlex
import sys
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from typer import _click as click
from typer.core import TyperGroup

PROG = "ecmactl"

#: Shell name → the file name its completion directory expects.
FILE_NAMES: dict[str, str] = {
    "bash": f"{PROG}.bash",
    "zsh": f"_{PROG}",
    "fish": f"{PROG}.fish",
    "powershell": f"{PROG}.ps1",
}
SHELLS = tuple(FILE_NAMES)

# Typer's dynamic-completion installers: they belong to the shim approach, not to these scripts.
_HIDDEN_OPTIONS = frozenset({"--install-completion", "--show-completion"})

# Metavars that name a path although the parameter is typed as a plain string (secret files).
_FILE_METAVARS = frozenset({"PATH", "FILE", "FILENAME"})
_DIR_METAVARS = frozenset({"DIR", "DIRECTORY", "FOLDER"})

# `--home` is typed `Path` (files pass the type check) but always names a folder. The override
# keeps the scripts right until its option declares `file_okay=False`, and is harmless after.
_VALUE_OVERRIDES: dict[tuple[tuple[str, ...], str], Literal["dir"]] = {((PROG,), "--home"): "dir"}

# Names are pasted into shell code unquoted (case patterns, fish conditions, zsh specs), so a
# name outside this set must fail loudly here rather than produce a subtly broken script.
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_SAFE_OPTION = re.compile(r"--?[A-Za-z0-9][A-Za-z0-9_.-]*")

Kind = Literal["text", "file", "dir", "choice"]


@dataclass(frozen=True)
class Value:
    """How a value (of an option or a positional argument) completes."""

    kind: Kind
    hint: str  # the metavar, shown by zsh while the user types a free-text value
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Option:
    names: tuple[str, ...]  # every alias, e.g. ("-q", "--quiet")
    off_names: tuple[str, ...]  # the other side of a boolean pair: ("--no-x",) for --x/--no-x
    help: str
    value: Value | None  # None: a flag
    repeatable: bool  # counted (-vv) or multiple=True
    exits: bool  # eager and exits (--help, --version): nothing else goes with it

    @property
    def all_names(self) -> tuple[str, ...]:
        return self.names + self.off_names


@dataclass(frozen=True)
class Argument:
    hint: str
    value: Value
    variadic: bool  # nargs=-1: takes every remaining positional word


@dataclass(frozen=True)
class Command:
    path: tuple[str, ...]  # ("ecmactl", "configure", "settings")
    help: str
    options: tuple[Option, ...]
    arguments: tuple[Argument, ...]
    subcommands: tuple[Command, ...]

    @property
    def key(self) -> str:
        """The path as the scripts spell it: "ecmactl configure settings"."""
        return " ".join(self.path)

    def walk(self) -> Iterator[Command]:
        yield self
        for sub in self.subcommands:
            yield from sub.walk()


# --- reading the click tree ---------------------------------------------------------------


def read_tree(root: click.Command, prog: str = PROG) -> Command:
    """The completion model of a click command tree (hidden commands and options left out)."""
    ctx = click.Context(root, info_name=prog, **root.context_settings)
    return _read_command(root, ctx, (prog,))


def _read_command(cmd: click.Command, ctx: click.Context, path: tuple[str, ...]) -> Command:
    options: list[Option] = []
    arguments: list[Argument] = []
    for param in cmd.get_params(ctx):
        if getattr(param, "hidden", False) or _HIDDEN_OPTIONS.intersection(param.opts):
            continue
        if param.param_type_name == "argument":
            arguments.append(_read_argument(param))
        else:
            options.append(_read_option(param, path))
    subcommands: list[Command] = []
    if isinstance(cmd, TyperGroup):
        # Sorted, so the scripts do not depend on the order commands were registered in.
        for name in sorted(cmd.list_commands(ctx)):
            sub = cmd.get_command(ctx, name)
            if sub is None or sub.hidden:
                continue
            _check(name, _SAFE_NAME, "command")
            sub_ctx = click.Context(sub, parent=ctx, info_name=name, **sub.context_settings)
            subcommands.append(_read_command(sub, sub_ctx, (*path, name)))
    return Command(
        path=path,
        help=_summary(cmd.get_short_help_str(limit=80)),
        options=tuple(options),
        arguments=tuple(arguments),
        subcommands=tuple(subcommands),
    )


def _read_option(param: click.Parameter, path: tuple[str, ...]) -> Option:
    for name in (*param.opts, *param.secondary_opts):
        _check(name, _SAFE_OPTION, "option")
    is_flag = bool(getattr(param, "is_flag", False))
    count = bool(getattr(param, "count", False))
    value = None if is_flag or count else _read_value(param)
    for name in param.opts:
        if value is not None and (path, name) in _VALUE_OVERRIDES:
            value = Value(_VALUE_OVERRIDES[(path, name)], value.hint)
    return Option(
        # Short names first, as help pages list them; also fixes the order of the help option's
        # names, which click builds from a set (so it changes from one run to the next).
        names=tuple(sorted(param.opts, key=lambda n: (n.startswith("--"), n))),
        off_names=tuple(param.secondary_opts),
        help=_summary(getattr(param, "help", None) or ""),
        value=value,
        repeatable=count or param.multiple,
        exits=param.is_eager and is_flag,  # --help, --version
    )


def _read_argument(param: click.Parameter) -> Argument:
    value = _read_value(param)
    return Argument(hint=value.hint, value=value, variadic=param.nargs == -1)


def _read_value(param: click.Parameter) -> Value:
    """Choices, then path types, then what the metavar says (`None|Delete`, `PATH`)."""
    ptype = param.type
    hint = param.metavar or (param.name or "value").upper()
    choices = getattr(ptype, "choices", None)
    if choices:
        return Value("choice", hint, tuple(_choice_text(c) for c in choices))
    if ptype.name in ("path", "file", "directory", "filename"):
        dirs_only = getattr(ptype, "dir_okay", False) and not getattr(ptype, "file_okay", True)
        return Value("dir" if dirs_only else "file", hint)
    if param.metavar:
        word = param.metavar.rstrip(".").upper()
        if word in _FILE_METAVARS:
            return Value("file", hint)
        if word in _DIR_METAVARS:
            return Value("dir", hint)
        # The wizard's plain-string flags spell their choices in the metavar: "None|'Set x'|Delete".
        listed = _metavar_choices(param.metavar)
        if listed:  # the metavar is the list itself, so name the value after the parameter
            return Value("choice", (param.name or "value").replace("_", " "), listed)
    return Value("text", hint)


def _metavar_choices(metavar: str) -> tuple[str, ...]:
    if "|" not in metavar or any(c in metavar for c in "[]{}<>="):
        return ()
    lexer = shlex.shlex(metavar, posix=True)
    lexer.whitespace = "|"
    lexer.whitespace_split = True
    try:
        words = tuple(lexer)
    except ValueError:  # unbalanced quote: not a list of choices
        return ()
    # All-caps words are placeholders ("NAME|IP": a name or an address), not literal values.
    if len(words) < 2 or any(not w.strip() or w.isupper() for w in words):
        return ()
    return words


def _choice_text(choice: Any) -> str:
    return str(choice.value) if isinstance(choice, Enum) else str(choice)


def _check(name: str, pattern: re.Pattern[str], what: str) -> None:
    if not pattern.fullmatch(name):
        raise ValueError(f"the {what} name {name!r} cannot be written into a completion script")


_ASCII = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "—": "-", "–": "-", "…": "..."})


def _summary(text: str, limit: int = 80) -> str:
    """One plain-ASCII line of help: Windows PowerShell 5.1 reads BOM-less scripts as ANSI."""
    paragraph = text.replace("\b", "").strip().split("\n\n")[0]
    line = " ".join(paragraph.split()).translate(_ASCII)
    line = unicodedata.normalize("NFKD", line).encode("ascii", "ignore").decode()
    if len(line) > limit:
        line = line[: limit - 3].rsplit(" ", 1)[0].rstrip(",;:") + "..."
    return line


# --- bash ---------------------------------------------------------------------------------


def _sh(word: str) -> str:
    """Single-quote a word for POSIX shells (bash, zsh)."""
    return "'" + word.replace("'", "'\\''") + "'"


def _bash_word(word: str) -> str:
    return word if _SAFE_OPTION.fullmatch(word) or _SAFE_NAME.fullmatch(word) else _sh(word)


def _bash_array(words: tuple[str, ...] | list[str]) -> str:
    return "(" + " ".join(_bash_word(w) for w in words) + ")"


def _bash_value(value: Value) -> str:
    if value.kind == "choice":
        return f"_ecmactl_kind=choice; _ecmactl_choices={_bash_array(value.choices)}"
    return f"_ecmactl_kind={value.kind}"


def render_bash(root: Command) -> str:
    commands, options, arguments = [], [], []
    for cmd in root.walk():
        names = [n for o in cmd.options for n in o.all_names]
        commands += [
            f"    {_sh(cmd.key)})",
            f"        _ecmactl_subcommands={_bash_array([s.path[-1] for s in cmd.subcommands])}",
            f"        _ecmactl_options={_bash_array(names)}",
            "        ;;",
        ]
        valued = [o for o in cmd.options if o.value is not None]
        if valued:
            options += [f"    {_sh(cmd.key)})", "        case $2 in"]
            for opt in valued:
                assert opt.value is not None
                options.append(f"        {'|'.join(opt.names)}) {_bash_value(opt.value)} ;;")
            options += ["        esac", "        ;;"]
        if cmd.arguments:
            arguments += [f"    {_sh(cmd.key)})", "        case $2 in"]
            for index, arg in enumerate(cmd.arguments):
                pattern = "*" if arg.variadic else str(index)
                arguments.append(f"        {pattern}) {_bash_value(arg.value)} ;;")
                if arg.variadic:
                    break
            arguments += ["        esac", "        ;;"]
    return _BASH.format(
        header=_header("#", "bash"),
        commands="\n".join(commands),
        options="\n".join(options),
        arguments="\n".join(arguments),
    )


_BASH = r"""{header}

# Sets _ecmactl_subcommands and _ecmactl_options for the command path $1 ("ecmactl configure").
_ecmactl_command() {{
    _ecmactl_subcommands=() _ecmactl_options=()
    case $1 in
{commands}
    esac
}}

# Sets _ecmactl_kind for option $2 of command path $1: empty for a flag, else text (nothing to
# complete), file, dir or choice (the values in _ecmactl_choices).
_ecmactl_option() {{
    _ecmactl_kind= _ecmactl_choices=()
    case $1 in
{options}
    esac
}}

# Sets _ecmactl_kind for positional argument $2 (counted from 0) of command path $1.
_ecmactl_argument() {{
    _ecmactl_kind= _ecmactl_choices=()
    case $1 in
{arguments}
    esac
}}

# Adds to COMPREPLY the values of kind $_ecmactl_kind that start with $1, each prefixed by $2.
_ecmactl_value() {{
    local cur=$1 prefix=$2 choice IFS=$'\n'
    case $_ecmactl_kind in
    choice)
        for choice in "${{_ecmactl_choices[@]}}"; do
            printf -v choice '%q' "$choice"  # "Set attribute value" -> Set\ attribute\ value
            [[ $choice == "$cur"* ]] && COMPREPLY+=("$prefix$choice")
        done
        ;;
    file | dir)
        # compopt only works while readline runs the completion (bash >= 4).
        [[ -z $prefix ]] && compopt -o filenames 2>/dev/null
        if [[ $_ecmactl_kind == dir ]]; then
            COMPREPLY+=($(compgen -P "$prefix" -d -- "$cur"))
        else
            COMPREPLY+=($(compgen -P "$prefix" -f -- "$cur"))
        fi
        ;;
    esac
}}

_ecmactl() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} path=ecmactl word value_of= options_done= i=1 npos=0
    COMPREPLY=()
    # Walk the words before the cursor: a subcommand name extends the path, and an option that
    # takes a value swallows the next word (and the "=" word bash splits `--opt=value` into).
    while ((i < COMP_CWORD)); do
        word=${{COMP_WORDS[i]}}
        if [[ -z $options_done && $word == -?* ]]; then
            if [[ $word == -- ]]; then
                options_done=1
            elif [[ $word != *=* ]]; then
                _ecmactl_option "$path" "$word"
                if [[ -n $_ecmactl_kind ]]; then
                    ((i++))
                    [[ ${{COMP_WORDS[i]}} == = ]] && ((i++))
                    if ((i >= COMP_CWORD)); then
                        value_of=$word
                        break
                    fi
                fi
            fi
        else
            _ecmactl_command "$path"
            if ((npos == 0)) && [[ " ${{_ecmactl_subcommands[*]}} " == *" $word "* ]]; then
                path+=" $word"
            else
                ((npos++))
            fi
        fi
        ((i++))
    done
    [[ $cur == = ]] && cur=  # TAB right after `--opt=`

    if [[ -n $value_of ]]; then
        _ecmactl_option "$path" "$value_of"
        _ecmactl_value "$cur"
        return 0
    fi
    _ecmactl_command "$path"
    if [[ -z $options_done && $cur == -* ]]; then
        if [[ $cur == --*=* ]]; then  # only when COMP_WORDBREAKS lacks "="
            _ecmactl_option "$path" "${{cur%%=*}}"
            _ecmactl_value "${{cur#*=}}" "${{cur%%=*}}="
        else
            COMPREPLY=($(compgen -W "${{_ecmactl_options[*]}}" -- "$cur"))
        fi
        return 0
    fi
    if ((npos == 0 && ${{#_ecmactl_subcommands[@]}})); then
        COMPREPLY=($(compgen -W "${{_ecmactl_subcommands[*]}}" -- "$cur"))
        return 0
    fi
    _ecmactl_argument "$path" "$npos"
    if [[ -n $_ecmactl_kind ]]; then
        _ecmactl_value "$cur"
    elif [[ -z $options_done ]]; then  # no (more) arguments: only options are left to type
        COMPREPLY=($(compgen -W "${{_ecmactl_options[*]}}" -- "$cur"))
    fi
    return 0
}}

complete -F _ecmactl ecmactl
"""


# --- zsh ----------------------------------------------------------------------------------


def _zsh_escape_help(text: str) -> str:
    return re.sub(r"([\[\]\\])", r"\\\1", text)


def _zsh_action(value: Value) -> str:
    hint = value.hint.replace(":", "\\:")
    if value.kind == "choice":
        items = " ".join(re.sub(r"([\s()\\:'\"])", r"\\\1", c) for c in value.choices)
        return f"{hint}:({items})"
    if value.kind == "file":
        return f"{hint}:_files"
    if value.kind == "dir":
        return f"{hint}:_files -/"
    return f"{hint}: "  # a single-space action: show the hint, complete nothing


def _zsh_option_specs(opt: Option) -> list[str]:
    specs = []
    group = opt.all_names if len(opt.all_names) > 1 else ()
    for name in opt.all_names:
        if opt.exits:
            prefix = "(- *)"
        elif opt.repeatable:
            prefix = "*"
        else:
            prefix = f"({' '.join(group)})" if group else ""
        spec = prefix + name
        if opt.value is not None:
            spec += "=" if name.startswith("--") else "+"
        spec += f"[{_zsh_escape_help(opt.help or name)}]"
        if opt.value is not None:
            spec += ":" + _zsh_action(opt.value)
        specs.append(spec)
    return specs


def _zsh_function(cmd: Command) -> str:
    return "_" + "_".join(re.sub(r"\W", "_", p) for p in cmd.path)


def render_zsh(root: Command) -> str:
    functions = []
    seen: dict[str, str] = {}
    for cmd in root.walk():
        name = _zsh_function(cmd)
        if seen.setdefault(name, cmd.key) != cmd.key:
            raise ValueError(f"{cmd.key!r} and {seen[name]!r} map to the same zsh function")
        specs = [s for o in cmd.options for s in _zsh_option_specs(o)]
        lines = [f"{name}() {{"]
        if cmd.subcommands:
            specs += ["1: :->command", "*:: :->argument"]
            lines += [
                "  local curcontext=$curcontext state state_descr line ret=1",
                "  typeset -A opt_args",
                "  _arguments -C -s -S \\",
                *[f"    {_sh(s)} \\" for s in specs[:-1]],
                f"    {_sh(specs[-1])} && ret=0",
                "  case $state in",
                "    command)",
                "      local -a commands=(",
                *[f"        {_sh(f'{s.path[-1]}:{s.help}')}" for s in cmd.subcommands],
                "      )",
                f"      _describe -t commands {_sh(cmd.key + ' command')} commands && ret=0",
                "      ;;",
                "    argument)",
                f"      curcontext=${{curcontext%:*:*}}:{'-'.join(cmd.path)}-$words[1]:",
                "      case $words[1] in",
                *[f"        {s.path[-1]}) {_zsh_function(s)} && ret=0 ;;" for s in cmd.subcommands],
                "      esac",
                "      ;;",
                "  esac",
                "  return ret",
            ]
        else:
            for index, arg in enumerate(cmd.arguments):
                specs.append(f"{'*' if arg.variadic else index + 1}:{_zsh_action(arg.value)}")
                if arg.variadic:
                    break
            if specs:
                lines.append("  _arguments -s -S \\")
                lines += [f"    {_sh(s)} \\" for s in specs[:-1]]
                lines.append(f"    {_sh(specs[-1])}")
            else:
                lines.append("  _message 'no more arguments'")
        lines.append("}")
        functions.append("\n".join(lines))
    return _ZSH.format(
        header=_header("#", "zsh"), functions="\n\n".join(functions), main=_zsh_function(root)
    )


_ZSH = """#compdef ecmactl
{header}

{functions}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  # Autoloaded from $fpath: this file is the body of {main}, so complete now.
  {main} "$@"
else
  # Sourced (after compinit): register for later.
  compdef {main} ecmactl
fi
"""


# --- fish ---------------------------------------------------------------------------------


def _fish(word: str) -> str:
    """Single-quote a word for fish (only \\\\ and \\' are special inside)."""
    return "'" + word.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish_candidates(value: Value) -> str:
    """The `complete` flags that list a value's candidates ("" for free text)."""
    if value.kind == "choice":
        # -a is expanded like a command line, so the inner quotes keep "Set attribute value" whole.
        words = " ".join(c if _SAFE_NAME.fullmatch(c) else _fish(c) for c in value.choices)
        return "-a " + (f'"{words}"' if not set('"$\\').intersection(words) else _fish(words))
    if value.kind == "file":
        return "-F"
    if value.kind == "dir":
        return "-a '(__fish_complete_directories)'"
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
        header=_header("#", "fish"),
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

# No file names unless an option or argument takes a path.
complete -c ecmactl -f

{completions}
"""


# --- PowerShell ---------------------------------------------------------------------------


def _ps(word: str) -> str:
    return "'" + word.replace("'", "''") + "'"


def _ps_value(value: Value | None) -> str:
    if value is None:
        return "Kind = ''"
    if value.kind == "choice":
        return f"Kind = 'choice'; Choices = @({', '.join(_ps(c) for c in value.choices)})"
    return f"Kind = {_ps(value.kind)}"


def render_powershell(root: Command) -> str:
    nodes = []
    for cmd in root.walk():
        commands = [
            f"@{{ Name = {_ps(s.path[-1])}; Help = {_ps(s.help or s.path[-1])} }}"
            for s in cmd.subcommands
        ]
        options = [
            f"@{{ Name = {_ps(n)}; {_ps_value(o.value)}; Help = {_ps(o.help or n)} }}"
            for o in cmd.options
            for n in o.all_names
        ]
        arguments = [
            f"@{{ Variadic = ${str(a.variadic).lower()}; {_ps_value(a.value)} }}"
            for a in cmd.arguments
        ]
        lines = [f"    $tree[{_ps(cmd.key)}] = @{{"]
        for field, items in (
            ("Commands", commands),
            ("Options", options),
            ("Arguments", arguments),
        ):
            if items:
                lines += [
                    f"        {field} = @(",
                    *[f"            {i}" for i in items],
                    "        )",
                ]
            else:
                lines.append(f"        {field} = @()")
        lines.append("    }")
        nodes.append("\n".join(lines))
    return _POWERSHELL.format(header=_header("#", "powershell"), nodes="\n".join(nodes))


_POWERSHELL = r"""{header}

Register-ArgumentCompleter -Native -CommandName ecmactl, ecmactl.exe -ScriptBlock {{
    param($wordToComplete, $commandAst, $cursorPosition)
    $result = [System.Management.Automation.CompletionResult]
    $completers = [System.Management.Automation.CompletionCompleters]

    # Per command path: subcommands, options (Kind: '' for a flag, text, file, dir or choice)
    # and positional arguments. Ordinal keys: -v and -V are different options.
    $tree = [System.Collections.Generic.Dictionary[string, object]]::new(
        [System.StringComparer]::Ordinal)
{nodes}

    function Find-Option($node, $name) {{
        $node.Options | Where-Object {{ $_.Name -ceq $name }} | Select-Object -First 1
    }}

    # Results for the entries of $items (options or subcommands) that start with the word.
    function Complete-Name($items, $type) {{
        $items | Where-Object {{ $_.Name.StartsWith($wordToComplete) }} | ForEach-Object {{
            $result::new($_.Name, $_.Name, $type, $_.Help)
        }}
    }}

    # Results for a value of kind $spec.Kind that starts with $current, each after $prefix.
    # Free text gives none, and PowerShell then falls back to file names.
    function Complete-Value($spec, $current, $prefix) {{
        switch ($spec.Kind) {{
            'choice' {{
                $ignoreCase = [System.StringComparison]::OrdinalIgnoreCase
                foreach ($choice in $spec.Choices) {{
                    if (-not $choice.StartsWith($current, $ignoreCase)) {{ continue }}
                    $text = $choice
                    if ($choice -match '\s') {{ $text = "'" + $choice.Replace("'", "''") + "'" }}
                    $result::new("$prefix$text", $choice, 'ParameterValue', $choice)
                }}
            }}
            'file' {{ $completers::CompleteFilename($current) }}
            'dir' {{
                $completers::CompleteFilename($current) |
                    Where-Object {{ $_.ResultType -eq 'ProviderContainer' }}
            }}
        }}
    }}

    # Words before the cursor; the one being completed (if any) is not walked.
    $words = @($commandAst.CommandElements |
        Where-Object {{ $_.Extent.StartOffset -lt $cursorPosition }} |
        ForEach-Object {{ $_.Extent.Text }})
    if ($wordToComplete -ne '' -and $words.Count -gt 1) {{
        $words = @($words[0..($words.Count - 2)])
    }}

    # Walk them: a subcommand name extends the path; an option taking a value swallows the next.
    $path = 'ecmactl'; $npos = 0; $valueOf = $null; $optionsDone = $false
    for ($i = 1; $i -lt $words.Count; $i++) {{
        $word = $words[$i]
        $node = $tree[$path]
        if (-not $optionsDone -and $word -like '-?*') {{
            if ($word -eq '--') {{ $optionsDone = $true; continue }}
            $option = Find-Option $node $word
            if ($option -and $option.Kind -and $word -notlike '*=*') {{
                if ($i + 1 -lt $words.Count) {{ $i++ }} else {{ $valueOf = $option }}
            }}
        }} elseif ($npos -eq 0 -and ($node.Commands | Where-Object {{ $_.Name -ceq $word }})) {{
            $path = "$path $word"
        }} else {{
            $npos++
        }}
    }}

    $node = $tree[$path]
    if ($valueOf) {{ return Complete-Value $valueOf $wordToComplete '' }}
    if (-not $optionsDone -and $wordToComplete -like '-*') {{
        if ($wordToComplete -match '^(--[^=]+)=(.*)$') {{
            $option = Find-Option $node $Matches[1]
            if ($option -and $option.Kind) {{
                return Complete-Value $option $Matches[2] "$($Matches[1])="
            }}
            return
        }}
        return Complete-Name $node.Options 'ParameterName'
    }}
    if ($npos -eq 0 -and $node.Commands.Count -gt 0) {{
        return Complete-Name $node.Commands 'Command'
    }}
    for ($i = 0; $i -lt $node.Arguments.Count; $i++) {{
        $argument = $node.Arguments[$i]
        if ($i -eq $npos -or ($argument.Variadic -and $i -le $npos)) {{
            return Complete-Value $argument $wordToComplete ''
        }}
    }}
    if (-not $optionsDone) {{ return Complete-Name $node.Options 'ParameterName' }}
}}
"""


# --- entry points -------------------------------------------------------------------------

_INSTALL = {
    "bash": "copy to ~/.local/share/bash-completion/completions/ecmactl or /etc/bash_completion.d/",
    "zsh": "save as _ecmactl in a directory listed in $fpath (before compinit runs)",
    "fish": "copy to ~/.config/fish/completions/ecmactl.fish",
    "powershell": "save it and dot-source it from $PROFILE: . /path/to/ecmactl.ps1",
}


def _header(comment: str, shell: str) -> str:
    return "\n".join(
        f"{comment} {line}"
        for line in (
            f"{shell} completion for ecmactl; generated from the command tree by",
            f"`ecmactl completion {shell}`. Do not edit: regenerate instead.",
            f"Install: {_INSTALL[shell]}",
        )
    )


RENDERERS: dict[str, Callable[[Command], str]] = {
    "bash": render_bash,
    "zsh": render_zsh,
    "fish": render_fish,
    "powershell": render_powershell,
}


def generate(root: click.Command, shell: str) -> str:
    """The completion script for ``shell`` (one of ``SHELLS``) of the click tree ``root``."""
    return RENDERERS[shell](read_tree(root))


def write_all(directory: Path) -> list[Path]:
    """Regenerate every shell's script into ``directory`` from the live ``ecmactl`` app."""
    from ecmactl.cli import app
    from ecmactl.cli.completion import script

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for shell, file_name in FILE_NAMES.items():
        target = directory / file_name
        target.write_text(script(app, shell), encoding="ascii", newline="\n")
        written.append(target)
    return written


if __name__ == "__main__":
    for written_path in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "completions")):
        print(written_path)
