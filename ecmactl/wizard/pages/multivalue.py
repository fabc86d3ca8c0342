"""Multi-Values Table/Views (MIM's Generic SQL, Schema 2 "Name of Multi-Values Table/Views"
and the Join Condition): a child table whose rows are the values of multi-valued attributes.

One child table per pass; the connector's other child tables are kept (`configure multivalue`
adds, changes, removes or lists them). Every answer is checked against the live database.
"""

from __future__ import annotations

from ecmactl.wizard import multivalue
from ecmactl.wizard.context import WizardContext
from ecmactl.wizard.pages.choices import NONE
from ecmactl.wizard.questions import Action, Choice, Page, Question


def _chosen(ctx: WizardContext) -> bool:
    return ctx.get("multivalue.child_table") not in (None, "", NONE)


def _default_table(ctx: WizardContext) -> str:
    if ctx.child_tables:
        return ctx.child_tables[0].table
    return NONE


def _sub_attribute_column(kind: str, help_text: str) -> Question:
    """The child column that gives a core attribute's ``type`` or ``primary`` (asked only when
    a child column is bound to a core attribute)."""
    return Question(
        f"multivalue.{kind}_column",
        f"{kind.capitalize()} column",
        "select",
        help_text,
        f"--{kind}-column",
        default=multivalue.default_flag(kind),
        choices=multivalue.flag_choices(kind),
        required=False,
        when=lambda ctx: _chosen(ctx) and multivalue.binds_core(ctx),
        metavar="COLUMN",
    )


MULTIVALUE = Page(
    "multivalue",
    "Multi-Values Table/Views",
    "Child tables whose rows are the values of multi-valued attributes (several e-mails, "
    "phone numbers, roles per user), joined to the Schema 2 table.",
    (
        Action(
            "multivalue.detect",
            "Looking for child tables",
            multivalue.detect_candidates,
            back_to="multivalue.child_table",
        ),
        Question(
            "multivalue.child_table",
            "User:Name of Multi-Values Table/Views",
            "select",
            "A table holding one row per value, joined to the user's row; (none) for no "
            "multi-valued attributes.",
            "--child-table",
            default=_default_table,
            choices=multivalue.child_table_choices,
            required=False,
            metavar="TABLE",
        ),
        Action(
            "multivalue.columns",
            "Reading the child table",
            multivalue.detect_child_columns,
            back_to="multivalue.child_table",
            when=_chosen,
        ),
        Question(
            "multivalue.join",
            "Join Condition",
            "text",
            "Child column = parent column, e.g. EmployeeEmails.EmployeeID = Employees.ID "
            "(offered from the foreign key).",
            "--join",
            default=multivalue.default_join,
            validate=multivalue.validate_join,
            when=_chosen,
            metavar="'CHILD.COLUMN = PARENT.COLUMN'",
        ),
        Question(
            "multivalue.attributes",
            "SCIM target per child column",
            "mapping",
            f"Each chosen column becomes a multi-valued attribute: {multivalue.TARGET_HELP}; "
            "(none) leaves a column out.",
            "--child-attribute",
            default=multivalue.default_attributes,
            choices=lambda ctx: [
                *(Choice(t, t) for t in multivalue.TARGETS),
                Choice(NONE, "(none: not an attribute)"),
            ],
            validate=multivalue.validate_attributes,
            when=_chosen,
            metavar="COLUMN=TARGET",
        ),
        _sub_attribute_column(
            "type", 'Child column holding each value\'s type ("work", "home"); (none) for none.'
        ),
        _sub_attribute_column(
            "primary", "Child column marking the primary value (true/false); (none) for none."
        ),
        Action(
            "multivalue.check",
            "Checking the child table",
            multivalue.check_child,
            back_to="multivalue.join",
            when=_chosen,
        ),
    ),
)
