"""A commune's roster (what phones are given to pick a household from): its current households, their
heads, never an identity number; read in a constant number of queries; empty for whoever may not see them."""

import dataclasses
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import BA_CHE, TIEN_YEN, current_unit, households_update
from tests.imports.helpers import preview_and_apply
from tests.registry.conftest import QuestionnaireRow, csv_text
from vungcao.accounts.models import Role
from vungcao.geo.models import AdministrativeUnit
from vungcao.geo.services import villages
from vungcao.registry.models import Member
from vungcao.registry.selectors.households import RosterEntry, household_roster

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(administrator, commune_officer, ba_che_review, questionnaire_row: QuestionnaireRow) -> None:
    """Ba Chẽ: H2 in its second village; H1 a head and his wife (with identity numbers); H3 whose head
    left; H4 dissolved; H5 in a village since closed. Tiên Yên: T1."""
    villages.village_create(user=administrator, commune=current_unit(TIEN_YEN), name="Thôn Một")
    closed = villages.village_create(user=administrator, commune=current_unit(BA_CHE), name="Thôn Cũ")
    rows = [
        questionnaire_row("H2", "Đặng Văn C", village="06970-002", area="thành thị"),
        questionnaire_row("H1", "Hoàng Văn A", identity_number="022080001234"),
        questionnaire_row(
            "H1", "Lý Thị B", relation="vợ/chồng", birth_year="1984", identity_number="022184005678"
        ),
        questionnaire_row("H3", "Triệu Văn Pao"),
        questionnaire_row("H3", "Triệu Thị Mai", relation="con", birth_year="2004"),
        questionnaire_row("H4", "Bàn Văn D"),
        questionnaire_row("H5", "La Văn E", village=closed.code),
        questionnaire_row("T1", "Nông Văn F", village=f"{TIEN_YEN}-001"),
    ]
    preview_and_apply("questionnaire", csv_text(rows), user=administrator)
    Member.objects.filter(full_name="Triệu Văn Pao").update(left_on=datetime.date(2025, 3, 1))
    households_update("H4", dissolved_on=datetime.date(2025, 4, 1))
    AdministrativeUnit.objects.filter(pk=closed.pk).update(valid_to=datetime.date(2025, 5, 1))


def test_the_roster_lists_the_current_households_of_current_villages_by_code(
    commune_officer, registered
) -> None:
    roster = household_roster(user=commune_officer, commune=current_unit(BA_CHE))

    assert roster == [
        RosterEntry(code="H1", village_code="06970-001", head_name="Hoàng Văn A", area="rural"),
        RosterEntry(code="H2", village_code="06970-002", head_name="Đặng Văn C", area="urban"),
        RosterEntry(code="H3", village_code="06970-001", head_name="", area="rural"),
    ]
    assert [field.name for field in dataclasses.fields(RosterEntry)] == [
        "code",
        "village_code",
        "head_name",
        "area",
    ]
    assert "1234" not in repr(roster)


def test_whoever_may_not_see_the_communes_households_gets_an_empty_roster(
    make_user, commune_officer, province_officer, registered
) -> None:
    ba_che = current_unit(BA_CHE)
    other_commune = make_user("tienyen-officer", Role.COMMUNE_OFFICER, TIEN_YEN)
    aggregate_viewer = make_user("viewer", Role.AGGREGATE_VIEWER, "22")

    assert household_roster(user=other_commune, commune=ba_che) == []
    assert household_roster(user=aggregate_viewer, commune=ba_che) == []
    assert [entry.code for entry in household_roster(user=province_officer, commune=ba_che)] == [
        "H1",
        "H2",
        "H3",
    ]
    assert [
        entry.code for entry in household_roster(user=commune_officer, commune=current_unit(TIEN_YEN))
    ] == []


def test_the_roster_is_read_in_the_same_queries_however_many_households(
    administrator, commune_officer, registered, questionnaire_row: QuestionnaireRow
) -> None:
    ba_che = current_unit(BA_CHE)
    with CaptureQueriesContext(connection) as three:
        assert len(household_roster(user=commune_officer, commune=ba_che)) == 3
    rows = [
        questionnaire_row(f"N{number}", name, relation=relation)
        for number in range(20)
        for name, relation in ((f"Chủ hộ {number}", "chủ hộ"), (f"Con {number}", "con"))
    ]
    preview_and_apply("questionnaire", csv_text(rows), user=administrator)

    with CaptureQueriesContext(connection) as twenty_three:
        roster = household_roster(user=commune_officer, commune=ba_che)

    assert len(roster) == 23
    assert roster[3] == RosterEntry(code="N0", village_code="06970-001", head_name="Chủ hộ 0", area="rural")
    assert len(twenty_three) == len(three)
    # (the scope's units aside) one query reads the households and their heads
    assert [
        query["sql"].count('"registry_member"')
        for query in twenty_three.captured_queries
        if "registry_household" in query["sql"]
    ] == [1]
