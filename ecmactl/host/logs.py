"""The host's logs: one structured line per request, text or JSON, secrets masked.

Loggers: ``ecmactl.host.access`` (one INFO line per request; request bodies at DEBUG, with
passwords and tokens masked) and ``ecmactl.host`` (imports, outages, errors). An access line
holds the connector, the method, the path (as sent, percent-encoded, so a crafted id cannot
forge a log line), the names of the query parameters but never their values (a filter holds a
user name), the status, the duration and the anchor when one is known.

``configure_logging`` installs one handler for both on the ``ecmactl`` logger; the server
runner calls it with the ``--log-level``/``--log-format``/``--log-file`` flags.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

ACCESS_LOGGER = "ecmactl.host.access"
access_log = logging.getLogger(ACCESS_LOGGER)
ACCESS_FIELDS = ("connector", "method", "path", "params", "status", "duration_ms", "anchor")
MASK = "***"

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
    access_log.info(message, extra=fields)


def log_body(connector: str, method: str, path: str, body: bytes) -> None:
    """The request body at DEBUG, secrets masked (bodies that are not JSON are not shown)."""
    if not access_log.isEnabledFor(logging.DEBUG) or not body:
        return
    try:
        shown = json.dumps(mask_secrets(json.loads(body)), ensure_ascii=False)
    except ValueError:
        shown = f"<{len(body)} bytes, not JSON>"
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
        handler = logging.FileHandler(file, encoding="utf-8")
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root.addHandler(handler)
    root.setLevel(level.upper() if isinstance(level, str) else level)
    root.propagate = False
    _installed = handler
    return handler
