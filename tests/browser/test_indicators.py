"""A province officer sets a target, imports a year of indicator values with one bad row, reads the
scorecard and the explorer, then downloads both report forms — the review's Biểu 1 and the programme's
implementation report (capital and targets) — through the links of their pages, in a real browser
(headless Chromium); the files' figures are those the pages show. The downloaded files are kept beside
the screenshots (``test-artifacts``)."""

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import ARTIFACTS, screenshot
from tests.browser.test_unit_browser import log_in
from tests.conftest import BA_CHE, PASSWORD, QUANG_NINH, TIEN_YEN
from tests.imports.helpers import run_tasks
from tests.indicators.helpers import entered, review_whole
from tests.programs.helpers import household, record
from tests.programs.test_report_forms import pdf_text
from vungcao.accounts import services as account_services
from vungcao.accounts.models import Role
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.indicators.models import IndicatorValue

pytestmark = pytest.mark.browser

HEADER = "indicator,era,unit_code,year,value,note\n"
YEAR_2024 = "households,current,22,2024,1000,Báo cáo rà soát 2024\npoor_households,current,22,2024,100,\n"
OUT_OF_SCOPE = "households,current,11,2024,900,\n"
# The review of 2025, approved: ten households of Ba Chẽ and Tiên Yên, one poor and three near-poor.
REVIEW_2025 = [(BA_CHE, "poor"), (BA_CHE, "near_poor"), (BA_CHE, "near_poor"), (TIEN_YEN, "near_poor")] + [
    (commune, "not_poor") for commune in (BA_CHE, BA_CHE, BA_CHE, TIEN_YEN, TIEN_YEN, TIEN_YEN)
]


def upload(page: Page, base_url: str, path: Path) -> None:
    page.goto(f"{base_url}/imports/new/indicator_values/")
    page.set_input_files("input[type=file]", str(path))
    page.click("form button.primary")
    expect(page.locator("#batch")).to_be_visible()
    assert run_tasks() == 1


def download(page: Page, link: Locator, name: str) -> bytes:
    """The file behind ``link``, clicked as a user clicks it, kept as ``name`` in the artifacts."""
    with page.expect_download() as started:
        link.click()
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    started.value.save_as(path)
    return path.read_bytes()


def sheet_of(content: bytes) -> Worksheet:
    sheet = load_workbook(io.BytesIO(content)).active
    assert isinstance(sheet, Worksheet)
    return sheet


def number(text: str) -> int:
    """ "1.500.000.000" → 1500000000."""
    return int(re.sub(r"\D", "", text))


def one_place(rate: str) -> str:
    """A rate the review's page writes with two places ("10,00") as a form writes it ("10,0%")."""
    return f"{float(rate.replace(',', '.')):.1f}%".replace(".", ",")


def in_millions(text: str) -> str:
    """An amount the dashboard writes in dong as the capital form writes it, in whole millions."""
    return f"{round(number(text) / 1_000_000):,}".replace(",", ".")


