"""The host's TLS certificate: create, import, inspect, evaluate, renew, serve with reload.

The core returns plain dataclasses and raises CertificateError subclasses (each with its exit
code); it never prints or prompts. The submodules import ``cryptography`` at module level, so
this package resolves its public names on first use: ``import ecmactl.certs`` stays cheap.

- ``create``: self-signed certificates and CSRs; ``importing``: PEM/PFX import with checks;
- ``inspect``/``checks``/``status``: facts, problems and the verdict with its exit code;
- ``manage``: the same operations on a home's configured paths; ``tls``: the reloading context;
- ``names``: this machine's names (the default host name, the names a self-signed SAN covers).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ecmactl.certs.checks import Problem as Problem
    from ecmactl.certs.create import build_csr as build_csr
    from ecmactl.certs.create import create_self_signed as create_self_signed
    from ecmactl.certs.errors import CertificateError as CertificateError
    from ecmactl.certs.errors import CertificateExpiredError as CertificateExpiredError
    from ecmactl.certs.errors import CertificateInputError as CertificateInputError
    from ecmactl.certs.errors import CertificateMissingError as CertificateMissingError
    from ecmactl.certs.errors import CertificateRenewalError as CertificateRenewalError
    from ecmactl.certs.errors import CertificateUnusableError as CertificateUnusableError
    from ecmactl.certs.files import write_bundle as write_bundle
    from ecmactl.certs.importing import load_for_import as load_for_import
    from ecmactl.certs.inspect import CertificateInfo as CertificateInfo
    from ecmactl.certs.inspect import inspect_certificate as inspect_certificate
    from ecmactl.certs.keys import KEY_TYPES as KEY_TYPES
    from ecmactl.certs.keys import KeyType as KeyType
    from ecmactl.certs.manage import CertificateChange as CertificateChange
    from ecmactl.certs.manage import check_host_certificate as check_host_certificate
    from ecmactl.certs.manage import create_host_certificate as create_host_certificate
    from ecmactl.certs.manage import import_host_certificate as import_host_certificate
    from ecmactl.certs.manage import make_csr as make_csr
    from ecmactl.certs.manage import renew_host_certificate as renew_host_certificate
    from ecmactl.certs.model import CertificateBundle as CertificateBundle
    from ecmactl.certs.names import default_hostname as default_hostname
    from ecmactl.certs.names import machine_names as machine_names
    from ecmactl.certs.status import DEFAULT_THRESHOLD as DEFAULT_THRESHOLD
    from ecmactl.certs.status import CertificateStatus as CertificateStatus
    from ecmactl.certs.status import State as State
    from ecmactl.certs.status import Threshold as Threshold
    from ecmactl.certs.status import evaluate_certificate as evaluate_certificate
    from ecmactl.certs.status import parse_threshold as parse_threshold
    from ecmactl.certs.tls import ReloadingTLSContext as ReloadingTLSContext
    from ecmactl.certs.tls import host_tls_context as host_tls_context

_EXPORTS: dict[str, str] = {
    "Problem": "checks",
    "build_csr": "create",
    "create_self_signed": "create",
    "CertificateError": "errors",
    "CertificateExpiredError": "errors",
    "CertificateInputError": "errors",
    "CertificateMissingError": "errors",
    "CertificateRenewalError": "errors",
    "CertificateUnusableError": "errors",
    "write_bundle": "files",
    "load_for_import": "importing",
    "CertificateInfo": "inspect",
    "inspect_certificate": "inspect",
    "KEY_TYPES": "keys",
    "KeyType": "keys",
    "CertificateChange": "manage",
    "check_host_certificate": "manage",
    "create_host_certificate": "manage",
    "import_host_certificate": "manage",
    "make_csr": "manage",
    "renew_host_certificate": "manage",
    "CertificateBundle": "model",
    "default_hostname": "names",
    "machine_names": "names",
    "DEFAULT_THRESHOLD": "status",
    "CertificateStatus": "status",
    "State": "status",
    "Threshold": "status",
    "evaluate_certificate": "status",
    "parse_threshold": "status",
    "ReloadingTLSContext": "tls",
    "host_tls_context": "tls",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ecmactl.certs' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"ecmactl.certs.{module}"), name)
    globals()[name] = value
    return value
