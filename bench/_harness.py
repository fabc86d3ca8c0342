"""Shared helpers of the host benchmarks (``bench/*.py``): homes, synthetic users, host
subprocesses, wrk runs, the machine description and the Markdown rows.

Everything runs on this machine and talks only to 127.0.0.1. A benchmark builds its home the
product's own way (``ecmactl init --sample --no-input``), bulk-inserts synthetic users straight
into the sample SQLite database with the standard library, and starts the real host with
``python -m ecmactl --home H host run --port P`` as a subprocess. Homes go to a fresh temporary
directory (``$ECMACTL_BENCH_DIR`` or the system's), removed afterwards unless ``--keep``.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import os
import platform
import random
import shutil
import signal
import socket
import sqlite3
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WRK_DIR = BENCH / "wrk"
PYTHON = sys.executable
CONNECTOR = "SQL"
SCIM = f"/ecma2host_{CONNECTOR}/scim"
USERS = f"{SCIM}/Users"
FIRST_NAMES = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken"]
LAST_NAMES = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson"]


class BenchError(Exception):
    """The benchmark could not run (not a missed target): message for stderr, exit 2."""


# -- the machine ------------------------------------------------------------------------------


def require_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise BenchError(
            "wrk is not installed: `apt-get install wrk` (Debian/Ubuntu), `brew install wrk` "
            "(macOS); the benchmark needs it as its load generator"
        )
    return path


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _ram_gib() -> str:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return "?"


def _os_name() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return f"{line.split('=', 1)[1].strip(chr(34))}, kernel {platform.release()}"
    return platform.platform()


_STACK = r"""
import json, platform, sqlite3
from importlib import metadata
def v(name):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
print(json.dumps({
    "python": f"{platform.python_implementation()} {platform.python_version()}",
    "uvicorn": v("uvicorn"), "starlette": v("starlette"), "h11": v("h11"),
    "httptools": v("httptools"), "uvloop": v("uvloop"), "sqlite": sqlite3.sqlite_version,
}))
"""


def server_stack(python: str = PYTHON) -> dict[str, str]:
    """What the server processes run on: Python, uvicorn, its HTTP parser and event loop (what
    uvicorn's "auto" picks: httptools and uvloop when installed, else h11 and asyncio)."""
    out = subprocess.run([python, "-c", _STACK], capture_output=True, text=True, check=True)
    v = json.loads(out.stdout)
    return {
        "python": v["python"],
        "uvicorn": v["uvicorn"] or "not installed",
        "starlette": v["starlette"] or "not installed",
        "http": f"httptools {v['httptools']}" if v["httptools"] else f"h11 {v['h11']}",
        "loop": f"uvloop {v['uvloop']}" if v["uvloop"] else "asyncio",
        "sqlite": v["sqlite"],
    }


def _wrk_version() -> str:
    path = shutil.which("wrk")
    if path is None:
        return "not installed"
    out = subprocess.run([path, "-v"], capture_output=True, text=True).stdout
    return out.split("[")[0].strip() or "?"


def machine(python: str = PYTHON) -> dict[str, str]:
    """What RESULTS.md records about the machine of a run."""
    return {
        "cpu": f"{_cpu_model()}, {os.cpu_count()} cores",
        "ram": _ram_gib(),
        "os": _os_name(),
        **server_stack(python),
        "wrk": _wrk_version(),
    }


def machine_line(python: str = PYTHON) -> str:
    m = machine(python)
    return (
        f"<!-- machine: {m['cpu']}; {m['ram']}; {m['os']}; {m['python']}; uvicorn {m['uvicorn']} "
        f"({m['http']}, {m['loop']}); starlette {m['starlette']}; SQLite {m['sqlite']}; "
        f"{m['wrk']} -->"
    )


# -- homes and users ----------------------------------------------------------------------------


def scratch(name: str) -> Path:
    parent = os.environ.get("ECMACTL_BENCH_DIR") or None
    return Path(tempfile.mkdtemp(prefix=f"ecmactl-bench-{name}-", dir=parent))


def ecmactl(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    cmd = [PYTHON, "-m", "ecmactl", "--home", str(home), *args]
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    if check and result.returncode != 0:
        raise BenchError(f"`{' '.join(cmd)}` exited {result.returncode}: {result.stderr.strip()}")
    return result


def init_home(home: Path) -> Path:
    """A home with the sample connector SQL on H/data/contoso.db (5 sample users)."""
    ecmactl(
        home, "init", "--sample", "--no-input", "--secret-store", "file", "--hostname", "localhost"
    )
    return home


def db_path(home: Path) -> Path:
    return home / "data" / "contoso.db"


def token(home: Path) -> str:
    return (home / "secrets" / f"{CONNECTOR}.secret-token").read_text().strip()


def login(i: int, prefix: str = "user") -> str:
    return f"{prefix}{i:07d}"


def _user_rows(start: int, count: int, prefix: str) -> Iterator[tuple[Any, ...]]:
    rng = random.Random(start)
    for i in range(start, start + count):
        name = login(i, prefix)
        yield (
            name,
            FIRST_NAMES[i % len(FIRST_NAMES)],
            LAST_NAMES[(i // len(FIRST_NAMES)) % len(LAST_NAMES)],
            f"{name}@contoso.com",
            str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            f"T{i:07d}",
        )


def insert_users(db: Path, count: int, *, start: int = 0, prefix: str = "user") -> float:
    """Bulk-insert synthetic users (one transaction); InternalGUID, AccountDisabled and
    LastModified come from the table's defaults. Returns the seconds it took."""
    began = time.perf_counter()
    conn = sqlite3.connect(db)
    try:
        with conn:
            conn.executemany(
                "INSERT INTO Employees (ContosoLogin, FirstName, LastName, Email, AzureID, textID)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                _user_rows(start, count, prefix),
            )
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return time.perf_counter() - began


def count_rows(db: Path, where: str = "", params: Sequence[Any] = ()) -> int:
    conn = sqlite3.connect(db)
    try:
        sql = "SELECT count(*) FROM Employees" + (f" WHERE {where}" if where else "")
        return int(conn.execute(sql, params).fetchone()[0])
    finally:
        conn.close()


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(os.environ.get("ECMACTL_BENCH_CACHE") or Path(base) / "ecmactl-bench")


def _schema_key(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        sql = [r[0] or "" for r in conn.execute("SELECT sql FROM sqlite_master ORDER BY name")]
        sample = conn.execute("SELECT ContosoLogin FROM Employees ORDER BY rowid").fetchall()
    finally:
        conn.close()
    return hashlib.sha256(repr((sql, sample)).encode()).hexdigest()[:12]


def populate(home: Path, users: int) -> float:
    """Add ``users`` synthetic users to the home's sample database; seconds it took.

    The first time for a given size and schema the users are inserted (1,000,000 take ~15 s)
    and the database file (with the sample's five users of that first time) is kept in
    ``$ECMACTL_BENCH_CACHE`` (default ``~/.cache/ecmactl-bench``); later runs copy that file
    over the fresh one."""
    db = db_path(home)
    began = time.perf_counter()
    if users <= 0:
        return 0.0
    cached = _cache_dir() / f"contoso-{users}-{_schema_key(db)}.db"
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{db}{suffix}").unlink()
    if cached.exists():
        shutil.copyfile(cached, db)
    else:
        insert_users(db, users)
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".partial")
        shutil.copyfile(db, partial)
        partial.replace(cached)
    return time.perf_counter() - began


def home_with_users(name: str, users: int) -> tuple[Path, Path, float]:
    """(scratch dir, home, seconds the users took) with ``users`` synthetic users besides the
    sample's five."""
    root = scratch(name)
    home = init_home(root / "home")
    return root, home, populate(home, users)


# -- processes ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def proc_status_kib(pid: int, field_name: str) -> int | None:
    """A ``/proc/<pid>/status`` memory field (VmHWM: peak RSS, VmRSS: current) in KiB."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    return None


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a process so far."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return None


def tls_client_context(cafile: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(cafile))


class Https:
    """One keep-alive HTTPS connection to 127.0.0.1, verifying the home's certificate."""

    def __init__(self, port: int, cafile: Path, timeout: float = 30.0) -> None:
        self.port, self.context, self.timeout = port, tls_client_context(cafile), timeout
        self.conn: http.client.HTTPSConnection | None = None

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        if self.conn is None:
            self.conn = http.client.HTTPSConnection(
                "127.0.0.1", self.port, context=self.context, timeout=self.timeout
            )
        data = None if body is None else json.dumps(body).encode()
        hdrs = {"Content-Type": "application/scim+json"} if data is not None else {}
        hdrs.update(headers or {})
        try:
            self.conn.request(method, path, body=data, headers=hdrs)
            response = self.conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        text = raw.decode("utf-8", "replace")
        try:
            return response.status, json.loads(text) if text else None
        except ValueError:
            return response.status, text

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


@dataclass
class HostProcess:
    """``python -m ecmactl --home H host run --port P`` as a subprocess, with its readiness."""

    home: Path
    port: int = field(default_factory=free_port)
    log_level: str = "info"  # the product's default: one access-log line per request
    python: str = PYTHON
    proc: subprocess.Popen[bytes] | None = None
    spawned_at: float = 0.0
    ready_after_s: float | None = None  # spawn → status says the connector is ready
    _admin: Https | None = None

    @property
    def log_file(self) -> Path:
        return self.home / f"host-{self.port}.log"

    @property
    def cafile(self) -> Path:
        return self.home / "certs" / "server.crt"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self) -> HostProcess:
        cmd = [
            self.python, "-m", "ecmactl", "--home", str(self.home), "host", "run",
            "--port", str(self.port), "--log-level", self.log_level,
            "--log-file", str(self.log_file),
        ]  # fmt: skip
        env = {**os.environ, "NO_COLOR": "1", **SERVER_ENV}
        self.spawned_at = time.perf_counter()
        with self.stderr_file.open("ab") as stderr:  # a file: a full pipe would block the host
            self.proc = subprocess.Popen(
                cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=stderr,
            )  # fmt: skip
        return self

    @property
    def stderr_file(self) -> Path:
        return self.home / f"host-{self.port}.stderr"

    def _fail(self, why: str) -> BenchError:
        tails = [
            path.read_text(errors="replace")[-2000:]
            for path in (self.stderr_file, self.log_file)
            if path.exists()
        ]
        return BenchError("\n".join([f"host: {why}", *tails]))

    def status(self) -> dict[str, Any]:
        """The host's own status document (``GET /_ecmactl/status`` with the admin token)."""
        if self._admin is None:
            self._admin = Https(self.port, self.cafile, timeout=10.0)
        admin = (self.home / "run" / "admin-token").read_text().strip()
        code, body = self._admin.request(
            "GET", "/_ecmactl/status", headers={"Authorization": f"Bearer {admin}"}
        )
        if code != 200 or not isinstance(body, dict):
            raise self._fail(f"status answered {code}: {body!r:.300}")
        return body

    def connector(self) -> dict[str, Any]:
        return self.status()["connectors"][CONNECTOR]  # type: ignore[no-any-return]

    def wait_ready(self, timeout: float = 120.0, poll: float = 0.1) -> dict[str, Any]:
        """Wait until the first full import succeeded; the connector's status then."""
        assert self.proc is not None
        deadline = time.perf_counter() + timeout
        run_file = self.home / "run" / "host.json"
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise self._fail(f"exited {self.proc.returncode} before it was ready")
            if run_file.exists() and (self.home / "run" / "admin-token").exists():
                try:
                    conn = self.connector()
                except (OSError, http.client.HTTPException, KeyError, ValueError):
                    conn = None
                if conn is not None:
                    last = conn.get("last_full_import") or {}
                    if conn.get("cache_loaded") and last.get("result") == "ok":
                        self.ready_after_s = time.perf_counter() - self.spawned_at
                        return conn
                    if last.get("result") == "failed":
                        raise self._fail(f"the first import failed: {last.get('error')}")
            time.sleep(poll)
        raise self._fail(f"not ready after {timeout:.0f} s")

    def peak_rss_mib(self) -> float | None:
        kib = proc_status_kib(self.pid, "VmHWM")
        return None if kib is None else kib / 1024

    def rss_mib(self) -> float | None:
        kib = proc_status_kib(self.pid, "VmRSS")
        return None if kib is None else kib / 1024

    def stop(self, timeout: float = 30.0) -> int | None:
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        if self.proc is None or self.proc.poll() is not None:
            return None if self.proc is None else self.proc.returncode
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()

    def __enter__(self) -> HostProcess:
        return self.start() if self.proc is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass
class BaselineProcess:
    """``bench/baseline_app.py``: the bare Starlette endpoint on the same server stack."""

    home: Path
    port: int = field(default_factory=free_port)
    python: str = PYTHON
    proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    @property
    def stderr_file(self) -> Path:
        return self.home / f"baseline-{self.port}.stderr"

    def start(self) -> BaselineProcess:
        cmd = [self.python, str(BENCH / "baseline_app.py"), "--home", str(self.home),
               "--port", str(self.port)]  # fmt: skip
        env = {**os.environ, **SERVER_ENV}
        with self.stderr_file.open("ab") as stderr:
            self.proc = subprocess.Popen(
                cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=stderr,
            )  # fmt: skip
        return self

    def wait_ready(self, timeout: float = 60.0) -> None:
        assert self.proc is not None
        client = Https(self.port, self.home / "certs" / "server.crt", timeout=5.0)
        deadline = time.perf_counter() + timeout
        try:
            while time.perf_counter() < deadline:
                if self.proc.poll() is not None:
                    err = self.stderr_file.read_text(errors="replace")[-2000:]
                    raise BenchError(f"baseline exited {self.proc.returncode}: {err}")
                with contextlib.suppress(OSError, http.client.HTTPException):
                    if client.request("GET", "/health")[0] == 200:
                        return
                time.sleep(0.1)
        finally:
            client.close()
        raise BenchError(f"baseline not ready after {timeout:.0f} s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self) -> BaselineProcess:
        return self.start() if self.proc is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# -- other load on the machine ---------------------------------------------------------------------
# The benchmarks share 2 cores with whatever else runs (a test suite, a build). They wait for a
# quiet machine before each measurement (bounded) and report how much CPU others used during it.


def _jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    total = sum(fields[:8])  # guest time is already in user
    return total - idle, total


QUIET_WAIT_S = 10.0  # set from --quiet-wait
SERVER_ENV: dict[str, str] = {}  # set from --server-env: for the host and baseline processes


def wait_quiet(
    max_wait: float | None = None, threshold: float = 0.2, ours: Sequence[int] = ()
) -> float:
    """Wait (at most ``max_wait`` s) until the machine is idle but for ``ours`` (pids whose CPU
    does not count): fewer than ``threshold`` cores busy over one second. The busy cores seen
    last; a warning on stderr when it gave up."""
    deadline = time.perf_counter() + (QUIET_WAIT_S if max_wait is None else max_wait)
    waited = False
    while True:
        meter = CpuMeter(ours)
        time.sleep(1.0)
        others = meter.stop()["others_cores"]
        if others < threshold:
            if waited:
                print(f"<!-- machine quiet again ({others:.2f} cores busy) -->", file=sys.stderr)
            return others
        if time.perf_counter() >= deadline:
            print(
                f"<!-- warning: {others:.2f} cores busy with other work; measuring anyway -->",
                file=sys.stderr,
            )
            return others
        if not waited:
            print(
                f"<!-- waiting for a quiet machine ({others:.2f} cores busy) -->", file=sys.stderr
            )
            waited = True


class CpuMeter:
    """CPU used during a measurement: by the given pids (the server), by our finished children
    (wrk), and by everything else on the machine ("others")."""

    def __init__(self, pids: Sequence[int] = ()) -> None:
        self.pids = list(pids)
        self.began = time.perf_counter()
        self.busy0, _ = _jiffies()
        self.pid_cpu0 = {pid: cpu_seconds(pid) or 0.0 for pid in self.pids}
        self.children0 = _children_cpu()

    def stop(self) -> dict[str, float]:
        elapsed = time.perf_counter() - self.began
        busy = (_jiffies()[0] - self.busy0) / os.sysconf("SC_CLK_TCK")
        server = sum((cpu_seconds(p) or 0.0) - c0 for p, c0 in self.pid_cpu0.items())
        children = _children_cpu() - self.children0
        return {
            "elapsed_s": elapsed,
            "server_cores": server / elapsed,
            "client_cores": children / elapsed,
            "others_cores": max(busy - server - children, 0.0) / elapsed,
        }


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# -- wrk -----------------------------------------------------------------------------------


def run_wrk(
    script: str,
    port: int,
    path: str,
    *,
    connections: int,
    threads: int,
    duration: float,
    args: Sequence[str] = (),
    timeout_s: int = 10,
    stop_after_threads: bool = False,
) -> dict[str, Any]:
    """Run wrk with a script of ``bench/wrk`` whose ``done()`` prints one ``WRKJSON {…}`` line;
    that JSON, with wrk's text output under ``"text"``.

    ``stop_after_threads``: the script prints one ``WRKTHREAD {…}`` line per thread when that
    thread is done; once every thread has, wrk is interrupted (SIGINT: it stops and still prints
    its summary) instead of waiting out ``duration``, which is then only a time limit. The
    threads' JSON is under ``"threads"``."""
    wrk = require_wrk()
    cmd = [
        wrk, f"-t{threads}", f"-c{connections}", f"-d{max(round(duration), 1)}s",
        f"--timeout={timeout_s}s", "-s", str(WRK_DIR / script),
        f"https://127.0.0.1:{port}{path}", "--", *args,
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    per_thread: list[dict[str, Any]] = []
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("WRKTHREAD "):
                per_thread.append(json.loads(line[len("WRKTHREAD ") :]))
                if stop_after_threads and len(per_thread) == threads:
                    proc.send_signal(signal.SIGINT)
        proc.wait(timeout=duration + 120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    stdout = "".join(lines)
    stderr = proc.stderr.read() if proc.stderr else ""
    for line in lines:
        if line.startswith("WRKJSON "):
            data: dict[str, Any] = json.loads(line[len("WRKJSON ") :])
            data["text"] = stdout
            data["threads"] = per_thread
            return data
    raise BenchError(f"wrk printed no result (exit {proc.returncode}):\n{stdout}\n{stderr}")


# -- profiles --------------------------------------------------------------------------------------


def find_py_spy(given: str | None = None) -> str:
    path = given or shutil.which("py-spy") or shutil.which("py-spy", path=str(Path(PYTHON).parent))
    if not path:
        raise BenchError(
            "py-spy is not installed: `python3 -m venv /tmp/pyspy && /tmp/pyspy/bin/pip install "
            "py-spy`, then pass --py-spy /tmp/pyspy/bin/py-spy"
        )
    return path


class Profiler:
    """``py-spy record`` of a server process (GIL-holding samples, so idle waits are left out)
    into collapsed stacks, and a summary of where the time went."""

    def __init__(self, py_spy: str, pid: int, seconds: float, out: Path, rate: int = 250) -> None:
        self.out = out
        cmd = [py_spy, "record", "--pid", str(pid), "--duration", str(max(int(seconds), 1)),
               "--rate", str(rate), "--format", "raw", "--gil", "--nonblocking",
               "--output", str(out)]  # fmt: skip
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def stop(self) -> None:
        """End the recording now (py-spy writes what it has on SIGINT)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        self.wait()

    def wait(self) -> None:
        _, err = self.proc.communicate(timeout=120)
        if self.proc.returncode != 0 or not self.out.exists():
            raise BenchError(f"py-spy failed: {err.decode(errors='replace')[-1000:]}")


def _frame_name(frame: str) -> str:
    """``func (/long/path/pkg/file.py:12)`` → ``func (pkg/file.py)``."""
    name, _, where = frame.partition(" (")
    if not where:
        return frame
    path = where.rstrip(")").rsplit(":", 1)[0]
    return f"{name} ({'/'.join(Path(path).parts[-2:])})"


def summarize_profile(collapsed: Path, top: int = 20) -> list[str]:
    """Markdown lines: the functions with the most samples on top of the stack (self), and the
    ones most often anywhere on it (inclusive; frames on nearly every stack, such as the event
    loop's, left out), as a share of all samples."""
    self_counts: dict[str, int] = {}
    incl_counts: dict[str, int] = {}
    total = 0
    for line in collapsed.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        try:
            count = int(count_text)
        except ValueError:
            continue
        frames = [_frame_name(f) for f in stack.split(";") if f and not f.startswith("process ")]
        if not frames:
            continue
        total += count
        self_counts[frames[-1]] = self_counts.get(frames[-1], 0) + count
        for frame in set(frames):
            incl_counts[frame] = incl_counts.get(frame, 0) + count
    if total == 0:
        return ["(no samples)"]
    lines = [f"{total} samples with the GIL held.", "", "| self % | function |", "|---|---|"]
    for name, count in sorted(self_counts.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"| {100 * count / total:.1f} | `{name}` |")
    lines += ["", "| inclusive % | function |", "|---|---|"]
    shown = [(n, c) for n, c in incl_counts.items() if c < 0.8 * total]
    for name, count in sorted(shown, key=lambda kv: -kv[1])[: top * 2]:
        lines.append(f"| {100 * count / total:.1f} | `{name}` |")
    return lines


# -- results -------------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def cpu_us_per(result: dict[str, Any], count: float) -> float:
    """Server CPU microseconds per unit of work (request, create) in one measurement."""
    cpu = result["cpu"]
    return float(cpu["server_cores"] * cpu["elapsed_s"] / max(count, 1) * 1e6)


def fmt_runs(values: Sequence[float], digits: int = 2) -> str:
    return " / ".join(f"{v:.{digits}f}" for v in values)


def table_header() -> str:
    return (
        "| benchmark | target | measured (median; runs) | floor, same run | ratio to floor "
        "| result |\n"
        "|---|---|---|---|---|---|"
    )


def row(name: str, target: str, measured: str, floor: str, ratio: str, ok: bool) -> str:
    return (
        f"| {name} | {target} | {measured} | {floor} | {ratio} | {'met' if ok else '**MISSED**'} |"
    )


def report(rows: list[str], ok: bool, extra: Sequence[str] = (), python: str = PYTHON) -> int:
    """Print the machine line, the table and notes; the exit code (0 met, 1 missed)."""
    print(machine_line(python))
    print(table_header())
    for line in rows:
        print(line)
    for line in extra:
        print(line)
    return 0 if ok else 1


def add_host_bench_args(
    parser: Any,
    *,
    profile_help: str = "py-spy the host during the last run and write the "
    "summary to this Markdown file (the raw stacks beside it)",
) -> None:
    """The options of every benchmark of the running host (besides its own)."""
    parser.add_argument("--log-level", default="info", help="the host's --log-level")
    parser.add_argument("--keep", action="store_true", help="keep the scratch home")
    parser.add_argument("--profile", type=Path, help=profile_help)
    parser.add_argument("--py-spy", help="py-spy executable (default: on PATH)")
    add_python_arg(parser)


def add_python_arg(parser: Any) -> None:
    """The options every benchmark has: --python and --quiet-wait."""
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=QUIET_WAIT_S,
        help="seconds to wait, before each measurement, for other processes to leave the CPU "
        f"alone (default {QUIET_WAIT_S:g}; then it measures anyway and says so)",
    )
    parser.add_argument(
        "--server-env",
        action="append",
        metavar="KEY=VALUE",
        help="an environment variable for the server processes (repeatable), for experiments "
        "such as PYTHONPATH=DIR with a sitecustomize.py",
    )
    parser.add_argument(
        "--python",
        default=PYTHON,
        help="interpreter that runs the servers (default: this one); e.g. a venv that also "
        "has uvloop and httptools, to measure the host on uvicorn's faster stack",
    )


def apply_common(args: Any) -> None:
    global QUIET_WAIT_S
    QUIET_WAIT_S = float(args.quiet_wait)
    for item in args.server_env or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise SystemExit(f"--server-env wants KEY=VALUE, not {item!r}")
        SERVER_ENV[key] = value


def cleanup(root: Path, keep: bool) -> None:
    if keep:
        print(f"<!-- kept {root} -->", file=sys.stderr)
    else:
        shutil.rmtree(root, ignore_errors=True)


def main_guard(run: Any) -> None:
    """Run a benchmark's main; BenchError → message and exit 2 (could not measure)."""
    try:
        code = run()
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(code)
