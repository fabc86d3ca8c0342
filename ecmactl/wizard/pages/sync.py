"""Global and Run Profiles: how changes are detected, and which imports run."""

from __future__ import annotations

from ecmactl.wizard import database, validators
from ecmactl.wizard.context import WizardContext
from ecmactl.wizard.pages.choices import fixed_choices
from ecmactl.wizard.questions import Choice, Invalid, Page, Question


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
            choices=fixed_choices("None", "Watermark"),
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
