"""The background side of imports: the pages keep an uploaded file sealed and queue its reading, then queue
its apply; tasks (``imports.tasks``, run by ``vungcao db_worker``) do the work of ``imports.services``,
recording the phase on the batch for the page to show.

Between the upload and its reading by the task (seconds, or minutes when the workers are busy) the file is
kept sealed (``common.sealing``, bound to the batch) and the task removes it as soon as it has read it,
whatever it found; a file still waiting to be read after ``services.RETENTION`` expires.

Background work that stops without a word (its worker killed or the machine restarted) leaves a batch
whose phase has not moved for ``STALLED_AFTER``: the next look at it (``import_batch_check_stalled``, the
page does it) fails a reading (upload the file again) and returns an apply to "ready to apply" (an apply is
one transaction: nothing was written), to be applied again.
"""

import datetime
import io
import logging
from functools import partial
from typing import IO

from django.db import OperationalError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from vungcao.accounts.models import User
from vungcao.common import sealing
from vungcao.common.errors import ApplicationError, ImportRefusedError
from vungcao.common.files import read_cells
from vungcao.imports import services
from vungcao.imports.models import ImportBatch

logger = logging.getLogger(__name__)
UPLOAD_SEAL_PURPOSE = "vungcao import upload"
# Background work whose phase has not moved for this long has lost its worker. Each phase of a
# 100,000-household questionnaire takes under a minute (reading ~10 s, checking ~20 s, applying ~40 s);
# this leaves room for files ten times larger on a slower machine. A batch waiting for a worker is never
# stalled: it is read as soon as a worker runs, or expires after ``RETENTION``.
STALLED_AFTER = datetime.timedelta(minutes=15)
ALREADY_APPLYING = gettext_lazy("This file is already being applied.")
UPLOAD_UNREADABLE = gettext_lazy(
    "The uploaded file can no longer be opened (the server's key was changed). Upload the file again."
)
READING_FAILED = gettext_lazy(
    "The file could not be read because of an error on the server: nothing was written. Upload the file "
    "again; if it fails again, tell the administrator (the details are in the server's log)."
)
APPLYING_FAILED = gettext_lazy(
    "The file could not be applied because of an error on the server: nothing was written. Upload the "
    "file again; if it fails again, tell the administrator (the details are in the server's log)."
)
READING_STALLED = gettext_lazy(
    "The reading of this file stopped before it ended (the server's background worker was stopped): "
    "nothing was written. Upload the file again."
)
APPLYING_STALLED = gettext_lazy(
    "The previous attempt to apply this file stopped before it ended (the server's background worker was "
    "stopped): nothing was written. You can apply it again."
)


def import_upload(*, user: User, kind: str, stream: IO[bytes], filename: str) -> ImportBatch:
    """Keep an uploaded file sealed on a new batch "being read" and queue its reading (``import_batch_read``
    in a background task) once the batch is committed; the page follows the batch. Refuses at once (and
    keeps nothing) a kind the user may not import and a file over the size limit."""
    from vungcao.imports import tasks  # the tasks call this module's functions

    services.importer_for(user=user, kind=kind)
    services.import_batches_expire()
    content = services.upload_content(stream)
    batch = ImportBatch(
        user=user,
        kind=kind,
        filename=filename[:255],
        status=ImportBatch.Status.READING,
        phase=ImportBatch.Phase.QUEUED,
    )
    batch.upload = sealing.seal(content, purpose=UPLOAD_SEAL_PURPOSE, associated=batch.pk.bytes)
    del content
    language = translation.get_language() or ""
    with transaction.atomic():
        batch.save(force_insert=True)
        transaction.on_commit(
            partial(tasks.import_batch_read_task.enqueue, batch_id=str(batch.pk), language=language)
        )
    return batch


def _moved(batch: ImportBatch, **fields: object) -> None:
    """Record a step of the background work at once (committed), for the page and the stall check."""
    for name, value in fields.items():
        setattr(batch, name, value)
    batch.save(update_fields=[*fields, "updated_at"])


def _failed(batch: ImportBatch, status: str, message: str) -> None:
    """End the background work of a batch still in ``status`` as failed, with a message for its user;
    the sealed file and rows go with it."""
    ImportBatch.objects.filter(pk=batch.pk, status=status).update(
        status=ImportBatch.Status.FAILED,
        phase=ImportBatch.Phase.NONE,
        error=message,
        upload=b"",
        rows=b"",
        changes=b"",
        updated_at=timezone.now(),
    )


def import_batch_read(*, batch_id: str) -> None:
    """The background reading of an uploaded file: the same reading and checks as ``import_preview``,
    recorded on the batch; the sealed file is removed as soon as it is read, whatever was found. A batch
    no longer waiting to be read (read already by an earlier run of the task, expired, failed) is left as
    it is. A refusal is recorded as the batch's error; an unexpected error too, in general words (its
    details go to the log and the task's record), and is raised again for the task to fail."""
    Status, Phase = ImportBatch.Status, ImportBatch.Phase
    if not ImportBatch.objects.filter(pk=batch_id, status=Status.READING, phase=Phase.QUEUED).update(
        phase=Phase.READING, updated_at=timezone.now()
    ):
        return
    batch = ImportBatch.objects.select_related("user").get(pk=batch_id)
    try:
        importer = services.importer_for(user=batch.user, kind=batch.kind)
        try:
            content = sealing.unseal(batch.upload, purpose=UPLOAD_SEAL_PURPOSE, associated=batch.pk.bytes)
        except sealing.SealBrokenError as error:
            raise ApplicationError(str(UPLOAD_UNREADABLE)) from error
        with services.bulk_work():
            table = read_cells(io.BytesIO(content), batch.filename)
            del content
            _moved(batch, phase=Phase.CHECKING, row_count=len(table.rows), upload=b"")
            plan = services.plan_table(importer, batch.user, table, batch.filename)
            services.record_preview(batch, table, plan)
        # Only a batch still being checked by this run: one failed as stalled, or expired, meanwhile stays so.
        ImportBatch.objects.filter(pk=batch.pk, status=Status.READING, phase=Phase.CHECKING).update(
            **{name: getattr(batch, name) for name in services.RECORDED_FIELDS},
            phase=Phase.NONE,
            upload=b"",
            updated_at=timezone.now(),
        )
    except ApplicationError as error:
        _failed(batch, Status.READING, error.message)
    except Exception:
        logger.exception("import %s: reading failed", batch_id)
        _failed(batch, Status.READING, str(READING_FAILED))
        raise


