"""Connectors for the SCIM tests: the Microsoft tutorial's Employees table, and variants."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

import pytest

from ecmactl.config.models import (
    Attribute,
    Column,
    Connectivity,
    Connector,
    Deprovisioning,
    Schema,
)
from ecmactl.scim.mapping import UserMapping

BASE_URL = "https://host.example:8585/ecma2host_contoso/scim"
ECMA = "urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
CORE = "urn:ietf:params:scim:schemas:core:2.0:User"


def employees_columns() -> list[Column]:
    return [
        Column(
            "ContosoLogin", "nvarchar(128)", "String", nullable=False, unique=True, max_length=128
        ),
        Column("FirstName", "nvarchar(50)", "String", max_length=50),
        Column("LastName", "nvarchar(50)", "String", nullable=False, max_length=50),
        Column("Email", "nvarchar(128)", "String", max_length=128),
        Column("InternalGUID", "uniqueidentifier", "String"),
        Column("AzureID", "uniqueidentifier", "String"),
        Column("textID", "nvarchar(128)", "String", max_length=128),
        Column("AccountDisabled", "bit", "Boolean", nullable=False, has_default=True),
        Column("LastModified", "datetime2", "DateTime"),
    ]


BINDINGS = {
    "ContosoLogin": "userName",
    "AzureID": "externalId",
    "FirstName": "name.givenName",
    "LastName": "name.familyName",
    "Email": 'emails[type eq "work"].value',
}


def make_connector(
    columns: list[Column] | None = None,
    bindings: dict[str, str] | None = None,
    *,
    anchor: str = "ContosoLogin",
    deprovisioning: Deprovisioning | None = None,
    selected: list[str] | None = None,
) -> Connector:
    columns = columns if columns is not None else employees_columns()
    bindings = BINDINGS if bindings is None else bindings
    names = selected if selected is not None else [c.name for c in columns]
    return Connector(
        name="contoso",
        connectivity=Connectivity(database_url="sqlite:///{home}/contoso.db"),
        schema=Schema(table="Employees", anchor=anchor, columns=columns),
        attributes=[Attribute(column=n, scim=bindings.get(n)) for n in names],
        deprovisioning=deprovisioning
        or Deprovisioning(
            disable_flow="Set attribute value",
            disable_attribute="AccountDisabled",
            disable_value=True,
            delete_flow="Delete",
        ),
    )


@pytest.fixture
def sm() -> Any:
    """scim2-models (a test dependency), to prove documents RFC-valid; skips without it."""
    return pytest.importorskip("scim2_models")


@pytest.fixture
def connector() -> Connector:
    return make_connector()


@pytest.fixture
def mapping(connector: Connector) -> UserMapping:
    return UserMapping(connector)


@pytest.fixture
def rich_mapping() -> UserMapping:
    """The sample plus a column of every other type and direction; the anchor is bound to
    nothing but ``id``, userName is a separate unique column."""
    columns = [
        *employees_columns(),
        Column("EmployeeNo", "int", "Integer", unique=True),
        Column("Photo", "varbinary(16)", "Binary", max_length=16),
        Column("Badge", "nvarchar(20)", "String", direction="Import"),
        Column("Secret", "nvarchar(20)", "String", direction="Export"),
        Column("UPN", "nvarchar(128)", "String", nullable=False, unique=True),
        Column("Dept", "nvarchar(64)", "String"),
        Column("Phone", "nvarchar(32)", "String"),
    ]
    bindings = {
        **{k: v for k, v in BINDINGS.items() if k != "ContosoLogin"},
        "textID": "displayName",
        "UPN": "userName",
        "Dept": f"{ENTERPRISE}:department",
        "EmployeeNo": f"{ENTERPRISE}:employeeNumber",
        "Phone": 'phoneNumbers[type eq "work"].value',
    }
    return UserMapping(make_connector(columns, bindings))


def sample_row(**overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "ContosoLogin": "bjensen",
        "FirstName": "Barbara",
        "LastName": "Jensen",
        "Email": "bjensen@contoso.com",
        "InternalGUID": "6c2f1a8e-0000-4000-8000-000000000001",
        "AzureID": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
        "textID": None,
        "AccountDisabled": False,
        "LastModified": datetime(2024, 5, 13, 4, 42, 34),
    }
    row.update(overrides)
    return row


def rich_row(**overrides: Any) -> dict[str, Any]:
    row = sample_row(
        EmployeeNo=42,
        Photo=b"\x00\x01\xff",
        Badge="B-7",
        Secret="s3cr3t",
        UPN="barbara@contoso.com",
        Dept="Sales",
        Phone="+1 555 0100",
        textID="Babs Jensen",
    )
    row.update(overrides)
    return row


def replace(column: Column, **changes: Any) -> Column:
    return dataclasses.replace(column, **changes)
