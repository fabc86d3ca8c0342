"""The wizard pages in Microsoft's order, with Microsoft's names (Generic SQL connector).

Settings is host-level (asked once per home); the rest describe one connector. Each question's
``key`` is its answers-file key and ``flag`` its command-line option.
"""

from __future__ import annotations

import socket
from typing import Any

from ecmactl.config.models import (
    CORE_BINDINGS,
    DATA_TYPES,
    DEFAULT_AUTOSYNC_MINUTES,
    DEFAULT_PORT,
    DIRECTIONS,
)
from ecmactl.secrets import STORE_KINDS, generate_token
from ecmactl.wizard import database, validators
from ecmactl.wizard.context import WizardContext
from ecmactl.wizard.questions import Action, Choice, Invalid, Page, Question
from ecmactl.wizard.suggest import suggest_bindings

NONE = "(none)"


def default_hostname() -> str:
    return socket.getfqdn().lower() or "localhost"


def _choices(*values: str) -> Any:
    return lambda ctx: [Choice(v, v) for v in values]


def _columns(ctx: WizardContext, *, exclude: tuple[str, ...] = ()) -> list[Choice]:
    return [
        Choice(c.name, f"{c.name}  ({c.sql_type}{'' if c.nullable else ', NOT NULL'})")
        for c in ctx.columns
        if c.name not in exclude
    ]


def _certificate_default(ctx: WizardContext) -> str:
    return "keep" if ctx.home.settings_path.exists() else "generate"


def _certificate_choices(ctx: WizardContext) -> list[Choice]:
    choices = [
        Choice("generate", "Generate a self-signed certificate"),
        Choice("existing", "Use an existing PEM or PFX file"),
    ]
    if ctx.home.settings_path.exists():
        choices.insert(0, Choice("keep", "Keep the current certificate"))
    return choices


# --- Settings (host) -------------------------------------------------------------------------

SETTINGS = Page(
    "settings",
    "Settings",
    "The host: the HTTPS port Entra's provisioning agent calls, and the certificate it trusts.",
    (
        Question(
            "settings.port",
            "Port",
            "int",
            "HTTPS port of the SCIM host.",
            "--port",
            default=lambda ctx: DEFAULT_PORT,
            validate=validators.port,
            metavar="PORT",
        ),
        Question(
            "settings.bind_address",
            "Bind address",
            "text",
            "Interface to listen on: 127.0.0.1 when the provisioning agent runs on this "
            "machine (Microsoft's layout), 0.0.0.0 to accept other machines.",
            "--bind-address",
            default=lambda ctx: "127.0.0.1",
            validate=validators.bind_address,
            metavar="ADDRESS",
        ),
        Question(
            "settings.hostname",
            "Host name",
            "text",
            "The name in the Tenant URL and the certificate's SAN (the machine's FQDN).",
            "--hostname",
            default=lambda ctx: default_hostname(),
            validate=validators.hostname,
            metavar="NAME",
        ),
        Question(
            "settings.certificate",
            "Certificate",
            "select",
            "Generate a self-signed certificate whose SAN is the host name (valid 2 years), "
            "or use an existing PEM or PFX file (recommended for production).",
            "--certificate",
            default=lambda ctx: _certificate_default(ctx),
            choices=lambda ctx: _certificate_choices(ctx),
            metavar="generate|existing|keep",
        ),
        Question(
            "settings.certificate_path",
            "Certificate file",
            "text",
            "PEM (certificate, key and chain in one file) or PFX/PKCS#12 file.",
            "--certificate-path",
            validate=validators.existing_file,
            when=lambda ctx: ctx.get("settings.certificate") == "existing",
            metavar="PATH",
        ),
        Question(
            "settings.key_path",
            "Private key file",
            "text",
            "The private key, when the PEM file does not contain it (leave empty otherwise).",
            "--key-path",
            validate=validators.existing_file,
            required=False,
            when=lambda ctx: (
                ctx.get("settings.certificate") == "existing"
                and not str(ctx.get("settings.certificate_path", ""))
                .lower()
                .endswith((".pfx", ".p12"))
            ),
            metavar="PATH",
        ),
        Question(
            "settings.certificate_password",
            "Certificate password",
            "secret",
            "Password of the PFX file or encrypted key (empty if none).",
            "--certificate-password-file",
            secret_env="ECMACTL_CERTIFICATE_PASSWORD",
            required=False,
            when=lambda ctx: ctx.get("settings.certificate") == "existing",
        ),
        Question(
            "settings.secret_store",
            "Secret store",
            "select",
            "Where tokens and passwords are kept: the OS keyring, a 0600 file in the home, "
            "or environment variables supplied at run time.",
            "--secret-store",
            default=lambda ctx: database.default_secret_store(),
            choices=_choices(*STORE_KINDS),
            validate=validators.secret_store,
            metavar="keyring|file|env",
        ),
    ),
    level="host",
)

