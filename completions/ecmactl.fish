# fish completion for ecmactl; generated from the command tree by
# `ecmactl completion fish`. Do not edit: regenerate instead.
# Install: copy to ~/.config/fish/completions/ecmactl.fish

# Prints the subcommands of command path $argv[1] ("ecmactl configure").
function __ecmactl_subcommands
    switch $argv[1]
        case 'ecmactl'
            printf '%s\n' agent bundle cert completion configure host init token
        case 'ecmactl agent'
            printf '%s\n' failover status test-connection
        case 'ecmactl bundle'
            printf '%s\n' apply emit inspect verify
        case 'ecmactl cert'
            printf '%s\n' create csr import renew show status
        case 'ecmactl configure'
            printf '%s\n' attributes connectivity delta-import deprovisioning export full-import global multivalue object-types properties run-profiles schema settings show
        case 'ecmactl host'
            printf '%s\n' reload run status sync
        case 'ecmactl token'
            printf '%s\n' rotate set show
    end
end

# Succeeds when option $argv[2] of command path $argv[1] takes a value.
function __ecmactl_takes_value
    switch "$argv[1] $argv[2]"
        case 'ecmactl --home' \
            'ecmactl agent --home' \
            'ecmactl agent failover -c' \
            'ecmactl agent failover --connector' \
            'ecmactl agent failover --home' \
            'ecmactl agent status --home' \
            'ecmactl agent test-connection -c' \
            'ecmactl agent test-connection --connector' \
            'ecmactl agent test-connection --url' \
            'ecmactl agent test-connection --secret-token-file' \
            'ecmactl agent test-connection --timeout' \
            'ecmactl agent test-connection --home' \
            'ecmactl bundle --home' \
            'ecmactl bundle apply --home' \
            'ecmactl bundle emit -o' \
            'ecmactl bundle emit --output' \
            'ecmactl bundle emit --home' \
            'ecmactl bundle inspect --home' \
            'ecmactl bundle verify --home' \
            'ecmactl cert --home' \
            'ecmactl cert create --san' \
            'ecmactl cert create --days' \
            'ecmactl cert create --key-type' \
            'ecmactl cert create --passphrase-file' \
            'ecmactl cert create --home' \
            'ecmactl cert csr --out' \
            'ecmactl cert csr --new-key' \
            'ecmactl cert csr --key-type' \
            'ecmactl cert csr --san' \
            'ecmactl cert csr --home' \
            'ecmactl cert import --key' \
            'ecmactl cert import --password-file' \
            'ecmactl cert import --passphrase-file' \
            'ecmactl cert import --home' \
            'ecmactl cert renew --expires-in' \
            'ecmactl cert renew --key-type' \
            'ecmactl cert renew --days' \
            'ecmactl cert renew --san' \
            'ecmactl cert renew --home' \
            'ecmactl cert show --key' \
            'ecmactl cert show --password-file' \
            'ecmactl cert show --expires-in' \
            'ecmactl cert show --home' \
            'ecmactl cert status --expires-in' \
            'ecmactl cert status --home' \
            'ecmactl completion --home' \
            'ecmactl configure --home' \
            'ecmactl configure attributes -c' \
            'ecmactl configure attributes --connector' \
            'ecmactl configure attributes --attribute' \
            'ecmactl configure attributes --bind' \
            'ecmactl configure attributes --home' \
            'ecmactl configure connectivity -c' \
            'ecmactl configure connectivity --connector' \
            'ecmactl configure connectivity --database-url' \
            'ecmactl configure connectivity --db-user' \
            'ecmactl configure connectivity --db-password-file' \
            'ecmactl configure connectivity --home' \
            'ecmactl configure delta-import -c' \
            'ecmactl configure delta-import --connector' \
            'ecmactl configure delta-import --delta-method' \
            'ecmactl configure delta-import --delta-sp-name' \
            'ecmactl configure delta-import --delta-sp-parameters' \
            'ecmactl configure delta-import --delta-query' \
            'ecmactl configure delta-import --home' \
            'ecmactl configure deprovisioning -c' \
            'ecmactl configure deprovisioning --connector' \
            'ecmactl configure deprovisioning --disable-flow' \
            'ecmactl configure deprovisioning --disable-attribute' \
            'ecmactl configure deprovisioning --delete-flow' \
            'ecmactl configure deprovisioning --home' \
            'ecmactl configure export -c' \
            'ecmactl configure export --connector' \
            'ecmactl configure export --export-method' \
            'ecmactl configure export --add-sp-name' \
            'ecmactl configure export --add-sp-parameters' \
            'ecmactl configure export --update-sp-name' \
            'ecmactl configure export --update-sp-parameters' \
            'ecmactl configure export --delete-sp-name' \
            'ecmactl configure export --delete-sp-parameters' \
            'ecmactl configure export --insert-query' \
            'ecmactl configure export --update-query' \
            'ecmactl configure export --delete-query' \
            'ecmactl configure export --home' \
            'ecmactl configure full-import -c' \
            'ecmactl configure full-import --connector' \
            'ecmactl configure full-import --import-method' \
            'ecmactl configure full-import --import-view' \
            'ecmactl configure full-import --import-sp-name' \
            'ecmactl configure full-import --import-sp-parameters' \
            'ecmactl configure full-import --import-query' \
            'ecmactl configure full-import --import-page-size' \
            'ecmactl configure full-import --home' \
            'ecmactl configure global -c' \
            'ecmactl configure global --connector' \
            'ecmactl configure global --delta-strategy' \
            'ecmactl configure global --watermark-column' \
            'ecmactl configure global --watermark-query' \
            'ecmactl configure global --time-zone' \
            'ecmactl configure global --home' \
            'ecmactl configure multivalue -c' \
            'ecmactl configure multivalue --connector' \
            'ecmactl configure multivalue --child-table' \
            'ecmactl configure multivalue --join' \
            'ecmactl configure multivalue --child-attribute' \
            'ecmactl configure multivalue --type-column' \
            'ecmactl configure multivalue --primary-column' \
            'ecmactl configure multivalue --remove' \
            'ecmactl configure multivalue --home' \
            'ecmactl configure object-types -c' \
            'ecmactl configure object-types --connector' \
            'ecmactl configure object-types --target-object' \
            'ecmactl configure object-types --home' \
            'ecmactl configure properties -c' \
            'ecmactl configure properties --connector' \
            'ecmactl configure properties --name' \
            'ecmactl configure properties --autosync-minutes' \
            'ecmactl configure properties --secret-token-file' \
            'ecmactl configure properties --description' \
            'ecmactl configure properties --home' \
            'ecmactl configure run-profiles -c' \
            'ecmactl configure run-profiles --connector' \
            'ecmactl configure run-profiles --home' \
            'ecmactl configure schema -c' \
            'ecmactl configure schema --connector' \
            'ecmactl configure schema --object-type-detection' \
            'ecmactl configure schema --object-types' \
            'ecmactl configure schema --object-type-table' \
            'ecmactl configure schema --object-type-column' \
            'ecmactl configure schema --attribute-detection' \
            'ecmactl configure schema --db-schema' \
            'ecmactl configure schema --table' \
            'ecmactl configure schema --anchor' \
            'ecmactl configure schema --dn-attribute' \
            'ecmactl configure schema --column-type' \
            'ecmactl configure schema --direction' \
            'ecmactl configure schema --add-column' \
            'ecmactl configure schema --home' \
            'ecmactl configure settings --port' \
            'ecmactl configure settings --bind-address' \
            'ecmactl configure settings --hostname' \
            'ecmactl configure settings --certificate' \
            'ecmactl configure settings --certificate-path' \
            'ecmactl configure settings --key-path' \
            'ecmactl configure settings --certificate-password-file' \
            'ecmactl configure settings --secret-store' \
            'ecmactl configure settings --metrics-bind-address' \
            'ecmactl configure settings --metrics-port' \
            'ecmactl configure settings --home' \
            'ecmactl configure show -c' \
            'ecmactl configure show --connector' \
            'ecmactl configure show --home' \
            'ecmactl host --home' \
            'ecmactl host reload --home' \
            'ecmactl host run -p' \
            'ecmactl host run --port' \
            'ecmactl host run --bind-address' \
            'ecmactl host run -c' \
            'ecmactl host run --connector' \
            'ecmactl host run --log-format' \
            'ecmactl host run --log-file' \
            'ecmactl host run --log-level' \
            'ecmactl host run --graceful-timeout' \
            'ecmactl host run --lease-ttl' \
            'ecmactl host run --home' \
            'ecmactl host status --home' \
            'ecmactl host sync -c' \
            'ecmactl host sync --connector' \
            'ecmactl host sync --timeout' \
            'ecmactl host sync --home' \
            'ecmactl init --answers-file' \
            'ecmactl init --from' \
            'ecmactl init --port' \
            'ecmactl init --bind-address' \
            'ecmactl init --hostname' \
            'ecmactl init --certificate' \
            'ecmactl init --certificate-path' \
            'ecmactl init --key-path' \
            'ecmactl init --certificate-password-file' \
            'ecmactl init --secret-store' \
            'ecmactl init --metrics-bind-address' \
            'ecmactl init --metrics-port' \
            'ecmactl init --name' \
            'ecmactl init --autosync-minutes' \
            'ecmactl init --secret-token-file' \
            'ecmactl init --description' \
            'ecmactl init --database-url' \
            'ecmactl init --db-user' \
            'ecmactl init --db-password-file' \
            'ecmactl init --object-type-detection' \
            'ecmactl init --object-types' \
            'ecmactl init --object-type-table' \
            'ecmactl init --object-type-column' \
            'ecmactl init --attribute-detection' \
            'ecmactl init --db-schema' \
            'ecmactl init --table' \
            'ecmactl init --anchor' \
            'ecmactl init --dn-attribute' \
            'ecmactl init --column-type' \
            'ecmactl init --direction' \
            'ecmactl init --child-table' \
            'ecmactl init --join' \
            'ecmactl init --child-attribute' \
            'ecmactl init --type-column' \
            'ecmactl init --primary-column' \
            'ecmactl init --delta-strategy' \
            'ecmactl init --watermark-column' \
            'ecmactl init --watermark-query' \
            'ecmactl init --time-zone' \
            'ecmactl init --export-method' \
            'ecmactl init --add-sp-name' \
            'ecmactl init --add-sp-parameters' \
            'ecmactl init --update-sp-name' \
            'ecmactl init --update-sp-parameters' \
            'ecmactl init --delete-sp-name' \
            'ecmactl init --delete-sp-parameters' \
            'ecmactl init --insert-query' \
            'ecmactl init --update-query' \
            'ecmactl init --delete-query' \
            'ecmactl init --import-method' \
            'ecmactl init --import-view' \
            'ecmactl init --import-sp-name' \
            'ecmactl init --import-sp-parameters' \
            'ecmactl init --import-query' \
            'ecmactl init --import-page-size' \
            'ecmactl init --delta-method' \
            'ecmactl init --delta-sp-name' \
            'ecmactl init --delta-sp-parameters' \
            'ecmactl init --delta-query' \
            'ecmactl init --target-object' \
            'ecmactl init --attribute' \
            'ecmactl init --bind' \
            'ecmactl init --disable-flow' \
            'ecmactl init --disable-attribute' \
            'ecmactl init --delete-flow' \
            'ecmactl init --home' \
            'ecmactl token --home' \
            'ecmactl token rotate -c' \
            'ecmactl token rotate --connector' \
            'ecmactl token rotate --secret-token-file' \
            'ecmactl token rotate --grace' \
            'ecmactl token rotate --home' \
            'ecmactl token set -c' \
            'ecmactl token set --connector' \
            'ecmactl token set --secret-token-file' \
            'ecmactl token set --secret-store' \
            'ecmactl token set --home' \
            'ecmactl token show -c' \
            'ecmactl token show --connector' \
            'ecmactl token show --home'
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

