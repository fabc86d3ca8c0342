"""Typed models of what the wizard produces: host settings and one config per connector.

Field names follow the ECMA2Host wizard pages (Properties, Connectivity, Schema 1-4, Global,
Run Profiles, Object Types, Select Attributes, Deprovisioning) so a user coming from Microsoft's
docs recognises them in the TOML files. Secrets are never values here, only references
(``keyring:…``, ``file:…``, ``env:…``; see ecmactl.secrets).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

SCHEMA_VERSION = 1
# A connector whose run steps are not the Table method is written as version 2, so an older
# ecmactl refuses it as "written by a newer ecmactl" instead of running it against the table.
RUN_STEPS_SCHEMA_VERSION = 2
# A connector with child tables (multi-valued attributes) is written as version 3: an older
# ecmactl would otherwise stop at an unknown key instead of saying it is too old.
MULTI_VALUED_SCHEMA_VERSION = 3
READABLE_SCHEMA_VERSION = MULTI_VALUED_SCHEMA_VERSION
DEFAULT_PORT = 8585
DEFAULT_BIND_ADDRESS = "127.0.0.1"  # this machine only, until the admin opens it
DEFAULT_AUTOSYNC_MINUTES = 120
DEFAULT_METRICS_PORT = 9585  # near Prometheus exporters' customary 9xxx range, and free there
ECMA_EXTENSION_URN = "urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User"


def scim_path(connector: str) -> str:
    """The path the host serves ``connector`` at, as ECMA2Host does."""
    return f"/ecma2host_{connector}/scim"


def tenant_url(hostname: str, port: int, connector: str) -> str:
    """The Tenant URL an admin pastes into Entra for ``connector`` on ``hostname:port``."""
    return f"https://{hostname}:{port}{scim_path(connector)}"


DataType = Literal["String", "Integer", "Boolean", "DateTime", "Binary"]
Direction = Literal["ImportExport", "Import", "Export"]  # in the order the wizard offers them
DATA_TYPES: tuple[DataType, ...] = get_args(DataType)
DIRECTIONS: tuple[Direction, ...] = get_args(Direction)

# Core SCIM attributes a column may be bound to, besides its ECMA2Host extension name.
CORE_BINDINGS: tuple[str, ...] = (
    "userName",
    "externalId",
    "displayName",
    "nickName",
    "title",
    "name.givenName",
    "name.familyName",
    "name.formatted",
    'emails[type eq "work"].value',
    'phoneNumbers[type eq "work"].value',
    "active",
    "preferredLanguage",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
)


@dataclass
class HostLimits:
    """``[limits]`` in settings.toml: what one client may cost the host (README, "Limits and
    hardening"). The defaults are far above what Entra's provisioning agent sends."""

    max_connections: int = 1000  # open connections, idle or not; over it new ones are closed
    handshake_timeout_seconds: int = 10  # TCP accept -> TLS handshake done
    head_timeout_seconds: int = 30  # accept (or the previous response) -> request head read
    max_header_bytes: int = 65536  # request line + header fields, in bytes
    max_header_count: int = 100  # header fields in one request


# Accepted range of each limit: below it Entra's requests would fail, above it it is no limit.
LIMIT_RANGES: dict[str, tuple[int, int]] = {
    "max_connections": (8, 1_000_000),
    "handshake_timeout_seconds": (1, 600),
    "head_timeout_seconds": (1, 3600),
    "max_header_bytes": (8192, 16 << 20),
    "max_header_count": (32, 10_000),
}


@dataclass
class MetricsSettings:
    """``[metrics]`` in settings.toml: Prometheus metrics over plain HTTP on a port of their own
    (README, "Metrics"). Loopback by default: the numbers name connectors and their health."""

    enabled: bool = True
    bind_address: str = DEFAULT_BIND_ADDRESS
    port: int = DEFAULT_METRICS_PORT


@dataclass
class HostSettings:
    """The Settings page: one host for all connectors."""

    hostname: str
    schema_version: int = SCHEMA_VERSION
    port: int = DEFAULT_PORT
    bind_address: str = DEFAULT_BIND_ADDRESS
    certificate: str = "certs/server.crt"  # relative paths are relative to the home
    private_key: str = "certs/server.key"
    key_passphrase_ref: str | None = None
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    secret_store: Literal["keyring", "file", "env"] = "keyring"
    limits: HostLimits = field(default_factory=HostLimits)
    metrics: MetricsSettings = field(default_factory=MetricsSettings)


@dataclass
class Connectivity:
    """The Connectivity page. ``database_url`` is a SQLAlchemy URL; ``{home}`` is the home."""

    database_url: str
    user: str | None = None
    password_ref: str | None = None
    dn_is_anchor: bool = False
    export_type_object_replace: bool = False


@dataclass
class Column:
    """One detected column (Schema 2) with its Schema 4 data type and direction."""

    name: str
    sql_type: str
    data_type: DataType = "String"
    direction: Direction = "ImportExport"
    nullable: bool = True
    unique: bool = False
    primary_key: bool = False
    max_length: int | None = None
    has_default: bool = False


# Core multi-valued SCIM attributes (RFC 7643 §4.1.2) whose sub-attributes are value, type and
# primary: a child table's column may be bound to one of them instead of an extension attribute.
MULTI_VALUED_CORE: tuple[str, ...] = (
    "emails",
    "phoneNumbers",
    "ims",
    "photos",
    "entitlements",
    "roles",
)


@dataclass
class MultiValuedAttribute:
    """One child-table column as a multi-valued attribute: each child row is one value.

    ``scim`` binds it to a core multi-valued attribute (``MULTI_VALUED_CORE``), whose
    ``type`` and ``primary`` come from ``type_column`` / ``primary_column`` when set; without
    ``scim`` it is the ECMA2Host extension attribute ``name`` (default: the column), a list of
    simple values. ``key`` names it in a row dict and must not be a parent column."""

    column: str
    scim: str | None = None
    name: str | None = None
    type_column: str | None = None
    primary_column: str | None = None
    data_type: DataType = "String"

    @property
    def key(self) -> str:
        """The row dict key (and extension attribute name) of this attribute."""
        return self.name or self.column


@dataclass
class ChildTable:
    """A "Multi-Values Table" (MIM's Generic SQL): rows joined to the parent table by
    ``join_column`` (child) = ``parent_column`` (parent; default the anchor), each row one
    value of each of its ``attributes``. ``columns`` are the detected child columns."""

    table: str
    join_column: str
    attributes: list[MultiValuedAttribute] = field(default_factory=list)
    parent_column: str | None = None
    db_schema: str | None = None
    columns: list[Column] = field(default_factory=list)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


@dataclass
class Schema:
    """Schema 1 (object types), Schema 2 (attribute detection and child tables: multi-valued
    attributes), Schema 3 (anchor, DN)."""

    table: str
    anchor: str
    object_type_detection: Literal["Fixed Value", "Table"] = "Fixed Value"
    object_types: list[str] = field(default_factory=lambda: ["User"])
    object_type_table: str | None = None
    object_type_column: str | None = None
    attribute_detection: Literal["Table", "View"] = "Table"
    db_schema: str | None = None
    dn_attribute: str | None = None
    columns: list[Column] = field(default_factory=list)
    child_tables: list[ChildTable] = field(default_factory=list, metadata={"omit_empty": True})

    def multi_valued(self) -> list[tuple[ChildTable, MultiValuedAttribute]]:
        """Every multi-valued attribute with its child table, in file order."""
        return [(child, a) for child in self.child_tables for a in child.attributes]


@dataclass
class GlobalSettings:
    """The Global page."""

    delta_strategy: Literal["None", "Watermark"] = "None"
    watermark_column: str | None = None
    watermark_query: str | None = None
    data_source_time_zone: str = "UTC"


@dataclass
class RunProfiles:
    """The Run Profiles page (Export is required; Full Import loads the cache at start)."""

    export: bool = True
    full_import: bool = True
    delta_import: bool = False


ExportMethod = Literal["Table", "Stored Procedure", "SQL Query"]
ImportMethod = Literal["Table", "View", "Stored Procedure", "SQL Query"]
EXPORT_METHODS: tuple[ExportMethod, ...] = get_args(ExportMethod)
IMPORT_METHODS: tuple[ImportMethod, ...] = get_args(ImportMethod)
DEFAULT_PAGE_SIZE = 500


@dataclass
class ExportStep:
    """The Export page: how a SCIM write reaches the database. ``Table`` writes the Schema 2
    table itself; ``Stored Procedure`` calls the Add/Update/Delete procedures with parameters
    written as Microsoft writes them (``Name:Direction:Value``, one per line, the value
    ``@Attribute``, ``@Anchor`` or a literal); ``SQL Query`` runs the Insert/Update/Delete
    statements with ``@Attribute`` placeholders. Every value is bound, never interpolated."""

    operation_method: ExportMethod = "Table"
    add_sp_name: str | None = None
    add_sp_parameters: str | None = None
    update_sp_name: str | None = None
    update_sp_parameters: str | None = None
    delete_sp_name: str | None = None
    delete_sp_parameters: str | None = None
    use_named_parameters: bool = False
    insert_query: str | None = None
    update_query: str | None = None
    delete_query: str | None = None


@dataclass
class ImportStep:
    """The Full Import page: how rows are read. ``Table`` reads the Schema 2 table, ``View`` a
    view of the same columns; ``Stored Procedure`` / ``SQL Query`` return one page of rows
    per call, ``@StartIndex`` and ``@EndIndex`` (1-based, inclusive) bound per page."""

    operation_method: ImportMethod = "Table"
    view: str | None = None
    sp_name: str | None = None
    sp_parameters: str | None = None
    query: str | None = None
    page_size: int = DEFAULT_PAGE_SIZE


DeltaMethod = Literal["Table", "Stored Procedure", "SQL Query"]
DELTA_METHODS: tuple[DeltaMethod, ...] = get_args(DeltaMethod)


@dataclass
class DeltaImportStep:
    """The Delta Import page: how rows changed since the last import are read. ``Table``
    compares the Global page's watermark column; ``Stored Procedure`` / ``SQL Query`` return
    every row changed after ``@Watermark`` (the highest watermark column value seen)."""

    operation_method: DeltaMethod = "Table"
    sp_name: str | None = None
    sp_parameters: str | None = None
    query: str | None = None


@dataclass
class ObjectType:
    """The Object Types page."""

    target_object: str = "User"
    autogenerated_dn: bool = True  # DN = CN=<anchor>,OBJECT=USER


@dataclass
class Attribute:
    """One selected column (Select Attributes), optionally bound to a core SCIM attribute."""

    column: str
    scim: str | None = None


@dataclass
class Deprovisioning:
    """The Deprovisioning page: what Entra's disable (active=false) and delete do."""

    disable_flow: Literal["None", "Set attribute value", "Delete"] = "None"
    disable_attribute: str | None = None  # a boolean column, with "Set attribute value"
    disable_value: bool = True  # the value written on disable; the opposite on enable
    delete_flow: Literal["None", "Delete"] = "Delete"


@dataclass
class Connector:
    """One connector: everything the wizard pages produced for it."""

    name: str
    connectivity: Connectivity
    schema: Schema
    schema_version: int = SCHEMA_VERSION
    description: str = ""
    autosync_minutes: int = DEFAULT_AUTOSYNC_MINUTES
    secret_token_ref: str | None = None
    global_: GlobalSettings = field(default_factory=GlobalSettings, metadata={"key": "global"})
    run_profiles: RunProfiles = field(default_factory=RunProfiles)
    object_type: ObjectType = field(default_factory=ObjectType)
    attributes: list[Attribute] = field(default_factory=list)
    deprovisioning: Deprovisioning = field(default_factory=Deprovisioning)
    # The run-step pages; absent means the Table method (what Schema 2 implies).
    export: ExportStep | None = None
    full_import: ImportStep | None = None
    delta_import: DeltaImportStep | None = None
    # `ecmactl token rotate`: the replaced token stays valid until this ISO-8601 UTC time.
    previous_secret_token_ref: str | None = None
    previous_secret_token_expires: str | None = None

    @property
    def export_method(self) -> ExportMethod:
        return self.export.operation_method if self.export is not None else "Table"

    @property
    def import_method(self) -> ImportMethod:
        return self.full_import.operation_method if self.full_import is not None else "Table"

    @property
    def delta_method(self) -> DeltaMethod:
        return self.delta_import.operation_method if self.delta_import is not None else "Table"

    @property
    def uses_run_steps(self) -> bool:
        """Does a run step go through something other than the table (version 2)?"""
        methods = (self.export_method, self.import_method, self.delta_method)
        return any(m != "Table" for m in methods)

    @property
    def has_child_tables(self) -> bool:
        """Does it have multi-valued attributes (version 3)?"""
        return bool(self.schema.child_tables)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.schema.columns if c.name == name), None)

    @property
    def scim_path(self) -> str:
        return scim_path(self.name)

    def dn_for(self, anchor_value: str) -> str:
        """The DN ECMA2Host generates when Autogenerated is checked."""
        return f"CN={anchor_value},OBJECT={self.object_type.target_object.upper()}"
