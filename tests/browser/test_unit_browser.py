"""A commune officer and an analyst use the unit browser in a real browser."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD
from vungcao.accounts import services as account_services
from vungcao.accounts.models import Role
from vungcao.geo.models import AdministrativeUnit, Era

pytestmark = pytest.mark.browser


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")


def test_analyst_logs_in_searches_without_diacritics_and_opens_a_province(
    page: Page, live_server, units_loaded
) -> None:
    account_services.user_create(username="analyst", password=PASSWORD, role=Role.MINISTRY_ANALYST)
    log_in(page, live_server.url, "analyst")
    page.wait_for_url("**/dashboards/")  # national roles land on the national dashboard
    page.goto(f"{live_server.url}/units/")
    expect(page.locator("h1")).to_have_text("Đơn vị hành chính")
    expect(page.locator("#units tbody tr")).to_have_count(34)
    screenshot(page, "unit-browser-provinces")

    page.fill("#id_q", "lao cai")
    rows = page.locator("#units tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Lào Cai")
    expect(rows.nth(1)).to_contain_text("Phường Lào Cai")
    screenshot(page, "unit-browser-search")

    page.click("#units a >> text='Lào Cai'")
    expect(page.locator("h1")).to_contain_text("Lào Cai")
    expect(page.locator("#predecessors")).to_contain_text("Tỉnh Lào Cai")
    expect(page.locator("#predecessors")).to_contain_text("Tỉnh Yên Bái")
    screenshot(page, "unit-detail-province")

    page.click("button[value=en]")
    expect(page.locator("h1")).to_contain_text("Lào Cai")
    expect(page.locator("main")).to_contain_text("Across the 2025 reorganisation")
    screenshot(page, "unit-detail-province-en")


def test_commune_officer_sees_the_commune_and_adds_a_village(page: Page, live_server, units_loaded) -> None:
    commune = AdministrativeUnit.objects.get(era=Era.CURRENT, code="06970")
    account_services.user_create(
        username="bache", password=PASSWORD, role=Role.COMMUNE_OFFICER, scope=commune
    )
    log_in(page, live_server.url, "bache")
    expect(page.locator("#units tbody tr")).to_have_count(1)
    page.click("#units a:has-text('Xã Ba Chẽ')")
    page.fill("#id_name", "Thôn Khe Giấy")
    page.click("form[action$='/villages/'] button")
    expect(page.locator("#children")).to_contain_text("Thôn Khe Giấy")
    expect(page.locator("#children-count")).to_have_text("1")
    screenshot(page, "unit-detail-commune-village")

    response = page.goto(f"{live_server.url}/units/current/03325/")
    assert response is not None
    assert response.status == 404
