"""The home directory: where all of ecmactl's state lives, and its layout.

Resolution order: ``--home DIR`` > ``ECMACTL_HOME`` > the platform's per-user config dir.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

HOME_ENV = "ECMACTL_HOME"
CONNECTOR_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class Home:
    root: Path

    @property
    def settings_path(self) -> Path:
        return self.root / "settings.toml"

    @property
    def connectors_dir(self) -> Path:
        return self.root / "connectors"

    def connector_path(self, name: str) -> Path:
        return self.connectors_dir / f"{name}.toml"

    @property
    def answers_dir(self) -> Path:
        return self.root / "answers"

    def answers_path(self, name: str) -> Path:
        return self.answers_dir / f"{name}.toml"

    @property
    def certs_dir(self) -> Path:
        return self.root / "certs"

    @property
    def secrets_dir(self) -> Path:
        return self.root / "secrets"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def resolve(self, path: str) -> Path:
        """A path from a config file: relative paths are relative to the home."""
        candidate = Path(path).expanduser()
        return candidate if candidate.is_absolute() else self.root / candidate

    def connector_names(self) -> list[str]:
        if not self.connectors_dir.is_dir():
            return []
        return sorted(p.stem for p in self.connectors_dir.glob("*.toml"))


def default_home_root() -> Path:
    import platformdirs  # lazy: only commands that touch the home pay for its import

    return Path(platformdirs.user_config_dir("ecmactl", appauthor=False))


def resolve_home(explicit: Path | str | None = None) -> Home:
    if explicit:
        return Home(Path(explicit).expanduser().absolute())
    from_env = os.environ.get(HOME_ENV)
    if from_env:
        return Home(Path(from_env).expanduser().absolute())
    return Home(default_home_root())


def expand_home(value: str, home: Home) -> str:
    """Expand ``{home}`` in a config value (keeps a sample database URL portable)."""
    return value.replace("{home}", home.root.as_posix())
