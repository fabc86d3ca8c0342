# bash completion for ecmactl; generated from the command tree by
# `ecmactl completion bash`. Do not edit: regenerate instead.
# Install: copy to ~/.local/share/bash-completion/completions/ecmactl or /etc/bash_completion.d/

# Sets _ecmactl_subcommands and _ecmactl_options for the command path $1 ("ecmactl configure").
_ecmactl_command() {
    _ecmactl_subcommands=() _ecmactl_options=()
    case $1 in
    'ecmactl')
        _ecmactl_subcommands=(agent bundle cert completion configure host init token)
        _ecmactl_options=(--home -q --quiet -v --verbose --no-color --version -h --help)
        ;;
    'ecmactl agent')
        _ecmactl_subcommands=(failover status test-connection)
        _ecmactl_options=(--home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl agent failover')
        _ecmactl_subcommands=()
        _ecmactl_options=(-c --connector --active-active --json --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl agent status')
        _ecmactl_subcommands=()
        _ecmactl_options=(--json --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl agent test-connection')
        _ecmactl_subcommands=()
        _ecmactl_options=(-c --connector --url --secret-token-file --timeout --json --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl bundle')
        _ecmactl_subcommands=(apply emit inspect verify)
        _ecmactl_options=(--home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl bundle apply')
        _ecmactl_subcommands=()
        _ecmactl_options=(--force --dry-run --json --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl bundle emit')
        _ecmactl_subcommands=()
        _ecmactl_options=(-o --output --include-private-key --force --json --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl bundle inspect')
        _ecmactl_subcommands=()
        _ecmactl_options=(--json --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl bundle verify')
        _ecmactl_subcommands=()
        _ecmactl_options=(--json --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl cert')
        _ecmactl_subcommands=(create csr import renew show status)
        _ecmactl_options=(--home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl cert create')
        _ecmactl_subcommands=()
        _ecmactl_options=(--san --no-loopback --days --key-type --passphrase-file --force --json --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl cert csr')
        _ecmactl_subcommands=()
        _ecmactl_options=(--out --new-key --key-type --san --json --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl cert import')
        _ecmactl_subcommands=()
        _ecmactl_options=(--key --password-file --passphrase-file --json --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl cert renew')
        _ecmactl_subcommands=()
        _ecmactl_options=(--if-due --expires-in --rekey --key-type --days --san --dry-run --json --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl cert show')
        _ecmactl_subcommands=()
        _ecmactl_options=(--key --password-file --expires-in --json --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl cert status')
        _ecmactl_subcommands=()
        _ecmactl_options=(--expires-in --json --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl completion')
        _ecmactl_subcommands=()
        _ecmactl_options=(--home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl configure')
        _ecmactl_subcommands=(attributes connectivity delta-import deprovisioning export full-import global multivalue object-types properties run-profiles schema settings show)
        _ecmactl_options=(--home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl configure attributes')
        _ecmactl_subcommands=()
        _ecmactl_options=(-c --connector --no-input --defaults --dry-run --detailed-exitcode --json --attribute --bind --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl configure connectivity')
        _ecmactl_subcommands=()
        _ecmactl_options=(-c --connector --no-input --defaults --dry-run --detailed-exitcode --json --database-url --db-user --db-password-file --dn-is-anchor --no-dn-is-anchor --object-replace --no-object-replace --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl configure delta-import')
        _ecmactl_subcommands=()
        _ecmactl_options=(-c --connector --no-input --defaults --dry-run --detailed-exitcode --json --delta-method --delta-sp-name --delta-sp-parameters --delta-query --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl configure deprovisioning')
        _ecmactl_subcommands=()
        _ecmactl_options=(-c --connector --no-input --defaults --dry-run --detailed-exitcode --json --disable-flow --disable-attribute --disable-value --no-disable-value --delete-flow --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl configure export')
        _ecmactl_subcommands=()
        _ecmactl_options=(-c --connector --no-input --defaults --dry-run --detailed-exitcode --json --export-method --add-sp-name --add-sp-parameters --update-sp-name --update-sp-parameters --delete-sp-name --delete-sp-parameters --use-named-parameters --no-use-named-parameters --insert-query --update-query --delete-query --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl configure full-import')
        _ecmactl_subcommands=()
        _ecmactl_options=(-c --connector --no-input --defaults --dry-run --detailed-exitcode --json --import-method --import-view --import-sp-name --import-sp-parameters --import-query --import-page-size --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl configure global')
        _ecmactl_subcommands=()
        _ecmactl_options=(-c --connector --no-input --defaults --dry-run --detailed-exitcode --json --delta-strategy --watermark-column --watermark-query --time-zone --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl configure multivalue')
        _ecmactl_subcommands=()
        _ecmactl_options=(-c --connector --no-input --defaults --dry-run --detailed-exitcode --json --child-table --join --child-attribute --type-column --primary-column --remove --list --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl configure object-types')
        _ecmactl_subcommands=()
        _ecmactl_options=(-c --connector --no-input --defaults --dry-run --detailed-exitcode --json --target-object --autogenerated-dn --no-autogenerated-dn --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl configure properties')
        _ecmactl_subcommands=()
        _ecmactl_options=(-c --connector --no-input --defaults --dry-run --detailed-exitcode --json --name --autosync-minutes --secret-token-file --description --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl configure run-profiles')
        _ecmactl_subcommands=()
        _ecmactl_options=(-c --connector --no-input --defaults --dry-run --detailed-exitcode --json --full-import --no-full-import --delta-import --no-delta-import --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl configure schema')
        _ecmactl_subcommands=()
        _ecmactl_options=(-c --connector --no-input --defaults --dry-run --detailed-exitcode --json --object-type-detection --object-types --object-type-table --object-type-column --attribute-detection --db-schema --table --anchor --dn-attribute --column-type --direction --refresh --add-column --add-all -y --yes --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl configure settings')
        _ecmactl_subcommands=()
        _ecmactl_options=(--no-input --defaults --dry-run --detailed-exitcode --json --port --bind-address --hostname --certificate --certificate-path --key-path --certificate-password-file --secret-store --metrics --no-metrics --metrics-bind-address --metrics-port --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl configure show')
        _ecmactl_subcommands=()
        _ecmactl_options=(-c --connector --json --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl host')
        _ecmactl_subcommands=(reload run status sync)
        _ecmactl_options=(--home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl host reload')
        _ecmactl_subcommands=()
        _ecmactl_options=(--json --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl host run')
        _ecmactl_subcommands=()
        _ecmactl_options=(-p --port --bind-address -c --connector --log-format --log-file --log-level --no-retry --graceful-timeout --standby --lease-ttl --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl host status')
        _ecmactl_subcommands=()
        _ecmactl_options=(--json --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl host sync')
        _ecmactl_subcommands=()
        _ecmactl_options=(-c --connector --timeout --json --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl init')
        _ecmactl_subcommands=()
        _ecmactl_options=(--sample --answers-file --defaults --no-input --dry-run --detailed-exitcode --force --exist-ok --json --from --port --bind-address --hostname --certificate --certificate-path --key-path --certificate-password-file --secret-store --metrics --no-metrics --metrics-bind-address --metrics-port --name --autosync-minutes --secret-token-file --description --database-url --db-user --db-password-file --dn-is-anchor --no-dn-is-anchor --object-replace --no-object-replace --object-type-detection --object-types --object-type-table --object-type-column --attribute-detection --db-schema --table --anchor --dn-attribute --column-type --direction --child-table --join --child-attribute --type-column --primary-column --delta-strategy --watermark-column --watermark-query --time-zone --full-import --no-full-import --delta-import --no-delta-import --export-method --add-sp-name --add-sp-parameters --update-sp-name --update-sp-parameters --delete-sp-name --delete-sp-parameters --use-named-parameters --no-use-named-parameters --insert-query --update-query --delete-query --import-method --import-view --import-sp-name --import-sp-parameters --import-query --import-page-size --delta-method --delta-sp-name --delta-sp-parameters --delta-query --target-object --autogenerated-dn --no-autogenerated-dn --attribute --bind --disable-flow --disable-attribute --disable-value --no-disable-value --delete-flow --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl token')
        _ecmactl_subcommands=(rotate set show)
        _ecmactl_options=(--home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl token rotate')
        _ecmactl_subcommands=()
        _ecmactl_options=(-c --connector --secret-token-file --grace --reveal --json --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl token set')
        _ecmactl_subcommands=()
        _ecmactl_options=(-c --connector --secret-token-file --generate --secret-store --reveal --json --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    'ecmactl token show')
        _ecmactl_subcommands=()
        _ecmactl_options=(-c --connector --reveal --json --home -q --quiet -v --verbose --no-color -h --help)
        ;;
    esac
}

# Sets _ecmactl_kind for option $2 of command path $1: empty for a flag, else text (nothing to
# complete), file, dir or choice (the values in _ecmactl_choices).
_ecmactl_option() {
    _ecmactl_kind= _ecmactl_choices=()
    case $1 in
    'ecmactl')
        case $2 in
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl agent')
        case $2 in
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl agent failover')
        case $2 in
        -c|--connector) _ecmactl_kind=connector ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl agent status')
        case $2 in
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl agent test-connection')
        case $2 in
        -c|--connector) _ecmactl_kind=connector ;;
        --url) _ecmactl_kind=text ;;
        --secret-token-file) _ecmactl_kind=file ;;
        --timeout) _ecmactl_kind=text ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl bundle')
        case $2 in
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl bundle apply')
        case $2 in
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl bundle emit')
        case $2 in
        -o|--output) _ecmactl_kind=file ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl bundle inspect')
        case $2 in
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl bundle verify')
        case $2 in
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl cert')
        case $2 in
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl cert create')
        case $2 in
        --san) _ecmactl_kind=text ;;
        --days) _ecmactl_kind=text ;;
        --key-type) _ecmactl_kind=choice; _ecmactl_choices=(rsa2048 rsa3072 ec256) ;;
        --passphrase-file) _ecmactl_kind=file ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl cert csr')
        case $2 in
        --out) _ecmactl_kind=file ;;
        --new-key) _ecmactl_kind=file ;;
        --key-type) _ecmactl_kind=choice; _ecmactl_choices=(rsa2048 rsa3072 ec256) ;;
        --san) _ecmactl_kind=text ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl cert import')
        case $2 in
        --key) _ecmactl_kind=file ;;
        --password-file) _ecmactl_kind=file ;;
        --passphrase-file) _ecmactl_kind=file ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl cert renew')
        case $2 in
        --expires-in) _ecmactl_kind=text ;;
        --key-type) _ecmactl_kind=choice; _ecmactl_choices=(rsa2048 rsa3072 ec256) ;;
        --days) _ecmactl_kind=text ;;
        --san) _ecmactl_kind=text ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl cert show')
        case $2 in
        --key) _ecmactl_kind=file ;;
        --password-file) _ecmactl_kind=file ;;
        --expires-in) _ecmactl_kind=text ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl cert status')
        case $2 in
        --expires-in) _ecmactl_kind=text ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl completion')
        case $2 in
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl configure')
        case $2 in
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl configure attributes')
        case $2 in
        -c|--connector) _ecmactl_kind=connector ;;
        --attribute) _ecmactl_kind=text ;;
        --bind) _ecmactl_kind=text ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl configure connectivity')
        case $2 in
        -c|--connector) _ecmactl_kind=connector ;;
        --database-url) _ecmactl_kind=text ;;
        --db-user) _ecmactl_kind=text ;;
        --db-password-file) _ecmactl_kind=file ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl configure delta-import')
        case $2 in
        -c|--connector) _ecmactl_kind=connector ;;
        --delta-method) _ecmactl_kind=choice; _ecmactl_choices=(Table 'Stored Procedure' 'SQL Query') ;;
        --delta-sp-name) _ecmactl_kind=text ;;
        --delta-sp-parameters) _ecmactl_kind=text ;;
        --delta-query) _ecmactl_kind=text ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl configure deprovisioning')
        case $2 in
        -c|--connector) _ecmactl_kind=connector ;;
        --disable-flow) _ecmactl_kind=choice; _ecmactl_choices=(None 'Set attribute value' Delete) ;;
        --disable-attribute) _ecmactl_kind=text ;;
        --delete-flow) _ecmactl_kind=choice; _ecmactl_choices=(None Delete) ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl configure export')
        case $2 in
        -c|--connector) _ecmactl_kind=connector ;;
        --export-method) _ecmactl_kind=choice; _ecmactl_choices=(Table 'Stored Procedure' 'SQL Query') ;;
        --add-sp-name) _ecmactl_kind=text ;;
        --add-sp-parameters) _ecmactl_kind=text ;;
        --update-sp-name) _ecmactl_kind=text ;;
        --update-sp-parameters) _ecmactl_kind=text ;;
        --delete-sp-name) _ecmactl_kind=text ;;
        --delete-sp-parameters) _ecmactl_kind=text ;;
        --insert-query) _ecmactl_kind=text ;;
        --update-query) _ecmactl_kind=text ;;
        --delete-query) _ecmactl_kind=text ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl configure full-import')
        case $2 in
        -c|--connector) _ecmactl_kind=connector ;;
        --import-method) _ecmactl_kind=choice; _ecmactl_choices=(Table View 'Stored Procedure' 'SQL Query') ;;
        --import-view) _ecmactl_kind=text ;;
        --import-sp-name) _ecmactl_kind=text ;;
        --import-sp-parameters) _ecmactl_kind=text ;;
        --import-query) _ecmactl_kind=text ;;
        --import-page-size) _ecmactl_kind=text ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl configure global')
        case $2 in
        -c|--connector) _ecmactl_kind=connector ;;
        --delta-strategy) _ecmactl_kind=choice; _ecmactl_choices=(None Watermark) ;;
        --watermark-column) _ecmactl_kind=text ;;
        --watermark-query) _ecmactl_kind=text ;;
        --time-zone) _ecmactl_kind=text ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl configure multivalue')
        case $2 in
        -c|--connector) _ecmactl_kind=connector ;;
        --child-table) _ecmactl_kind=text ;;
        --join) _ecmactl_kind=text ;;
        --child-attribute) _ecmactl_kind=text ;;
        --type-column) _ecmactl_kind=text ;;
        --primary-column) _ecmactl_kind=text ;;
        --remove) _ecmactl_kind=text ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl configure object-types')
        case $2 in
        -c|--connector) _ecmactl_kind=connector ;;
        --target-object) _ecmactl_kind=text ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl configure properties')
        case $2 in
        -c|--connector) _ecmactl_kind=connector ;;
        --name) _ecmactl_kind=text ;;
        --autosync-minutes) _ecmactl_kind=text ;;
        --secret-token-file) _ecmactl_kind=file ;;
        --description) _ecmactl_kind=text ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl configure run-profiles')
        case $2 in
        -c|--connector) _ecmactl_kind=connector ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl configure schema')
        case $2 in
        -c|--connector) _ecmactl_kind=connector ;;
        --object-type-detection) _ecmactl_kind=choice; _ecmactl_choices=('Fixed Value' Table) ;;
        --object-types) _ecmactl_kind=text ;;
        --object-type-table) _ecmactl_kind=text ;;
        --object-type-column) _ecmactl_kind=text ;;
        --attribute-detection) _ecmactl_kind=choice; _ecmactl_choices=(Table View) ;;
        --db-schema) _ecmactl_kind=text ;;
        --table) _ecmactl_kind=text ;;
        --anchor) _ecmactl_kind=text ;;
        --dn-attribute) _ecmactl_kind=text ;;
        --column-type) _ecmactl_kind=text ;;
        --direction) _ecmactl_kind=text ;;
        --add-column) _ecmactl_kind=text ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl configure settings')
        case $2 in
        --port) _ecmactl_kind=text ;;
        --bind-address) _ecmactl_kind=text ;;
        --hostname) _ecmactl_kind=text ;;
        --certificate) _ecmactl_kind=choice; _ecmactl_choices=(generate existing keep) ;;
        --certificate-path) _ecmactl_kind=file ;;
        --key-path) _ecmactl_kind=file ;;
        --certificate-password-file) _ecmactl_kind=file ;;
        --secret-store) _ecmactl_kind=choice; _ecmactl_choices=(keyring file env) ;;
        --metrics-bind-address) _ecmactl_kind=text ;;
        --metrics-port) _ecmactl_kind=text ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl configure show')
        case $2 in
        -c|--connector) _ecmactl_kind=connector ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl host')
        case $2 in
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl host reload')
        case $2 in
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl host run')
        case $2 in
        -p|--port) _ecmactl_kind=text ;;
        --bind-address) _ecmactl_kind=text ;;
        -c|--connector) _ecmactl_kind=connector ;;
        --log-format) _ecmactl_kind=choice; _ecmactl_choices=(text json) ;;
        --log-file) _ecmactl_kind=file ;;
        --log-level) _ecmactl_kind=choice; _ecmactl_choices=(debug info warning error) ;;
        --graceful-timeout) _ecmactl_kind=text ;;
        --lease-ttl) _ecmactl_kind=text ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl host status')
        case $2 in
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl host sync')
        case $2 in
        -c|--connector) _ecmactl_kind=connector ;;
        --timeout) _ecmactl_kind=text ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl init')
        case $2 in
        --answers-file) _ecmactl_kind=file ;;
        --from) _ecmactl_kind=file ;;
        --port) _ecmactl_kind=text ;;
        --bind-address) _ecmactl_kind=text ;;
        --hostname) _ecmactl_kind=text ;;
        --certificate) _ecmactl_kind=choice; _ecmactl_choices=(generate existing keep) ;;
        --certificate-path) _ecmactl_kind=file ;;
        --key-path) _ecmactl_kind=file ;;
        --certificate-password-file) _ecmactl_kind=file ;;
        --secret-store) _ecmactl_kind=choice; _ecmactl_choices=(keyring file env) ;;
        --metrics-bind-address) _ecmactl_kind=text ;;
        --metrics-port) _ecmactl_kind=text ;;
        --name) _ecmactl_kind=text ;;
        --autosync-minutes) _ecmactl_kind=text ;;
        --secret-token-file) _ecmactl_kind=file ;;
        --description) _ecmactl_kind=text ;;
        --database-url) _ecmactl_kind=text ;;
        --db-user) _ecmactl_kind=text ;;
        --db-password-file) _ecmactl_kind=file ;;
        --object-type-detection) _ecmactl_kind=choice; _ecmactl_choices=('Fixed Value' Table) ;;
        --object-types) _ecmactl_kind=text ;;
        --object-type-table) _ecmactl_kind=text ;;
        --object-type-column) _ecmactl_kind=text ;;
        --attribute-detection) _ecmactl_kind=choice; _ecmactl_choices=(Table View) ;;
        --db-schema) _ecmactl_kind=text ;;
        --table) _ecmactl_kind=text ;;
        --anchor) _ecmactl_kind=text ;;
        --dn-attribute) _ecmactl_kind=text ;;
        --column-type) _ecmactl_kind=text ;;
        --direction) _ecmactl_kind=text ;;
        --child-table) _ecmactl_kind=text ;;
        --join) _ecmactl_kind=text ;;
        --child-attribute) _ecmactl_kind=text ;;
        --type-column) _ecmactl_kind=text ;;
        --primary-column) _ecmactl_kind=text ;;
        --delta-strategy) _ecmactl_kind=choice; _ecmactl_choices=(None Watermark) ;;
        --watermark-column) _ecmactl_kind=text ;;
        --watermark-query) _ecmactl_kind=text ;;
        --time-zone) _ecmactl_kind=text ;;
        --export-method) _ecmactl_kind=choice; _ecmactl_choices=(Table 'Stored Procedure' 'SQL Query') ;;
        --add-sp-name) _ecmactl_kind=text ;;
        --add-sp-parameters) _ecmactl_kind=text ;;
        --update-sp-name) _ecmactl_kind=text ;;
        --update-sp-parameters) _ecmactl_kind=text ;;
        --delete-sp-name) _ecmactl_kind=text ;;
        --delete-sp-parameters) _ecmactl_kind=text ;;
        --insert-query) _ecmactl_kind=text ;;
        --update-query) _ecmactl_kind=text ;;
        --delete-query) _ecmactl_kind=text ;;
        --import-method) _ecmactl_kind=choice; _ecmactl_choices=(Table View 'Stored Procedure' 'SQL Query') ;;
        --import-view) _ecmactl_kind=text ;;
        --import-sp-name) _ecmactl_kind=text ;;
        --import-sp-parameters) _ecmactl_kind=text ;;
        --import-query) _ecmactl_kind=text ;;
        --import-page-size) _ecmactl_kind=text ;;
        --delta-method) _ecmactl_kind=choice; _ecmactl_choices=(Table 'Stored Procedure' 'SQL Query') ;;
        --delta-sp-name) _ecmactl_kind=text ;;
        --delta-sp-parameters) _ecmactl_kind=text ;;
        --delta-query) _ecmactl_kind=text ;;
        --target-object) _ecmactl_kind=text ;;
        --attribute) _ecmactl_kind=text ;;
        --bind) _ecmactl_kind=text ;;
        --disable-flow) _ecmactl_kind=choice; _ecmactl_choices=(None 'Set attribute value' Delete) ;;
        --disable-attribute) _ecmactl_kind=text ;;
        --delete-flow) _ecmactl_kind=choice; _ecmactl_choices=(None Delete) ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl token')
        case $2 in
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl token rotate')
        case $2 in
        -c|--connector) _ecmactl_kind=connector ;;
        --secret-token-file) _ecmactl_kind=file ;;
        --grace) _ecmactl_kind=text ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl token set')
        case $2 in
        -c|--connector) _ecmactl_kind=connector ;;
        --secret-token-file) _ecmactl_kind=file ;;
        --secret-store) _ecmactl_kind=choice; _ecmactl_choices=(keyring file) ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    'ecmactl token show')
        case $2 in
        -c|--connector) _ecmactl_kind=connector ;;
        --home) _ecmactl_kind=dir ;;
        esac
        ;;
    esac
}