# --- Properties ---------------------------------------------------------------------------------

PROPERTIES = Page(
    "properties",
    "Properties",
    "The connector's name (part of the Tenant URL), autosync timer and secret token.",
    (
        Question(
            "properties.name",
            "Name",
            "text",
            "Connector name; case-sensitive, becomes /ecma2host_<name>/scim.",
            "--name",
            validate=validators.connector_name,
            metavar="NAME",
        ),
        Question(
            "properties.autosync_minutes",
            "Autosync timer (minutes)",
            "int",
            "How often the host re-reads the database into its cache.",
            "--autosync-minutes",
            default=lambda ctx: DEFAULT_AUTOSYNC_MINUTES,
            validate=validators.autosync_minutes,
            metavar="MINUTES",
        ),
        Question(
            "properties.secret_token",
            "Secret Token",
            "secret",
            "The bearer token Entra sends (Secret Token field in the admin center); "
            "at least 12 characters. A 32-character random token is generated by default.",
            "--secret-token-file",
            secret_env="ECMACTL_SECRET_TOKEN",
            default=lambda ctx: generate_token(),
            validate=validators.secret_token,
        ),
        Question(
            "properties.description",
            "Description",
            "text",
            "Free text.",
            "--description",
            default=lambda ctx: "",
            required=False,
            metavar="TEXT",
        ),
    ),
)

# --- Connectivity -------------------------------------------------------------------------------

CONNECTIVITY = Page(
    "connectivity",
    "Connectivity",
    "The database: a SQLAlchemy URL, an ODBC connection string or a file DSN.",
    (
        Question(
            "connectivity.database_url",
            "Database URL (or DSN file)",
            "text",
            "e.g. postgresql://db01/hr, mysql://db01/hr, sqlite:///hr.db, "
            "'Driver={ODBC Driver 18 for SQL Server};Server=db01;Database=HR' or a .dsn file.",
            "--database-url",
            validate=database.validate_url,
            metavar="URL",
        ),
        Question(
            "connectivity.user",
            "User Name",
            "text",
            "Database account with read and write rights on the table (empty: from the URL).",
            "--db-user",
            default=lambda ctx: "",
            required=False,
            metavar="USER",
        ),
        Question(
            "connectivity.password",
            "Password",
            "secret",
            "Password of that account (empty: none, or from the URL).",
            "--db-password-file",
            secret_env="ECMACTL_DB_PASSWORD",
            required=False,
        ),
        Question(
            "connectivity.dn_is_anchor",
            "DN is Anchor",
            "confirm",
            "Use the DN as the anchor too (leave unchecked unless required).",
            "--dn-is-anchor",
            default=lambda ctx: False,
        ),
        Question(
            "connectivity.export_type_object_replace",
            "Export Type: Object Replace",
            "confirm",
            "Replace the whole row on every export (leave unchecked).",
            "--object-replace",
            default=lambda ctx: False,
        ),
        Action(
            "connectivity.test",
            "Testing the connection",
            database.test_connection,
            back_to="connectivity.database_url",
        ),
    ),
)

# --- Schema 1-4 ---------------------------------------------------------------------------------

