"""The access log: one structured line per request, no query values, bodies masked at DEBUG."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Env
from hostkit import ROOT, patch_body, running, user_body

from ecmactl.host import ACCESS_LOGGER, configure_logging
from ecmactl.host.logs import JsonFormatter, TextFormatter, log_request, mask_secrets, scrub


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger("ecmactl")
    handlers, level, propagate = list(root.handlers), root.level, root.propagate
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    root.propagate = propagate


def _access(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == ACCESS_LOGGER and r.levelno == logging.INFO]


@pytest.mark.anyio
async def test_one_line_per_request_without_query_values(
    mem_env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)
    async with running(mem_env.host) as client:
        await client.get(f"{ROOT}/Users", params={"filter": 'userName eq "avance"', "count": "5"})
        await client.post(f"{ROOT}/Users", json=user_body("logme"))
        await client.get("/ecma2host_nope/scim/Users")
    first, second, third = _access(caplog)
    assert first.connector == "contoso" and first.method == "GET"  # type: ignore[attr-defined]
    assert first.path == f"{ROOT}/Users" and first.params == "filter,count"  # type: ignore[attr-defined]
    assert first.status == 200 and first.anchor == "avance"  # type: ignore[attr-defined]
    assert isinstance(first.duration_ms, float)  # type: ignore[attr-defined]
    assert "avance" not in first.params  # type: ignore[attr-defined]
    assert second.status == 201 and second.anchor == "logme"  # type: ignore[attr-defined]
    assert third.connector == "-" and third.status == 404  # type: ignore[attr-defined]
    assert "userName eq" not in caplog.text


@pytest.mark.anyio
async def test_a_crafted_id_cannot_forge_a_log_line(
    mem_env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)
    async with running(mem_env.host) as client:
        await client.get(f"{ROOT}/Users/a%0Afake%20status=200")
    (record,) = _access(caplog)
    assert "\n" not in record.getMessage() and "%0A" in record.getMessage()


@pytest.mark.anyio
async def test_bodies_only_at_debug_and_masked(
    mem_env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    async with running(mem_env.host) as client:
        caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)
        await client.post(f"{ROOT}/Users", json=user_body("a1", password="hunter2-secret"))
        assert "hunter2" not in caplog.text and "body=" not in caplog.text
        caplog.set_level(logging.DEBUG, logger=ACCESS_LOGGER)
        await client.post(f"{ROOT}/Users", json=user_body("a2", password="hunter2-secret"))
        await client.patch(
            f"{ROOT}/Users/a2",
            json=patch_body({"op": "replace", "path": "password", "value": "hunter3-secret"}),
        )
    bodies = [r.getMessage() for r in caplog.records if "body=" in r.getMessage()]
    assert len(bodies) == 2
    assert "hunter" not in caplog.text and '"password": "***"' in bodies[0]
    assert '"userName": "a2"' in bodies[0]


@pytest.mark.anyio
async def test_debug_logging_of_a_refused_body_is_no_500(
    mem_env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    # At DEBUG the body was parsed for the log with json.loads: a body nested 1,000 deep was a
    # RecursionError there (a 500), whatever the request's own parser said.
    caplog.set_level(logging.DEBUG, logger=ACCESS_LOGGER)
    async with running(mem_env.host) as client:
        deep = await client.post(f"{ROOT}/Users", content=b"[" * 1000 + b"]" * 1000)
        lone = await client.patch(f"{ROOT}/Users/avance", content=b'{"userName": "a\\ud800"}')
    assert (deep.status_code, lone.status_code) == (400, 400)
    bodies = [r.getMessage() for r in caplog.records if "body=" in r.getMessage()]
    assert bodies == [
        "connector=contoso method=POST path=/ecma2host_contoso/scim/Users "
        "body=<2000 bytes, not JSON the host accepts>",
        "connector=contoso method=PATCH path=/ecma2host_contoso/scim/Users/avance "
        "body=<23 bytes, not JSON the host accepts>",
    ]


def test_mask_and_scrub() -> None:
    doc = {
        "password": "x",
        "nested": [{"SecretToken": "y", "ok": 1}],
        "urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User:export_password": "z",
        "Operations": [{"op": "add", "path": "password", "value": "w"}],
    }
    masked = mask_secrets(doc)
    assert masked["password"] == "***"
    assert masked["nested"][0] == {"SecretToken": "***", "ok": 1}
    assert masked["Operations"][0]["value"] == "***"
    assert set(json.dumps(masked).split('"')) & {"y", "z", "w"} == set()
    assert scrub("postgresql://ecma:p@ss@db:5432/x") == "postgresql://ecma:***@db:5432/x"
    assert scrub("Driver=x;PWD=hunter2;Server=y") == "Driver=x;PWD=***;Server=y"


def test_formatters() -> None:
    record = logging.LogRecord(
        ACCESS_LOGGER, logging.INFO, "f", 1, "connector=c status=200", (), None
    )
    record.connector, record.status = "c", 200
    line = json.loads(JsonFormatter().format(record))
    assert line["connector"] == "c" and line["status"] == 200 and line["level"] == "INFO"
    assert line["time"].endswith("Z") and line["message"] == "request"
    text = TextFormatter().format(record)
    assert text.endswith("INFO ecmactl.host.access connector=c status=200")


@pytest.mark.anyio
async def test_configure_logging_to_a_json_file(
    mem_env: Env, tmp_path: Path, restore_logging: None
) -> None:
    path = tmp_path / "logs" / "host.log"
    configure_logging("info", "json", path)
    configure_logging("info", "json", path)  # again: replaces its handler, no duplicate lines
    async with running(mem_env.host) as client:
        await client.get(f"{ROOT}/Users/avance")
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    access = [line for line in lines if line["logger"] == ACCESS_LOGGER]
    assert len(access) == 1 and access[0]["anchor"] == "avance" and access[0]["status"] == 200
    assert any("full import done" in line["message"] for line in lines)


def test_access_lines_are_the_records_logger_info_would_make(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)
    log_request("contoso", "GET", "/ecma2host_contoso/scim/Users", "filter", 200, 1.234, "a b")
    (record,) = _access(caplog)
    assert record.getMessage() == (
        "connector=contoso method=GET path=/ecma2host_contoso/scim/Users params=filter "
        'status=200 duration_ms=1.23 anchor="a b"'
    )
    reference = logging.LogRecord(ACCESS_LOGGER, logging.INFO, __file__, 1, "m", (), None)
    for attribute in vars(reference):  # every attribute a formatter or handler may read
        assert hasattr(record, attribute), attribute
    assert record.status == 200 and record.anchor == "a b"  # type: ignore[attr-defined]
    assert record.process == reference.process and record.thread == reference.thread


def test_access_lines_are_flushed_soon_and_other_records_at_once(
    tmp_path: Path, restore_logging: None
) -> None:
    path = tmp_path / "host.log"
    handler = configure_logging("info", "text", path)
    flushed = threading.Event()
    flush = handler.flush

    def noting_flush() -> None:
        flush()
        flushed.set()

    handler.flush = noting_flush  # type: ignore[method-assign]
    log_request("c", "GET", "/x", "", 200, 1.0, None)
    assert flushed.wait(5)  # by the flusher thread, with no other record to push it
    assert "path=/x" in path.read_text()
    flushed.clear()
    log_request("c", "GET", "/y", "", 200, 1.0, None)
    logging.getLogger("ecmactl.host").warning("the database is unavailable")
    lines = path.read_text().splitlines()  # the warning flushed the access line before it
    assert "path=/y" in lines[-2] and lines[-1].endswith("the database is unavailable")
    log_request("c", "GET", "/z", "", 200, 1.0, None)
    handler.close()
    assert path.read_text().splitlines()[-1].endswith("anchor=-")  # close flushes the rest


def test_closing_with_the_handler_locked_does_not_wait_on_the_flusher(
    tmp_path: Path, restore_logging: None
) -> None:
    """logging.shutdown() holds a handler's lock while it flushes and closes it; the flusher
    thread, wanting the same lock for pending access lines, must not deadlock that."""
    handler = configure_logging("info", "text", tmp_path / "host.log")
    tried = threading.Event()
    lock = handler.lock
    assert lock is not None

    class NotingLock:
        def acquire(self, *args: object, **kwargs: object) -> bool:
            if threading.current_thread().name == "ecmactl-log-flush":
                tried.set()
            return lock.acquire(*args, **kwargs)  # type: ignore[arg-type,union-attr]

        def release(self) -> None:
            lock.release()  # type: ignore[union-attr]

        def __enter__(self) -> None:
            self.acquire()

        def __exit__(self, *exc: object) -> None:
            self.release()

    handler.lock = NotingLock()  # type: ignore[assignment]

    def shutdown_sequence() -> None:  # what logging.shutdown() does, in one thread
        handler.acquire()
        try:
            log_request("c", "GET", "/late", "", 200, 1.0, None)  # pending
            tried.wait(5)  # the flusher now wants the lock this thread holds
            handler.flush()
            handler.close()
        finally:
            handler.release()

    closer = threading.Thread(target=shutdown_sequence, daemon=True)
    closer.start()
    closer.join(5)
    assert tried.is_set() and not closer.is_alive()
    assert "path=/late" in (tmp_path / "host.log").read_text()