# ecmactl
complete -c ecmactl -n "__ecmactl_is 'ecmactl' 0" -a agent -d 'The provisioning path from Entra to this host: status, test-connection,...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl' 0" -a bundle -d 'Emit, verify, inspect and apply portable config bundles (secrets never...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl' 0" -a cert -d 'The host\'s TLS certificate (SAN = host name): create, import, show, status,...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl' 0" -a completion -d 'Print the shell completion script for SHELL (bash, zsh, fish or powershell).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl' 0" -a configure -d 'Change one wizard page of an existing connector (or the host settings).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl' 0" -a host -d 'The embedded SCIM host: run it, show its status, sync a connector, reload its...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl' 0" -a init -d 'Create a connector (and, in a new home, the host settings and certificate).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl' 0" -a token -d 'A connector\'s secret token: set, rotate (with a grace period), show (masked).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl'" -l version -d 'Show the version.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl'" -l help -d 'Show this message and exit.'

# ecmactl agent
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent' 0" -a failover -d 'Move the writer lease of an active/standby cluster, with no failed request.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent' 0" -a status -d 'Check the provisioning path (exit 0/1/3/4/30/31).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent' 0" -a test-connection -d 'Do what Entra\'s "Test Connection" does; explain failures.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent'" -l help -d 'Show this message and exit.'

