"""The indicator pages: catalogue, indicator, scorecard, explorer (with provenance and export), target
and value entry, for each role, in words rather than codes.

Given Quảng Ninh's households and poor households entered for 2019–2024 (rates 20% falling by two points
a year), when officials of each role open the pages, then each shows the figures the API gives, labels
instead of codes, and a unit outside the user's scope is not found.
"""

import html
import io
import re
from collections.abc import Callable

import pytest
from django.utils import translation
from openpyxl import load_workbook

from tests.conftest import BA_CHE, DIEN_BIEN, QUANG_NINH, client_for
from tests.indicators.helpers import entered, reading
from vungcao.accounts.models import Role, User
from vungcao.engine.indicators.catalogue import shipped_catalogue
from vungcao.indicators.models import IndicatorValue, Target
from vungcao.indicators.services import REQUIRED
from vungcao.indicators.services.targets import TARGET_YEAR_NOT_AFTER_BASELINE, UNKNOWN_TARGET_UNIT

pytestmark = pytest.mark.django_db


def field_errors(body: str) -> dict[str, str]:
    """Each field's error as the entry form shows it under the field."""
    found = re.findall(r'id="error-(\w+)" role="alert"><ul class="errorlist"[^>]*><li>([^<]*)</li>', body)
    return {name: html.unescape(message) for name, message in found}


@pytest.fixture
def users(make_user: Callable[..., User]) -> dict[str, User]:
    return {
        "commune officer": make_user("bache", Role.COMMUNE_OFFICER, BA_CHE),
        "province officer": make_user("quangninh", Role.PROVINCE_OFFICER, QUANG_NINH),
        "analyst": make_user("analyst", Role.MINISTRY_ANALYST),
        "administrator": make_user("admin", Role.ADMINISTRATOR),
    }


ROLES = ["commune officer", "province officer", "analyst", "administrator"]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_for_each_role(users: dict[str, User], history: None, role: str) -> None:
    """Given a user of each role, when they open each page of their own scope, then each answers."""
    user = users[role]
    client = client_for(user)
    unit = user.scope.code if user.scope else QUANG_NINH
    pages = [
        "/indicators/",
        "/indicators/catalogue/poverty_rate/",
        f"/indicators/units/current/{unit}/",
        f"/indicators/explore/?indicator=poverty_rate&unit={unit}&from_year=2019&to_year=2024",
        f"/indicators/explore/?indicator=poverty_rate&unit={unit}&from_year=2019&to_year=2024&pivot=on",
        f"/indicators/explore/provenance/?indicator=poverty_rate&era=current&unit={unit}&year=2020",
        f"/indicators/explore/export/?indicator=poverty_rate&unit={unit}&from_year=2019&to_year=2024",
    ]
    for path in pages:
        assert client.get(path).status_code == 200, path
    may_enter = role != "analyst"
    assert client.get("/indicators/values/new/").status_code == (200 if may_enter else 403)
    may_set = role in ("province officer", "administrator")
    assert client.get("/indicators/targets/new/").status_code == (200 if may_set else 403)


@pytest.mark.parametrize("role", ["commune officer", "province officer"])
def test_a_unit_outside_the_scope_is_not_found(users: dict[str, User], role: str) -> None:
    client = client_for(users[role])
    for path in (
        f"/indicators/units/current/{DIEN_BIEN}/",
        f"/indicators/explore/?indicator=poverty_rate&unit={DIEN_BIEN}",
        f"/indicators/explore/provenance/?indicator=poverty_rate&unit={DIEN_BIEN}&year=2020",
        f"/indicators/explore/export/?indicator=poverty_rate&unit={DIEN_BIEN}",
    ):
        assert client.get(path).status_code == 404, path


def test_the_catalogue_speaks_in_labels(users: dict[str, User]) -> None:
    """Given the catalogue in Vietnamese, then kinds and aggregations are words, never their codes."""
    body = reading(users["analyst"], "vi").get("/indicators/").content.decode()
    assert "Tỷ lệ hộ nghèo" in body
    assert "tính lại từ các thành phần" in body
    assert "tính từ dữ liệu của hệ thống" in body
    for code in (">recompute<", ">derived<", ">computed<", ">sum<"):
        assert code not in body


def test_an_indicator_page_writes_its_formula_in_words(users: dict[str, User]) -> None:
    body = reading(users["analyst"], "vi").get("/indicators/catalogue/poverty_rate/").content.decode()
    assert "Số hộ nghèo ÷ Tổng số hộ dân cư × 100" in body
    assert 'href="/indicators/explore/?indicator=poverty_rate"' in body


def test_an_indicator_source_is_cited_in_the_reader_language(users: dict[str, User]) -> None:
    """Given the poverty rate's source in Vietnamese and English, then each reader reads it in their own
    language, on the indicator's page in full and in the catalogue's list."""
    source = shipped_catalogue().get("poverty_rate").source
    for language, shown, other in (("vi", source.vi, source.en), ("en", source.en, source.vi)):
        client = reading(users["analyst"], language)
        page = html.unescape(client.get("/indicators/catalogue/poverty_rate/").content.decode())
        listing = html.unescape(client.get("/indicators/").content.decode())

        assert f"<dd>{shown}</dd>" in page, language
        assert other not in page, language
        assert f'<td class="muted">{shown[:89]}…</td>' in listing, language


def poverty_rate_at_most(officer: User, value: int, years: tuple[int, int]) -> Target:
    """A target of the officer's unit: its poverty rate at most ``value`` per cent over ``years``."""
    return Target.objects.create(
        indicator="poverty_rate",
        era="current",
        unit=officer.scope,
        baseline_year=years[0],
        target_year=years[1],
        kind="at_most",
        value=value,
    )


