"""The PowerShell script: the tree as hashtables, walked by a native argument completer."""

from __future__ import annotations

from ecmactl.cli._completion_gen.script import script_header
from ecmactl.cli._completion_gen.tree import Command, Value


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
    return _POWERSHELL.format(header=script_header("#", "powershell"), nodes="\n".join(nodes))


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
            'connector' {{
                # The home being completed: --home on the line, else ECMACTL_HOME or the
                # default. ecmactl answers `__connectors` without loading its CLI.
                $homeArgs = @()
                for ($j = 1; $j -lt $words.Count; $j++) {{
                    if ($words[$j] -ceq '--home' -and $j + 1 -lt $words.Count) {{
                        $homeArgs = @('--home', $words[$j + 1].Trim([char[]]"'`""))
                    }} elseif ($words[$j] -clike '--home=*') {{
                        $homeArgs = @('--home', $words[$j].Substring(7).Trim([char[]]"'`""))
                    }}
                }}
                & $words[0] __connectors @homeArgs 2>$null |
                    Where-Object {{ $_.StartsWith($current) }} | ForEach-Object {{
                        $result::new("$prefix$_", $_, 'ParameterValue', $_)
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
