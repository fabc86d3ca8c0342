"""Helpers for the runner, status and test-connection tests (not fixtures).

- ``init_sample`` / ``ecmactl``: the CLI in a subprocess, as a user runs it;
- ``HostProcess``: `ecmactl host run` in a subprocess on a free loopback port, ready when the
  status channel says every connector is ready (a bounded poll with a deadline, no sleeps for
  synchronisation);
- ``FakeHost``: a stand-in with the Host's contract (``asgi``, ``status()``), for tests of the
  runner and the collector that do not need the real SCIM core;
- ``ThreadedServer``: the runner's uvicorn in a thread, for in-process HTTPS tests;
- ``status_document`` / ``connector_entry`` / ``import_status``: the host's status document
  (``ecmactl.status_document``) with plausible values, for fake hosts.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from ecmactl import __version__
from ecmactl.certs.create import create_self_signed
from ecmactl.certs.files import write_bundle
from ecmactl.certs.testing import cached_key
from ecmactl.config.models import Attribute, Column, Connectivity, Connector, HostSettings, Schema
from ecmactl.config.store import save_connector, save_settings
from ecmactl.home import Home
from ecmactl.status_document import STATUS_SCHEMA_VERSION

PY = sys.executable
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
START_DEADLINE = 60.0  # a hang bound, not a speed check: a loaded CI machine starts hosts slowly


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("ECMACTL_HOME", None)
    env["ECMACTL_NO_INPUT"] = "1"
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "200"
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"  # never the real keyring
    return env


def ecmactl(home: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PY, "-m", "ecmactl", "--home", str(home), *args],
        capture_output=True,
        text=True,
        env=cli_env(),
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def init_sample(home: Path) -> None:
    done = ecmactl(
        home,
        "init",
        "--sample",
        "--no-input",
        "--secret-store",
        "file",
        "--hostname",
        "localhost",
    )
    assert done.returncode == 0, done.stderr


def init_on_database(home: Path, database_url: str, table: str = "Employees") -> None:
    """A home with one connector, SQL, over ``table`` at ``database_url`` (no terminal)."""
    done = ecmactl(
        home,
        "init",
        "--no-input",
        "--hostname",
        "localhost",
        "--secret-store",
        "file",
        "--name",
        "SQL",
        "--database-url",
        database_url,
        "--table",
        table,
    )
    assert done.returncode == 0, done.stderr


def read_token(home: Path, connector: str = "SQL") -> str:
    return (home / "secrets" / f"{connector}.secret-token").read_text().strip()


class HostProcess:
    """`ecmactl host run` in a subprocess; stderr goes to a file the test can read."""

    def __init__(
        self, home: Path, port: int, *args: str, open_files: tuple[int, int] | None = None
    ) -> None:
        """``open_files``: the (soft, hard) RLIMIT_NOFILE of the host, as `ulimit -n` sets it."""
        self.home, self.port = home, port
        self.log_path = home.parent / f"host-{port}.log"
        self._log = self.log_path.open("w")

        def limit_files() -> None:  # runs in the child, before exec
            import resource

            assert open_files is not None
            resource.setrlimit(resource.RLIMIT_NOFILE, open_files)

        self.proc = subprocess.Popen(
            [PY, "-m", "ecmactl", "--home", str(home), "host", "run", "--port", str(port), *args],
            stdout=subprocess.DEVNULL,
            stderr=self._log,
            env=cli_env(),
            stdin=subprocess.DEVNULL,
            preexec_fn=limit_files if open_files is not None else None,
        )

    @property
    def log(self) -> str:
        return self.log_path.read_text()

    def wait_ready(self, deadline: float = START_DEADLINE) -> dict[str, Any]:
        """Poll `host status --json` until every connector is ready (or fail with the log)."""
        end = time.monotonic() + deadline
        last: dict[str, Any] = {}
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise AssertionError(f"host exited {self.proc.returncode}:\n{self.log}")
            done = ecmactl(self.home, "host", "status", "--json", timeout=30)
            if done.stdout.strip():
                last = json.loads(done.stdout)
                states = [c.get("state") for c in last.get("connectors", [])]
                if states and all(s == "ready" for s in states):
                    return last
            time.sleep(0.05)  # a poll interval, bounded by the deadline
        raise AssertionError(f"host not ready after {deadline}s: {last}\n{self.log}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout=timeout)
        finally:
            if self.proc.poll() is None:  # pragma: no cover - only when the test already failed
                self.proc.kill()
                self.proc.wait()
            self._log.close()
        return code

    def __enter__(self) -> HostProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# -- an in-process home ---------------------------------------------------------------------


def make_home(
    home: Home,
    *,
    cert: bool = True,
    connectors: tuple[str, ...] = ("SQL",),
    cert_now: datetime | None = None,
    cert_days: int = 730,
) -> Home:
    """Settings (host name localhost, file store), connectors over a table with a userName-bound
    anchor, their tokens (``token-of-<name>-123``), and a self-signed certificate."""
    save_settings(home, HostSettings(hostname="localhost", secret_store="file"))
    for name in connectors:
        save_connector(
            home,
            Connector(
                name=name,
                connectivity=Connectivity(database_url="sqlite:///{home}/data/x.db"),
                schema=Schema(
                    table="Employees",
                    anchor="Login",
                    columns=[Column("Login", "VARCHAR(64)", nullable=False, unique=True)],
                ),
                attributes=[Attribute("Login", "userName")],
                secret_token_ref=f"file:secrets/{name}.secret-token",
            ),
        )
        (home.root / "secrets").mkdir(exist_ok=True)
        (home.root / "secrets" / f"{name}.secret-token").write_text(f"token-of-{name}-123\n")
    if cert:
        bundle = create_self_signed(
            "localhost", key=cached_key("ec256"), now=cert_now, days=cert_days
        )
        write_bundle(bundle, home.certs_dir / "server.crt", home.certs_dir / "server.key")
    return home


# -- the host's status document ----------------------------------------------------------------


def import_status(connector: str, **fields: Any) -> dict[str, Any]:
    """A finished full import, as the status document has it (``ImportStatus``)."""
    return {
        "connector": connector,
        "kind": "full",
        "started": "2030-01-01T10:00:00Z",
        "finished": "2030-01-01T10:00:01Z",
        "duration_s": 0.2,
        "rows": 5,
        "result": "ok",
        "error": None,
        **fields,
    }


def connector_entry(name: str, **fields: Any) -> dict[str, Any]:
    """A ready connector's entry of the status document (``ConnectorStatus``)."""
    return {
        "name": name,
        "scim_path": f"/ecma2host_{name}/scim",
        "state": "ready",
        "cache_loaded": True,
        "cache_size": 5,
        "indexes": [],
        "autosync_minutes": 120,
        "next_sync_at": "2030-01-01T12:00:00Z",
        "import_running": False,
        "imported_rows": None,
        "import_total": None,
        "import_total_exact": None,
        "last_full_import": import_status(name),
        "last_delta_import": None,
        "delta": {"strategy": "None", "enabled": False, "watermark": None},
        "consecutive_failures": 0,
        "database_reachable": True,
        "authentication": {"ok": True, "error": None},
        "requests": {"total": 3, "2xx": 3, "3xx": 0, "4xx": 0, "5xx": 0},
        "last_error": None,
        "last_client_error": None,
        **fields,
    }


