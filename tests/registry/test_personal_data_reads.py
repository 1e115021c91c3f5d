"""Every read of a household's personal data is recorded, once a response, and administrators alone see
the record: the pages, the API and the export each write exactly one row with who, what and how many;
a refused read writes nothing; the log masks search text and cannot be changed."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from tests.conftest import BA_CHE, TIEN_YEN, client_for, current_unit
from tests.exports.helpers import download, exported
from vungcao.accounts.models import Role, User
from vungcao.exports.models import Export
from vungcao.geo.models import AdministrativeUnit
from vungcao.geo.services import villages
from vungcao.registry.models import CommuneReview, Household, PersonalDataRead
from vungcao.registry.services import personal_data_reads
from vungcao.registry.services.households import MemberData, household_create

pytestmark = pytest.mark.django_db

Kind = PersonalDataRead.Kind
IDENTITY = "022080001234"
HEAD = "Hoàng Văn A"


def _register(administrator: User, village: AdministrativeUnit, code: str, identity: str = "") -> Household:
    head = MemberData(
        full_name=HEAD, sex="male", birth_year=1980, ethnic_group="09", relation_to_head="head",
        identity_number=identity,
    )  # fmt: skip
    return household_create(
        user=administrator, village=village, code=code, area="rural", members=[head], address="Khe Giấy"
    )


@pytest.fixture
def households(administrator: User, ba_che_review: CommuneReview) -> dict[str, Household]:
    """H1 in Ba Chẽ (the commune officer's) with an identity number, T1 in Tiên Yên (same province)."""
    ba_che_village = current_unit(BA_CHE).children.get(name="Thôn Khe Giấy")
    tien_yen_village = villages.village_create(
        user=administrator, commune=current_unit(TIEN_YEN), name="Thôn Một"
    )
    return {
        "H1": _register(administrator, ba_che_village, "H1", IDENTITY),
        "T1": _register(administrator, tien_yen_village, "T1", "022080009999"),
    }


def only_read() -> PersonalDataRead:
    reads = list(PersonalDataRead.objects.all())
    assert len(reads) == 1, reads
    return reads[0]


# --- Each kind of read is one row -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "identity_whole"), [("commune_officer", True), ("province_officer", False)]
)
def test_the_household_page_records_one_read(request, households, fixture: str, identity_whole: bool) -> None:
    # Given an officer of the household's scope
    user: User = request.getfixturevalue(fixture)
    # When they open the household page
    response = client_for(user).get("/registry/households/H1/")
    # Then one read names them, the page, the household, and whether numbers were shown whole
    assert response.status_code == 200
    read = only_read()
    assert (read.user, read.kind, read.household, read.household_count) == (
        user,
        Kind.HOUSEHOLD_PAGE,
        households["H1"],
        1,
    )
    assert read.identity_numbers_whole is identity_whole
    assert (IDENTITY in response.content.decode()) is identity_whole
    assert read.address == "127.0.0.1"
    assert read.query == ""


def test_the_answers_page_records_one_read(commune_officer, households, ba_che_review) -> None:
    response = client_for(commune_officer).get(f"/registry/households/H1/answers/{ba_che_review.cycle_id}/")
    assert response.status_code == 200
    read = only_read()
    assert (read.user, read.kind, read.household, read.household_count, read.identity_numbers_whole) == (
        commune_officer,
        Kind.ANSWERS_PAGE,
        households["H1"],
        1,
        False,
    )


def test_the_api_detail_records_one_read(commune_officer, households) -> None:
    response = client_for(commune_officer).get("/api/v1/households/H1")
    assert response.status_code == 200
    assert response.json()["members"][0]["identity_number"] == IDENTITY
    read = only_read()
    assert (read.user, read.kind, read.household, read.household_count, read.identity_numbers_whole) == (
        commune_officer,
        Kind.API_DETAIL,
        households["H1"],
        1,
        True,
    )


