"""The zsh script: one ``_arguments`` function per command path."""

from __future__ import annotations

import re

from ecmactl.cli._completion_gen.script import script_header, sh_quote
from ecmactl.cli._completion_gen.tree import Command, Option, Value


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
    if value.kind == "connector":
        return f"{hint}:_ecmactl_connectors"
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
                *[f"    {sh_quote(s)} \\" for s in specs[:-1]],
                f"    {sh_quote(specs[-1])} && ret=0",
                "  case $state in",
                "    command)",
                "      local -a commands=(",
                *[f"        {sh_quote(f'{s.path[-1]}:{s.help}')}" for s in cmd.subcommands],
                "      )",
                f"      _describe -t commands {sh_quote(cmd.key + ' command')} commands && ret=0",
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
                lines += [f"    {sh_quote(s)} \\" for s in specs[:-1]]
                lines.append(f"    {sh_quote(specs[-1])}")
            else:
                lines.append("  _message 'no more arguments'")
        lines.append("}")
        functions.append("\n".join(lines))
    return _ZSH.format(
        header=script_header("#", "zsh"), functions="\n\n".join(functions), main=_zsh_function(root)
    )


_ZSH = """#compdef ecmactl
{header}

# The connector names of the home being completed: --home on the line (read from the whole
# buffer: _arguments narrows $words to the sub-command), else ECMACTL_HOME or the default home.
# ecmactl answers `__connectors` without loading its CLI.
_ecmactl_connectors() {{
  local -a typed names
  local home i
  typed=(${{(z)LBUFFER}})
  for ((i = 2; i <= $#typed; i++)); do
    case $typed[i] in
      --home) home=$typed[i+1] ;;
      --home=*) home=${{typed[i]#--home=}} ;;
    esac
  done
  home=${{(Q)home}}
  [[ $home == \\~* ]] && home=$HOME${{home#\\~}}
  local -a args
  [[ -n $home ]] && args=(--home "$home")
  names=(${{(f)"$(${{(Q)typed[1]}} __connectors "${{args[@]}}" 2>/dev/null)"}})
  _describe -t connectors connector names
}}

{functions}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  # Autoloaded from $fpath: this file is the body of {main}, so complete now.
  {main} "$@"
else
  # Sourced (after compinit): register for later.
  compdef {main} ecmactl
fi
"""
