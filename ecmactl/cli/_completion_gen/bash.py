"""The bash script: case tables of the tree, walked by one completion function."""

from __future__ import annotations

from ecmactl.cli._completion_gen.script import script_header, sh_quote
from ecmactl.cli._completion_gen.tree import SAFE_NAME, SAFE_OPTION, Command, Value


def _bash_word(word: str) -> str:
    return word if SAFE_OPTION.fullmatch(word) or SAFE_NAME.fullmatch(word) else sh_quote(word)


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
            f"    {sh_quote(cmd.key)})",
            f"        _ecmactl_subcommands={_bash_array([s.path[-1] for s in cmd.subcommands])}",
            f"        _ecmactl_options={_bash_array(names)}",
            "        ;;",
        ]
        valued = [o for o in cmd.options if o.value is not None]
        if valued:
            options += [f"    {sh_quote(cmd.key)})", "        case $2 in"]
            for opt in valued:
                assert opt.value is not None
                options.append(f"        {'|'.join(opt.names)}) {_bash_value(opt.value)} ;;")
            options += ["        esac", "        ;;"]
        if cmd.arguments:
            arguments += [f"    {sh_quote(cmd.key)})", "        case $2 in"]
            for index, arg in enumerate(cmd.arguments):
                pattern = "*" if arg.variadic else str(index)
                arguments.append(f"        {pattern}) {_bash_value(arg.value)} ;;")
                if arg.variadic:
                    break
            arguments += ["        esac", "        ;;"]
    return _BASH.format(
        header=script_header("#", "bash"),
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

# Prints the connector names of the home being completed: --home on the command line, else
# ECMACTL_HOME or the default home. ecmactl answers `__connectors` without loading its CLI.
_ecmactl_connectors() {{
    # The --home word as typed: drop quotes and backslashes and expand a leading ~, without
    # eval (which would run any $(...) on the line being typed).
    local home=${{_ecmactl_home//\\/}} program=${{COMP_WORDS[0]/#\~/$HOME}}
    home=${{home#[\'\"]}} home=${{home%[\'\"]}}
    [[ $home == \~* ]] && home=$HOME${{home:1}}
    local -a args=()
    [[ -n $home ]] && args=(--home "$home")
    command "$program" __connectors "${{args[@]}}" 2>/dev/null
}}

# Adds to COMPREPLY the values of kind $_ecmactl_kind that start with $1, each prefixed by $2.
_ecmactl_value() {{
    local cur=$1 prefix=$2 choice IFS=$'\n'
    case $_ecmactl_kind in
    connector)
        for choice in $(_ecmactl_connectors); do
            [[ $choice == "$cur"* ]] && COMPREPLY+=("$prefix$choice")
        done
        ;;
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
    local _ecmactl_home=  # the --home given so far, for connector names
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
                    [[ $word == --home ]] && _ecmactl_home=${{COMP_WORDS[i]}}
                fi
            elif [[ $word == --home=* ]]; then
                _ecmactl_home=${{word#--home=}}
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
