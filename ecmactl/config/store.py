"""Loading and saving the home's TOML files, atomically and version-checked."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, TypeVar

from ecmactl.atomic import write_atomic
from ecmactl.config.models import LIMIT_RANGES, SCHEMA_VERSION, Connector, HostSettings
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
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None


def check_version(data: dict[str, Any], path: Path) -> None:
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ConfigError(f"{path}: schema_version is missing or not a number")
    if version > SCHEMA_VERSION:
        raise ConfigError(
            f"{path} was written by a newer ecmactl (schema_version {version}; "
            f"this ecmactl reads up to {SCHEMA_VERSION})",
            hint="Upgrade ecmactl (pip install -U ecmactl), or restore an older copy of the file.",
        )
    if version < 1:
        raise ConfigError(f"{path}: schema_version {version} is not valid")


def _load(cls: type[T], path: Path) -> T:
    data = read_toml(path)
    check_version(data, path)
    return from_dict(cls, data, path.name)


def serialize(obj: HostSettings | Connector) -> str:
    return HEADER + dump_toml(to_dict(obj))


def load_settings(home: Home) -> HostSettings:
    if not home.settings_path.exists():
        raise ConfigError(
            f"no host settings in {home.root}",
            hint=f"Run `{command('init')}` (or `{command('init', '--sample', '--no-input')}`), "
            "or point --home / ECMACTL_HOME at an existing home.",
        )
    settings = _load(HostSettings, home.settings_path)
    check_limits(settings, home.settings_path)
    return settings


def check_limits(settings: HostSettings, path: Path) -> None:
    """Each ``[limits]`` value within its range, or a one-line error naming the key."""
    for key, (low, high) in LIMIT_RANGES.items():
        value = getattr(settings.limits, key)
        if not low <= value <= high:
            default = getattr(type(settings.limits)(), key)
            raise ConfigError(
                f"{path}: limits.{key} = {value} is out of range ({low} to {high})",
                hint=f"Set it within that range in [limits], or delete the line for the "
                f"default ({default}).",
            )


def save_settings(home: Home, settings: HostSettings) -> None:
    write_atomic(home.settings_path, serialize(settings))


def load_connector(home: Home, name: str) -> Connector:
    path = home.connector_path(name)
    if not path.exists():
        from ecmactl.connector_names import unknown

        raise unknown(home, name)  # bad input (exit 2), like every unknown connector name
    connector = _load(Connector, path)
    if connector.name != name:
        raise ConfigError(f"{path}: name {connector.name!r} does not match the file name")
    return connector


def save_connector(home: Home, connector: Connector) -> None:
    write_atomic(home.connector_path(connector.name), serialize(connector))
