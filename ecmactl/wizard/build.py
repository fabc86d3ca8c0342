"""Answers <-> config: the wizard's answers become typed config, and a config becomes answers.

Both directions are pure, so replaying an answers file gives a byte-identical config. A build
starts from the current config when there is one and sets only what the pages answer, so a field
no page asks (``log_level``, ``[limits]``, the certificate paths, a rotated token's grace) is
kept by `configure`, not reset to its default.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ecmactl.config.models import (
    Attribute,
    Column,
    Connectivity,
    Connector,
    DeltaImportStep,
    Deprovisioning,
    ExportStep,
    GlobalSettings,
    HostSettings,
    ImportStep,
    MetricsSettings,
    ObjectType,
    RunProfiles,
    Schema,
)
from ecmactl.wizard.context import WizardContext
from ecmactl.wizard.multivalue import child_table_answers, merged_child_tables
from ecmactl.wizard.pages import NONE


def _none(value: Any) -> Any:
    return None if value in ("", NONE) else value


# The top-level keys of settings.toml and of a connector's file that the pages answer (besides
# secrets): the rest is kept from the current file, and a change to it is shown by the diff.
SETTINGS_ANSWERED = ("hostname", "port", "bind_address", "secret_store", "metrics")
CONNECTOR_ANSWERED = (
    "name",
    "description",
    "autosync_minutes",
    "secret_token_ref",
    "connectivity",
    "schema",
    "global",
    "run_profiles",
    "object_type",
    "attributes",
    "deprovisioning",
    "export",
    "full_import",
    "delta_import",
)


def build_settings(ctx: WizardContext, current: HostSettings | None = None) -> HostSettings:
    """The Settings page's answers over ``current`` (or the defaults, in a new home)."""
    answered: dict[str, Any] = {
        key: ctx.get(f"settings.{key}") for key in SETTINGS_ANSWERED if key != "metrics"
    }
    metrics = current.metrics if current is not None else MetricsSettings()
    enabled = ctx.get("settings.metrics")
    answered["metrics"] = replace(
        metrics,
        enabled=metrics.enabled if enabled is None else bool(enabled),
        bind_address=ctx.get("settings.metrics_bind_address") or metrics.bind_address,
        port=ctx.get("settings.metrics_port") or metrics.port,
    )
    if current is None:
        return HostSettings(**answered)
    return replace(current, **answered)


def build_columns(ctx: WizardContext) -> list[Column]:
    types = ctx.get("schema.column_types") or {}
    directions = ctx.get("schema.directions") or {}
    return [
        replace(
            c,
            data_type=types.get(c.name, c.data_type),
            direction=directions.get(c.name, c.direction),
        )
        for c in ctx.columns
    ]


