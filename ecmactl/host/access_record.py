"""An access line's ``logging.LogRecord``, built without ``LogRecord.__init__``.

What this replaces, and why: ``access_log.info(message, extra=fields)`` looks up its caller
(``Logger.findCaller`` walks the stack), and ``LogRecord.__init__`` queries the process, the
thread and the multiprocessing and asyncio state for every record; for one line per request
that is a large share of a cheap request's CPU. ``AccessRecord`` sets the same attributes
directly, so any formatter, filter or handler reads it as it would read the record
``Logger.info`` makes (``extra`` fields included), and ``log_request`` hands it to
``Logger.handle``.

It relies on the set of attributes ``LogRecord.__init__`` sets (Python 3.12 added ``taskName``):
``tests/host/test_library_seams.py`` compares them on every run, so a Python that adds one fails
there, naming this module.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

_START = time.time()
_PID = os.getpid()
_LOGS_PY = os.path.join(os.path.dirname(__file__), "logs.py")  # where log_request is


class AccessRecord(logging.LogRecord):
    """What ``logging.getLogger(name).info(message, extra=fields)`` would log, at INFO, as if
    called from ``ecmactl.host.logs.log_request``."""

    def __init__(self, name: str, message: str, fields: dict[str, Any]) -> None:
        now = time.time()
        self.__dict__.update(fields)
        self.name = name
        self.msg = message
        self.args = ()
        self.levelname, self.levelno = "INFO", logging.INFO
        self.pathname, self.filename, self.module = _LOGS_PY, "logs.py", "logs"
        self.funcName, self.lineno = "log_request", 0
        self.exc_info = self.exc_text = self.stack_info = None
        self.created = now
        self.msecs = (now - int(now)) * 1000
        self.relativeCreated = (now - _START) * 1000
        self.thread = threading.get_ident()
        self.threadName = threading.current_thread().name
        self.processName, self.process = "MainProcess", _PID
        self.taskName = None
