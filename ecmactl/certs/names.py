"""This machine's names: the default host name, and the names a self-signed certificate covers.

``socket.getfqdn()`` alone is not enough: with an /etc/hosts line such as
``127.0.0.1 localhost myhost`` (common on Debian and in containers) it answers ``localhost``,
and a certificate for that name is useless to a provisioning agent on another machine. So the
FQDN and ``socket.gethostname()`` are both used, and loopback names are never taken for the
machine's own. No ``cryptography`` here: the wizard imports this for its defaults.
"""

from __future__ import annotations

import socket

from ecmactl.config.rules import DNS_LABEL

FALLBACK_HOSTNAME = "localhost"  # only when the machine has no usable name at all
_LOOPBACK_NAMES = frozenset(
    {"localhost", "localhost6", "ip6-localhost", "ip6-loopback", "loopback", "localdomain"}
)


def machine_names() -> tuple[str, ...]:
    """The FQDN, then the host name (lower case, de-duplicated), leaving out loopback names
    and anything that is not a valid DNS name (a SAN must be one)."""
    names: list[str] = []
    for lookup in (socket.getfqdn, socket.gethostname):
        try:
            name = lookup().strip().rstrip(".").lower()
        except OSError:
            continue
        if _usable(name) and name not in names:
            names.append(name)
    return tuple(names)


def default_hostname() -> str:
    """The host name the wizard proposes for the Tenant URL: this machine's name, the FQDN when
    it has one; ``localhost`` only when the machine has no other name."""
    names = machine_names()
    return names[0] if names else FALLBACK_HOSTNAME


def _usable(name: str) -> bool:
    labels = name.split(".")
    if not name or len(name) > 253 or not all(DNS_LABEL.match(label) for label in labels):
        return False
    return labels[0] not in _LOOPBACK_NAMES and not _is_address(name)


def _is_address(name: str) -> bool:
    # getfqdn() echoes what it was given when nothing resolves; an IP is not a host name here.
    return all(label.isdigit() for label in name.split("."))
