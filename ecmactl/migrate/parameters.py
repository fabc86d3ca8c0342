"""The Generic SQL wizard's parameters, one by one: each sets a connector setting or is
reported with why not (see ``generic_sql`` for the whole mapping).

Names are the wizard's labels, compared normalised (``source.normalise``); per-object-type ones
carry the type (``User:Table/View/SP``, ``Select Anchor for: User``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ecmactl.config import rules
from ecmactl.migrate.child_tables import MultiValues
from ecmactl.migrate.report import Report
from ecmactl.migrate.run_steps import (
    Gathered,
    StepParameter,
    is_procedure_or_query,
    step_field,
)
from ecmactl.migrate.source import SourceParameter, normalise
from ecmactl.sql.urls import mask_secrets

NOT_YET_METHOD = (
    "ecmactl detects object types and attributes from a table or view only (stored "
    "procedures and SQL queries serve the Export, Full Import and Delta Import steps)"
)
NO_PASSWORDS = "ecmactl does not manage passwords (Entra's on-premises provisioning sends none)"
NOT_NEEDED = "not needed by ecmactl"
CONNECTION_STRINGS = ("connectionstring", "odbcconnectionstring")

# Parameters ecmactl has no use for (yet), by normalised name, with the reason reported.
_REPORTED_ONLY: dict[str, str] = {}
for _names, _reason in (
    (
        "storedprocedureparameters providesqlqueryfordetectingobjecttypes providesqlquery sqlquery",
        NOT_YET_METHOD,
    ),
    (
        "datasourcedatetimeformat batchsize timeout exportbatchsize pagesizeexport",
        f"{NOT_NEEDED}: dates, batches and pages follow the database driver's own types",
    ),
    (
        "setpasswordspname setpasswordspparameters extensionname operationmethods "
        "passwordextension",
        NO_PASSWORDS,
    ),
    (
        "historytablename snapshotdatabasename changetypeattribute changetypecolumn "
        "changetypecolumnname deltatable deltaview joincondition",
        "delta import by trigger, snapshot or change tracking is not supported (ecmactl uses "
        "a watermark column)",
    ),
):
    _REPORTED_ONLY.update(dict.fromkeys(_names.split(), _reason))

_WINDOWS_ZONES = {
    "utc": "UTC",
    "coordinateduniversaltime": "UTC",
    "gmtstandardtime": "Europe/London",
    "wenstandardtime": "Europe/Berlin",
    "weuropestandardtime": "Europe/Berlin",
    "romancestandardtime": "Europe/Paris",
    "centraleuropestandardtime": "Europe/Budapest",
    "easternstandardtime": "America/New_York",
    "centralstandardtime": "America/Chicago",
    "mountainstandardtime": "America/Denver",
    "pacificstandardtime": "America/Los_Angeles",
    "indiastandardtime": "Asia/Kolkata",
    "tokyostandardtime": "Asia/Tokyo",
    "ausastandardtime": "Australia/Sydney",
}


@dataclass
class Draft:
    """A connector's settings gathered from the export, before it is built."""

    name: str
    values: dict[str, Any] = field(default_factory=dict)  # `page.field` -> value
    table: dict[str, str] = field(default_factory=dict)  # object type (lower) -> table
    anchor: dict[str, str] = field(default_factory=dict)
    dn: dict[str, str] = field(default_factory=dict)
    step_tables: list[tuple[str, str]] = field(default_factory=list)  # run steps' tables
    steps: Gathered = field(default_factory=dict)  # the run-step pages, mapped once all read
    multi: MultiValues = field(default_factory=MultiValues)  # child tables, mapped per type
    user_default: str | None = None  # connectivity.user offered when asking
    url_default: str | None = None  # an ODBC connection string found in the export


def _split_type(name: str, types: set[str]) -> tuple[str | None, str]:
    """(object type, parameter) for per-type parameters: ``User:Table/View/SP``,
    ``Select Anchor for: User``, ``Select DN attribute for User``."""
    key = normalise(name)
    for prefix in ("selectanchorfor", "selectdnattributefor"):
        if key.startswith(prefix) and key[len(prefix) :] in types:
            return key[len(prefix) :], prefix
    head, sep, rest = name.partition(":")
    if sep and head.strip().lower() in types:
        return head.strip().lower(), normalise(rest)
    return None, key


