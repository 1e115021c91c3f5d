"""Households whose answers only change (``questionnaire_plan(answers_only=…)``, as phones send them):
their village, address and members kept as stored, the assessment the web's answers form would give."""

import pytest
from django.utils import translation

from tests.conftest import TIEN_YEN, client_for, current_unit
from tests.imports.helpers import preview_and_apply
from tests.registry.conftest import QuestionnaireRow, csv_text
from tests.registry.test_answers_form import ANSWERS as FORM_ANSWERS
from vungcao.geo.services import villages
from vungcao.registry.models import Assessment, Household, Member
from vungcao.registry.services.questionnaire import questionnaire_plan
from vungcao.registry.services.questionnaire.writing import ASSESSMENT_RESULT_FIELDS

pytestmark = pytest.mark.django_db

ADDRESS = "Bản Khe Giấy nhà số 12"  # (csv_text quotes nothing)
# The web's answers form as an officer fills it (FORM_ANSWERS) and the same answers as a questionnaire's
# row writes them (stored meanings, Vietnamese numbers).
ROW_ANSWERS = {
    **FORM_ANSWERS,
    "area": "nông thôn",
    "income_per_capita_month": "1.200.000",
    "housing_floor_area_m2": "32,5",
    "has_clean_water_source": "không",
    "uses_hygienic_latrine": "có",
    "deprived__telecom": "có",  # asked "does it meet it?": "no" on the form
    "deprived__information_access": "không",
}


@pytest.fixture
def registered(commune_officer, ba_che_review, questionnaire_row: QuestionnaireRow) -> None:
    """H1 and H2, twins: a head and his wife each, in the first village, at ``ADDRESS``."""
    rows = [
        {**row, "address": ADDRESS}
        for code in ("H1", "H2")
        for row in (
            questionnaire_row(code, "Hoàng Văn A", identity_number="022080001234" if code == "H1" else ""),
            questionnaire_row(code, "Lý Thị B", relation="vợ/chồng", birth_year="1984"),
        )
    ]
    preview_and_apply("questionnaire", csv_text(rows), user=commune_officer)


def phone_row(code: str, **cells: str) -> dict[str, str]:
    """A row of answers for a registered household, its member columns as a phone leaves them."""
    return {
        "review_year": "2025",
        "household_code": code,
        "village_code": "06970-001",
        "address": "",
        **ROW_ANSWERS,
        **cells,
    }


def household_state(code: str) -> tuple[object, ...]:
    household = Household.objects.get(code=code)
    members = list(
        Member.objects.filter(household=household)
        .order_by("pk")
        .values_list("pk", "full_name", "relation_to_head", "identity_digest", "left_on")
    )
    return household.village.code, household.address, household.head_ethnic_group, members


def test_answers_change_and_the_village_address_and_members_are_kept(commune_officer, registered) -> None:
    """Given H1 registered with two members, when a row of answers names another village, another address,
    a member who is no head and an urban area, then the plan changes only the answers, income and area."""
    before = household_state("H1")
    row = phone_row(
        "H1",
        village_code="06970-002",
        address="Somewhere else",
        area="thành thị",
        member_name="Người Lạ",
        relation_to_head="con",
    )

    plan = questionnaire_plan(user=commune_officer, rows=[row], answers_only=frozenset({"H1"}))

    assert plan.report.ok, list(plan.report)
    assert (plan.created, plan.updated, plan.unchanged, plan.missing) == (0, 1, 0, 0)
    [entry] = plan.changes
    assert (entry["code"], entry["kind"], entry["members"], entry["missing"]) == ("H1", "changed", [], 0)
    assert entry["fields"][0] == ["registry.Household.area", "rural", "urban"]
    labels = {str(label) for label, _old, _new in entry["fields"]}
    assert not {"registry.Household.village", "registry.Household.address"} & labels
    plan.write()
    assert household_state("H1") == before
    assessment = Assessment.objects.get(household__code="H1")
    assert (assessment.area, assessment.income_per_capita_month) == ("urban", 1_200_000)
    assert assessment.answers["housing_floor_area_m2"] == 32.5
    assert Household.objects.get(code="H1").area == "urban"
    # The same rows again change nothing.
    again = questionnaire_plan(user=commune_officer, rows=[row], answers_only=frozenset({"H1"}))
    assert (again.created, again.updated, again.unchanged, again.changes) == (0, 0, 1, [])


