"""Identity numbers: encrypted with AES-GCM, digested as before, and Fernet tokens stored before still read;
the key is its own setting, and rotating it keeps every number readable and duplicates found."""

import base64
import re

import pytest
from cryptography.exceptions import InvalidTag
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import override_settings

from vungcao.common.errors import ApplicationError
from vungcao.registry import identity
from vungcao.registry.models import Member
from vungcao.registry.services.households import MemberData, household_create
from vungcao.registry.services.identity_keys import MEMBER_UNREADABLE

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


NEW_KEY = "the identity key after rotation"
NUMBERS = {"head": "022055000111", "son": "022080000222", "daughter": "022085000333"}


def test_the_key_is_its_own_setting_and_never_falls_back_to_the_secret_key() -> None:
    with override_settings(IDENTITY_NUMBER_KEY=KEY, SECRET_KEY="x" * 60):
        digest = identity.identity_digest(NUMBER)
    with override_settings(IDENTITY_NUMBER_KEY=KEY, SECRET_KEY="y" * 60):
        assert identity.identity_digest(NUMBER) == digest == FERNET_DIGEST
    with override_settings(IDENTITY_NUMBER_KEY=""), pytest.raises(ImproperlyConfigured):
        identity.protect(NUMBER)


@pytest.fixture
def registered(commune_officer, ba_che_villages) -> list[Member]:
    """Two households sealed under KEY, and a member stored before AES-GCM (a Fernet token)."""
    village = ba_che_villages[0]
    with override_settings(IDENTITY_NUMBER_KEY=KEY):
        household_create(
            user=commune_officer,
            village=village,
            code="06970-001-0001",
            area="rural",
            members=[
                MemberData("Triệu Văn Pao", "male", 1955, "09", "head", identity_number=NUMBERS["head"]),
                MemberData("Triệu Văn Sinh", "male", 1980, "09", "child", identity_number=NUMBERS["son"]),
                MemberData("Triệu Văn Tài", "male", 2008, "09", "grandchild"),
            ],
        )
        other = household_create(
            user=commune_officer,
            village=village,
            code="06970-001-0002",
            area="rural",
            members=[
                MemberData("Bàn Thị Mai", "female", 1985, "09", "head", identity_number=NUMBERS["daughter"])
            ],
        )
    Member.objects.create(
        household=other,
        full_name="Bàn Văn Cũ",
        sex="male",
        birth_year=1960,
        ethnic_group="09",
        relation_to_head="parent",
        identity_digest=FERNET_DIGEST,
        identity_encrypted=FERNET_TOKEN,
        identity_last_digits=NUMBER[-3:],
    )
    return list(Member.objects.order_by("pk"))


def stored() -> dict[int, tuple[str, str, str]]:
    return {
        member.pk: (member.identity_digest, member.identity_encrypted, member.identity_last_digits)
        for member in Member.objects.all()
    }


@pytest.mark.django_db
def test_rotating_the_key_keeps_every_number_readable_and_duplicates_found(
    registered: list[Member], commune_officer, ba_che_villages, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    expected = {NUMBERS["head"], NUMBERS["son"], NUMBERS["daughter"], NUMBER}
    monkeypatch.setenv("IDENTITY_NUMBER_KEY_PREVIOUS", KEY)
    with override_settings(IDENTITY_NUMBER_KEY=NEW_KEY):
        call_command("identity_key_rotate", "--batch-size", "2")
        assert capsys.readouterr().out == "identity numbers: 4 sealed under the new key, 0 already under it\n"
        members = Member.objects.exclude(identity_encrypted="")
        revealed = {identity.reveal(member.identity_encrypted): member for member in members}
        assert set(revealed) == expected
        for number, member in revealed.items():
            assert member.identity_digest == identity.identity_digest(number)
            assert member.identity_last_digits == number[-3:]
            assert member.identity_encrypted.startswith(identity.AES_GCM_PREFIX)
        with pytest.raises(ApplicationError):
            household_create(
                user=commune_officer,
                village=ba_che_villages[1],
                code="06970-002-0001",
                area="rural",
                members=[
                    MemberData("Người Khác", "male", 1990, "01", "head", identity_number=NUMBERS["son"])
                ],
            )
    assert not Member.objects.filter(household__code="06970-002-0001").exists()
    with override_settings(IDENTITY_NUMBER_KEY=KEY), pytest.raises(InvalidTag):
        identity.reveal(revealed[NUMBERS["son"]].identity_encrypted)


@pytest.mark.django_db
def test_a_rotation_run_again_changes_nothing(
    registered: list[Member], monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv("IDENTITY_NUMBER_KEY_PREVIOUS", KEY)
    with override_settings(IDENTITY_NUMBER_KEY=NEW_KEY):
        call_command("identity_key_rotate")
        before = stored()
        capsys.readouterr()
        call_command("identity_key_rotate")
    assert capsys.readouterr().out == "identity numbers: 0 sealed under the new key, 4 already under it\n"
    assert stored() == before


@pytest.mark.django_db
def test_a_number_under_neither_key_stops_the_rotation_and_nothing_changes(
    registered: list[Member], monkeypatch: pytest.MonkeyPatch
) -> None:
    with override_settings(IDENTITY_NUMBER_KEY="a third key"):
        stray = identity.protect("001099000999")
    Member.objects.filter(pk=registered[-1].pk).update(
        identity_digest=stray.digest, identity_encrypted=stray.encrypted
    )
    before = stored()
    monkeypatch.setenv("IDENTITY_NUMBER_KEY_PREVIOUS", KEY)
    with (
        override_settings(IDENTITY_NUMBER_KEY=NEW_KEY),
        pytest.raises(CommandError, match=re.escape(str(MEMBER_UNREADABLE).format(member=registered[-1].pk))),
    ):
        call_command("identity_key_rotate", "--batch-size", "2")
    assert stored() == before


@pytest.mark.django_db
@pytest.mark.parametrize("previous", ["", NEW_KEY])
def test_a_missing_previous_key_or_the_current_one_is_refused(
    registered: list[Member], monkeypatch: pytest.MonkeyPatch, previous: str
) -> None:
    before = stored()
    monkeypatch.setenv("IDENTITY_NUMBER_KEY_PREVIOUS", previous)
    with override_settings(IDENTITY_NUMBER_KEY=NEW_KEY), pytest.raises(CommandError):
        call_command("identity_key_rotate")
    assert stored() == before
