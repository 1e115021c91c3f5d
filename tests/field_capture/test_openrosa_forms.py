"""ODK Collect downloading a review's form, as Collect asks (HTTPS, ``X-OpenRosa-Version: 1.0``,
``?deviceID=``): logging in through a Basic challenge, the list of the forms open for the officer's
answers, the form, its manifest and its media files; another commune's are not found."""

import hashlib
import xml.etree.ElementTree as ElementTree

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from pyxform.validators.odk_validate import check_xform

from tests.conftest import TIEN_YEN
from tests.field_capture.phones import DEVICE, OPENROSA_HEADERS, collect, message, vietnamese
from vungcao.accounts.models import Role, User
from vungcao.field_capture import authentication
from vungcao.field_capture.openrosa import FORM_LIST_NAMESPACE, MANIFEST_NAMESPACE
from vungcao.field_capture.views import openrosa as views
from vungcao.registry.models import CommuneReview, PersonalDataRead
from vungcao.registry.services import reviews

pytestmark = pytest.mark.django_db

BA_CHE_FORM = "vungcao-review-2025-06970"
TIEN_YEN_FORM = "vungcao-review-2025-06862"


def get(client: Client, path: str, **query: str):
    response = client.get(path, {**DEVICE, **query}, secure=True)
    assert set(response.headers) >= OPENROSA_HEADERS, path
    assert response["X-OpenRosa-Version"] == "1.0"
    assert response["X-OpenRosa-Accept-Content-Length"] == "20971520"
    return response


def listed(response) -> list[dict[str, str]]:
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{{{FORM_LIST_NAMESPACE}}}xforms"
    return [
        {child.tag.split("}")[1]: child.text or "" for child in form}
        for form in root.findall(f"{{{FORM_LIST_NAMESPACE}}}xform")
    ]


# --- Logging in ---------------------------------------------------------------------------------------


def test_a_request_without_credentials_is_challenged_for_basic(ba_che_review: CommuneReview) -> None:
    response = get(collect(), "/odk/formList")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="Vung Cao", charset="UTF-8"'
    assert message(response) == vietnamese(views.LOG_IN)


def test_a_wrong_password_is_challenged_again_and_counted_towards_the_lockout(
    ba_che_review: CommuneReview, commune_officer: User
) -> None:
    response = get(collect(commune_officer, "wrong-password-1"), "/odk/formList")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == authentication.CHALLENGE
    attempts = AccessAttempt.objects.filter(username=commune_officer.username)
    assert sum(attempt.failures_since_start for attempt in attempts) >= 1


def test_a_locked_out_account_is_refused_not_challenged(
    ba_che_review: CommuneReview, commune_officer: User
) -> None:
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        get(collect(commune_officer, "wrong-password-1"), "/odk/formList")
    response = get(collect(commune_officer), "/odk/formList")
    assert response.status_code == 403
    assert "WWW-Authenticate" not in response
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert message(response) == vietnamese(authentication.LOCKED_OUT)


def test_basic_over_plain_http_is_refused_in_production(
    ba_che_review: CommuneReview, commune_officer: User, settings
) -> None:
    settings.DEBUG = False
    response = collect(commune_officer).get("/odk/formList", DEVICE, secure=False)
    assert response.status_code == 403
    assert message(response) == vietnamese(authentication.HTTPS_REQUIRED)
    assert "formID" not in response.content.decode()


def test_an_account_that_must_change_its_password_is_refused(
    ba_che_review: CommuneReview, commune_officer: User
) -> None:
    User.objects.filter(pk=commune_officer.pk).update(must_change_password=True)
    assert get(collect(commune_officer), "/odk/formList").status_code == 403


