"""The whole review as two users in a real browser: the province opens it, the commune imports its
questionnaires and submits, the province approves; screenshots of every page on the way."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.test_unit_browser import log_in
from tests.conftest import PASSWORD
from tests.imports.helpers import run_tasks
from tests.registry.conftest import INDICATORS
from vungcao.accounts import services as account_services
from vungcao.accounts.models import Role
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.geo.services import villages
from vungcao.registry.models import Assessment, CommuneReview

pytestmark = pytest.mark.browser

HEADER = "review_year,household_code,village_code,area,income_per_capita_month,member_name,sex,birth_year,ethnic_group,relation_to_head"


def questionnaire_file(directory: Path) -> Path:
    deprived = ",".join(f"deprived__{name}" for name in INDICATORS)
    poor = ",".join(
        "có" if name in {"employment", "nutrition", "latrine"} else "không" for name in INDICATORS
    )
    none = ",".join("không" for _name in INDICATORS)
    lines = [
        f"{HEADER},{deprived}",
        f"2025,06970-001-0001,06970-001,nông thôn,1200000,Triệu Văn Pao,nam,1978,Dao,chủ hộ,{poor}",
        f"2025,06970-001-0001,06970-001,nông thôn,1200000,Bàn Thị Mai,nữ,1982,Dao,vợ/chồng,{poor}",
        f"2025,06970-001-0002,06970-001,nông thôn,3500000,Nguyễn Văn Hùng,nam,1970,Kinh,chủ hộ,{none}",
    ]
    path = directory / "ba-che-2025.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_commune_submits_and_province_approves_through_the_pages(
    page: Page, live_server, units_loaded, tmp_path: Path
) -> None:
    province = AdministrativeUnit.objects.get(era=Era.CURRENT, code="22")
    commune = AdministrativeUnit.objects.get(era=Era.CURRENT, code="06970")
    account_services.user_create(
        username="tinh", password=PASSWORD, role=Role.PROVINCE_OFFICER, scope=province
    )
    officer = account_services.user_create(
        username="xa", password=PASSWORD, role=Role.COMMUNE_OFFICER, scope=commune
    )
    villages.village_create(user=officer, commune=commune, name="Thôn Khe Giấy")

    # The province opens the review of 2025.
    log_in(page, live_server.url, "tinh")
    page.click("nav.mainnav >> text=Rà soát hộ nghèo")
    page.fill("input[name=year]", "2025")
    page.fill("input[name=standard]", "vn-2022-2025")
    page.click("form[action$='/reviews/open/'] button")
    expect(page.locator("h1")).to_contain_text("2025")
    cycle_url = page.url
    page.click("form[action$='/accounts/logout/'] button")

    # The commune imports its questionnaires, checks the preview, applies it and submits.
    log_in(page, live_server.url, "xa")
    page.goto(cycle_url + "06970/")
    expect(page.locator("#state")).to_contain_text("Đang")
    page.click("text=Nhập phiếu rà soát")
    page.set_input_files("input[type=file]", str(questionnaire_file(tmp_path)))
    page.click("form button.primary")
    # The file is read by a background worker (here, the test runs the queued task); the page follows it.
    expect(page.locator("#batch")).to_be_visible()
    assert run_tasks() == 1
    expect(page.locator("#counts")).to_contain_text("2")
    screenshot(page, "review-import-preview")
    page.click("#apply")
    expect(page.locator("#batch")).to_be_visible()
    assert run_tasks() == 1
    expect(page.locator("#status")).to_contain_text("Đã ghi")
    page.goto(cycle_url + "06970/")
    expect(page.locator("#progress")).to_contain_text("2/2")
    screenshot(page, "review-commune-before-submit")
    page.click("#submit")
    # Submitting asks first, with the completeness: nothing left unassessed here, so no warning.
    expect(page.locator("#progress")).to_contain_text("2/2")
    expect(page.locator("#unassessed-warning")).to_have_count(0)
    screenshot(page, "review-commune-confirm-submit")
    page.click("#confirm-submit")
    expect(page.locator("#state")).to_contain_text("Đã gửi")
    page.goto(f"{live_server.url}/registry/households/06970-001-0001/")
    expect(page.locator("#assessment-2025")).to_contain_text("Hộ nghèo")
    screenshot(page, "review-household")
    page.click("form[action$='/accounts/logout/'] button")

    # The province approves; the commune's result is locked.
    log_in(page, live_server.url, "tinh")
    page.goto(cycle_url + "06970/")
    page.click("#approve")
    expect(page.locator("#state")).to_contain_text("Đã phê duyệt")
    screenshot(page, "review-commune-approved")
    page.goto(cycle_url)
    expect(page.locator("#totals")).to_contain_text("50,00%")
    screenshot(page, "review-province-dashboard")

    review = CommuneReview.objects.get(cycle__year=2025, commune=commune)
    assert review.state == CommuneReview.State.APPROVED
    assert sorted(Assessment.objects.values_list("status", flat=True)) == ["not_poor", "poor"]
