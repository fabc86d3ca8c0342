"""Validators of the wizard's answers: each returns the normalised value or raises Invalid."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ecmactl.config import rules
from ecmactl.config.models import CORE_BINDINGS
from ecmactl.invocation import command
from ecmactl.wizard.context import WizardContext
from ecmactl.wizard.questions import Invalid

MIN_TOKEN_LENGTH = 12
UNBOUND = "(none)"
T = TypeVar("T")


def _rule(rule: Callable[[T], T], value: T) -> T:
    """A rule of ``ecmactl.config.rules`` (the one copy config loading uses too)."""
    try:
        return rule(value)
    except rules.RuleError as exc:
        raise Invalid(str(exc)) from None


def port(value: int, ctx: WizardContext) -> int:
    return _rule(rules.port, value)


def hostname(value: str, ctx: WizardContext) -> str:
    return _rule(rules.hostname, value)


def bind_address(value: str, ctx: WizardContext) -> str:
    return _rule(rules.bind_address, value)


def existing_file(value: str, ctx: WizardContext) -> str:
    path = Path(value).expanduser()
    if not path.is_file():
        raise Invalid(f"{value} is not a file")
    return str(path.absolute())


def connector_name(value: str, ctx: WizardContext) -> str:
    _rule(rules.connector_name, value)
    if value in ctx.existing_connectors and value != ctx.editing and not ctx.allow_replace:
        raise Invalid(
            f"a connector named {value!r} already exists in this home; choose another name, "
            f"edit it with `{command('configure', 'PAGE', connector=value)}`, or replace it with "
            "--force"
        )
    clash = {n.casefold() for n in ctx.existing_connectors if n not in (ctx.editing, value)}
    if value.casefold() in clash:
        raise Invalid(f"{value!r} differs from an existing connector only by case; choose another")
    return value


def autosync_minutes(value: int, ctx: WizardContext) -> int:
    return _rule(rules.autosync_minutes, value)


def secret_token(value: Any, ctx: WizardContext) -> Any:
    if not isinstance(value, str):
        return value  # KEEP
    if len(value) < MIN_TOKEN_LENGTH:
        raise Invalid(f"the secret token must be at least {MIN_TOKEN_LENGTH} characters")
    if any(ch.isspace() or not ch.isprintable() or ord(ch) > 126 for ch in value):
        raise Invalid("the secret token must be printable ASCII without spaces")
    return value


def time_zone(value: str, ctx: WizardContext) -> str:
    return _rule(rules.time_zone, value)


def object_types(value: str, ctx: WizardContext) -> str:
    names = [v.strip() for v in value.split(",") if v.strip()]
    if not names:
        raise Invalid("give at least one object type, e.g. User")
    return ",".join(names)


def bindings(value: dict[str, str], ctx: WizardContext) -> dict[str, str]:
    selected = list(ctx.get("attributes.columns") or [])
    # Every selected column appears, unbound ones as "(none)", so the prompt can offer them all.
    out: dict[str, str] = dict.fromkeys(selected, UNBOUND)
    used: dict[str, str] = {}
    for column, target in value.items():
        if column not in out:
            raise Invalid(f"{column!r} is not a selected attribute; select it first")
        if target.casefold() in ("", "-", "none", UNBOUND):
            continue
        canonical = next((b for b in CORE_BINDINGS if b.casefold() == target.casefold()), None)
        if canonical is None:
            raise Invalid(
                f"{target!r} is not a core SCIM attribute ecmactl binds; use one of: "
                + ", ".join(CORE_BINDINGS)
            )
        if canonical in used:
            raise Invalid(f"{canonical} is bound to both {used[canonical]} and {column}")
        col = ctx.column(column)
        if canonical == "active" and (col is None or col.data_type != "Boolean"):
            raise Invalid(f"active can only be bound to a Boolean column, not {column}")
        base = canonical.split("[", 1)[0]
        child = _multi_valued_targets(ctx).get(base)
        if child is not None:
            from ecmactl.invocation import command

            remove = command("configure", "multivalue", "--remove", child, connector=ctx.editing)
            raise Invalid(
                f"{base} is filled by the multi-valued attribute of child table {child}; bind "
                f"{column} to (none), or remove the child table first: `{remove}`"
            )
        used[canonical] = column
        out[column] = canonical
    return out


def _multi_valued_targets(ctx: WizardContext) -> dict[str, str]:
    from ecmactl.wizard.multivalue import multi_valued_targets

    return multi_valued_targets(ctx)


def secret_store(value: str, ctx: WizardContext) -> str:
    from ecmactl.secrets import keyring_available

    if value == "keyring" and not keyring_available():
        raise Invalid(
            "no OS keyring is available on this machine; choose file (a 0600 file in "
            "the home) or env (variables supplied at run time)"
        )
    return value


def target_object(value: str, ctx: WizardContext) -> str:
    return _rule(rules.target_object, value)


def plural(count: int, one: str, many: str) -> str:
    """``1 table``, ``2 tables``: counts read right in every message."""
    return f"{count} {one if count == 1 else many}"
