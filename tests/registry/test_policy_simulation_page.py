"""The policy simulation's page (``/registry/policy-simulation/``): the snapshot's households of the
user's scope reclassified under another standard — the country for a ministry analyst, one province for
its officer, nothing for a commune's."""

import datetime
import io
import json
from pathlib import Path

import lxml.html
import polars as pl
import pytest
from django.core.management import call_command
from django.utils import formats, timezone, translation

from tests.conftest import BA_CHE, client_for
from tests.engine.poverty.simulated_snapshot import without_waste_treatment, write_snapshot
from vungcao.accounts.models import Role
from vungcao.engine.poverty.snapshot import MANIFEST
from vungcao.registry.selectors import simulation as simulation_selectors
from vungcao.registry.services import reviews

pytestmark = pytest.mark.django_db

PAGE = "/registry/policy-simulation/"
SIMULATE = {"standard": "vn-2027-2030", "k": "1/3"}


@pytest.fixture
def snapshot(settings, tmp_path: Path) -> Path:
    settings.SNAPSHOT_DIRECTORY = write_snapshot(tmp_path / "snapshot")
    return settings.SNAPSHOT_DIRECTORY


def cells(html: bytes, table: str) -> list[list[str]]:
    rows = lxml.html.fromstring(html).xpath(f'//table[@id="{table}"]/tbody/tr')
    return [[" ".join(cell.text_content().split()) for cell in row.xpath("td")] for row in rows]


def text_of(html: bytes, identifier: str) -> str:
    element = lxml.html.fromstring(html).get_element_by_id(identifier)
    return " ".join(" ".join(text.split()) for text in element.itertext() if text.strip())


def test_a_ministry_analyst_sees_every_province_simulated(analyst, snapshot) -> None:
    """Given the six households of provinces 22 and 08 (hand-computed in tests.engine.poverty), when the
    ministry's analyst simulates vn-2027-2030, then the page shows 6 households, 3 changing status, the
    transitions and both provinces."""
    client = client_for(analyst)
    client.cookies["django_language"] = "en"
    response = client.get(PAGE, SIMULATE)
    assert response.status_code == 200
    assert text_of(response.content, "simulation-totals") == "6 households 3 Would change status"
    # Rows: the registry's statuses; columns: poor, near-poor, not poor under vn-2027-2030, then the total
    assert cells(response.content, "transitions") == [
        ["poor household", "2", "0", "0", "2"],
        ["near-poor household", "1", "0", "0", "1"],
        ["household of average living standard", "1", "1", "0", "2"],
        ["not poor", "0", "0", "1", "1"],
    ]
    by_province = cells(response.content, "by-province_code")
    assert [row[0] for row in by_province] == ["Tuyên Quang (08)", "Quảng Ninh (22)"]
    assert [row[1:3] for row in by_province] == [["3", "1"], ["3", "2"]]
    # H as a percentage of the households (a third of each province), M0 as the ratio it is.
    assert [row[3:] for row in by_province] == [
        ["33.3%", "33.3%", "0.1111", "0.1111"],
        ["33.3%", "33.3%", "0.1111", "0.1296"],
    ]
    by_minority = cells(response.content, "by-ethnic_minority")
    assert [row[:3] for row in by_minority] == [["Kinh", "2", "2"], ["Ethnic minority", "4", "1"]]


def test_a_province_officer_sees_only_the_province(province_officer, commune_officer, snapshot) -> None:
    """Given the same snapshot, when Quảng Ninh's officer simulates, then only its three households are
    counted; a commune's officer has no such page."""
    response = client_for(province_officer).get(PAGE, SIMULATE)
    assert response.status_code == 200
    assert [row[1:3] for row in cells(response.content, "by-province_code")] == [["3", "2"]]
    assert client_for(commune_officer).get(PAGE, SIMULATE).status_code == 404


def test_a_snapshot_missing_or_refusing_the_standard_is_said_in_the_reader_language(
    analyst, settings, snapshot, tmp_path
) -> None:
    client = client_for(analyst)
    client.cookies["django_language"] = "vi"
    response = client.get(PAGE, {"standard": "vn-2016-2020", "k": "1/3"})
    assert text_of(response.content, "simulation-error").startswith(
        "Chuẩn vn-2016-2020 đọc «Hộ thiếu hụt chỉ số tiếp cận các dịch vụ y tế» (deprived__health_care_access); "
        "«Hộ thiếu hụt chỉ số tài sản phục vụ tiếp cận thông tin» (deprived__information_assets), nhưng"
    )
    settings.SNAPSHOT_DIRECTORY = tmp_path / "nowhere"
    response = client.get(PAGE, SIMULATE)
    assert text_of(response.content, "simulation-error").startswith(
        "Không có bản chụp dữ liệu (snapshot) tại"
    )


def test_a_field_the_snapshot_lacks_is_asked_for_and_the_figures_say_what_was_assumed(
    analyst, snapshot
) -> None:
    """Given a snapshot of 2022–2025 answers (no waste treatment), when the analyst simulates
    vn-2027-2030 without an assumption, then the page refuses in words and asks, in the standard's
    wording, what to assume for every household; when "not deprived" is chosen, then the figures are
    shown (2 change, not 3) under the assumption, in words."""
    without_waste_treatment(snapshot)
    client = client_for(analyst)
    client.cookies["django_language"] = "vi"
    response = client.get(PAGE, SIMULATE)
    page = lxml.html.fromstring(response.content)
    assert text_of(response.content, "simulation-error").endswith(
        "Chưa mô phỏng gì. Hãy chọn ở trên giá trị giả định cho mọi hộ đối với từng chỉ số đó."
    )
    assert page.xpath('//fieldset[@id="simulation-assumption-fields"]//label/text()') == [
        "Hộ thiếu hụt chỉ số xử lý rác thải sinh hoạt"
    ]
    assert page.xpath('//select[@name="assume__deprived__waste_treatment"]/option/text()') == [
        "— không giả định —",
        "không thiếu hụt chỉ số xử lý rác thải sinh hoạt",
        "thiếu hụt chỉ số xử lý rác thải sinh hoạt",
    ]
    assert not page.xpath('//*[@id="simulation-totals"]')

    client.cookies["django_language"] = "en"
    response = client.get(PAGE, {**SIMULATE, "assume__deprived__waste_treatment": "no"})
    assert text_of(response.content, "simulation-totals") == "6 households 2 Would change status"
    assert text_of(response.content, "simulation-assumptions") == (
        "Assumed for every household: not deprived in household waste treatment (not in the snapshot's "
        "answers of 2025)"
    )


