"""Secret references: secrets never travel, configs name them and each host resolves its own.

Config files hold references (``keyring:``, ``file:``, ``env:``); emit resolves them to make sure
no value slipped into a bundled file, verify checks that every secret field is a reference, and
apply tells what the target host still has to supply.
"""

from __future__ import annotations

import re

from ecmactl.config.models import Connector, HostSettings
from ecmactl.errors import EcmactlError
from ecmactl.home import Home

#: What a secret reference looks like: ``keyring:``, ``file:`` or ``env:`` and a name.
REFERENCE = re.compile(r"^(keyring|file|env):\S+$")


def secret_refs(
    settings: HostSettings | None, connectors: list[Connector]
) -> list[tuple[str | None, str, str]]:
    """(connector or None for the host, what, reference) for every secret the configs use."""
    refs: list[tuple[str | None, str, str | None]] = []
    if settings is not None:
        refs.append((None, "key passphrase", settings.key_passphrase_ref))
    for c in connectors:
        refs.append((c.name, "secret token", c.secret_token_ref))
        refs.append((c.name, "previous secret token", c.previous_secret_token_ref))
        refs.append((c.name, "database password", c.connectivity.password_ref))
    return [(c, what, ref) for c, what, ref in refs if ref]


def resolve_reference(ref: str, home: Home) -> str | None:
    """The value behind ``ref`` in ``home``, or None when it cannot be read there."""
    from ecmactl.secrets import read_secret

    try:
        return read_secret(ref, home)
    except EcmactlError:
        return None