# Sets _ecmactl_kind for positional argument $2 (counted from 0) of command path $1.
_ecmactl_argument() {
    _ecmactl_kind= _ecmactl_choices=()
    case $1 in
    'ecmactl bundle apply')
        case $2 in
        0) _ecmactl_kind=file ;;
        esac
        ;;
    'ecmactl bundle inspect')
        case $2 in
        0) _ecmactl_kind=file ;;
        esac
        ;;
    'ecmactl bundle verify')
        case $2 in
        0) _ecmactl_kind=file ;;
        esac
        ;;
    'ecmactl cert import')
        case $2 in
        0) _ecmactl_kind=file ;;
        esac
        ;;
    'ecmactl cert show')
        case $2 in
        0) _ecmactl_kind=file ;;
        esac
        ;;
    'ecmactl completion')
        case $2 in
        0) _ecmactl_kind=choice; _ecmactl_choices=(bash zsh fish powershell) ;;
        esac
        ;;
    esac
}

# Prints the connector names of the home being completed: --home on the command line, else
# ECMACTL_HOME or the default home. ecmactl answers `__connectors` without loading its CLI.
_ecmactl_connectors() {
    # The --home word as typed: drop quotes and backslashes and expand a leading ~, without
    # eval (which would run any $(...) on the line being typed).
    local home=${_ecmactl_home//\\/} program=${COMP_WORDS[0]/#\~/$HOME}
    home=${home#[\'\"]} home=${home%[\'\"]}
    [[ $home == \~* ]] && home=$HOME${home:1}
    local -a args=()
    [[ -n $home ]] && args=(--home "$home")
    command "$program" __connectors "${args[@]}" 2>/dev/null
}

# Adds to COMPREPLY the values of kind $_ecmactl_kind that start with $1, each prefixed by $2.
_ecmactl_value() {
    local cur=$1 prefix=$2 choice IFS=$'\n'
    case $_ecmactl_kind in
    connector)
        for choice in $(_ecmactl_connectors); do
            [[ $choice == "$cur"* ]] && COMPREPLY+=("$prefix$choice")
        done
        ;;
    choice)
        for choice in "${_ecmactl_choices[@]}"; do
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
}

