"""The status collector (`ecmactl.status`) and the `host status` / `agent status` views, with
fake HTTP answers: healthy, degraded (with remediation lines), not running (no run file, stale
PID), unknown (no answer, refused admin token, unreadable run files)."""

from __future__ import annotations

import io
import json
import os
import re
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from hostproc import connector_entry, make_home, status_document
from typer.testing import CliRunner

from ecmactl.cli import app
from ecmactl.home import Home
from ecmactl.host import runfile
from ecmactl.host.runfile import RunInfo
from ecmactl.status import collect_status, request_sync

ADMIN = "admin-token-for-tests"
DEAD_PID = 2**22 + 54321
Handler = Callable[[httpx.Request], httpx.Response]


def connector_status(**overrides: Any) -> dict[str, Any]:
    """Connector SQL's entry of the host's status document; ``last_error`` may be a message."""
    if isinstance(overrides.get("last_error"), str):
        overrides["last_error"] = {"message": overrides["last_error"], "at": None}
    return connector_entry(
        "SQL",
        requests={"total": 7, "2xx": 6, "3xx": 0, "4xx": 1, "5xx": 0},
        **overrides,
    )


def host_answers(
    *, connectors: list[dict[str, Any]] | None = None, status_code: int = 200
) -> Handler:
    """The host's side of the local channel, checking the admin and connector tokens."""

    def handle(request: httpx.Request) -> httpx.Response:
        auth = request.headers.get("authorization")
        if request.url.path == "/health":
            assert auth is None  # liveness is anonymous and carries no data
            return httpx.Response(200, text="ok")
        if request.url.path == "/_ecmactl/status":
            if auth != f"Bearer {ADMIN}":
                return httpx.Response(401)
            body = status_document(connectors or [connector_status()], uptime_s=3725.0)
            return httpx.Response(status_code, json=body)
        if request.url.path == "/_ecmactl/sync":
            assert auth == f"Bearer {ADMIN}"
            name = request.url.params.get("connector")
            if name not in (None, "SQL"):
                return httpx.Response(404, json={"detail": "no such connector"})
            return httpx.Response(
                200,
                json={"connectors": {"SQL": {"result": "ok", "rows": 5, "duration_s": 0.1}}},
            )
        if request.url.path.endswith("/ServiceProviderConfig"):
            if auth != "Bearer token-of-SQL-123":
                return httpx.Response(401)
            return httpx.Response(200, json={"schemas": ["x"]})
        return httpx.Response(404)

    return handle


def fake_clients(handler: Handler) -> Callable[..., httpx.Client]:
    def factory(run: RunInfo, certificate: Path, **_: Any) -> httpx.Client:
        assert certificate.name == "server.crt"
        return httpx.Client(base_url=run.local_url, transport=httpx.MockTransport(handler))

    return factory


@pytest.fixture
def status_home(home: Home) -> Home:
    return make_home(home)


def running(home: Home, pid: int | None = None) -> RunInfo:
    info = RunInfo(
        pid=pid or os.getpid(),
        bind="0.0.0.0",
        port=8585,
        hostname="localhost",
        started_at="2030-01-01T09:00:00Z",
        version="0.1.0",
        connectors=["SQL"],
        certificate=str(home.certs_dir / "server.crt"),
    )
    runfile.write_run_files(home, info, ADMIN)
    return info


# -- the collector ------------------------------------------------------------------------------


def test_healthy_agent_view(status_home: Home):
    running(status_home)
    report = collect_status(status_home, kind="agent", client_factory=fake_clients(host_answers()))
    assert report.state == "running" and report.exit_code == 0
    assert report.failing == []
    assert {c.name for c in report.checks} >= {
        "process",
        "endpoint",
        "certificate",
        "connector:SQL",
        "probe:SQL",
        "token:SQL",
    }
    (sql,) = report.connectors
    assert sql.tenant_url == "https://localhost:8585/ecma2host_SQL/scim"
    assert (sql.cache_size, sql.requests, sql.errors) == (5, 7, 0)
    assert sql.token_store == "file" and sql.token_ref == "file:secrets/SQL.secret-token"
    assert sql.probe is not None and sql.probe.status == 200
    assert report.certificate is not None and report.certificate.hostname_in_san
    assert report.uptime_s == 3725.0


