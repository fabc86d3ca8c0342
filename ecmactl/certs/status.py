"""`cert status`: one verdict (and exit code) for the host's certificate, from a given clock.

The verdict is the most severe state found, so the exit code alone tells a cron job or a
monitoring system what to do: 0 ok, 10 renewal due, 11 expired or not yet valid, 12 unusable,
13 missing (the certificate, or its key). Renewal is due after a share of the lifetime (default
66%, step's default) or within a time before expiry (``30d``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

from ecmactl.certs import checks, keys
from ecmactl.certs.checks import Problem, Where
from ecmactl.certs.errors import CertificateError, CertificateMissingError
from ecmactl.certs.files import parse_certificates, read_bytes, read_installed
from ecmactl.certs.inspect import (
    CertificateInfo,
    hostname_matches,
    inspect_certificate,
    is_self_signed,
)
from ecmactl.durations import parse_duration
from ecmactl.errors import UsageError
from ecmactl.exit_codes import ExitCode
from ecmactl.invocation import command


class State(StrEnum):
    OK = "ok"
    RENEWAL_DUE = "renewal_due"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    UNUSABLE = "unusable"
    KEY_MISSING = "key_missing"  # the certificate is there, its private key is not
    MISSING = "missing"

    @property
    def label(self) -> str:
        """How people read the state: the value, except where that would mislead."""
        return STATE_LABELS.get(self, self.value.replace("_", " "))


STATE_LABELS = {State.KEY_MISSING: "certificate without its key"}


EXIT_CODES: dict[State, ExitCode] = {
    State.OK: ExitCode.OK,
    State.RENEWAL_DUE: ExitCode.RENEWAL_DUE,
    State.EXPIRED: ExitCode.CERT_EXPIRED,
    State.NOT_YET_VALID: ExitCode.CERT_EXPIRED,
    State.UNUSABLE: ExitCode.CERT_UNUSABLE,
    State.KEY_MISSING: ExitCode.CERT_MISSING,
    State.MISSING: ExitCode.CERT_MISSING,
}


@dataclass(frozen=True)
class Threshold:
    """When renewal is due: after ``percent`` of the lifetime, or ``before_expiry`` ahead."""

    text: str
    percent: float | None = None
    before_expiry: timedelta | None = None

    def due_at(self, not_before: datetime, not_after: datetime) -> datetime:
        if self.percent is not None:
            return not_before + (not_after - not_before) * (self.percent / 100)
        assert self.before_expiry is not None
        return not_after - self.before_expiry


DEFAULT_THRESHOLD = Threshold("66%", percent=66.0)


def parse_threshold(text: str) -> Threshold:
    """``30d``, ``2w``, ``1d12h``, ``90m``, ``0s`` (a duration before expiry) or ``66%``."""
    value = text.strip().lower()
    if value.endswith("%"):
        try:
            percent = float(value[:-1])
        except ValueError:
            percent = -1.0
        if not 0 < percent <= 100:
            raise UsageError(
                f"--expires-in {text!r}: a percentage must be above 0 and at most 100",
                hint="For example --expires-in 66% (renew after two thirds of the lifetime).",
            )
        return Threshold(text.strip(), percent=percent)
    try:
        before_expiry = parse_duration(value)
    except ValueError:
        raise UsageError(
            f"--expires-in {text!r} is neither a duration nor a percentage",
            hint="Use a duration such as 30d, 2w, 36h or 1d12h, or a percentage such as 66%.",
        ) from None
    return Threshold("0s" if value == "0" else value, before_expiry=before_expiry)


@dataclass(frozen=True)
class CertificateStatus:
    """Everything `cert status` and `cert show` report, for text and JSON rendering."""

    state: State
    cert_path: Path
    key_path: Path
    hostname: str | None
    checked_at: datetime
    threshold: Threshold
    info: CertificateInfo | None = None
    key_present: bool = False
    key_matches: bool | None = None
    problems: tuple[Problem, ...] = ()
    next_steps: tuple[str, ...] = ()

    @property
    def exit_code(self) -> ExitCode:
        return EXIT_CODES[self.state]

    @property
    def hostname_in_san(self) -> bool | None:
        if self.info is None or self.hostname is None:
            return None
        return hostname_matches(self.hostname, self.info.dns_names, self.info.ip_addresses)

    @property
    def renewal_due_at(self) -> datetime | None:
        if self.info is None:
            return None
        return self.threshold.due_at(self.info.not_before, self.info.not_after)

    @property
    def renewal_due(self) -> bool:
        # A missing key is not cured by renewing: the certificate needs its key back.
        due = self.renewal_due_at
        if due is not None and self.checked_at >= due:
            return True
        return self.state not in (State.OK, State.KEY_MISSING)

    @property
    def seconds_remaining(self) -> int | None:
        if self.info is None:
            return None
        return int((self.info.not_after - self.checked_at).total_seconds())

    @property
    def days_remaining(self) -> int | None:
        seconds = self.seconds_remaining
        return None if seconds is None else seconds // 86400

    @property
    def lifetime_used_percent(self) -> float | None:
        if self.info is None:
            return None
        lifetime = (self.info.not_after - self.info.not_before).total_seconds()
        used = (self.checked_at - self.info.not_before).total_seconds()
        return round(min(max(used / lifetime, 0.0), 1.0) * 100, 1) if lifetime > 0 else 100.0

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape (documented keys; datetimes become ISO-8601 UTC)."""
        return {
            "status": self.state.value,
            "exit_code": int(self.exit_code),
            "path": self.cert_path,
            "key_path": self.key_path,
            "hostname": self.hostname,
            "hostname_in_san": self.hostname_in_san,
            "checked_at": self.checked_at,
            **(self.info.to_dict() if self.info else {}),
            "key_present": self.key_present,
            "key_matches_certificate": self.key_matches,
            "seconds_remaining": self.seconds_remaining,
            "days_remaining": self.days_remaining,
            "lifetime_used_percent": self.lifetime_used_percent,
            "renewal_threshold": self.threshold.text,
            "renewal_due_at": self.renewal_due_at,
            "renewal_due": self.renewal_due,
            "problems": [p.to_dict() for p in self.problems],
            "next_steps": list(self.next_steps),
        }


