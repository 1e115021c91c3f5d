"""Identity numbers (số định danh cá nhân / CCCD) are personal data.

They are stored encrypted (AES-256-GCM with a random 96-bit nonce per number), with a keyed SHA-256
digest that finds the same number in two households without decrypting anything, and the last three
digits to show it masked. The keys derive from the setting ``IDENTITY_NUMBER_KEY`` alone, never from
``SECRET_KEY``: rotating the secret key leaves every number readable. Changing the identity key is
``reseal`` on every stored number (``vungcao identity_key_rotate``).

Numbers stored before were Fernet tokens (AES-128-CBC with HMAC); ``reveal`` still reads them. AES-GCM
replaced Fernet because an import encrypts hundreds of thousands of numbers and Fernet took ~13 µs a
number against ~1.5 µs. Random 96-bit nonces are safe for 2³² encryptions under one key (NIST SP
800-38D), some forty times the country's population.
"""

import base64
import hashlib
import hmac
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MASK = "•••••••••"


@dataclass(frozen=True)
class ProtectedIdentity:
    digest: str
    encrypted: str
    last_digits: str


def normalise(number: str) -> str:
    if number.isalnum():  # the usual case, already clean: nothing to drop
        return number.upper()
    return "".join(character for character in number if character.isalnum()).upper()


# Marks an AES-GCM token; a Fernet token is URL-safe base64 (it starts with "gAAAAA") and never has a colon.
AES_GCM_PREFIX = "aesgcm:"
NONCE_BYTES = 12


@dataclass(frozen=True)
class _Keys:
    digest: bytes
    cipher: AESGCM
    # Reads the Fernet tokens of numbers stored before AES-GCM.
    fernet: Fernet


@cache
def _keys(secret: str) -> _Keys:
    """One key per use, each derived from the secret with its own label."""
    digest_key = hashlib.sha256(b"vungcao identity digest\0" + secret.encode()).digest()
    cipher_key = hashlib.sha256(b"vungcao identity aes-gcm\0" + secret.encode()).digest()
    fernet_key = hashlib.sha256(b"vungcao identity encryption\0" + secret.encode()).digest()
    return _Keys(digest_key, AESGCM(cipher_key), Fernet(base64.urlsafe_b64encode(fernet_key)))


def _encrypt(cipher: AESGCM, cleaned: str) -> str:
    nonce = os.urandom(NONCE_BYTES)
    sealed = cipher.encrypt(nonce, cleaned.encode(), None)
    return AES_GCM_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


NO_KEY = "IDENTITY_NUMBER_KEY is not set: identity numbers cannot be sealed or read."
NOT_UNDER_EITHER_KEY = "An identity number is sealed under neither the previous nor the current key."


def _secret() -> str:
    key = str(getattr(settings, "IDENTITY_NUMBER_KEY", ""))
    if not key:
        raise ImproperlyConfigured(NO_KEY)
    return key


def identity_digest(number: str) -> str:
    return hmac.new(_keys(_secret()).digest, normalise(number).encode(), hashlib.sha256).hexdigest()


def identity_digests(numbers: Iterable[str]) -> dict[str, str]:
    """``identity_digest`` of many numbers, keyed by the number as given."""
    digest_key = _keys(_secret()).digest
    return {
        number: hmac.new(digest_key, normalise(number).encode(), hashlib.sha256).hexdigest()
        for number in numbers
    }


def protect(number: str) -> ProtectedIdentity:
    cleaned = normalise(number)
    if not cleaned:
        return ProtectedIdentity("", "", "")
    return ProtectedIdentity(
        identity_digest(cleaned), _encrypt(_keys(_secret()).cipher, cleaned), cleaned[-3:]
    )


def encrypt_many(numbers: Iterable[str]) -> dict[str, str]:
    """The encrypted form of many numbers (an import writes hundreds of thousands), keyed by the number as
    given; their digests are ``identity_digests``. The key is looked up once."""
    cipher = _keys(_secret()).cipher
    return {number: _encrypt(cipher, cleaned) for number in numbers if (cleaned := normalise(number))}


def reveal(encrypted: str) -> str:
    """The number of an AES-GCM token or of a Fernet token stored before."""
    if not encrypted:
        return ""
    return _reveal(_keys(_secret()), encrypted)


def _reveal(keys: _Keys, encrypted: str) -> str:
    if encrypted.startswith(AES_GCM_PREFIX):
        sealed = base64.urlsafe_b64decode(encrypted.removeprefix(AES_GCM_PREFIX))
        return keys.cipher.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], None).decode()
    return keys.fernet.decrypt(encrypted.encode()).decode()


def reseal(encrypted: str, *, previous_key: str) -> ProtectedIdentity | None:
    """The number sealed in ``encrypted`` under ``previous_key``, sealed and digested again under the
    current key; None when it is already sealed under the current key (a rotation run again).

    Raises ``ValueError`` when neither key opens it: the rotation must stop rather than lose a number."""
    unreadable = (InvalidTag, InvalidToken, ValueError)
    try:
        number = _reveal(_keys(previous_key), encrypted)
    except unreadable:
        try:
            _reveal(_keys(_secret()), encrypted)
        except unreadable as error:
            raise ValueError(NOT_UNDER_EITHER_KEY) from error
        return None
    return protect(number)


def masked(last_digits: str) -> str:
    return f"{MASK}{last_digits}" if last_digits else ""
