"""The connector's secret token: set, rotate with a grace period, show masked, verify.

Entra's provisioning service sends the token as ``Authorization: Bearer <token>``; the admin
pastes it into the enterprise app's "Secret Token" field. Rotation must not break provisioning
while the admin does that, so ``rotate_token`` keeps the replaced token valid for a grace period
(24 hours by default, at most 30 days): its value moves to a second secret entry
(``…/secret-token-previous``), and the connector records that entry and its expiry
(``previous_secret_token_ref``, ``previous_secret_token_expires``, ISO-8601 UTC). The host asks
``accepted_tokens`` (or a ``TokenVerifier``) and accepts both until the expiry, then only the new
one. ``set_token`` replaces the token at once and ends any grace period.

Values are read and written only through ecmactl.secrets; nothing here returns or formats a
token except ``accepted_tokens`` (for the host) and ``reveal_token`` (for `token show --reveal`).
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from ecmactl.config.models import Connector
from ecmactl.config.store import load_connector, load_settings, save_connector
from ecmactl.errors import ConfigError, EcmactlError, UsageError
from ecmactl.home import Home
from ecmactl.invocation import command
from ecmactl.secrets import (
    SecretStore,
    StoreKind,
    choose_store,
    delete_secret,
    generate_token,
    mask,
    read_secret,
    secret_ref_kind,
    write_secret,
)

MIN_TOKEN_LENGTH = 12  # Microsoft's current rule for the ECMA2Host secret token
GENERATED_LENGTH = 32
DEFAULT_GRACE = timedelta(hours=24)
MAX_GRACE = timedelta(days=30)
SECRET_NAME = "secret-token"
PREVIOUS_NAME = "secret-token-previous"


def validate_token(value: str) -> str:
    """The token unchanged, or a UsageError that describes the rule (never the value)."""
    if len(value) < MIN_TOKEN_LENGTH:
        raise UsageError(
            f"the secret token must be at least {MIN_TOKEN_LENGTH} characters "
            f"(this one has {len(value)})",
            hint="Leave the token out to have a 32-character random one generated.",
        )
    if any(ch.isspace() or not ch.isprintable() or ord(ch) > 126 for ch in value):
        raise UsageError(
            "the secret token must be printable ASCII without spaces",
            hint="Entra's Secret Token field is pasted as is; letters and digits are safest.",
        )
    return value


def format_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_utc(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None  # a hand-edited, unreadable expiry ends the grace period: fail closed
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class TokenState:
    """What `token show` reports: where the token lives and its masked form, never the value."""

    connector: str
    ref: str | None
    masked: str | None
    length: int | None
    error: str | None
    previous_ref: str | None
    previous_masked: str | None
    previous_expires: datetime | None
    previous_active: bool

    @property
    def store(self) -> str | None:
        return secret_ref_kind(self.ref) if self.ref else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "connector": self.connector,
            "store": self.store,
            "reference": self.ref,
            "masked": self.masked,
            "length": self.length,
            "error": self.error,
            "previous": None
            if self.previous_ref is None
            else {
                "reference": self.previous_ref,
                "masked": self.previous_masked,
                "expires": self.previous_expires,
                "accepted": self.previous_active,
            },
        }


@dataclass(frozen=True)
class TokenChange:
    action: Literal["set", "rotated"]
    connector: str
    ref: str
    masked: str
    length: int
    generated: bool
    previous_expires: datetime | None = None
    dropped_previous: bool = False  # a still-valid older token stopped being accepted
    replaced: bool = True  # False when the connector had no token before

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "connector": self.connector,
            "store": secret_ref_kind(self.ref),
            "reference": self.ref,
            "masked": self.masked,
            "length": self.length,
            "generated": self.generated,
            "previous_accepted_until": self.previous_expires,
            "dropped_previous": self.dropped_previous,
        }


def token_state(home: Home, name: str, *, now: datetime | None = None) -> TokenState:
    connector = load_connector(home, name)
    moment = now or datetime.now(UTC)
    masked = length = error = None
    if connector.secret_token_ref:
        try:
            value = read_secret(connector.secret_token_ref, home)
            masked, length = mask(value), len(value)
        except EcmactlError as exc:
            error = exc.message
    previous_masked = None
    expires = parse_utc(connector.previous_secret_token_expires)
    active = False
    if connector.previous_secret_token_ref:
        active = expires is not None and moment < expires
        try:
            previous_masked = mask(read_secret(connector.previous_secret_token_ref, home))
        except EcmactlError:
            active = False
    return TokenState(
        name,
        connector.secret_token_ref,
        masked,
        length,
        error,
        connector.previous_secret_token_ref,
        previous_masked,
        expires,
        active,
    )


def reveal_token(home: Home, name: str) -> str:
    """The current token's value, for `token show --reveal` only."""
    connector = load_connector(home, name)
    if not connector.secret_token_ref:
        raise _no_token(name)
    return read_secret(connector.secret_token_ref, home)


