"""The money entry pages: plans, allocations, disbursements and extensions entered by name, amounts as
officials write them, a disbursement past its allocation refused (state budget) or stored with an alert
(other sources) on the page, the API and the import alike; the records list with its filters."""

import pytest

from tests.conftest import BA_CHE, MUONG_PHANG, QUANG_NINH, TIEN_YEN, client_for, current_unit
from tests.imports.helpers import preview, preview_and_apply, problems
from tests.programs.helpers import admin, record
from vungcao.accounts.models import Role
from vungcao.engine import money
from vungcao.programs.models import Component, MoneyRecord, RecordKind, Work
from vungcao.programs.selectors.money_records import ALERT_OVERDRAWN, ALERT_WITHOUT_ALLOCATION
from vungcao.programs.services import activities
from vungcao.programs.services.money import (
    AMOUNT_REASONS,
    EXCEEDS_UNSPENT,
    UNKNOWN_WORK,
    WORK_ONLY_FOR_DISBURSEMENTS,
)
from vungcao.programs.services.money_balance import (
    DISBURSEMENT_EXCEEDS_ALLOCATION,
    DISBURSEMENT_WITHOUT_ALLOCATION,
)

pytestmark = pytest.mark.django_db

NEW = "/programs/records/new/?kind={kind}"
LIST = "/programs/records/"
ENTRY = {
    "year": "2024",
    "unit_code": BA_CHE,
    "component": "1719-DA4-TDA1",
    "source": "central_investment",
    "amount_vnd": "1,5 tỷ",
    "document_no": "15/QĐ-UBND",
    "document_date": "2024-03-01",
}


def enter(user, kind: str, **changes: str):
    return client_for(user).post(NEW.format(kind=kind), {**ENTRY, **changes})


def disbursements() -> list[tuple[str, int]]:
    return list(
        MoneyRecord.objects.filter(kind=RecordKind.DISBURSEMENT).values_list("source__code", "amount_vnd")
    )


def test_a_commune_officer_records_an_allocation_typed_as_written_and_picked_by_name(commune_officer) -> None:
    # Given the commune typed by name, the amount as "1,5 tỷ"
    response = enter(commune_officer, "allocation", unit_code="ba chẽ")
    # Then it is recorded, and the page shows it above an empty form for the next one
    assert response.status_code == 302
    recorded = MoneyRecord.objects.get()
    assert (recorded.kind, recorded.unit.code, recorded.amount_vnd) == ("allocation", BA_CHE, 1_500_000_000)
    html = client_for(commune_officer).get(response["Location"]).content.decode()
    assert 'id="recorded"' in html
    assert "1.500.000.000" in html
    assert "Xã Ba Chẽ, Tỉnh Quảng Ninh" in html


def test_a_state_budget_disbursement_past_its_allocation_is_refused_under_the_amount(commune_officer) -> None:
    # Given 1.5 billion allocated and 1.2 billion disbursed
    enter(commune_officer, "allocation")
    assert (
        enter(commune_officer, "disbursement", amount_vnd="1.200.000.000", document_no="UNC-1").status_code
        == 302
    )
    # When 400 million more is entered
    response = enter(commune_officer, "disbursement", amount_vnd="400 triệu", document_no="UNC-2")
    # Then it is refused with what is left, under the amount, and nothing is written
    html = response.content.decode()
    message = str(DISBURSEMENT_EXCEEDS_ALLOCATION).format(
        year=2024, remaining="300.000.000", amount="400.000.000"
    )
    assert response.status_code == 200
    assert 'id="error-amount_vnd"' in html
    assert message.replace("'", "&#x27;") in html
    assert disbursements() == [("central_investment", 1_200_000_000)]


def test_a_state_budget_disbursement_without_an_allocation_is_refused(commune_officer) -> None:
    response = enter(commune_officer, "disbursement", source="local_budget")
    assert str(DISBURSEMENT_WITHOUT_ALLOCATION).format(year=2024) in response.content.decode()
    assert not MoneyRecord.objects.exists()