def evaluate_certificate(
    cert_path: Path,
    key_path: Path,
    hostname: str,
    *,
    passphrase: str | None = None,
    passphrase_error: CertificateError | None = None,
    threshold: Threshold = DEFAULT_THRESHOLD,
    now: datetime | None = None,
) -> CertificateStatus:
    """The verdict on the certificate and key files for ``hostname`` at ``now``."""
    moment = now or datetime.now(UTC)
    where: dict[str, Any] = {
        "cert_path": cert_path,
        "key_path": key_path,
        "hostname": hostname,
        "checked_at": moment,
        "threshold": threshold,
    }
    try:
        certificates = parse_certificates(read_bytes(cert_path), source=str(cert_path))
    except CertificateMissingError:
        problem = Problem(
            "missing",
            f"there is no certificate at {cert_path}",
            _missing_step(),
            ExitCode.CERT_MISSING,
        )
        return CertificateStatus(
            State.MISSING, **where, problems=(problem,), next_steps=(_missing_step(),)
        )
    except CertificateError as exc:
        certificates, failure = [], exc.message
    else:
        failure = f"{cert_path} holds no certificate"
    if not certificates:
        problem = Problem("bad_certificate", failure, _replace_step(), ExitCode.CERT_UNUSABLE)
        return CertificateStatus(
            State.UNUSABLE, **where, problems=(problem,), next_steps=(_replace_step(),)
        )
    leaf = certificates[0]
    key_problems: list[Problem] = []
    key = None
    if passphrase_error is not None:
        key_problems.append(
            Problem(
                passphrase_error.code,
                passphrase_error.message,
                passphrase_error.hint or "",
                ExitCode.CERT_UNUSABLE,
            )
        )
    else:
        try:
            _, key = read_installed(cert_path, key_path, passphrase)
        except CertificateMissingError:
            key_problems.append(key_missing_problem(cert_path, key_path, leaf))
        except CertificateError as exc:
            key_problems.append(
                Problem(exc.code, exc.message, exc.hint or "", ExitCode.CERT_UNUSABLE)
            )
    return _evaluate(
        leaf, tuple(certificates[1:]), key, key_problems, where, key_present=key_path.exists()
    )


def inspect_file(
    path: Path,
    *,
    key_path: Path | None = None,
    password: str | None = None,
    hostname: str | None = None,
    threshold: Threshold = DEFAULT_THRESHOLD,
    now: datetime | None = None,
) -> CertificateStatus:
    """The same report for any PEM, DER or PFX file (`cert show PATH`): the key is checked when
    the file (or ``key_path``) holds one; unreadable input raises CertificateInputError."""
    from ecmactl.certs.importing import read_certificates_and_any_key

    certificates, key = read_certificates_and_any_key(path, key_path=key_path, password=password)
    leaf = next(
        (c for c in certificates if key is not None and keys.matches(c, key)), certificates[0]
    )
    chain = tuple(c for c in certificates if c is not leaf)
    where: dict[str, Any] = {
        "cert_path": path,
        "key_path": key_path or path,
        "hostname": hostname,
        "checked_at": now or datetime.now(UTC),
        "threshold": threshold,
    }
    return _evaluate(leaf, chain, key, [], where, key_present=key is not None)


