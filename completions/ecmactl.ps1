# powershell completion for ecmactl; generated from the command tree by
# `ecmactl completion powershell`. Do not edit: regenerate instead.
# Install: save it and dot-source it from $PROFILE: . /path/to/ecmactl.ps1

Register-ArgumentCompleter -Native -CommandName ecmactl, ecmactl.exe -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $result = [System.Management.Automation.CompletionResult]
    $completers = [System.Management.Automation.CompletionCompleters]

    # Per command path: subcommands, options (Kind: '' for a flag, text, file, dir or choice)
    # and positional arguments. Ordinal keys: -v and -V are different options.
    $tree = [System.Collections.Generic.Dictionary[string, object]]::new(
        [System.StringComparer]::Ordinal)
    $tree['ecmactl'] = @{
        Commands = @(
            @{ Name = 'agent'; Help = 'The provisioning path from Entra to this host: status, test-connection,...' }
            @{ Name = 'bundle'; Help = 'Emit, verify, inspect and apply portable config bundles (secrets never...' }
            @{ Name = 'cert'; Help = 'The host''s TLS certificate (SAN = host name): create, import, show, status,...' }
            @{ Name = 'completion'; Help = 'Print the shell completion script for SHELL (bash, zsh, fish or powershell).' }
            @{ Name = 'configure'; Help = 'Change one wizard page of an existing connector (or the host settings).' }
            @{ Name = 'host'; Help = 'The embedded SCIM host: run it, show its status, sync a connector, reload its...' }
            @{ Name = 'init'; Help = 'Create a connector (and, in a new home, the host settings and certificate).' }
            @{ Name = 'token'; Help = 'A connector''s secret token: set, rotate (with a grace period), show (masked).' }
        )
        Options = @(
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '--version'; Kind = ''; Help = 'Show the version.' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl agent'] = @{
        Commands = @(
            @{ Name = 'failover'; Help = 'Move the writer lease of an active/standby cluster, with no failed request.' }
            @{ Name = 'status'; Help = 'Check the provisioning path (exit 0/1/3/4/30/31).' }
            @{ Name = 'test-connection'; Help = 'Do what Entra''s "Test Connection" does; explain failures.' }
        )
        Options = @(
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl agent failover'] = @{
        Commands = @()
        Options = @(
            @{ Name = '-c'; Kind = 'connector'; Help = 'The connector whose writer lease moves [default: every connector in...' }
            @{ Name = '--connector'; Kind = 'connector'; Help = 'The connector whose writer lease moves [default: every connector in...' }
            @{ Name = '--active-active'; Kind = ''; Help = 'End active/standby instead: every host writes again (restart the hosts...' }
            @{ Name = '--json'; Kind = ''; Help = 'Print one JSON document on stdout.' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl agent status'] = @{
        Commands = @()
        Options = @(
            @{ Name = '--json'; Kind = ''; Help = 'Print one JSON document on stdout.' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl agent test-connection'] = @{
        Commands = @()
        Options = @(
            @{ Name = '-c'; Kind = 'connector'; Help = 'The connector to test [default: every connector; with --url, the one it...' }
            @{ Name = '--connector'; Kind = 'connector'; Help = 'The connector to test [default: every connector; with --url, the one it...' }
            @{ Name = '--url'; Kind = 'text'; Help = 'Test this Tenant URL instead of https://<hostname>:<port>/ecma2host_<name>/scim.' }
            @{ Name = '--secret-token-file'; Kind = 'file'; Help = 'Test this token (e.g. what was pasted into Entra) instead of the...' }
            @{ Name = '--timeout'; Kind = 'text'; Help = 'Per step.' }
            @{ Name = '--json'; Kind = ''; Help = 'Print one JSON document on stdout.' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl bundle'] = @{
        Commands = @(
            @{ Name = 'apply'; Help = 'Install a bundle into the home, all or nothing.' }
            @{ Name = 'emit'; Help = 'Write the home''s configuration to a bundle file.' }
            @{ Name = 'inspect'; Help = 'Show a bundle: manifest, host, Tenant URLs, certificate, secrets.' }
            @{ Name = 'verify'; Help = 'Check a bundle; exit 1 naming every problem.' }
        )
        Options = @(
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl bundle apply'] = @{
        Commands = @()
        Options = @(
            @{ Name = '--force'; Kind = ''; Help = 'Replace files of the home that differ.' }
            @{ Name = '--dry-run'; Kind = ''; Help = 'Show what would be written; write nothing.' }
            @{ Name = '--json'; Kind = ''; Help = 'Print the result as JSON.' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @(
            @{ Variadic = $false; Kind = 'file' }
        )
    }
    $tree['ecmactl bundle emit'] = @{
        Commands = @()
        Options = @(
            @{ Name = '-o'; Kind = 'file'; Help = 'Where to write; - for stdout.' }
            @{ Name = '--output'; Kind = 'file'; Help = 'Where to write; - for stdout.' }
            @{ Name = '--include-private-key'; Kind = ''; Help = 'Also pack the TLS private key (the bundle becomes sensitive; mode 0600).' }
            @{ Name = '--force'; Kind = ''; Help = 'Replace an existing FILE.' }
            @{ Name = '--json'; Kind = ''; Help = 'Print the result as JSON.' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl bundle inspect'] = @{
        Commands = @()
        Options = @(
            @{ Name = '--json'; Kind = ''; Help = 'Print the result as JSON.' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @(
            @{ Variadic = $false; Kind = 'file' }
        )
    }
    $tree['ecmactl bundle verify'] = @{
        Commands = @()
        Options = @(
            @{ Name = '--json'; Kind = ''; Help = 'Print the result as JSON.' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @(
            @{ Variadic = $false; Kind = 'file' }
        )
    }
    $tree['ecmactl cert'] = @{
        Commands = @(
            @{ Name = 'create'; Help = 'Create a self-signed server certificate whose SAN is the configured host name.' }
            @{ Name = 'csr'; Help = 'Write a certificate signing request for your CA (CN and SAN = the host name).' }
            @{ Name = 'import'; Help = 'Import a CA-issued certificate after checking the host can serve it.' }
            @{ Name = 'renew'; Help = 'Re-issue the self-signed certificate: new serial, 730 days (or --days), same...' }
            @{ Name = 'show'; Help = 'Show a certificate: names, key, thumbprints, validity, and what to do next.' }
            @{ Name = 'status'; Help = 'Check the host''s certificate; the exit code is the verdict (for cron and...' }
        )
        Options = @(
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl cert create'] = @{
        Commands = @()
        Options = @(
            @{ Name = '--san'; Kind = 'text'; Help = 'Another SAN (DNS name or IP); repeatable.' }
            @{ Name = '--no-loopback'; Kind = ''; Help = 'Leave localhost, 127.0.0.1 and ::1 out.' }
            @{ Name = '--days'; Kind = 'text'; Help = 'Validity in days.' }
            @{ Name = '--key-type'; Kind = 'choice'; Choices = @('rsa2048', 'rsa3072', 'ec256'); Help = 'Key type.' }
            @{ Name = '--passphrase-file'; Kind = 'file'; Help = 'Encrypt the private key on disk with the passphrase in PATH (''-'' for stdin...' }
            @{ Name = '--force'; Kind = ''; Help = 'Replace an existing certificate.' }
            @{ Name = '--json'; Kind = ''; Help = 'Print one JSON document on stdout.' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl cert csr'] = @{
        Commands = @()
        Options = @(
            @{ Name = '--out'; Kind = 'file'; Help = 'Write here [default: stdout].' }
            @{ Name = '--new-key'; Kind = 'file'; Help = 'Make a new key (written 0600 to PATH) instead of using the host''s.' }
            @{ Name = '--key-type'; Kind = 'choice'; Choices = @('rsa2048', 'rsa3072', 'ec256'); Help = 'Type of the --new-key.' }
            @{ Name = '--san'; Kind = 'text'; Help = 'Another SAN (DNS name or IP); repeatable.' }
            @{ Name = '--json'; Kind = ''; Help = 'Print one JSON document on stdout.' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl cert import'] = @{
        Commands = @()
        Options = @(
            @{ Name = '--key'; Kind = 'file'; Help = 'The private key, if separate.' }
            @{ Name = '--password-file'; Kind = 'file'; Help = 'Password of the PFX file or encrypted key, read from PATH (''-'' for stdin; or...' }
            @{ Name = '--passphrase-file'; Kind = 'file'; Help = 'Encrypt the private key on disk with the passphrase in PATH (''-'' for stdin...' }
            @{ Name = '--json'; Kind = ''; Help = 'Print one JSON document on stdout.' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @(
            @{ Variadic = $false; Kind = 'file' }
        )
    }
    $tree['ecmactl cert renew'] = @{
        Commands = @()
        Options = @(
            @{ Name = '--if-due'; Kind = ''; Help = 'Renew only when due; exit 0 either way.' }
            @{ Name = '--expires-in'; Kind = 'text'; Help = 'Renewal is due within this time before expiry (30d, 2w, 36h) or after this...' }
            @{ Name = '--rekey'; Kind = ''; Help = 'Generate a new key too.' }
            @{ Name = '--key-type'; Kind = 'choice'; Choices = @('rsa2048', 'rsa3072', 'ec256'); Help = 'Another key type (implies a new key).' }
            @{ Name = '--days'; Kind = 'text'; Help = 'Validity in days from now [default: 730].' }
            @{ Name = '--san'; Kind = 'text'; Help = 'Another SAN (DNS name or IP); repeatable.' }
            @{ Name = '--dry-run'; Kind = ''; Help = 'Say what would happen.' }
            @{ Name = '--json'; Kind = ''; Help = 'Print one JSON document on stdout.' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl cert show'] = @{
        Commands = @()
        Options = @(
            @{ Name = '--key'; Kind = 'file'; Help = 'Check this key against it.' }
            @{ Name = '--password-file'; Kind = 'file'; Help = 'Password of the PFX file or encrypted key, read from PATH (''-'' for stdin; or...' }
            @{ Name = '--expires-in'; Kind = 'text'; Help = 'Renewal is due within this time before expiry (30d, 2w, 36h) or after this...' }
            @{ Name = '--json'; Kind = ''; Help = 'Print one JSON document on stdout.' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @(
            @{ Variadic = $false; Kind = 'file' }
        )
    }
    $tree['ecmactl cert status'] = @{
        Commands = @()
        Options = @(
            @{ Name = '--expires-in'; Kind = 'text'; Help = 'Renewal is due within this time before expiry (30d, 2w, 36h) or after this...' }
            @{ Name = '--json'; Kind = ''; Help = 'Print one JSON document on stdout.' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl completion'] = @{
        Commands = @()
        Options = @(
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @(
            @{ Variadic = $false; Kind = 'choice'; Choices = @('bash', 'zsh', 'fish', 'powershell') }
        )
    }
    $tree['ecmactl configure'] = @{
        Commands = @(
            @{ Name = 'attributes'; Help = 'Select Attributes: Columns exposed to Entra as...' }
            @{ Name = 'connectivity'; Help = 'Connectivity: The database: a SQLAlchemy URL, an ODBC connection string or a...' }
            @{ Name = 'delta-import'; Help = 'Delta Import: How rows changed since the last import are read (only with...' }
            @{ Name = 'deprovisioning'; Help = 'Deprovisioning: What happens when Entra disables a user (active=false) or...' }
            @{ Name = 'export'; Help = 'Export: How a create, update or delete from Entra is written: to the table,...' }
            @{ Name = 'full-import'; Help = 'Full Import: How every row is read at start and on each autosync: the table,...' }
            @{ Name = 'global'; Help = 'Global: How changes are detected between full imports, and the database''s...' }
            @{ Name = 'multivalue'; Help = 'Multi-Values Table/Views: Child tables whose rows are the values of...' }
            @{ Name = 'object-types'; Help = 'Object Types: The object type Entra provisions, and how its DN is formed.' }
            @{ Name = 'properties'; Help = 'Properties: The connector''s name (part of the Tenant URL), autosync timer and...' }
            @{ Name = 'run-profiles'; Help = 'Run Profiles: Export (required) writes to the database; Full Import loads the...' }
            @{ Name = 'schema'; Help = 'Schema 1-4: Object types, the table to provision, its anchor and DN, and each...' }
            @{ Name = 'settings'; Help = 'Settings: The host: the HTTPS port Entra''s provisioning agent calls, and the...' }
            @{ Name = 'show'; Help = 'Show a connector''s configuration (secrets appear as references, never values).' }
        )
        Options = @(
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl configure attributes'] = @{
        Commands = @()
        Options = @(
            @{ Name = '-c'; Kind = 'connector'; Help = 'The connector to change [default: the only one; required when the home has...' }
            @{ Name = '--connector'; Kind = 'connector'; Help = 'The connector to change [default: the only one; required when the home has...' }
            @{ Name = '--no-input'; Kind = ''; Help = 'Never prompt; keep what is not given.' }
            @{ Name = '--defaults'; Kind = ''; Help = 'Keep current values without asking.' }
            @{ Name = '--dry-run'; Kind = ''; Help = 'Show changes; write nothing.' }
            @{ Name = '--detailed-exitcode'; Kind = ''; Help = 'With --dry-run: exit 20 when something changes.' }
            @{ Name = '--json'; Kind = ''; Help = 'Print the result as JSON.' }
            @{ Name = '--attribute'; Kind = 'text'; Help = '[Select Attributes] Attributes: Columns to expose (the anchor is required)....' }
            @{ Name = '--bind'; Kind = 'text'; Help = '[Select Attributes] Core SCIM attribute per column: Suggested from the...' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl configure connectivity'] = @{
        Commands = @()
        Options = @(
            @{ Name = '-c'; Kind = 'connector'; Help = 'The connector to change [default: the only one; required when the home has...' }
            @{ Name = '--connector'; Kind = 'connector'; Help = 'The connector to change [default: the only one; required when the home has...' }
            @{ Name = '--no-input'; Kind = ''; Help = 'Never prompt; keep what is not given.' }
            @{ Name = '--defaults'; Kind = ''; Help = 'Keep current values without asking.' }
            @{ Name = '--dry-run'; Kind = ''; Help = 'Show changes; write nothing.' }
            @{ Name = '--detailed-exitcode'; Kind = ''; Help = 'With --dry-run: exit 20 when something changes.' }
            @{ Name = '--json'; Kind = ''; Help = 'Print the result as JSON.' }
            @{ Name = '--database-url'; Kind = 'text'; Help = '[Connectivity] Database URL (or DSN file): e.g. postgresql://db01/hr...' }
            @{ Name = '--db-user'; Kind = 'text'; Help = '[Connectivity] User Name: Database account with read and write rights on the...' }
            @{ Name = '--db-password-file'; Kind = 'file'; Help = '[Connectivity] Password: Password of that account (empty: none, or from the...' }
            @{ Name = '--dn-is-anchor'; Kind = ''; Help = '[Connectivity] DN is Anchor: Use the DN as the anchor too (leave unchecked...' }
            @{ Name = '--no-dn-is-anchor'; Kind = ''; Help = '[Connectivity] DN is Anchor: Use the DN as the anchor too (leave unchecked...' }
            @{ Name = '--object-replace'; Kind = ''; Help = '[Connectivity] Export Type: Object Replace: Replace the whole row on every...' }
            @{ Name = '--no-object-replace'; Kind = ''; Help = '[Connectivity] Export Type: Object Replace: Replace the whole row on every...' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl configure delta-import'] = @{
        Commands = @()
        Options = @(
            @{ Name = '-c'; Kind = 'connector'; Help = 'The connector to change [default: the only one; required when the home has...' }
            @{ Name = '--connector'; Kind = 'connector'; Help = 'The connector to change [default: the only one; required when the home has...' }
            @{ Name = '--no-input'; Kind = ''; Help = 'Never prompt; keep what is not given.' }
            @{ Name = '--defaults'; Kind = ''; Help = 'Keep current values without asking.' }
            @{ Name = '--dry-run'; Kind = ''; Help = 'Show changes; write nothing.' }
            @{ Name = '--detailed-exitcode'; Kind = ''; Help = 'With --dry-run: exit 20 when something changes.' }
            @{ Name = '--json'; Kind = ''; Help = 'Print the result as JSON.' }
            @{ Name = '--delta-method'; Kind = 'choice'; Choices = @('Table', 'Stored Procedure', 'SQL Query'); Help = '[Delta Import] Operation Method: Table (compare the Global page''s watermark...' }
            @{ Name = '--delta-sp-name'; Kind = 'text'; Help = '[Delta Import] Stored Procedure: The procedure (MariaDB) or set-returning...' }
            @{ Name = '--delta-sp-parameters'; Kind = 'text'; Help = '[Delta Import] Stored Procedure Parameters: The delta procedure''s...' }
            @{ Name = '--delta-query'; Kind = 'text'; Help = '[Delta Import] SQL Query: A query returning every row changed after...' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl configure deprovisioning'] = @{
        Commands = @()
        Options = @(
            @{ Name = '-c'; Kind = 'connector'; Help = 'The connector to change [default: the only one; required when the home has...' }
            @{ Name = '--connector'; Kind = 'connector'; Help = 'The connector to change [default: the only one; required when the home has...' }
            @{ Name = '--no-input'; Kind = ''; Help = 'Never prompt; keep what is not given.' }
            @{ Name = '--defaults'; Kind = ''; Help = 'Keep current values without asking.' }
            @{ Name = '--dry-run'; Kind = ''; Help = 'Show changes; write nothing.' }
            @{ Name = '--detailed-exitcode'; Kind = ''; Help = 'With --dry-run: exit 20 when something changes.' }
            @{ Name = '--json'; Kind = ''; Help = 'Print the result as JSON.' }
            @{ Name = '--disable-flow'; Kind = 'choice'; Choices = @('None', 'Set attribute value', 'Delete'); Help = '[Deprovisioning] Disable flow: None, Set attribute value (a Boolean column...' }
            @{ Name = '--disable-attribute'; Kind = 'text'; Help = '[Deprovisioning] Attribute to set: Boolean column written on disable (not...' }
            @{ Name = '--disable-value'; Kind = ''; Help = '[Deprovisioning] Value when disabled: The value written on disable (true for...' }
            @{ Name = '--no-disable-value'; Kind = ''; Help = '[Deprovisioning] Value when disabled: The value written on disable (true for...' }
            @{ Name = '--delete-flow'; Kind = 'choice'; Choices = @('None', 'Delete'); Help = '[Deprovisioning] Delete flow: None (ignore deletes) or Delete the row.' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl configure export'] = @{
        Commands = @()
        Options = @(
            @{ Name = '-c'; Kind = 'connector'; Help = 'The connector to change [default: the only one; required when the home has...' }
            @{ Name = '--connector'; Kind = 'connector'; Help = 'The connector to change [default: the only one; required when the home has...' }
            @{ Name = '--no-input'; Kind = ''; Help = 'Never prompt; keep what is not given.' }
            @{ Name = '--defaults'; Kind = ''; Help = 'Keep current values without asking.' }
            @{ Name = '--dry-run'; Kind = ''; Help = 'Show changes; write nothing.' }
            @{ Name = '--detailed-exitcode'; Kind = ''; Help = 'With --dry-run: exit 20 when something changes.' }
            @{ Name = '--json'; Kind = ''; Help = 'Print the result as JSON.' }
            @{ Name = '--export-method'; Kind = 'choice'; Choices = @('Table', 'Stored Procedure', 'SQL Query'); Help = '[Export] Operation Method: Table (the Schema 2 table, written directly)...' }
            @{ Name = '--add-sp-name'; Kind = 'text'; Help = '[Export] Add SP Name: The procedure (or PostgreSQL function) that adds a user.' }
            @{ Name = '--add-sp-parameters'; Kind = 'text'; Help = '[Export] Add SP Parameters: The Add procedure''s parameters: one...' }
            @{ Name = '--update-sp-name'; Kind = 'text'; Help = '[Export] Update SP Name: The procedure (or PostgreSQL function) that updates...' }
            @{ Name = '--update-sp-parameters'; Kind = 'text'; Help = '[Export] Update SP Parameters: The Update procedure''s parameters: one...' }
            @{ Name = '--delete-sp-name'; Kind = 'text'; Help = '[Export] Delete SP Name: The procedure (or PostgreSQL function) that deletes...' }
            @{ Name = '--delete-sp-parameters'; Kind = 'text'; Help = '[Export] Delete SP Parameters: The Delete procedure''s parameters: one...' }
            @{ Name = '--use-named-parameters'; Kind = ''; Help = '[Export] Use named parameters: Pass procedure parameters by name (PostgreSQL...' }
            @{ Name = '--no-use-named-parameters'; Kind = ''; Help = '[Export] Use named parameters: Pass procedure parameters by name (PostgreSQL...' }
            @{ Name = '--insert-query'; Kind = 'text'; Help = '[Export] Insert Query: The SQL statement that inserts a user, with...' }
            @{ Name = '--update-query'; Kind = 'text'; Help = '[Export] Update Query: The SQL statement that updates a user, with...' }
            @{ Name = '--delete-query'; Kind = 'text'; Help = '[Export] Delete Query: The SQL statement that deletes a user, with...' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl configure full-import'] = @{
        Commands = @()
        Options = @(
            @{ Name = '-c'; Kind = 'connector'; Help = 'The connector to change [default: the only one; required when the home has...' }
            @{ Name = '--connector'; Kind = 'connector'; Help = 'The connector to change [default: the only one; required when the home has...' }
            @{ Name = '--no-input'; Kind = ''; Help = 'Never prompt; keep what is not given.' }
            @{ Name = '--defaults'; Kind = ''; Help = 'Keep current values without asking.' }
            @{ Name = '--dry-run'; Kind = ''; Help = 'Show changes; write nothing.' }
            @{ Name = '--detailed-exitcode'; Kind = ''; Help = 'With --dry-run: exit 20 when something changes.' }
            @{ Name = '--json'; Kind = ''; Help = 'Print the result as JSON.' }
            @{ Name = '--import-method'; Kind = 'choice'; Choices = @('Table', 'View', 'Stored Procedure', 'SQL Query'); Help = '[Full Import] Operation Method: Table (the Schema 2 table), View (a view...' }
            @{ Name = '--import-view'; Kind = 'text'; Help = '[Full Import] View: The view to read (its columns named as the table''s).' }
            @{ Name = '--import-sp-name'; Kind = 'text'; Help = '[Full Import] Stored Procedure: The procedure (MariaDB) or set-returning...' }
            @{ Name = '--import-sp-parameters'; Kind = 'text'; Help = '[Full Import] Stored Procedure Parameters: The import procedure''s...' }
            @{ Name = '--import-query'; Kind = 'text'; Help = '[Full Import] SQL Query: A query returning rows @StartIndex to @EndIndex...' }
            @{ Name = '--import-page-size'; Kind = 'text'; Help = '[Full Import] Page size: Rows per call of the procedure or query.' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl configure global'] = @{
        Commands = @()
        Options = @(
            @{ Name = '-c'; Kind = 'connector'; Help = 'The connector to change [default: the only one; required when the home has...' }
            @{ Name = '--connector'; Kind = 'connector'; Help = 'The connector to change [default: the only one; required when the home has...' }
            @{ Name = '--no-input'; Kind = ''; Help = 'Never prompt; keep what is not given.' }
            @{ Name = '--defaults'; Kind = ''; Help = 'Keep current values without asking.' }
            @{ Name = '--dry-run'; Kind = ''; Help = 'Show changes; write nothing.' }
            @{ Name = '--detailed-exitcode'; Kind = ''; Help = 'With --dry-run: exit 20 when something changes.' }
            @{ Name = '--json'; Kind = ''; Help = 'Print the result as JSON.' }
            @{ Name = '--delta-strategy'; Kind = 'choice'; Choices = @('None', 'Watermark'); Help = '[Global] Delta Strategy: None (every sync is a full import) or Watermark...' }
            @{ Name = '--watermark-column'; Kind = 'text'; Help = '[Global] Watermark column: Column updated on every change (timestamp or...' }
            @{ Name = '--watermark-query'; Kind = 'text'; Help = '[Global] Water Mark Query: Query returning the database''s current time.' }
            @{ Name = '--time-zone'; Kind = 'text'; Help = '[Global] Data Source Time Zone: Time zone of the database server''s timestamps.' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl configure multivalue'] = @{
        Commands = @()
        Options = @(
            @{ Name = '-c'; Kind = 'connector'; Help = 'The connector to change [default: the only one; required when the home has...' }
            @{ Name = '--connector'; Kind = 'connector'; Help = 'The connector to change [default: the only one; required when the home has...' }
            @{ Name = '--no-input'; Kind = ''; Help = 'Never prompt; keep what is not given.' }
            @{ Name = '--defaults'; Kind = ''; Help = 'Keep current values without asking.' }
            @{ Name = '--dry-run'; Kind = ''; Help = 'Show changes; write nothing.' }
            @{ Name = '--detailed-exitcode'; Kind = ''; Help = 'With --dry-run: exit 20 when something changes.' }
            @{ Name = '--json'; Kind = ''; Help = 'Print the result as JSON.' }
            @{ Name = '--child-table'; Kind = 'text'; Help = '[Multi-Values Table/Views] User:Name of Multi-Values Table/Views: A table...' }
            @{ Name = '--join'; Kind = 'text'; Help = '[Multi-Values Table/Views] Join Condition: Child column = parent column...' }
            @{ Name = '--child-attribute'; Kind = 'text'; Help = '[Multi-Values Table/Views] SCIM target per child column: Each chosen column...' }
            @{ Name = '--type-column'; Kind = 'text'; Help = '[Multi-Values Table/Views] Type column: Child column holding each value''s...' }
            @{ Name = '--primary-column'; Kind = 'text'; Help = '[Multi-Values Table/Views] Primary column: Child column marking the primary...' }
            @{ Name = '--remove'; Kind = 'text'; Help = 'Remove this child table and its multi-valued attributes (repeat).' }
            @{ Name = '--list'; Kind = ''; Help = 'List the child tables and their attributes.' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl configure object-types'] = @{
        Commands = @()
        Options = @(
            @{ Name = '-c'; Kind = 'connector'; Help = 'The connector to change [default: the only one; required when the home has...' }
            @{ Name = '--connector'; Kind = 'connector'; Help = 'The connector to change [default: the only one; required when the home has...' }
            @{ Name = '--no-input'; Kind = ''; Help = 'Never prompt; keep what is not given.' }
            @{ Name = '--defaults'; Kind = ''; Help = 'Keep current values without asking.' }
            @{ Name = '--dry-run'; Kind = ''; Help = 'Show changes; write nothing.' }
            @{ Name = '--detailed-exitcode'; Kind = ''; Help = 'With --dry-run: exit 20 when something changes.' }
            @{ Name = '--json'; Kind = ''; Help = 'Print the result as JSON.' }
            @{ Name = '--target-object'; Kind = 'text'; Help = '[Object Types] Target object: The object type exposed to Entra: User (the...' }
            @{ Name = '--autogenerated-dn'; Kind = ''; Help = '[Object Types] Autogenerated: Build the DN as CN=<anchor>,OBJECT=USER...' }
            @{ Name = '--no-autogenerated-dn'; Kind = ''; Help = '[Object Types] Autogenerated: Build the DN as CN=<anchor>,OBJECT=USER...' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl configure properties'] = @{
        Commands = @()
        Options = @(
            @{ Name = '-c'; Kind = 'connector'; Help = 'The connector to change [default: the only one; required when the home has...' }
            @{ Name = '--connector'; Kind = 'connector'; Help = 'The connector to change [default: the only one; required when the home has...' }
            @{ Name = '--no-input'; Kind = ''; Help = 'Never prompt; keep what is not given.' }
            @{ Name = '--defaults'; Kind = ''; Help = 'Keep current values without asking.' }
            @{ Name = '--dry-run'; Kind = ''; Help = 'Show changes; write nothing.' }
            @{ Name = '--detailed-exitcode'; Kind = ''; Help = 'With --dry-run: exit 20 when something changes.' }
            @{ Name = '--json'; Kind = ''; Help = 'Print the result as JSON.' }
            @{ Name = '--name'; Kind = 'text'; Help = '[Properties] Name: Connector name; case-sensitive, becomes...' }
            @{ Name = '--autosync-minutes'; Kind = 'text'; Help = '[Properties] Autosync timer (minutes): How often the host re-reads the...' }
            @{ Name = '--secret-token-file'; Kind = 'file'; Help = '[Properties] Secret Token: The bearer token Entra sends (Secret Token field...' }
            @{ Name = '--description'; Kind = 'text'; Help = '[Properties] Description: Free text.' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl configure run-profiles'] = @{
        Commands = @()
        Options = @(
            @{ Name = '-c'; Kind = 'connector'; Help = 'The connector to change [default: the only one; required when the home has...' }
            @{ Name = '--connector'; Kind = 'connector'; Help = 'The connector to change [default: the only one; required when the home has...' }
            @{ Name = '--no-input'; Kind = ''; Help = 'Never prompt; keep what is not given.' }
            @{ Name = '--defaults'; Kind = ''; Help = 'Keep current values without asking.' }
            @{ Name = '--dry-run'; Kind = ''; Help = 'Show changes; write nothing.' }
            @{ Name = '--detailed-exitcode'; Kind = ''; Help = 'With --dry-run: exit 20 when something changes.' }
            @{ Name = '--json'; Kind = ''; Help = 'Print the result as JSON.' }
            @{ Name = '--full-import'; Kind = ''; Help = '[Run Profiles] Full import: Load every row into the cache at start and on...' }
            @{ Name = '--no-full-import'; Kind = ''; Help = '[Run Profiles] Full import: Load every row into the cache at start and on...' }
            @{ Name = '--delta-import'; Kind = ''; Help = '[Run Profiles] Delta import: Between full imports, read only rows changed...' }
            @{ Name = '--no-delta-import'; Kind = ''; Help = '[Run Profiles] Delta import: Between full imports, read only rows changed...' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl configure schema'] = @{
        Commands = @()
        Options = @(
            @{ Name = '-c'; Kind = 'connector'; Help = 'The connector to change [default: the only one; required when the home has...' }
            @{ Name = '--connector'; Kind = 'connector'; Help = 'The connector to change [default: the only one; required when the home has...' }
            @{ Name = '--no-input'; Kind = ''; Help = 'Never prompt; keep what is not given.' }
            @{ Name = '--defaults'; Kind = ''; Help = 'Keep current values without asking.' }
            @{ Name = '--dry-run'; Kind = ''; Help = 'Show changes; write nothing.' }
            @{ Name = '--detailed-exitcode'; Kind = ''; Help = 'With --dry-run: exit 20 when something changes.' }
            @{ Name = '--json'; Kind = ''; Help = 'Print the result as JSON.' }
            @{ Name = '--object-type-detection'; Kind = 'choice'; Choices = @('Fixed Value', 'Table'); Help = '[Schema 1-4] Object type detection method: Fixed Value (a list such as User)...' }
            @{ Name = '--object-types'; Kind = 'text'; Help = '[Schema 1-4] Fixed value list: Comma-separated object types; ECMA2Host...' }
            @{ Name = '--object-type-table'; Kind = 'text'; Help = '[Schema 1-4] Object type table: Table holding the object type names.' }
            @{ Name = '--object-type-column'; Kind = 'text'; Help = '[Schema 1-4] Object type column: Column of that table naming the object types.' }
            @{ Name = '--attribute-detection'; Kind = 'choice'; Choices = @('Table', 'View'); Help = '[Schema 1-4] User:Attribute Detection: Read the attributes from a Table or a...' }
            @{ Name = '--db-schema'; Kind = 'text'; Help = '[Schema 1-4] Database schema: Schema holding the table (empty: the...' }
            @{ Name = '--table'; Kind = 'text'; Help = '[Schema 1-4] User:Table/View: The table (or view) whose rows are the users.' }
            @{ Name = '--anchor'; Kind = 'text'; Help = '[Schema 1-4] Select Anchor for: User: Column identifying a user; unique, NOT...' }
            @{ Name = '--dn-attribute'; Kind = 'text'; Help = '[Schema 1-4] Select DN attribute for User: Column holding the DN; (none)...' }
            @{ Name = '--column-type'; Kind = 'text'; Help = '[Schema 1-4] DataType per attribute: Detected types are the defaults...' }
            @{ Name = '--direction'; Kind = 'text'; Help = '[Schema 1-4] Direction per attribute: Import, Export or ImportExport (the...' }
            @{ Name = '--refresh'; Kind = ''; Help = 'Read the live table, show how it differs from the connector and update the...' }
            @{ Name = '--add-column'; Kind = 'text'; Help = 'With --refresh: select this added column as an attribute (repeat).' }
            @{ Name = '--add-all'; Kind = ''; Help = 'With --refresh: select every added column.' }
            @{ Name = '-y'; Kind = ''; Help = 'With --refresh: write without asking to confirm.' }
            @{ Name = '--yes'; Kind = ''; Help = 'With --refresh: write without asking to confirm.' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl configure settings'] = @{
        Commands = @()
        Options = @(
            @{ Name = '--no-input'; Kind = ''; Help = 'Never prompt; keep what is not given.' }
            @{ Name = '--defaults'; Kind = ''; Help = 'Keep current values without asking.' }
            @{ Name = '--dry-run'; Kind = ''; Help = 'Show changes; write nothing.' }
            @{ Name = '--detailed-exitcode'; Kind = ''; Help = 'With --dry-run: exit 20 when something changes.' }
            @{ Name = '--json'; Kind = ''; Help = 'Print the result as JSON.' }
            @{ Name = '--port'; Kind = 'text'; Help = '[Settings] Port: HTTPS port of the SCIM host.' }
            @{ Name = '--bind-address'; Kind = 'text'; Help = '[Settings] Bind address: Interface to listen on: 127.0.0.1 when the...' }
            @{ Name = '--hostname'; Kind = 'text'; Help = '[Settings] Host name: The name in the Tenant URL and the certificate''s SAN...' }
            @{ Name = '--certificate'; Kind = 'choice'; Choices = @('generate', 'existing', 'keep'); Help = '[Settings] Certificate: Generate a self-signed certificate whose SAN is the...' }
            @{ Name = '--certificate-path'; Kind = 'file'; Help = '[Settings] Certificate file: PEM (certificate, key and chain in one file) or...' }
            @{ Name = '--key-path'; Kind = 'file'; Help = '[Settings] Private key file: The private key, when the PEM file does not...' }
            @{ Name = '--certificate-password-file'; Kind = 'file'; Help = '[Settings] Certificate password: Password of the PFX file or encrypted key...' }
            @{ Name = '--secret-store'; Kind = 'choice'; Choices = @('keyring', 'file', 'env'); Help = '[Settings] Secret store: Where tokens and passwords are kept: the OS...' }
            @{ Name = '--metrics'; Kind = ''; Help = '[Settings] Prometheus metrics: Serve Prometheus metrics at...' }
            @{ Name = '--no-metrics'; Kind = ''; Help = '[Settings] Prometheus metrics: Serve Prometheus metrics at...' }
            @{ Name = '--metrics-bind-address'; Kind = 'text'; Help = '[Settings] Metrics bind address: Interface for /metrics: 127.0.0.1 (this...' }
            @{ Name = '--metrics-port'; Kind = 'text'; Help = '[Settings] Metrics port: Plain-HTTP port for /metrics (default 9585).' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl configure show'] = @{
        Commands = @()
        Options = @(
            @{ Name = '-c'; Kind = 'connector'; Help = 'The connector [default: the only one; required when the home has several].' }
            @{ Name = '--connector'; Kind = 'connector'; Help = 'The connector [default: the only one; required when the home has several].' }
            @{ Name = '--json'; Kind = ''; Help = 'Print as JSON.' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl host'] = @{
        Commands = @(
            @{ Name = 'reload'; Help = 'Make the running host re-read the home''s config, without a restart.' }
            @{ Name = 'run'; Help = 'Serve every connector over HTTPS, in the foreground (for systemd).' }
            @{ Name = 'status'; Help = 'Show the running host and its connectors (exit 0/1/3/4/30/31).' }
            @{ Name = 'sync'; Help = 'Run a full import now on the running host, and wait for it.' }
        )
        Options = @(
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl host reload'] = @{
        Commands = @()
        Options = @(
            @{ Name = '--json'; Kind = ''; Help = 'Print one JSON document on stdout.' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl host run'] = @{
        Commands = @()
        Options = @(
            @{ Name = '-p'; Kind = 'text'; Help = 'Port [default: from settings, 8585].' }
            @{ Name = '--port'; Kind = 'text'; Help = 'Port [default: from settings, 8585].' }
            @{ Name = '--bind-address'; Kind = 'text'; Help = 'Listen address: 127.0.0.1 (this machine), 0.0.0.0 (every interface) or one...' }
            @{ Name = '-c'; Kind = 'connector'; Help = 'Serve only this connector (repeatable) [default: all].' }
            @{ Name = '--connector'; Kind = 'connector'; Help = 'Serve only this connector (repeatable) [default: all].' }
            @{ Name = '--log-format'; Kind = 'choice'; Choices = @('text', 'json'); Help = 'One line per event, as text or JSON.' }
            @{ Name = '--log-file'; Kind = 'file'; Help = 'Append the log here [default: stderr].' }
            @{ Name = '--log-level'; Kind = 'choice'; Choices = @('debug', 'info', 'warning', 'error'); Help = 'Log detail [default: from settings, info].' }
            @{ Name = '--no-retry'; Kind = ''; Help = 'Exit 1 if a connector''s first import fails, instead of retrying with back-off.' }
            @{ Name = '--graceful-timeout'; Kind = 'text'; Help = 'At SIGTERM/SIGINT, how long in-flight requests may take to finish.' }
            @{ Name = '--standby'; Kind = ''; Help = 'Active/standby on PostgreSQL/MariaDB: switch the writer lease on for each...' }
            @{ Name = '--lease-ttl'; Kind = 'text'; Help = 'Writer lease lifetime: a standby takes over this long (plus a fifth) after...' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl host status'] = @{
        Commands = @()
        Options = @(
            @{ Name = '--json'; Kind = ''; Help = 'Print one JSON document on stdout.' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl host sync'] = @{
        Commands = @()
        Options = @(
            @{ Name = '-c'; Kind = 'connector'; Help = 'Only this connector [default: all].' }
            @{ Name = '--connector'; Kind = 'connector'; Help = 'Only this connector [default: all].' }
            @{ Name = '--timeout'; Kind = 'text'; Help = 'How long to wait for it.' }
            @{ Name = '--json'; Kind = ''; Help = 'Print one JSON document on stdout.' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl init'] = @{
        Commands = @()
        Options = @(
            @{ Name = '--sample'; Kind = ''; Help = 'Set up the embedded sample: a SQLite copy of the Employees table from...' }
            @{ Name = '--answers-file'; Kind = 'file'; Help = 'Answers to replay (TOML, YAML or JSON; `ecmactl init` writes one per...' }
            @{ Name = '--defaults'; Kind = ''; Help = 'Accept every default without asking; ask only what has no default.' }
            @{ Name = '--no-input'; Kind = ''; Help = 'Never prompt (also ECMACTL_NO_INPUT=1); missing answers exit 2.' }
            @{ Name = '--dry-run'; Kind = ''; Help = 'Show what would be written; write nothing.' }
            @{ Name = '--detailed-exitcode'; Kind = ''; Help = 'With --dry-run: exit 20 when something would change.' }
            @{ Name = '--force'; Kind = ''; Help = 'Replace an existing connector of the same name.' }
            @{ Name = '--exist-ok'; Kind = ''; Help = 'Do nothing (exit 0) when the named connector already exists; for idempotent...' }
            @{ Name = '--json'; Kind = ''; Help = 'Print the result as JSON.' }
            @{ Name = '--from'; Kind = 'file'; Help = 'Import the connectors of an ECMA2Host Configuration.xml export or a MIM...' }
            @{ Name = '--port'; Kind = 'text'; Help = '[Settings] Port: HTTPS port of the SCIM host.' }
            @{ Name = '--bind-address'; Kind = 'text'; Help = '[Settings] Bind address: Interface to listen on: 127.0.0.1 when the...' }
            @{ Name = '--hostname'; Kind = 'text'; Help = '[Settings] Host name: The name in the Tenant URL and the certificate''s SAN...' }
            @{ Name = '--certificate'; Kind = 'choice'; Choices = @('generate', 'existing', 'keep'); Help = '[Settings] Certificate: Generate a self-signed certificate whose SAN is the...' }
            @{ Name = '--certificate-path'; Kind = 'file'; Help = '[Settings] Certificate file: PEM (certificate, key and chain in one file) or...' }
            @{ Name = '--key-path'; Kind = 'file'; Help = '[Settings] Private key file: The private key, when the PEM file does not...' }
            @{ Name = '--certificate-password-file'; Kind = 'file'; Help = '[Settings] Certificate password: Password of the PFX file or encrypted key...' }
            @{ Name = '--secret-store'; Kind = 'choice'; Choices = @('keyring', 'file', 'env'); Help = '[Settings] Secret store: Where tokens and passwords are kept: the OS...' }
            @{ Name = '--metrics'; Kind = ''; Help = '[Settings] Prometheus metrics: Serve Prometheus metrics at...' }
            @{ Name = '--no-metrics'; Kind = ''; Help = '[Settings] Prometheus metrics: Serve Prometheus metrics at...' }
            @{ Name = '--metrics-bind-address'; Kind = 'text'; Help = '[Settings] Metrics bind address: Interface for /metrics: 127.0.0.1 (this...' }
            @{ Name = '--metrics-port'; Kind = 'text'; Help = '[Settings] Metrics port: Plain-HTTP port for /metrics (default 9585).' }
            @{ Name = '--name'; Kind = 'text'; Help = '[Properties] Name: Connector name; case-sensitive, becomes...' }
            @{ Name = '--autosync-minutes'; Kind = 'text'; Help = '[Properties] Autosync timer (minutes): How often the host re-reads the...' }
            @{ Name = '--secret-token-file'; Kind = 'file'; Help = '[Properties] Secret Token: The bearer token Entra sends (Secret Token field...' }
            @{ Name = '--description'; Kind = 'text'; Help = '[Properties] Description: Free text.' }
            @{ Name = '--database-url'; Kind = 'text'; Help = '[Connectivity] Database URL (or DSN file): e.g. postgresql://db01/hr...' }
            @{ Name = '--db-user'; Kind = 'text'; Help = '[Connectivity] User Name: Database account with read and write rights on the...' }
            @{ Name = '--db-password-file'; Kind = 'file'; Help = '[Connectivity] Password: Password of that account (empty: none, or from the...' }
            @{ Name = '--dn-is-anchor'; Kind = ''; Help = '[Connectivity] DN is Anchor: Use the DN as the anchor too (leave unchecked...' }
            @{ Name = '--no-dn-is-anchor'; Kind = ''; Help = '[Connectivity] DN is Anchor: Use the DN as the anchor too (leave unchecked...' }
            @{ Name = '--object-replace'; Kind = ''; Help = '[Connectivity] Export Type: Object Replace: Replace the whole row on every...' }
            @{ Name = '--no-object-replace'; Kind = ''; Help = '[Connectivity] Export Type: Object Replace: Replace the whole row on every...' }
            @{ Name = '--object-type-detection'; Kind = 'choice'; Choices = @('Fixed Value', 'Table'); Help = '[Schema 1-4] Object type detection method: Fixed Value (a list such as User)...' }
            @{ Name = '--object-types'; Kind = 'text'; Help = '[Schema 1-4] Fixed value list: Comma-separated object types; ECMA2Host...' }
            @{ Name = '--object-type-table'; Kind = 'text'; Help = '[Schema 1-4] Object type table: Table holding the object type names.' }
            @{ Name = '--object-type-column'; Kind = 'text'; Help = '[Schema 1-4] Object type column: Column of that table naming the object types.' }
            @{ Name = '--attribute-detection'; Kind = 'choice'; Choices = @('Table', 'View'); Help = '[Schema 1-4] User:Attribute Detection: Read the attributes from a Table or a...' }
            @{ Name = '--db-schema'; Kind = 'text'; Help = '[Schema 1-4] Database schema: Schema holding the table (empty: the...' }
            @{ Name = '--table'; Kind = 'text'; Help = '[Schema 1-4] User:Table/View: The table (or view) whose rows are the users.' }
            @{ Name = '--anchor'; Kind = 'text'; Help = '[Schema 1-4] Select Anchor for: User: Column identifying a user; unique, NOT...' }
            @{ Name = '--dn-attribute'; Kind = 'text'; Help = '[Schema 1-4] Select DN attribute for User: Column holding the DN; (none)...' }
            @{ Name = '--column-type'; Kind = 'text'; Help = '[Schema 1-4] DataType per attribute: Detected types are the defaults...' }
            @{ Name = '--direction'; Kind = 'text'; Help = '[Schema 1-4] Direction per attribute: Import, Export or ImportExport (the...' }
            @{ Name = '--child-table'; Kind = 'text'; Help = '[Multi-Values Table/Views] User:Name of Multi-Values Table/Views: A table...' }
            @{ Name = '--join'; Kind = 'text'; Help = '[Multi-Values Table/Views] Join Condition: Child column = parent column...' }
            @{ Name = '--child-attribute'; Kind = 'text'; Help = '[Multi-Values Table/Views] SCIM target per child column: Each chosen column...' }
            @{ Name = '--type-column'; Kind = 'text'; Help = '[Multi-Values Table/Views] Type column: Child column holding each value''s...' }
            @{ Name = '--primary-column'; Kind = 'text'; Help = '[Multi-Values Table/Views] Primary column: Child column marking the primary...' }
            @{ Name = '--delta-strategy'; Kind = 'choice'; Choices = @('None', 'Watermark'); Help = '[Global] Delta Strategy: None (every sync is a full import) or Watermark...' }
            @{ Name = '--watermark-column'; Kind = 'text'; Help = '[Global] Watermark column: Column updated on every change (timestamp or...' }
            @{ Name = '--watermark-query'; Kind = 'text'; Help = '[Global] Water Mark Query: Query returning the database''s current time.' }
            @{ Name = '--time-zone'; Kind = 'text'; Help = '[Global] Data Source Time Zone: Time zone of the database server''s timestamps.' }
            @{ Name = '--full-import'; Kind = ''; Help = '[Run Profiles] Full import: Load every row into the cache at start and on...' }
            @{ Name = '--no-full-import'; Kind = ''; Help = '[Run Profiles] Full import: Load every row into the cache at start and on...' }
            @{ Name = '--delta-import'; Kind = ''; Help = '[Run Profiles] Delta import: Between full imports, read only rows changed...' }
            @{ Name = '--no-delta-import'; Kind = ''; Help = '[Run Profiles] Delta import: Between full imports, read only rows changed...' }
            @{ Name = '--export-method'; Kind = 'choice'; Choices = @('Table', 'Stored Procedure', 'SQL Query'); Help = '[Export] Operation Method: Table (the Schema 2 table, written directly)...' }
            @{ Name = '--add-sp-name'; Kind = 'text'; Help = '[Export] Add SP Name: The procedure (or PostgreSQL function) that adds a user.' }
            @{ Name = '--add-sp-parameters'; Kind = 'text'; Help = '[Export] Add SP Parameters: The Add procedure''s parameters: one...' }
            @{ Name = '--update-sp-name'; Kind = 'text'; Help = '[Export] Update SP Name: The procedure (or PostgreSQL function) that updates...' }
            @{ Name = '--update-sp-parameters'; Kind = 'text'; Help = '[Export] Update SP Parameters: The Update procedure''s parameters: one...' }
            @{ Name = '--delete-sp-name'; Kind = 'text'; Help = '[Export] Delete SP Name: The procedure (or PostgreSQL function) that deletes...' }
            @{ Name = '--delete-sp-parameters'; Kind = 'text'; Help = '[Export] Delete SP Parameters: The Delete procedure''s parameters: one...' }
            @{ Name = '--use-named-parameters'; Kind = ''; Help = '[Export] Use named parameters: Pass procedure parameters by name (PostgreSQL...' }
            @{ Name = '--no-use-named-parameters'; Kind = ''; Help = '[Export] Use named parameters: Pass procedure parameters by name (PostgreSQL...' }
            @{ Name = '--insert-query'; Kind = 'text'; Help = '[Export] Insert Query: The SQL statement that inserts a user, with...' }
            @{ Name = '--update-query'; Kind = 'text'; Help = '[Export] Update Query: The SQL statement that updates a user, with...' }
            @{ Name = '--delete-query'; Kind = 'text'; Help = '[Export] Delete Query: The SQL statement that deletes a user, with...' }
            @{ Name = '--import-method'; Kind = 'choice'; Choices = @('Table', 'View', 'Stored Procedure', 'SQL Query'); Help = '[Full Import] Operation Method: Table (the Schema 2 table), View (a view...' }
            @{ Name = '--import-view'; Kind = 'text'; Help = '[Full Import] View: The view to read (its columns named as the table''s).' }
            @{ Name = '--import-sp-name'; Kind = 'text'; Help = '[Full Import] Stored Procedure: The procedure (MariaDB) or set-returning...' }
            @{ Name = '--import-sp-parameters'; Kind = 'text'; Help = '[Full Import] Stored Procedure Parameters: The import procedure''s...' }
            @{ Name = '--import-query'; Kind = 'text'; Help = '[Full Import] SQL Query: A query returning rows @StartIndex to @EndIndex...' }
            @{ Name = '--import-page-size'; Kind = 'text'; Help = '[Full Import] Page size: Rows per call of the procedure or query.' }
            @{ Name = '--delta-method'; Kind = 'choice'; Choices = @('Table', 'Stored Procedure', 'SQL Query'); Help = '[Delta Import] Operation Method: Table (compare the Global page''s watermark...' }
            @{ Name = '--delta-sp-name'; Kind = 'text'; Help = '[Delta Import] Stored Procedure: The procedure (MariaDB) or set-returning...' }
            @{ Name = '--delta-sp-parameters'; Kind = 'text'; Help = '[Delta Import] Stored Procedure Parameters: The delta procedure''s...' }
            @{ Name = '--delta-query'; Kind = 'text'; Help = '[Delta Import] SQL Query: A query returning every row changed after...' }
            @{ Name = '--target-object'; Kind = 'text'; Help = '[Object Types] Target object: The object type exposed to Entra: User (the...' }
            @{ Name = '--autogenerated-dn'; Kind = ''; Help = '[Object Types] Autogenerated: Build the DN as CN=<anchor>,OBJECT=USER...' }
            @{ Name = '--no-autogenerated-dn'; Kind = ''; Help = '[Object Types] Autogenerated: Build the DN as CN=<anchor>,OBJECT=USER...' }
            @{ Name = '--attribute'; Kind = 'text'; Help = '[Select Attributes] Attributes: Columns to expose (the anchor is required)....' }
            @{ Name = '--bind'; Kind = 'text'; Help = '[Select Attributes] Core SCIM attribute per column: Suggested from the...' }
            @{ Name = '--disable-flow'; Kind = 'choice'; Choices = @('None', 'Set attribute value', 'Delete'); Help = '[Deprovisioning] Disable flow: None, Set attribute value (a Boolean column...' }
            @{ Name = '--disable-attribute'; Kind = 'text'; Help = '[Deprovisioning] Attribute to set: Boolean column written on disable (not...' }
            @{ Name = '--disable-value'; Kind = ''; Help = '[Deprovisioning] Value when disabled: The value written on disable (true for...' }
            @{ Name = '--no-disable-value'; Kind = ''; Help = '[Deprovisioning] Value when disabled: The value written on disable (true for...' }
            @{ Name = '--delete-flow'; Kind = 'choice'; Choices = @('None', 'Delete'); Help = '[Deprovisioning] Delete flow: None (ignore deletes) or Delete the row.' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl token'] = @{
        Commands = @(
            @{ Name = 'rotate'; Help = 'Replace the token with a new random one (or --secret-token-file); the old one...' }
            @{ Name = 'set'; Help = 'Replace the connector''s token now; the old one stops working at once.' }
            @{ Name = 'show'; Help = 'Show where the token is kept and its masked form (and a previous one still...' }
        )
        Options = @(
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl token rotate'] = @{
        Commands = @()
        Options = @(
            @{ Name = '-c'; Kind = 'connector'; Help = 'The connector [default: the only one; required when the home has several].' }
            @{ Name = '--connector'; Kind = 'connector'; Help = 'The connector [default: the only one; required when the home has several].' }
            @{ Name = '--secret-token-file'; Kind = 'file'; Help = 'Read the new token from PATH (''-'' for stdin) instead of generating one.' }
            @{ Name = '--grace'; Kind = 'text'; Help = 'How long the old token stays valid: 24h, 7d, 90m; 0 ends it now (at most 30d).' }
            @{ Name = '--reveal'; Kind = ''; Help = 'Print the token itself, alone, on stdout.' }
            @{ Name = '--json'; Kind = ''; Help = 'Print one JSON document on stdout (never the token).' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl token set'] = @{
        Commands = @()
        Options = @(
            @{ Name = '-c'; Kind = 'connector'; Help = 'The connector [default: the only one; required when the home has several].' }
            @{ Name = '--connector'; Kind = 'connector'; Help = 'The connector [default: the only one; required when the home has several].' }
            @{ Name = '--secret-token-file'; Kind = 'file'; Help = 'Read the token from PATH (''-'' for stdin; or ECMACTL_SECRET_TOKEN). At least...' }
            @{ Name = '--generate'; Kind = ''; Help = 'Generate a 32-character random token.' }
            @{ Name = '--secret-store'; Kind = 'choice'; Choices = @('keyring', 'file'); Help = 'Move the token to this store.' }
            @{ Name = '--reveal'; Kind = ''; Help = 'Print the token itself, alone, on stdout.' }
            @{ Name = '--json'; Kind = ''; Help = 'Print one JSON document on stdout (never the token).' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }
    $tree['ecmactl token show'] = @{
        Commands = @()
        Options = @(
            @{ Name = '-c'; Kind = 'connector'; Help = 'The connector [default: the only one; required when the home has several].' }
            @{ Name = '--connector'; Kind = 'connector'; Help = 'The connector [default: the only one; required when the home has several].' }
            @{ Name = '--reveal'; Kind = ''; Help = 'Print the token itself, alone, on stdout.' }
            @{ Name = '--json'; Kind = ''; Help = 'Print one JSON document on stdout (never the token).' }
            @{ Name = '--home'; Kind = 'dir'; Help = 'Folder holding all ecmactl state [default: the per-user config folder].' }
            @{ Name = '-q'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '--quiet'; Kind = ''; Help = 'Only errors and the result asked for (status commands: nothing when all is...' }
            @{ Name = '-v'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--verbose'; Kind = ''; Help = 'More detail.' }
            @{ Name = '--no-color'; Kind = ''; Help = 'No colours (also NO_COLOR).' }
            @{ Name = '-h'; Kind = ''; Help = 'Show this message and exit.' }
            @{ Name = '--help'; Kind = ''; Help = 'Show this message and exit.' }
        )
        Arguments = @()
    }

    function Find-Option($node, $name) {
        $node.Options | Where-Object { $_.Name -ceq $name } | Select-Object -First 1
    }

    # Results for the entries of $items (options or subcommands) that start with the word.
    function Complete-Name($items, $type) {
        $items | Where-Object { $_.Name.StartsWith($wordToComplete) } | ForEach-Object {
            $result::new($_.Name, $_.Name, $type, $_.Help)
        }
    }

    # Results for a value of kind $spec.Kind that starts with $current, each after $prefix.
    # Free text gives none, and PowerShell then falls back to file names.
    function Complete-Value($spec, $current, $prefix) {
        switch ($spec.Kind) {
            'choice' {
                $ignoreCase = [System.StringComparison]::OrdinalIgnoreCase
                foreach ($choice in $spec.Choices) {
                    if (-not $choice.StartsWith($current, $ignoreCase)) { continue }
                    $text = $choice
                    if ($choice -match '\s') { $text = "'" + $choice.Replace("'", "''") + "'" }
                    $result::new("$prefix$text", $choice, 'ParameterValue', $choice)
                }
            }
            'connector' {
                # The home being completed: --home on the line, else ECMACTL_HOME or the
                # default. ecmactl answers `__connectors` without loading its CLI.
                $homeArgs = @()
                for ($j = 1; $j -lt $words.Count; $j++) {
                    if ($words[$j] -ceq '--home' -and $j + 1 -lt $words.Count) {
                        $homeArgs = @('--home', $words[$j + 1].Trim([char[]]"'`""))
                    } elseif ($words[$j] -clike '--home=*') {
                        $homeArgs = @('--home', $words[$j].Substring(7).Trim([char[]]"'`""))
                    }
                }
                & $words[0] __connectors @homeArgs 2>$null |
                    Where-Object { $_.StartsWith($current) } | ForEach-Object {
                        $result::new("$prefix$_", $_, 'ParameterValue', $_)
                    }
            }
            'file' { $completers::CompleteFilename($current) }
            'dir' {
                $completers::CompleteFilename($current) |
                    Where-Object { $_.ResultType -eq 'ProviderContainer' }
            }
        }
    }

    # Words before the cursor; the one being completed (if any) is not walked.
    $words = @($commandAst.CommandElements |
        Where-Object { $_.Extent.StartOffset -lt $cursorPosition } |
        ForEach-Object { $_.Extent.Text })
    if ($wordToComplete -ne '' -and $words.Count -gt 1) {
        $words = @($words[0..($words.Count - 2)])
    }

    # Walk them: a subcommand name extends the path; an option taking a value swallows the next.
    $path = 'ecmactl'; $npos = 0; $valueOf = $null; $optionsDone = $false
    for ($i = 1; $i -lt $words.Count; $i++) {
        $word = $words[$i]
        $node = $tree[$path]
        if (-not $optionsDone -and $word -like '-?*') {
            if ($word -eq '--') { $optionsDone = $true; continue }
            $option = Find-Option $node $word
            if ($option -and $option.Kind -and $word -notlike '*=*') {
                if ($i + 1 -lt $words.Count) { $i++ } else { $valueOf = $option }
            }
        } elseif ($npos -eq 0 -and ($node.Commands | Where-Object { $_.Name -ceq $word })) {
            $path = "$path $word"
        } else {
            $npos++
        }
    }

    $node = $tree[$path]
    if ($valueOf) { return Complete-Value $valueOf $wordToComplete '' }
    if (-not $optionsDone -and $wordToComplete -like '-*') {
        if ($wordToComplete -match '^(--[^=]+)=(.*)$') {
            $option = Find-Option $node $Matches[1]
            if ($option -and $option.Kind) {
                return Complete-Value $option $Matches[2] "$($Matches[1])="
            }
            return
        }
        return Complete-Name $node.Options 'ParameterName'
    }
    if ($npos -eq 0 -and $node.Commands.Count -gt 0) {
        return Complete-Name $node.Commands 'Command'
    }
    for ($i = 0; $i -lt $node.Arguments.Count; $i++) {
        $argument = $node.Arguments[$i]
        if ($i -eq $npos -or ($argument.Variadic -and $i -le $npos)) {
            return Complete-Value $argument $wordToComplete ''
        }
    }
    if (-not $optionsDone) { return Complete-Name $node.Options 'ParameterName' }
}
