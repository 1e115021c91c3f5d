"""Upload → preview → apply through the pages, for the village list; scope and ownership of files."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.functional import lazystr
from openpyxl import load_workbook

from tests.common.reports import read_report
from tests.conftest import BA_CHE, MUONG_PHANG, client_for, current_unit
from tests.imports.helpers import applied, english, preview, preview_and_apply, problems, run_tasks, upload
from vungcao.accounts.models import User
from vungcao.common.errors import ApplicationError
from vungcao.common.importing import Importer, ImportPlan, Rows
from vungcao.geo.models import AdministrativeUnit, Level
from vungcao.imports import services
from vungcao.imports.models import ImportBatch
from vungcao.imports.registry import importers

pytestmark = pytest.mark.django_db

VILLAGES = f"commune_code,name,type\n{BA_CHE},Thôn Làng Cổng,thôn\n{BA_CHE},Thôn Khe Giấy,\n"


def village_names(code: str) -> list[str]:
    return sorted(current_unit(code).children.values_list("name", flat=True))


def test_a_commune_officer_previews_then_applies_a_village_list_through_the_pages(commune_officer) -> None:
    client = client_for(commune_officer)
    response = upload(client, "villages", VILLAGES, "villages.csv")
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/imports/{batch.pk}/"
    assert run_tasks() == 1
    assert village_names(BA_CHE) == []
    page = client.get(response["Location"]).content.decode()
    assert 'id="apply"' in page
    assert applied(client, batch).status == ImportBatch.Status.APPLIED
    assert village_names(BA_CHE) == ["Thôn Khe Giấy", "Thôn Làng Cổng"]
    assert sorted(current_unit(BA_CHE).children.values_list("code", flat=True)) == ["06970-001", "06970-002"]
    applied(client, batch)
    assert current_unit(BA_CHE).children.count() == 2


def test_the_same_village_list_twice_adds_nothing(commune_officer) -> None:
    preview_and_apply("villages", VILLAGES, user=commune_officer)
    batch = preview_and_apply(
        "villages", VILLAGES.replace("Thôn Làng Cổng", "THÔN LANG CONG"), user=commune_officer
    )
    assert (batch.created_count, batch.unchanged_count) == (0, 2)
    assert current_unit(BA_CHE).children.count() == 2


def test_a_village_list_naming_another_commune_is_refused_whole(commune_officer) -> None:
    content = (
        VILLAGES
        + f"{MUONG_PHANG},Bản Che Căn,bản\n{BA_CHE},,thôn\n{BA_CHE},Thôn Làng Cổng,xóm\n{BA_CHE},Thôn Khe Giay,thôn\n"
    )
    with translation.override("en"):
        batch = preview("villages", content, user=commune_officer)
    assert batch.status == ImportBatch.Status.REFUSED
    assert problems(batch) == [
        (4, "commune_code", MUONG_PHANG, "No commune with this code that you may change."),
        (5, "name", "", "A village needs a name."),
        (6, "name", "Thôn Làng Cổng", "The same village is listed in row 2."),
        (
            6,
            "type",
            "xóm",
            "Unknown village type; use one of: thôn, bản, tổ dân phố, ấp, buôn, làng, khu phố.",
        ),
        (7, "name", "Thôn Khe Giay", "The same village is listed in row 3."),
    ]
    with pytest.raises(ApplicationError):
        services.import_apply(user=commune_officer, batch=batch)
    assert not AdministrativeUnit.objects.filter(level=Level.VILLAGE).exists()


def test_a_file_changed_by_someone_else_before_apply_is_refused_and_previewed_again(
    commune_officer, administrator
) -> None:
    """Given a preview of two new villages, when someone else creates them before it is applied, then the
    apply writes nothing and the batch shows what the file would now do (nothing new), ready to confirm."""
    batch = preview("villages", VILLAGES, user=commune_officer)
    preview_and_apply("villages", VILLAGES, user=administrator)
    with pytest.raises(services.ChangedSincePreviewError) as refused:
        services.import_apply(user=commune_officer, batch=batch)
    assert refused.value.message == str(services.CHANGED_SINCE_PREVIEW)
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.unchanged_count, batch.error) == (
        ImportBatch.Status.READY,
        0,
        2,
        str(services.CHANGED_SINCE_PREVIEW),
    )
    assert current_unit(BA_CHE).children.count() == 2
    applied = services.import_apply(user=commune_officer, batch=batch)
    assert (applied.status, applied.created_count, applied.unchanged_count) == (
        ImportBatch.Status.APPLIED,
        0,
        2,
    )


def test_another_users_file_is_not_found(commune_officer, province_officer) -> None:
    batch = preview("villages", VILLAGES, user=province_officer)
    client = client_for(commune_officer)
    for url in (f"/imports/{batch.pk}/", f"/imports/{batch.pk}/problems.xlsx"):
        assert client.get(url).status_code == 404
    assert client.post(f"/imports/{batch.pk}/apply/").status_code == 404
    assert batch.filename not in client.get("/imports/").content.decode()
    assert current_unit(BA_CHE).children.count() == 0


def test_a_commune_officer_cannot_open_reference_data_imports(commune_officer) -> None:
    client = client_for(commune_officer)
    assert client.get("/imports/new/crosswalk/").status_code == 404
    assert client.get("/imports/template/unit_attributes.xlsx").status_code == 404


def test_the_template_has_the_columns_an_example_and_a_list_of_types(commune_officer) -> None:
    response = client_for(commune_officer).get("/imports/template/villages.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    assert [cell.value for cell in sheet[1]] == [
        "Mã xã (commune_code)",
        "Tên thôn (name)",
        "Loại thôn (type)",
    ]
    assert [cell.value for cell in sheet[2]] == ["06970", "Thôn Khe Giấy", "thôn"]
    # the list is kept on a hidden sheet (a label may hold a comma); the commune code is text
    assert sheet.data_validations.dataValidation[0].formula1 == "lists!$A$1:$A$7"
    assert [cell.value for (cell,) in workbook["lists"].iter_rows(max_col=1)] == [
        "thôn",
        "bản",
        "tổ dân phố",
        "ấp",
        "buôn",
        "làng",
        "khu phố",
    ]
    assert sheet.column_dimensions["A"].number_format == "@"


def test_the_problems_download_lists_every_problem(commune_officer) -> None:
    batch = preview("villages", f"commune_code,name\n{MUONG_PHANG},Bản X\n", user=commune_officer)
    response = client_for(commune_officer).get(f"/imports/{batch.pk}/problems.xlsx")
    rows = read_report(response.content).rows
    assert len(rows) == 1
    assert rows[0][:3] == (2, "Mã xã (commune_code)", MUONG_PHANG)


def test_the_upload_page_names_each_column_by_its_label(commune_officer) -> None:
    """Officials read the columns by their Vietnamese labels, not as bare codes."""
    html = client_for(commune_officer).get("/imports/new/questionnaire/").content.decode()
    assert "Năm rà soát; Mã hộ; " in html
    assert "<code>review_year, household_code" not in html


# --- A kind imported from its own page ---------------------------------------------------------------


@pytest.fixture
def unoffered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A kind whose rows another page makes (as phones' submissions are chosen on theirs), registered for
    the test: not offered by the imports page. The things its applied files wrote."""
    written: list[str] = []

    def plan(_user: User, rows: Rows, _source: str) -> ImportPlan:
        things = [row["thing"] for row in rows]
        return ImportPlan(created=len(things), write=lambda: written.extend(things))

    importer = Importer(
        kind="hidden_things",
        label=lazystr("Hidden things"),
        columns=("thing",),
        example=(),
        plan=plan,
        may_import=lambda _user: True,
        offered=False,
    )
    monkeypatch.setitem(importers(), importer.kind, importer)
    return written


