"""Secret store: where tokens and passwords live. Config files hold references, never values.

References:
- ``keyring:<connector>/<secret>``  the OS keyring (service ``ecmactl``), the default where one
                       works; the account is prefixed with a hash of the home's path so two homes
                       on one machine never share entries, while the reference itself stays the
                       same in every home (an answers file replays to identical bytes);
- ``file:<path>``      a 0600 file (relative paths are relative to the home), for headless hosts;
- ``env:<VARIABLE>``   an environment variable, for pipelines and containers.

Nothing here logs or formats a secret value into a message.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO, get_args

from ecmactl.atomic import write_atomic
from ecmactl.errors import ConfigError, UsageError
from ecmactl.file_flags import undecodable_at
from ecmactl.home import Home
from ecmactl.invocation import command

KEYRING_SERVICE = "ecmactl"
StoreKind = Literal["keyring", "file", "env"]
STORE_KINDS: tuple[StoreKind, ...] = get_args(StoreKind)


def keyring_available() -> bool:
    """True when the OS keyring has a real backend (not keyring's fail or null stand-ins)."""
    try:
        import keyring
        from keyring.backends import fail, null
    except Exception:
        return False
    try:
        backend = keyring.get_keyring()
    except Exception:
        return False
    return not isinstance(backend, fail.Keyring | null.Keyring)


def env_name(connector: str, secret: str) -> str:
    """``ECMACTL_SECRET_TOKEN_HR_SQL`` for connector ``HR-SQL``, secret ``secret-token``."""
    return "ECMACTL_" + re.sub(r"[^A-Za-z0-9]", "_", f"{secret}_{connector}").upper()


@dataclass(frozen=True)
class SecretStore:
    kind: StoreKind
    home: Home

    def reference(self, connector: str, secret: str) -> str:
        if self.kind == "keyring":
            return f"keyring:{connector}/{secret}"
        if self.kind == "file":
            return f"file:secrets/{connector}.{secret}"
        return f"env:{env_name(connector, secret)}"

    def put(self, connector: str, secret: str, value: str) -> str:
        """Store ``value`` and return its reference. For ``env`` nothing is stored."""
        ref = self.reference(connector, secret)
        write_secret(ref, value, self.home)
        return ref


def keyring_account(target: str, home: Home) -> str:
    """The keyring account for a ``keyring:`` target in ``home`` (home-specific, see above)."""
    home_id = hashlib.sha256(str(home.root).encode()).hexdigest()[:10]
    return f"{home_id}/{target}"


def write_secret(ref: str, value: str, home: Home) -> None:
    scheme, _, target = ref.partition(":")
    if scheme == "keyring":
        import keyring

        try:
            keyring.set_password(KEYRING_SERVICE, keyring_account(target, home), value)
        except Exception as exc:  # keyring raises many backend-specific types
            raise ConfigError(
                f"the OS keyring refused to store a secret ({type(exc).__name__})",
                hint="Unlock the keyring, or choose --secret-store file or env.",
            ) from None
    elif scheme == "file":
        path = home.resolve(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
        write_atomic(path, value + "\n", mode=0o600)
    elif scheme == "env":
        pass  # the pipeline provides the variable; we only record its name
    else:
        raise UsageError(f"unknown secret reference scheme {scheme!r}")


def read_secret(ref: str, home: Home) -> str:
    """The value behind a reference; a ConfigError (without the value) when it is missing."""
    scheme, _, target = ref.partition(":")
    if scheme == "keyring":
        try:
            import keyring

            value = keyring.get_password(KEYRING_SERVICE, keyring_account(target, home))
        except Exception as exc:
            raise ConfigError(
                f"the OS keyring could not be read ({type(exc).__name__})",
                hint=f"Unlock the keyring, or move the secret with `{_set_again(target)}`.",
            ) from None
        if value is None:
            raise ConfigError(
                f"the keyring has no entry {target!r} for this home",
                hint=f"Set it again with `{_set_again(target)}`.",
            )
        return value
    if scheme == "file":
        path = home.resolve(target)
        try:
            return Path(path).read_text(encoding="utf-8").rstrip("\r\n")
        except FileNotFoundError:
            raise ConfigError(f"the secret file {path} is missing") from None
        except OSError as exc:
            raise ConfigError(f"cannot read the secret file {path}: {exc.strerror}") from None
        except UnicodeDecodeError as exc:  # a binary file or another encoding (never shown)
            named = _file_target(path)
            again = f", or set it again with `{_set_again(named)}`" if named else ""
            raise ConfigError(
                f"the secret file {path} is not UTF-8 text ({undecodable_at(exc)})",
                hint=f"Write the secret into it as one line of UTF-8 text{again}.",
            ) from None
    if scheme == "env":
        value = os.environ.get(target)
        if not value:
            raise ConfigError(
                f"the environment variable {target} is not set",
                hint=f"Export {target} before starting ecmactl.",
            )
        return value
    raise ConfigError(f"unknown secret reference {ref.split(':')[0]!r}")


def _file_target(path: Path) -> str | None:
    """``connector/secret`` for a file named as ``SecretStore.reference`` names them
    (``<connector>.<secret>``); None for a file named by hand (no command rewrites it)."""
    connector, _, secret = path.name.rpartition(".")
    known = connector and secret in ("secret-token", "db-password", "key-passphrase")
    return f"{connector}/{secret}" if known else None


def _set_again(target: str) -> str:
    """The command that stores the secret ``connector/secret`` again."""
    connector, _, secret = target.partition("/")
    if secret == "secret-token":
        return command("token", "set", connector=connector)
    if secret == "db-password":
        return command("configure", "connectivity", connector=connector)
    return command("configure", "settings")


def choose_store(requested: str | None, home: Home) -> tuple[SecretStore, str | None]:
    """The store to use and, when ecmactl had to fall back, a warning that says so."""
    if requested is not None:
        if requested not in STORE_KINDS:
            raise UsageError(
                f"--secret-store must be one of {', '.join(STORE_KINDS)}, not {requested!r}"
            )
        if requested == "keyring" and not keyring_available():
            raise UsageError(
                "no OS keyring is available on this machine",
                hint="Use --secret-store file (a 0600 file in the home) or --secret-store env.",
            )
        return SecretStore(requested, home), None
    if keyring_available():
        return SecretStore("keyring", home), None
    warning = (
        f"No OS keyring is available here; secrets are stored in {home.secrets_dir} "
        "(files readable only by you, mode 0600). Choose otherwise with "
        "--secret-store keyring|file|env."
    )
    return SecretStore("file", home), warning


def generate_token(length: int = 32) -> str:
    """A secret token from the OS CSPRNG: letters and digits only, so it pastes anywhere."""
    import secrets
    import string

    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))


