"""The rules a config value must follow: one copy, used by the wizard and by every load.

Each rule returns the value (normalised) or raises ``RuleError`` with a sentence that states the
allowed values; the wizard shows that sentence under its question, and ``check_settings`` /
``check_connector`` turn it into a ConfigError naming the file, the key and the bad value. A file
edited by hand therefore cannot hold what the wizard would have refused.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from ecmactl.config.child_table_rules import child_table_problems
from ecmactl.config.models import CORE_BINDINGS, LIMIT_RANGES, Connector, HostSettings
from ecmactl.config.run_step_rules import run_step_problems
from ecmactl.errors import ConfigError
from ecmactl.home import CONNECTOR_NAME_RE
from ecmactl.invocation import command
from ecmactl.secrets import STORE_KINDS

MIN_AUTOSYNC_MINUTES = 1
MAX_AUTOSYNC_MINUTES = 10080  # a week
DNS_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")  # one label of a host name
SECRET_SCHEMES = STORE_KINDS  # a reference names the store that holds its value


class RuleError(ValueError):
    """A value breaks its rule; the message says what is allowed."""


def port(value: int) -> int:
    if not 1 <= value <= 65535:
        raise RuleError("a TCP port is a number from 1 to 65535")
    return value


def hostname(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        pass
    name = value.rstrip(".")
    if len(name) > 253 or not all(DNS_LABEL.match(label) for label in name.split(".")):
        raise RuleError(
            f"{value!r} is not a valid host name (letters, digits and hyphens, dot-separated)"
        )
    return name.lower()


def bind_address(value: str) -> str:
    if value in ("localhost", "*"):
        return value
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        raise RuleError(
            f"{value!r} is not an IP address (use 127.0.0.1 for this machine only, "
            "0.0.0.0 for every IPv4 interface, :: for every interface)"
        ) from None


URL_PREFIX = "ecma2host_"  # the host serves connector NAME at /ecma2host_NAME/scim


def connector_name(value: str) -> str:
    if not CONNECTOR_NAME_RE.match(value):
        raise RuleError(
            "use 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit "
            f"(the name becomes part of the URL /{URL_PREFIX}<name>/scim)"
        )
    if value.casefold().startswith(URL_PREFIX):
        # Entra's Tenant URL would read /ecma2host_ecma2host_NAME/scim: a copy-paste slip.
        rest = value[len(URL_PREFIX) :]
        advice = f"name it {rest}" if rest else "give the name without it"
        raise RuleError(
            f"the host adds the {URL_PREFIX} prefix itself (the URL would be "
            f"/{URL_PREFIX}{value}/scim); {advice}"
        )
    return value


# The SQL connector provisions users only (ECMA2Host: "Only the USER object type"; groups are
# not supported by on-premises provisioning). Person is the name Microsoft's PowerShell sample
# uses for the same thing.
TARGET_OBJECTS = ("User", "Person")


def target_object(value: str) -> str:
    for name in TARGET_OBJECTS:
        if value.casefold() == name.casefold():
            return name
    if value.casefold().rstrip("s") == "group":
        raise RuleError(
            "ECMA2Host provisions users only: Entra does not provision groups to an "
            "on-premises application; use User"
        )
    raise RuleError(
        f"{value!r} is not an object type the host provisions; use User "
        "(or Person, as in Microsoft's PowerShell sample)"
    )


def autosync_minutes(value: int) -> int:
    if not MIN_AUTOSYNC_MINUTES <= value <= MAX_AUTOSYNC_MINUTES:
        raise RuleError(
            f"the autosync timer is a number of minutes from {MIN_AUTOSYNC_MINUTES} to "
            f"{MAX_AUTOSYNC_MINUTES} (a week)"
        )
    return value


def time_zone(value: str) -> str:
    if value.upper() == "UTC":
        return "UTC"
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise RuleError(
            f"{value!r} is not an IANA time zone (for example UTC, Europe/Paris)"
        ) from None
    return value


def secret_ref(value: str) -> str:
    scheme, _, target = value.partition(":")
    if scheme not in SECRET_SCHEMES or not target:
        raise RuleError(
            "a secret reference is keyring:<connector>/<secret>, file:<path> or env:<VARIABLE>"
        )
    return value


def not_empty(value: str) -> str:
    if not value.strip():
        raise RuleError("it must not be empty")
    return value


# -- whole files ------------------------------------------------------------------------------

_Rule = Callable[[Any], Any]


class Violation(NamedTuple):
    """One broken rule in a file: the dotted key and the error a load raises for it."""

    key: str
    error: ConfigError


def check_settings(settings: HostSettings, path: Path) -> None:
    """Every field of settings.toml by the wizard's rules; ConfigError names key and value."""
    for violation in settings_violations(settings, path):
        raise violation.error


def check_connector(connector: Connector, path: Path) -> None:
    """Every field of a connector file by the wizard's rules (and the pairs it asks together)."""
    for violation in connector_violations(connector, path):
        raise violation.error


