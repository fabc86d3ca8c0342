"""The embedded SCIM host: every connector at ``/ecma2host_<name>/scim``, answered from an
in-memory cache that autosync keeps true to the database, writes committed to the database first.

Serving:

- :class:`Host` (``app.py``): the ASGI app, its lifecycle, ``status()``, ``sync_now()``, reload;
- ``routes.py`` / ``users.py``: the SCIM endpoints and ``/Users``, on plain ASGI;
- ``http.py`` / ``json_body.py``: request and response helpers, bounded JSON bodies;
- ``auth.py``: bearer-token checks off the event loop;
- ``runtime.py``: one connector's store, cache, writes and counters;
- ``cache.py``: rows by anchor, equality indexes, rendered resources;
- ``sync.py`` / ``progress.py``: full and delta imports, the autosync schedule, import progress;
- ``gc_tuning.py``: a raised garbage-collector threshold while an import builds its cache;
- ``reload.py``: what a reload re-reads, checks and changes;
- ``memory_store.py``: :class:`MemoryRowStore`, a ``RowStore`` in memory for tests and benchmarks.

Running (``ecmactl host run``):

- ``server.py``: prepare, then serve every connector over HTTPS with uvicorn;
- ``uvicorn_server.py``: uvicorn's ``Server`` with our signal handling (a library override);
- ``preflight.py``: each connector's table still has the columns it uses;
- ``listener.py`` / ``edge_protocol.py`` / ``fdlimit.py``: the accept loop, connection cap and
  timeouts, request-head limits, the cap fitted under the open-file limit;
- ``instance.py``: one host per home (a file lock);
- ``runfile.py``: the run files and local channel the status commands use;
- ``metrics.py`` / ``metrics_server.py``: Prometheus metrics, counted on the request path or
  read at scrape time, and ``/metrics`` on a loopback port of its own;
- ``logs.py`` / ``throttled_log.py``: the access log, :func:`configure_logging`, rate-limited
  warnings; ``access_record.py``: the access-log record built without a logger call (a library
  override).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ecmactl.host.app import Host
    from ecmactl.host.logs import ACCESS_LOGGER, configure_logging
    from ecmactl.host.memory_store import MemoryRowStore

__all__ = ["ACCESS_LOGGER", "Host", "MemoryRowStore", "configure_logging"]

# Resolved on first use: status commands import ecmactl.host.runfile without paying for
# Starlette and the SCIM layer.
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
