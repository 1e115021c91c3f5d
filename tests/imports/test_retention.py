"""Retention: the file itself is never kept; the rows read at preview are kept sealed for apply, which
plans them without the file, and are emptied once the file is applied, refused or expired (24 hours)."""

import datetime
import io
import zlib

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from tests.conftest import BA_CHE, client_for, current_unit
from tests.imports.helpers import preview
from vungcao.common import sealing
from vungcao.common.errors import ApplicationError
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


def _opened(batch: ImportBatch) -> Table:
    stored = ImportBatch.objects.get(pk=batch.pk)
    return Table.unpacked(
        sealing.unseal(stored.rows, purpose=services.SEAL_PURPOSE, associated=batch.pk.bytes)
    )


@pytest.mark.django_db
def test_a_clean_preview_keeps_its_rows_sealed_and_apply_plans_them(commune_officer) -> None:
    batch = preview("villages", VILLAGES, user=commune_officer)
    stored = bytes(ImportBatch.objects.get(pk=batch.pk).rows)
    assert _opened(batch) == read_cells(io.BytesIO(VILLAGES.encode()), "villages.csv")
    # Sealed: neither the text nor its compressed form can be read from the database.
    assert "Khe Giấy".encode() not in stored
    with pytest.raises(zlib.error):
        zlib.decompress(stored)
    applied = services.import_apply(user=commune_officer, batch=batch)
    assert (applied.status, applied.created_count) == (ImportBatch.Status.APPLIED, 2)
    assert village_names() == ["Thôn Khe Giấy", "Thôn Làng Cổng"]


def test_the_file_itself_is_never_stored() -> None:
    assert "content" not in {field.name for field in ImportBatch._meta.get_fields()}


@pytest.mark.django_db
def test_once_applied_the_rows_are_emptied(commune_officer) -> None:
    batch = services.import_apply(
        user=commune_officer, batch=preview("villages", VILLAGES, user=commune_officer)
    )
    assert bytes(ImportBatch.objects.get(pk=batch.pk).rows) == b""


@pytest.mark.django_db
def test_a_refused_preview_keeps_no_rows(commune_officer) -> None:
    batch = preview("villages", f"commune_code,name\n{BA_CHE},\n", user=commune_officer)
    assert batch.status == ImportBatch.Status.REFUSED
    assert bytes(ImportBatch.objects.get(pk=batch.pk).rows) == b""


def _expired_message() -> str:
    return str(services.EXPIRED).format(hours=24)


@pytest.mark.django_db
def test_a_preview_older_than_the_retention_expires_and_writes_nothing(commune_officer) -> None:
    batch = preview("villages", VILLAGES, user=commune_officer)
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    batch.refresh_from_db()
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        services.import_apply(user=commune_officer, batch=batch)
    assert refused.value.message == (
        "This preview has expired: the rows read from the file are kept for 24 hours only. "
        "Upload the file again."
    )
    stored = ImportBatch.objects.get(pk=batch.pk)
    assert (stored.status, bytes(stored.rows)) == (ImportBatch.Status.EXPIRED, b"")
    assert village_names() == []


@pytest.mark.django_db
def test_rows_sealed_under_another_key_or_for_another_batch_do_not_open(commune_officer, settings) -> None:
    first = preview("villages", VILLAGES, user=commune_officer)
    second = preview("villages", VILLAGES, user=commune_officer)
    ImportBatch.objects.filter(pk=second.pk).update(rows=ImportBatch.objects.get(pk=first.pk).rows)
    second.refresh_from_db()
    with translation.override("en"), pytest.raises(ApplicationError, match="expired"):
        services.import_apply(user=commune_officer, batch=second)
    settings.IDENTITY_NUMBER_KEY = "another key, after a rotation"
    first.refresh_from_db()
    with translation.override("en"), pytest.raises(ApplicationError, match="expired"):
        services.import_apply(user=commune_officer, batch=first)
    assert village_names() == []
    assert set(ImportBatch.objects.values_list("status", flat=True)) == {ImportBatch.Status.EXPIRED}


@pytest.mark.django_db
def test_the_purge_expires_waiting_previews_past_the_retention_and_keeps_the_record(commune_officer) -> None:
    old = preview("villages", VILLAGES, user=commune_officer)
    fresh = preview("villages", VILLAGES, user=commune_officer)
    ImportBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    output = io.StringIO()
    call_command("imports_purge", stdout=output)
    assert output.getvalue() == "1 previews older than 24 hours expired; no rows of a file are kept\n"
    stored_old, stored_fresh = ImportBatch.objects.get(pk=old.pk), ImportBatch.objects.get(pk=fresh.pk)
    assert (stored_old.status, bytes(stored_old.rows)) == (ImportBatch.Status.EXPIRED, b"")
    assert (stored_old.user, stored_old.filename, stored_old.created_count) == (
        commune_officer,
        "file.csv",
        2,
    )
    assert stored_fresh.status == ImportBatch.Status.READY
    assert bytes(stored_fresh.rows) != b""


@pytest.mark.django_db
def test_every_preview_purges_what_waited_too_long(commune_officer) -> None:
    old = preview("villages", VILLAGES, user=commune_officer)
    ImportBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=3))
    preview("villages", VILLAGES, user=commune_officer)
    assert ImportBatch.objects.get(pk=old.pk).status == ImportBatch.Status.EXPIRED


@pytest.mark.django_db
def test_an_expired_preview_says_so_on_its_page(commune_officer) -> None:
    batch = preview("villages", VILLAGES, user=commune_officer)
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    call_command("imports_purge", stdout=io.StringIO())
    with translation.override("en"):
        page = client_for(commune_officer).get(f"/imports/{batch.pk}/").content.decode()
    assert 'id="expired"' in page
    assert 'id="apply"' not in page
