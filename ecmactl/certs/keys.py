"""Private keys: generate, serialise, load (with the right error), compare with a certificate."""

from __future__ import annotations

from typing import Literal, TypeAlias, get_args

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.types import (
    CertificatePublicKeyTypes,
    PrivateKeyTypes,
)

from ecmactl.certs.errors import CertificateInputError

KeyType = Literal["rsa2048", "rsa3072", "ec256"]
KEY_TYPES: tuple[KeyType, ...] = get_args(KeyType)
# The key kinds a TLS server certificate for Entra's provisioning agent (Windows Schannel,
# .NET HttpClient) can use; Ed25519 and DSA are refused at import.
ServerKey: TypeAlias = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
MIN_RSA_BITS = 2048


def generate_key(key_type: KeyType) -> ServerKey:
    if key_type == "ec256":
        return ec.generate_private_key(ec.SECP256R1())
    bits = {"rsa2048": 2048, "rsa3072": 3072}.get(key_type)
    if bits is None:
        raise CertificateInputError(
            f"unknown key type {key_type!r}", hint=f"Use one of: {', '.join(KEY_TYPES)}."
        )
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def key_type_of(key: PrivateKeyTypes | CertificatePublicKeyTypes) -> KeyType | None:
    """The ``--key-type`` name of a key, or None when it is not one ecmactl generates."""
    if isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey):
        return {2048: "rsa2048", 3072: "rsa3072"}.get(key.key_size)  # type: ignore[return-value]
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        return "ec256" if isinstance(key.curve, ec.SECP256R1) else None
    return None


def strong_enough(key: ServerKey) -> bool:
    """RSA of 2048 bits or more, or ECDSA on a curve TLS clients offer (P-256/384/521)."""
    if isinstance(key, rsa.RSAPrivateKey):
        return key.key_size >= MIN_RSA_BITS
    return isinstance(key.curve, ec.SECP256R1 | ec.SECP384R1 | ec.SECP521R1)


def describe_key(key: CertificatePublicKeyTypes) -> tuple[str, int, str | None]:
    """(algorithm, size in bits, curve name) as `cert show` prints them."""
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA", key.key_size, None
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "EC", key.curve.key_size, key.curve.name
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519", 256, None
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448", 456, None
    if isinstance(key, dsa.DSAPublicKey):
        return "DSA", key.key_size, None
    return type(key).__name__, 0, None


def key_pem(key: PrivateKeyTypes, passphrase: str | None = None) -> bytes:
    """PKCS#8 PEM, encrypted with the best available scheme when a passphrase is given."""
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase.encode("utf-8"))
        if passphrase
        else serialization.NoEncryption()
    )
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def is_encrypted_pem(data: bytes) -> bool:
    return b"ENCRYPTED PRIVATE KEY" in data or b"Proc-Type: 4,ENCRYPTED" in data


def load_private_key(data: bytes, password: str | None, *, source: str) -> PrivateKeyTypes:
    """A key from PEM or DER bytes; a CertificateInputError that names ``source`` otherwise."""
    secret = password.encode("utf-8") if password else None
    loaders = (
        (serialization.load_pem_private_key,)
        if b"-----BEGIN" in data
        else (serialization.load_der_private_key,)
    )
    for loader in loaders:
        try:
            return loader(data, password=secret)
        except TypeError:
            # cryptography: "Password was not given but private key is encrypted" (or the
            # reverse). Its text never contains the password, but ours is clearer.
            if secret is None:
                raise CertificateInputError(
                    f"the private key in {source} is encrypted and no password was given",
                    hint="Supply it with --password-file PATH (or - for stdin) or "
                    "ECMACTL_CERTIFICATE_PASSWORD.",
                    code="password_required",
                ) from None
            return loader(data, password=None)  # not encrypted: the password is not needed
        except ValueError:
            if secret is not None and is_encrypted_pem(data):
                raise CertificateInputError(
                    f"the password does not decrypt the private key in {source}",
                    hint="Check the password file (a trailing space counts), then try again.",
                    code="wrong_password",
                ) from None
        except UnsupportedAlgorithm:
            break
    raise CertificateInputError(
        f"{source} does not hold a private key ecmactl can read",
        hint="Give a PEM or DER private key (PKCS#8, PKCS#1 or SEC1), or a PFX file.",
        code="bad_key",
    )


def matches(certificate: x509.Certificate, key: PrivateKeyTypes) -> bool:
    """True when ``key`` is the private half of the certificate's public key."""
    fmt = serialization.PublicFormat.SubjectPublicKeyInfo
    enc = serialization.Encoding.DER
    try:
        return bool(
            certificate.public_key().public_bytes(enc, fmt)
            == key.public_key().public_bytes(enc, fmt)
        )
    except (ValueError, UnsupportedAlgorithm):
        return False