def set_token(
    home: Home,
    name: str,
    value: str | None = None,
    *,
    store: StoreKind | None = None,
) -> TokenChange:
    """Replace the token now (generated when ``value`` is None); ends any grace period.

    ``store`` moves the token to another store (keyring or file)."""
    connector = load_connector(home, name)
    token = validate_token(value) if value is not None else generate_token(GENERATED_LENGTH)
    old_ref = connector.secret_token_ref
    if store is not None or old_ref is None:
        kind = store or _default_store(home)
        if kind == "env":
            raise _env_error(SecretStore("env", home).reference(name, SECRET_NAME), name)
        ref = SecretStore(kind, home).reference(name, SECRET_NAME)
    else:
        ref = old_ref
        if secret_ref_kind(ref) == "env":
            raise _env_error(ref, name)
    write_secret(ref, token, home)
    dropped = _drop_previous(home, connector, datetime.now(UTC))
    connector.secret_token_ref = ref
    save_connector(home, connector)  # also tells a running host's TokenVerifier to reload
    if old_ref and old_ref != ref:
        delete_secret(old_ref, home)
    return TokenChange(
        "set",
        name,
        ref,
        mask(token),
        len(token),
        value is None,
        dropped_previous=dropped,
        replaced=old_ref is not None,
    )


def rotate_token(
    home: Home,
    name: str,
    value: str | None = None,
    *,
    grace: timedelta = DEFAULT_GRACE,
    now: datetime | None = None,
) -> TokenChange:
    """A new token (generated unless given); the old one stays accepted for ``grace``."""
    if not timedelta(0) <= grace <= MAX_GRACE:
        raise UsageError(
            "the grace period must be between 0 and 30 days",
            hint="For example --grace 24h (the default), --grace 7d, or --grace 0 to end it now.",
        )
    moment = now or datetime.now(UTC)
    connector = load_connector(home, name)
    ref = connector.secret_token_ref
    if ref is None:
        raise _no_token(name)
    if secret_ref_kind(ref) == "env":
        raise _env_error(ref, name)
    current = read_secret(ref, home)
    token = validate_token(value) if value is not None else generate_token(GENERATED_LENGTH)
    if hmac.compare_digest(token.encode(), current.encode()):
        raise UsageError(
            "the new token is the same as the current one",
            hint="Give another token, or leave it out to have one generated.",
        )
    dropped = _drop_previous(home, connector, moment)
    expires = None
    if grace > timedelta(0):
        # Order matters for a crash half-way: the old value is saved as "previous" and recorded
        # before the current entry is overwritten, so it is never lost while still needed.
        kind = secret_ref_kind(ref)
        previous_ref = SecretStore(kind, home).reference(name, PREVIOUS_NAME)  # type: ignore[arg-type]
        write_secret(previous_ref, current, home)
        expires = moment + grace
        connector.previous_secret_token_ref = previous_ref
        connector.previous_secret_token_expires = format_utc(expires)
    save_connector(home, connector)
    write_secret(ref, token, home)
    save_connector(home, connector)  # the file changes again: a running host reloads both
    return TokenChange(
        "rotated",
        name,
        ref,
        mask(token),
        len(token),
        value is None,
        previous_expires=expires,
        dropped_previous=dropped,
    )


