"""The database fixtures themselves: skip locally, fail in CI, fail loudly when unreachable."""

from __future__ import annotations

import socket

import db_fixtures
import pytest


def test_an_unset_variable_skips_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(db_fixtures.POSTGRES_ENV, raising=False)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=db_fixtures.POSTGRES_ENV):
        db_fixtures._server_url(db_fixtures.POSTGRES_ENV)


def test_an_unset_variable_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(db_fixtures.MARIADB_ENV, raising=False)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=db_fixtures.MARIADB_ENV) as info:
        db_fixtures._server_url(db_fixtures.MARIADB_ENV)
    assert "mysql+pymysql://" in str(info.value)  # shows what to set it to


def test_an_unreachable_server_fails_naming_the_masked_url(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv(
        db_fixtures.POSTGRES_ENV, f"postgresql://postgres:hunter2@127.0.0.1:{port}/postgres"
    )
    monkeypatch.delenv("CI", raising=False)  # even locally: a set variable means "test it"
    with pytest.raises(pytest.fail.Exception) as info:
        db_fixtures._reachable_server(db_fixtures.POSTGRES_ENV)
    message = str(info.value)
    assert f"postgresql+psycopg://postgres:***@127.0.0.1:{port}/postgres" in message
    assert "hunter2" not in message
    assert "Start PostgreSQL" in message and "refused" in message
