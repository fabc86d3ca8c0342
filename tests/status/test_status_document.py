"""The status document's one reader: ``parse_status_document`` takes what a host sent and returns
the typed ``HostStatus``, or an error that names what is wrong (a field, a type, the versions),
for a host of another version as much as for a broken one."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NotRequired, TypedDict, cast

import pytest

from ecmactl import __version__
from ecmactl.exit_codes import ExitCode
from ecmactl.json_shape import ShapeError, check_shape
from ecmactl.status.model import State, StatusReport
from ecmactl.status_document import (
    STATUS_SCHEMA_VERSION,
    ClusterStatus,
    HostStatus,
    StatusDocumentError,
    parse_status_document,
)


def document() -> dict[str, Any]:
    """A document as a host of this version writes it: one connector, a reload, an error."""
    entry = {
        "name": "SQL",
        "scim_path": "/ecma2host_SQL/scim",
        "state": "degraded",
        "cache_loaded": True,
        "cache_size": 5,
        "indexes": ["ContosoLogin", "LastName (ci)"],
        "autosync_minutes": 30,
        "next_sync_at": "2030-01-01T12:00:00.000Z",
        "import_running": False,
        "imported_rows": None,
        "import_total": None,
        "import_total_exact": None,
        "last_full_import": {
            "connector": "SQL",
            "kind": "full",
            "started": "2030-01-01T10:00:00.000Z",
            "finished": "2030-01-01T10:00:01.000Z",
            "duration_s": 1,  # JSON has one kind of number: an integer is a float here
            "rows": 5,
            "result": "failed",
            "error": "database unreachable",
        },
        "last_delta_import": None,
        "delta": {"strategy": "Watermark", "enabled": True, "watermark": "2030-01-01T10:00:00"},
        "consecutive_failures": 2,
        "database_reachable": False,
        "authentication": {"ok": True, "error": None},
        "requests": {"total": 3, "2xx": 2, "3xx": 0, "4xx": 0, "5xx": 1},
        "last_error": {"message": "database unreachable", "at": "2030-01-01T10:00:01.000Z"},
        "last_client_error": None,
    }
    return {
        "schema_version": STATUS_SCHEMA_VERSION,
        "version": "9.9.9",
        "started": "2030-01-01T09:00:00.000Z",
        "uptime_s": 3725.4,
        "serves_all": True,
        "reload": {
            "at": "2030-01-01T09:30:00.000Z",
            "result": "ok",
            "changes": {"updated": ["SQL"]},
            "restart_needed": ["port"],
            "error": None,
            "hint": None,
        },
        "connectors": {"SQL": entry},
    }


def parse_error(data: object) -> StatusDocumentError:
    with pytest.raises(StatusDocumentError) as raised:
        parse_status_document(data)
    return raised.value


def test_a_document_of_this_version_is_returned_as_it_came():
    sent = document()
    parsed: HostStatus = parse_status_document(json.loads(json.dumps(sent)))
    assert parsed == sent
    assert parsed["connectors"]["SQL"]["last_error"] == sent["connectors"]["SQL"]["last_error"]


def test_a_missing_field_is_named_with_its_place():
    sent = document()
    del sent["connectors"]["SQL"]["cache_size"]
    error = parse_error(sent)
    assert "connectors.SQL: the field 'cache_size' is missing" in error.message
    assert "ecmactl 9.9.9" in error.message  # which host sent it
    assert error.hint and "same ecmactl" in error.hint


@pytest.mark.parametrize(
    ("path", "value", "said"),
    [
        (("uptime_s",), "long", 'uptime_s: expected a number or null, found "long"'),
        (("connectors", "SQL", "cache_size"), True, "cache_size: expected an integer, found true"),
        (("connectors", "SQL", "state"), "sleeping", 'state: expected one of "importing", '),
        (("connectors", "SQL", "indexes"), [1], "connectors.SQL.indexes[0]: expected a string"),
        (("connectors", "SQL", "requests"), {"total": "3"}, "connectors.SQL.requests.total:"),
        (("connectors", "SQL", "last_error"), "boom", "last_error: expected an object or null"),
        (("reload", "restart_needed"), "port", "reload.restart_needed: expected a list"),
        (("connectors",), [], "connectors: expected an object, found a list"),
    ],
)
def test_a_wrong_type_is_named_with_its_place_and_what_was_found(
    path: tuple[str, ...], value: Any, said: str
):
    sent = document()
    parent = sent
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    error = parse_error(sent)
    assert said in error.message
    assert "does not fit version 1" in error.message


def test_an_optional_section_is_checked_inside():
    sent = document()
    sent["connectors"]["SQL"]["last_full_import"]["kind"] = "partial"
    message = parse_error(sent).message
    assert 'connectors.SQL.last_full_import.kind: expected one of "full", "delta"' in message


def test_a_newer_host_says_which_versions_differ_and_to_upgrade():
    sent = document()
    sent["schema_version"] = STATUS_SCHEMA_VERSION + 1
    sent["connectors"] = "a shape this ecmactl has never seen"
    error = parse_error(sent)
    assert error.message == (
        f"the host (ecmactl 9.9.9) sends status document version {STATUS_SCHEMA_VERSION + 1}; "
        f"this ecmactl ({__version__}) reads version {STATUS_SCHEMA_VERSION}"
    )
    assert error.hint == "Upgrade ecmactl here to the host's version."


def test_a_host_from_before_the_schema_version_is_told_apart():
    sent = document()
    del sent["schema_version"]
    error = parse_error(sent)
    assert "without a schema version: it is older than this ecmactl" in error.message
    assert error.hint and "Restart the host" in error.hint


@pytest.mark.parametrize("version", ["1", 1.0, True, None])
def test_a_schema_version_that_is_not_a_number_is_refused(version: object):
    sent = document()
    sent["schema_version"] = version
    assert "schema" in parse_error(sent).message


@pytest.mark.parametrize("data", [None, [], "ok", 3])
def test_something_that_is_not_an_object_is_refused(data: object):
    assert parse_error(data).message == "the status document is not a JSON object"


def test_fields_a_newer_host_adds_are_kept_and_not_checked():
    sent = document()
    sent["fleet"] = {"hosts": ["a", "b"]}
    sent["connectors"]["SQL"]["lag_s"] = 0.5
    parsed = parse_status_document(copy.deepcopy(sent))
    assert parsed == sent


class _Fleet(TypedDict):
    epoch: int
    hosts: list[str]


class _ExtendedStatus(HostStatus):
    fleet: NotRequired[_Fleet | None]


def test_an_extension_as_a_not_required_section_reads_old_and_new_documents():
    """How the document grows under the same version: old documents lack the section, new
    ones are checked inside it."""
    old = document()
    check_shape(old, _ExtendedStatus)
    new = {**document(), "fleet": {"epoch": 3, "hosts": ["a", "b"]}}
    check_shape(new, _ExtendedStatus)
    broken = {**document(), "fleet": {"epoch": "3", "hosts": []}}
    with pytest.raises(ShapeError, match=r'^fleet\.epoch: expected an integer, found "3"$'):
        check_shape(broken, _ExtendedStatus)


def test_json_numbers_bools_and_nulls_are_told_apart():
    check_shape(1, float)
    check_shape(1.5, float | None)
    for value, shape in [(True, int), (1, bool), (1.5, int), (None, str), ("1", int)]:
        with pytest.raises(ShapeError):
            check_shape(value, shape)


def cluster_section() -> dict[str, Any]:
    """The ``cluster`` section of a host serving ``SQL`` with one other host on its database."""
    host = {
        "host_id": "a1",
        "connector": "SQL",
        "address": "ecma1.contoso.test:8585",
        "version": "9.9.9",
        "role": "active",
        "started": "2030-01-01T09:00:00.000Z",
        "heartbeat": "2030-01-01T10:00:00.000Z",
        "heartbeat_age_s": 1.2,
        "live": True,
        "this_host": True,
    }
    other = {**host, "host_id": "b2", "address": "ecma2.contoso.test:8585", "this_host": False}
    return {
        "host_id": "a1",
        "connectors": {
            "SQL": {
                "enabled": True,
                "problem": None,
                "feed_connected": True,
                "changes_applied": 12,
                "resyncs": 0,
                "feed_lag_ms": {"p50": 30.0, "p99": 95.5, "max": 150.0},
                "negative_cache": {"entries": 2, "hits": 7},
                "hosts": [host, other],
            }
        },
    }


def test_the_cluster_section_is_optional_and_checked_when_present():
    assert "cluster" not in parse_status_document(document())  # a host before clustering
    sent = {**document(), "cluster": cluster_section()}
    assert parse_status_document(json.loads(json.dumps(sent))) == sent
    broken = {**document(), "cluster": cluster_section()}
    broken["cluster"]["connectors"]["SQL"]["hosts"][1]["live"] = "yes"
    message = parse_error(broken).message
    assert "cluster.connectors.SQL.hosts[1].live: expected true or false" in message


def lease_section(*, role: str, held: bool) -> dict[str, Any]:
    """``cluster_section`` in active/standby: the writer lease held (or not) by a1."""
    section = cluster_section()
    entry = section["connectors"]["SQL"]
    entry["role"] = role
    entry["lease"] = {
        "holder": "a1" if held else None,
        "holder_address": "ecma1.contoso.test:8585" if held else None,
        "epoch": 4,
        "remaining_s": 8.5 if held else None,
        "held": held,
        "ttl_s": 10.0,
    }
    return section


def test_the_lease_keys_are_optional_and_checked_when_present():
    sent = {**document(), "cluster": lease_section(role="standby", held=True)}
    assert parse_status_document(json.loads(json.dumps(sent))) == sent
    broken: dict[str, Any] = {**document(), "cluster": lease_section(role="active", held=True)}
    broken["cluster"]["connectors"]["SQL"]["lease"]["epoch"] = "4"
    assert "cluster.connectors.SQL.lease.epoch" in parse_error(broken).message


@pytest.mark.parametrize(
    ("role", "held", "state", "code"),
    [
        ("active", True, "running", ExitCode.OK),
        ("standby", True, "running", ExitCode.STANDBY),
        ("standby", True, "degraded", ExitCode.ERROR),  # a standby with a failing check
        ("standby", False, "running", ExitCode.NO_LEASE_HOLDER),
        ("standby", False, "degraded", ExitCode.NO_LEASE_HOLDER),
        ("standby", True, "not_running", ExitCode.NOT_RUNNING),
    ],
)
def test_status_exit_codes_tell_a_healthy_standby_from_no_lease_holder(
    role: str, held: bool, state: State, code: ExitCode
) -> None:
    section = cast(ClusterStatus, lease_section(role=role, held=held))
    report = StatusReport("host", state, Path("/home"), datetime.now(UTC), cluster=section)
    assert report.exit_code is code


def test_an_active_active_cluster_keeps_the_lsb_exit_codes() -> None:
    section = cast(ClusterStatus, cluster_section())
    report = StatusReport("host", "running", Path("/home"), datetime.now(UTC), cluster=section)
    assert report.exit_code is ExitCode.OK
