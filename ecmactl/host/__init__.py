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

from ecmactl.host.app import Host
from ecmactl.host.logs import ACCESS_LOGGER, configure_logging
from ecmactl.host.memory_store import MemoryRowStore

__all__ = ["ACCESS_LOGGER", "Host", "MemoryRowStore", "configure_logging"]
