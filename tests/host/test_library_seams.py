"""The places where ecmactl reaches into a library beyond its documented surface, checked.

Each override lives in one module that says what it replaces and why; pyproject.toml bounds the
library to the versions checked. When a new release (or a new Python) changes what an override
relies on, a test here fails with a message naming the override and what to re-check, before a
subtle runtime failure does. Raise the bound in pyproject.toml only once these pass.

- ``ecmactl.host.uvicorn_server.CleanExitServer``: ``uvicorn.Server.capture_signals``;
- ``ecmactl.host.listener.install``: ``loop.create_server`` as uvicorn's ``Server.startup``
  calls it, and what uvicorn's ``Server.shutdown`` uses of the server it returns;
- ``ecmactl.host.edge_protocol.EdgeHttpProtocol``: uvicorn's ``HttpToolsProtocol`` and
  httptools' parser callbacks;
- ``ecmactl.host.access_record.AccessRecord``: ``logging.LogRecord`` built by hand, and the
  handler attributes ``ecmactl.host.logs`` reads;
- ``ecmactl.cli._run.EcmactlGroup._main_shell_completion``: Typer's completion hook.
"""

from __future__ import annotations

import asyncio
import inspect
import io
import logging
import os
import signal
import socket
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httptools
import pytest
import typer.core
import uvicorn
import uvicorn.protocols.http.httptools_impl as httptools_impl

from ecmactl.config.models import HostLimits
from ecmactl.host import listener
from ecmactl.host.access_record import AccessRecord
from ecmactl.host.edge_protocol import EdgeHttpProtocol, protocol_class
from ecmactl.host.uvicorn_server import CleanExitServer


def _changed(what: str, override: str, recheck: str, *, bounded: bool = True) -> str:
    then = " before raising the library's upper bound in pyproject.toml" if bounded else ""
    return (
        f"{what} changed, and {override} depends on it. Re-check {recheck}, then adjust the "
        f"override (or drop it if the library now does the right thing){then}."
    )


def _parameters(func: Callable[..., Any]) -> list[str]:
    return list(inspect.signature(func).parameters)


# -- uvicorn.Server.capture_signals (ecmactl.host.uvicorn_server) ---------------------------------


