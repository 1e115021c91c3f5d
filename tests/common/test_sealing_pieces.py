"""A file sealed in pieces (``common.sealing.seal_pieces``): each piece opens only as itself, at its place,
for its record; a file reordered, cut short, lengthened or moved to another record does not open."""

import pytest
from django.test import override_settings

from vungcao.common import sealing

PURPOSE, RECORD = "test pieces", b"record 1"


def sealed(*pieces: bytes, record: bytes = RECORD) -> list[bytes]:
    return list(sealing.seal_pieces(pieces, purpose=PURPOSE, associated=record))


def opened(pieces: list[bytes], *, count: int | None = None, record: bytes = RECORD) -> bytes:
    return b"".join(
        sealing.unseal_pieces(
            pieces, count=len(pieces) if count is None else count, purpose=PURPOSE, associated=record
        )
    )


def test_pieces_open_in_order_to_the_file() -> None:
    pieces = sealed(b"first ", b"second ", b"last")
    assert len(pieces) == 3
    assert b"first" not in b"".join(pieces)
    assert opened(pieces) == b"first second last"


def test_an_empty_file_is_one_empty_piece() -> None:
    pieces = sealed()
    assert len(pieces) == 1
    assert opened(pieces) == b""


@pytest.mark.parametrize(
    "change",
    ["swapped", "the last removed", "a middle one removed", "one repeated", "another record's", "altered"],
)
def test_a_changed_file_does_not_open(change: str) -> None:
    first, second, last = sealed(b"a" * 10, b"b" * 10, b"c" * 5)
    changed = {
        "swapped": [second, first, last],
        "the last removed": [first, second],
        "a middle one removed": [first, last],
        "one repeated": [first, second, second, last],
        "another record's": sealed(b"a" * 10, b"b" * 10, b"c" * 5, record=b"record 2"),
        "altered": [first, second[:-1] + bytes([second[-1] ^ 1]), last],
    }[change]
    with pytest.raises(sealing.SealBrokenError):
        opened(changed)


def test_fewer_or_more_pieces_than_counted_do_not_open() -> None:
    pieces = sealed(b"one", b"two")
    with pytest.raises(sealing.SealBrokenError, match="missing"):
        opened(pieces[:1], count=2)
    with pytest.raises(sealing.SealBrokenError):
        opened([*pieces, pieces[-1]], count=2)


def test_pieces_sealed_before_the_key_changed_do_not_open() -> None:
    pieces = sealed(b"kept a day")
    with override_settings(IDENTITY_NUMBER_KEY="another key"), pytest.raises(sealing.SealBrokenError):
        opened(pieces)


def test_a_piece_opens_alone_at_its_place() -> None:
    pieces = sealed(b"one", b"two", b"three")
    assert sealing.unseal_piece(pieces[2], number=2, count=3, purpose=PURPOSE, associated=RECORD) == b"three"
    with pytest.raises(sealing.SealBrokenError):
        sealing.unseal_piece(pieces[1], number=1, count=2, purpose=PURPOSE, associated=RECORD)  # not the last