# ecmactl agent failover
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent failover'" -s c -x -a '(__ecmactl_connectors)' -d 'The connector whose writer lease moves [default: every connector in...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent failover'" -l connector -x -a '(__ecmactl_connectors)' -d 'The connector whose writer lease moves [default: every connector in...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent failover'" -l active-active -d 'End active/standby instead: every host writes again (restart the hosts...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent failover'" -l json -d 'Print one JSON document on stdout.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent failover'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent failover'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent failover'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent failover'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent failover'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent failover'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent failover'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent failover'" -l help -d 'Show this message and exit.'

# ecmactl agent status
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent status'" -l json -d 'Print one JSON document on stdout.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent status'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent status'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent status'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent status'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent status'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent status'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent status'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent status'" -l help -d 'Show this message and exit.'

# ecmactl agent test-connection
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent test-connection'" -s c -x -a '(__ecmactl_connectors)' -d 'The connector to test [default: every connector; with --url, the one it...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent test-connection'" -l connector -x -a '(__ecmactl_connectors)' -d 'The connector to test [default: every connector; with --url, the one it...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent test-connection'" -l url -x -d 'Test this Tenant URL instead of https://<hostname>:<port>/ecma2host_<name>/scim.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent test-connection'" -l secret-token-file -r -F -d 'Test this token (e.g. what was pasted into Entra) instead of the...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent test-connection'" -l timeout -x -d 'Per step.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent test-connection'" -l json -d 'Print one JSON document on stdout.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent test-connection'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent test-connection'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent test-connection'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent test-connection'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent test-connection'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent test-connection'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent test-connection'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl agent test-connection'" -l help -d 'Show this message and exit.'

# ecmactl bundle
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle' 0" -a apply -d 'Install a bundle into the home, all or nothing.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle' 0" -a emit -d 'Write the home\'s configuration to a bundle file.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle' 0" -a inspect -d 'Show a bundle: manifest, host, Tenant URLs, certificate, secrets.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle' 0" -a verify -d 'Check a bundle; exit 1 naming every problem.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle'" -l help -d 'Show this message and exit.'

# ecmactl bundle apply
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle apply'" -l force -d 'Replace files of the home that differ.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle apply'" -l dry-run -d 'Show what would be written; write nothing.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle apply'" -l json -d 'Print the result as JSON.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle apply'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle apply'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle apply'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle apply'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle apply'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle apply'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle apply'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle apply'" -l help -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle apply' 0" -F -d 'FILE'

# ecmactl bundle emit
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle emit'" -s o -r -F -d 'Where to write; - for stdout.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle emit'" -l output -r -F -d 'Where to write; - for stdout.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle emit'" -l include-private-key -d 'Also pack the TLS private key (the bundle becomes sensitive; mode 0600).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle emit'" -l force -d 'Replace an existing FILE.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle emit'" -l json -d 'Print the result as JSON.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle emit'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle emit'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle emit'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle emit'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle emit'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle emit'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle emit'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle emit'" -l help -d 'Show this message and exit.'

# ecmactl bundle inspect
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle inspect'" -l json -d 'Print the result as JSON.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle inspect'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle inspect'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle inspect'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle inspect'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle inspect'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle inspect'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle inspect'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle inspect'" -l help -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle inspect' 0" -F -d 'FILE'

# ecmactl bundle verify
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle verify'" -l json -d 'Print the result as JSON.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle verify'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle verify'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle verify'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle verify'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle verify'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle verify'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle verify'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle verify'" -l help -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl bundle verify' 0" -F -d 'FILE'

# ecmactl cert
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert' 0" -a create -d 'Create a self-signed server certificate whose SAN is the configured host name.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert' 0" -a csr -d 'Write a certificate signing request for your CA (CN and SAN = the host name).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert' 0" -a import -d 'Import a CA-issued certificate after checking the host can serve it.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert' 0" -a renew -d 'Re-issue the self-signed certificate: new serial, 730 days (or --days), same...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert' 0" -a show -d 'Show a certificate: names, key, thumbprints, validity, and what to do next.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert' 0" -a status -d 'Check the host\'s certificate; the exit code is the verdict (for cron and...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert'" -l help -d 'Show this message and exit.'

# ecmactl cert create
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert create'" -l san -x -d 'Another SAN (DNS name or IP); repeatable.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert create'" -l no-loopback -d 'Leave localhost, 127.0.0.1 and ::1 out.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert create'" -l days -x -d 'Validity in days.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert create'" -l key-type -x -a "rsa2048 rsa3072 ec256" -d 'Key type.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert create'" -l passphrase-file -r -F -d 'Encrypt the private key on disk with the passphrase in PATH (\'-\' for stdin...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert create'" -l force -d 'Replace an existing certificate.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert create'" -l json -d 'Print one JSON document on stdout.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert create'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert create'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert create'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert create'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert create'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert create'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert create'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert create'" -l help -d 'Show this message and exit.'

# ecmactl cert csr
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert csr'" -l out -r -F -d 'Write here [default: stdout].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert csr'" -l new-key -r -F -d 'Make a new key (written 0600 to PATH) instead of using the host\'s.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert csr'" -l key-type -x -a "rsa2048 rsa3072 ec256" -d 'Type of the --new-key.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert csr'" -l san -x -d 'Another SAN (DNS name or IP); repeatable.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert csr'" -l json -d 'Print one JSON document on stdout.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert csr'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert csr'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert csr'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert csr'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert csr'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert csr'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert csr'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert csr'" -l help -d 'Show this message and exit.'

# ecmactl cert import
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert import'" -l key -r -F -d 'The private key, if separate.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert import'" -l password-file -r -F -d 'Password of the PFX file or encrypted key, read from PATH (\'-\' for stdin; or...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert import'" -l passphrase-file -r -F -d 'Encrypt the private key on disk with the passphrase in PATH (\'-\' for stdin...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert import'" -l json -d 'Print one JSON document on stdout.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert import'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert import'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert import'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert import'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert import'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert import'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert import'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert import'" -l help -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert import' 0" -F -d 'PATH'

# ecmactl cert renew
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert renew'" -l if-due -d 'Renew only when due; exit 0 either way.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert renew'" -l expires-in -x -d 'Renewal is due within this time before expiry (30d, 2w, 36h) or after this...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert renew'" -l rekey -d 'Generate a new key too.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert renew'" -l key-type -x -a "rsa2048 rsa3072 ec256" -d 'Another key type (implies a new key).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert renew'" -l days -x -d 'Validity in days from now [default: 730].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert renew'" -l san -x -d 'Another SAN (DNS name or IP); repeatable.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert renew'" -l dry-run -d 'Say what would happen.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert renew'" -l json -d 'Print one JSON document on stdout.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert renew'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert renew'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert renew'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert renew'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert renew'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert renew'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert renew'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert renew'" -l help -d 'Show this message and exit.'

# ecmactl cert show
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert show'" -l key -r -F -d 'Check this key against it.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert show'" -l password-file -r -F -d 'Password of the PFX file or encrypted key, read from PATH (\'-\' for stdin; or...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert show'" -l expires-in -x -d 'Renewal is due within this time before expiry (30d, 2w, 36h) or after this...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert show'" -l json -d 'Print one JSON document on stdout.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert show'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert show'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert show'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert show'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert show'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert show'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert show'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert show'" -l help -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert show' 0" -F -d 'PATH'

# ecmactl cert status
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert status'" -l expires-in -x -d 'Renewal is due within this time before expiry (30d, 2w, 36h) or after this...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert status'" -l json -d 'Print one JSON document on stdout.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert status'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert status'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert status'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert status'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert status'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert status'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert status'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl cert status'" -l help -d 'Show this message and exit.'

# ecmactl completion
complete -c ecmactl -n "__ecmactl_is 'ecmactl completion'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl completion'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl completion'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl completion'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl completion'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl completion'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl completion'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl completion'" -l help -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl completion' 0" -a "bash zsh fish powershell" -d 'SHELL'

# ecmactl configure
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure' 0" -a attributes -d 'Select Attributes: Columns exposed to Entra as...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure' 0" -a connectivity -d 'Connectivity: The database: a SQLAlchemy URL, an ODBC connection string or a...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure' 0" -a delta-import -d 'Delta Import: How rows changed since the last import are read (only with...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure' 0" -a deprovisioning -d 'Deprovisioning: What happens when Entra disables a user (active=false) or...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure' 0" -a export -d 'Export: How a create, update or delete from Entra is written: to the table,...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure' 0" -a full-import -d 'Full Import: How every row is read at start and on each autosync: the table,...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure' 0" -a global -d 'Global: How changes are detected between full imports, and the database\'s...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure' 0" -a multivalue -d 'Multi-Values Table/Views: Child tables whose rows are the values of...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure' 0" -a object-types -d 'Object Types: The object type Entra provisions, and how its DN is formed.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure' 0" -a properties -d 'Properties: The connector\'s name (part of the Tenant URL), autosync timer and...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure' 0" -a run-profiles -d 'Run Profiles: Export (required) writes to the database; Full Import loads the...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure' 0" -a schema -d 'Schema 1-4: Object types, the table to provision, its anchor and DN, and each...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure' 0" -a settings -d 'Settings: The host: the HTTPS port Entra\'s provisioning agent calls, and the...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure' 0" -a show -d 'Show a connector\'s configuration (secrets appear as references, never values).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure'" -l help -d 'Show this message and exit.'

# ecmactl configure attributes
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure attributes'" -s c -x -a '(__ecmactl_connectors)' -d 'The connector to change [default: the only one; required when the home has...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure attributes'" -l connector -x -a '(__ecmactl_connectors)' -d 'The connector to change [default: the only one; required when the home has...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure attributes'" -l no-input -d 'Never prompt; keep what is not given.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure attributes'" -l defaults -d 'Keep current values without asking.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure attributes'" -l dry-run -d 'Show changes; write nothing.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure attributes'" -l detailed-exitcode -d 'With --dry-run: exit 20 when something changes.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure attributes'" -l json -d 'Print the result as JSON.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure attributes'" -l attribute -x -d '[Select Attributes] Attributes: Columns to expose (the anchor is required)....'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure attributes'" -l bind -x -d '[Select Attributes] Core SCIM attribute per column: Suggested from the...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure attributes'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure attributes'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure attributes'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure attributes'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure attributes'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure attributes'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure attributes'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure attributes'" -l help -d 'Show this message and exit.'

# ecmactl configure connectivity
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure connectivity'" -s c -x -a '(__ecmactl_connectors)' -d 'The connector to change [default: the only one; required when the home has...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure connectivity'" -l connector -x -a '(__ecmactl_connectors)' -d 'The connector to change [default: the only one; required when the home has...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure connectivity'" -l no-input -d 'Never prompt; keep what is not given.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure connectivity'" -l defaults -d 'Keep current values without asking.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure connectivity'" -l dry-run -d 'Show changes; write nothing.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure connectivity'" -l detailed-exitcode -d 'With --dry-run: exit 20 when something changes.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure connectivity'" -l json -d 'Print the result as JSON.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure connectivity'" -l database-url -x -d '[Connectivity] Database URL (or DSN file): e.g. postgresql://db01/hr...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure connectivity'" -l db-user -x -d '[Connectivity] User Name: Database account with read and write rights on the...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure connectivity'" -l db-password-file -r -F -d '[Connectivity] Password: Password of that account (empty: none, or from the...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure connectivity'" -l dn-is-anchor -d '[Connectivity] DN is Anchor: Use the DN as the anchor too (leave unchecked...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure connectivity'" -l no-dn-is-anchor -d '[Connectivity] DN is Anchor: Use the DN as the anchor too (leave unchecked...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure connectivity'" -l object-replace -d '[Connectivity] Export Type: Object Replace: Replace the whole row on every...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure connectivity'" -l no-object-replace -d '[Connectivity] Export Type: Object Replace: Replace the whole row on every...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure connectivity'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure connectivity'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure connectivity'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure connectivity'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure connectivity'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure connectivity'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure connectivity'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure connectivity'" -l help -d 'Show this message and exit.'

# ecmactl configure delta-import
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure delta-import'" -s c -x -a '(__ecmactl_connectors)' -d 'The connector to change [default: the only one; required when the home has...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure delta-import'" -l connector -x -a '(__ecmactl_connectors)' -d 'The connector to change [default: the only one; required when the home has...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure delta-import'" -l no-input -d 'Never prompt; keep what is not given.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure delta-import'" -l defaults -d 'Keep current values without asking.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure delta-import'" -l dry-run -d 'Show changes; write nothing.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure delta-import'" -l detailed-exitcode -d 'With --dry-run: exit 20 when something changes.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure delta-import'" -l json -d 'Print the result as JSON.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure delta-import'" -l delta-method -x -a "Table 'Stored Procedure' 'SQL Query'" -d '[Delta Import] Operation Method: Table (compare the Global page\'s watermark...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure delta-import'" -l delta-sp-name -x -d '[Delta Import] Stored Procedure: The procedure (MariaDB) or set-returning...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure delta-import'" -l delta-sp-parameters -x -d '[Delta Import] Stored Procedure Parameters: The delta procedure\'s...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure delta-import'" -l delta-query -x -d '[Delta Import] SQL Query: A query returning every row changed after...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure delta-import'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure delta-import'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure delta-import'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure delta-import'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure delta-import'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure delta-import'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure delta-import'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure delta-import'" -l help -d 'Show this message and exit.'

# ecmactl configure deprovisioning
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure deprovisioning'" -s c -x -a '(__ecmactl_connectors)' -d 'The connector to change [default: the only one; required when the home has...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure deprovisioning'" -l connector -x -a '(__ecmactl_connectors)' -d 'The connector to change [default: the only one; required when the home has...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure deprovisioning'" -l no-input -d 'Never prompt; keep what is not given.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure deprovisioning'" -l defaults -d 'Keep current values without asking.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure deprovisioning'" -l dry-run -d 'Show changes; write nothing.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure deprovisioning'" -l detailed-exitcode -d 'With --dry-run: exit 20 when something changes.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure deprovisioning'" -l json -d 'Print the result as JSON.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure deprovisioning'" -l disable-flow -x -a "None 'Set attribute value' Delete" -d '[Deprovisioning] Disable flow: None, Set attribute value (a Boolean column...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure deprovisioning'" -l disable-attribute -x -d '[Deprovisioning] Attribute to set: Boolean column written on disable (not...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure deprovisioning'" -l disable-value -d '[Deprovisioning] Value when disabled: The value written on disable (true for...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure deprovisioning'" -l no-disable-value -d '[Deprovisioning] Value when disabled: The value written on disable (true for...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure deprovisioning'" -l delete-flow -x -a "None Delete" -d '[Deprovisioning] Delete flow: None (ignore deletes) or Delete the row.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure deprovisioning'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure deprovisioning'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure deprovisioning'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure deprovisioning'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure deprovisioning'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure deprovisioning'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure deprovisioning'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure deprovisioning'" -l help -d 'Show this message and exit.'

# ecmactl configure export
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure export'" -s c -x -a '(__ecmactl_connectors)' -d 'The connector to change [default: the only one; required when the home has...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure export'" -l connector -x -a '(__ecmactl_connectors)' -d 'The connector to change [default: the only one; required when the home has...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure export'" -l no-input -d 'Never prompt; keep what is not given.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure export'" -l defaults -d 'Keep current values without asking.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure export'" -l dry-run -d 'Show changes; write nothing.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure export'" -l detailed-exitcode -d 'With --dry-run: exit 20 when something changes.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure export'" -l json -d 'Print the result as JSON.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure export'" -l export-method -x -a "Table 'Stored Procedure' 'SQL Query'" -d '[Export] Operation Method: Table (the Schema 2 table, written directly)...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure export'" -l add-sp-name -x -d '[Export] Add SP Name: The procedure (or PostgreSQL function) that adds a user.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure export'" -l add-sp-parameters -x -d '[Export] Add SP Parameters: The Add procedure\'s parameters: one...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure export'" -l update-sp-name -x -d '[Export] Update SP Name: The procedure (or PostgreSQL function) that updates...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure export'" -l update-sp-parameters -x -d '[Export] Update SP Parameters: The Update procedure\'s parameters: one...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure export'" -l delete-sp-name -x -d '[Export] Delete SP Name: The procedure (or PostgreSQL function) that deletes...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure export'" -l delete-sp-parameters -x -d '[Export] Delete SP Parameters: The Delete procedure\'s parameters: one...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure export'" -l use-named-parameters -d '[Export] Use named parameters: Pass procedure parameters by name (PostgreSQL...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure export'" -l no-use-named-parameters -d '[Export] Use named parameters: Pass procedure parameters by name (PostgreSQL...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure export'" -l insert-query -x -d '[Export] Insert Query: The SQL statement that inserts a user, with...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure export'" -l update-query -x -d '[Export] Update Query: The SQL statement that updates a user, with...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure export'" -l delete-query -x -d '[Export] Delete Query: The SQL statement that deletes a user, with...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure export'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure export'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure export'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure export'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure export'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure export'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure export'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure export'" -l help -d 'Show this message and exit.'

# ecmactl configure full-import
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure full-import'" -s c -x -a '(__ecmactl_connectors)' -d 'The connector to change [default: the only one; required when the home has...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure full-import'" -l connector -x -a '(__ecmactl_connectors)' -d 'The connector to change [default: the only one; required when the home has...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure full-import'" -l no-input -d 'Never prompt; keep what is not given.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure full-import'" -l defaults -d 'Keep current values without asking.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure full-import'" -l dry-run -d 'Show changes; write nothing.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure full-import'" -l detailed-exitcode -d 'With --dry-run: exit 20 when something changes.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure full-import'" -l json -d 'Print the result as JSON.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure full-import'" -l import-method -x -a "Table View 'Stored Procedure' 'SQL Query'" -d '[Full Import] Operation Method: Table (the Schema 2 table), View (a view...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure full-import'" -l import-view -x -d '[Full Import] View: The view to read (its columns named as the table\'s).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure full-import'" -l import-sp-name -x -d '[Full Import] Stored Procedure: The procedure (MariaDB) or set-returning...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure full-import'" -l import-sp-parameters -x -d '[Full Import] Stored Procedure Parameters: The import procedure\'s...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure full-import'" -l import-query -x -d '[Full Import] SQL Query: A query returning rows @StartIndex to @EndIndex...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure full-import'" -l import-page-size -x -d '[Full Import] Page size: Rows per call of the procedure or query.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure full-import'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure full-import'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure full-import'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure full-import'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure full-import'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure full-import'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure full-import'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure full-import'" -l help -d 'Show this message and exit.'

# ecmactl configure global
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure global'" -s c -x -a '(__ecmactl_connectors)' -d 'The connector to change [default: the only one; required when the home has...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure global'" -l connector -x -a '(__ecmactl_connectors)' -d 'The connector to change [default: the only one; required when the home has...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure global'" -l no-input -d 'Never prompt; keep what is not given.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure global'" -l defaults -d 'Keep current values without asking.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure global'" -l dry-run -d 'Show changes; write nothing.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure global'" -l detailed-exitcode -d 'With --dry-run: exit 20 when something changes.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure global'" -l json -d 'Print the result as JSON.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure global'" -l delta-strategy -x -a "None Watermark" -d '[Global] Delta Strategy: None (every sync is a full import) or Watermark...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure global'" -l watermark-column -x -d '[Global] Watermark column: Column updated on every change (timestamp or...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure global'" -l watermark-query -x -d '[Global] Water Mark Query: Query returning the database\'s current time.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure global'" -l time-zone -x -d '[Global] Data Source Time Zone: Time zone of the database server\'s timestamps.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure global'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure global'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure global'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure global'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure global'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure global'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure global'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure global'" -l help -d 'Show this message and exit.'

# ecmactl configure multivalue
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure multivalue'" -s c -x -a '(__ecmactl_connectors)' -d 'The connector to change [default: the only one; required when the home has...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure multivalue'" -l connector -x -a '(__ecmactl_connectors)' -d 'The connector to change [default: the only one; required when the home has...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure multivalue'" -l no-input -d 'Never prompt; keep what is not given.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure multivalue'" -l defaults -d 'Keep current values without asking.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure multivalue'" -l dry-run -d 'Show changes; write nothing.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure multivalue'" -l detailed-exitcode -d 'With --dry-run: exit 20 when something changes.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure multivalue'" -l json -d 'Print the result as JSON.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure multivalue'" -l child-table -x -d '[Multi-Values Table/Views] User:Name of Multi-Values Table/Views: A table...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure multivalue'" -l join -x -d '[Multi-Values Table/Views] Join Condition: Child column = parent column...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure multivalue'" -l child-attribute -x -d '[Multi-Values Table/Views] SCIM target per child column: Each chosen column...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure multivalue'" -l type-column -x -d '[Multi-Values Table/Views] Type column: Child column holding each value\'s...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure multivalue'" -l primary-column -x -d '[Multi-Values Table/Views] Primary column: Child column marking the primary...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure multivalue'" -l remove -x -d 'Remove this child table and its multi-valued attributes (repeat).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure multivalue'" -l list -d 'List the child tables and their attributes.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure multivalue'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure multivalue'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure multivalue'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure multivalue'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure multivalue'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure multivalue'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure multivalue'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure multivalue'" -l help -d 'Show this message and exit.'

# ecmactl configure object-types
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure object-types'" -s c -x -a '(__ecmactl_connectors)' -d 'The connector to change [default: the only one; required when the home has...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure object-types'" -l connector -x -a '(__ecmactl_connectors)' -d 'The connector to change [default: the only one; required when the home has...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure object-types'" -l no-input -d 'Never prompt; keep what is not given.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure object-types'" -l defaults -d 'Keep current values without asking.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure object-types'" -l dry-run -d 'Show changes; write nothing.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure object-types'" -l detailed-exitcode -d 'With --dry-run: exit 20 when something changes.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure object-types'" -l json -d 'Print the result as JSON.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure object-types'" -l target-object -x -d '[Object Types] Target object: The object type exposed to Entra: User (the...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure object-types'" -l autogenerated-dn -d '[Object Types] Autogenerated: Build the DN as CN=<anchor>,OBJECT=USER...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure object-types'" -l no-autogenerated-dn -d '[Object Types] Autogenerated: Build the DN as CN=<anchor>,OBJECT=USER...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure object-types'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure object-types'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure object-types'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure object-types'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure object-types'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure object-types'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure object-types'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure object-types'" -l help -d 'Show this message and exit.'

# ecmactl configure properties
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure properties'" -s c -x -a '(__ecmactl_connectors)' -d 'The connector to change [default: the only one; required when the home has...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure properties'" -l connector -x -a '(__ecmactl_connectors)' -d 'The connector to change [default: the only one; required when the home has...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure properties'" -l no-input -d 'Never prompt; keep what is not given.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure properties'" -l defaults -d 'Keep current values without asking.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure properties'" -l dry-run -d 'Show changes; write nothing.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure properties'" -l detailed-exitcode -d 'With --dry-run: exit 20 when something changes.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure properties'" -l json -d 'Print the result as JSON.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure properties'" -l name -x -d '[Properties] Name: Connector name; case-sensitive, becomes...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure properties'" -l autosync-minutes -x -d '[Properties] Autosync timer (minutes): How often the host re-reads the...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure properties'" -l secret-token-file -r -F -d '[Properties] Secret Token: The bearer token Entra sends (Secret Token field...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure properties'" -l description -x -d '[Properties] Description: Free text.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure properties'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure properties'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure properties'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure properties'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure properties'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure properties'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure properties'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure properties'" -l help -d 'Show this message and exit.'

# ecmactl configure run-profiles
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure run-profiles'" -s c -x -a '(__ecmactl_connectors)' -d 'The connector to change [default: the only one; required when the home has...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure run-profiles'" -l connector -x -a '(__ecmactl_connectors)' -d 'The connector to change [default: the only one; required when the home has...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure run-profiles'" -l no-input -d 'Never prompt; keep what is not given.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure run-profiles'" -l defaults -d 'Keep current values without asking.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure run-profiles'" -l dry-run -d 'Show changes; write nothing.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure run-profiles'" -l detailed-exitcode -d 'With --dry-run: exit 20 when something changes.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure run-profiles'" -l json -d 'Print the result as JSON.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure run-profiles'" -l full-import -d '[Run Profiles] Full import: Load every row into the cache at start and on...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure run-profiles'" -l no-full-import -d '[Run Profiles] Full import: Load every row into the cache at start and on...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure run-profiles'" -l delta-import -d '[Run Profiles] Delta import: Between full imports, read only rows changed...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure run-profiles'" -l no-delta-import -d '[Run Profiles] Delta import: Between full imports, read only rows changed...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure run-profiles'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure run-profiles'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure run-profiles'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure run-profiles'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure run-profiles'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure run-profiles'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure run-profiles'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure run-profiles'" -l help -d 'Show this message and exit.'

# ecmactl configure schema
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -s c -x -a '(__ecmactl_connectors)' -d 'The connector to change [default: the only one; required when the home has...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -l connector -x -a '(__ecmactl_connectors)' -d 'The connector to change [default: the only one; required when the home has...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -l no-input -d 'Never prompt; keep what is not given.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -l defaults -d 'Keep current values without asking.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -l dry-run -d 'Show changes; write nothing.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -l detailed-exitcode -d 'With --dry-run: exit 20 when something changes.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -l json -d 'Print the result as JSON.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -l object-type-detection -x -a "'Fixed Value' Table" -d '[Schema 1-4] Object type detection method: Fixed Value (a list such as User)...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -l object-types -x -d '[Schema 1-4] Fixed value list: Comma-separated object types; ECMA2Host...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -l object-type-table -x -d '[Schema 1-4] Object type table: Table holding the object type names.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -l object-type-column -x -d '[Schema 1-4] Object type column: Column of that table naming the object types.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -l attribute-detection -x -a "Table View" -d '[Schema 1-4] User:Attribute Detection: Read the attributes from a Table or a...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -l db-schema -x -d '[Schema 1-4] Database schema: Schema holding the table (empty: the...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -l table -x -d '[Schema 1-4] User:Table/View: The table (or view) whose rows are the users.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -l anchor -x -d '[Schema 1-4] Select Anchor for: User: Column identifying a user; unique, NOT...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -l dn-attribute -x -d '[Schema 1-4] Select DN attribute for User: Column holding the DN; (none)...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -l column-type -x -d '[Schema 1-4] DataType per attribute: Detected types are the defaults...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -l direction -x -d '[Schema 1-4] Direction per attribute: Import, Export or ImportExport (the...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -l refresh -d 'Read the live table, show how it differs from the connector and update the...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -l add-column -x -d 'With --refresh: select this added column as an attribute (repeat).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -l add-all -d 'With --refresh: select every added column.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -s y -d 'With --refresh: write without asking to confirm.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -l yes -d 'With --refresh: write without asking to confirm.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure schema'" -l help -d 'Show this message and exit.'

# ecmactl configure settings
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure settings'" -l no-input -d 'Never prompt; keep what is not given.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure settings'" -l defaults -d 'Keep current values without asking.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure settings'" -l dry-run -d 'Show changes; write nothing.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure settings'" -l detailed-exitcode -d 'With --dry-run: exit 20 when something changes.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure settings'" -l json -d 'Print the result as JSON.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure settings'" -l port -x -d '[Settings] Port: HTTPS port of the SCIM host.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure settings'" -l bind-address -x -d '[Settings] Bind address: Interface to listen on: 127.0.0.1 when the...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure settings'" -l hostname -x -d '[Settings] Host name: The name in the Tenant URL and the certificate\'s SAN...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure settings'" -l certificate -x -a "generate existing keep" -d '[Settings] Certificate: Generate a self-signed certificate whose SAN is the...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure settings'" -l certificate-path -r -F -d '[Settings] Certificate file: PEM (certificate, key and chain in one file) or...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure settings'" -l key-path -r -F -d '[Settings] Private key file: The private key, when the PEM file does not...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure settings'" -l certificate-password-file -r -F -d '[Settings] Certificate password: Password of the PFX file or encrypted key...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure settings'" -l secret-store -x -a "keyring file env" -d '[Settings] Secret store: Where tokens and passwords are kept: the OS...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure settings'" -l metrics -d '[Settings] Prometheus metrics: Serve Prometheus metrics at...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure settings'" -l no-metrics -d '[Settings] Prometheus metrics: Serve Prometheus metrics at...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure settings'" -l metrics-bind-address -x -d '[Settings] Metrics bind address: Interface for /metrics: 127.0.0.1 (this...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure settings'" -l metrics-port -x -d '[Settings] Metrics port: Plain-HTTP port for /metrics (default 9585).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure settings'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure settings'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure settings'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure settings'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure settings'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure settings'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure settings'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure settings'" -l help -d 'Show this message and exit.'

# ecmactl configure show
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure show'" -s c -x -a '(__ecmactl_connectors)' -d 'The connector [default: the only one; required when the home has several].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure show'" -l connector -x -a '(__ecmactl_connectors)' -d 'The connector [default: the only one; required when the home has several].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure show'" -l json -d 'Print as JSON.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure show'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure show'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure show'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure show'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure show'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure show'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure show'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl configure show'" -l help -d 'Show this message and exit.'

# ecmactl host
complete -c ecmactl -n "__ecmactl_is 'ecmactl host' 0" -a reload -d 'Make the running host re-read the home\'s config, without a restart.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host' 0" -a run -d 'Serve every connector over HTTPS, in the foreground (for systemd).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host' 0" -a status -d 'Show the running host and its connectors (exit 0/1/3/4/30/31).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host' 0" -a sync -d 'Run a full import now on the running host, and wait for it.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host'" -l help -d 'Show this message and exit.'

# ecmactl host reload
complete -c ecmactl -n "__ecmactl_is 'ecmactl host reload'" -l json -d 'Print one JSON document on stdout.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host reload'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host reload'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host reload'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host reload'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host reload'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host reload'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host reload'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host reload'" -l help -d 'Show this message and exit.'

# ecmactl host run
complete -c ecmactl -n "__ecmactl_is 'ecmactl host run'" -s p -x -d 'Port [default: from settings, 8585].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host run'" -l port -x -d 'Port [default: from settings, 8585].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host run'" -l bind-address -x -d 'Listen address: 127.0.0.1 (this machine), 0.0.0.0 (every interface) or one...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host run'" -s c -x -a '(__ecmactl_connectors)' -d 'Serve only this connector (repeatable) [default: all].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host run'" -l connector -x -a '(__ecmactl_connectors)' -d 'Serve only this connector (repeatable) [default: all].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host run'" -l log-format -x -a "text json" -d 'One line per event, as text or JSON.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host run'" -l log-file -r -F -d 'Append the log here [default: stderr].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host run'" -l log-level -x -a "debug info warning error" -d 'Log detail [default: from settings, info].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host run'" -l no-retry -d 'Exit 1 if a connector\'s first import fails, instead of retrying with back-off.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host run'" -l graceful-timeout -x -d 'At SIGTERM/SIGINT, how long in-flight requests may take to finish.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host run'" -l standby -d 'Active/standby on PostgreSQL/MariaDB: switch the writer lease on for each...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host run'" -l lease-ttl -x -d 'Writer lease lifetime: a standby takes over this long (plus a fifth) after...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host run'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host run'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host run'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host run'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host run'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host run'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host run'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host run'" -l help -d 'Show this message and exit.'

# ecmactl host status
complete -c ecmactl -n "__ecmactl_is 'ecmactl host status'" -l json -d 'Print one JSON document on stdout.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host status'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host status'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host status'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host status'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host status'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host status'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host status'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host status'" -l help -d 'Show this message and exit.'

# ecmactl host sync
complete -c ecmactl -n "__ecmactl_is 'ecmactl host sync'" -s c -x -a '(__ecmactl_connectors)' -d 'Only this connector [default: all].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host sync'" -l connector -x -a '(__ecmactl_connectors)' -d 'Only this connector [default: all].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host sync'" -l timeout -x -d 'How long to wait for it.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host sync'" -l json -d 'Print one JSON document on stdout.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host sync'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host sync'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host sync'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host sync'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host sync'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host sync'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host sync'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl host sync'" -l help -d 'Show this message and exit.'

# ecmactl init
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l sample -d 'Set up the embedded sample: a SQLite copy of the Employees table from...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l answers-file -r -F -d 'Answers to replay (TOML, YAML or JSON; `ecmactl init` writes one per...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l defaults -d 'Accept every default without asking; ask only what has no default.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l no-input -d 'Never prompt (also ECMACTL_NO_INPUT=1); missing answers exit 2.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l dry-run -d 'Show what would be written; write nothing.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l detailed-exitcode -d 'With --dry-run: exit 20 when something would change.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l force -d 'Replace an existing connector of the same name.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l exist-ok -d 'Do nothing (exit 0) when the named connector already exists; for idempotent...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l json -d 'Print the result as JSON.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l from -r -F -d 'Import the connectors of an ECMA2Host Configuration.xml export or a MIM...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l port -x -d '[Settings] Port: HTTPS port of the SCIM host.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l bind-address -x -d '[Settings] Bind address: Interface to listen on: 127.0.0.1 when the...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l hostname -x -d '[Settings] Host name: The name in the Tenant URL and the certificate\'s SAN...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l certificate -x -a "generate existing keep" -d '[Settings] Certificate: Generate a self-signed certificate whose SAN is the...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l certificate-path -r -F -d '[Settings] Certificate file: PEM (certificate, key and chain in one file) or...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l key-path -r -F -d '[Settings] Private key file: The private key, when the PEM file does not...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l certificate-password-file -r -F -d '[Settings] Certificate password: Password of the PFX file or encrypted key...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l secret-store -x -a "keyring file env" -d '[Settings] Secret store: Where tokens and passwords are kept: the OS...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l metrics -d '[Settings] Prometheus metrics: Serve Prometheus metrics at...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l no-metrics -d '[Settings] Prometheus metrics: Serve Prometheus metrics at...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l metrics-bind-address -x -d '[Settings] Metrics bind address: Interface for /metrics: 127.0.0.1 (this...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l metrics-port -x -d '[Settings] Metrics port: Plain-HTTP port for /metrics (default 9585).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l name -x -d '[Properties] Name: Connector name; case-sensitive, becomes...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l autosync-minutes -x -d '[Properties] Autosync timer (minutes): How often the host re-reads the...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l secret-token-file -r -F -d '[Properties] Secret Token: The bearer token Entra sends (Secret Token field...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l description -x -d '[Properties] Description: Free text.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l database-url -x -d '[Connectivity] Database URL (or DSN file): e.g. postgresql://db01/hr...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l db-user -x -d '[Connectivity] User Name: Database account with read and write rights on the...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l db-password-file -r -F -d '[Connectivity] Password: Password of that account (empty: none, or from the...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l dn-is-anchor -d '[Connectivity] DN is Anchor: Use the DN as the anchor too (leave unchecked...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l no-dn-is-anchor -d '[Connectivity] DN is Anchor: Use the DN as the anchor too (leave unchecked...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l object-replace -d '[Connectivity] Export Type: Object Replace: Replace the whole row on every...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l no-object-replace -d '[Connectivity] Export Type: Object Replace: Replace the whole row on every...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l object-type-detection -x -a "'Fixed Value' Table" -d '[Schema 1-4] Object type detection method: Fixed Value (a list such as User)...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l object-types -x -d '[Schema 1-4] Fixed value list: Comma-separated object types; ECMA2Host...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l object-type-table -x -d '[Schema 1-4] Object type table: Table holding the object type names.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l object-type-column -x -d '[Schema 1-4] Object type column: Column of that table naming the object types.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l attribute-detection -x -a "Table View" -d '[Schema 1-4] User:Attribute Detection: Read the attributes from a Table or a...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l db-schema -x -d '[Schema 1-4] Database schema: Schema holding the table (empty: the...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l table -x -d '[Schema 1-4] User:Table/View: The table (or view) whose rows are the users.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l anchor -x -d '[Schema 1-4] Select Anchor for: User: Column identifying a user; unique, NOT...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l dn-attribute -x -d '[Schema 1-4] Select DN attribute for User: Column holding the DN; (none)...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l column-type -x -d '[Schema 1-4] DataType per attribute: Detected types are the defaults...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l direction -x -d '[Schema 1-4] Direction per attribute: Import, Export or ImportExport (the...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l child-table -x -d '[Multi-Values Table/Views] User:Name of Multi-Values Table/Views: A table...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l join -x -d '[Multi-Values Table/Views] Join Condition: Child column = parent column...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l child-attribute -x -d '[Multi-Values Table/Views] SCIM target per child column: Each chosen column...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l type-column -x -d '[Multi-Values Table/Views] Type column: Child column holding each value\'s...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l primary-column -x -d '[Multi-Values Table/Views] Primary column: Child column marking the primary...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l delta-strategy -x -a "None Watermark" -d '[Global] Delta Strategy: None (every sync is a full import) or Watermark...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l watermark-column -x -d '[Global] Watermark column: Column updated on every change (timestamp or...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l watermark-query -x -d '[Global] Water Mark Query: Query returning the database\'s current time.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l time-zone -x -d '[Global] Data Source Time Zone: Time zone of the database server\'s timestamps.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l full-import -d '[Run Profiles] Full import: Load every row into the cache at start and on...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l no-full-import -d '[Run Profiles] Full import: Load every row into the cache at start and on...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l delta-import -d '[Run Profiles] Delta import: Between full imports, read only rows changed...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l no-delta-import -d '[Run Profiles] Delta import: Between full imports, read only rows changed...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l export-method -x -a "Table 'Stored Procedure' 'SQL Query'" -d '[Export] Operation Method: Table (the Schema 2 table, written directly)...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l add-sp-name -x -d '[Export] Add SP Name: The procedure (or PostgreSQL function) that adds a user.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l add-sp-parameters -x -d '[Export] Add SP Parameters: The Add procedure\'s parameters: one...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l update-sp-name -x -d '[Export] Update SP Name: The procedure (or PostgreSQL function) that updates...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l update-sp-parameters -x -d '[Export] Update SP Parameters: The Update procedure\'s parameters: one...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l delete-sp-name -x -d '[Export] Delete SP Name: The procedure (or PostgreSQL function) that deletes...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l delete-sp-parameters -x -d '[Export] Delete SP Parameters: The Delete procedure\'s parameters: one...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l use-named-parameters -d '[Export] Use named parameters: Pass procedure parameters by name (PostgreSQL...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l no-use-named-parameters -d '[Export] Use named parameters: Pass procedure parameters by name (PostgreSQL...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l insert-query -x -d '[Export] Insert Query: The SQL statement that inserts a user, with...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l update-query -x -d '[Export] Update Query: The SQL statement that updates a user, with...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l delete-query -x -d '[Export] Delete Query: The SQL statement that deletes a user, with...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l import-method -x -a "Table View 'Stored Procedure' 'SQL Query'" -d '[Full Import] Operation Method: Table (the Schema 2 table), View (a view...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l import-view -x -d '[Full Import] View: The view to read (its columns named as the table\'s).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l import-sp-name -x -d '[Full Import] Stored Procedure: The procedure (MariaDB) or set-returning...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l import-sp-parameters -x -d '[Full Import] Stored Procedure Parameters: The import procedure\'s...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l import-query -x -d '[Full Import] SQL Query: A query returning rows @StartIndex to @EndIndex...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l import-page-size -x -d '[Full Import] Page size: Rows per call of the procedure or query.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l delta-method -x -a "Table 'Stored Procedure' 'SQL Query'" -d '[Delta Import] Operation Method: Table (compare the Global page\'s watermark...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l delta-sp-name -x -d '[Delta Import] Stored Procedure: The procedure (MariaDB) or set-returning...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l delta-sp-parameters -x -d '[Delta Import] Stored Procedure Parameters: The delta procedure\'s...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l delta-query -x -d '[Delta Import] SQL Query: A query returning every row changed after...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l target-object -x -d '[Object Types] Target object: The object type exposed to Entra: User (the...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l autogenerated-dn -d '[Object Types] Autogenerated: Build the DN as CN=<anchor>,OBJECT=USER...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l no-autogenerated-dn -d '[Object Types] Autogenerated: Build the DN as CN=<anchor>,OBJECT=USER...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l attribute -x -d '[Select Attributes] Attributes: Columns to expose (the anchor is required)....'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l bind -x -d '[Select Attributes] Core SCIM attribute per column: Suggested from the...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l disable-flow -x -a "None 'Set attribute value' Delete" -d '[Deprovisioning] Disable flow: None, Set attribute value (a Boolean column...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l disable-attribute -x -d '[Deprovisioning] Attribute to set: Boolean column written on disable (not...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l disable-value -d '[Deprovisioning] Value when disabled: The value written on disable (true for...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l no-disable-value -d '[Deprovisioning] Value when disabled: The value written on disable (true for...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l delete-flow -x -a "None Delete" -d '[Deprovisioning] Delete flow: None (ignore deletes) or Delete the row.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl init'" -l help -d 'Show this message and exit.'

# ecmactl token
complete -c ecmactl -n "__ecmactl_is 'ecmactl token' 0" -a rotate -d 'Replace the token with a new random one (or --secret-token-file); the old one...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token' 0" -a set -d 'Replace the connector\'s token now; the old one stops working at once.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token' 0" -a show -d 'Show where the token is kept and its masked form (and a previous one still...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token'" -l help -d 'Show this message and exit.'

# ecmactl token rotate
complete -c ecmactl -n "__ecmactl_is 'ecmactl token rotate'" -s c -x -a '(__ecmactl_connectors)' -d 'The connector [default: the only one; required when the home has several].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token rotate'" -l connector -x -a '(__ecmactl_connectors)' -d 'The connector [default: the only one; required when the home has several].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token rotate'" -l secret-token-file -r -F -d 'Read the new token from PATH (\'-\' for stdin) instead of generating one.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token rotate'" -l grace -x -d 'How long the old token stays valid: 24h, 7d, 90m; 0 ends it now (at most 30d).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token rotate'" -l reveal -d 'Print the token itself, alone, on stdout.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token rotate'" -l json -d 'Print one JSON document on stdout (never the token).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token rotate'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token rotate'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token rotate'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token rotate'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token rotate'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token rotate'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token rotate'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token rotate'" -l help -d 'Show this message and exit.'

# ecmactl token set
complete -c ecmactl -n "__ecmactl_is 'ecmactl token set'" -s c -x -a '(__ecmactl_connectors)' -d 'The connector [default: the only one; required when the home has several].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token set'" -l connector -x -a '(__ecmactl_connectors)' -d 'The connector [default: the only one; required when the home has several].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token set'" -l secret-token-file -r -F -d 'Read the token from PATH (\'-\' for stdin; or ECMACTL_SECRET_TOKEN). At least...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token set'" -l generate -d 'Generate a 32-character random token.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token set'" -l secret-store -x -a "keyring file" -d 'Move the token to this store.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token set'" -l reveal -d 'Print the token itself, alone, on stdout.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token set'" -l json -d 'Print one JSON document on stdout (never the token).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token set'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token set'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token set'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token set'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token set'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token set'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token set'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token set'" -l help -d 'Show this message and exit.'

# ecmactl token show
complete -c ecmactl -n "__ecmactl_is 'ecmactl token show'" -s c -x -a '(__ecmactl_connectors)' -d 'The connector [default: the only one; required when the home has several].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token show'" -l connector -x -a '(__ecmactl_connectors)' -d 'The connector [default: the only one; required when the home has several].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token show'" -l reveal -d 'Print the token itself, alone, on stdout.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token show'" -l json -d 'Print one JSON document on stdout (never the token).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token show'" -l home -x -a '(__fish_complete_directories)' -d 'Folder holding all ecmactl state [default: the per-user config folder].'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token show'" -s q -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token show'" -l quiet -d 'Only errors and the result asked for (status commands: nothing when all is...'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token show'" -s v -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token show'" -l verbose -d 'More detail.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token show'" -l no-color -d 'No colours (also NO_COLOR).'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token show'" -s h -d 'Show this message and exit.'
complete -c ecmactl -n "__ecmactl_is 'ecmactl token show'" -l help -d 'Show this message and exit.'