def build_connector(
    ctx: WizardContext,
    refs: dict[str, str | None],
    current: Connector | None = None,
    *,
    database_url: str | None = None,
) -> Connector:
    """The connector config; ``refs`` maps secret question keys to their stored references.

    ``database_url`` is the page's URL with any password taken out (it is in ``refs``).

    Fields no page asks (a rotated token's grace: ``previous_secret_token_*``) come from
    ``current``, the connector being changed by `configure`."""
    get = ctx.get
    dn_is_anchor = bool(get("connectivity.dn_is_anchor"))
    disable_flow = get("deprovisioning.disable_flow")
    set_attribute = disable_flow == "Set attribute value"
    bindings: dict[str, str] = get("attributes.bindings") or {}
    detection = get("schema.object_type_detection")
    answered: dict[str, Any] = dict(
        name=get("properties.name"),
        description=get("properties.description") or "",
        autosync_minutes=get("properties.autosync_minutes"),
        secret_token_ref=refs.get("properties.secret_token"),
        connectivity=Connectivity(
            database_url=database_url or get("connectivity.database_url"),
            user=_none(get("connectivity.user")),
            password_ref=refs.get("connectivity.password"),
            dn_is_anchor=dn_is_anchor,
            export_type_object_replace=bool(get("connectivity.export_type_object_replace")),
        ),
        schema=Schema(
            table=get("schema.table"),
            anchor=get("schema.anchor"),
            object_type_detection=detection,
            object_types=[t for t in str(get("schema.object_types") or "User").split(",") if t],
            object_type_table=_none(get("schema.object_type_table")),
            object_type_column=_none(get("schema.object_type_column")),
            attribute_detection=get("schema.attribute_detection"),
            db_schema=_none(get("schema.db_schema")),
            dn_attribute=None if dn_is_anchor else _none(get("schema.dn_attribute")),
            columns=build_columns(ctx),
            child_tables=merged_child_tables(ctx),
        ),
        global_=GlobalSettings(
            delta_strategy=get("global.delta_strategy"),
            watermark_column=_none(get("global.watermark_column")),
            watermark_query=_none(get("global.watermark_query")),
            data_source_time_zone=get("global.data_source_time_zone"),
        ),
        run_profiles=RunProfiles(
            export=True,
            full_import=bool(get("run_profiles.full_import")),
            delta_import=bool(get("run_profiles.delta_import")),
        ),
        object_type=ObjectType(
            target_object=get("object_type.target_object"),
            autogenerated_dn=(not dn_is_anchor) and bool(get("object_type.autogenerated_dn")),
        ),
        attributes=[
            Attribute(column=c, scim=_none(bindings.get(c)))
            for c in get("attributes.columns") or []
        ],
        deprovisioning=Deprovisioning(
            disable_flow=disable_flow,
            disable_attribute=get("deprovisioning.disable_attribute") if set_attribute else None,
            disable_value=bool(get("deprovisioning.disable_value", True)),
            delete_flow=get("deprovisioning.delete_flow"),
        ),
    )
    answered["export"] = build_export(ctx)
    answered["full_import"] = build_full_import(ctx)
    answered["delta_import"] = build_delta_import(ctx)
    if current is None:
        return Connector(**answered)
    return replace(current, **answered)


_EXPORT_FIELDS = (
    "add_sp_name",
    "add_sp_parameters",
    "update_sp_name",
    "update_sp_parameters",
    "delete_sp_name",
    "delete_sp_parameters",
    "insert_query",
    "update_query",
    "delete_query",
)
_IMPORT_FIELDS = ("view", "sp_name", "sp_parameters", "query")


def build_export(ctx: WizardContext) -> ExportStep | None:
    """The Export page; None for the Table method (the file stays as before the page)."""
    method = ctx.get("export.operation_method")
    if method in (None, "Table"):
        return None
    fields = {f: _none(ctx.get(f"export.{f}")) for f in _EXPORT_FIELDS}
    named = bool(ctx.get("export.use_named_parameters"))
    return ExportStep(operation_method=method, use_named_parameters=named, **fields)


def build_full_import(ctx: WizardContext) -> ImportStep | None:
    """The Full Import page; None for the Table method."""
    method = ctx.get("full_import.operation_method")
    if method in (None, "Table"):
        return None
    fields = {f: _none(ctx.get(f"full_import.{f}")) for f in _IMPORT_FIELDS}
    size = ctx.get("full_import.page_size") or ImportStep().page_size
    return ImportStep(operation_method=method, page_size=int(size), **fields)


def build_delta_import(ctx: WizardContext) -> DeltaImportStep | None:
    """The Delta Import page; None for the Table method or without Delta import."""
    method = ctx.get("delta_import.operation_method")
    if not ctx.get("run_profiles.delta_import") or method in (None, "Table"):
        return None
    fields = {f: _none(ctx.get(f"delta_import.{f}")) for f in ("sp_name", "sp_parameters", "query")}
    return DeltaImportStep(operation_method=method, **fields)