def test_a_kind_not_offered_is_not_listed_but_its_files_are(commune_officer, unoffered) -> None:
    # Given a file of the kind previewed (by the page that makes its rows)
    batch = preview("hidden_things", "thing\nlamp\n", "things.csv", user=commune_officer)
    # When the officer opens the imports page
    page = english(client_for(commune_officer)).get("/imports/").content.decode()
    # Then the kind is not offered for upload, the villages are, and the file is listed with its kind
    assert "/imports/new/hidden_things/" not in page
    assert "/imports/template/hidden_things.xlsx" not in page
    assert "/imports/new/villages/" in page
    assert f'<a href="/imports/{batch.pk}/">things.csv</a></td><td>Hidden things</td>' in page


def test_a_kind_not_offered_is_refused_on_the_upload_page_with_its_reason(commune_officer, unoffered) -> None:
    client = english(client_for(commune_officer))
    reason = (
        "Files of this kind (Hidden things) are not uploaded here: they are imported from their own page."
    )
    for response in (
        client.get("/imports/new/hidden_things/", follow=True),
        client.post("/imports/new/hidden_things/", {"file": io.BytesIO(b"thing\nlamp\n")}, follow=True),
        client.get("/imports/template/hidden_things.xlsx", follow=True),
    ):
        assert response.redirect_chain == [("/imports/", 302)]
        assert [str(message) for message in response.context["messages"]] == [reason]
    assert not ImportBatch.objects.exists()
    assert run_tasks() == 0
    assert unoffered == []


def test_the_command_line_imports_a_kind_not_offered(commune_officer, unoffered, tmp_path) -> None:
    path = tmp_path / "things.csv"
    path.write_text("thing\nlamp\nchair\n", encoding="utf-8")
    output = io.StringIO()
    call_command("import_file", "hidden_things", str(path), stdout=output)
    assert output.getvalue() == "2 new, 0 changed, 0 unchanged were written\n"
    assert unoffered == ["lamp", "chair"]
