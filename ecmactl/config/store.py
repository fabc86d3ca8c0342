"""Loading and saving the home's TOML files, atomically and version-checked."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path
from typing import Any, TypeVar

from ecmactl.atomic import write_atomic
from ecmactl.config.models import (
    MULTI_VALUED_SCHEMA_VERSION,
    READABLE_SCHEMA_VERSION,
    RUN_STEPS_SCHEMA_VERSION,
    SCHEMA_VERSION,
    Connector,
    HostSettings,
)
from ecmactl.config.rules import check_connector, check_settings
from ecmactl.config.typed import from_dict, to_dict
from ecmactl.errors import ConfigError
from ecmactl.home import Home
from ecmactl.invocation import command

T = TypeVar("T")

HEADER = "# Written by ecmactl. Edit with `ecmactl configure …` or by hand; keep schema_version.\n"


def dump_toml(data: dict[str, Any]) -> str:
    import tomli_w

    return tomli_w.dumps(data)


def read_toml(path: Path) -> dict[str, Any]:
    """The file's TOML table, or a ConfigError naming the file, what is wrong and the fix."""
    restore = "restore a copy of the file"
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path} does not exist") from None
    except IsADirectoryError:
        raise ConfigError(
            f"{path} is a directory, not a config file",
            hint=f"Move the directory away and {restore}.",
        ) from None
    except PermissionError:
        raise ConfigError(
            f"cannot read {path}: permission denied",
            hint="Run ecmactl as the user that owns the home, or give that user read access "
            f"(`chmod u+r {path}`).",
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"{path} is not valid UTF-8 (byte 0x{raw[exc.start]:02x} on line {line})",
            hint=f"Save the file as UTF-8 (an editor saved it in another encoding), or {restore}.",
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message ends with "(at line L, column C)"
        raise ConfigError(
            f"{path} is not valid TOML: {exc}",
            hint=f"Correct the file at that line, or {restore}.",
        ) from None


def check_version(data: dict[str, Any], path: Path) -> None:
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ConfigError(
            f"{path}: schema_version is missing or not a number",
            hint=f"Add `schema_version = {SCHEMA_VERSION}` at the top of the file.",
        )
    if version > READABLE_SCHEMA_VERSION:
        raise ConfigError(
            f"{path} was written by a newer ecmactl (schema_version {version}; "
            f"this ecmactl reads up to {READABLE_SCHEMA_VERSION})",
            hint="Upgrade ecmactl (pip install -U ecmactl), or restore an older copy of the file.",
        )
    if version < 1:
        raise ConfigError(
            f"{path}: schema_version {version} is not valid",
            hint=f"Set `schema_version = {SCHEMA_VERSION}` (or {RUN_STEPS_SCHEMA_VERSION} with "
            f"run steps other than Table, {MULTI_VALUED_SCHEMA_VERSION} with child tables).",
        )


def _load(cls: type[T], path: Path) -> T:
    """The one place config is read: file errors, syntax, version, types, then every rule."""
    data = read_toml(path)
    check_version(data, path)
    try:
        return from_dict(cls, data, "")
    except ConfigError as exc:
        raise ConfigError(
            f"{path}: {exc.message}", hint=exc.hint or f"Correct it in {path}."
        ) from None


def serialize(obj: HostSettings | Connector) -> str:
    if isinstance(obj, Connector):  # the version says what the file needs to be read right
        version = SCHEMA_VERSION
        if obj.has_child_tables:
            version = MULTI_VALUED_SCHEMA_VERSION
        elif obj.uses_run_steps:
            version = RUN_STEPS_SCHEMA_VERSION
        obj = dataclasses.replace(obj, schema_version=version)
    return HEADER + dump_toml(to_dict(obj))


def load_settings(home: Home, *, check: bool = True) -> HostSettings:
    """The host settings; ``check=False`` skips the wizard's rules (not the types), for
    `configure`, which must be able to open a file those rules refuse in order to fix it."""
    if not home.settings_path.exists():
        raise ConfigError(
            f"no host settings in {home.root}",
            hint=f"Run `{command('init')}` (or `{command('init', '--sample', '--no-input')}`), "
            "or point --home / ECMACTL_HOME at an existing home.",
        )
    settings = _load(HostSettings, home.settings_path)
    if check:
        check_settings(settings, home.settings_path)
    return settings


def save_settings(home: Home, settings: HostSettings) -> None:
    write_atomic(home.settings_path, serialize(settings))


def load_connector(home: Home, name: str, *, check: bool = True) -> Connector:
    """One connector; ``check=False`` as for ``load_settings``."""
    path = home.connector_path(name)
    if not path.exists():
        from ecmactl.connector_names import unknown

        raise unknown(home, name)  # bad input (exit 2), like every unknown connector name
    connector = _load(Connector, path)
    if connector.name != name:
        raise ConfigError(
            f"{path}: name {connector.name!r} does not match the file name",
            hint=f"Set `name = {name!r}` in the file, or rename the file.".replace("'", '"'),
        )
    if check:
        check_connector(connector, path)
    return connector


def save_connector(home: Home, connector: Connector) -> None:
    write_atomic(home.connector_path(connector.name), serialize(connector))