def test_an_api_change_answering_with_the_household_records_one_read(administrator, households) -> None:
    # Given a household, when an administrator moves it over the API (the answer carries its members)
    village = current_unit(BA_CHE).children.get(name="Thôn Làng Cổng")
    response = client_for(administrator).post(
        "/api/v1/households/H1/move",
        data={"village_code": village.code, "on": "2025-06-01"},
        content_type="application/json",
    )
    # Then the household shown in the answer is one read
    assert response.status_code == 200
    read = only_read()
    assert (read.user, read.kind, read.household) == (administrator, Kind.API_DETAIL, households["H1"])


def test_the_api_list_records_one_read_with_its_count_and_masked_search(commune_officer, households) -> None:
    # Given a commune officer searching their households by a member's name
    response = client_for(commune_officer).get("/api/v1/households", {"search": HEAD, "limit": 10})
    # Then the page shows their one household and is one read of one household, the name masked
    assert response.status_code == 200
    assert [item["code"] for item in response.json()["items"]] == ["H1"]
    assert response.json()["count"] == 1
    read = only_read()
    assert (read.user, read.kind, read.household, read.household_count) == (
        commune_officer,
        Kind.API_LIST,
        None,
        1,
    )
    assert read.query == "search=••• offset=0 limit=10"


def test_an_api_page_past_the_end_records_a_read_of_no_household(administrator, households) -> None:
    response = client_for(administrator).get("/api/v1/households", {"offset": 5})
    assert response.json() == {"items": [], "count": 2}
    assert (only_read().household_count, only_read().query) == (0, "offset=5 limit=50")


def test_the_list_page_records_one_read_per_page_shown(administrator, households) -> None:
    client = client_for(administrator)
    # When the list is asked with a year and a member's name typed in the search
    response = client.get("/registry/households/", {"year": 2025, "q": HEAD})
    assert response.status_code == 200
    read = only_read()
    assert (read.kind, read.household, read.household_count) == (Kind.LIST_PAGE, None, 2)
    assert read.query == "year=2025 search=••• page=1"
    # And the page asked again by htmx is a second read
    client.get("/registry/households/", HTTP_HX_REQUEST="true")
    assert PersonalDataRead.objects.filter(kind=Kind.LIST_PAGE).count() == 2


def test_an_export_of_many_households_is_one_read_with_its_count(administrator, households) -> None:
    # Given 25 more households in Ba Chẽ
    village = current_unit(BA_CHE).children.get(name="Thôn Làng Cổng")
    for number in range(25):
        _register(administrator, village, f"B{number:02}")
    client = client_for(administrator)
    # When the administrator exports the commune's list, and the file is written
    export = exported(client, {"unit": BA_CHE})
    # Then nothing is read until the file is downloaded
    assert export.row_count == 26
    assert PersonalDataRead.objects.count() == 0
    # When it is downloaded, then it is one read of 26 households with the filter
    response = download(client, export)
    assert response.status_code == 200
    read = only_read()
    assert (read.user, read.kind, read.household, read.household_count, read.query) == (
        administrator,
        Kind.EXPORT,
        None,
        26,
        f"unit={BA_CHE}",
    )


# --- A refused read records nothing ------------------------------------------------------------------


def test_a_read_refused_by_scope_records_nothing(commune_officer, households, ba_che_review) -> None:
    client = client_for(commune_officer)
    for url in (
        "/registry/households/T1/",
        f"/registry/households/T1/answers/{ba_che_review.cycle_id}/",
        "/api/v1/households/T1",
        f"/api/v1/households?unit={TIEN_YEN}",
    ):
        assert client.get(url).status_code == 404, url
    assert PersonalDataRead.objects.count() == 0


def test_an_aggregate_viewer_never_reads_so_nothing_is_recorded(make_user, households) -> None:
    client = client_for(make_user("donor", Role.AGGREGATE_VIEWER))
    for url in (
        "/registry/households/",
        "/registry/households/H1/",
        "/api/v1/households",
        "/api/v1/households/H1",
    ):
        assert client.get(url).status_code in {403, 404}, url
    assert client.post("/exports/households/").status_code == 404
    assert PersonalDataRead.objects.count() == 0
    assert Export.objects.count() == 0


