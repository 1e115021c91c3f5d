"""The aggregate viewer reads a review's figures (counts and rates, not households): the totals agree
with the tables beside them, and every link shown leads to a page the role may open."""

import re

import pytest
from django.test import Client

from tests.conftest import BA_CHE, QUANG_NINH, TIEN_YEN, client_for, current_unit
from tests.imports.helpers import preview_and_apply
from tests.registry.conftest import QuestionnaireRow, csv_text
from vungcao.accounts.models import Role
from vungcao.geo.services import villages
from vungcao.registry.models import CommuneReview
from vungcao.registry.services import reviews

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved_province(
    administrator, commune_officer, province_officer, ba_che_review, questionnaire_row: QuestionnaireRow
) -> CommuneReview:
    """Three households in Ba Chẽ and one in Tiên Yên assessed; Ba Chẽ submitted and approved."""
    villages.village_create(user=administrator, commune=current_unit(TIEN_YEN), name="Thôn Một")
    rows = [
        questionnaire_row(code, f"Hoàng Văn {code}", deprived=("employment", "latrine", "telecom"))
        for code in ("H1", "H2", "H3")
    ]
    rows.append(questionnaire_row("T1", "Vi Văn B", village=f"{TIEN_YEN}-001"))
    preview_and_apply("questionnaire", csv_text(rows), user=administrator)
    reviews.commune_review_submit(user=commune_officer, review=ba_che_review)
    reviews.commune_review_approve(user=province_officer, review=ba_che_review)
    return ba_che_review


def links(page: str) -> list[str]:
    """The links of the page's own content (the header's menu is the layout's)."""
    main = page[page.index("<main") : page.index("</main>")]
    return sorted(set(re.findall(r'href="(/[^"#]*)"', main)))


def assert_every_link_opens(client: Client, page: str) -> None:
    for url in links(page):
        if url.startswith(("/static/", "/accounts/logout")):
            continue
        assert client.get(url.replace("&amp;", "&"), follow=True).status_code == 200, url


def test_the_viewer_sees_the_assessed_households_the_commune_table_counts(
    make_user, approved_province
) -> None:
    """Given 4 households assessed in the province, when the aggregate viewer opens the review's
    dashboard, then it counts 4 assessed (not 0) and the commune table sums to the same."""
    viewer = client_for(make_user("donor", Role.AGGREGATE_VIEWER))
    cycle = approved_province.cycle_id
    response = viewer.get(f"/registry/reviews/{cycle}/")
    page = response.content.decode()
    assert response.context["total"].assessed == 4
    assert sum(review.assessed for review in response.context["communes"]) == 4
    assert re.search(r'id="totals">\s*<div class="count"><b>4</b>', page)
    results = viewer.get(f"/api/v1/review-cycles/{cycle}/results").json()
    assert results["total"]["assessed"] == 4
    assert {rate["key"]: rate["assessed"] for rate in results["by_commune"]} == {BA_CHE: 3, TIEN_YEN: 1}


@pytest.mark.parametrize("role", [Role.AGGREGATE_VIEWER, Role.MINISTRY_ANALYST, Role.PROVINCE_OFFICER])
def test_every_link_on_the_review_pages_opens_for_the_role(make_user, approved_province, role) -> None:
    """Given a role, every link of the review list, the dashboard and a commune's review page leads to a
    page it may open: the household pages are not linked for the aggregate viewer."""
    user = make_user("someone", role, QUANG_NINH if role == Role.PROVINCE_OFFICER else None)
    client = client_for(user)
    cycle = approved_province.cycle_id
    for url in ("/registry/", f"/registry/reviews/{cycle}/", f"/registry/reviews/{cycle}/{BA_CHE}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert_every_link_opens(client, page)
        if role == Role.AGGREGATE_VIEWER:
            assert "/registry/households/" not in page, url
            assert "/registry/changes/" not in page, url
