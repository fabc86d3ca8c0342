"""Microsoft's Generic SQL connector, as exported, mapped onto ecmactl connectors.

Parameter names are the wizard's labels (exports differ between versions, so names are compared
normalised, see ``source.normalise``). Each parameter ends in one report finding. What ecmactl
cannot do yet (stored procedures, SQL queries, multi-valued attributes, trigger or snapshot
deltas) is reported as "not mapped" with what the connector does instead; nothing is dropped
silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ecmactl.config import rules
from ecmactl.config.models import (
    DEFAULT_AUTOSYNC_MINUTES,
    Attribute,
    Column,
    Connectivity,
    Connector,
    DataType,
    Deprovisioning,
    Direction,
    GlobalSettings,
    ObjectType,
    RunProfiles,
    Schema,
)
from ecmactl.errors import UsageError
from ecmactl.migrate.report import Report
from ecmactl.migrate.source import (
    GENERIC_SQL_LIBRARY,
    SourceConnector,
    SourceObjectType,
    SourceParameter,
    normalise,
)
from ecmactl.wizard.suggest import disable_value_for, suggest_bindings

NOT_YET_METHOD = (
    "ecmactl supports the Table and View operation methods only (stored procedures and SQL "
    "queries are not supported yet)"
)
NOT_YET_MULTIVALUED = "multi-valued attributes (child tables) are not supported yet"
NO_PASSWORDS = "ecmactl does not manage passwords (Entra's on-premises provisioning sends none)"
NOT_NEEDED = "not needed by ecmactl"

_DATA_TYPES: dict[str, DataType] = {
    "string": "String",
    "integer": "Integer",
    "int": "Integer",
    "long": "Integer",
    "number": "Integer",
    "boolean": "Boolean",
    "bool": "Boolean",
    "datetime": "DateTime",
    "date": "DateTime",
    "binary": "Binary",
}
# The type the column is declared with until the host reads the table (an export has no SQL
# types); only the data type drives conversions.
_SQL_TYPES = {
    "String": "VARCHAR",
    "Integer": "INTEGER",
    "Boolean": "BOOLEAN",
    "DateTime": "DATETIME",
    "Binary": "VARBINARY",
}
_DIRECTIONS: dict[str, Direction] = {
    "importexport": "ImportExport",
    "import": "Import",
    "importonly": "Import",
    "export": "Export",
    "exportonly": "Export",
}
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
    user_default: str | None = None  # connectivity.user offered when asking
    url_default: str | None = None  # an ODBC connection string found in the export


@dataclass
class Imported:
    """A connector built from an export, with what is still to be asked for it."""

    connector: Connector  # database_url is empty: it is asked for
    user_default: str | None = None
    url_default: str | None = None


def check_library(source: SourceConnector, path: str) -> None:
    library = source.library.strip()
    bare = re.sub(r"\.dll$", "", library, flags=re.IGNORECASE)
    if bare.casefold() != GENERIC_SQL_LIBRARY.casefold():
        raise UsageError(
            f"{path}: connector {source.name!r} uses {library or 'no connector library'}; "
            f"ecmactl imports Generic SQL connectors only ({GENERIC_SQL_LIBRARY})",
            hint="Export only the Generic SQL connector, or recreate this one with `ecmactl init`.",
        )


def map_connector(source: SourceConnector, report: Report) -> list[Imported]:
    """The ecmactl connectors for ``source``: one per object type ecmactl provisions."""
    draft = Draft(connector_name(source.name, report, source.name))
    _autosync(source, draft, report)
    types = {n.lower() for t in source.object_types for n in (t.name, t.external_name) if n}
    for parameter in source.parameters:
        _parameter(parameter, draft, types, report, source.name)
    _run_profiles(source, draft, report)
    _step_tables(draft, report, source.name)
    users = [t for t in source.object_types if _provisions(t, report, source.name)]
    if not users:
        raise UsageError(
            f"{report.source}: connector {source.name!r} has no User object type "
            f"(it has {', '.join(t.name for t in source.object_types) or 'none'})",
            hint="ecmactl provisions users only; export a connector whose object type is User.",
        )
    out = []
    for object_type in users:
        name = draft.name if len(users) == 1 else f"{draft.name}_{object_type.name}"
        connector = _build(draft, object_type, name, report, source.name)
        out.append(Imported(connector, draft.user_default, draft.url_default))
    return out


def connector_name(name: str, report: Report, where: str) -> str:
    """The export's name when ecmactl accepts it; otherwise the closest name it does."""
    try:
        return rules.connector_name(name)
    except rules.RuleError as exc:
        fixed = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._-")[:64] or "imported"
        if fixed.casefold().startswith(rules.URL_PREFIX):
            fixed = fixed[len(rules.URL_PREFIX) :] or "imported"
        report.add(
            where,
            "Name",
            "mapped",
            f"renamed to {fixed}: {exc}; the Tenant URL in Entra changes to "
            f"/{rules.URL_PREFIX}{fixed}/scim",
            target="properties.name",
            value=name,
        )
        return fixed