# --- The log holds no personal data -------------------------------------------------------------------


def test_the_filter_text_masks_what_could_be_a_name_or_an_identity_number() -> None:
    text = personal_data_reads.filter_text(
        {
            "unit": "06970-001",
            "year": 2025,
            "status": IDENTITY,  # typed where a status goes
            "ethnic_group": None,
            "deprived": "Nguyễn Thị B",
            "change": "escaped",
            "search": "H1",  # even a code: the search box takes names
        }
    )
    assert text == "unit=06970-001 year=2025 status=••• deprived=••• change=escaped search=•••"


# --- Administrators see the log -----------------------------------------------------------------------


@pytest.fixture
def logged(administrator, commune_officer, province_officer, households) -> None:
    """Three reads: the commune officer on 1 March, the province officer on 2 March, an export on 3 March."""
    at = timezone.make_aware(datetime.datetime(2026, 3, 1, 9, 30))
    rows = [
        (commune_officer, Kind.HOUSEHOLD_PAGE, households["H1"], 1, True, ""),
        (province_officer, Kind.API_DETAIL, households["T1"], 1, False, ""),
        (administrator, Kind.EXPORT, None, 2, False, "year=2025"),
    ]
    for day, (user, kind, household, count, whole, query) in enumerate(rows):
        PersonalDataRead.objects.create(
            user=user,
            kind=kind,
            household=household,
            household_count=count,
            identity_numbers_whole=whole,
            query=query,
            address="10.0.0.1",
            read_at=at + datetime.timedelta(days=day),
        )


def codes(response) -> list[str]:
    reads = response.context["page"]
    return [read.household.code if read.household else read.kind for read in reads]


def test_an_administrator_sees_every_read_newest_first(administrator, logged) -> None:
    response = client_for(administrator).get("/registry/personal-data-reads/")
    assert response.status_code == 200
    assert codes(response) == [Kind.EXPORT, "T1", "H1"]
    body = response.content.decode()
    assert "bache-officer" in body
    assert "year=2025" in body
    assert HEAD not in body
    assert IDENTITY not in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"user": "bache-officer"}, ["H1"]),
        ({"household": "T1"}, ["T1"]),
        ({"kind": Kind.EXPORT}, [Kind.EXPORT]),
        ({"identity_numbers_whole": "on"}, ["H1"]),
        ({"date_from": "2026-03-02", "date_to": "2026-03-02"}, ["T1"]),
        ({"date_from": "2026-03-02"}, [Kind.EXPORT, "T1"]),
        ({"date_to": "2026-03-01"}, ["H1"]),
        ({"user": "nobody"}, []),
    ],
)
def test_the_log_page_filters(administrator, logged, query, expected) -> None:
    response = client_for(administrator).get("/registry/personal-data-reads/", query)
    assert codes(response) == expected


@pytest.mark.parametrize("kind", [Kind.PHONE_HOUSEHOLDS, Kind.PHONE_LIST, Kind.PHONE_DETAIL])
def test_the_field_capture_kinds_are_recorded_and_filtered_on_the_log(administrator, logged, kind) -> None:
    # Given a commune's households read for phones (a form's list, the submissions' pages)
    personal_data_reads.personal_data_read_record(
        user=administrator,
        kind=kind,
        address="10.0.0.2",
        household_count=3,
        filters={"unit": BA_CHE, "year": 2025},
    )
    # Then the read is kept with its kind, and the log's filter by kind finds it alone
    response = client_for(administrator).get("/registry/personal-data-reads/", {"kind": kind})
    assert codes(response) == [kind]
    assert response.context["page"][0].query == f"unit={BA_CHE} year=2025"