def test_the_scorecard_shows_the_latest_value_and_a_target(users: dict[str, User], history: None) -> None:
    """Given a target of at most 12% by 2025 from 2019, then the scorecard shows 10,00 (2024) and the
    target achieved."""
    poverty_rate_at_most(users["province officer"], 12, (2019, 2025))
    body = (
        reading(users["province officer"], "vi")
        .get(f"/indicators/units/current/{QUANG_NINH}/")
        .content.decode()
    )
    row = body[body.index('id="score-poverty_rate"') :]
    row = row[: row.index("</tr>")]
    assert "<b>10,00</b>" in row
    assert "(2024)" in row
    assert "đã đạt" in row


def test_the_explorer_pivots_and_exports(users: dict[str, User], history: None) -> None:
    client = reading(users["province officer"], "vi")
    query = f"?indicator=poverty_rate&unit={QUANG_NINH}&from_year=2019&to_year=2024"
    body = client.get(f"/indicators/explore/{query}").content.decode()
    assert "18,00" in body
    assert "chart-figure" in body
    pivoted = client.get(f"/indicators/explore/{query}&pivot=on").content.decode()
    assert '<th scope="row">2019</th>' in pivoted
    response = client.get(f"/indicators/explore/export/{query}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row and row[0] == QUANG_NINH]
    assert rows == [(QUANG_NINH, "Quảng Ninh", 20, 18, 16, 14, 12, 10)]
    assert response["Content-Disposition"] == 'attachment; filename="poverty_rate-22.xlsx"'


def test_the_provenance_of_a_figure_names_its_data(users: dict[str, User], history: None) -> None:
    body = (
        reading(users["province officer"], "vi")
        .get(f"/indicators/explore/provenance/?indicator=poverty_rate&unit={QUANG_NINH}&year=2020")
        .content.decode()
    )
    assert '<td>Tổng số hộ dân cư</td><td>Quảng Ninh</td><td>2020</td><td class="number">1.000</td>' in body
    assert '<td>Số hộ nghèo</td><td>Quảng Ninh</td><td>2020</td><td class="number">180</td>' in body


def test_a_target_is_set_and_its_progress_shown(users: dict[str, User], history: None) -> None:
    """Given a province officer, when they set −2 points a year from 2019 to 2025, then the target page
    shows it achieved in 2024 at −2 a year."""
    client = reading(users["province officer"], "vi")
    form = {
        "indicator": "poverty_rate",
        "era": "current",
        "unit_code": QUANG_NINH,
        "baseline_year": "2019",
        "target_year": "2025",
        "kind": "annual_change",
        "value": "-1,5",
    }
    response = client.post("/indicators/targets/new/", form)
    target = Target.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/indicators/targets/{target.pk}/"
    body = client.get(response["Location"]).content.decode()
    assert "Tỷ lệ hộ nghèo: giảm 1,5 điểm %/năm" in body
    assert 'id="status">đã đạt' in body
    assert 'id="average-change">-2,00' in body
    assert 'id="achieved-year">2024' in body
    assert 'id="years-ahead">1' in body


def test_the_target_page_rounds_as_the_scorecard_rounds(users: dict[str, User]) -> None:
    """Given 22,285 poor of 100,000 households in 2019 (22.285%) and 18,000 in 2024, then the target's
    page shows the baseline 22,29, rounded half up as every figure is shown (not 22,28), and the share
    achieved as a percent with one place."""
    for year, poor in ((2019, 22_285), (2024, 18_000)):
        entered("households", "current", QUANG_NINH, year, 100_000)
        entered("poor_households", "current", QUANG_NINH, year, poor)
    target = poverty_rate_at_most(users["province officer"], 10, (2019, 2030))
    body = reading(users["province officer"], "vi").get(f"/indicators/targets/{target.pk}/").content.decode()
    assert 'id="baseline">22,29</dd>' in body
    assert 'id="average-change">-0,86</dd>' in body  # −4.285 over 5 years: −0.857
    assert 'id="share">34,9%</dd>' in body  # 4.285 of 12.285


def test_a_refused_target_shows_each_problem_under_its_field(users: dict[str, User]) -> None:
    """Given a target for a unit of another province, years reversed and no value, then each problem is
    shown under its field and nothing is stored."""
    client = reading(users["province officer"], "en")
    form = {
        "indicator": "poverty_rate",
        "era": "current",
        "unit_code": DIEN_BIEN,
        "baseline_year": "2025",
        "target_year": "2020",
        "kind": "at_most",
        "value": "",
    }
    body = client.post("/indicators/targets/new/", form).content.decode()
    with translation.override("en"):
        assert field_errors(body) == {
            "unit_code": str(UNKNOWN_TARGET_UNIT),
            "target_year": str(TARGET_YEAR_NOT_AFTER_BASELINE),
            "value": str(REQUIRED),
        }
    assert not Target.objects.exists()


def test_a_value_is_entered_through_the_form(users: dict[str, User]) -> None:
    client = reading(users["province officer"], "vi")
    form = {
        "indicator": "income_per_capita_poor_households",
        "era": "current",
        "unit_code": QUANG_NINH,
        "year": "2024",
        "value": "1.250.000",
    }
    response = client.post("/indicators/values/new/", form)
    assert response.status_code == 302
    stored = IndicatorValue.objects.get()
    assert (stored.indicator, stored.unit.code, stored.year, stored.value) == (
        "income_per_capita_poor_households",
        QUANG_NINH,
        2024,
        1250000,
    )