def test_host_view_does_not_read_tokens(status_home: Home):
    running(status_home)
    report = collect_status(status_home, kind="host", client_factory=fake_clients(host_answers()))
    assert report.exit_code == 0
    assert not any(c.name.startswith(("token:", "probe:")) for c in report.checks)
    assert report.connectors[0].token_store is None


def test_degraded_connector_and_database_have_fixes(status_home: Home):
    running(status_home)
    sick = connector_status(
        state="degraded",
        database_reachable=False,
        last_error={
            "message": "database unreachable: connection refused",
            "at": "2030-01-01T11:00:00Z",
        },
    )
    report = collect_status(
        status_home, kind="host", client_factory=fake_clients(host_answers(connectors=[sick]))
    )
    assert report.state == "degraded" and report.exit_code == 1
    (failing,) = report.failing
    assert failing.name == "connector:SQL"
    assert "connection refused" in failing.detail
    assert "ecmactl configure connectivity --connector SQL" in (failing.advice or "")


def test_importing_is_degraded_with_progress(status_home: Home):
    running(status_home)
    busy = connector_status(state="importing", cache_size=0, imported_rows=12000)
    report = collect_status(
        status_home, kind="host", client_factory=fake_clients(host_answers(connectors=[busy]))
    )
    assert report.exit_code == 1
    assert "importing, 12,000 rows so far" in report.failing[0].detail


@pytest.mark.parametrize(
    ("exact", "said"),
    [(True, "12,000 of 48,000 rows (25%)"), (False, "12,000 of about 48,000 rows (25%)")],
)
def test_import_progress_has_a_total_and_one_number_format(
    status_home: Home, fake_host: Any, exact: bool, said: str
):
    """Progress read "1,000,000 rows so far" with no total or percentage, and 1000000 in
    one place but 1,000,000 in another. Now: rows of total (exact or "about") and a percentage,
    with separators in every human line and plain integers in JSON."""
    running(status_home)
    busy = connector_status(
        state="importing",
        cache_size=1234567,
        import_running=True,
        imported_rows=12000,
        import_total=48000,
        import_total_exact=exact,
    )
    fake_host(host_answers(connectors=[busy]))
    text = invoke(status_home, "host", "status")
    assert text.exit_code == 1
    assert f"Importing: {said}" in text.stdout
    assert f"SQL: importing, {said}; Entra is answered 503" in text.stdout
    assert "Cache: 1,234,567 users" in text.stdout
    document = json.loads(invoke(status_home, "host", "status", "--json").stdout)
    (connector,) = document["connectors"]
    assert connector["imported_rows"] == 12000 and connector["import_total"] == 48000
    assert connector["import_total_exact"] is exact


def test_a_wrong_token_in_the_store_fails_the_probe(status_home: Home):
    running(status_home)
    (status_home.root / "secrets" / "SQL.secret-token").write_text("another-token-456\n")
    report = collect_status(status_home, kind="agent", client_factory=fake_clients(host_answers()))
    assert report.exit_code == 1
    (failing,) = report.failing
    assert failing.name == "probe:SQL" and "(401)" in failing.detail


def test_an_expiring_certificate_is_a_failing_check(home: Home):
    make_home(home, cert_now=datetime.now(UTC) - timedelta(days=725), cert_days=730)
    running(home)
    report = collect_status(home, kind="agent", client_factory=fake_clients(host_answers()))
    assert report.exit_code == 1
    (failing,) = report.failing
    assert failing.name == "certificate" and failing.fix == "ecmactl cert renew"
    assert "expires in 4 days" in failing.detail


