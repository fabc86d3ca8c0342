"""The host's logs: one structured line per request, text or JSON, secrets masked.

Loggers: ``ecmactl.host.access`` (one INFO line per request; request bodies at DEBUG, with
passwords and tokens masked) and ``ecmactl.host`` (imports, outages, errors). An access line
holds the connector, the method, the path (as sent, percent-encoded, so a crafted id cannot
forge a log line), the names of the query parameters but never their values (a filter holds a
user name), the status, the duration and the anchor when one is known.

``configure_logging`` installs one handler for both on the ``ecmactl`` logger; the server
runner calls it with the ``--log-level``/``--log-format``/``--log-file`` flags.

An access line is a fifth of a filtered GET's CPU through ``Logger.info`` (caller lookup, a full
``LogRecord``, a flush per line): ``log_request`` builds its record directly (``access_record``
says what that replaces in ``logging`` and what it relies on), and the handler writes access
lines at once but flushes them at most ``FLUSH_EVERY_S`` later, in one system call for all of
them; any other record flushes everything before it returns.
"""

from __future__ import annotations

import io
import json
import logging
import re
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from ecmactl.host.access_record import AccessRecord

ACCESS_LOGGER = "ecmactl.host.access"
access_log = logging.getLogger(ACCESS_LOGGER)
ACCESS_FIELDS = ("connector", "method", "path", "params", "status", "duration_ms", "anchor")
MASK = "***"
FLUSH_EVERY_S = 0.2  # how long an access line may wait in the buffer

_SECRET_KEY = re.compile(r"password|passwd|pwd|secret|token|authorization", re.IGNORECASE)
_URL_PASSWORD = re.compile(r"(?P<head>[A-Za-z][\w+.-]*://[^:/@\s]*:)[^/\s]*(?P<at>@)")
_KV_PASSWORD = re.compile(r"(?P<key>\b(?:password|passwd|pwd)\s*=\s*)[^;\s&]+", re.IGNORECASE)


def scrub(text: str) -> str:
    """``text`` with passwords in URLs and connection strings replaced by ***."""
    text = _URL_PASSWORD.sub(lambda m: f"{m['head']}{MASK}{m['at']}", text)
    return _KV_PASSWORD.sub(lambda m: f"{m['key']}{MASK}", text)


def mask_secrets(value: Any) -> Any:
    """A copy of a JSON document with every password, secret or token value masked.

    Keys are matched anywhere in their name (``password``, ``urn:…:User:export_password``);
    a PATCH operation whose ``path`` names one has its ``value`` masked."""
    if isinstance(value, list):
        return [mask_secrets(v) for v in value]
    if not isinstance(value, Mapping):
        return value
    out: dict[str, Any] = {}
    path = next((v for k, v in value.items() if str(k).lower() == "path"), None)
    secret_path = isinstance(path, str) and _SECRET_KEY.search(path) is not None
    for key, item in value.items():
        if _SECRET_KEY.search(str(key)) or (secret_path and str(key).lower() == "value"):
            out[key] = MASK
        else:
            out[key] = mask_secrets(item)
    return out


_encode = json.JSONEncoder(ensure_ascii=False, default=str).encode
_PLAIN = re.compile(r'[^\s"=\\]+')


def _text_value(text: str) -> str:
    """A value as is when it is one plain word, else JSON-quoted (spaces, quotes, controls)."""
    if _PLAIN.fullmatch(text) and text.isprintable():
        return text
    return json.dumps(text, ensure_ascii=False)


def log_request(
    connector: str | None,
    method: str,
    path: str,
    params: str,
    status: int,
    duration_ms: float,
    anchor: str | None,
) -> None:
    """The access line of one request (a no-op unless INFO is enabled for the access log)."""
    if not access_log.isEnabledFor(logging.INFO):
        return
    connector = connector or "-"
    anchor = anchor if anchor is not None else "-"
    duration_ms = round(duration_ms, 2)
    message = (
        f"connector={_text_value(connector)} method={_text_value(method)} "
        f"path={_text_value(path)} params={_text_value(params or '-')} status={status} "
        f"duration_ms={duration_ms} anchor={_text_value(anchor)}"
    )
    fields = {
        "connector": connector,
        "method": method,
        "path": path,
        "params": params or "-",
        "status": status,
        "duration_ms": duration_ms,
        "anchor": anchor,
    }
    access_log.handle(AccessRecord(ACCESS_LOGGER, message, fields))


def log_body(connector: str, method: str, path: str, body: bytes) -> None:
    """The request body at DEBUG, secrets masked (bodies that are not JSON are not shown)."""
    if not access_log.isEnabledFor(logging.DEBUG) or not body:
        return
    from ecmactl.host.json_body import parse_json  # only at DEBUG
    from ecmactl.scim.errors import ScimError

    try:  # the request's own bounds: a body nested 1,000 deep is no RecursionError here either
        shown = json.dumps(mask_secrets(parse_json(body)), ensure_ascii=False)
    except ScimError:
        shown = f"<{len(body)} bytes, not JSON the host accepts>"
    access_log.debug("connector=%s method=%s path=%s body=%s", connector, method, path, shown)