def test_a_date_range_the_wrong_way_round_is_a_form_error(administrator, logged) -> None:
    response = client_for(administrator).get(
        "/registry/personal-data-reads/", {"date_from": "2026-03-03", "date_to": "2026-03-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"]


def test_the_log_page_is_paginated(administrator, households) -> None:
    PersonalDataRead.objects.bulk_create(
        PersonalDataRead(user=administrator, kind=Kind.HOUSEHOLD_PAGE, household=households["H1"], household_count=1)
        for _ in range(120)
    )  # fmt: skip
    client = client_for(administrator)
    assert len(client.get("/registry/personal-data-reads/").context["page"]) == 50
    last = client.get("/registry/personal-data-reads/", {"page": 3}).context["page"]
    assert (len(last), last.paginator.count) == (20, 120)


def test_the_household_page_links_to_its_reads_for_administrators_only(
    administrator, commune_officer, households
) -> None:
    link = "/registry/personal-data-reads/?household=H1"
    assert link in client_for(administrator).get("/registry/households/H1/").content.decode()
    assert link not in client_for(commune_officer).get("/registry/households/H1/").content.decode()


@pytest.mark.parametrize("fixture", ["commune_officer", "province_officer", "analyst"])
def test_anyone_but_an_administrator_is_denied_the_log(request, logged, fixture: str) -> None:
    client = client_for(request.getfixturevalue(fixture))
    assert client.get("/registry/personal-data-reads/").status_code == 404
    assert client.get("/admin/registry/personaldataread/").status_code == 302  # not staff: to the login


def test_an_administrator_with_a_scope_sees_the_reads_of_its_households_only(make_user, logged) -> None:
    scoped = make_user("bache-admin", Role.ADMINISTRATOR, BA_CHE)
    scoped.is_superuser = False  # a superuser sees the whole country whatever its scope
    scoped.save()
    response = client_for(scoped).get("/registry/personal-data-reads/")
    assert codes(response) == ["H1"]


# --- Nothing in the log can be changed ------------------------------------------------------------------


def test_the_admin_lists_and_filters_reads_and_changes_none(administrator, logged) -> None:
    client = client_for(administrator)
    listed = client.get("/admin/registry/personaldataread/")
    assert listed.status_code == 200
    assert listed.context["cl"].result_count == 3
    filtered = client.get("/admin/registry/personaldataread/", {"kind__exact": Kind.EXPORT})
    assert filtered.context["cl"].result_count == 1
    searched = client.get("/admin/registry/personaldataread/", {"q": "T1"})
    assert searched.context["cl"].result_count == 1

    read = PersonalDataRead.objects.get(household__code="H1")
    before = list(PersonalDataRead.objects.order_by("pk").values_list())
    shown = client.get(f"/admin/registry/personaldataread/{read.pk}/change/")
    assert shown.status_code == 200
    assert 'name="_save"' not in shown.content.decode()
    assert (
        client.post(f"/admin/registry/personaldataread/{read.pk}/change/", {"query": "x"}).status_code == 403
    )
    assert (
        client.post(f"/admin/registry/personaldataread/{read.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert client.get("/admin/registry/personaldataread/add/").status_code == 403
    assert list(PersonalDataRead.objects.order_by("pk").values_list()) == before


def test_the_database_refuses_to_change_a_read(logged) -> None:
    before = list(PersonalDataRead.objects.order_by("pk").values_list())
    with pytest.raises(DatabaseError), transaction.atomic():
        PersonalDataRead.objects.update(query="changed")
    assert list(PersonalDataRead.objects.order_by("pk").values_list()) == before


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite refuses UPDATE only: Django empties its tables with DELETE between tests",
)
def test_postgresql_refuses_to_delete_a_read(logged) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        PersonalDataRead.objects.all().delete()
    assert PersonalDataRead.objects.count() == 3


def test_the_service_offers_no_way_to_change_or_delete() -> None:
    public = {name for name in vars(personal_data_reads) if not name.startswith("_")}
    assert not {name for name in public if any(verb in name for verb in ("update", "delete", "change"))}


def test_the_review_page_links_the_read_log_for_administrators_only(administrator, province_officer) -> None:
    assert 'id="personal-data-reads-link"' in client_for(administrator).get("/registry/").content.decode()
    assert (
        'id="personal-data-reads-link"' not in client_for(province_officer).get("/registry/").content.decode()
    )