def test_the_assessment_is_the_one_the_web_answers_form_stores(
    commune_officer, ba_che_review, registered
) -> None:
    """Given twins H1 and H2, when H1's answers are saved through the web's form and H2's same answers
    are planned as answers only and written, then both assessments are equal in everything stored."""
    url = f"/registry/households/H1/answers/{ba_che_review.cycle_id}/"
    assert client_for(commune_officer).post(url, FORM_ANSWERS).status_code == 302

    plan = questionnaire_plan(user=commune_officer, rows=[phone_row("H2")], answers_only=frozenset({"H2"}))
    assert plan.report.ok, list(plan.report)
    plan.write()

    stored = ("answers", "area", "income_per_capita_month", *ASSESSMENT_RESULT_FIELDS, "cycle_id", "year")
    web = Assessment.objects.filter(household__code="H1").values(*stored).get()
    phone = Assessment.objects.filter(household__code="H2").values(*stored).get()
    assert phone == web
    assert web["deprivation_count"] > 0
    assert household_state("H2")[:3] == household_state("H1")[:3]


def test_a_code_that_is_no_household_the_user_may_see_is_a_problem_and_nothing_is_written(
    administrator, commune_officer, registered, questionnaire_row: QuestionnaireRow
) -> None:
    """Given a code never registered and a household of another commune, when both are planned as answers
    only by Ba Chẽ's officer, then each is refused on its row with the same words, and nothing is written."""
    villages.village_create(user=administrator, commune=current_unit(TIEN_YEN), name="Thôn Một")
    preview_and_apply(
        "questionnaire",
        csv_text([questionnaire_row("T1", "Đặng Văn C", village=f"{TIEN_YEN}-001")]),
        user=administrator,
    )
    assessments = list(Assessment.objects.order_by("pk").values_list("pk", "updated_at"))
    rows = [phone_row("H1"), phone_row("H9"), phone_row("T1", village_code=f"{TIEN_YEN}-001")]

    with translation.override("en"):
        plan = questionnaire_plan(user=commune_officer, rows=rows, answers_only=frozenset({"H1", "H9", "T1"}))

    reason = "No household with this code in the registry that you may see."
    assert sorted((p.row, p.field, p.value, p.reason) for p in plan.report) == [
        (3, "household_code", "H9", reason),
        (4, "household_code", "T1", reason),
    ]
    plan.write()  # a refused plan writes nothing
    assert Household.objects.count() == 3
    assert list(Assessment.objects.order_by("pk").values_list("pk", "updated_at")) == assessments


def test_the_file_import_reads_the_same_row_as_a_whole_household(commune_officer, registered) -> None:
    """Given the same rows without ``answers_only`` (the file import), then they are read as before: a
    member's cells are checked, the household must have a head, and its village, address and members are
    compared with the stored ones."""
    row = phone_row("H1", village_code="06970-002", member_name="Người Lạ", relation_to_head="con")
    plan = questionnaire_plan(user=commune_officer, rows=[row])
    assert sorted(p.field for p in plan.report) == ["birth_year", "ethnic_group", "sex"]

    member = {**row, "sex": "nam", "birth_year": "1990", "ethnic_group": "09"}
    plan = questionnaire_plan(user=commune_officer, rows=[member])
    assert [(p.row, p.field) for p in plan.report] == [(2, "relation_to_head")]

    plan = questionnaire_plan(user=commune_officer, rows=[{**member, "relation_to_head": "chủ hộ"}])
    [entry] = plan.changes
    labels = {str(label) for label, _old, _new in entry["fields"]}
    assert {"registry.Household.village", "registry.Household.address"} <= labels
    assert [(kind, name) for kind, name, _born, _fields in entry["members"]] == [
        ("added", "Người Lạ"),
        ("missing", "Hoàng Văn A"),
        ("missing", "Lý Thị B"),
    ]