def _autosync(source: SourceConnector, draft: Draft, report: Report) -> None:
    raw = source.autosync_minutes
    if raw is None:
        return
    try:
        draft.values["properties.autosync_minutes"] = rules.autosync_minutes(int(raw))
        report.add(
            source.name, "AutosyncTimer", "mapped", target="properties.autosync_minutes", value=raw
        )
    except (ValueError, rules.RuleError) as exc:
        report.add(
            source.name,
            "AutosyncTimer",
            "not mapped",
            f"{exc}; the default {DEFAULT_AUTOSYNC_MINUTES} minutes is used",
            value=raw,
        )


def _provisions(object_type: SourceObjectType, report: Report, where: str) -> bool:
    """Whether ecmactl provisions this type; ECMA2Host's Entra-facing name counts too."""
    for name in (object_type.name, object_type.external_name):
        try:
            if name:
                rules.target_object(name)
                return True
        except rules.RuleError:
            pass
    try:
        rules.target_object(object_type.name)
    except rules.RuleError as exc:
        report.add(where, f"object type {object_type.name}", "not mapped", str(exc))
    return False


def _target(object_type: SourceObjectType) -> str:
    for name in (object_type.name, object_type.external_name):
        try:
            return rules.target_object(name or "")
        except rules.RuleError:
            pass
    raise AssertionError("only called for types _provisions accepted")


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


def _parameter(
    p: SourceParameter, draft: Draft, types: set[str], report: Report, where: str
) -> None:
    value = None if p.encrypted else p.value
    object_type, key = _split_type(p.name, types)

    def found(status: Any, reason: str = "", target: str | None = None) -> None:
        report.add(where, p.name, status, reason, target=target, value=value)

    def put(target: str, v: Any) -> None:
        draft.values[target] = v
        found("mapped", target=target)

    text = (p.value or "").strip()
    if key in ("dsnfile", "dsn", "datasourcename"):
        found(
            "input",
            "a file DSN stays on the Windows machine: give the database as a "
            "SQLAlchemy URL or ODBC string (--database-url)",
            "connectivity.database_url",
        )
    elif key in ("connectionstring", "odbcconnectionstring"):
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
    elif key in (
        "storedprocedureparameters",
        "providesqlqueryfordetectingobjecttypes",
        "providesqlquery",
        "sqlquery",
        "startindexparametername",
        "endindexparametername",
        "addspname",
        "updatespname",
        "deletespname",
        "insertquery",
        "updatequery",
        "deletequery",
        "importquery",
        "usenamedparameterstoexecuteastoredprocedure",
        "usenamedparameters",
    ):
        found("not mapped", NOT_YET_METHOD)
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
    elif key in ("nameofmultivaluestableviews", "nameofmultivaluedtableviews", "joincondition"):
        found("not mapped", NOT_YET_MULTIVALUED)
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
                "(set an IANA name with `ecmactl configure global`)",
            )
        else:
            put("global.data_source_time_zone", zone)
    elif key in (
        "datasourcedatetimeformat",
        "batchsize",
        "timeout",
        "exportbatchsize",
        "pagesize",
        "pagesizeexport",
        "pagesizefullimport",
        "pagesizedeltaimport",
    ):
        found(
            "not mapped",
            f"{NOT_NEEDED}: dates, batches and pages follow the database driver's own types",
        )
    elif key in (
        "setpasswordspname",
        "setpasswordspparameters",
        "extensionname",
        "operationmethods",
        "passwordextension",
    ):
        found("not mapped", NO_PASSWORDS)
    elif key in (
        "historytablename",
        "snapshotdatabasename",
        "changetypeattribute",
        "changetypecolumn",
        "changetypecolumnname",
        "deltatable",
        "deltaview",
    ):
        found(
            "not mapped",
            "delta import by trigger, snapshot or change tracking is not "
            "supported (ecmactl uses a watermark column)",
        )
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
        draft.values.setdefault("_unsupported_methods", []).append((p.name, text))
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


