"""Two `ecmactl host run` processes on one database (helpers for the cluster tests and bench).

The second home is set up as a user sets up a second host: `bundle emit --include-private-key`
on the first, `bundle apply` + `token set` on the second (same connector, same certificate, the
same token here so one client speaks to both).
"""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
from hostproc import HostProcess, ecmactl, free_port, init_on_database, read_token

CORE = "urn:ietf:params:scim:schemas:core:2.0:User"


def second_home(first: Path, second: Path) -> None:
    """``second`` from ``first``'s bundle, with ``first``'s token stored for its connector."""
    bundle = first.parent / f"{second.name}.bundle.tar.gz"
    emitted = ecmactl(first, "bundle", "emit", "-o", str(bundle), "--include-private-key")
    assert emitted.returncode == 0, emitted.stderr
    applied = ecmactl(second, "bundle", "apply", str(bundle))
    assert applied.returncode == 0, applied.stderr
    token_file = first.parent / f"{second.name}.token"
    token_file.write_text(read_token(first))
    stored = ecmactl(
        second,
        "token",
        "set",
        "--connector",
        "SQL",
        "--secret-token-file",
        str(token_file),
        "--secret-store",
        "file",
    )
    assert stored.returncode == 0, stored.stderr
    token_file.unlink()


@dataclass
class Pair:
    a: HostProcess
    b: HostProcess
    client: httpx.Client
    home: Path

    def url(self, host: HostProcess, path: str = "/Users") -> str:
        return f"https://localhost:{host.port}/ecma2host_SQL/scim{path}"


@contextlib.contextmanager
def two_hosts(tmp_path: Path, db_url: str) -> Iterator[Pair]:
    """Host A and host B on ``db_url``'s Employees table, both ready, and a client for both."""
    home_a, home_b = tmp_path / "home-a", tmp_path / "home-b"
    init_on_database(home_a, db_url)
    second_home(home_a, home_b)
    verify = ssl.create_default_context(cafile=str(home_a / "certs" / "server.crt"))
    with (
        HostProcess(home_a, free_port()) as a,
        HostProcess(home_b, free_port()) as b,
        httpx.Client(verify=verify, timeout=30) as client,
    ):
        a.wait_ready()
        b.wait_ready()
        client.headers["Authorization"] = f"Bearer {read_token(home_a)}"
        yield Pair(a, b, client, home_a)


def user(login: str, family: str = "Cluster") -> dict[str, object]:
    return {
        "schemas": [CORE],
        "userName": login,
        "name": {"givenName": "Two", "familyName": family},
        "active": True,
    }
