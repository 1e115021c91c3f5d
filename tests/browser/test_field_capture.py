"""On a phone (390 × 844), in Vietnamese, a commune officer decides the households' answers sent from ODK
Collect: given two submissions posted to ``/odk/submission`` as Collect posts them, the officer finds them
from the menu, accepts one (its household's answers written into the review) and rejects the other with a
reason (nothing written), in a real browser (headless Chromium); no page scrolls sideways."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_unit_browser import log_in
from tests.field_capture.conftest import ba_che_households  # noqa: F401 - the fixture
from tests.field_capture.phones import collect, listed_instance, new_instance, send, vietnamese
from tests.registry.conftest import (  # noqa: F401 - the fixtures
    ba_che_review,
    ba_che_villages,
    cycle_2025,
    questionnaire_row,
)
from vungcao.accounts.models import User
from vungcao.field_capture.models import Submission
from vungcao.registry.models import Assessment, CommuneReview, Household

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
State = Submission.State


def fits(page: Page, name: str) -> None:
    """The page does not scroll sideways on the phone; its screenshot is kept."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    screenshot(page, name)


def test_a_commune_officer_accepts_one_phone_submission_and_rejects_another(
    browser: Browser,
    live_server,
    units_loaded: None,  # before the households: a transactional test before this one flushed them
    ba_che_households: CommuneReview,  # noqa: F811
    commune_officer: User,
) -> None:
    # Given two households' answers sent from the officer's phone: a listed household's (three members
    # now) and a new household's
    phone = collect(commune_officer)
    for xml in (
        listed_instance(ba_che_households, "06970-001-0001", members_total="3"),
        new_instance(ba_che_households, "06970-001-0100"),
    ):
        assert send(phone, xml).status_code == 201
    assert Submission.objects.filter(state=State.PENDING).count() == 2
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    log_in(page, live_server.url, commune_officer.username)

    # When the officer opens the phone submissions from the menu, then their commune's two wait
    page.goto(f"{live_server.url}/")
    page.locator("summary", has_text="Menu").click()
    page.get_by_role("link", name="Bản ghi từ điện thoại").click()
    expect(page.locator("h1")).to_have_text("Bản ghi từ điện thoại")
    fits(page, "field-capture-overview-phone")
    page.get_by_role("link", name=ba_che_households.commune.name).click()
    rows = page.locator("table.data tbody tr")
    expect(rows).to_have_count(2)
    fits(page, "field-capture-commune-phone")

    # When they open the listed household's and accept it, then it is accepted and written
    page.get_by_role("link", name="06970-001-0001").click()
    expect(page.locator("#changes")).to_be_visible()
    fits(page, "field-capture-submission-phone")
    page.click("#accept")
    expect(page.locator("#state")).to_have_text(vietnamese(State.ACCEPTED.label))
    assessment = Assessment.objects.get(household__code="06970-001-0001", cycle__year=2025)
    assert assessment.answers["members_total"] == 3

    # When they open the new household's and reject it with a reason, then it is rejected, the reason
    # shown, and no household made
    page.go_back()
    page.goto(
        f"{live_server.url}/field-capture/reviews/{ba_che_households.cycle_id}/{ba_che_households.commune.code}/"
    )
    page.get_by_role("link", name="06970-001-0100").click()
    page.fill("textarea[name=reason]", "Hộ đã có trong sổ dưới mã khác")
    page.click("#reject")
    expect(page.locator("#state")).to_have_text(vietnamese(State.REJECTED.label))
    expect(page.locator("#reason")).to_contain_text("Hộ đã có trong sổ dưới mã khác")
    fits(page, "field-capture-rejected-phone")
    assert not Household.objects.filter(code="06970-001-0100").exists()
    assert sorted(Submission.objects.values_list("state", flat=True)) == [State.ACCEPTED, State.REJECTED]
    context.close()
