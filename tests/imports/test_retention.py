"""The rows read at preview are kept for apply, which plans them without reading the file again, and are
emptied once the file is applied or refused."""

import io

import pytest

from tests.conftest import BA_CHE, current_unit
from tests.imports.helpers import preview
from vungcao.common.files import Table, read_cells
from vungcao.imports import services
from vungcao.imports.models import ImportBatch

VILLAGES = f"commune_code,name,type\n{BA_CHE},Thôn Làng Cổng,thôn\n{BA_CHE},Thôn Khe Giấy,\n"


def village_names() -> list[str]:
    return sorted(current_unit(BA_CHE).children.values_list("name", flat=True))


def test_a_table_packed_and_unpacked_is_the_same_table() -> None:
    table = Table(["code", "name", "note"], [["1", "Thôn Khe Giấy", ""], ["2", "Bản \ud800"], []])
    assert Table.unpacked(table.packed()) == table
    assert Table.unpacked(memoryview(table.packed())).records() == [
        {"code": "1", "name": "Thôn Khe Giấy", "note": ""},
        {"code": "2", "name": "Bản \ud800"},
        {},
    ]


def test_the_rows_of_a_file_are_its_records_without_blank_rows() -> None:
    content = "Commune_Code,Name (name)\n06970,Thôn A\n,\n06970,Thôn B\n".encode()
    table = read_cells(io.BytesIO(content), "villages.csv")
    assert table == Table(["commune_code", "name"], [["06970", "Thôn A"], ["06970", "Thôn B"]])
    assert table.records() == [
        {"commune_code": "06970", "name": "Thôn A"},
        {"commune_code": "06970", "name": "Thôn B"},
    ]


@pytest.mark.django_db
def test_a_clean_preview_keeps_its_rows_and_apply_plans_them_not_the_file(commune_officer) -> None:
    batch = preview("villages", VILLAGES, user=commune_officer)
    assert Table.unpacked(batch.rows) == read_cells(io.BytesIO(VILLAGES.encode()), "villages.csv")
    # The file itself is no longer read: a workbook's rows take seconds to read again.
    ImportBatch.objects.filter(pk=batch.pk).update(content=b"not a file any more")
    applied = services.import_apply(user=commune_officer, batch=batch)
    assert (applied.status, applied.created_count) == (ImportBatch.Status.APPLIED, 2)
    assert village_names() == ["Thôn Khe Giấy", "Thôn Làng Cổng"]


@pytest.mark.django_db
def test_once_applied_the_rows_are_emptied_and_the_file_kept(commune_officer) -> None:
    batch = services.import_apply(
        user=commune_officer, batch=preview("villages", VILLAGES, user=commune_officer)
    )
    stored = ImportBatch.objects.get(pk=batch.pk)
    assert (bytes(stored.rows), bytes(stored.content)) == (b"", VILLAGES.encode())


@pytest.mark.django_db
def test_a_refused_preview_keeps_no_rows(commune_officer) -> None:
    batch = preview("villages", f"commune_code,name\n{BA_CHE},\n", user=commune_officer)
    assert batch.status == ImportBatch.Status.REFUSED
    assert bytes(ImportBatch.objects.get(pk=batch.pk).rows) == b""


@pytest.mark.django_db
def test_a_batch_previewed_before_rows_were_kept_is_applied_from_its_file(commune_officer) -> None:
    batch = preview("villages", VILLAGES, user=commune_officer)
    ImportBatch.objects.filter(pk=batch.pk).update(rows=b"")
    batch.refresh_from_db()
    applied = services.import_apply(user=commune_officer, batch=batch)
    assert (applied.status, applied.created_count) == (ImportBatch.Status.APPLIED, 2)
    assert village_names() == ["Thôn Khe Giấy", "Thôn Làng Cổng"]