_second: list[Any] = [None, ""]  # the last whole second formatted, and its text


def _timestamp(created: float) -> str:
    """ISO-8601 UTC with milliseconds; the date part is formatted once per second."""
    whole = int(created)
    if whole != _second[0]:
        _second[:] = [whole, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole))]
    return f"{_second[1]}.{int((created - whole) * 1000):03d}Z"


def _is_access_line(record: logging.LogRecord) -> bool:
    # Access lines are built from safe values only: no need to scan them for passwords.
    return record.name == ACCESS_LOGGER and record.levelno == logging.INFO


class TextFormatter(logging.Formatter):
    """``2026-01-02T03:04:05.678Z INFO ecmactl.host.access connector=… status=200 …``"""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if not _is_access_line(record):
            message = scrub(message)
        line = f"{_timestamp(record.created)} {record.levelname} {record.name} {message}"
        if record.exc_info:
            line += "\n" + scrub(self.formatException(record.exc_info))
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the access fields."""

    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "time": _timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
        }
        if _is_access_line(record):
            doc["message"] = "request"
            for key in ACCESS_FIELDS:
                doc[key] = getattr(record, key, None)
        else:
            doc["message"] = scrub(record.getMessage())
        if record.exc_info:
            doc["exception"] = scrub(self.formatException(record.exc_info))
        return _encode(doc)


_installed: logging.Handler | None = None


def configure_logging(
    level: str | int = "info",
    fmt: Literal["text", "json"] = "text",
    file: Path | None = None,
) -> logging.Handler:
    """Send the ``ecmactl`` loggers to stderr (or ``file``, appended) as text or JSON lines.

    Calling it again replaces the handler it installed before."""
    global _installed
    root = logging.getLogger("ecmactl")
    if _installed is not None:
        root.removeHandler(_installed)
        _installed.close()
    handler: logging.Handler
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
        handler = _LazyFlushFileHandler(file, encoding="utf-8")
    else:
        handler = _LazyFlushStreamHandler(_buffered_stderr())
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root.addHandler(handler)
    root.setLevel(level.upper() if isinstance(level, str) else level)
    root.propagate = False
    _installed = handler
    return handler


class _LazyFlush:
    """Access lines are written at once and flushed within ``FLUSH_EVERY_S`` by a daemon
    thread; any other record (imports, outages, errors) flushes everything, as before."""

    lock: threading.RLock | None
    stream: Any
    terminator: str

    def _start_flusher(self) -> None:
        self._dirty = False
        self._closing = threading.Event()
        self._flusher: threading.Thread | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if not _is_access_line(record) or self.stream is None:  # (None: a closed file)
            super().emit(record)  # type: ignore[misc]  # writes and flushes (reopens a file)
            self._dirty = False
            return
        try:
            self.stream.write(self.format(record) + self.terminator)  # type: ignore[attr-defined]
        except RecursionError:
            raise
        except Exception:
            self.handleError(record)  # type: ignore[attr-defined]
            return
        self._dirty = True
        if self._flusher is None:
            self._flusher = threading.Thread(
                target=self._flush_lazily, name="ecmactl-log-flush", daemon=True
            )
            self._flusher.start()

    def _flush_lazily(self) -> None:
        while not self._closing.wait(FLUSH_EVERY_S):
            # Never block on the lock: close() may hold it (logging.shutdown does) while it
            # waits for this thread, which then sees _closing on its next turn.
            if not self._dirty or self.lock is None or not self.lock.acquire(timeout=0.05):
                continue
            try:
                self._dirty = False
                self.flush()  # type: ignore[attr-defined]
            finally:
                self.lock.release()

    def close(self) -> None:
        self._closing.set()
        if self._flusher is not None and self._flusher is not threading.current_thread():
            self._flusher.join()
        self.flush()  # type: ignore[attr-defined]  # what is left (StreamHandler.close does not)
        super().close()  # type: ignore[misc]


class _LazyFlushFileHandler(_LazyFlush, logging.FileHandler):
    def __init__(self, filename: Path, encoding: str) -> None:
        logging.FileHandler.__init__(self, filename, encoding=encoding)
        self._start_flusher()


class _LazyFlushStreamHandler(_LazyFlush, logging.StreamHandler):  # type: ignore[type-arg]
    def __init__(self, stream: Any) -> None:
        logging.StreamHandler.__init__(self, stream)
        self._start_flusher()


def _buffered_stderr() -> Any:
    """stderr with a buffer of its own: ``sys.stderr`` writes every line (it is line-buffered
    even into a pipe), which is a system call per request under journald. Falls back to
    ``sys.stderr`` itself when it has no file descriptor (tests, embedding)."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        return sys.stderr
    encoding = getattr(sys.stderr, "encoding", None) or "utf-8"
    raw = io.FileIO(fd, "w", closefd=False)
    return io.TextIOWrapper(io.BufferedWriter(raw), encoding=encoding, errors="backslashreplace")