def test_no_run_file_is_not_running(status_home: Home):
    report = collect_status(status_home, kind="agent")
    assert report.state == "not_running" and report.exit_code == 3
    assert report.checks[0].fix == "ecmactl host run"
    assert report.connectors[0].token_store == "file"  # still useful when stopped


def test_stopped_tenant_url_comes_from_the_settings_or_is_unknown(status_home: Home):
    settings = status_home.settings_path
    settings.write_text(settings.read_text().replace('"localhost"', '"ecma01.contoso.test"'))
    (sql,) = collect_status(status_home, kind="host").connectors
    assert sql.tenant_url == "https://ecma01.contoso.test:8585/ecma2host_SQL/scim"

    # No usable settings and no run file: nothing to derive the URL from, so none is invented.
    for breakage in ("port = = 1\n", None):
        if breakage:
            settings.write_text(settings.read_text() + breakage)
        else:
            settings.unlink()
        report = collect_status(status_home, kind="agent")
        assert [c.tenant_url for c in report.connectors] == [None]
        assert "settings" in {c.name for c in report.failing}

    text = invoke(status_home, "agent", "status")
    assert text.exit_code == 3
    url_line = next(line for line in text.stdout.splitlines() if "Tenant URL" in line)
    assert url_line.split(": ", 1)[1] == "unknown - no usable host settings (see Settings below)"
    assert "✗ Settings: no host settings in" in text.stdout
    document = json.loads(invoke(status_home, "agent", "status", "--json").stdout)
    assert document["connectors"][0]["tenant_url"] is None

    # A host that ran here (stale run file) served a known URL: that one is shown.
    running(status_home, pid=DEAD_PID)
    (sql,) = collect_status(status_home, kind="host").connectors
    assert sql.tenant_url == "https://localhost:8585/ecma2host_SQL/scim"


def test_a_stale_pid_is_not_running(status_home: Home):
    running(status_home, pid=DEAD_PID)
    report = collect_status(status_home, kind="host")
    assert report.exit_code == 3 and report.stale
    assert f"PID {DEAD_PID}" in report.checks[0].detail and "did not stop cleanly" in (
        report.reason or ""
    )


def test_no_answer_is_unknown(status_home: Home):
    running(status_home)

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused")

    report = collect_status(status_home, client_factory=fake_clients(refuse))
    assert report.state == "unknown" and report.exit_code == 4
    assert "nothing answers" in (report.reason or "") and "connection refused" in (
        report.reason or ""
    )


def test_a_refused_admin_token_is_unknown(status_home: Home):
    running(status_home)
    runfile.token_file(status_home).write_text("someone-else\n")
    report = collect_status(status_home, client_factory=fake_clients(host_answers()))
    assert report.exit_code == 4 and "refused this home's admin token" in (report.reason or "")


def test_a_missing_admin_token_is_unknown(status_home: Home):
    running(status_home)
    runfile.token_file(status_home).unlink()
    report = collect_status(status_home, client_factory=fake_clients(host_answers()))
    assert report.exit_code == 4 and "admin-token is missing" in (report.reason or "")


def test_sync_request(status_home: Home):
    running(status_home)
    answer = request_sync(status_home, "SQL", client_factory=fake_clients(host_answers()))
    assert answer["connectors"]["SQL"]["result"] == "ok"


# -- the commands ---------------------------------------------------------------------------------


@pytest.fixture
def fake_host(monkeypatch: pytest.MonkeyPatch) -> Callable[[Handler], None]:
    def install(handler: Handler) -> None:
        factory = fake_clients(handler)
        monkeypatch.setattr("ecmactl.status.default_client", factory)

    return install


def invoke(home: Home, *args: str) -> Any:
    return CliRunner().invoke(app, ["--home", str(home.root), "--no-color", *args])