def test_a_province_officer_sets_a_target_imports_values_and_reads_the_scorecard(
    page: Page, live_server, reference_data_loaded, tmp_path: Path
) -> None:
    account_services.user_create(
        username="quangninh",
        password=PASSWORD,
        role=Role.PROVINCE_OFFICER,
        scope=AdministrativeUnit.objects.get(era=Era.CURRENT, code="22"),
    )
    for year, rate in {2019: 20, 2020: 18, 2021: 16, 2022: 14, 2023: 12}.items():
        entered("households", "current", "22", year, 1000)
        entered("poor_households", "current", "22", year, rate * 10)
    log_in(page, live_server.url, "quangninh")

    # The catalogue, reached from the menu, speaks in words.
    page.goto(f"{live_server.url}/indicators/")
    expect(page.locator("#indicator-poverty_rate")).to_contain_text("tính lại từ các thành phần")
    screenshot(page, "indicators-catalogue")

    # A target: the poverty rate at most 11% by 2027, from 2019 (on track at 12% in 2023).
    page.goto(f"{live_server.url}/indicators/targets/new/")
    form = page.locator("#target-form")
    form.locator("[name=indicator]").select_option("poverty_rate")
    form.locator("[name=unit_code]").fill("22")
    form.locator("[name=baseline_year]").fill("2019")
    form.locator("[name=target_year]").fill("2027")
    form.locator("[name=kind]").select_option("at_most")
    form.locator("[name=value]").fill("11")
    form.locator("button[type=submit]").click()
    expect(page.locator("#status")).to_have_text("đúng tiến độ")
    expect(page.locator("#latest")).to_contain_text("12,00 (2023)")

    # A year of values with one row outside the province: refused, the row named, nothing written.
    bad = tmp_path / "chi-tieu-2024.csv"
    bad.write_text(HEADER + YEAR_2024 + OUT_OF_SCOPE, encoding="utf-8")
    upload(page, live_server.url, bad)
    expect(page.locator("#problems")).to_contain_text("11")
    screenshot(page, "indicators-import-refused")
    assert not IndicatorValue.objects.filter(year=2024).exists()
    # Corrected, it is applied.
    good = tmp_path / "chi-tieu-2024-sua.csv"
    good.write_text(HEADER + YEAR_2024, encoding="utf-8")
    upload(page, live_server.url, good)
    expect(page.locator("#counts")).to_contain_text("2")
    page.click("#apply")
    assert run_tasks() == 1
    expect(page.locator("#applied")).to_be_visible()

    # The scorecard: 10,00% in 2024, the target achieved.
    page.goto(f"{live_server.url}/indicators/units/current/22/")
    row = page.locator("#score-poverty_rate")
    expect(row).to_contain_text("10,00")
    expect(row).to_contain_text("(2024)")
    expect(row).to_contain_text("đã đạt")
    screenshot(page, "indicators-scorecard")

    # The explorer draws the chart and tells where a figure comes from.
    page.goto(
        f"{live_server.url}/indicators/explore/?indicator=poverty_rate&unit=22&from_year=2019&to_year=2024"
    )
    expect(page.locator("figure.chart-figure[data-drawn] canvas")).to_have_count(1)
    page.locator("#explorer-table tr.asked a").last.click()
    expect(page.locator("#provenance-card")).to_contain_text("Số hộ nghèo")
    screenshot(page, "indicators-explorer")

    # The review of 2025, approved in two communes, and NTP 1719's money of 2025 in Ba Chẽ.
    for place, (commune, status) in enumerate(REVIEW_2025):
        household(f"QN-2025-{place}", commune, {2025: (status, set())})
    review_whole(QUANG_NINH)  # the province's other communes approved with no household assessed
    record("plan", 2025, BA_CHE, 2_000_000_000)
    record("allocation", 2025, BA_CHE, 1_500_000_000)
    record("disbursement", 2025, BA_CHE, 600_250_000)

    # The target's page, reached from the scorecard: the figures the targets form must repeat (2025 now
    # counted from the review: 10%).
    page.goto(f"{live_server.url}/indicators/units/current/22/")
    page.locator("#score-poverty_rate a.tag").click()
    expect(page.locator("#status")).to_have_text("đã đạt")
    target = {
        name: page.locator(f"#{name}").inner_text() for name in ("baseline", "latest", "average-change")
    }
    target |= {name: page.locator(f"#{name}").inner_text() for name in ("share", "status", "years-ahead")}
    assert target == {
        "baseline": "20,00",
        "latest": "10,00 (2025)",
        "average-change": "-1,67",
        "share": "111,1%",
        "status": "đã đạt",
        "years-ahead": "3",
    }
    screenshot(page, "indicators-target")

    # Biểu 1 of the review, from the review's page: its total row is the page's totals.
    page.click("nav.mainnav >> text=Rà soát hộ nghèo")
    page.locator("#cycles a", has_text="2025").click()
    counts = page.locator("#totals .count")
    assessed = number(counts.nth(0).locator("b").inner_text())
    poverty_rate, poor = re.findall(r"[\d,]+", counts.nth(1).inner_text())[:2]
    near_poverty_rate, near_poor = re.findall(r"[\d,]+", counts.nth(2).inner_text())[:2]
    assert (assessed, poverty_rate, poor, near_poverty_rate, near_poor) == (10, "10,00", "1", "30,00", "3")
    official_results = page.locator("#report-forms tr", has_text="TỔNG HỢP KẾT QUẢ CHÍNH THỨC")
    screenshot(page, "indicators-review-forms")
    sheet = sheet_of(download(page, official_results.locator("a", has_text="XLSX"), "bieu-1-22-2025.xlsx"))
    total = next(row for row in sheet.iter_rows() if row[1].value == "Tổng cộng")
    assert [cell.value for cell in total[2:7]] == [
        assessed,
        int(poor),
        pytest.approx(float(poverty_rate.replace(",", ".")) / 100),
        int(near_poor),
        pytest.approx(float(near_poverty_rate.replace(",", ".")) / 100),
    ]
    text = pdf_text(download(page, official_results.locator("a", has_text="PDF"), "bieu-1-22-2025.pdf"))
    rates = [one_place(poverty_rate), one_place(near_poverty_rate)]
    assert f"Tổng cộng {assessed} {poor} {rates[0]} {near_poor} {rates[1]}" in text

    # The programme's implementation report of 2025, from the money dashboard: capital and targets.
    page.click("nav.mainnav >> text=Vốn chương trình")
    filters = page.locator("#dashboard-filters")
    filters.locator("[name=from_year]").fill("2025")
    filters.locator("[name=to_year]").fill("2025")
    filters.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("2025–2025")
    money = page.locator("#totals .count b")
    planned, allocated, disbursed, disbursement_rate = (money.nth(index).inner_text() for index in range(4))
    assert (planned, allocated, disbursed, disbursement_rate) == (
        "2.000.000.000",
        "1.500.000.000",
        "600.250.000",
        "40,0%",
    )
    page.locator("#report-forms summary").click()
    screenshot(page, "indicators-programme-report-links")
    capital = page.locator("#report-forms li", has_text="Tình hình thực hiện vốn chương trình")
    sheet = sheet_of(download(page, capital.locator("a", has_text="XLSX"), "bao-cao-1-von-22-2025.xlsx"))
    total = next(row for row in sheet.iter_rows() if row[1].value == "Tổng cộng")
    assert [cell.value for cell in total[2:6]] == [
        2_000,
        1_500,
        600,
        pytest.approx(600_250_000 / 1_500_000_000),
    ]
    assert [f"{cell.value:,}".replace(",", ".") for cell in total[2:5]] == [
        in_millions(planned),
        in_millions(allocated),
        in_millions(disbursed),
    ]
    text = pdf_text(download(page, capital.locator("a", has_text="PDF"), "bao-cao-1-von-22-2025.pdf"))
    written = " ".join(
        [in_millions(planned), in_millions(allocated), in_millions(disbursed), disbursement_rate]
    )
    assert f"Tổng cộng {written}" in text

    targets = page.locator("#report-forms li", has_text="Kết quả thực hiện các chỉ tiêu, mục tiêu")
    text = pdf_text(download(page, targets.locator("a", has_text="PDF"), "bao-cao-4-muc-tieu-22-2025.pdf"))
    latest, latest_year = target["latest"].split(" ")
    row = " ".join(
        [
            "1 Tỷ lệ hộ nghèo % 2019",
            target["baseline"],
            "không quá 11% 2027",
            latest_year.strip("()"),
            latest,
            target["average-change"],
            target["share"],
            target["status"],
            target["years-ahead"],
        ]
    )
    assert row in text
    sheet = sheet_of(download(page, targets.locator("a", has_text="XLSX"), "bao-cao-4-muc-tieu-22-2025.xlsx"))
    cells = next(row for row in sheet.iter_rows() if row[1].value == "Tỷ lệ hộ nghèo")
    assert [cell.value for cell in cells[2:13]] == [
        "%",
        2019,
        20,
        "không quá 11%",
        2027,
        2025,
        10,
        -1.67,
        pytest.approx(1.111),
        target["status"],
        int(target["years-ahead"]),
    ]