SCHEMA = Page(
    "schema",
    "Schema 1-4",
    "Object types, the table to provision, its anchor and DN, and each column's type.",
    (
        Question(
            "schema.object_type_detection",
            "Object type detection method",
            "select",
            "Fixed Value (a list such as User) or Table (a table column naming types).",
            "--object-type-detection",
            default=lambda ctx: "Fixed Value",
            choices=_choices("Fixed Value", "Table"),
            metavar="'Fixed Value'|Table",
        ),
        Question(
            "schema.object_types",
            "Fixed value list",
            "text",
            "Comma-separated object types; ECMA2Host provisions User.",
            "--object-types",
            default=lambda ctx: "User",
            validate=validators.object_types,
            when=lambda ctx: ctx.get("schema.object_type_detection") == "Fixed Value",
            metavar="LIST",
        ),
        Question(
            "schema.object_type_table",
            "Object type table",
            "select",
            "Table holding the object type names.",
            "--object-type-table",
            choices=database.table_choices,
            when=lambda ctx: ctx.get("schema.object_type_detection") == "Table",
            metavar="TABLE",
        ),
        Question(
            "schema.object_type_column",
            "Object type column",
            "text",
            "Column of that table naming the object types.",
            "--object-type-column",
            validate=database.validate_object_type_column,
            when=lambda ctx: ctx.get("schema.object_type_detection") == "Table",
            metavar="COLUMN",
        ),
        Question(
            "schema.attribute_detection",
            "User:Attribute Detection",
            "select",
            "Read the attributes from a Table or a View.",
            "--attribute-detection",
            default=lambda ctx: "Table",
            choices=_choices("Table", "View"),
            metavar="Table|View",
        ),
        Question(
            "schema.db_schema",
            "Database schema",
            "text",
            "Schema holding the table (empty: the connection's default).",
            "--db-schema",
            default=lambda ctx: "",
            required=False,
            when=lambda ctx: ctx.dialect in ("postgresql", "mssql"),
            metavar="SCHEMA",
        ),
        Question(
            "schema.table",
            "User:Table/View",
            "select",
            "The table (or view) whose rows are the users.",
            "--table",
            default=database.default_table,
            choices=database.table_choices,
            metavar="TABLE",
        ),
        Action(
            "schema.detect", "Detecting attributes", database.detect_columns, back_to="schema.table"
        ),
        Question(
            "schema.anchor",
            "Select Anchor for: User",
            "select",
            "Column identifying a user; unique, NOT NULL, never changing. It becomes the SCIM id.",
            "--anchor",
            default=database.default_anchor,
            choices=database.anchor_choices,
            metavar="COLUMN",
        ),
        Question(
            "schema.dn_attribute",
            "Select DN attribute for User",
            "select",
            "Column holding the DN; (none) when the DN is autogenerated "
            "(CN=<anchor>,OBJECT=USER, the default).",
            "--dn-attribute",
            default=lambda ctx: NONE,
            choices=lambda ctx: [
                Choice(NONE, "(none: autogenerate the DN)"),
                *_columns(ctx, exclude=(ctx.get("schema.anchor"),)),
            ],
            when=lambda ctx: not ctx.get("connectivity.dn_is_anchor"),
            metavar="COLUMN",
        ),
        Question(
            "schema.column_types",
            "DataType per attribute",
            "mapping",
            f"Detected types are the defaults; override any ({', '.join(DATA_TYPES)}).",
            "--column-type",
            default=lambda ctx: {c.name: c.data_type for c in ctx.columns},
            choices=_choices(*DATA_TYPES),
            validate=database.validate_column_types,
            metavar="COLUMN=TYPE",
        ),
        Question(
            "schema.directions",
            "Direction per attribute",
            "mapping",
            "Import, Export or ImportExport (the default) for each column.",
            "--direction",
            default=lambda ctx: {c.name: "ImportExport" for c in ctx.columns},
            choices=_choices(*DIRECTIONS),
            validate=database.validate_directions,
            metavar="COLUMN=DIRECTION",
        ),
    ),
)

# --- Global, Run Profiles -----------------------------------------------------------------------


def _watermark_choices(ctx: WizardContext) -> list[Choice]:
    return [
        Choice(c.name, f"{c.name}  ({c.sql_type})")
        for c in ctx.columns
        if c.data_type in ("DateTime", "Integer")
    ]