def test_agent_status_text_is_systemctl_like(status_home: Home, fake_host: Any):
    running(status_home)
    fake_host(host_answers())
    result = invoke(status_home, "agent", "status")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("● ecmactl agent - provisioning path of ")
    assert "      Active: active (running) since 2030-01-01T09:00:00Z; 1h 2min ago" in lines
    assert "    Main PID: " + str(os.getpid()) + " (ecmactl 0.1.0)" in lines
    assert any(line.startswith("    Endpoint: GET /health → 200 in ") for line in lines)
    assert "         Token: from the file store (file:secrets/SQL.secret-token)" in lines
    assert "token-of-SQL-123" not in result.output  # never the value
    assert lines[-1].endswith("checks pass.")


def test_host_status_degraded_prints_one_fix_per_failing_check(status_home: Home, fake_host: Any):
    running(status_home)
    fake_host(host_answers(connectors=[connector_status(state="degraded", last_error="boom")]))
    result = invoke(status_home, "host", "status")
    assert result.exit_code == 1
    assert "● ecmactl host - embedded SCIM host of" in result.stdout
    assert "✗ SQL: degraded (boom)" in result.stdout
    assert result.stdout.count("To fix") == 1


def test_status_json_has_checks(status_home: Home, fake_host: Any):
    running(status_home)
    fake_host(host_answers())
    result = invoke(status_home, "agent", "status", "--json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["schema"] == "ecmactl/agent-status/v1"
    assert document["state"] == "running" and document["exit_code"] == 0
    assert all(set(c) == {"name", "ok", "detail", "fix"} for c in document["checks"])
    assert document["connectors"][0]["token"]["store"] == "file"
    assert document["process"]["pid"] == os.getpid()


def test_host_status_when_stopped(status_home: Home):
    result = invoke(status_home, "host", "status")
    assert result.exit_code == 3
    assert result.stdout.splitlines()[0].startswith("○ ecmactl host")
    assert f"To fix, run: ecmactl --home {status_home.root} host run" in result.stdout


def test_host_sync_command(status_home: Home, fake_host: Any):
    running(status_home)
    fake_host(host_answers())
    result = invoke(status_home, "host", "sync", "--connector", "SQL")
    assert result.exit_code == 0, result.output
    assert "✓ SQL: synced (5 rows, 0.1 s)" in result.stdout


def slow_sync(polls: int = 3, total: int = 4000) -> Handler:
    """A host whose sync answers only after its status was asked ``polls`` times, each time
    with 1,000 more rows imported of ``total``."""
    base = host_answers()
    asked, seen = [0], threading.Event()

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/_ecmactl/sync":
            assert seen.wait(10), "the status was never asked while the sync ran"
            return httpx.Response(
                200,
                json={"connectors": {"SQL": {"result": "ok", "rows": total, "duration_s": 1.0}}},
            )
        if request.url.path == "/_ecmactl/status":
            asked[0] += 1
            if asked[0] >= polls:
                seen.set()
            rows = min(asked[0] * 1000, total)
            entry = connector_status(
                state="importing",
                import_running=True,
                imported_rows=rows,
                import_total=total,
                import_total_exact=False,
            )
            return httpx.Response(200, json=status_document([entry]))
        return base(request)

    return handle


@pytest.fixture
def quick_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ecmactl.status.sync.POLL_INTERVAL_S", 0.01)
    monkeypatch.setattr("ecmactl.cli._progress.PLAIN_EVERY_S", 0.0)


def test_host_sync_shows_progress_lines_without_a_terminal(
    status_home: Home, fake_host: Any, quick_polls: None
):
    """`host sync` was silent for the whole import."""
    running(status_home)
    fake_host(slow_sync())
    result = invoke(status_home, "host", "sync", "--connector", "SQL")
    assert result.exit_code == 0, result.output
    assert "SQL: imported 1,000 of about 4,000 rows (25%)" in result.stderr
    assert "SQL: imported 2,000 of about 4,000 rows (50%)" in result.stderr
    assert "✓ SQL: synced (4,000 rows, 1.0 s)" in result.stdout


@pytest.mark.parametrize("flag", ["--json", "--quiet"])
def test_host_sync_progress_stays_out_of_json_and_quiet(
    status_home: Home, fake_host: Any, monkeypatch: pytest.MonkeyPatch, flag: str
):
    import ecmactl.status

    asked: list[Any] = []
    real = ecmactl.status.request_sync

    def recording(*args: Any, **kwargs: Any) -> Any:
        asked.append(kwargs.get("on_progress"))
        return real(*args, **kwargs)

    monkeypatch.setattr(ecmactl.status, "request_sync", recording)
    running(status_home)
    fake_host(host_answers())
    args = ("--quiet", "host", "sync") if flag == "--quiet" else ("host", "sync", "--json")
    result = invoke(status_home, *args)
    assert result.exit_code == 0, result.output
    assert asked == [None]  # no status polling, so nothing to show
    if flag == "--json":
        document = json.loads(result.stdout)
        assert document["ok"] is True and document["result"]["connectors"]["SQL"]["rows"] == 5


def test_host_sync_draws_a_progress_bar_on_a_terminal(
    status_home: Home, fake_host: Any, quick_polls: None, monkeypatch: pytest.MonkeyPatch
):
    from rich.console import Console

    from ecmactl.cli import _output

    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=120, no_color=True)
    real = _output.console
    monkeypatch.setattr(_output, "console", lambda stderr=False: terminal if stderr else real())
    running(status_home)
    fake_host(slow_sync())
    result = invoke(status_home, "host", "sync")
    assert result.exit_code == 0, result.output
    drawn = screen.getvalue()
    assert "━" in drawn and "SQL" in drawn  # Rich's bar, then erased (transient)
    assert re.search(r"SQL ━+ +[\d,]+ of about 4,000 rows \(\d+%\)", drawn)
    assert "SQL: imported" not in drawn  # no plain lines on a terminal
    assert "✓ SQL: synced (4,000 rows, 1.0 s)" in result.stdout


