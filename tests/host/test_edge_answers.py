"""What the host's edge answers, over real TLS against an `ecmactl host run` subprocess:
TLS 1.2 offers only AEAD suites, and what uvicorn or Starlette refuse
(an unknown method, a bad target, ``OPTIONS *``, bytes that are not HTTP) is a SCIM error
document like every other error of the host.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import pytest
from edgekit import client_context, connect, exchange, sample_host
from hostproc import HostProcess

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostProcess]:
    yield from sample_host(tmp_path_factory)


# -- TLS 1.2 suites -------------------------------------------------------------------------------


def tls12_client(ciphers: str) -> ssl.SSLContext:
    context = client_context()
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    context.set_ciphers(ciphers)
    return context


def test_a_cbc_only_client_is_refused(live: HostProcess):
    cbc = "ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES128-SHA256:"
    cbc += "ECDHE-RSA-AES256-SHA384:AES128-SHA256:AES256-SHA256:AES128-SHA:AES256-SHA"
    with pytest.raises(ssl.SSLError):
        connect(live.port, tls12_client(cbc)).close()


def test_tls_1_2_negotiates_an_aead_suite(live: HostProcess):
    from ecmactl.certs.tls import TLS12_CIPHERS

    with connect(live.port, tls12_client("DEFAULT")) as sock:
        cipher = sock.cipher()
    assert cipher is not None and cipher[1] == "TLSv1.2"
    assert cipher[0] in TLS12_CIPHERS.split(":")


# -- every error is a SCIM error document -------------------------------------------------------


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"FOO / HTTP/1.1\r\nHost: localhost\r\n\r\n", 400),  # unknown method
        (b"GET foo HTTP/1.1\r\nHost: localhost\r\n\r\n", 400),  # not a path
        (b"GET /\xff\x01 HTTP/1.1\r\nHost: localhost\r\n\r\n", 400),  # bytes no URL has
        (b"OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n", 404),  # Starlette's own 404
        (b"\x16\x03\x01\x00\xa5garbage\r\n\r\n", 400),  # not HTTP at all
        (b"GET / HTTP/1.1\r\nno colon here\r\n\r\n", 400),  # a broken header line
        (b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400),  # HTTP/2 prior knowledge
        (b"GET /_ecmactl/status HTTP/1.1\r\nHost: localhost\r\n\r\n", 401),  # no admin token
    ],
)
def test_refusals_are_scim_error_documents(live: HostProcess, request_bytes: bytes, status: int):
    answer = exchange(live.port, request_bytes)
    assert answer.status == status
    answer.scim_error()
