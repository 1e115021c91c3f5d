"""Identity numbers: encrypted with AES-GCM, digested as before, and Fernet tokens stored before still read."""

import base64

import pytest
from cryptography.exceptions import InvalidTag
from django.test import override_settings

from vungcao.registry import identity

NUMBER = "022080001234"
# Made by the Fernet version of ``protect`` with IDENTITY_NUMBER_KEY = KEY: what members stored before hold.
KEY = "an identity key for tests"
FERNET_TOKEN = (
    "gAAAAABrBC-frxrwNTl7cL70DrLtIUGLyUjUWHCeoQf9xbALvh3X2ckWJRqi3DVeE4Xoz3OSTUh-_oqUw8MeAtxAQuFbLC5u-Q=="
)
FERNET_DIGEST = "fc5cc6f1e36c10e26e9c8da46b729201e5b0e4a3d02d86a705c367cc44ee44e3"


@override_settings(IDENTITY_NUMBER_KEY=KEY)
def test_given_a_number_then_it_is_encrypted_with_aes_gcm_and_revealed() -> None:
    protected = identity.protect(" 0220-8000 1234 ")
    assert protected.encrypted.startswith(identity.AES_GCM_PREFIX)
    assert NUMBER not in protected.encrypted
    assert (identity.reveal(protected.encrypted), protected.last_digits) == (NUMBER, "234")


@override_settings(IDENTITY_NUMBER_KEY=KEY)
def test_the_digest_is_the_one_stored_before_so_duplicates_are_still_found() -> None:
    assert identity.protect(NUMBER).digest == FERNET_DIGEST
    assert identity.identity_digests([NUMBER]) == {NUMBER: FERNET_DIGEST}


@override_settings(IDENTITY_NUMBER_KEY=KEY)
def test_a_fernet_token_stored_before_is_still_revealed() -> None:
    assert identity.reveal(FERNET_TOKEN) == NUMBER


@override_settings(IDENTITY_NUMBER_KEY=KEY)
def test_the_same_number_twice_gives_two_tokens_and_one_digest() -> None:
    first, second = identity.protect(NUMBER), identity.protect(NUMBER)
    assert first.encrypted != second.encrypted
    assert first.digest == second.digest


@override_settings(IDENTITY_NUMBER_KEY=KEY)
def test_many_numbers_are_encrypted_at_once_and_blanks_left_out() -> None:
    encrypted = identity.encrypt_many([NUMBER, "", "1234-5678-9"])
    assert {number: identity.reveal(token) for number, token in encrypted.items()} == {
        NUMBER: NUMBER,
        "1234-5678-9": "123456789",
    }
    assert all(token.startswith(identity.AES_GCM_PREFIX) for token in encrypted.values())


def test_a_token_under_another_key_or_altered_is_refused() -> None:
    with override_settings(IDENTITY_NUMBER_KEY=KEY):
        encrypted = identity.protect(NUMBER).encrypted
    with override_settings(IDENTITY_NUMBER_KEY="another key"), pytest.raises(InvalidTag):
        identity.reveal(encrypted)
    sealed = bytearray(base64.urlsafe_b64decode(encrypted.removeprefix(identity.AES_GCM_PREFIX)))
    sealed[identity.NONCE_BYTES] ^= 1  # one bit of the ciphertext
    altered = identity.AES_GCM_PREFIX + base64.urlsafe_b64encode(sealed).decode()
    with override_settings(IDENTITY_NUMBER_KEY=KEY), pytest.raises(InvalidTag):
        identity.reveal(altered)