GLOBAL = Page(
    "global",
    "Global",
    "How changes are detected between full imports, and the database's time zone.",
    (
        Question(
            "global.delta_strategy",
            "Delta Strategy",
            "select",
            "None (every sync is a full import) or Watermark (rows changed since the last "
            "sync, by a timestamp column; cannot see deletes, so full imports still run).",
            "--delta-strategy",
            default=lambda ctx: "None",
            choices=_choices("None", "Watermark"),
            metavar="None|Watermark",
        ),
        Question(
            "global.watermark_column",
            "Watermark column",
            "select",
            "Column updated on every change (timestamp or increasing number).",
            "--watermark-column",
            choices=_watermark_choices,
            when=lambda ctx: ctx.get("global.delta_strategy") == "Watermark",
            metavar="COLUMN",
        ),
        Question(
            "global.watermark_query",
            "Water Mark Query",
            "text",
            "Query returning the database's current time.",
            "--watermark-query",
            default=database.default_watermark_query,
            when=lambda ctx: ctx.get("global.delta_strategy") == "Watermark",
            metavar="SQL",
        ),
        Question(
            "global.data_source_time_zone",
            "Data Source Time Zone",
            "text",
            "Time zone of the database server's timestamps.",
            "--time-zone",
            default=lambda ctx: "UTC",
            validate=validators.time_zone,
            metavar="ZONE",
        ),
    ),
)


def _delta_needs_watermark(value: bool, ctx: WizardContext) -> bool:
    if value and ctx.get("global.delta_strategy") != "Watermark":
        raise Invalid("Delta Import needs the Watermark delta strategy (Global page)")
    return value


RUN_PROFILES = Page(
    "run-profiles",
    "Run Profiles",
    "Export (required) writes to the database; Full Import loads the cache at start.",
    (
        Question(
            "run_profiles.full_import",
            "Full import",
            "confirm",
            "Load every row into the cache at start and on each autosync.",
            "--full-import",
            default=lambda ctx: True,
        ),
        Question(
            "run_profiles.delta_import",
            "Delta import",
            "confirm",
            "Between full imports, read only rows changed since the watermark.",
            "--delta-import",
            default=lambda ctx: ctx.get("global.delta_strategy") == "Watermark",
            validate=_delta_needs_watermark,
            when=lambda ctx: ctx.get("global.delta_strategy") == "Watermark",
        ),
    ),
)

# --- Object Types, Select Attributes, Deprovisioning ------------------------------------------


def _autogenerated(value: bool, ctx: WizardContext) -> bool:
    if not value and ctx.get("schema.dn_attribute") in (None, NONE):
        raise Invalid(
            "without Autogenerated DN a DN attribute is needed: choose one on "
            "Schema 3 (--dn-attribute) or keep Autogenerated"
        )
    return value


def _object_type_recap(ctx: WizardContext) -> str:
    """Microsoft's Object Types page lists the anchor and DN chosen on Schema 3."""
    anchor = ctx.get("schema.anchor")
    if ctx.get("connectivity.dn_is_anchor"):
        return f"Anchor {anchor}; the DN is the anchor (DN is Anchor)."
    dn = ctx.get("schema.dn_attribute")
    dn_text = (
        f"column {dn}" if dn not in (None, NONE) else "none (autogenerated unless you choose one)"
    )
    return f"Anchor {anchor}; DN attribute: {dn_text}."


OBJECT_TYPES = Page(
    "object-types",
    "Object Types",
    "The object type Entra provisions, and how its DN is formed.",
    (
        Action(
            "object_type.recap",
            "Object type",
            lambda ctx: _object_type_recap(ctx),
            back_to="schema.anchor",
        ),
        Question(
            "object_type.target_object",
            "Target object",
            "text",
            "The object type exposed to Entra (User).",
            "--target-object",
            default=lambda ctx: "User",
            metavar="TYPE",
        ),
        Question(
            "object_type.autogenerated_dn",
            "Autogenerated",
            "confirm",
            "Build the DN as CN=<anchor>,OBJECT=USER (checked in most cases).",
            "--autogenerated-dn",
            default=lambda ctx: ctx.get("schema.dn_attribute") in (None, NONE),
            validate=_autogenerated,
            when=lambda ctx: not ctx.get("connectivity.dn_is_anchor"),
        ),
    ),
)


def _selected_columns(value: list[str], ctx: WizardContext) -> list[str]:
    anchor = ctx.get("schema.anchor")
    if anchor and anchor not in value:
        raise Invalid(f"the anchor {anchor} must be selected")
    order = ctx.column_names
    return sorted(set(value), key=lambda n: order.index(n) if n in order else len(order))


