"""A province officer reads the money dashboard, records a work and is told why support is refused, in a
real browser (headless Chromium)."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_unit_browser import log_in
from tests.conftest import PASSWORD
from tests.programs.helpers import household
from vungcao.accounts import services as account_services
from vungcao.accounts.models import Role
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.programs.demo import money_demo_ensure
from vungcao.programs.models import HouseholdSupport

pytestmark = pytest.mark.browser


def test_a_province_officer_reads_the_money_dashboard(page: Page, live_server, reference_data_loaded) -> None:
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
    expect(page.locator("#budget-share")).to_have_text("16,1%")
    expect(page.locator("#leverage")).to_have_text("5,22")
    # The three charts are drawn by the charting library, with a tooltip on hover
    expect(page.locator("figure.chart-figure[data-drawn] canvas")).to_have_count(3)
    expect(page.locator("#by-unit")).to_contain_text("Xã Ba Chẽ")
    screenshot(page, "money-dashboard-quang-ninh")
    # and each is saved as a PNG image by its button, its name the chart's title without diacritics
    with page.expect_download() as download_info:
        page.locator("figure.chart-figure").nth(1).locator(".chart-save").click()
    download = download_info.value
    assert download.suggested_filename == "theo-nguon-von.png"
    with open(download.path(), "rb") as image:
        assert image.read(8) == b"\x89PNG\r\n\x1a\n"
    # the figures stay readable as a table, in Vietnamese numbers
    page.locator("figure.chart-figure").nth(1).locator("summary").click()
    expect(page.locator("figure.chart-figure").nth(1).locator("table")).to_contain_text(",")

    response = page.goto(f"{live_server.url}/programs/?unit=11")
    assert response is not None
    assert response.status == 404


def test_a_province_officer_records_a_work_and_is_told_why_support_is_refused(
    page: Page, live_server, reference_data_loaded
) -> None:
    household("BC-0001", "06970", {2024: ("poor", {"latrine"})})
    account_services.user_create(
        username="quangninh",
        password=PASSWORD,
        role=Role.PROVINCE_OFFICER,
        scope=AdministrativeUnit.objects.get(era=Era.CURRENT, code="22"),
    )
    log_in(page, live_server.url, "quangninh")
    # A work, with the amount written as officials write it
    page.goto(f"{live_server.url}/programs/works/")
    form = page.locator("#work-form")
    form.locator("[name=unit_code]").fill("06970")
    form.locator("[name=component]").fill("1719-DA4-TDA1")
    form.locator("[name=kind]").select_option("road")
    form.locator("[name=name]").fill("Đường thôn Khe Giấy")
    form.locator("[name=investment_total_vnd]").fill("4,5 tỷ")
    form.locator("button[type=submit]").click()
    expect(page.locator("#works")).to_contain_text("4.500.000.000")
    # Housing support to a poor household without a housing deprivation: refused, with the reason
    page.goto(f"{live_server.url}/programs/support/")
    form = page.locator("#support-form")
    form.locator("[name=household_code]").fill("BC-0001")
    form.locator("[name=component]").fill("GNBV-DA5")
    form.locator("[name=year]").fill("2024")
    form.locator("[name=kind]").select_option("housing")
    form.locator("button[type=submit]").click()
    expect(page.locator("#error-household_code")).to_contain_text("chất lượng nhà ở")
    screenshot(page, "support-refused-with-reason")
    assert not HouseholdSupport.objects.exists()