def _run_profiles(source: SourceConnector, draft: Draft, report: Report) -> None:
    steps = source.run_steps
    if steps is None:
        return
    draft.values["run_profiles.full_import"] = "fullimport" in steps
    draft.values["run_profiles.delta_import"] = "deltaimport" in steps
    for step in dict.fromkeys(steps):
        report.add(source.name, f"run profile {step}", "mapped", target=f"run_profiles.{step}")
    if "export" not in steps:
        report.add(
            source.name,
            "run profile export",
            "not mapped",
            "Export is always on in ecmactl (Entra writes through it)",
        )


def _build(
    draft: Draft, object_type: SourceObjectType, name: str, report: Report, where: str
) -> Connector:
    t = object_type.name.lower()
    e = (object_type.external_name or t).lower()
    v = draft.values
    table = (
        draft.table.get(t)
        or draft.table.get(e)
        or draft.table.get("")
        or _step_table(draft, report, where)
    )
    if not table:
        raise UsageError(
            f"{report.source}: connector {where!r}, object type {object_type.name}: no table or "
            "view is named (Schema 2 Table/View/SP)",
            hint=f"ecmactl needs the table the connector reads and writes; {NOT_YET_METHOD}.",
        )
    db_schema, _, bare = table.rpartition(".")
    columns: list[Column] = []
    deprovisioning_attribute = object_type.soft_delete_attribute
    for a in object_type.attributes:
        label = f"{object_type.name}.{a.name}"
        if a.multivalued:
            report.add(where, label, "not mapped", f"{NOT_YET_MULTIVALUED}; left out")
            continue
        data_type = _DATA_TYPES.get(normalise(a.data_type or "string"))
        if data_type is None:
            report.add(
                where,
                label,
                "not mapped",
                f"data type {a.data_type} is not supported (references are not); left out",
            )
            continue
        direction = _DIRECTIONS.get(normalise(a.direction or "importexport"), "ImportExport")
        if a.deprovisioning and not deprovisioning_attribute:
            deprovisioning_attribute = a.name
        columns.append(Column(a.name, _SQL_TYPES[data_type], data_type, direction))
    names = [c.name for c in columns]
    anchors = [a.name for a in object_type.attributes if a.anchor]
    anchor = (
        draft.anchor.get(t)
        or draft.anchor.get(e)
        or draft.anchor.get("")
        or (anchors[0] if anchors else "")
    )
    if len(anchors) > 1:
        report.add(
            where,
            f"{object_type.name} anchor",
            "not mapped",
            f"a complex anchor ({', '.join(anchors)}) is not supported; {anchor} is the anchor",
        )
    if anchor not in names:
        raise UsageError(
            f"{report.source}: connector {where!r}, object type {object_type.name}: the anchor "
            f"{anchor or '(none)'} is not one of its attributes ({', '.join(names) or 'none'})",
            hint="Mark one single-valued attribute IsAnchor (ms-dsml:isAnchor) in the export.",
        )
    dns = [a.name for a in object_type.attributes if a.dn]
    dn = draft.dn.get(t) or draft.dn.get(e) or draft.dn.get("") or (dns[0] if dns else None)
    dn_is_anchor = bool(v.get("connectivity.dn_is_anchor"))
    autogenerated = object_type.dn_autogenerated
    if autogenerated is None:
        autogenerated = dn is None or dn_is_anchor
    if dn is not None and dn not in names:
        report.add(
            where,
            f"{object_type.name} DN",
            "not mapped",
            f"the DN attribute {dn} is not selected; the DN is autogenerated",
        )
        dn, autogenerated = None, True
    selected = [n for n in (object_type.selected or names) if n in names]
    if anchor not in selected:
        selected.insert(0, anchor)
    bindings = suggest_bindings(columns, selected, anchor)
    disable_flow, delete_flow = _flows(object_type, deprovisioning_attribute, names, report, where)
    watermark = v.get("global.watermark_column")
    strategy = v.get("global.delta_strategy", "None")
    if strategy == "Watermark" and not watermark:
        report.add(
            where,
            "Delta Strategy",
            "not mapped",
            "Watermark needs the watermark column name, which the export does not "
            "give; delta import is off (set it with `ecmactl configure global`)",
        )
        strategy = "None"
    detection = v.get("schema.object_type_detection", "Fixed Value")
    return Connector(
        name=name,
        autosync_minutes=v.get("properties.autosync_minutes", DEFAULT_AUTOSYNC_MINUTES),
        connectivity=Connectivity(
            database_url="",
            dn_is_anchor=dn_is_anchor,
            export_type_object_replace=bool(v.get("connectivity.export_type_object_replace")),
        ),
        schema=Schema(
            table=bare,
            anchor=anchor,
            object_type_detection=detection,
            object_types=[object_type.name],
            object_type_table=v.get("_object_types_raw") if detection == "Table" else None,
            object_type_column=v.get("schema.object_type_column") if detection == "Table" else None,
            attribute_detection=v.get("schema.attribute_detection", "Table"),
            db_schema=db_schema or None,
            dn_attribute=None if dn_is_anchor else dn,
            columns=columns,
        ),
        global_=GlobalSettings(
            delta_strategy=strategy,
            watermark_column=watermark if strategy == "Watermark" else None,
            watermark_query=v.get("global.watermark_query") if strategy == "Watermark" else None,
            data_source_time_zone=v.get("global.data_source_time_zone", "UTC"),
        ),
        run_profiles=RunProfiles(
            full_import=bool(v.get("run_profiles.full_import", True)),
            delta_import=bool(v.get("run_profiles.delta_import")) and strategy == "Watermark",
        ),
        object_type=ObjectType(
            target_object=_target(object_type),
            autogenerated_dn=autogenerated and not dn_is_anchor,
        ),
        attributes=[
            Attribute(c, None if bindings[c] == "(none)" else bindings[c]) for c in selected
        ],
        deprovisioning=Deprovisioning(
            disable_flow=disable_flow,
            disable_attribute=deprovisioning_attribute
            if disable_flow == "Set attribute value"
            else None,
            disable_value=_disable_value(deprovisioning_attribute),
            delete_flow=delete_flow,
        ),
    )


