"""Sealing bytes kept for a short while, such as an uploaded file between its upload and its reading by a
background task, and the rows read from it between its preview and its apply, which repeat the file's
personal data (identity numbers).

AES-256-GCM with a random 96-bit nonce per seal; the key is derived (HKDF-SHA256) from the setting
``IDENTITY_NUMBER_KEY``, which protects the same data where it is stored for good, with a label per
purpose, so that no two uses share a key. ``associated`` binds a seal to its record (its id): sealed bytes
copied to another record do not open. A seal made before the key changed no longer opens
(``SealBrokenError``): what it held must be uploaded again. ``registry.identity`` keeps its own keys.

A file too large to hold in memory is sealed in pieces (:func:`seal_pieces`), each bound to its record,
its place and whether it is the last: pieces reordered, dropped, repeated or cut short do not open
(:func:`unseal_pieces`), and neither sealing nor opening holds more than one piece.
"""

import os
import struct
from collections.abc import Iterable, Iterator
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12
VERSION = b"\x01"
PIECE_VERSION = b"\x02"
PIECE_BYTES = 1 << 20
"""The plain bytes of each piece but the last (1 MiB)."""


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


def _piece_associated(associated: bytes, number: int, last: bool) -> bytes:
    return associated + struct.pack(">Q?", number, last)


def seal_pieces(pieces: Iterable[bytes], *, purpose: str, associated: bytes) -> Iterator[bytes]:
    """Each of ``pieces`` sealed, in order, bound to ``associated``, its number and whether it is the last
    (an empty input gives one sealed empty piece, so that even an empty file has its last piece)."""
    cipher = _current(purpose)
    number, held = 0, None
    for piece in pieces:
        if held is not None:
            yield _piece_seal(cipher, held, _piece_associated(associated, number, False))
            number += 1
        held = piece
    yield _piece_seal(cipher, held or b"", _piece_associated(associated, number, True))


def _piece_seal(cipher: AESGCM, piece: bytes, associated: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return PIECE_VERSION + nonce + cipher.encrypt(nonce, piece, associated)


def unseal_piece(
    sealed: bytes | memoryview, *, number: int, count: int, purpose: str, associated: bytes
) -> bytes:
    """Piece ``number`` of a file sealed in ``count`` pieces, opened: SealBrokenError unless it was sealed
    as that piece (the last one as the last) of that record."""
    piece = bytes(sealed)
    if not 0 <= number < count or not piece.startswith(PIECE_VERSION) or len(piece) < 1 + NONCE_BYTES + 16:
        raise SealBrokenError("not a sealed piece of this file")
    nonce, body = piece[1 : 1 + NONCE_BYTES], piece[1 + NONCE_BYTES :]
    try:
        return _current(purpose).decrypt(
            nonce, body, _piece_associated(associated, number, number == count - 1)
        )
    except InvalidTag as error:
        raise SealBrokenError("the piece does not open under the current key at its place") from error


def unseal_pieces(
    sealed: Iterable[bytes | memoryview], *, count: int, purpose: str, associated: bytes
) -> Iterator[bytes]:
    """The plain pieces of a file sealed in ``count`` pieces, opened one at a time, in order:
    SealBrokenError as soon as one does not open as the piece of its number, or when they are not
    ``count``."""
    number = -1
    for number, piece in enumerate(sealed):
        yield unseal_piece(piece, number=number, count=count, purpose=purpose, associated=associated)
    if number != count - 1:
        raise SealBrokenError("pieces are missing")
