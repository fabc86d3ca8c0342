"""The certificate bundle: what create and import produce and what write_bundle stores."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

Source = Literal["self-signed", "imported"]


@dataclass(frozen=True, repr=False)
class CertificateBundle:
    """A server certificate, its chain and its private key, ready to write or serve.

    ``cert_pem`` holds the leaf then the chain (what TLS servers send); ``key_pem`` is the
    unencrypted PKCS#8 key, kept out of ``repr`` so it never lands in a log or a traceback.
    """

    cert_pem: bytes
    key_pem: bytes
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()
    source: Source = "self-signed"

    def __repr__(self) -> str:
        return f"CertificateBundle(serial={self.serial!r}, source={self.source!r})"

    @property
    def serial(self) -> str:
        return format(self.certificate.serial_number, "x")

    @cached_property
    def private_key(self) -> PrivateKeyTypes:
        return serialization.load_pem_private_key(self.key_pem, password=None)

    @classmethod
    def from_objects(
        cls,
        certificate: x509.Certificate,
        key: PrivateKeyTypes,
        chain: tuple[x509.Certificate, ...] = (),
        source: Source = "self-signed",
    ) -> CertificateBundle:
        pem = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (certificate, *chain))
        key_bytes = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return cls(pem, key_bytes, certificate, chain, source)
