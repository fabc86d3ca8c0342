"""The embedded sample: Microsoft's SQL connector tutorial, on SQLite, with no questions asked."""

from __future__ import annotations

from typing import Any

SAMPLE_DB = "data/contoso.db"
SAMPLE_URL = "sqlite:///{home}/" + SAMPLE_DB

SAMPLE_ANSWERS: dict[str, Any] = {
    "properties.name": "SQL",
    "properties.description": "Sample: the Employees table of Microsoft's SQL connector tutorial",
    "connectivity.database_url": SAMPLE_URL,
    "schema.table": "Employees",
    "schema.anchor": "ContosoLogin",
    "attributes.columns": [
        "ContosoLogin",
        "FirstName",
        "LastName",
        "Email",
        "InternalGUID",
        "AzureID",
        "textID",
    ],
    "deprovisioning.disable_flow": "Set attribute value",
    "deprovisioning.disable_attribute": "AccountDisabled",
    "deprovisioning.disable_value": True,
    "deprovisioning.delete_flow": "Delete",
}
