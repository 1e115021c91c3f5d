"""Scope and personal data: a commune officer is denied another commune's households on every page,
endpoint and export; identity numbers are masked by role; aggregate viewers never see a household."""

import pytest
from django.test import Client
from django.utils import translation

from tests.common.reports import read_report
from tests.conftest import QUANG_NINH, TIEN_YEN, client_for, current_unit
from tests.exports.helpers import exported_file
from tests.imports.helpers import preview_and_apply
from tests.registry.conftest import QuestionnaireRow, csv_text
from vungcao.accounts.models import Role
from vungcao.geo.services import villages
from vungcao.registry.models import Assessment, CommuneReview

pytestmark = pytest.mark.django_db

IDENTITY = "022080001234"


@pytest.fixture
def two_communes(
    administrator, commune_officer, ba_che_review, questionnaire_row: QuestionnaireRow
) -> CommuneReview:
    """H1 in Ba Chẽ (the officer's commune) and T1 in Tiên Yên (another commune of the province)."""
    villages.village_create(user=administrator, commune=current_unit(TIEN_YEN), name="Thôn Một")
    preview_and_apply(
        "questionnaire",
        csv_text(
            [
                questionnaire_row("H1", "Hoàng Văn A", identity_number=IDENTITY),
                questionnaire_row(
                    "T1", "Vi Văn B", village=f"{TIEN_YEN}-001", identity_number="022080009999"
                ),
            ]
        ),
        user=administrator,
    )
    return ba_che_review


def out_of_scope_urls(cycle_id: int) -> list[str]:
    return [
        "/registry/households/T1/",
        f"/registry/households/T1/answers/{cycle_id}/",
        f"/registry/reviews/{cycle_id}/{TIEN_YEN}/",
        "/api/v1/households/T1",
        f"/api/v1/review-cycles/{cycle_id}/communes/{TIEN_YEN}/submit",
    ]


def test_a_commune_officer_is_denied_another_communes_households_everywhere(
    commune_officer, two_communes
) -> None:
    client = client_for(commune_officer)
    cycle_id = two_communes.cycle_id
    for url in out_of_scope_urls(cycle_id):
        response = (
            client.post(url, data="{}", content_type="application/json")
            if url.endswith("submit")
            else client.get(url)
        )
        assert response.status_code == 404, url
    assert [item["code"] for item in client.get("/api/v1/households?limit=100").json()["items"]] == ["H1"]
    assert [item["code"] for item in client.get("/api/v1/households?search=Vi").json()["items"]] == []
    page = client.get("/registry/households/?q=T1").content.decode()
    assert ">T1</a>" not in page
    results = client.get(f"/api/v1/review-cycles/{cycle_id}/results").json()
    assert [rate["key"] for rate in results["by_commune"]] == ["06970"]
    assert results["total"]["assessed"] == 1
    assert [
        item["commune_code"] for item in client.get(f"/api/v1/review-cycles/{cycle_id}/communes").json()
    ] == ["06970"]
    assert CommuneReview.objects.get(cycle_id=cycle_id, commune__code=TIEN_YEN).state == "open"


