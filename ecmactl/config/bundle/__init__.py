"""The config bundle: a portable, checksummed, deterministic archive of a home's configuration.

A bundle is a gzip-compressed ustar archive. ``manifest.json`` comes first, then the files at
their home-relative paths, sorted: ``settings.toml``, ``connectors/*.toml``, ``answers/*.toml``,
the certificate and, only when asked, the private key. Secrets never travel: config files hold
references (``keyring:``, ``file:``, ``env:``) and the target host supplies the values.

Entries have fixed owner, mode and mtime (the manifest's ``created_at``), and gzip carries no name
or time, so emitting the same home twice with the same ``created_at`` (``SOURCE_DATE_EPOCH``)
gives byte-identical bundles; ``content_sha256`` identifies the content whatever the time.

Everything here returns dataclasses or raises EcmactlError subclasses; nothing prints.

One module per concept: ``format`` (manifest model, archive reading and writing, determinism),
``references`` (secret references), ``verify`` (checks and problems), ``emit``, ``apply``
(staging, all-or-nothing install, rollback, secrets to supply) and ``inspect``. Import from this
package; the modules are its inside.
"""

from __future__ import annotations

# Every write of a bundle or into a home goes through this name (see ``format.write_home_file``).
from ecmactl.atomic import write_atomic
from ecmactl.config.bundle.apply import (
    ApplyResult,
    FileChange,
    KeyNeed,
    SecretNeed,
    apply_bundle,
    plan_changes,
    secret_needs,
)
from ecmactl.config.bundle.emit import (
    MIN_SCANNED_SECRET,
    EmittedBundle,
    emit_bundle,
    write_bundle,
)
from ecmactl.config.bundle.format import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MAX_MEMBERS,
    MAX_TOTAL_BYTES,
    ROLES,
    BundleError,
    BundleExistsError,
    BundleFile,
    Manifest,
    Problem,
    Role,
    content_digest,
)
from ecmactl.config.bundle.inspect import CertificateSummary, certificate_summary, redact_url
from ecmactl.config.bundle.references import secret_refs
from ecmactl.config.bundle.verify import (
    BundleInvalidError,
    BundleReport,
    read_bundle_file,
    verify_bundle,
)

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST",
    "MAX_MEMBERS",
    "MAX_TOTAL_BYTES",
    "MIN_SCANNED_SECRET",
    "ROLES",
    "ApplyResult",
    "BundleError",
    "BundleExistsError",
    "BundleFile",
    "BundleInvalidError",
    "BundleReport",
    "CertificateSummary",
    "EmittedBundle",
    "FileChange",
    "KeyNeed",
    "Manifest",
    "Problem",
    "Role",
    "SecretNeed",
    "apply_bundle",
    "certificate_summary",
    "content_digest",
    "emit_bundle",
    "plan_changes",
    "read_bundle_file",
    "redact_url",
    "secret_needs",
    "secret_refs",
    "verify_bundle",
    "write_atomic",
    "write_bundle",
]
