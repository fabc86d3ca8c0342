"""`ecmactl agent test-connection`: what the Entra admin center's "Test Connection" does.

Entra (through the provisioning agent) takes the Tenant URL and the Secret Token, opens TLS to
the URL's host name and checks the certificate against that name, then asks for a user that
cannot exist: ``GET /Users?filter=<matching attribute> eq "<random GUID>"``, expecting 200 and an
empty ListResponse. We do the same, one step at a time (TCP, TLS, HTTP), so that a failure can
be explained the way Microsoft's troubleshooting guide would, in one sentence, with the fix.

TLS: the name is always verified. A self-signed certificate is trusted because the home's own
certificate file is added as a trust anchor (as the agent's machine must trust it); a CA-issued
one is verified against the system's trust store, as the agent would.

Nothing here prints; the result is a dataclass the CLI renders.

The steps are in ``probes``, the sentences for what fails in ``explanations``, the result in
``result``, and what is tested (connector, Tenant URL, matching attribute) in ``target``.
"""

from __future__ import annotations

from ecmactl.connection_test.explanations import ENTRA_FIELDS, LIST_RESPONSE, explain_status
from ecmactl.connection_test.probes import client_context, run_test, start_fix
from ecmactl.connection_test.result import ConnectionTestResult, Failure, Step
from ecmactl.connection_test.target import (
    DEFAULT_TIMEOUT,
    choose_connector,
    matching_attribute,
    tenant_url,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "ENTRA_FIELDS",
    "LIST_RESPONSE",
    "ConnectionTestResult",
    "Failure",
    "Step",
    "choose_connector",
    "client_context",
    "explain_status",
    "matching_attribute",
    "run_test",
    "start_fix",
    "tenant_url",
]