def map_parameter(
    p: SourceParameter, draft: Draft, types: set[str], report: Report, where: str
) -> None:
    value = None if p.encrypted else p.value
    object_type, key = _split_type(p.name, types)
    if key in CONNECTION_STRINGS and value:  # may hold PWD=…; a report never shows a password
        value = mask_secrets(value)

    def found(status: Any, reason: str = "", target: str | None = None) -> None:
        report.add(where, p.name, status, reason, target=target, value=value)

    def put(target: str, v: Any) -> None:
        draft.values[target] = v
        found("mapped", target=target)

    text = (p.value or "").strip()
    on_step = step_field(key, p.step) if object_type is None else None
    if on_step is not None and (key != "operationmethod" or is_procedure_or_query(text)):
        slot = None if key == "tableviewsp" else len(report.findings)  # a table: reported late
        if slot is not None:
            found("mapped")  # settled once the step's method is known
        fields = draft.steps.setdefault(on_step[0], {})
        earlier = fields.get(on_step[1])
        if earlier is not None:  # the step's own parameter after the agent's default
            earlier.settle(report, where, "not mapped", f"the step's {p.name} is used instead")
        fields[on_step[1]] = StepParameter(p.name, text, slot)
    elif key in ("nameofmultivaluestableviews", "nameofmultivaluedtableviews"):
        draft.multi.tables[object_type or ""] = (p.name, text)  # reported with the type
    elif key == "joincondition" and p.step != "deltaimport":
        draft.multi.joins.append((p.name, text))  # reported with the child tables
    elif key in _REPORTED_ONLY:
        found("not mapped", _REPORTED_ONLY[key])
    elif key in ("dsnfile", "dsn", "datasourcename"):
        found(
            "input",
            "a file DSN stays on the Windows machine: give the database as a "
            "SQLAlchemy URL or ODBC string (--database-url)",
            "connectivity.database_url",
        )
    elif key in CONNECTION_STRINGS:
        draft.url_default = text or None
        found(
            "input",
            "offered as the database URL; confirm it or give --database-url",
            "connectivity.database_url",
        )
    elif key in ("username", "user", "userid"):
        draft.user_default = text or None
        found("mapped", target="connectivity.user")
    elif key == "password":
        found(
            "input",
            "an export never carries the password: give --db-password-file or ECMACTL_DB_PASSWORD",
            "connectivity.password",
        )
    elif key == "dnisanchor":
        put("connectivity.dn_is_anchor", _bool(text))
    elif key in ("exporttypeobjectreplace", "objectreplace"):
        put("connectivity.export_type_object_replace", _bool(text))
    elif key == "objecttypedetectionmethod":
        method = normalise(text)
        if method in ("fixedvalue", "table"):
            put(
                "schema.object_type_detection", "Fixed Value" if method == "fixedvalue" else "Table"
            )
        else:
            found(
                "not mapped",
                f"{NOT_YET_METHOD}; the object types of the exported schema are "
                "used as a Fixed Value list",
            )
    elif key in ("fixedvaluelisttableviewsp", "fixedvaluelist", "objecttypes"):
        draft.values["_object_types_raw"] = text
        found(
            "mapped",
            "each object type ecmactl provisions becomes one connector",
            "schema.object_types",
        )
    elif key in ("columnnamefortableviewsp", "objecttypecolumn"):
        put("schema.object_type_column", text)
    elif key in ("attributedetection", "operationmethod"):
        _method(p, key, text, object_type, draft, found)
    elif key in ("tableviewsp", "table", "tablename"):
        if p.step is None and object_type is not None:
            draft.table[object_type] = text
            found("mapped", target="schema.table")
        elif p.step is None and key != "tableviewsp":
            draft.table.setdefault("", text)
            found("mapped", target="schema.table")
        else:
            draft.step_tables.append((p.name, text))  # reported once Schema 2 is known
    elif key in ("selectanchorfor", "anchor"):
        draft.anchor[object_type or ""] = _strip_type(text)
        found("mapped", target="schema.anchor")
    elif key in ("selectdnattributefor", "dnattribute"):
        draft.dn[object_type or ""] = _strip_type(text)
        found("mapped", target="schema.dn_attribute")
    elif key == "deltastrategy":
        strategy = normalise(text)
        if strategy in ("none", "watermark"):
            put("global.delta_strategy", "Watermark" if strategy == "watermark" else "None")
        else:
            found(
                "not mapped",
                f"ecmactl's delta import uses a watermark column (Watermark) or "
                f"none; {text} is not supported, so delta import is off",
            )
    elif key in ("watermarkquery",):
        put("global.watermark_query", text)
    elif key in ("watermarkcolumnname", "watermarkcolumn"):
        put("global.watermark_column", text)
    elif key == "datasourcetimezone":
        zone = _time_zone(text)
        if zone is None:
            found(
                "not mapped",
                f"{text!r} is not a time zone ecmactl knows; UTC is used "
                "(set an IANA name later on the Global page)",
            )
        else:
            put("global.data_source_time_zone", zone)
    elif p.use == "capabilities":
        found(
            "not mapped",
            f"{NOT_NEEDED}: ecmactl's capabilities are fixed (one object "
            "type, one partition, attribute-level updates)",
        )
    else:
        found(
            "unknown",
            "not a Generic SQL parameter this ecmactl knows; check whether it "
            "matters for this connector",
        )


def _method(
    p: SourceParameter, key: str, text: str, object_type: str | None, draft: Draft, found: Any
) -> None:
    method = normalise(text)
    step = p.step
    if method in ("storedprocedure", "sp", "sqlquery", "query"):
        found(
            "not mapped",
            f"{NOT_YET_METHOD}; the connector reads and writes the Schema 2 "
            "table directly until they are",
        )
    elif method == "view" and step == "export":
        found("not mapped", "View is for imports only: exports write the table")
    elif method in ("table", "view"):
        if key == "attributedetection" or step in ("fullimport", None):
            draft.values["schema.attribute_detection"] = "View" if method == "view" else "Table"
        found("mapped", target="schema.attribute_detection")
    else:
        found("not mapped", f"{text!r} is not an operation method ({NOT_YET_METHOD})")


def _bool(text: str) -> bool:
    return text.strip().lower() in ("true", "1", "yes", "checked")


def _strip_type(text: str) -> str:
    return text.rpartition(":")[2].strip()


def _time_zone(text: str) -> str | None:
    bare = re.sub(r"^\((UTC|GMT)[^)]*\)\s*", "", text.strip())
    for candidate in (text.strip(), bare):
        try:
            return rules.time_zone(candidate)
        except rules.RuleError:
            pass
    return _WINDOWS_ZONES.get(normalise(bare))