def test_uvicorn_still_wraps_serve_in_capture_signals() -> None:
    source = inspect.getsource(uvicorn.Server.serve)
    assert "self.capture_signals()" in source, _changed(
        "uvicorn.Server.serve",
        "ecmactl.host.uvicorn_server.CleanExitServer.capture_signals",
        "how uvicorn now installs its SIGINT/SIGTERM handlers and whether it still re-raises "
        "a captured signal after the graceful shutdown",
    )
    assert _parameters(uvicorn.Server.handle_exit) == ["self", "sig", "frame"], _changed(
        "uvicorn.Server.handle_exit's signature",
        "CleanExitServer (it installs handle_exit with signal.signal)",
        "uvicorn's signal handler",
    )
    server = CleanExitServer(uvicorn.Config(_hello))
    server.handle_exit(signal.SIGTERM, None)
    assert server.should_exit, _changed(
        "uvicorn.Server.handle_exit (it no longer sets should_exit)",
        "CleanExitServer and ecmactl.host.server (the --no-retry watcher sets should_exit)",
        "how a uvicorn server is asked to stop",
    )


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name == "nt", reason="POSIX signals")
def test_a_sigterm_ends_the_run_normally_through_the_real_server() -> None:
    """In a subprocess: a uvicorn whose override stopped applying dies by the signal."""
    script = textwrap.dedent(
        """
        import asyncio, os, signal, socket
        import uvicorn
        from ecmactl.host.uvicorn_server import CleanExitServer

        async def app(scope, receive, send):
            assert scope["type"] == "lifespan"
            await receive()
            os.kill(os.getpid(), signal.SIGTERM)  # during startup: captured, then a stop
            await send({"type": "lifespan.startup.complete"})
            await receive()
            await send({"type": "lifespan.shutdown.complete"})

        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        config = uvicorn.Config(app, lifespan="on", log_config=None, access_log=False)
        server = CleanExitServer(config)
        asyncio.run(server.serve(sockets=[sock]))
        assert server.should_exit
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # restored
        print("returned normally")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and "returned normally" in done.stdout, (
        _changed(
            "uvicorn's signal handling",
            "ecmactl.host.uvicorn_server.CleanExitServer",
            "uvicorn.Server.serve/capture_signals/handle_exit (a stop by SIGTERM must return "
            "from serve, not kill the process)",
        )
        + f"\nexit {done.returncode}\n{done.stdout}\n{done.stderr}"
    )


# -- loop.create_server and HttpToolsProtocol (ecmactl.host.listener, .edge_protocol) -------------


def test_uvicorn_config_still_takes_what_the_runner_passes() -> None:
    parameters = _parameters(uvicorn.Config.__init__)
    for name in ("http", "ws", "lifespan", "log_config", "access_log", "proxy_headers"):
        assert name in parameters, _changed("uvicorn.Config", "ecmactl.host.server", name)
    for name in ("server_header", "timeout_graceful_shutdown", "ssl_context_factory"):
        assert name in parameters, _changed("uvicorn.Config", "ecmactl.host.server", name)
    assert callable(getattr(uvicorn.Config, "get_loop_factory", None)), _changed(
        "uvicorn.Config.get_loop_factory",
        "ecmactl.host.server (asyncio.Runner(loop_factory=...))",
        "how uvicorn picks uvloop",
    )


def test_the_overridden_httptools_protocol_methods_are_still_there() -> None:
    base = httptools_impl.HttpToolsProtocol
    expected = {
        "__init__": ["self", "config", "server_state", "app_state", "_loop"],
        "connection_made": ["self", "transport"],
        "connection_lost": ["self", "exc"],
        "data_received": ["self", "data"],
        "send_400_response": ["self", "msg"],
        "on_headers_complete": ["self"],
        "on_message_complete": ["self"],
        "on_response_complete": ["self"],
        "_unset_keepalive_if_required": ["self"],
    }
    for name, parameters in expected.items():
        method = base.__dict__.get(name)
        assert method is not None and _parameters(method) == parameters, _changed(
            f"uvicorn's HttpToolsProtocol.{name}",
            "ecmactl.host.edge_protocol.EdgeHttpProtocol",
            f"what EdgeHttpProtocol.{name} replaces or calls",
        )
    assert {400, 408, 431} <= set(httptools_impl.STATUS_LINE), _changed(
        "uvicorn.protocols.http.httptools_impl.STATUS_LINE",
        "ecmactl.host.edge_protocol.error_bytes",
        "the status lines it writes",
    )
    for name in ("HttpParserError", "HttpParserUpgrade", "HttpParserInvalidMethodError"):
        assert hasattr(httptools, name), _changed(
            f"httptools.{name}", "ecmactl.host.edge_protocol", "the parser's errors"
        )


async def _hello(scope: Any, receive: Any, send: Any) -> None:
    assert scope["type"] == "http"
    headers = [(b"content-length", b"5")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"hello"})


async def _exchange(
    port: int, request: bytes, while_open: Callable[[], None] = lambda: None
) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    body = await reader.readexactly(length)
    while_open()
    writer.close()
    return head + body


def test_the_overrides_serve_through_the_real_uvicorn_server() -> None:
    """uvicorn's own Server on our listener and protocol: a request, a refused head (431 in
    a parser callback), a malformed request (400 as SCIM), then a clean shutdown."""
    limits = HostLimits(max_header_count=32)
    config = uvicorn.Config(
        _hello,
        http=protocol_class(limits),
        ws="none",
        lifespan="off",
        log_config=None,
        access_log=False,
    )
    server = CleanExitServer(config)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.setblocking(False)
    port = sock.getsockname()[1]
    seen: dict[str, Any] = {}

    async def scenario() -> None:
        listener.install(asyncio.get_running_loop(), max_connections=8, handshake_timeout=5)
        serving = asyncio.create_task(server.serve(sockets=[sock]))
        try:

            def note_protocols() -> None:
                seen["protocols"] = [type(p) for p in server.server_state.connections]

            request = b"GET / HTTP/1.1\r\nhost: x\r\n\r\n"
            seen["ok"] = await _exchange(port, request, note_protocols)
            many = b"".join(b"x-%d: y\r\n" % i for i in range(40))
            seen["431"] = await _exchange(port, b"GET / HTTP/1.1\r\nhost: x\r\n" + many + b"\r\n")
            seen["400"] = await _exchange(port, b"NOT HTTP AT ALL\r\n\r\n")
            seen["servers"] = list(server.servers)
        finally:
            server.should_exit = True
            await serving

    asyncio.run(scenario())
    assert seen["ok"].startswith(b"HTTP/1.1 200") and seen["ok"].endswith(b"hello")
    assert len(seen["servers"]) == 1 and isinstance(seen["servers"][0], listener.Listener), (
        _changed(
            "how uvicorn.Server.startup creates its server (loop.create_server with sock=)",
            "ecmactl.host.listener.install",
            "uvicorn.Server.startup and shutdown: the Listener must be what create_server "
            "returns, and close()/wait_closed() what shutdown calls",
        )
    )
    assert not seen["servers"][0].is_serving()
    assert len(seen["protocols"]) == 1 and issubclass(seen["protocols"][0], EdgeHttpProtocol)
    for status in (b"431", b"400"):
        answer = seen[status.decode()]
        assert answer.startswith(b"HTTP/1.1 " + status), _changed(
            "uvicorn's HttpToolsProtocol or httptools' callback errors",
            "ecmactl.host.edge_protocol.EdgeHttpProtocol",
            "data_received / on_headers_complete / send_400_response and how an exception "
            f"raised in a parser callback reaches feed_data; got {answer[:200]!r}",
        )
        assert b"application/scim+json" in answer


# -- logging.LogRecord (ecmactl.host.access_record) -----------------------------------------------


def test_an_access_record_has_every_attribute_a_log_record_has() -> None:
    reference = logging.LogRecord("x", logging.INFO, __file__, 1, "m", (), None)
    built = AccessRecord("ecmactl.host.access", "m", {"status": 200})
    missing = set(vars(reference)) - set(vars(built))
    assert not missing, _changed(
        f"logging.LogRecord (this Python sets {sorted(missing)})",
        "ecmactl.host.access_record.AccessRecord",
        "LogRecord.__init__ and set the new attributes in AccessRecord.__init__",
        bounded=False,
    )
    documented = (
        "asctime created filename funcName levelname levelno lineno module msecs message name "
        "pathname process processName relativeCreated thread threadName"
    )
    every = " ".join(f"%({name})s" for name in documented.split(" "))
    logging.Formatter(every).format(built)  # every documented attribute formats


def test_the_handler_attributes_the_lazy_flushing_handlers_read(tmp_path: Path) -> None:
    """``ecmactl.host.logs`` writes access lines through a handler's own ``stream`` and
    ``terminator`` under its ``lock``, and leaves a closed file (``stream`` None) to the
    FileHandler's ``emit``, which reopens it."""
    stream_handler = logging.StreamHandler(io.StringIO())
    file_handler = logging.FileHandler(tmp_path / "x.log", delay=True)
    for handler in (stream_handler, file_handler):
        for name in ("stream", "terminator", "lock"):
            assert hasattr(handler, name), _changed(
                f"logging.{type(handler).__name__} (no attribute {name!r})",
                "ecmactl.host.logs._LazyFlush",
                "how StreamHandler.emit writes and flushes",
                bounded=False,
            )
    assert file_handler.stream is None
    file_handler.emit(logging.LogRecord("x", logging.INFO, __file__, 1, "m", (), None))
    file_handler.close()
    assert (tmp_path / "x.log").read_text() == "m\n", _changed(
        "logging.FileHandler.emit with no open stream",
        "ecmactl.host.logs._LazyFlush.emit",
        "that FileHandler.emit opens its file when its stream is None",
        bounded=False,
    )


# -- Typer's completion hook (ecmactl.cli._run) ---------------------------------------------------


def test_typers_completion_hook_is_still_the_one_we_switch_off() -> None:
    from ecmactl.cli._run import EcmactlGroup

    hook = getattr(typer.core.TyperGroup, "_main_shell_completion", None)
    assert hook is not None and "_main_shell_completion" in inspect.getsource(typer.core), _changed(
        "typer.core (TyperGroup._main_shell_completion and its call in _main)",
        "ecmactl.cli._run.EcmactlGroup._main_shell_completion",
        "how Typer answers the _ECMACTL_COMPLETE environment variable "
        "(tests/cli/test_completion_connectors.py checks the behaviour)",
    )
    assert "_main_shell_completion" in EcmactlGroup.__dict__
