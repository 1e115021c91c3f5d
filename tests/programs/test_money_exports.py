"""The money report is exported as the household list is: the dashboard's button records its choices and
queues the writing (the country's report takes seconds at national scale), the export's page follows it
and names the choices in words, and the file is its user's alone. The choices are checked when asked, as
the dashboard checks them, and again when written, as the user may then see the money."""

import pytest
from django.utils import translation

from tests.common.reports import read_report
from tests.conftest import BA_CHE, QUANG_NINH, TIEN_YEN, client_for, current_unit
from tests.exports.helpers import download, export_started, exported, sealed_pieces
from tests.imports.helpers import english, run_tasks
from tests.programs.helpers import record
from vungcao.exports.models import Export
from vungcao.programs import money_report
from vungcao.registry.models import PersonalDataRead

pytestmark = pytest.mark.django_db

Status = Export.Status
YEAR_2024 = {"from_year": 2024, "to_year": 2024}


@pytest.fixture
def quang_ninh_money() -> None:
    record("allocation", 2024, QUANG_NINH, 1_600_000_000)
    record("allocation", 2024, BA_CHE, 8_400_000_000, source="socialised")
    record("disbursement", 2024, BA_CHE, 2_100_000_000, source="socialised")
    record("allocation", 2024, TIEN_YEN, 500_000_000)


def test_the_dashboard_queues_the_report_and_its_page_offers_the_file(
    province_officer, quang_ninh_money, monkeypatch
) -> None:
    client = english(client_for(province_officer))
    # Given the province officer on the money dashboard of 2024, its export button posts the page's choices
    page = client.get("/programs/?from_year=2024&to_year=2024").content.decode()
    assert 'action="/exports/money/?from_year=2024&amp;to_year=2024"' in page
    # When they press it, the request sums nothing: it records the choices and queues the writing
    written = []
    monkeypatch.setattr(money_report, "money_workbook", lambda **kwargs: written.append(1) or b"")
    response = export_started(client, YEAR_2024, kind="money")
    monkeypatch.undo()
    export = Export.objects.get()
    assert written == []
    assert response["Location"] == f"/exports/{export.pk}/"
    assert (export.kind, export.status, export.parameters) == (
        Export.Kind.MONEY,
        Status.QUEUED,
        {
            "era": "current",
            "unit": QUANG_NINH,
            "from_year": 2024,
            "to_year": 2024,
            "component": "",
            "threshold": 50,
            "on": "",
        },
    )
    with translation.override("en"):
        page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert "Programme money report" in page
    # The choices in words: the province by its full name, the year
    assert "<dt>Unit</dt><dd>Tỉnh Quảng Ninh</dd>" in page
    assert "<dt>Period</dt><dd>Year 2024</dd>" in page
    # When the worker writes it, the page offers the file, its lines counted
    run_tasks()
    export.refresh_from_db()
    assert (export.status, export.row_count) == (Status.READY, 1 + 3 + 2)  # components, units, sources
    with translation.override("en"):
        page = client.get(f"/exports/{export.pk}/").content.decode()
    assert "The report holds 6 lines in its tables." in page
    assert "log of reads of personal data" not in page
    assert (
        'href="/programs/?era=current&amp;unit=22&amp;from_year=2024&amp;to_year=2024&amp;threshold=50"'
        in page
    )
    downloaded = download(client, export)
    assert downloaded["Content-Disposition"] == 'attachment; filename="money-current-22-2024-2024.xlsx"'
    by_unit = read_report(downloaded.content, 1)
    assert sorted((row[0], row[3], row[4]) for row in by_unit.rows) == [
        (TIEN_YEN, 500_000_000, 0),
        (BA_CHE, 8_400_000_000, 2_100_000_000),
        (QUANG_NINH, 1_600_000_000, 0),
    ]
    # Money is no personal data: its download is not a read of the registry
    assert not PersonalDataRead.objects.exists()
    # and another user cannot open the export, even of the same province
    other = client_for(province_officer.__class__.objects.create_user(username="other", password="x"))
    assert other.get(f"/exports/{export.pk}/").status_code == 404
    assert download(other, export).status_code == 404


def test_choices_the_dashboard_refuses_are_refused_when_asked_nothing_queued(commune_officer) -> None:
    client = english(client_for(commune_officer))
    # Another commune's money, years in the wrong order, an unknown component: refused at once
    for query in (
        {"unit": TIEN_YEN, **YEAR_2024},
        {"unit": BA_CHE, "from_year": 2025, "to_year": 2024},
        {"unit": BA_CHE, "component": "NO-SUCH", **YEAR_2024},
    ):
        assert export_started(client, query, kind="money").status_code == 404, query
    # and a GET never starts an export; the old address of the synchronous export is gone
    assert client.get("/exports/money/?unit=06970").status_code == 405
    assert client.get("/programs/export.xlsx?unit=06970").status_code == 404
    assert not Export.objects.exists()


def test_a_unit_that_left_the_scope_before_the_writing_fails_in_words(
    province_officer, quang_ninh_money
) -> None:
    client = english(client_for(province_officer))
    # Given an export of Quảng Ninh queued, when the officer is moved to Điện Biên before the worker runs
    export_started(client, {"unit": QUANG_NINH, **YEAR_2024}, kind="money")
    province_officer.scope = current_unit("11")
    province_officer.save()
    run_tasks()
    export = Export.objects.get()
    # Then nothing of Quảng Ninh is written, and the page says why
    with translation.override("en"):
        assert (export.status, export.error, sealed_pieces(export)) == (
            Status.FAILED,
            str(money_report.UNIT_OUT_OF_SCOPE),
            [],
        )
        page = client.get(f"/exports/{export.pk}/").content.decode()
    assert "no longer within your scope" in page
    # and the page names the unit by its code alone (its name is no longer the officer's to read)
    assert f"<dt>Unit</dt><dd>{QUANG_NINH}</dd>" in page


def test_the_written_report_equals_the_one_the_page_shows(analyst, quang_ninh_money) -> None:
    # The ministry analyst's national report: the country, written by the worker
    export = exported(client_for(analyst), {"unit": "", **YEAR_2024}, kind="money")
    assert (export.status, export.parameters["unit"]) == (Status.READY, "")
    assert export.filename == "money-current-VN-2024-2024.xlsx"
