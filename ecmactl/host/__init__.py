"""The embedded SCIM host: every connector at ``/ecma2host_<name>/scim``, answered from an
in-memory cache that autosync keeps true to the database, writes committed to the database first.

- :class:`Host` (``app.py``): the ASGI app, its lifecycle, ``status()`` and ``sync_now()``;
- ``routes.py`` / ``users.py`` / ``http.py``: the SCIM endpoints, on plain ASGI;
- ``runtime.py``: one connector's store, cache, writes and counters;
- ``sync.py``: full import, delta import, autosync schedule;
- ``cache.py``: rows by anchor, equality indexes, rendered resources;
- ``logs.py``: the access log and :func:`configure_logging`;
- ``memory_store.py``: :class:`MemoryRowStore`, a ``RowStore`` in memory for tests and benchmarks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ecmactl.host.app import Host
    from ecmactl.host.logs import ACCESS_LOGGER, configure_logging
    from ecmactl.host.memory_store import MemoryRowStore

__all__ = ["ACCESS_LOGGER", "Host", "MemoryRowStore", "configure_logging"]

# Resolved on first use: status commands import ecmactl.host.runfile without paying for
# Starlette and the SCIM layer (about 0.4 s).
_LAZY = {
    "Host": "ecmactl.host.app",
    "ACCESS_LOGGER": "ecmactl.host.logs",
    "configure_logging": "ecmactl.host.logs",
    "MemoryRowStore": "ecmactl.host.memory_store",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'ecmactl.host' has no attribute {name!r}")
