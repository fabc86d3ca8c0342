"""What `ecmactl host status` and `ecmactl agent status` show, collected into dataclasses.

One collector for both commands. It reads the run files of the local channel (see
``ecmactl.host.runfile``), asks the running host for ``/_ecmactl/status`` with the admin token,
probes ``/health`` (and, for the agent view, each connector's ``/ServiceProviderConfig`` with the
connector's own token, as the provisioning agent would), and checks the certificate and the
token stores. Each finding is a ``Check`` with, when it fails, the one thing to do about it.

The verdict follows LSB, like `systemctl status`: 0 running and healthy, 1 running but a check
fails (degraded), 3 not running (no run file, or one left by a dead process), 4 unknown (a
process is there but cannot be asked: no answer, refused admin token, unreadable run files).

Nothing here prints; ``ecmactl.cli.host`` renders the report as text or JSON.

The collector is in ``collect``; it asks the host through ``channel``, which checks the host's
answer against the one definition of the status document (``ecmactl.status_document``); it
turns findings into the checks of ``checks`` (each with its fix) and fills the dataclasses of
``model``; ``document`` turns the document's fields into what a report shows, and ``sync`` asks
the host for an import now.
"""

from __future__ import annotations

from ecmactl.status.channel import (
    DEFAULT_TIMEOUT,
    HEALTH_PATH,
    STATUS_PATH,
    SYNC_PATH,
    ClientFactory,
    default_client,
)
from ecmactl.status.checks import CERT_WARN_DAYS, START_HINT_SERVICE
from ecmactl.status.collect import collect_status
from ecmactl.status.model import (
    CertificateReport,
    Check,
    ConnectorReport,
    ImportRun,
    Kind,
    Probe,
    State,
    StatusReport,
)
from ecmactl.status.sync import (
    FailoverError,
    HostNotRunningError,
    host_running,
    request_failover,
    request_reload,
    request_sync,
)

__all__ = [
    "CERT_WARN_DAYS",
    "DEFAULT_TIMEOUT",
    "HEALTH_PATH",
    "START_HINT_SERVICE",
    "STATUS_PATH",
    "SYNC_PATH",
    "CertificateReport",
    "Check",
    "ClientFactory",
    "ConnectorReport",
    "FailoverError",
    "HostNotRunningError",
    "ImportRun",
    "Kind",
    "Probe",
    "State",
    "StatusReport",
    "collect_status",
    "default_client",
    "host_running",
    "request_failover",
    "request_reload",
    "request_sync",
]