SELECT_ATTRIBUTES = Page(
    "attributes",
    "Select Attributes",
    "Columns exposed to Entra as "
    "urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User:<Column>, and the core SCIM "
    "attribute each also answers to (for any SCIM client).",
    (
        Question(
            "attributes.columns",
            "Attributes",
            "checkbox",
            "Columns to expose (the anchor is required).",
            "--attribute",
            default=lambda ctx: [
                c.name
                for c in ctx.columns
                if c.data_type != "Boolean" or c.name == ctx.get("schema.anchor")
            ],
            choices=lambda ctx: _columns(ctx),
            validate=_selected_columns,
            metavar="COLUMN",
        ),
        Question(
            "attributes.bindings",
            "Core SCIM attribute per column",
            "mapping",
            "Suggested from the column names; (none) keeps a column extension-only.",
            "--bind",
            default=lambda ctx: suggest_bindings(
                ctx.columns, ctx.get("attributes.columns") or [], ctx.get("schema.anchor")
            ),
            choices=lambda ctx: [Choice(NONE, NONE)] + [Choice(b, b) for b in CORE_BINDINGS],
            validate=validators.bindings,
            metavar="COLUMN=ATTRIBUTE",
        ),
    ),
)


def _disable_choices(ctx: WizardContext) -> list[Choice]:
    selected = set(ctx.get("attributes.columns") or [])
    return [
        Choice(c.name, c.name)
        for c in ctx.columns
        if c.data_type == "Boolean" and c.name not in selected
    ]


def _disable_flow(value: str, ctx: WizardContext) -> str:
    if value == "Set attribute value" and not _disable_choices(ctx):
        raise Invalid(
            "Set attribute value needs a Boolean column that is not a selected "
            "attribute; deselect it on Select Attributes, or choose None or Delete"
        )
    if (
        value == "Set attribute value"
        and "active" in (ctx.get("attributes.bindings") or {}).values()
    ):
        raise Invalid(
            "active is already bound to a column; with Set attribute value it is "
            "derived from the disable column instead (remove the active binding)"
        )
    return value


DEPROVISIONING = Page(
    "deprovisioning",
    "Deprovisioning",
    "What happens when Entra disables a user (active=false) or deletes one.",
    (
        Question(
            "deprovisioning.disable_flow",
            "Disable flow",
            "select",
            "None, Set attribute value (a Boolean column; reversible) or Delete the row.",
            "--disable-flow",
            default=lambda ctx: "None",
            choices=_choices("None", "Set attribute value", "Delete"),
            validate=_disable_flow,
            metavar="None|'Set attribute value'|Delete",
        ),
        Question(
            "deprovisioning.disable_attribute",
            "Attribute to set",
            "select",
            "Boolean column written on disable (not one of the selected attributes).",
            "--disable-attribute",
            choices=_disable_choices,
            when=lambda ctx: ctx.get("deprovisioning.disable_flow") == "Set attribute value",
            metavar="COLUMN",
        ),
        Question(
            "deprovisioning.disable_value",
            "Value when disabled",
            "confirm",
            "The value written on disable (true for a column like AccountDisabled, false "
            "for one like Enabled); the opposite is written on enable.",
            "--disable-value",
            default=lambda ctx: True,
            when=lambda ctx: ctx.get("deprovisioning.disable_flow") == "Set attribute value",
        ),
        Question(
            "deprovisioning.delete_flow",
            "Delete flow",
            "select",
            "None (ignore deletes) or Delete the row.",
            "--delete-flow",
            default=lambda ctx: "Delete",
            choices=_choices("None", "Delete"),
            metavar="None|Delete",
        ),
    ),
)

CONNECTOR_PAGES: tuple[Page, ...] = (
    PROPERTIES,
    CONNECTIVITY,
    SCHEMA,
    GLOBAL,
    RUN_PROFILES,
    OBJECT_TYPES,
    SELECT_ATTRIBUTES,
    DEPROVISIONING,
)
ALL_PAGES: tuple[Page, ...] = (SETTINGS, *CONNECTOR_PAGES)
PAGES_BY_NAME = {page.name: page for page in ALL_PAGES}