def test_a_commune_officer_cannot_change_another_communes_answers(commune_officer, two_communes) -> None:
    before = Assessment.objects.get(household__code="T1").income_per_capita_month
    response = client_for(commune_officer).put(
        f"/api/v1/review-cycles/{two_communes.cycle_id}/households/T1/answers",
        data={"answers": {"area": "rural", "income_per_capita_month": 1}},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert Assessment.objects.get(household__code="T1").income_per_capita_month == before


def test_identity_numbers_are_whole_for_commune_officers_and_masked_for_province_officers(
    commune_officer, province_officer, two_communes
) -> None:
    mine = client_for(commune_officer).get("/api/v1/households/H1").json()
    assert mine["members"][0]["identity_number"] == IDENTITY
    theirs = client_for(province_officer).get("/api/v1/households/H1").json()
    assert theirs["members"][0]["identity_number"] == "•••••••••234"
    page = client_for(province_officer).get("/registry/households/H1/").content.decode()
    assert IDENTITY not in page
    assert "•••••••••234" in page


def test_aggregate_viewers_never_see_a_household(make_user, two_communes) -> None:
    viewer = client_for(make_user("donor", Role.AGGREGATE_VIEWER))
    assert viewer.get("/api/v1/households").status_code == 403
    assert viewer.get("/api/v1/households/H1").status_code == 403
    assert viewer.get("/registry/households/").status_code == 404
    # Counts are not personal data: the viewer counts what the communes' table counts (not 0).
    results = viewer.get(f"/api/v1/review-cycles/{two_communes.cycle_id}/results").json()
    assert results["total"]["assessed"] == 2


def test_the_identity_number_never_appears_in_aggregate_outputs(province_officer, two_communes) -> None:
    client = client_for(province_officer)
    for url in (
        f"/api/v1/review-cycles/{two_communes.cycle_id}/results",
        f"/registry/reviews/{two_communes.cycle_id}/",
    ):
        assert IDENTITY not in client.get(url).content.decode()


def test_the_api_cycle_opens_records_submits_and_approves(
    province_officer, commune_officer, ba_che_villages, administrator
) -> None:
    from vungcao.registry.services.households import MemberData, household_create

    household_create(
        user=administrator,
        village=ba_che_villages[0],
        code="API1",
        area="rural",
        members=[MemberData("Lò Văn C", "male", 1975, "03", "head")],
    )
    province = client_for(province_officer)
    opened = province.post(
        "/api/v1/review-cycles",
        data={"province_code": QUANG_NINH, "year": 2025, "standard": "vn-2022-2025"},
        content_type="application/json",
    )
    assert opened.status_code == 201
    cycle_id = opened.json()["id"]
    answers = {
        "area": "rural",
        "income_per_capita_month": 900_000,
        **{
            f"deprived__{name}": name in {"employment", "latrine", "telecom"}
            for name in (
                "employment",
                "dependants",
                "nutrition",
                "health_insurance",
                "adult_education",
                "child_schooling",
                "housing_quality",
                "housing_area",
                "water_source",
                "latrine",
                "telecom",
                "information_access",
            )
        },
    }
    commune = client_for(commune_officer)
    recorded = commune.put(
        f"/api/v1/review-cycles/{cycle_id}/households/API1/answers",
        data={"answers": answers},
        content_type="application/json",
    )
    assert recorded.status_code == 200
    assert recorded.json()["assessments"][0]["status"] == "poor"
    assert recorded.json()["assessments"][0]["deprived"] == ["employment", "latrine", "telecom"]
    bad = commune.put(
        f"/api/v1/review-cycles/{cycle_id}/households/API1/answers",
        data={"answers": {**answers, "income_per_capita_month": -5}},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["problems"][0]["field"] == "income_per_capita_month"
    assert Assessment.objects.get(household__code="API1").income_per_capita_month == 900_000
    submitted = commune.post(
        f"/api/v1/review-cycles/{cycle_id}/communes/06970/submit", data={}, content_type="application/json"
    )
    assert submitted.json()["state"] == "submitted"
    refused = commune.post(
        f"/api/v1/review-cycles/{cycle_id}/communes/06970/approve", data={}, content_type="application/json"
    )
    assert refused.status_code == 403
    approved = province.post(
        f"/api/v1/review-cycles/{cycle_id}/communes/06970/approve", data={}, content_type="application/json"
    )
    assert approved.json()["state"] == "approved"
    assert Client().get("/api/v1/review-cycles").status_code == 401


def test_the_household_export_holds_only_the_officers_households_and_no_identity_numbers(
    commune_officer, two_communes
) -> None:
    response = exported_file(client_for(commune_officer), {"year": 2025})
    report = read_report(response.content)
    assert [row[1] for row in report.rows] == ["H1"]
    with translation.override("vi"):
        assert report.rows[0][7] == translation.gettext("Near-poor")  # the status's label, not its code
    assert IDENTITY not in str(report.rows)
