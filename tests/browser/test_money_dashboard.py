"""A province officer reads the money dashboard in a real browser (headless Chromium)."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_unit_browser import log_in
from tests.conftest import PASSWORD
from vungcao.accounts import services as account_services
from vungcao.accounts.models import Role
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.programs import shipped
from vungcao.programs.demo import money_demo_ensure
from vungcao.programs.models import CapitalSource, Component, Programme

pytestmark = pytest.mark.browser


def test_a_province_officer_reads_the_money_dashboard(page: Page, live_server, units_loaded) -> None:
    # Transactional tests flush the migrations' reference data: load it again.
    shipped.capital_sources_load(CapitalSource)
    shipped.programmes_load(Programme, Component)
    money_demo_ensure()
    account_services.user_create(
        username="quangninh",
        password=PASSWORD,
        role=Role.PROVINCE_OFFICER,
        scope=AdministrativeUnit.objects.get(era=Era.CURRENT, code="22"),
    )
    log_in(page, live_server.url, "quangninh")
    page.goto(f"{live_server.url}/programs/?from_year=2021&to_year=2025")
    expect(page.locator("h1")).to_contain_text("Quảng Ninh")
    expect(page.locator("#budget-share")).to_have_text("16,0%")
    expect(page.locator("#leverage")).to_have_text("5,23")
    expect(page.locator("svg.chart")).to_have_count(3)
    expect(page.locator("#by-unit")).to_contain_text("Xã Ba Chẽ")
    screenshot(page, "money-dashboard-quang-ninh")

    response = page.goto(f"{live_server.url}/programs/?unit=11")
    assert response is not None
    assert response.status == 404