def _evaluate(
    leaf: x509.Certificate,
    chain: tuple[x509.Certificate, ...],
    key: PrivateKeyTypes | None,
    problems: list[Problem],
    where: dict[str, Any],
    *,
    key_present: bool,
) -> CertificateStatus:
    info = inspect_certificate(leaf, chain)
    kind: Where = "self-signed" if info.self_signed else "ca"
    moment, threshold = where["checked_at"], where["threshold"]
    key_matches = None
    if key is not None:
        mismatch = checks.key_problem(leaf, key, kind)
        key_matches = mismatch is None
        if mismatch is not None:
            problems.append(mismatch)
    problems += checks.certificate_problems(leaf, info, where["hostname"], moment, kind)
    state = _state(problems, info, threshold, moment)
    steps = _next_steps(state, kind, problems, where["cert_path"], where["key_path"])
    return CertificateStatus(
        state,
        **where,
        info=info,
        key_present=key_present,
        key_matches=key_matches,
        problems=tuple(problems),
        next_steps=steps,
    )


def _missing_step() -> str:
    return (
        f"Run `{command('cert', 'create')}` for a self-signed certificate, or "
        f"`{command('cert', 'import', 'PATH')}` for one issued by your CA."
    )


def _replace_step() -> str:
    return (
        f"Replace it: `{command('cert', 'create', '--force')}` (self-signed) or "
        f"`{command('cert', 'import', 'PATH')}`."
    )


def key_missing_problem(cert_path: Path, key_path: Path, leaf: x509.Certificate) -> Problem:
    """The certificate is there but its private key is not (a bundle applied without it)."""
    return Problem(
        "key_missing",
        f"{STATE_LABELS[State.KEY_MISSING]}: there is no private key at {key_path}",
        key_missing_fix(cert_path, key_path, self_signed=is_self_signed(leaf)),
        ExitCode.CERT_MISSING,
    )


def key_import_command(cert_path: Path, key_file: str) -> str:
    """The command that gives the installed certificate its key back (checked, then 0600)."""
    return command("cert", "import", str(cert_path), "--key", key_file)


def key_missing_fix(cert_path: Path, key_path: Path, *, self_signed: bool) -> str:
    """The one fix for a certificate without its key, the same from every command: bring the
    key (the agent already trusts this certificate); only a self-signed one can be re-issued
    here instead, and then the agent has to trust the new one."""
    fix = (
        f"Copy {key_path.name} from the host this certificate came from into the current "
        f"folder, then run `{key_import_command(cert_path, key_path.name)}`"
    )
    if self_signed:
        fix += (
            f"; without that key, `{command('cert', 'renew', '--rekey')}` issues a new self-signed "
            "certificate, which the provisioning agent's machine must then trust"
        )
    else:
        fix += f"; without that key, ask your CA for a new certificate (`{command('cert', 'csr')}`)"
    return fix + "."


def _state(
    problems: list[Problem], info: CertificateInfo, threshold: Threshold, now: datetime
) -> State:
    worst = max((p.exit_code for p in problems), default=ExitCode.OK)
    if worst == ExitCode.CERT_MISSING:
        keyless = any(p.code == "key_missing" for p in problems)
        return State.KEY_MISSING if keyless else State.MISSING
    if worst == ExitCode.CERT_UNUSABLE:
        return State.UNUSABLE
    if worst == ExitCode.CERT_EXPIRED:
        return State.NOT_YET_VALID if now < info.not_before else State.EXPIRED
    if now >= threshold.due_at(info.not_before, info.not_after):
        return State.RENEWAL_DUE
    return State.OK


def _next_steps(
    state: State, where: Where, problems: list[Problem], cert_path: Path, key_path: Path
) -> tuple[str, ...]:
    if problems:
        return tuple(dict.fromkeys(p.hint for p in problems if p.hint))
    trust = (
        f"Trust {cert_path} on the provisioning agent's machine (Windows: Local Computer > "
        "Trusted Root Certification Authorities); do it again after each renewal."
    )
    csr = (
        f"Run `{command('cert', 'csr', '--out', 'host.csr')}`, send host.csr to your CA, then "
        f"`{command('cert', 'import', 'ISSUED.crt', '--key', str(key_path))}`."
    )
    if state == State.RENEWAL_DUE:
        return (
            (f"Run `{command('cert', 'renew')}`; the running host picks it up.", trust)
            if (where == "self-signed")
            else (csr,)
        )
    if where == "self-signed":
        renew = command("cert", "renew", "--if-due")
        return (trust, f"Schedule `{renew}` daily (cron or a systemd timer).")
    return ("Nothing to do until renewal is due; then: " + csr[0].lower() + csr[1:],)
