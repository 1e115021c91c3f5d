"""Form 4 of the programme's implementation report, the targets and their progress: contributed by the
indicators app to the programme's forms, filled with the target pages' own figures, as XLSX and PDF.

Given Quảng Ninh's poverty rate entered for 2019–2024 (20% falling by two points a year to 10%) and its
households (1,000 a year), a plan with two objectives, and targets: the poverty rate at most 11% by 2027
from 2019 and −3 points a year over 2020–2025 (the first objective), at least 1,200 households by 2030
from 2019 (no objective), a group of two communes kept by the province at least 99% on the grid (the
second objective, no figure), a target of 2010–2015 (outside the period), one of Ba Chẽ (a commune) and
one of Điện Biên (another province); when the report of 2021 to the current year is downloaded, then each
target's row says what its target page says.
"""

import html
import io
import re
from collections.abc import Callable

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import BA_CHE, DIEN_BIEN, FORM_UNITS_OUT_OF_SCOPE, QUANG_NINH, TIEN_YEN, client_for
from tests.conftest import current_unit as unit
from tests.indicators.helpers import entered, reading
from tests.programs.helpers import record
from vungcao.accounts.models import Role, User
from vungcao.indicators.models import Objective, Plan, Target, UnitGroup
from vungcao.indicators.selectors.pages import this_year
from vungcao.indicators.selectors.report_forms import MEASURES
from vungcao.programs.selectors import money as money_selectors
from vungcao.programs.selectors.report_forms import form_definitions, report_form_fill

pytestmark = pytest.mark.django_db
TARGETS = "programme-targets"
RATES = {2019: 20, 2020: 18, 2021: 16, 2022: 14, 2023: 12, 2024: 10}
FORMULA = '=HYPERLINK("http://x","Hạ tầng")'  # an objective named like a formula stays text


@pytest.fixture
def targets() -> dict[str, Target]:
    for year, rate in RATES.items():
        entered("households", "current", QUANG_NINH, year, 1000)
        entered("poor_households", "current", QUANG_NINH, year, rate * 10)
    quang_ninh = unit(QUANG_NINH)
    plan = Plan.objects.create(name="Kế hoạch 2021–2025", unit=quang_ninh, from_year=2021, to_year=2025)
    poverty = Objective.objects.create(plan=plan, name="Giảm nghèo bền vững", position=1)
    grid = Objective.objects.create(plan=plan, name=FORMULA, position=2)
    group = UnitGroup.objects.create(name="Xã vùng cao", owner=quang_ninh, era="current")
    group.members.set([unit(BA_CHE), unit(TIEN_YEN)])

    def target(
        name: str, indicator: str, kind: str, value: int, years: tuple[int, int], **place: object
    ) -> None:
        place = place or {"unit": quang_ninh}
        made[name] = Target.objects.create(
            indicator=indicator,
            era="current",
            kind=kind,
            value=value,
            baseline_year=years[0],
            target_year=years[1],
            **place,
        )

    made: dict[str, Target] = {}
    target("at most", "poverty_rate", "at_most", 11, (2019, 2027), objective=poverty, unit=quang_ninh)
    target("yearly", "poverty_rate", "annual_change", -3, (2020, 2025), objective=poverty, unit=quang_ninh)
    target("households", "households", "at_least", 1200, (2019, 2030))
    target(
        "group", "households_on_national_grid_rate", "at_least", 99, (2021, 2025), group=group, objective=grid
    )
    target("old", "poverty_rate", "at_most", 15, (2010, 2015))
    target("commune", "households", "at_least", 50, (2021, 2025), unit=unit(BA_CHE))
    target("other province", "poverty_rate", "at_most", 5, (2021, 2025), unit=unit(DIEN_BIEN))
    return made


def url(code: str, output: str, years: str = "") -> str:
    years = years or f"2021-{this_year()}"
    return f"/programs/report-forms/1719/current/{code}/{years}/{TARGETS}.{output}"


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def fill(user: User, code: str, years: tuple[int, int], language: str = "vi"):
    scope = money_selectors.money_scope_get(
        user=user, era="current", unit_code=code, from_year=years[0], to_year=years[1], programme_code="1719"
    )
    return report_form_fill(user=user, identifier=TARGETS, scope=scope, language=language)


def target_page(user: User, target: Target) -> dict[str, str]:
    """The figures the target's page shows, by the id of their element."""
    body = reading(user, "vi").get(f"/indicators/targets/{target.pk}/").content.decode()
    found = re.findall(r'<(?:dd|span)[^>]* id="([\w-]+)">([^<]*)', body)
    return {name: html.unescape(text).strip() for name, text in found}