def accepted_tokens(connector: Connector, home: Home, now: datetime | None = None) -> list[str]:
    """The tokens the host accepts now: the current one, plus the previous one until its grace
    period ends. A missing current token raises ConfigError (the host must not start open); a
    missing previous one is simply not accepted."""
    if not connector.secret_token_ref:
        raise _no_token(connector.name)
    tokens = [read_secret(connector.secret_token_ref, home)]
    expires = parse_utc(connector.previous_secret_token_expires)
    if connector.previous_secret_token_ref and expires and (now or datetime.now(UTC)) < expires:
        try:
            previous = read_secret(connector.previous_secret_token_ref, home)
        except EcmactlError:
            previous = None
        if previous and previous not in tokens:
            tokens.append(previous)
    return tokens


def require_token(home: Home, connector: Connector) -> None:
    """Raise a ConfigError with the fix when the host could not authenticate this connector's
    requests (no token configured, or its secret cannot be read); the host checks at start."""
    try:
        accepted_tokens(connector, home)
    except EcmactlError as exc:
        raise ConfigError(
            f"connector {connector.name!r}: the secret token cannot be read: {exc.message}",
            hint=token_fix(home, connector),
        ) from None


def token_fix(home: Home, connector: Connector) -> str:
    """What to do when a connector's token cannot be read (with the command to paste)."""
    name, ref = connector.name, connector.secret_token_ref
    if ref and secret_ref_kind(ref) == "env":
        variable = ref.partition(":")[2]
        store = command("token", "set", "--secret-store", "file", connector=name)
        return (
            f"Export {variable} where the host starts (systemd: Environment= in the unit), "
            f"or keep the token in a store: `{store}`."
        )
    return (
        f"Set it again with `{command('token', 'set', connector=name)}`, then paste "
        "the new token into Entra's Secret Token field."
    )


def token_matches(presented: str, accepted: Sequence[str]) -> bool:
    """Constant-time comparison against every accepted token (no early exit)."""
    result = False
    for token in accepted:
        result |= hmac.compare_digest(presented.encode(), token.encode())
    return result