def test_verified_credentials_are_remembered_until_the_password_changes(
    ba_che_review: CommuneReview, commune_officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given one verified request
    checks = []
    verify = authentication.authenticate
    monkeypatch.setattr(authentication, "authenticate", lambda *a, **k: checks.append(1) or verify(*a, **k))
    assert get(collect(commune_officer), "/odk/formList").status_code == 200
    # When the same header comes again, then the password is not checked again
    assert get(collect(commune_officer), "/odk/formList").status_code == 200
    assert len(checks) == 1
    # When the password changes, then the old one is refused at once
    commune_officer.set_password("another-Password-2026")
    commune_officer.save(update_fields=["password"])
    assert get(collect(commune_officer), "/odk/formList").status_code == 401
    assert get(collect(commune_officer, "another-Password-2026"), "/odk/formList").status_code == 200


# --- The form list ------------------------------------------------------------------------------------


def test_the_list_is_the_open_review_of_the_officers_commune(
    ba_che_households: CommuneReview, commune_officer: User
) -> None:
    # When Ba Chẽ's officer's phone asks for its forms
    response = get(collect(commune_officer), "/odk/formList")
    form = get(collect(commune_officer), f"/odk/forms/{BA_CHE_FORM}/form.xml")
    # Then the list is Ba Chẽ's review of 2025 with the form's MD5 and absolute addresses
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    [entry] = listed(response)
    assert entry == {
        "formID": BA_CHE_FORM,
        "name": "Rà soát hộ nghèo 2025 · Xã Ba Chẽ, Tỉnh Quảng Ninh",
        "version": entry["version"],
        "hash": "md5:" + hashlib.md5(form.content).hexdigest(),
        "downloadUrl": f"https://testserver/odk/forms/{BA_CHE_FORM}/form.xml",
        "manifestUrl": f"https://testserver/odk/forms/{BA_CHE_FORM}/manifest",
    }
    assert entry["version"].startswith("2025.")
    assert f'version="{entry["version"]}"' in form.content.decode()


def test_a_submitted_review_leaves_the_list(ba_che_households: CommuneReview, commune_officer: User) -> None:
    reviews.commune_review_submit(user=commune_officer, review=ba_che_households)
    assert listed(get(collect(commune_officer), "/odk/formList")) == []
    assert get(collect(commune_officer), f"/odk/forms/{BA_CHE_FORM}/form.xml").status_code == 404


def test_form_id_filters_the_list_and_a_national_administrator_gets_only_forms_named(
    ba_che_review: CommuneReview, province_officer: User, make_user
) -> None:
    administrator = make_user("root-admin", Role.ADMINISTRATOR)
    # A province officer's phone lists every commune of the province, or the one named
    forms = [entry["formID"] for entry in listed(get(collect(province_officer), "/odk/formList"))]
    assert BA_CHE_FORM in forms
    assert TIEN_YEN_FORM in forms
    assert forms == sorted(forms)
    named = listed(get(collect(province_officer), "/odk/formList", formID=TIEN_YEN_FORM))
    assert [entry["formID"] for entry in named] == [TIEN_YEN_FORM]
    # A national administrator's lists only the form named
    assert listed(get(collect(administrator), "/odk/formList")) == []
    named = listed(get(collect(administrator), "/odk/formList", formID=BA_CHE_FORM))
    assert [entry["formID"] for entry in named] == [BA_CHE_FORM]
    assert listed(get(collect(administrator), "/odk/formList", formID="vungcao-review-2025-6970")) == []


def test_roles_that_enter_no_answers_get_an_empty_list(
    ba_che_review: CommuneReview, analyst, make_user
) -> None:
    assert listed(get(collect(analyst), "/odk/formList")) == []
    viewer = make_user("donor", Role.AGGREGATE_VIEWER)
    assert listed(get(collect(viewer), "/odk/formList")) == []


# --- The form, its manifest and media -----------------------------------------------------------------


def test_the_downloaded_form_passes_odk_validate(
    ba_che_review: CommuneReview, commune_officer: User, tmp_path
) -> None:
    response = get(collect(commune_officer), f"/odk/forms/{BA_CHE_FORM}/form.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    path = tmp_path / "form.xml"
    path.write_bytes(response.content)
    assert check_xform(str(path)) == []


def test_the_manifest_lists_the_media_with_the_md5_of_what_is_downloaded(
    ba_che_households: CommuneReview, commune_officer: User
) -> None:
    client = collect(commune_officer)
    response = get(client, f"/odk/forms/{BA_CHE_FORM}/manifest")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    files = root.findall(f"{{{MANIFEST_NAMESPACE}}}mediaFile")
    assert [file.findtext(f"{{{MANIFEST_NAMESPACE}}}filename") for file in files] == [
        "villages.csv",
        "households.csv",
    ]
    for file in files:
        address = file.findtext(f"{{{MANIFEST_NAMESPACE}}}downloadUrl") or ""
        assert address.startswith(f"https://testserver/odk/forms/{BA_CHE_FORM}/media/")
        downloaded = get(client, address.removeprefix("https://testserver"))
        assert downloaded.status_code == 200
        assert downloaded["Content-Type"] == "text/csv; charset=utf-8"
        assert (
            file.findtext(f"{{{MANIFEST_NAMESPACE}}}hash")
            == "md5:" + hashlib.md5(downloaded.content).hexdigest()
        )


def test_the_households_file_names_heads_without_identity_numbers_and_its_download_is_recorded(
    ba_che_households: CommuneReview, commune_officer: User
) -> None:
    # When the phone downloads Ba Chẽ's households
    response = get(collect(commune_officer), f"/odk/forms/{BA_CHE_FORM}/media/households.csv")
    # Then they are the current households with their heads, without a BOM or an identity number
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert not response.content.startswith(b"\xef\xbb\xbf")
    assert text.splitlines() == [
        "code,label,village,head_name,area",
        "06970-001-0001,06970-001-0001 · Triệu Văn Pao,06970-001,Triệu Văn Pao,rural",
        "06970-002-0001,06970-002-0001 · Đặng Thị Chòi,06970-002,Đặng Thị Chòi,urban",
    ]
    assert "1234" not in text
    assert "06970-001-0002" not in text  # dissolved
    # And the download is one read of personal data, of two households, by the commune and year
    read = PersonalDataRead.objects.get()
    assert (read.user, read.kind, read.household, read.household_count, read.query) == (
        commune_officer,
        PersonalDataRead.Kind.PHONE_HOUSEHOLDS,
        None,
        2,
        "unit=06970 year=2025",
    )


def test_the_villages_file_is_not_a_read_of_personal_data(
    ba_che_households: CommuneReview, commune_officer: User
) -> None:
    response = get(collect(commune_officer), f"/odk/forms/{BA_CHE_FORM}/media/villages.csv")
    assert response.content.decode() == "code,name\n06970-001,Thôn Khe Giấy\n06970-002,Thôn Làng Cổng\n"
    assert not PersonalDataRead.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        f"/odk/forms/{TIEN_YEN_FORM}/form.xml",
        f"/odk/forms/{TIEN_YEN_FORM}/manifest",
        f"/odk/forms/{TIEN_YEN_FORM}/media/households.csv",
        f"/odk/forms/{TIEN_YEN_FORM}/media/villages.csv",
        f"/odk/forms/{BA_CHE_FORM}/media/form.xml",
        "/odk/forms/vungcao-review-2024-06970/form.xml",
        "/odk/forms/vungcao-review-2025-6970/manifest",
    ],
)
def test_another_communes_form_and_unknown_files_are_not_found(
    ba_che_households: CommuneReview, commune_officer: User, path: str
) -> None:
    response = get(collect(commune_officer), path)
    assert response.status_code == 404
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert TIEN_YEN not in response.content.decode()
    assert not PersonalDataRead.objects.exists()


def test_the_submission_address_answers_204_once_logged_in(
    ba_che_review: CommuneReview, commune_officer
) -> None:
    assert collect().head("/odk/submission", DEVICE, secure=True).status_code == 401
    for method in ("head", "get"):
        response = getattr(collect(commune_officer), method)("/odk/submission", DEVICE, secure=True)
        assert response.status_code == 204
        assert response["X-OpenRosa-Accept-Content-Length"] == "20971520"


def test_a_form_list_posted_is_refused_with_the_methods_allowed(
    ba_che_review: CommuneReview, commune_officer
) -> None:
    response = collect(commune_officer).post("/odk/formList", secure=True)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response["X-OpenRosa-Version"] == "1.0"