def settings_violations(settings: HostSettings, path: Path) -> Iterator[Violation]:
    """Every rule settings.toml breaks, in a fixed order (a load raises the first; bundle
    verify lists them all)."""
    yield from _broken(
        path,
        command("configure", "settings"),
        [
            ("hostname", settings.hostname, hostname),
            ("port", settings.port, port),
            ("bind_address", settings.bind_address, bind_address),
            ("certificate", settings.certificate, not_empty),
            ("private_key", settings.private_key, not_empty),
            ("metrics.port", settings.metrics.port, port),
            ("metrics.bind_address", settings.metrics.bind_address, bind_address),
        ],
    )
    if settings.metrics.enabled and settings.metrics.port == settings.port:
        yield Violation(
            "metrics.port",
            ConfigError(
                f"{path}: metrics.port = {settings.metrics.port} is the HTTPS port of the host "
                "too; metrics are served on a port of their own",
                hint=_hint(path, command("configure", "settings", "--metrics-port", "9585")),
            ),
        )
    for key, (low, high) in LIMIT_RANGES.items():  # [limits]: no wizard page, a range each
        value = getattr(settings.limits, key)
        if not low <= value <= high:
            default = getattr(type(settings.limits)(), key)
            yield Violation(
                f"limits.{key}",
                ConfigError(
                    f"{path}: limits.{key} = {value} is out of range ({low} to {high})",
                    hint=f"Set it within that range in [limits], or delete the line for the "
                    f"default ({default}).",
                ),
            )


def connector_violations(connector: Connector, path: Path) -> Iterator[Violation]:
    """Every rule a connector file breaks, as ``settings_violations``."""
    name = connector.name
    yield from _broken(path, None, [("name", name, connector_name)])  # no page renames one
    yield from _broken(
        path,
        command("configure", "properties", connector=name),
        [("autosync_minutes", connector.autosync_minutes, autosync_minutes)],
    )
    yield from _broken(
        path,
        command("configure", "connectivity", connector=name),
        [("connectivity.database_url", connector.connectivity.database_url, not_empty)],
    )
    yield from _broken(
        path,
        command("configure", "schema", connector=name),
        [
            ("schema.table", connector.schema.table, not_empty),
            ("schema.anchor", connector.schema.anchor, not_empty),
        ],
    )
    yield from _broken(
        path,
        command("configure", "object-types", connector=name),
        [("object_type.target_object", connector.object_type.target_object, target_object)],
    )
    yield from _broken(
        path,
        command("configure", "global", connector=name),
        [("global.data_source_time_zone", connector.global_.data_source_time_zone, time_zone)],
    )
    yield from _broken(
        path,
        command("token", "set", connector=name),
        [
            (key, value, secret_ref)
            for key, value in secret_ref_fields(connector)
            if value is not None
        ],
    )
    yield from _broken(
        path,
        command("configure", "attributes", connector=name),
        [
            (f"attributes[{i}].scim", a.scim, binding)
            for i, a in enumerate(connector.attributes)
            if a.scim is not None
        ],
    )
    for key, problem, page in [
        *_missing_pairs(connector),
        *_binding_conflicts(connector),
        *run_step_problems(connector),
        *child_table_problems(connector),
    ]:
        yield Violation(
            key,
            ConfigError(
                f"{path}: {problem}", hint=_hint(path, command(*page.split(), connector=name))
            ),
        )


def secret_ref_fields(connector: Connector) -> list[tuple[str, str | None]]:
    """(key, reference) of every secret reference field of a connector file."""
    return [
        ("secret_token_ref", connector.secret_token_ref),
        ("previous_secret_token_ref", connector.previous_secret_token_ref),
        ("connectivity.password_ref", connector.connectivity.password_ref),
    ]


def binding(value: str) -> str:
    if value not in CORE_BINDINGS:
        raise RuleError(
            f"it is not a core SCIM attribute ecmactl binds ({', '.join(CORE_BINDINGS)})"
        )
    return value


def _binding_conflicts(connector: Connector) -> Iterator[tuple[str, str, str]]:
    """What the wizard's bindings question refuses across attributes."""
    bound: dict[str, str] = {}
    for attribute in connector.attributes:
        if attribute.scim is None:
            continue
        if attribute.scim in bound:
            yield (
                "attributes",
                f"{attribute.scim} is bound to both {bound[attribute.scim]} and "
                f"{attribute.column} (attributes)",
                "configure attributes",
            )
        bound[attribute.scim] = attribute.column
        column = connector.column(attribute.column)
        if attribute.scim == "active" and column is not None and column.data_type != "Boolean":
            yield (
                "attributes",
                f"active can only be bound to a Boolean column, not {attribute.column} "
                f"({column.data_type})",
                "configure attributes",
            )


def _missing_pairs(connector: Connector) -> Iterator[tuple[str, str, str]]:
    """Values the wizard asks for together: one without the other cannot work."""
    if connector.global_.delta_strategy == "Watermark" and not connector.global_.watermark_column:
        yield (
            "global.watermark_column",
            'global.delta_strategy is "Watermark" but global.watermark_column is not set',
            "configure global",
        )
    deprovisioning = connector.deprovisioning
    if deprovisioning.disable_flow == "Set attribute value" and not (
        deprovisioning.disable_attribute
    ):
        yield (
            "deprovisioning.disable_attribute",
            'deprovisioning.disable_flow is "Set attribute value" but '
            "deprovisioning.disable_attribute is not set",
            "configure deprovisioning",
        )


def _broken(
    path: Path, page: str | None, checks: list[tuple[str, Any, _Rule]]
) -> Iterator[Violation]:
    for key, value, rule in checks:
        try:
            rule(value)
        except RuleError as exc:
            yield Violation(
                key,
                ConfigError(
                    f"{path}: {key} = {_toml(value)} is not allowed: {exc}",
                    hint=_hint(path, page),
                ),
            )


def _hint(path: Path, page: str | None) -> str:
    if page is None:  # the name: the file is named after it
        return f"Correct it in {path} and rename the file to match (NAME.toml)."
    return f"Correct it in {path}, or run `{page}` to set it again."


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)
