"""The one table of exit codes every ecmactl command uses (documented in the README)."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1  # runtime failure: a database, a file, a network peer said no
    USAGE = 2  # bad or missing input; the message names the flag that fixes it
    NOT_RUNNING = 3  # LSB: the host is not running (status commands)
    UNKNOWN = 4  # LSB: status cannot be determined
    RENEWAL_DUE = 10  # certificate renewal is due
    CERT_EXPIRED = 11  # certificate expired or not yet valid
    CERT_UNUSABLE = 12  # certificate unusable: SAN does not cover the host, key mismatch
    CERT_MISSING = 13  # no certificate (or no key) at the configured path
    CHANGES_PENDING = 20  # --dry-run --detailed-exitcode: something would change
    STANDBY = 30  # status: healthy, and a standby (another host holds the writer lease)
    NO_LEASE_HOLDER = 31  # status: active/standby, and no host holds the lease (writes fail)
    CANCELLED = 130  # Ctrl-C; nothing was written