def status_document(entries: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    """The host's status document (``HostStatus``) with these connector entries."""
    return {
        "schema_version": STATUS_SCHEMA_VERSION,
        "version": __version__,
        "started": "2030-01-01T09:00:00Z",
        "uptime_s": 12.5,
        "serves_all": False,
        "reload": None,
        "connectors": {entry["name"]: entry for entry in entries},
        **fields,
    }


# -- a stand-in for ecmactl.host.Host -------------------------------------------------------------


class FakeHost:
    """The Host's contract with canned answers: enough for the runner and the status views."""

    def __init__(
        self,
        home: Home,
        settings: Any,
        connectors: list[Any],
        *,
        admin_token: str | None = None,
        tokens: dict[str, str] | None = None,
        state: str = "ready",
        fail_startup: BaseException | None = None,
        first_import: dict[str, Any] | None = None,
    ) -> None:
        from starlette.applications import Starlette
        from starlette.requests import Request
        from starlette.responses import JSONResponse, PlainTextResponse, Response
        from starlette.routing import Route

        self.names = [c.name for c in connectors]
        self.admin_token = admin_token
        self.tokens = tokens or {}
        self.state = state
        self.first_import = first_import or {"result": "ok", "rows": 5, "duration_s": 0.01}
        self.started = self.stopped = False
        self.slow_seconds = 0.0

        def authorised(request: Request, token: str | None) -> bool:
            return token is not None and request.headers.get("authorization") == f"Bearer {token}"

        async def health(request: Request) -> Response:
            return PlainTextResponse("ok")

        async def status(request: Request) -> Response:
            if not authorised(request, self.admin_token):
                return JSONResponse({"detail": "unauthorised"}, status_code=401)
            return JSONResponse(self.status())

        async def sync(request: Request) -> Response:
            if not authorised(request, self.admin_token):
                return JSONResponse({"detail": "unauthorised"}, status_code=401)
            return JSONResponse(await self.sync_now(request.query_params.get("connector")))

        async def scim(request: Request) -> Response:
            name = request.path_params["name"]
            if name not in self.names:
                return JSONResponse({"detail": "no such connector"}, status_code=404)
            if not authorised(request, self.tokens.get(name)):
                return JSONResponse({"detail": "bad token"}, status_code=401)
            if self.state == "importing":
                return JSONResponse(
                    {"detail": "importing"}, status_code=503, headers={"Retry-After": "5"}
                )
            if self.slow_seconds:
                import anyio

                await anyio.sleep(self.slow_seconds)
            if request.path_params["rest"] == "ServiceProviderConfig":
                return JSONResponse({"schemas": ["x"]})
            return JSONResponse(
                {"schemas": [LIST_RESPONSE], "totalResults": 0, "Resources": [], "startIndex": 1}
            )

        @contextlib.asynccontextmanager
        async def lifespan(app: Any) -> Any:
            if fail_startup is not None:
                raise fail_startup
            self.started = True
            yield
            self.stopped = True

        self.asgi = Starlette(
            routes=[
                Route("/health", health),
                Route("/_ecmactl/status", status),
                Route("/_ecmactl/sync", sync, methods=["POST"]),
                Route("/ecma2host_{name}/scim/{rest:path}", scim),
            ],
            lifespan=lifespan,
        )

    def status(self) -> dict[str, Any]:
        return status_document(
            [
                connector_entry(
                    name,
                    state=self.state,
                    last_full_import=import_status(name, **self.first_import),
                    database_reachable=self.state != "degraded",
                )
                for name in self.names
            ]
        )

    async def sync_now(self, connector: str | None = None) -> dict[str, Any]:
        names = [connector] if connector else self.names
        return {"connectors": {n: {"result": "ok", "rows": 5, "duration_s": 0.01} for n in names}}


class ThreadedServer:
    """``server.serve`` in a thread (signals are not handled there; stop via should_exit)."""

    def __init__(self, prepared: Any, host: Any) -> None:
        self.prepared, self.host = prepared, host
        self.result: Any = None
        self.error: BaseException | None = None
        self.server: Any = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        from ecmactl.host import server

        try:
            self.result = server.serve(
                self.prepared,
                host_factory=lambda *a, **k: self.host,
                on_server=lambda s: setattr(self, "server", s),
            )
        except BaseException as exc:
            self.error = exc

    @contextlib.contextmanager
    def running(self) -> Iterator[ThreadedServer]:
        self.thread.start()
        end = time.monotonic() + START_DEADLINE
        while time.monotonic() < end and self.thread.is_alive():
            if self.server is not None and self.server.started:
                break
            time.sleep(0.01)  # a poll interval, bounded by the deadline
        try:
            yield self
        finally:
            self.stop()

    def stop(self) -> None:
        if self.server is not None:
            self.server.should_exit = True
        if self.thread.is_alive():
            self.thread.join(timeout=20)
        assert not self.thread.is_alive()
