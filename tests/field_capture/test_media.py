"""The files a review's form carries to phones: the commune's villages and its households' roster, with
heads' names and never an identity number; bytes the same for the same rows."""

import pytest

from tests.conftest import DIEN_BIEN
from vungcao.accounts.models import Role
from vungcao.field_capture import media
from vungcao.registry.models import CommuneReview

pytestmark = pytest.mark.django_db


def test_the_roster_names_current_households_by_code_with_their_heads(
    ba_che_households: CommuneReview, commune_officer
) -> None:
    # When the officer's phone gets Ba Chẽ's households
    households = media.review_households(user=commune_officer, review=ba_che_households)
    # Then the dissolved household is absent, each is named by code and head, without a byte-order mark
    # or any identity number or year of birth
    assert households.filename == "households.csv"
    assert households.content.decode("utf-8") == (
        "code,label,village,head_name,area\n"
        "06970-001-0001,06970-001-0001 · Triệu Văn Pao,06970-001,Triệu Văn Pao,rural\n"
        "06970-002-0001,06970-002-0001 · Đặng Thị Chòi,06970-002,Đặng Thị Chòi,urban\n"
    )
    assert households.household_count == 2
    assert media.review_households(user=commune_officer, review=ba_che_households).md5 == households.md5


def test_the_villages_are_the_communes_current_ones(
    ba_che_households: CommuneReview, commune_officer
) -> None:
    villages = media.review_villages(user=commune_officer, review=ba_che_households)
    assert (
        villages.content.decode("utf-8") == "code,name\n06970-001,Thôn Khe Giấy\n06970-002,Thôn Làng Cổng\n"
    )
    assert [file.filename for file in media.review_media(user=commune_officer, review=ba_che_households)] == [
        "villages.csv",
        "households.csv",
    ]


def test_a_user_outside_the_commune_gets_no_household(ba_che_households: CommuneReview, make_user) -> None:
    elsewhere = make_user("dienbien-officer", Role.PROVINCE_OFFICER, DIEN_BIEN)
    households = media.review_households(user=elsewhere, review=ba_che_households)
    assert households.content == b"code,label,village,head_name,area\n"
    assert media.review_villages(user=elsewhere, review=ba_che_households).content == b"code,name\n"