def run_step_answers(c: Connector) -> dict[str, Any]:
    """The Export and Full Import pages' answers for ``c``."""
    answers: dict[str, Any] = {
        "export.operation_method": c.export_method,
        "full_import.operation_method": c.import_method,
    }
    if c.export is not None:
        answers["export.use_named_parameters"] = c.export.use_named_parameters
        for f in _EXPORT_FIELDS:
            if getattr(c.export, f) is not None:
                answers[f"export.{f}"] = getattr(c.export, f)
    answers["delta_import.operation_method"] = c.delta_method
    if c.delta_import is not None:
        for f in ("sp_name", "sp_parameters", "query"):
            if getattr(c.delta_import, f) is not None:
                answers[f"delta_import.{f}"] = getattr(c.delta_import, f)
    if c.full_import is not None:
        answers["full_import.page_size"] = c.full_import.page_size
        for f in _IMPORT_FIELDS:
            if getattr(c.full_import, f) is not None:
                answers[f"full_import.{f}"] = getattr(c.full_import, f)
    return answers


def settings_answers(settings: HostSettings) -> dict[str, Any]:
    return {
        "settings.port": settings.port,
        "settings.bind_address": settings.bind_address,
        "settings.hostname": settings.hostname,
        "settings.secret_store": settings.secret_store,
        "settings.metrics": settings.metrics.enabled,
        "settings.metrics_bind_address": settings.metrics.bind_address,
        "settings.metrics_port": settings.metrics.port,
    }


def connector_answers(c: Connector) -> dict[str, Any]:
    """Flat answers (``page.field`` keys) that rebuild ``c``; used as defaults by `configure`."""
    s = c.schema
    answers: dict[str, Any] = {
        "properties.name": c.name,
        "properties.autosync_minutes": c.autosync_minutes,
        "properties.description": c.description,
        "connectivity.database_url": c.connectivity.database_url,
        "connectivity.user": c.connectivity.user or "",
        "connectivity.dn_is_anchor": c.connectivity.dn_is_anchor,
        "connectivity.export_type_object_replace": c.connectivity.export_type_object_replace,
        "schema.object_type_detection": s.object_type_detection,
        "schema.object_types": ",".join(s.object_types),
        "schema.attribute_detection": s.attribute_detection,
        "schema.db_schema": s.db_schema or "",
        "schema.table": s.table,
        "schema.anchor": s.anchor,
        "schema.dn_attribute": s.dn_attribute or NONE,
        "schema.column_types": {col.name: col.data_type for col in s.columns},
        "schema.directions": {col.name: col.direction for col in s.columns},
        "global.delta_strategy": c.global_.delta_strategy,
        "global.data_source_time_zone": c.global_.data_source_time_zone,
        "run_profiles.full_import": c.run_profiles.full_import,
        "run_profiles.delta_import": c.run_profiles.delta_import,
        "object_type.target_object": c.object_type.target_object,
        "object_type.autogenerated_dn": c.object_type.autogenerated_dn,
        "attributes.columns": [a.column for a in c.attributes],
        "attributes.bindings": {a.column: a.scim or NONE for a in c.attributes},
        "deprovisioning.disable_flow": c.deprovisioning.disable_flow,
        "deprovisioning.disable_value": c.deprovisioning.disable_value,
        "deprovisioning.delete_flow": c.deprovisioning.delete_flow,
    }
    optional = {
        "schema.object_type_table": s.object_type_table,
        "schema.object_type_column": s.object_type_column,
        "global.watermark_column": c.global_.watermark_column,
        "global.watermark_query": c.global_.watermark_query,
        "deprovisioning.disable_attribute": c.deprovisioning.disable_attribute,
    }
    answers.update({k: v for k, v in optional.items() if v is not None})
    answers.update(run_step_answers(c))
    answers.update(child_table_answers(c))
    return answers


def nest(flat: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for key, value in flat.items():
        page, _, name = key.partition(".")
        out.setdefault(page, {})[name] = value
    return out


def flatten(nested: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for page, fields in nested.items():
        if page.startswith("_"):
            continue  # metadata such as [_ecmactl] version
        if isinstance(fields, dict):
            for name, value in fields.items():
                out[f"{page}.{name}"] = value
        else:
            out[page] = fields
    return out
