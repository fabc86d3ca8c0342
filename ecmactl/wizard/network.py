"""Whether the host could listen where the Settings page says: a port another program holds
is refused while the answers are given, not when `host run` starts.
"""

from __future__ import annotations

import errno
import os
import socket

from ecmactl.config.models import DEFAULT_BIND_ADDRESS
from ecmactl.wizard import validators
from ecmactl.wizard.context import WizardContext
from ecmactl.wizard.questions import Invalid


def port_in_use(address: str, number: int) -> bool:
    """Whether another program listens on ``address``:``number`` (so the host could not)."""
    host = {"*": "0.0.0.0", "localhost": "127.0.0.1"}.get(address, address)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            if os.name != "nt":  # as the host does: a connection in TIME_WAIT is no conflict
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, number))
    except OSError as exc:  # anything but "in use" (no such address, no IPv6) is not ours
        return exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1))
    return False


def _current_port(ctx: WizardContext) -> int | None:
    """The port this home's host already uses (its own running host holds it)."""
    from ecmactl.config.store import load_settings
    from ecmactl.errors import EcmactlError

    if not ctx.home.settings_path.exists():
        return None
    try:
        return load_settings(ctx.home).port
    except EcmactlError:
        return None


def _check_free(address: str, number: int, ctx: WizardContext) -> None:
    if number == _current_port(ctx):
        return  # this home's own port: its running host is not "another program"
    if port_in_use(address, number):
        raise Invalid(
            f"port {number} on {address} is already in use by another program on this "
            "machine; choose another port, or stop that program first"
        )


def listening_port(value: int, ctx: WizardContext) -> int:
    """The Port question: a valid port that no other program holds. The address is asked
    next, so the port is checked on the default address here and as a pair there."""
    value = validators.port(value, ctx)
    _check_free(str(ctx.get("settings.bind_address") or DEFAULT_BIND_ADDRESS), value, ctx)
    return value


def listening_address(value: str, ctx: WizardContext) -> str:
    """The Bind address question: a valid address where the port chosen is free."""
    value = validators.bind_address(value, ctx)
    number = ctx.get("settings.port")
    if isinstance(number, int):
        _check_free(value, number, ctx)
    return value
