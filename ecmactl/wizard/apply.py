"""Turn a finished wizard into files, all or nothing.

``plan_*`` computes every file, certificate and secret in memory (nothing touches the home);
``apply_plan`` writes them and, if anything fails or the user presses Ctrl-C, puts back what was
there before. ``--dry-run`` shows the plan and stops.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecmactl.config.models import Connector, HostSettings
from ecmactl.config.store import serialize
from ecmactl.errors import EcmactlError
from ecmactl.home import Home
from ecmactl.secrets import SecretStore, env_name, write_secret
from ecmactl.wizard.answers import render_answers
from ecmactl.wizard.build import build_connector, build_settings, connector_answers
from ecmactl.wizard.context import KEEP, WizardContext
from ecmactl.wizard.database import url_without_password
from ecmactl.wizard.questions import Question

if TYPE_CHECKING:
    from ecmactl.certs.model import CertificateBundle


@dataclass
class FileWrite:
    path: Path
    content: bytes
    mode: int
    label: str


@dataclass
class SecretWrite:
    label: str
    ref: str
    value: str = field(repr=False)


@dataclass
class Plan:
    home: Home
    files: list[FileWrite] = field(default_factory=list)
    secrets: list[SecretWrite] = field(default_factory=list)
    moves: list[tuple[Path, Path, str]] = field(default_factory=list)  # staged file -> target
    settings: HostSettings | None = None
    connector: Connector | None = None
    notes: list[str] = field(default_factory=list)
    changes_done: list[dict[str, Any]] = field(default_factory=list)  # filled by apply_plan

    def changes(self) -> list[dict[str, Any]]:
        """What applying would do, for --dry-run and --json (no secret values)."""
        out: list[dict[str, Any]] = []
        for f in self.files:
            if not f.path.exists():
                action = "create"
            elif f.path.read_bytes() == f.content:
                action = "unchanged"
            else:
                action = "update"
            out.append({"action": action, "what": f.label, "path": str(f.path)})
        for s in self.secrets:
            out.append({"action": "store", "what": s.label, "ref": s.ref})
        for _, target, label in self.moves:
            out.append({"action": "create", "what": label, "path": str(target)})
        return out

    @property
    def pending(self) -> bool:
        return any(c["action"] != "unchanged" for c in self.changes())


def _secret_ref(
    ctx: WizardContext,
    key: str,
    store: SecretStore,
    connector: str,
    secret: str,
    existing: str | None,
    plan: Plan,
    label: str,
    value: Any = None,
) -> str | None:
    value = ctx.secrets.get(key) if value is None else value
    if value is KEEP:
        return existing
    if value is None:
        return None
    ref = store.reference(connector, secret)
    if store.kind == "env":
        name = env_name(connector, secret)
        if os.environ.get(name) != value:
            plan.notes.append(f"Set {name} in the host's environment ({label}).")
    else:
        plan.secrets.append(SecretWrite(label, ref, value))
    return ref


def plan_connector(
    ctx: WizardContext,
    plan: Plan,
    questions: list[Question],
    *,
    store: SecretStore,
    previous: Connector | None = None,
    answers_extra: dict[str, Any] | None = None,
) -> Connector:
    name = ctx.get("properties.name")
    url, url_password = url_without_password(ctx)
    given = ctx.secrets.get("connectivity.password")
    moved = url_password is not None and not isinstance(given, str)
    refs = {
        "properties.secret_token": _secret_ref(
            ctx,
            "properties.secret_token",
            store,
            name,
            "secret-token",
            previous.secret_token_ref if previous else None,
            plan,
            "secret token",
        ),
        "connectivity.password": _secret_ref(
            ctx,
            "connectivity.password",
            store,
            name,
            "db-password",
            previous.connectivity.password_ref if previous else None,
            plan,
            "database password",
            url_password if moved else None,
        ),
    }
    if moved:
        plan.notes.append(
            f"The password in the database URL was moved to the secret store as "
            f"{refs['connectivity.password']}; connectors/{name}.toml keeps the URL without it."
        )
    elif url_password is not None:
        plan.notes.append(
            "The password in the database URL was dropped: the database password given "
            "separately (--db-password-file, ECMACTL_DB_PASSWORD or the Password question) "
            "is the one stored and used."
        )
    connector = build_connector(ctx, refs, previous, database_url=url)
    plan.connector = connector
    home = plan.home
    plan.files.append(
        FileWrite(
            home.connector_path(name), serialize(connector).encode(), 0o644, f"connector {name}"
        )
    )
    # Rendered from the built config, not from the session, so the same config always gives
    # the same answers file whichever command (init, configure) wrote it.
    flat = {**(answers_extra or {}), **connector_answers(connector)}
    plan.files.append(
        FileWrite(
            home.answers_path(name),
            render_answers(flat, questions).encode(),
            0o644,
            f"answers for {name}",
        )
    )
    return connector


def plan_settings(
    ctx: WizardContext, plan: Plan, *, store: SecretStore, current: HostSettings | None = None
) -> HostSettings:
    """Host settings and, when asked, the certificate (generated or imported).

    ``current`` is the home's settings when it has them (`configure settings`): every field the
    page does not answer is kept from it, and a new certificate goes to its configured paths."""
    from ecmactl import certs

    passphrase = ctx.secrets.get("settings.certificate_password")
    settings = build_settings(ctx, current)
    home = plan.home
    if ctx.get("settings.certificate") == "keep":
        bundle = None
        label = ""
    elif ctx.get("settings.certificate") == "existing":
        bundle = certs.load_for_import(
            Path(ctx.get("settings.certificate_path")),
            key_path=Path(ctx.get("settings.key_path")) if ctx.get("settings.key_path") else None,
            password=passphrase if isinstance(passphrase, str) else None,
            hostname=settings.hostname,
        )
        label = "imported certificate"
    else:
        bundle = certs.create_self_signed(settings.hostname, extra_sans=certs.machine_names())
        label = "self-signed certificate (SAN = host name, 730 days)"
    if bundle is not None:
        plan.files.append(
            FileWrite(home.resolve(settings.certificate), bundle.cert_pem, 0o644, label)
        )
        plan.files.append(
            FileWrite(
                home.resolve(settings.private_key),
                _new_key_pem(plan, settings, bundle),
                0o600,
                "private key",
            )
        )
    plan.settings = settings
    plan.files.append(
        FileWrite(home.settings_path, serialize(settings).encode(), 0o644, "host settings")
    )
    return settings


def _new_key_pem(plan: Plan, settings: HostSettings, bundle: CertificateBundle) -> bytes:
    """The new certificate's key as written: encrypted with the current key's passphrase when
    the settings reference one (a new certificate keeps the key encrypted at rest); unencrypted,
    without the reference and with a note, when that passphrase cannot be read."""
    from ecmactl.certs import keys
    from ecmactl.certs.manage import key_passphrase

    try:
        passphrase = key_passphrase(plan.home, settings)
    except EcmactlError as exc:
        plan.notes.append(
            f"The new private key is written unencrypted and key_passphrase_ref "
            f"({settings.key_passphrase_ref}) is removed from settings.toml: {exc.message}."
        )
        settings.key_passphrase_ref = None
        return bundle.key_pem
    return keys.key_pem(bundle.private_key, passphrase) if passphrase else bundle.key_pem


def apply_plan(plan: Plan) -> None:
    """Write everything in ``plan``; on any failure (or Ctrl-C) restore the previous state."""
    plan.changes_done = plan.changes()
    undo: list[Any] = []
    try:
        for secret in plan.secrets:
            previous = _current_secret(secret.ref, plan.home)
            write_secret(secret.ref, secret.value, plan.home)
            undo.append(("secret", secret.ref, previous))
        for staged, target, _ in plan.moves:
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, target)
                undo.append(("file", target, None, 0))
        for item in plan.files:
            before = item.path.read_bytes() if item.path.exists() else None
            old_mode = item.path.stat().st_mode & 0o777 if before is not None else 0
            if before == item.content and old_mode == item.mode:
                continue  # left alone: a running host watching the file does not reload it
            from ecmactl.atomic import write_atomic

            write_atomic(item.path, item.content, mode=item.mode)
            undo.append(("file", item.path, before, old_mode))
    except BaseException:
        _rollback(undo, plan.home)
        raise


def _rollback(undo: list[Any], home: Home) -> None:
    from ecmactl.atomic import write_atomic

    for entry in reversed(undo):
        with contextlib.suppress(Exception):
            if entry[0] == "file":
                _, path, before, mode = entry
                if before is None:
                    path.unlink(missing_ok=True)
                else:
                    write_atomic(path, before, mode=mode)
            else:
                _, ref, previous = entry
                _restore_secret(ref, previous, home)


def _current_secret(ref: str, home: Home) -> str | None:
    """The value a secret has before it is overwritten, so a rollback can put it back."""
    from ecmactl.errors import EcmactlError
    from ecmactl.secrets import read_secret

    try:
        return read_secret(ref, home)
    except EcmactlError:  # none yet (or unreadable): a rollback removes the new one
        return None


def _restore_secret(ref: str, previous: str | None, home: Home) -> None:
    """Undo a secret write: the old value back (a token Entra still sends), or none."""
    if previous is not None:
        write_secret(ref, previous, home)
        return
    from ecmactl.secrets import delete_secret

    delete_secret(ref, home)