def test_people_s_contributions_past_their_allocation_are_stored_with_an_alert_shown_wherever_they_appear(
    commune_officer,
) -> None:
    # Given 100 million of people's contributions allocated
    enter(commune_officer, "allocation", source="people_contribution", amount_vnd="100 triệu")
    # When 130 million is disbursed
    client = client_for(commune_officer)
    response = client.post(
        NEW.format(kind="disbursement"),
        {**ENTRY, "source": "people_contribution", "amount_vnd": "130.000.000", "document_no": "UNC-9"},
        follow=True,
    )
    # Then it is recorded with the alert, on the page and on the list, on the disbursement and its allocation
    alert = str(ALERT_OVERDRAWN).format(excess="30.000.000")
    assert alert in response.content.decode()
    assert disbursements() == [("people_contribution", 130_000_000)]
    listed = client.get(f"{LIST}?overdrawn=on").content.decode()
    assert listed.count(alert) == 2
    assert "UNC-9" in listed
    assert "15/QĐ-UBND" in listed


def test_an_extension_past_the_unspent_allocation_is_refused_and_one_within_it_recorded(
    commune_officer,
) -> None:
    enter(commune_officer, "allocation")
    enter(commune_officer, "disbursement", amount_vnd="1 tỷ", document_no="UNC-1")
    refused = enter(commune_officer, "extension", to_year="2025", amount_vnd="600 triệu", document_no="KD-1")
    assert (
        str(EXCEEDS_UNSPENT).format(unspent="500.000.000", amount="600.000.000") in refused.content.decode()
    )
    assert not MoneyRecord.objects.filter(kind=RecordKind.EXTENSION).exists()
    assert (
        enter(
            commune_officer, "extension", to_year="2025", amount_vnd="500 triệu", document_no="KD-1"
        ).status_code
        == 302
    )
    assert MoneyRecord.objects.get(kind=RecordKind.EXTENSION).to_year == 2025


def _work(unit_code: str, component: str = "1719-DA4-TDA1") -> Work:
    return activities.work_create(
        user=admin(),
        unit=current_unit(unit_code),
        component=Component.objects.get(code=component),
        kind="road",
        name=f"Đường {unit_code}",
        investment_total_vnd=1_000_000_000,
    )


def test_a_disbursement_names_the_work_it_pays_for_among_the_works_of_its_unit_and_component(
    commune_officer,
) -> None:
    enter(commune_officer, "allocation")
    own, elsewhere, other_component = _work(BA_CHE), _work(TIEN_YEN), _work(BA_CHE, "1719-DA1")
    page = client_for(commune_officer).get(NEW.format(kind="disbursement")).content.decode()
    assert own.name in page
    assert elsewhere.name not in page
    for work in (elsewhere, other_component):
        response = enter(commune_officer, "disbursement", amount_vnd="1 tỷ", work=str(work.pk))
        assert 'id="error-work"' in response.content.decode()
    assert not disbursements()
    assert enter(commune_officer, "disbursement", amount_vnd="1 tỷ", work=str(own.pk)).status_code == 302
    assert MoneyRecord.objects.get(kind=RecordKind.DISBURSEMENT).work == own


def test_only_a_disbursement_names_a_work_through_the_api(province_officer) -> None:
    work = _work(BA_CHE)
    body = {**ENTRY, "kind": "allocation", "amount_vnd": "1 tỷ", "work": work.pk}
    response = client_for(province_officer).post(
        "/api/v1/money/records", body, content_type="application/json"
    )
    assert response.json()["errors"] == {"work": str(WORK_ONLY_FOR_DISBURSEMENTS)}
    body = {**body, "kind": "disbursement", "unit_code": TIEN_YEN}
    response = client_for(province_officer).post(
        "/api/v1/money/records", body, content_type="application/json"
    )
    assert response.json()["errors"]["work"] == str(UNKNOWN_WORK)
    assert not MoneyRecord.objects.exists()


