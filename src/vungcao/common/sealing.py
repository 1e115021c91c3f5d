"""Sealing bytes kept for a short while, such as an uploaded file between its upload and its reading by a
background task, and the rows read from it between its preview and its apply, which repeat the file's
personal data (identity numbers).

AES-256-GCM with a random 96-bit nonce per seal; the key is derived (HKDF-SHA256) from the setting
``IDENTITY_NUMBER_KEY``, which protects the same data where it is stored for good, with a label per
purpose, so that no two uses share a key. ``associated`` binds a seal to its record (its id): sealed bytes
copied to another record do not open. A seal made before the key changed no longer opens
(``SealBrokenError``): what it held must be uploaded again. ``registry.identity`` keeps its own keys.
"""

import os
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12
VERSION = b"\x01"


class SealBrokenError(ValueError):
    """The bytes were not sealed under the current key for this purpose and record, or were altered."""


@cache
def _cipher(secret: str, purpose: str) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"vungcao seal", info=purpose.encode()).derive(
        secret.encode()
    )
    return AESGCM(key)


def _current(purpose: str) -> AESGCM:
    secret = str(getattr(settings, "IDENTITY_NUMBER_KEY", "") or "")
    if not secret:
        raise ImproperlyConfigured("IDENTITY_NUMBER_KEY is not set: nothing can be sealed or opened.")
    return _cipher(secret, purpose)


def seal(data: bytes, *, purpose: str, associated: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return VERSION + nonce + _current(purpose).encrypt(nonce, data, associated)


def unseal(sealed: bytes | memoryview, *, purpose: str, associated: bytes) -> bytes:
    sealed = bytes(sealed)
    if not sealed.startswith(VERSION) or len(sealed) < 1 + NONCE_BYTES + 16:
        raise SealBrokenError("not sealed")
    nonce, body = sealed[1 : 1 + NONCE_BYTES], sealed[1 + NONCE_BYTES :]
    try:
        return _current(purpose).decrypt(nonce, body, associated)
    except InvalidTag as error:
        raise SealBrokenError("the seal does not open under the current key") from error
