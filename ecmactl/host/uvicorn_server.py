"""uvicorn's ``Server`` with one method replaced: ``capture_signals``.

What this replaces, and why: uvicorn's ``Server.serve`` wraps the whole run in
``capture_signals()``, which installs ``handle_exit`` for SIGINT and SIGTERM (and SIGBREAK on
Windows) and, after the graceful shutdown, re-raises every signal it captured
(``signal.raise_signal``) so that the process dies by it. For ``ecmactl host run`` that would make
every `systemctl stop` look like a crash (killed by SIGTERM), skip the run-file clean-up and the
closing of the stores, and lose the exit code. Here the same handlers are installed and restored,
and a handled signal ends the run normally: ``serve`` returns and the caller exits 0.

It relies on uvicorn's ``Server.serve`` calling ``self.capture_signals()`` as a context manager
around the run, and on ``Server.handle_exit(sig, frame)`` setting ``should_exit``. Both are
checked by ``tests/host/test_library_seams.py``; the upper bound on uvicorn in pyproject.toml is
the last version checked.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator

import uvicorn


class CleanExitServer(uvicorn.Server):
    """uvicorn's Server, except that a handled SIGTERM/SIGINT ends the process normally."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield  # signals can only be handled in the main thread: the embedder's business
            return
        handled = [signal.SIGINT, signal.SIGTERM]
        if sys.platform == "win32":  # pragma: no cover
            handled.append(signal.SIGBREAK)
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
