"""The wizard pages in Microsoft's order, with Microsoft's names (Generic SQL connector).

Settings is host-level (asked once per home); the rest describe one connector. Each question's
``key`` is its answers-file key and ``flag`` its command-line option.
"""

from __future__ import annotations

from ecmactl.wizard.pages.choices import NONE
from ecmactl.wizard.pages.connector import CONNECTIVITY, PROPERTIES
from ecmactl.wizard.pages.host import SETTINGS, default_hostname
from ecmactl.wizard.pages.multivalue import MULTIVALUE
from ecmactl.wizard.pages.provisioning import DEPROVISIONING, OBJECT_TYPES, SELECT_ATTRIBUTES
from ecmactl.wizard.pages.run_steps import DELTA_IMPORT, EXPORT, FULL_IMPORT
from ecmactl.wizard.pages.schema import SCHEMA
from ecmactl.wizard.pages.sync import GLOBAL, RUN_PROFILES
from ecmactl.wizard.questions import Page

__all__ = [
    "ALL_PAGES",
    "CONNECTIVITY",
    "CONNECTOR_PAGES",
    "DELTA_IMPORT",
    "DEPROVISIONING",
    "EXPORT",
    "FULL_IMPORT",
    "GLOBAL",
    "MULTIVALUE",
    "NONE",
    "OBJECT_TYPES",
    "PAGES_BY_NAME",
    "PROPERTIES",
    "RUN_PROFILES",
    "SCHEMA",
    "SELECT_ATTRIBUTES",
    "SETTINGS",
    "default_hostname",
]

CONNECTOR_PAGES: tuple[Page, ...] = (
    PROPERTIES,
    CONNECTIVITY,
    SCHEMA,
    MULTIVALUE,
    GLOBAL,
    RUN_PROFILES,
    EXPORT,
    FULL_IMPORT,
    DELTA_IMPORT,
    OBJECT_TYPES,
    SELECT_ATTRIBUTES,
    DEPROVISIONING,
)
ALL_PAGES: tuple[Page, ...] = (SETTINGS, *CONNECTOR_PAGES)
PAGES_BY_NAME = {page.name: page for page in ALL_PAGES}