def import_apply_queue(*, user: User, batch: ImportBatch, remove_missing: bool = False) -> ImportBatch:
    """Mark a ready preview "being applied", with the choice made about the records the file leaves out
    (``remove_missing``), and queue its apply (``import_batch_apply`` in a background task, as ``user``)
    once that is committed. Only one request wins: another one, or a batch not ready, is refused with a
    message and queues nothing; so is keeping records missing from the file that cannot be kept."""
    from vungcao.imports import tasks  # the tasks call this module's functions

    services.importer_for(user=user, kind=batch.kind)
    if batch.missing_must_go and not remove_missing:
        raise services.NotApplicableError(str(services.MISSING_MUST_GO))
    Status, Phase = ImportBatch.Status, ImportBatch.Phase
    with transaction.atomic():
        if not ImportBatch.objects.filter(pk=batch.pk, status=Status.READY).update(
            status=Status.APPLYING,
            phase=Phase.QUEUED,
            error="",
            remove_missing=remove_missing,
            updated_at=timezone.now(),
        ):
            current = ImportBatch.objects.filter(pk=batch.pk).values_list("status", flat=True).first()
            raise services.NotApplicableError(
                str(ALREADY_APPLYING if current == Status.APPLYING else services.NOT_APPLICABLE)
            )
        transaction.on_commit(
            partial(
                tasks.import_batch_apply_task.enqueue,
                batch_id=str(batch.pk),
                user_id=user.pk,
                language=translation.get_language() or "",
            )
        )
    batch.refresh_from_db(fields=["status", "phase", "error", "updated_at"])
    return batch


def import_batch_apply(*, batch_id: str, user_id: int) -> None:
    """The background apply of a batch queued by ``import_apply_queue``, as its user. A batch no longer
    queued to be applied (applied by an earlier run of the task, stalled and made ready again) is left as
    it is: a task run twice writes the file once. A file refused or expired at apply is recorded as the
    synchronous apply records it; any other refusal fails the batch with its message, and an unexpected
    error fails it in general words (details in the log) and is raised again for the task to fail."""
    Status, Phase = ImportBatch.Status, ImportBatch.Phase
    if not ImportBatch.objects.filter(pk=batch_id, status=Status.APPLYING, phase=Phase.QUEUED).update(
        phase=Phase.WRITING, updated_at=timezone.now()
    ):
        return
    batch = ImportBatch.objects.get(pk=batch_id)
    try:
        user = User.objects.get(pk=user_id)
        services.apply_batch(
            user=user, batch=batch, applicable=Status.APPLYING, remove_missing=batch.remove_missing
        )
    except (services.NotApplicableError, ImportRefusedError, services.ExpiredError):
        return  # as the batch records it (its problems, or expired)
    except ApplicationError as error:
        _failed(batch, Status.APPLYING, error.message)
    except Exception:
        logger.exception("import %s: apply failed", batch_id)
        _failed(batch, Status.APPLYING, str(APPLYING_FAILED))
        raise


def import_batch_check_stalled(*, batch: ImportBatch, now: datetime.datetime | None = None) -> ImportBatch:
    """The batch as it is, after ending its background work if that has stalled: no move for
    ``STALLED_AFTER`` in a phase a worker had started. A stalled reading fails (the sealed file goes; upload
    it again); a stalled apply wrote nothing (one transaction) and is ready to apply again, with a note. A
    batch waiting for a worker is never stalled. An apply still running holds its batch locked
    (PostgreSQL) or the database busy (SQLite): then nothing is changed."""
    Status, Phase = ImportBatch.Status, ImportBatch.Phase
    cutoff = (now or timezone.now()) - STALLED_AFTER
    if not batch.in_progress or batch.phase in (Phase.QUEUED, Phase.NONE) or batch.updated_at >= cutoff:
        return batch
    try:
        with transaction.atomic():
            stalled = (
                ImportBatch.objects.select_for_update(skip_locked=True)
                .filter(pk=batch.pk, status=batch.status, phase=batch.phase, updated_at__lt=cutoff)
                .first()
            )
            if stalled is None:
                return batch
            if stalled.status == Status.READING:
                stalled.status, stalled.upload, stalled.rows = Status.FAILED, b"", b""
                stalled.error = str(READING_STALLED)
            else:
                stalled.status, stalled.error = Status.READY, str(APPLYING_STALLED)
            stalled.phase = Phase.NONE
            stalled.save(update_fields=["status", "phase", "error", "upload", "rows", "updated_at"])
    except OperationalError:
        return batch
    logger.warning("import %s: its background work stalled (%s)", batch.pk, batch.phase)
    return stalled