def mask(value: str) -> str:
    """Show only enough to recognise a secret: its length and last two characters."""
    if len(value) <= 4:
        return "*" * len(value)
    return "*" * (len(value) - 2) + value[-2:]


def delete_secret(ref: str, home: Home) -> None:
    """Remove the value behind a reference; a missing value is not an error (env: nothing)."""
    scheme, _, target = ref.partition(":")
    if scheme == "keyring":
        import keyring

        # PasswordDeleteError when absent; other backends raise other types.
        with contextlib.suppress(Exception):
            keyring.delete_password(KEYRING_SERVICE, keyring_account(target, home))
    elif scheme == "file":
        path = home.resolve(target)
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise ConfigError(f"cannot remove the secret file {path}: {exc.strerror}") from None


def secret_ref_kind(ref: str) -> str:
    """``keyring``, ``file`` or ``env``: where a reference points (never the value)."""
    return ref.partition(":")[0]


def read_secret_source(
    path: str | None, *, flag: str, env: str | None = None, stdin: TextIO | None = None
) -> str | None:
    """A secret given as ``--…-file PATH`` (``-`` = one line of stdin), else ``env``, else None.

    Secrets are never flag values (they would show in `ps` and shell history). The file or
    standard input is read by ``file_flags.read_file_flag`` (errors name the flag and the file,
    never the content; one flag per run reads stdin).
    """
    from ecmactl.file_flags import read_file_flag

    if path:
        value = read_file_flag(path, flag=flag, one_line=True, stdin=stdin)
    elif env and os.environ.get(env):
        value = os.environ[env]
    else:
        return None
    value = value.rstrip("\r\n")
    if not value:
        source = "standard input" if path == "-" else (path or env)
        raise UsageError(f"{flag}: {source} is empty")
    return value