def test_the_form_is_one_of_the_programme_report_and_has_no_total_row(targets, province_officer) -> None:
    definition = form_definitions()[TARGETS]
    assert (definition.number, definition.total_label, definition.paper) == ("4", None, "A4")
    keys = [leaf.key for leaf in definition.leaves()]
    assert (keys[0], keys[3], keys[-2], keys[-1]) == ("unit_of_measure", "target", "status", "years_ahead")
    assert set(keys) == MEASURES
    body = fill(province_officer, QUANG_NINH, (2021, this_year())).body()
    assert body[-1].label != "Tổng cộng"


def test_the_targets_are_grouped_under_their_objectives_and_written_in_words(
    targets, province_officer
) -> None:
    """The two poverty targets under objective I, the group's under II (named with the group), the
    households' under "other targets"; the target of 2010–2015, Ba Chẽ's and Điện Biên's are not in
    the province's report."""
    body = fill(province_officer, QUANG_NINH, (2021, this_year())).body()
    assert [(row.order, row.label, row.level, len(row.values)) for row in body] == [
        ("I", "Giảm nghèo bền vững", 0, 0),
        ("1", "Tỷ lệ hộ nghèo", 1, 11),
        ("2", "Tỷ lệ hộ nghèo", 1, 11),
        ("II", FORMULA, 0, 0),
        ("1", "Tỷ lệ hộ sử dụng điện lưới quốc gia (nhóm: Xã vùng cao)", 1, 11),
        ("III", "Mục tiêu khác", 0, 0),
        ("1", "Tổng số hộ dân cư", 1, 11),
    ]
    yearly, at_most = body[1].values, body[2].values  # by indicator, then target year
    assert (at_most[0], at_most[1], at_most[3], at_most[4]) == ("%", 2019, "không quá 11%", 2027)
    assert (yearly[1], yearly[3], yearly[4]) == (2020, "giảm 3 điểm %/năm", 2025)
    group = body[4].values
    assert group[3] == "ít nhất 99%"
    assert group[9] == "chưa có số liệu"
    assert [value for index, value in enumerate(group) if index not in (0, 1, 3, 4, 9)] == [None] * 6
    assert body[6].values[3] == "ít nhất 1.200 hộ"


@pytest.mark.parametrize("output", ["pdf", "xlsx"])
def test_each_row_says_what_its_target_page_says(targets, province_officer, output) -> None:
    """Then baseline, latest value and year, average change, share achieved, status and years ahead are
    the target page's, in the PDF as it writes them and in the XLSX as typed cells."""
    client = client_for(province_officer)
    response = client.get(url(QUANG_NINH, output))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="bao-cao-4-{TARGETS}-1719-{QUANG_NINH}-2021-{this_year()}.{output}"'
    )
    shown = {
        name: target_page(province_officer, targets[name]) for name in ("at most", "yearly", "households")
    }
    assert shown["at most"]["status"] == "đã đạt"
    assert shown["at most"]["latest"] == "10,00 (2024)"
    assert shown["yearly"]["share"] == "53,3%"
    assert shown["households"]["status"] == "chậm tiến độ"
    if output == "pdf":
        text = pdf_text(response.content)
        for name, words in (("at most", "không quá 11%"), ("yearly", "giảm 3 điểm %/năm")):
            target, page = targets[name], shown[name]
            latest, latest_year = page["latest"].split(" ")
            ahead = "" if page["years-ahead"] == "—" else f" {page['years-ahead']}"
            expected = (
                f"Tỷ lệ hộ nghèo % {target.baseline_year} {page['baseline']} {words} {target.target_year} "
                f"{latest_year.strip('()')} {latest} {page['average-change']} {page['share']} "
                f"{page['status']}{ahead}"
            )
            assert expected in text, name
        for expected in ("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU, MỤC TIÊU", "Từ năm 2021 đến năm", "Người lập biểu"):
            assert expected in text, expected
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = {
            (row[1].value, row[6].value): row
            for row in sheet.iter_rows(min_col=1)
            if isinstance(row[0].value, int) and row[2].value is not None
        }
        for name, target in (("at most", targets["at most"]), ("yearly", targets["yearly"])):
            page = shown[name]
            row = rows[("Tỷ lệ hộ nghèo", target.target_year)]
            written = [
                f"{row[4].value:.2f}".replace(".", ","),
                f"{row[8].value:.2f}".replace(".", ","),
                f"{row[9].value:.2f}".replace(".", ","),
                f"{row[10].value * 100:.1f}".replace(".", ",") + "%",
            ]
            latest = page["latest"].split(" ")[0]
            assert written == [page["baseline"], latest, page["average-change"], page["share"]], name
            assert row[11].value == page["status"]
            assert [row[4].number_format, row[10].number_format, row[7].number_format] == [
                "#,##0.00",
                "0.0%",
                "0",
            ]
        households = rows[("Tổng số hộ dân cư", 2030)]
        assert (households[4].value, households[5].value, households[8].value) == (
            1000,
            "ít nhất 1.200 hộ",
            1000,
        )
        assert households[4].number_format == "#,##0"
        objective = next(row for row in sheet.iter_rows() if row[0].value == "II")
        assert (objective[1].value, objective[1].data_type) == (FORMULA, "s")
        assert f"B{objective[1].row}:M{objective[1].row}" in {
            str(cells) for cells in sheet.merged_cells.ranges
        }