@pytest.mark.parametrize("value", ["maybe", "<script>alert(1)</script>", "yes' OR 1=1", "x" * 500])
def test_a_hostile_assumption_is_refused_and_nothing_simulated(analyst, snapshot, value: str) -> None:
    without_waste_treatment(snapshot)
    before = {path: path.stat().st_mtime_ns for path in snapshot.rglob("*")}
    client = client_for(analyst)
    client.cookies["django_language"] = "en"
    response = client.get(PAGE, {**SIMULATE, "assume__deprived__waste_treatment": value})
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content)
    assert "Select a valid choice" in " ".join(page.xpath('//fieldset//span[@class="error"]//text()'))
    assert not page.xpath('//*[@id="simulation-totals"]')
    assert b"<script>alert" not in response.content
    assert {path: path.stat().st_mtime_ns for path in snapshot.rglob("*")} == before


def test_the_page_says_how_old_the_snapshot_is_and_when_a_later_decision_is_missing(
    three_years, province_officer, analyst, make_user, settings, tmp_path
) -> None:
    """Given Ba Chẽ's reviews of 2023–2025 approved and the snapshot written after, when Quảng Ninh's
    officer opens the page, then it says when the snapshot was written and what it covers, and nothing
    of staleness; when the 2025 review is re-opened afterwards, then the page says the figures do not
    include it — for Quảng Ninh's officer and the ministry, not for another province's officer."""
    settings.SNAPSHOT_DIRECTORY = tmp_path / "snapshot"
    call_command("snapshot", "write", str(settings.SNAPSHOT_DIRECTORY), stdout=io.StringIO())
    client = client_for(province_officer)
    client.cookies["django_language"] = "en"
    response = client.get(PAGE)
    written = json.loads((settings.SNAPSHOT_DIRECTORY / MANIFEST).read_text())["written"]
    with translation.override("en"):
        shown = formats.date_format(
            timezone.localtime(datetime.datetime.fromisoformat(written)), "SHORT_DATETIME_FORMAT"
        )
    assert text_of(response.content, "snapshot-age") == (
        f"Snapshot of the registry written {shown} · years 2023, 2024, 2025, 1 province"
    )
    assert b'id="snapshot-stale"' not in response.content

    review_2025 = three_years[2025].communes.get(commune__code=BA_CHE)
    reviews.commune_review_reopen(user=province_officer, review=review_2025, reason="Kiểm tra lại")

    response = client.get(PAGE)
    assert text_of(response.content, "snapshot-stale").startswith(
        "A commune review of your scope was approved or re-opened after the snapshot was written"
    )
    assert b'id="snapshot-stale"' in client_for(analyst).get(PAGE).content
    other_province = make_user("tuyenquang-officer", Role.PROVINCE_OFFICER, "08")
    assert b'id="snapshot-stale"' not in client_for(other_province).get(PAGE).content


def test_a_snapshot_whose_manifest_does_not_say_when_is_said_so(analyst, snapshot) -> None:
    client = client_for(analyst)
    client.cookies["django_language"] = "en"
    assert text_of(client.get(PAGE).content, "snapshot-age") == (
        "Snapshot of the registry written at a time its manifest does not record (write it again) · "
        "years 2024, 2025, 2 provinces"
    )


def test_a_second_request_is_served_from_the_cache_until_the_snapshot_changes(
    analyst, snapshot, monkeypatch
) -> None:
    """Given a simulation shown once, when the same is asked again, then the engine does not run; when a
    partition is written again, or another assumption or k is asked, then it runs again."""
    without_waste_treatment(snapshot)
    runs = []
    engine_simulate = simulation_selectors.simulate

    def counted(*arguments, **keywords):
        runs.append(keywords["cutoff"])
        return engine_simulate(*arguments, **keywords)

    monkeypatch.setattr(simulation_selectors, "simulate", counted)
    client = client_for(analyst)
    client.cookies["django_language"] = "en"
    asked = {**SIMULATE, "assume__deprived__waste_treatment": "no"}
    first = text_of(client.get(PAGE, asked).content, "simulation-totals")
    assert (
        text_of(client.get(PAGE, asked).content, "simulation-totals")
        == first
        == ("6 households 2 Would change status")
    )
    assert runs == ["1/3"]

    deprived = text_of(
        client.get(PAGE, {**asked, "assume__deprived__waste_treatment": "yes"}).content, "simulation-totals"
    )
    assert deprived == "6 households 3 Would change status"
    client.get(PAGE, {**asked, "k": "1/2"})
    assert runs == ["1/3", "1/3", "1/2"]

    partition = snapshot / "province=08/year=2025/assessments.parquet"
    pl.read_parquet(partition).head(2).write_parquet(partition)
    assert text_of(client.get(PAGE, asked).content, "simulation-totals").startswith("5 households")
    assert len(runs) == 4
