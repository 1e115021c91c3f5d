"""The ministry's analyst and the aggregate viewer land on the national dashboard and drill down to a
province and a commune, at a desk (1366 × 768) and on a phone (390 × 844), in Vietnamese."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_unit_browser import log_in
from tests.conftest import PASSWORD, TIEN_YEN
from tests.dashboards.conftest import YEAR, small_country  # noqa: F401 - the fixture
from vungcao.accounts import services as account_services
from vungcao.accounts.models import Role

pytestmark = pytest.mark.browser

SIZES = {"desk": (1366, 768), "phone": (390, 844)}


@pytest.mark.parametrize("role", [Role.MINISTRY_ANALYST, Role.AGGREGATE_VIEWER])
@pytest.mark.parametrize("size", SIZES)
def test_a_national_user_lands_on_the_country_and_drills_down(
    browser: Browser,
    live_server,
    reference_data_loaded,
    small_country,  # noqa: F811 - the fixture imported above
    role,
    size,
) -> None:
    account_services.user_create(username="national", password=PASSWORD, role=role)
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    page: Page = context.new_page()
    log_in(page, live_server.url, "national")
    page.wait_for_url("**/dashboards/")
    expect(page.locator("#poverty-rate")).to_have_text("28,6%")
    expect(page.locator("#approved")).to_have_text("4 / 5")
    expect(page.locator("#pending")).to_contain_text(TIEN_YEN)
    expect(page.locator("svg.tile-map g.tile")).to_have_count(34)
    screenshot(page, f"national-dashboard-{role}-{size}")

    page.locator('svg.tile-map g.tile[data-code="08"]').click()
    page.wait_for_url(f"**/dashboards/current/08/?year={YEAR}&measure=poverty")
    expect(page.locator("#by-commune tbody tr")).to_have_count(3)
    expect(page.locator("#poverty-rate")).to_have_text("33,3%")
    screenshot(page, f"national-dashboard-province-{role}-{size}")

    page.locator("#by-commune tbody tr").first.locator("td").nth(1).locator("a").click()
    expect(page.locator("h1")).to_be_visible()
    assert "/registry/reviews/" in page.url
    context.close()