def _step_table(draft: Draft, report: Report, where: str) -> str | None:
    return draft.step_tables[0][1] if draft.step_tables else None


def _step_tables(draft: Draft, report: Report, where: str) -> None:
    schema_tables = {t.casefold() for t in draft.table.values()}
    for name, table in draft.step_tables:
        if not schema_tables or table.casefold() in schema_tables:
            report.add(where, name, "mapped", target="schema.table", value=table)
        else:
            report.add(
                where,
                name,
                "not mapped",
                "ecmactl reads and writes one table or view, Schema 2's "
                f"({', '.join(sorted(draft.table.values()))}), in every run step",
                value=table,
            )


def _flows(
    object_type: SourceObjectType,
    attribute: str | None,
    names: list[str],
    report: Report,
    where: str,
) -> tuple[Any, Any]:
    """(disable flow, delete flow) from SoftDelete and HardDelete."""
    soft = normalise(object_type.soft_delete or "none")
    hard = normalise(object_type.hard_delete or "treatashard")
    disable: Any = "None"
    if soft in ("treatashard", "delete", "harddelete"):
        disable = "Delete"
    elif soft in (
        "setattributevalue",
        "setattribute",
        "treatassoft",
        "softdelete",
        "updateattribute",
    ):
        if attribute and attribute in names:
            disable = "Set attribute value"
        else:
            report.add(
                where,
                "DeprovisioningModel.SoftDelete",
                "not mapped",
                "Set attribute value needs a Boolean attribute (SoftDeleteStatusAttribute); "
                "none is selected, so disable does nothing",
            )
    elif soft != "none":
        report.add(
            where,
            "DeprovisioningModel.SoftDelete",
            "not mapped",
            f"{object_type.soft_delete!r} is not a disable flow (None, Set attribute "
            "value, Delete); disable does nothing",
        )
    delete: Any = "Delete"
    if hard == "none":
        delete = "None"
    elif hard not in ("treatashard", "delete", "harddelete"):
        report.add(
            where,
            "DeprovisioningModel.HardDelete",
            "not mapped",
            f"{object_type.hard_delete!r} is not a delete flow (None, Delete); Delete is used",
        )
    return disable, delete


def _disable_value(column: str | None) -> bool:
    implied = disable_value_for(column)
    return True if implied is None else implied


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
