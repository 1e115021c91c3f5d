"""Imports through the pages run as background tasks: the upload queues the reading, the apply button
queues the apply, the page follows the batch until the work ends. Failures are told in words, a task run
twice writes once, another user sees nothing, and work a killed worker left behind is ended."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from tests.conftest import BA_CHE, client_for, current_unit
from tests.imports.helpers import applied, committed_post, english, run_tasks, upload, uploaded
from vungcao.common import files, sealing
from vungcao.imports import background, services, tasks
from vungcao.imports.models import ImportBatch

pytestmark = pytest.mark.django_db

VILLAGES = f"commune_code,name,type\n{BA_CHE},Thôn Làng Cổng,thôn\n{BA_CHE},Thôn Khe Giấy,\n"
Status, Phase = ImportBatch.Status, ImportBatch.Phase


def village_names() -> list[str]:
    return sorted(current_unit(BA_CHE).children.values_list("name", flat=True))


def polls(page: str) -> bool:
    return 'hx-trigger="every 2s"' in page


def test_the_whole_flow_queued_run_ready_queued_run_applied(commune_officer) -> None:
    client = english(client_for(commune_officer))
    # Given an officer who uploads a village list
    with translation.override("en"):
        response = upload(client, "villages", VILLAGES, "villages.csv")
        batch = ImportBatch.objects.get()
        # Then the upload answers at once with the batch's page, which follows its reading
        assert response["Location"] == f"/imports/{batch.pk}/"
        assert (batch.status, batch.phase) == (Status.READING, Phase.QUEUED)
        page = client.get(response["Location"]).content.decode()
        assert polls(page)
        assert "<b>Waiting for a worker…</b>" in page
        assert 'id="apply"' not in page
        assert 'id="counts"' not in page
        # and one task waits in the queue, with ids only
        queued = DBTaskResult.objects.get()
        assert queued.task_path == "vungcao.imports.tasks.import_batch_read_task"
        assert queued.args_kwargs == {"args": [], "kwargs": {"batch_id": str(batch.pk), "language": "en"}}
        # When the worker runs it
        assert run_tasks() == 1
        # Then the page shows the preview and stops asking
        batch.refresh_from_db()
        assert (batch.status, batch.phase, batch.row_count, batch.created_count) == (Status.READY, "", 2, 2)
        part = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
        assert part.startswith('<div id="batch">')
        assert "<html" not in part
        assert not polls(part)
        assert 'id="apply"' in part
        # When the officer applies it
        committed_post(client, f"/imports/{batch.pk}/apply/")
        batch.refresh_from_db()
        # Then the apply is queued and the page follows it; nothing is written yet
        assert (batch.status, batch.phase) == (Status.APPLYING, Phase.QUEUED)
        page = client.get(f"/imports/{batch.pk}/").content.decode()
        assert polls(page)
        assert 'id="apply"' not in page
        assert village_names() == []
        apply_task = DBTaskResult.objects.get(task_path="vungcao.imports.tasks.import_batch_apply_task")
        assert apply_task.args_kwargs["kwargs"] == {
            "batch_id": str(batch.pk),
            "user_id": commune_officer.pk,
            "language": "en",
        }
        # When the worker runs it, then the file is written and the page says so
        assert run_tasks() == 1
        batch.refresh_from_db()
        assert (batch.status, batch.phase, batch.created_count, batch.error) == (Status.APPLIED, "", 2, "")
        page = client.get(f"/imports/{batch.pk}/").content.decode()
    assert not polls(page)
    assert "The file was applied." in page
    assert village_names() == ["Thôn Khe Giấy", "Thôn Làng Cổng"]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_the_uploaded_file_waits_sealed_and_is_gone_once_read(commune_officer) -> None:
    client = english(client_for(commune_officer))
    upload(client, "villages", VILLAGES, "villages.csv")
    batch = ImportBatch.objects.get()
    sealed = bytes(batch.upload)
    assert "Khe Giấy".encode() not in sealed
    assert VILLAGES.encode() not in sealed
    opened = sealing.unseal(sealed, purpose=background.UPLOAD_SEAL_PURPOSE, associated=batch.pk.bytes)
    assert opened == VILLAGES.encode()
    # Bound to its batch: copied to another, it does not open.
    with pytest.raises(sealing.SealBrokenError):
        sealing.unseal(sealed, purpose=background.UPLOAD_SEAL_PURPOSE, associated=b"another batch id")
    run_tasks()
    batch.refresh_from_db()
    assert (batch.status, bytes(batch.upload)) == (Status.READY, b"")


def test_the_progress_shows_the_phase_and_the_rows_being_checked(commune_officer) -> None:
    client = english(client_for(commune_officer))
    upload(client, "villages", VILLAGES, "villages.csv")
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(phase=Phase.CHECKING, row_count=12_345)
    with translation.override("en"):
        page = client.get(f"/imports/{batch.pk}/").content.decode()
    assert "✓ Waiting for a worker" in page
    assert "✓ Reading the file" in page
    assert "<b>Checking every row…</b> (12,345 rows)" in page
    assert polls(page)


def test_a_file_with_problems_is_refused_by_its_reading_and_keeps_nothing(commune_officer) -> None:
    client = english(client_for(commune_officer))
    with translation.override("en"):
        batch = uploaded(client, "villages", f"commune_code,name\n{BA_CHE},\n", "villages.csv")
        page = client.get(f"/imports/{batch.pk}/").content.decode()
    assert (batch.status, batch.problem_count, bytes(batch.rows), bytes(batch.upload)) == (
        Status.REFUSED,
        1,
        b"",
        b"",
    )
    assert "A village needs a name." in page
    assert not polls(page)
    # A refused file cannot be queued for apply.
    committed_post(client, f"/imports/{batch.pk}/apply/")
    page = client.get(f"/imports/{batch.pk}/").content.decode()
    assert "Only a file whose preview had no problems can be applied, and only once." in page
    assert run_tasks() == 0


def test_a_file_over_the_size_limit_is_refused_in_the_request_and_nothing_is_queued(
    commune_officer, monkeypatch
) -> None:
    monkeypatch.setattr(services, "MAX_FILE_BYTES", 100)
    with translation.override("en"):
        response = upload(english(client_for(commune_officer)), "villages", VILLAGES * 10, "villages.csv")
    assert response.status_code == 200
    assert "The file is larger than" in response.content.decode()
    assert not ImportBatch.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_an_error_in_the_reading_is_told_in_words_never_as_a_traceback(commune_officer, monkeypatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("internal detail: /srv/vungcao/secret.py line 12")

    monkeypatch.setattr(background, "read_cells", broken)
    client = english(client_for(commune_officer))
    with translation.override("en"):
        batch = uploaded(client, "villages", VILLAGES, "villages.csv")
        page = client.get(f"/imports/{batch.pk}/").content.decode()
    assert (batch.status, batch.phase, bytes(batch.upload), bytes(batch.rows)) == (
        Status.FAILED,
        "",
        b"",
        b"",
    )
    with translation.override("en"):
        assert batch.error == str(background.READING_FAILED)
    assert "The file could not be read because of an error on the server: nothing was written." in page
    assert "internal detail" not in page
    assert "Traceback" not in page
    assert not polls(page)
    # The details are for the operator: in the task's record (and the log).
    failed = DBTaskResult.objects.get()
    assert failed.status == "FAILED"
    assert "internal detail" in failed.traceback


def test_an_error_in_the_apply_fails_the_batch_and_writes_nothing(commune_officer, monkeypatch) -> None:
    client = english(client_for(commune_officer))
    batch = uploaded(client, "villages", VILLAGES, "villages.csv")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("internal detail")

    monkeypatch.setattr(services, "plan_table", broken)
    with translation.override("en"):
        batch = applied(client, batch)
        page = client.get(f"/imports/{batch.pk}/").content.decode()
    assert (batch.status, bytes(batch.rows)) == (Status.FAILED, b"")
    assert "The file could not be applied because of an error on the server: nothing was written." in page
    assert "internal detail" not in page
    assert village_names() == []


def test_the_apply_task_run_twice_writes_the_file_once(commune_officer) -> None:
    client = english(client_for(commune_officer))
    batch = uploaded(client, "villages", VILLAGES, "villages.csv")
    committed_post(client, f"/imports/{batch.pk}/apply/")
    # Given the queue delivering the same apply twice (a second copy of the task)
    arguments = DBTaskResult.objects.get(task_path__endswith="import_batch_apply_task").args_kwargs["kwargs"]
    tasks.import_batch_apply_task.enqueue(**arguments)
    # When both run, then both succeed, and the file is written once
    assert run_tasks() == 2
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.error) == (Status.APPLIED, 2, "")
    assert current_unit(BA_CHE).children.count() == 2
    # and run once more, directly, it changes nothing
    applied_at = batch.applied_at
    tasks.import_batch_apply_task.call(**arguments)
    batch.refresh_from_db()
    assert (batch.status, batch.applied_at) == (Status.APPLIED, applied_at)
    assert current_unit(BA_CHE).children.count() == 2


def test_the_reading_task_run_twice_reads_once(commune_officer) -> None:
    client = english(client_for(commune_officer))
    batch = uploaded(client, "villages", VILLAGES, "villages.csv")
    tasks.import_batch_read_task.call(batch_id=str(batch.pk), language="en")
    stored = ImportBatch.objects.get(pk=batch.pk)
    assert (stored.status, stored.rows, stored.updated_at) == (Status.READY, batch.rows, batch.updated_at)


def test_the_apply_button_pressed_twice_queues_one_apply(commune_officer) -> None:
    client = english(client_for(commune_officer))
    batch = uploaded(client, "villages", VILLAGES, "villages.csv")
    committed_post(client, f"/imports/{batch.pk}/apply/")
    with translation.override("en"):
        response = committed_post(client, f"/imports/{batch.pk}/apply/")
        page = client.get(response["Location"]).content.decode()
    assert "This file is already being applied." in page
    assert DBTaskResult.objects.filter(task_path__endswith="import_batch_apply_task").count() == 1
    run_tasks()
    assert current_unit(BA_CHE).children.count() == 2


def test_another_user_neither_sees_nor_applies_the_batch(commune_officer, make_user) -> None:
    other = make_user("bache-officer-2", "commune_officer", BA_CHE)
    client = english(client_for(commune_officer))
    upload(client, "villages", VILLAGES, "villages.csv")
    batch = ImportBatch.objects.get()
    intruder = english(client_for(other))
    # While it is being read, and once ready
    for _ in range(2):
        assert intruder.get(f"/imports/{batch.pk}/").status_code == 404
        assert intruder.get(f"/imports/{batch.pk}/", headers={"HX-Request": "true"}).status_code == 404
        assert committed_post(intruder, f"/imports/{batch.pk}/apply/").status_code == 404
        assert batch.filename not in intruder.get("/imports/").content.decode()
        run_tasks()
    batch.refresh_from_db()
    assert batch.status == Status.READY
    assert not DBTaskResult.objects.filter(task_path__endswith="import_batch_apply_task").exists()
    assert village_names() == []


def test_an_administrator_applies_a_file_as_themself(commune_officer, administrator) -> None:
    batch = uploaded(english(client_for(commune_officer)), "villages", VILLAGES, "villages.csv")
    applied(english(client_for(administrator)), batch)
    task = DBTaskResult.objects.get(task_path__endswith="import_batch_apply_task")
    assert task.args_kwargs["kwargs"]["user_id"] == administrator.pk
    assert village_names() == ["Thôn Khe Giấy", "Thôn Làng Cổng"]


# --- Work a stopped worker left behind ---------------------------------------------------------------


def aged(batch: ImportBatch, minutes: int, **fields: object) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=minutes), **fields
    )


def test_a_reading_whose_worker_stopped_fails_after_the_timeout_and_drops_the_file(commune_officer) -> None:
    client = english(client_for(commune_officer))
    upload(client, "villages", VILLAGES, "villages.csv")
    batch = ImportBatch.objects.get()
    # Given a worker that took the file and then stopped (killed) while reading it
    aged(batch, 14, phase=Phase.READING)
    # Then before the timeout the page still follows it
    assert polls(client.get(f"/imports/{batch.pk}/").content.decode())
    assert ImportBatch.objects.get(pk=batch.pk).status == Status.READING
    # After it, the page ends it: failed, the sealed file dropped, the message says what to do
    aged(batch, 16)
    with translation.override("en"):
        page = client.get(f"/imports/{batch.pk}/").content.decode()
    stored = ImportBatch.objects.get(pk=batch.pk)
    assert (stored.status, stored.phase, bytes(stored.upload)) == (Status.FAILED, "", b"")
    assert "The reading of this file stopped before it ended" in page
    assert not polls(page)
    # and the task, if it ever runs, leaves the batch as it is
    run_tasks()
    assert ImportBatch.objects.get(pk=batch.pk).status == Status.FAILED


def test_an_apply_whose_worker_stopped_is_ready_to_apply_again(commune_officer) -> None:
    client = english(client_for(commune_officer))
    batch = uploaded(client, "villages", VILLAGES, "villages.csv")
    committed_post(client, f"/imports/{batch.pk}/apply/")
    DBTaskResult.objects.all().delete()  # the worker took it, then was killed mid-transaction
    aged(batch, 16, phase=Phase.WRITING)
    with translation.override("en"):
        page = client.get(f"/imports/{batch.pk}/").content.decode()
    assert "The previous attempt to apply this file stopped before it ended" in page
    assert 'id="apply"' in page
    assert ImportBatch.objects.get(pk=batch.pk).status == Status.READY
    assert applied(client, batch).status == Status.APPLIED
    assert batch.error == ""
    assert village_names() == ["Thôn Khe Giấy", "Thôn Làng Cổng"]


def test_a_batch_waiting_for_a_worker_waits_and_says_whom_to_tell(commune_officer) -> None:
    client = english(client_for(commune_officer))
    upload(client, "villages", VILLAGES, "villages.csv")
    batch = ImportBatch.objects.get()
    aged(batch, 120)
    with translation.override("en"):
        page = client.get(f"/imports/{batch.pk}/").content.decode()
    waiting_since = timezone.localtime(timezone.now() - datetime.timedelta(minutes=120)).strftime("%H:%M")
    assert (
        f"Waiting since {waiting_since}. If nothing moves for several minutes, the server's background worker "
        "is not running: tell the administrator."
    ) in page
    assert ImportBatch.objects.get(pk=batch.pk).status == Status.READING
    assert run_tasks() == 1
    assert ImportBatch.objects.get(pk=batch.pk).status == Status.READY


def test_a_file_never_read_expires_with_the_retention_and_its_sealed_file_goes(commune_officer) -> None:
    upload(english(client_for(commune_officer)), "villages", VILLAGES, "villages.csv")
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    call_command("imports_purge", stdout=io.StringIO())
    stored = ImportBatch.objects.get(pk=batch.pk)
    assert (stored.status, bytes(stored.upload)) == (Status.EXPIRED, b"")
    run_tasks()
    assert ImportBatch.objects.get(pk=batch.pk).status == Status.EXPIRED


def test_the_command_line_still_imports_at_once_without_a_worker(commune_officer, tmp_path) -> None:
    path = tmp_path / "villages.csv"
    path.write_text(VILLAGES, encoding="utf-8")
    output = io.StringIO()
    call_command("import_file", "villages", str(path), stdout=output)
    assert output.getvalue() == "2 new, 0 changed, 0 unchanged were written\n"
    assert village_names() == ["Thôn Khe Giấy", "Thôn Làng Cổng"]
    assert not DBTaskResult.objects.exists()
    assert ImportBatch.objects.get().status == Status.APPLIED


def test_the_rows_of_a_file_are_counted_as_read(commune_officer) -> None:
    table = files.read_cells(io.BytesIO(VILLAGES.encode()), "villages.csv")
    batch = uploaded(english(client_for(commune_officer)), "villages", VILLAGES, "villages.csv")
    assert batch.row_count == len(table.rows) == 2


def test_the_admin_shows_the_work_but_never_the_sealed_file(commune_officer, administrator) -> None:
    upload(english(client_for(commune_officer)), "villages", VILLAGES, "villages.csv")
    batch = ImportBatch.objects.get()
    page = client_for(administrator)
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    content = page.get(f"/admin/imports/importbatch/{batch.pk}/change/").content.decode()
    assert "villages.csv" in content
    assert 'name="upload"' not in content
    assert 'name="rows"' not in content


def test_a_reading_ended_as_stalled_meanwhile_stays_failed(commune_officer, monkeypatch) -> None:
    """Given a reading that the page ended as stalled while the (slow, not dead) worker was checking the
    rows, when the worker finishes, then the batch stays failed: the worker does not write its preview
    over the page's decision."""
    client = client_for(commune_officer)
    upload(client, "villages", VILLAGES, "villages.csv")
    batch = ImportBatch.objects.get()
    checking = services.plan_table

    def ended_meanwhile(*arguments: object) -> object:
        ImportBatch.objects.filter(pk=batch.pk).update(
            updated_at=timezone.now() - background.STALLED_AFTER - datetime.timedelta(minutes=1)
        )
        background.import_batch_check_stalled(batch=ImportBatch.objects.get(pk=batch.pk))
        return checking(*arguments)  # type: ignore[arg-type]

    monkeypatch.setattr(services, "plan_table", ended_meanwhile)
    assert run_tasks() == 1

    batch.refresh_from_db()
    assert (batch.status, batch.error, batch.created_count, bytes(batch.rows)) == (
        Status.FAILED,
        str(background.READING_STALLED),
        0,
        b"",
    )
    assert village_names() == []