def test_the_api_refuses_a_budget_disbursement_past_its_allocation_and_returns_the_alert_of_others(
    province_officer,
) -> None:
    client = client_for(province_officer)
    body = {**ENTRY, "kind": "disbursement", "unit_code": QUANG_NINH}
    refused = client.post("/api/v1/money/records", body, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["errors"] == {"amount_vnd": str(DISBURSEMENT_WITHOUT_ALLOCATION).format(year=2024)}
    stored = client.post(
        "/api/v1/money/records", {**body, "source": "socialised"}, content_type="application/json"
    )
    assert stored.status_code == 201
    assert stored.json()["alert"] == str(ALERT_WITHOUT_ALLOCATION)


def test_the_import_refuses_budget_disbursements_that_together_pass_their_allocation(
    province_officer,
) -> None:
    content = (
        "kind,year,era,unit_code,component,source,amount_vnd,document_no,document_date\n"
        f"allocation,2024,current,{BA_CHE},1719-DA4-TDA1,central_investment,1 tỷ,GV-1,2024-03-01\n"
        f"disbursement,2024,current,{BA_CHE},1719-DA4-TDA1,central_investment,600 triệu,UNC-1,2024-05-01\n"
        f"disbursement,2024,current,{BA_CHE},1719-DA4-TDA1,central_investment,500 triệu,UNC-2,2024-06-01\n"
        f"disbursement,2024,current,{BA_CHE},1719-DA4-TDA1,socialised,50 triệu,UNC-3,2024-06-01\n"
    )
    batch = preview("money_records", content, user=province_officer)
    message = str(DISBURSEMENT_EXCEEDS_ALLOCATION).format(
        year=2024, remaining="1.000.000.000", amount="1.100.000.000"
    )
    assert problems(batch) == [(4, "amount_vnd", "500000000", message)]
    assert not MoneyRecord.objects.exists()


def test_a_unit_outside_the_scope_is_neither_offered_nor_accepted(commune_officer) -> None:
    client = client_for(commune_officer)
    offered = client.get("/programs/records/units/?unit_code=ba che").content.decode()
    assert f"{BA_CHE} · Xã Ba Chẽ, Tỉnh Quảng Ninh" in offered
    assert client.get("/programs/records/units/?unit_code=tien yen").content.decode().strip() == ""
    assert client.get(f"/programs/records/units/?unit_code={MUONG_PHANG}").content.decode().strip() == ""
    response = enter(commune_officer, "allocation", unit_code=TIEN_YEN)
    assert 'id="error-unit_code"' in response.content.decode()
    assert not MoneyRecord.objects.exists()


@pytest.mark.parametrize("role", [Role.MINISTRY_ANALYST, Role.AGGREGATE_VIEWER])
def test_national_readers_see_the_records_but_no_entry_form(make_user, role: str) -> None:
    record(RecordKind.ALLOCATION, 2024, BA_CHE, 1_000_000_000)
    client = client_for(make_user(f"reader-{role}", role))
    listed = client.get(LIST).content.decode()
    assert 'id="record-links"' not in listed
    assert "1.000.000.000" in listed
    assert client.get(NEW.format(kind="allocation")).status_code == 403
    assert client.post(NEW.format(kind="allocation"), ENTRY).status_code == 403
    assert "/programs/records/new/" not in client.get("/programs/programmes/1719/").content.decode()
    assert MoneyRecord.objects.count() == 1


def test_the_list_is_filtered_by_year_kind_unit_component_and_source(province_officer) -> None:
    record(RecordKind.ALLOCATION, 2024, BA_CHE, 1_000_000_000, document_no="A")
    record(RecordKind.ALLOCATION, 2025, TIEN_YEN, 2_000_000_000, document_no="B")
    record(RecordKind.PLAN, 2024, BA_CHE, 3_000_000_000, source="local_budget", document_no="C")
    record(RecordKind.PLAN, 2024, MUONG_PHANG, 4_000_000_000, document_no="D")
    client = client_for(province_officer)

    def shown(query: str) -> list[str]:
        html = client.get(f"{LIST}?{query}").content.decode()
        return [number for number in "ABCD" if f">{number}<br>" in html]

    assert shown("") == ["A", "B", "C"]
    assert shown("year=2024") == ["A", "C"]
    assert shown("kind=plan") == ["C"]
    assert shown("unit=tien yen") == ["B"]
    assert shown("source=local_budget") == ["C"]
    assert shown("component=1719-DA4") == ["A", "B", "C"]
    assert shown("component=1719-DA1") == []
    assert shown(f"unit={MUONG_PHANG}") == []


def test_a_dashboard_row_whose_disbursements_pass_its_allocation_shows_an_alert(province_officer) -> None:
    record(RecordKind.ALLOCATION, 2024, BA_CHE, 100_000_000, source="socialised")
    record(RecordKind.DISBURSEMENT, 2024, BA_CHE, 150_000_000, source="socialised")
    html = client_for(province_officer).get("/programs/?unit=22&from_year=2024&to_year=2024").content.decode()
    assert 'class="alert"' in html


def test_a_record_out_of_scope_is_not_shown_as_just_recorded(commune_officer, make_user) -> None:
    elsewhere = record(RecordKind.ALLOCATION, 2024, MUONG_PHANG, 1_000_000_000, document_no="MP-SECRET")
    html = client_for(commune_officer).get(f"{NEW.format(kind='allocation')}&recorded={elsewhere.pk}")
    assert html.status_code == 200
    assert "MP-SECRET" not in html.content.decode()


def test_an_unknown_kind_is_not_found(commune_officer) -> None:
    assert client_for(commune_officer).get(NEW.format(kind="loan")).status_code == 404


def test_an_amount_past_the_bound_is_refused_under_the_amount_and_nothing_is_written(commune_officer) -> None:
    response = enter(commune_officer, "allocation", amount_vnd="10.000.000.000.000.000")
    assert 'id="error-amount_vnd"' in response.content.decode()
    assert str(AMOUNT_REASONS[money.AMOUNT_TOO_LARGE]) in response.content.decode()
    assert not MoneyRecord.objects.exists()


def test_the_works_list_shows_what_was_disbursed_for_each_work(commune_officer) -> None:
    enter(commune_officer, "allocation")
    work = _work(BA_CHE)
    enter(commune_officer, "disbursement", amount_vnd="700 triệu", document_no="UNC-1", work=str(work.pk))
    enter(commune_officer, "disbursement", amount_vnd="100 triệu", document_no="UNC-2")
    html = client_for(commune_officer).get("/programs/works/").content.decode()
    assert '<td class="number">800.000.000</td>' not in html
    assert '<td class="number">700.000.000</td>' in html


def test_a_file_names_the_work_a_disbursement_pays_for_by_its_name(province_officer) -> None:
    work = _work(BA_CHE)
    content = (
        "kind,year,era,unit_code,component,source,amount_vnd,document_no,document_date,work\n"
        f"allocation,2024,current,{BA_CHE},1719-DA4-TDA1,central_investment,1 tỷ,GV-1,2024-03-01,\n"
        f"disbursement,2024,current,{BA_CHE},1719-DA4-TDA1,central_investment,600 triệu,UNC-1,2024-05-01,"
        f"{work.name.upper()}\n"
        f"disbursement,2024,current,{BA_CHE},1719-DA4-TDA1,central_investment,100 triệu,UNC-2,2024-05-01,"
        "Đường không có\n"
    )
    batch = preview("money_records", content, user=province_officer)
    assert problems(batch) == [(4, "work", "Đường không có", str(UNKNOWN_WORK))]
    batch = preview_and_apply(
        "money_records", "\n".join(content.splitlines()[:3]) + "\n", user=province_officer
    )
    assert MoneyRecord.objects.get(kind=RecordKind.DISBURSEMENT).work == work
