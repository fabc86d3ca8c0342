"""Reading Microsoft ECMA2Host's exported ``Configuration.xml`` (the wizard's Export button).

``<Configuration><Connectors><Connector>`` holds, per connector, ``ConnectorConfig`` (the wizard
pages' parameters and the run profiles), ``Schema`` (object types with their attributes, DN and
deprovisioning model) and ``ECMAConfig`` (library, name, autosync timer, token); ``<Setting>``
holds the host's port and certificate. Values may be child elements or attributes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ecmactl.migrate.parameters import NOT_NEEDED
from ecmactl.migrate.report import Report
from ecmactl.migrate.safe_xml import child, children, field, local, text, truthy
from ecmactl.migrate.source import (
    SourceAttribute,
    SourceConnector,
    SourceObjectType,
    SourceParameter,
    normalise,
    run_step,
)

ROOT = "configuration"
_ECMA_CONFIG_NOT_NEEDED = {
    "ecmafolderpath": "the connector DLL folder of Microsoft's host",
    "creationdatetime": "a time stamp",
    "modificationdatetime": "a time stamp",
    "validated": "Microsoft's wizard state",
}


def read_connectors(root: ET.Element, report: Report) -> list[SourceConnector]:
    return [_connector(c, report) for c in children(child(root, "Connectors"), "Connector")]


def read_port(root: ET.Element, report: Report) -> int | None:
    """``<Setting><Port>``: the host's port (reported by the plan, which knows whether this
    home has a port already); the certificate is reported, not imported."""
    setting = child(root, "Setting", "Settings")
    if setting is None:
        return None
    port: int | None = None
    for element in setting:
        name, value = element.tag.rsplit("}", 1)[-1], (element.text or "").strip() or None
        key = normalise(name)
        if key == "port" and value is not None and value.isdigit():
            port = int(value)
        elif key in ("certificate", "certificatethumbprint", "thumbprint"):
            report.add(
                "",
                f"Setting.{name}",
                "not mapped",
                "a thumbprint in the Windows certificate store cannot travel; the host gets "
                "a new self-signed certificate (SAN = host name), or import yours (PEM or "
                "PFX) with the cert import command",
                value=value,
            )
        else:
            report.add("", f"Setting.{name}", "unknown", "not a host setting ecmactl knows")
    return port


def _connector(element: ET.Element, report: Report) -> SourceConnector:
    ecma = child(element, "ECMAConfig")
    name = text(ecma, "ProfileName") or "imported"
    source = SourceConnector(
        name=name,
        library=text(ecma, "LibraryName") or "",
        autosync_minutes=text(ecma, "AutosyncTimer"),
    )
    for item in ecma if ecma is not None else []:
        _ecma_config(item, name, report)
    config = child(element, "ConnectorConfig")
    for parameter in children(
        child(config, "Parameters") if config is not None else None, "Parameter"
    ):
        source.parameters.append(_parameter(parameter, None))
    runs = child(config, "RunConfigurations") if config is not None else None
    if runs is not None:
        source.run_steps = []
        for run in children(runs, "RunConfiguration"):
            step = run_step(field(run, "Name") or "")
            if step is not None:
                source.run_steps.append(step)
            for run_step_element in children(child(run, "RunSteps"), "RunStep"):
                for parameter in children(child(run_step_element, "Parameters"), "Parameter"):
                    source.parameters.append(_parameter(parameter, step))
    schema = child(element, "Schema")
    entries = child(schema, "EntriesSchema") if schema is not None else None
    for entry in children(entries, "EntrySchema"):
        source.object_types.append(_object_type(entry))
    return source


def _ecma_config(item: ET.Element, connector: str, report: Report) -> None:
    name = local(item.tag)
    label = f"ECMAConfig.{item.tag.rsplit('}', 1)[-1]}"
    value = (item.text or "").strip() or None
    if name == "secrettoken":
        why = (
            "encrypted for the Windows machine that exported it (DPAPI); it cannot be read here"
            if value
            else "an export never carries the token"
        )
        report.add(
            connector,
            label,
            "input",
            f"{why}: a new token is generated, or give --secret-token-file",
            target="properties.secret_token",
        )
    elif name == "profilename":
        report.add(connector, label, "mapped", target="properties.name", value=value)
    elif name == "libraryname":
        report.add(connector, label, "mapped", "the Generic SQL connector", value=value)
    elif name in _ECMA_CONFIG_NOT_NEEDED:
        report.add(connector, label, "not mapped", f"{NOT_NEEDED}: {_ECMA_CONFIG_NOT_NEEDED[name]}")
    elif name != "autosynctimer":  # reported by the mapping, which checks its range
        report.add(
            connector, label, "unknown", "not an ECMAConfig field ecmactl knows", value=value
        )


def _parameter(element: ET.Element, step: str | None) -> SourceParameter:
    use = normalise(field(element, "Use") or "")
    return SourceParameter(
        name=field(element, "Name") or "",
        value=field(element, "Value"),
        use=use,
        step=step,
        encrypted=truthy(field(element, "Encrypted")),
    )


def _object_type(entry: ET.Element) -> SourceObjectType:
    native = text(entry, "ObjectType")
    external = text(entry, "ExternalName")
    deprovisioning = child(entry, "DeprovisioningModel")
    autogenerated = text(entry, "IsDNAutogenerated")
    object_type = SourceObjectType(
        name=native or external or "User",
        external_name=external if external != native else None,
        dn_autogenerated=None if autogenerated is None else truthy(autogenerated),
        soft_delete=text(deprovisioning, "SoftDelete"),
        hard_delete=text(deprovisioning, "HardDelete"),
        soft_delete_attribute=text(deprovisioning, "SoftDeleteStatusAttribute"),
    )
    for a in children(child(entry, "SchemaAttributes"), "AttributeSchema"):
        object_type.attributes.append(
            SourceAttribute(
                name=field(a, "Name") or "",
                data_type=field(a, "DataType"),
                anchor=truthy(field(a, "IsAnchor")),
                dn=truthy(field(a, "IsDN")),
                multivalued=truthy(field(a, "Multivalued")),
                direction=field(a, "Direction") or field(a, "AllowedOperation"),
                deprovisioning=truthy(field(a, "IsDeprovisioningAttribute")),
            )
        )
    return object_type
