"""Importing a connector configuration exported by Microsoft's ECMA2Host or by MIM.

``read_export`` turns the file into ecmactl connectors plus a report of every parameter (what it
became, or why it could not); ``plan.plan_import`` then asks for what an export cannot carry and
plans the files through the wizard's own writer. Nothing here prints or prompts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ecmactl.errors import UsageError
from ecmactl.migrate import ecma2host_xml, mim_export
from ecmactl.migrate.generic_sql import Imported, check_library, map_connector
from ecmactl.migrate.report import Finding, Report
from ecmactl.migrate.safe_xml import local, read_xml

__all__ = ["Export", "Finding", "Imported", "Report", "read_export"]


@dataclass
class Export:
    """What an export file holds, mapped: the connectors, the host port, and the report."""

    report: Report
    connectors: list[Imported] = field(default_factory=list)
    port: int | None = None


def read_export(path: Path) -> Export:
    """Read and map ``path``; UsageError (exit 2) for a file that cannot be imported."""
    root, line = read_xml(path)
    kind = local(root.tag)
    if kind == ecma2host_xml.ROOT:
        report = Report(str(path), "ecma2host")
        sources = ecma2host_xml.read_connectors(root, report)
        port = ecma2host_xml.read_port(root, report)
    elif kind == mim_export.ROOT:
        report = Report(str(path), "mim")
        sources = mim_export.read_connectors(root, report)
        port = None
    else:
        raise UsageError(
            f"{path}, line {line}: the root element is <{root.tag.rsplit('}', 1)[-1]}>, "
            "not <Configuration> (an ECMA2Host export) or <export-ma> (a MIM Export "
            "Management Agent file)",
            hint="Give the XML file exported by Microsoft's ECMA2Host wizard or by MIM's "
            "Export Management Agent.",
        )
    if not sources:
        raise UsageError(f"{path}: the export holds no connector")
    for source in sources:  # all or none: one foreign connector refuses the whole file
        check_library(source, str(path))
    export = Export(report, port=port)
    for source in sources:
        export.connectors.extend(map_connector(source, report))
    names = [i.connector.name for i in export.connectors]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise UsageError(f"{path}: several connectors are named {', '.join(twice)}")
    return export
