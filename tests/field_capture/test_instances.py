"""A phone's instance read back: by local names whatever its namespaces and groups, and written as the
questionnaire's rows so that the one number parser reads every answer back exactly."""

import pytest

from tests.field_capture.phones import MEMBERS, listed_instance, new_instance
from vungcao.field_capture.openrosa import instance_parse, instance_rows
from vungcao.registry.models import CommuneReview
from vungcao.registry.services.questionnaire import COLUMNS

pytestmark = pytest.mark.django_db


def test_an_instance_is_read_by_local_names_in_any_namespace() -> None:
    xml = (
        b'<?xml version="1.0"?><data xmlns="http://www.w3.org/2002/xforms" xmlns:orx="http://openrosa.org/xforms"'
        b' id="vungcao-review-2025-06970" version="2025.1" instanceID="uuid:root">'
        b"<end>2026-03-02T08:31:40+07:00</end><dimension_housing><housing_floor_area_m2> 32.5 </housing_floor_area_m2>"
        b"</dimension_housing><orx:meta><orx:deprecatedID>uuid:old</orx:deprecatedID></orx:meta></data>"
    )
    instance = instance_parse(xml)
    assert (instance.form_id, instance.form_version, instance.instance_id, instance.deprecated_id) == (
        "vungcao-review-2025-06970",
        "2025.1",
        "uuid:root",
        "uuid:old",
    )
    assert instance.answers["housing_floor_area_m2"] == "32.5"
    assert instance.completed_at is not None
    assert instance.completed_at.isoformat() == "2026-03-02T08:31:40+07:00"


def test_a_listed_households_row_holds_its_answers_as_stored_and_numbers_that_read_back(
    ba_che_review: CommuneReview,
) -> None:
    xml = listed_instance(
        ba_che_review,
        housing_floor_area_m2="32.125",
        income_per_capita_month="1500000",
        deprived__telecom="no",
    )
    [row] = instance_rows(ba_che_review, instance_parse(xml))
    assert set(COLUMNS) - set(row) == {
        "member_name",
        "sex",
        "birth_year",
        "ethnic_group",
        "relation_to_head",
        "identity_number",
        "schooling",
        "health_insurance",
        "disability",
        "work",
    }
    assert (row["review_year"], row["household_code"], row["address"]) == ("2025", "06970-001-0001", "")
    # 32.125 as text would be read as 32,125 thousand in Vietnamese: a fourth decimal says it is a decimal
    assert (row["housing_floor_area_m2"], row["income_per_capita_month"]) == ("32,1250", "1.500.000")
    # "Does it meet the telecom indicator?" "No": it is deprived, as stored
    assert (row["deprived__telecom"], row["deprived__information_access"]) == ("yes", "no")
    assert (row["has_clean_water_source"], row["area"]) == ("no", "rural")


def test_a_new_household_has_a_row_per_member(ba_che_review: CommuneReview) -> None:
    rows = instance_rows(ba_che_review, instance_parse(new_instance(ba_che_review)))
    assert [row["member_name"] for row in rows] == [member["member_name"] for member in MEMBERS]
    assert {row["household_code"] for row in rows} == {"06970-001-0100"}
    assert {row["address"] for row in rows} == {"Bản Khe Giấy"}
    assert rows[0]["relation_to_head"] == "head"