_ecmactl() {
    local cur=${COMP_WORDS[COMP_CWORD]} path=ecmactl word value_of= options_done= i=1 npos=0
    local _ecmactl_home=  # the --home given so far, for connector names
    COMPREPLY=()
    # Walk the words before the cursor: a subcommand name extends the path, and an option that
    # takes a value swallows the next word (and the "=" word bash splits `--opt=value` into).
    while ((i < COMP_CWORD)); do
        word=${COMP_WORDS[i]}
        if [[ -z $options_done && $word == -?* ]]; then
            if [[ $word == -- ]]; then
                options_done=1
            elif [[ $word != *=* ]]; then
                _ecmactl_option "$path" "$word"
                if [[ -n $_ecmactl_kind ]]; then
                    ((i++))
                    [[ ${COMP_WORDS[i]} == = ]] && ((i++))
                    if ((i >= COMP_CWORD)); then
                        value_of=$word
                        break
                    fi
                    [[ $word == --home ]] && _ecmactl_home=${COMP_WORDS[i]}
                fi
            elif [[ $word == --home=* ]]; then
                _ecmactl_home=${word#--home=}
            fi
        else
            _ecmactl_command "$path"
            if ((npos == 0)) && [[ " ${_ecmactl_subcommands[*]} " == *" $word "* ]]; then
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
            _ecmactl_option "$path" "${cur%%=*}"
            _ecmactl_value "${cur#*=}" "${cur%%=*}="
        else
            COMPREPLY=($(compgen -W "${_ecmactl_options[*]}" -- "$cur"))
        fi
        return 0
    fi
    if ((npos == 0 && ${#_ecmactl_subcommands[@]})); then
        COMPREPLY=($(compgen -W "${_ecmactl_subcommands[*]}" -- "$cur"))
        return 0
    fi
    _ecmactl_argument "$path" "$npos"
    if [[ -n $_ecmactl_kind ]]; then
        _ecmactl_value "$cur"
    elif [[ -z $options_done ]]; then  # no (more) arguments: only options are left to type
        COMPREPLY=($(compgen -W "${_ecmactl_options[*]}" -- "$cur"))
    fi
    return 0
}

complete -F _ecmactl ecmactl