class TokenVerifier:
    """Checks bearer tokens for one connector, re-reading the secrets when the connector file
    changes (token set/rotate rewrite it) or every ``ttl`` seconds (env or file edits).

    ``verify`` reloads when due and blocks while it does (a keyring read). The host splits it
    instead: ``reload_due`` (a stat), ``reload`` in a worker thread, ``matches`` on the loop."""

    def __init__(
        self,
        home: Home,
        name: str,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        ttl: float = 30.0,
    ) -> None:
        self.home, self.name, self.clock, self.ttl = home, name, clock, ttl
        # Replaced whole by ``reload`` (another thread), so a reader never sees half of one.
        self._loaded: _Loaded | None = None

    def verify(self, presented: str) -> bool:
        if self.reload_due() != "no":
            self.reload()
        return self.matches(presented)

    def reload_due(self) -> Literal["no", "now", "soon"]:
        """``now``: never loaded, or the connector file or a ``file:`` secret changed (a token
        set, rotated, edited or removed: check against what is there now); ``soon``: loaded
        more than ``ttl`` seconds ago (a keyring entry changed behind ecmactl's back)."""
        loaded = self._loaded
        if loaded is None or self._signature(loaded.connector) != loaded.signature:
            return "now"
        return "soon" if time.monotonic() - loaded.at >= self.ttl else "no"

    def reload(self) -> None:
        """Read the connector and its token secrets (may block: keyring). EcmactlError when a
        token cannot be read; the previous state is kept then."""
        head = _stat(self.home.connector_path(self.name))  # before reading: no change missed
        connector = load_connector(self.home, self.name)
        signature = (head, *self._secret_files(connector))
        if not connector.secret_token_ref:
            raise _no_token(self.name)
        tokens: dict[str, str | None] = {
            "current": read_secret(connector.secret_token_ref, self.home)
        }
        if connector.previous_secret_token_ref:
            try:
                tokens["previous"] = read_secret(connector.previous_secret_token_ref, self.home)
            except EcmactlError:
                tokens["previous"] = None
        self._loaded = _Loaded(connector, tokens, signature, time.monotonic())

    def grace_ends(self) -> datetime | None:
        """When the replaced token last loaded stops being accepted (None: no replaced token)."""
        loaded = self._loaded
        if loaded is None or not loaded.tokens.get("previous"):
            return None
        return parse_utc(loaded.connector.previous_secret_token_expires)

    def matches(self, presented: str) -> bool:
        """Against the secrets last loaded (none loaded: False)."""
        loaded = self._loaded
        return loaded is not None and token_matches(presented, loaded.accepted(self.clock()))

    def _signature(self, connector: Connector) -> _Signature:
        return (_stat(self.home.connector_path(self.name)), *self._secret_files(connector))

    def _secret_files(self, connector: Connector) -> tuple[_Stat | None, ...]:
        """The ``file:`` token secrets' stats (None: missing), so an edit is seen at once."""
        refs = (connector.secret_token_ref, connector.previous_secret_token_ref)
        return tuple(
            _stat_or_none(self.home.resolve(ref.partition(":")[2]))
            for ref in refs
            if ref and secret_ref_kind(ref) == "file"
        )


_Stat = tuple[int, int, int]
_Signature = tuple[_Stat | None, ...]


def _stat(path: os.PathLike[str] | str) -> _Stat:
    stat = os.stat(path)
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def _stat_or_none(path: os.PathLike[str] | str) -> _Stat | None:
    try:
        return _stat(path)
    except OSError:
        return None


@dataclass(frozen=True)
class _Loaded:
    connector: Connector
    tokens: dict[str, str | None]
    signature: _Signature
    at: float  # time.monotonic() of the load

    def accepted(self, now: datetime) -> list[str]:
        current = self.tokens.get("current")
        tokens = [current] if current else []
        expires = parse_utc(self.connector.previous_secret_token_expires)
        previous = self.tokens.get("previous")
        if previous and expires and now < expires:
            tokens.append(previous)
        return tokens


def _drop_previous(home: Home, connector: Connector, now: datetime) -> bool:
    """Forget the previous token; True when it was still being accepted."""
    ref = connector.previous_secret_token_ref
    if ref is None:
        return False
    expires = parse_utc(connector.previous_secret_token_expires)
    delete_secret(ref, home)
    connector.previous_secret_token_ref = None
    connector.previous_secret_token_expires = None
    return expires is not None and now < expires


def _default_store(home: Home) -> StoreKind:
    """The settings' secret store; without settings, the machine's default. A settings file
    that cannot be read is the error: falling back would silently put the secret elsewhere."""
    if not home.settings_path.exists():
        return choose_store(None, home)[0].kind
    return load_settings(home).secret_store


def _no_token(name: str) -> ConfigError:
    return ConfigError(
        f"connector {name!r} has no secret token",
        hint=f"Set one with `{command('token', 'set', connector=name)}`.",
    )


def _env_error(ref: str, name: str) -> UsageError:
    variable = ref.partition(":")[2]
    keep = command("token", "set", "--secret-store", "file", connector=name)
    return UsageError(
        f"the token comes from the environment variable {variable}, which ecmactl cannot change",
        hint=f"Change {variable} where the host is started, or keep the token in a store: "
        f"`{keep}` (or keyring).",
    )