def test_a_period_without_targets_says_so(targets, province_officer, analyst, commune_officer) -> None:
    """Given the years 2000–2005, when nothing runs, then the form says there is no target; the
    country's form too (a target is a unit's or a group's), and the commune's has its own target."""
    client = client_for(province_officer)
    response = client.get(url(QUANG_NINH, "pdf", years="2000-2005"))
    assert response.status_code == 200
    assert "Không có mục tiêu nào của địa bàn trong kỳ báo cáo." in pdf_text(response.content)
    sheet = load_workbook(io.BytesIO(client.get(url(QUANG_NINH, "xlsx", years="2000-2005")).content)).active
    note = next(row for row in sheet.iter_rows() if row[1].value and "Không có mục tiêu" in row[1].value)
    assert note[1].value == "Không có mục tiêu nào của địa bàn trong kỳ báo cáo."
    national = client_for(analyst).get(url("country", "pdf"))
    assert "Không có mục tiêu nào của địa bàn trong kỳ báo cáo." in pdf_text(national.content)
    commune = fill(commune_officer, BA_CHE, (2021, this_year())).body()
    assert [(row.order, row.label) for row in commune] == [("1", "Tổng số hộ dân cư")]


def test_years_before_any_target_or_far_ahead_are_no_error(targets, province_officer) -> None:
    client = client_for(province_officer)
    for years in ("0-0", "1-1999", "2101-2200"):
        response = client.get(url(QUANG_NINH, "pdf", years=years))
        assert response.status_code == 200, years
        assert "Không có mục tiêu nào" in pdf_text(response.content)


def test_an_english_reader(targets, province_officer) -> None:
    client = reading(province_officer, "en")
    text = pdf_text(client.get(url(QUANG_NINH, "pdf"), HTTP_ACCEPT_LANGUAGE="en").content)
    for expected in (
        "RESULTS: TARGETS AND PROGRESS",
        "at most 11%",
        "down 3 percentage points a year",
        "at least 1,200 households",
        "Other targets",
        "achieved",
        "Poverty rate",
    ):
        assert expected in text, expected


@pytest.mark.parametrize(("who", "code"), FORM_UNITS_OUT_OF_SCOPE)
def test_the_form_out_of_scope_is_not_found(targets, commune_officer, province_officer, who, code) -> None:
    user = commune_officer if who == "commune" else province_officer
    assert client_for(user).get(url(code, "pdf")).status_code == 404


def test_an_aggregate_viewer_reads_the_targets_of_its_scope(targets, make_user: Callable[..., User]) -> None:
    viewer = make_user("donor", Role.AGGREGATE_VIEWER, QUANG_NINH)
    text = pdf_text(client_for(viewer).get(url(QUANG_NINH, "pdf")).content)
    assert "không quá 11%" in text


def test_the_money_dashboard_offers_the_form(targets, province_officer) -> None:
    """Given money of NTP 1719 in the province, the dashboard links its report's forms, the targets too."""
    record("allocation", 2024, BA_CHE, 1_000_000)
    page = client_for(province_officer).get(f"/programs/?unit={QUANG_NINH}&from_year=2022&to_year=2024")
    content = page.content.decode()
    assert f"/programs/report-forms/1719/current/{QUANG_NINH}/2022-2024/{TARGETS}.pdf" in content
    assert "Kết quả thực hiện các chỉ tiêu, mục tiêu" in content
