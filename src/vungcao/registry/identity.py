"""Identity numbers (số định danh cá nhân / CCCD) are personal data.

They are stored encrypted (Fernet, AES-128-CBC with HMAC), with a keyed SHA-256 digest that finds the
same number in two households without decrypting anything, and the last three digits to show it
masked. The keys derive from ``IDENTITY_NUMBER_KEY`` (or, when unset, ``SECRET_KEY``).
"""

import base64
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from cryptography.fernet import Fernet
from django.conf import settings

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


@cache
def _keys(secret: str) -> tuple[bytes, Fernet]:
    digest_key = hashlib.sha256(b"vungcao identity digest\0" + secret.encode()).digest()
    encryption_key = hashlib.sha256(b"vungcao identity encryption\0" + secret.encode()).digest()
    return digest_key, Fernet(base64.urlsafe_b64encode(encryption_key))


def _secret() -> str:
    return str(getattr(settings, "IDENTITY_NUMBER_KEY", "") or settings.SECRET_KEY)


def identity_digest(number: str) -> str:
    digest_key, _fernet = _keys(_secret())
    return hmac.new(digest_key, normalise(number).encode(), hashlib.sha256).hexdigest()


def identity_digests(numbers: Iterable[str]) -> dict[str, str]:
    """``identity_digest`` of many numbers, keyed by the number as given."""
    digest_key, _fernet = _keys(_secret())
    return {
        number: hmac.new(digest_key, normalise(number).encode(), hashlib.sha256).hexdigest()
        for number in numbers
    }


def protect(number: str) -> ProtectedIdentity:
    cleaned = normalise(number)
    if not cleaned:
        return ProtectedIdentity("", "", "")
    _digest_key, fernet = _keys(_secret())
    return ProtectedIdentity(
        identity_digest(cleaned), fernet.encrypt(cleaned.encode()).decode(), cleaned[-3:]
    )


def protect_many(numbers: Iterable[str]) -> dict[str, ProtectedIdentity]:
    """``protect`` for many numbers at once (an import writes hundreds of thousands), keyed by the
    number as given: the keys are looked up once."""
    digest_key, fernet = _keys(_secret())
    protected = {}
    for number in numbers:
        cleaned = normalise(number)
        protected[number] = (
            ProtectedIdentity(
                hmac.new(digest_key, cleaned.encode(), hashlib.sha256).hexdigest(),
                fernet.encrypt(cleaned.encode()).decode(),
                cleaned[-3:],
            )
            if cleaned
            else ProtectedIdentity("", "", "")
        )
    return protected


def reveal(encrypted: str) -> str:
    if not encrypted:
        return ""
    _digest_key, fernet = _keys(_secret())
    return fernet.decrypt(encrypted.encode()).decode()


def masked(last_digits: str) -> str:
    return f"{MASK}{last_digits}" if last_digits else ""