def test_host_sync_unknown_connector(status_home: Home, fake_host: Any):
    running(status_home)
    fake_host(host_answers())
    result = invoke(status_home, "host", "sync", "--connector", "sql")
    assert result.exit_code == 2  # not in the home: bad input, before asking the host
    assert "there is no connector named 'sql'" in result.stderr


def test_host_sync_connector_the_host_does_not_serve(status_home: Home, fake_host: Any):
    make_home(status_home, connectors=("SQL", "HR"))  # HR added after the host started
    running(status_home)
    fake_host(host_answers())
    result = invoke(status_home, "host", "sync", "--connector", "HR")
    assert result.exit_code == 1
    assert "serves no connector named 'HR'" in result.stderr


def test_host_sync_when_stopped(status_home: Home):
    result = invoke(status_home, "host", "sync")
    assert result.exit_code == 3 and "no host is running" in result.stderr


@pytest.mark.parametrize(
    ("change", "said", "fix"),
    [
        (
            {"schema_version": 2, "version": "9.0.0"},
            "the host (ecmactl 9.0.0) sends status document version 2; this ecmactl",
            "Upgrade ecmactl here to the host's version.",
        ),
        ({"schema_version": None}, "without a schema version", "Restart the host"),
        ({"uptime_s": "long"}, "uptime_s: expected a number or null", "same ecmactl"),
    ],
)
def test_a_status_document_of_another_version_is_unknown_with_the_reason(
    status_home: Home, fake_host: Any, change: dict[str, Any], said: str, fix: str
):
    """A host of another version: exit 4 (unknown) with what differs and the fix, no trace."""
    running(status_home)
    base = host_answers()

    def other_version(request: httpx.Request) -> httpx.Response:
        answer = base(request)
        if request.url.path != "/_ecmactl/status":
            return answer
        body = answer.json()
        body.update(change)
        if body["schema_version"] is None:
            del body["schema_version"]
        return httpx.Response(200, json=body)

    fake_host(other_version)
    result = invoke(status_home, "host", "status")
    assert result.exit_code == 4, result.output
    assert said in result.stdout and fix in result.stdout
    assert "Traceback" not in result.output
    document = json.loads(invoke(status_home, "host", "status", "--json").stdout)
    assert document["state"] == "unknown" and said in document["reason"]
