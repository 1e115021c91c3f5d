"""Preview a file, then apply it: nothing is written until a clean preview is confirmed.

Two ways in, the same work. The web pages never read or apply a file in the request (a 100,000-household
questionnaire takes tens of seconds per step): ``import_upload`` keeps the file sealed and queues its
reading, ``import_apply_queue`` queues the apply, and background tasks (``imports.tasks``, run by ``vungcao
db_worker``) do the work through ``import_batch_read`` and ``import_batch_apply``, recording the phase on
the batch for the page to show. The command line (``vungcao import_file``) calls ``import_preview`` and
``import_apply`` directly and waits.

The file itself is never stored in clear. Between the upload and its reading by the task (seconds, or
minutes when the workers are busy) it is kept sealed (``common.sealing``, bound to the batch) and the task
removes it as soon as it has read it, whatever it found. A clean preview then keeps the rows read from it,
sealed, for ``RETENTION`` at most: apply empties them, and so does ``import_batches_expire`` (run at every
upload, and by ``vungcao imports_purge`` with a safety net over the whole table) for a preview left
waiting, which then expires and must be uploaded again; a file still waiting to be read after
``RETENTION`` expires the same way.

Background work that stops without a word (its worker killed or the machine restarted) leaves a batch
whose phase has not moved for ``STALLED_AFTER``: the next look at it (``import_batch_check_stalled``, the
page does it) fails a reading (upload the file again) and returns an apply to "ready to apply" (an apply is
one transaction: nothing was written), to be applied again.
"""

import datetime
import gc
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import IO

from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vungcao.accounts.models import User
from vungcao.common import file_limits, sealing
from vungcao.common.errors import ApplicationError, ImportRefusedError, PermissionDeniedError
from vungcao.common.files import Table, read_cells
from vungcao.common.importing import Importer, ImportPlan, Rows
from vungcao.engine.tabular import ValidationReport
from vungcao.imports.models import ImportBatch
from vungcao.imports.registry import importers

MAX_FILE_BYTES = file_limits.MAX_FILE_BYTES
# How long the rows of a clean preview wait to be applied: a working day and a night, time enough to check
# the preview and confirm it; after that the batch expires and its rows (personal data) are removed.
RETENTION = datetime.timedelta(hours=24)
RETENTION_HOURS = int(RETENTION.total_seconds() // 3600)
SEAL_PURPOSE = "vungcao import rows"
UPLOAD_SEAL_PURPOSE = "vungcao import upload"
# Background work whose phase has not moved for this long has lost its worker. Each phase of a
# 100,000-household questionnaire takes under a minute (reading ~10 s, checking ~20 s, applying ~40 s);
# this leaves room for files ten times larger on a slower machine. A batch waiting for a worker is never
# stalled: it is read as soon as a worker runs, or expires after ``RETENTION``.
STALLED_AFTER = datetime.timedelta(minutes=15)
logger = logging.getLogger(__name__)
EXPIRED = gettext_lazy(
    "This preview has expired: the rows read from the file are kept for {hours} hours only. Upload the file "
    "again."
)
NOT_APPLICABLE = gettext_lazy("Only a file whose preview had no problems can be applied, and only once.")
FILE_REFUSED = gettext_lazy(
    "The file was refused: nothing was written. Fix every problem listed and upload it again."
)
NO_DATA_ROWS = gettext_lazy("The file has no data rows.")
MISSING_COLUMN = gettext_lazy("The column {column} is missing from the header row.")
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


class NotApplicableError(ApplicationError):
    """The batch is not (or no longer) in the state the apply expects: applied, refused, expired, or
    already being applied by another request or task."""


class ExpiredError(ApplicationError):
    """The preview's rows are gone (past ``RETENTION``, or sealed under another key): the batch is
    recorded as expired, and the file must be uploaded again."""


def importer_for(*, user: User, kind: str) -> Importer:
    importer = importers().get(kind)
    if importer is None:
        raise ApplicationError(_("Unknown kind of import: {kind}.").format(kind=kind))
    if not importer.may_import(user):
        raise PermissionDeniedError(_("You may not import this kind of file."))
    return importer


@contextmanager
def _bulk_work() -> Iterator[None]:
    """Pause the cyclic garbage collector while a file is read, planned or written: those make millions
    of objects that live until the end (rows, cells, plans) and no reference cycles, so the collector's
    repeated full scans of them are pure cost (a fifth of reading a large workbook)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _plan(importer: Importer, user: User, table: Table, filename: str) -> ImportPlan:
    report = ValidationReport()
    if table.problems:
        report.extend(table.problems)
        return ImportPlan(report=report)
    rows: Rows = table.records()
    if not rows:
        report.add(1, "", "", str(NO_DATA_ROWS))
    else:
        present = set(rows[0])
        for column in importer.columns:
            if column not in present and column not in importer.optional:
                report.add(1, column, "", str(MISSING_COLUMN).format(column=column))
    if not report.ok:
        return ImportPlan(report=report)
    return importer.read(user, rows, filename)


def import_batches_expire(*, now: datetime.datetime | None = None) -> int:
    """Expire every preview older than ``RETENTION`` (and every file still waiting to be read or applied
    that long), its sealed file and rows removed; the number of batches expired. An apply under way (its
    phase ``WRITING``) is left to end: it holds the batch locked, and checks the retention itself. Cheap
    (the waiting batches, by status and age): every upload runs it, so no file outlives the retention
    for want of a periodic job."""
    Status, Phase = ImportBatch.Status, ImportBatch.Phase
    cutoff = (now or timezone.now()) - RETENTION
    waiting = Q(status__in=[Status.READY, Status.READING]) | Q(status=Status.APPLYING, phase=Phase.QUEUED)
    return ImportBatch.objects.filter(waiting, created_at__lt=cutoff).update(
        status=Status.EXPIRED, phase=Phase.NONE, rows=b"", upload=b"", updated_at=timezone.now()
    )


def import_batches_purge(*, now: datetime.datetime | None = None) -> int:
    """``import_batches_expire``, then, as a safety net over the whole table (every step already does it),
    empty the rows of every batch not waiting to be applied and the sealed file of every batch not waiting
    to be read; the number of batches expired. What ``vungcao imports_purge`` runs daily."""
    Status = ImportBatch.Status
    expired = import_batches_expire(now=now)
    ImportBatch.objects.exclude(status__in=[Status.READY, Status.APPLYING]).exclude(rows=b"").update(rows=b"")
    ImportBatch.objects.exclude(status=Status.READING).exclude(upload=b"").update(upload=b"")
    return expired


def _seal(batch: ImportBatch, table: Table) -> bytes:
    return sealing.seal(table.packed(), purpose=SEAL_PURPOSE, associated=batch.pk.bytes)


def _previewed_table(batch: ImportBatch) -> Table | None:
    """The rows read at preview; None when they are gone (expired, or sealed under another key)."""
    if not batch.rows or batch.created_at < timezone.now() - RETENTION:
        return None
    try:
        return Table.unpacked(sealing.unseal(batch.rows, purpose=SEAL_PURPOSE, associated=batch.pk.bytes))
    except sealing.SealBrokenError:
        return None


def _content(stream: IO[bytes]) -> bytes:
    content = stream.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise ApplicationError(str(file_limits.FILE_TOO_LARGE))
    return content


# What a preview records on its batch (``_record``).
RECORDED_FIELDS = (
    "status",
    "created_count",
    "updated_count",
    "unchanged_count",
    "problems",
    "problem_count",
    "rows",
)


def _record(batch: ImportBatch, table: Table, plan: ImportPlan) -> None:
    """Put what the preview found on the batch (not saved), and the rows read, sealed, when it is clean."""
    batch.status = ImportBatch.Status.READY if plan.report.ok else ImportBatch.Status.REFUSED
    batch.created_count, batch.updated_count, batch.unchanged_count = (
        plan.created,
        plan.updated,
        plan.unchanged,
    )
    batch.problems, batch.problem_count = plan.report.as_dicts(), len(plan.report)
    batch.rows = _seal(batch, table) if plan.report.ok else b""


def import_preview(*, user: User, kind: str, stream: IO[bytes], filename: str) -> ImportBatch:
    """Read and check the whole file; record what applying it would do, and keep the rows read (sealed)
    when it has no problem. A file refused before it is read (too large, not of its kind, past a limit of
    ``common.file_limits``) raises ``ApplicationError`` and leaves nothing. Writes no domain data. The
    command line's way; the pages queue the same work (``import_upload``)."""
    importer = importer_for(user=user, kind=kind)
    import_batches_expire()
    content = _content(stream)
    with _bulk_work():
        table = read_cells(io.BytesIO(content), filename)
        del content
        plan = _plan(importer, user, table, filename)
        batch = ImportBatch(user=user, kind=kind, filename=filename[:255], row_count=len(table.rows))
        _record(batch, table, plan)
    batch.save(force_insert=True)
    return batch


def import_upload(*, user: User, kind: str, stream: IO[bytes], filename: str) -> ImportBatch:
    """Keep an uploaded file sealed on a new batch "being read" and queue its reading (``import_batch_read``
    in a background task) once the batch is committed; the page follows the batch. Refuses at once (and
    keeps nothing) a kind the user may not import and a file over the size limit."""
    from vungcao.imports import tasks  # the tasks call this module's functions

    importer_for(user=user, kind=kind)
    import_batches_expire()
    content = _content(stream)
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
        importer = importer_for(user=batch.user, kind=batch.kind)
        try:
            content = sealing.unseal(batch.upload, purpose=UPLOAD_SEAL_PURPOSE, associated=batch.pk.bytes)
        except sealing.SealBrokenError as error:
            raise ApplicationError(str(UPLOAD_UNREADABLE)) from error
        with _bulk_work():
            table = read_cells(io.BytesIO(content), batch.filename)
            del content
            _moved(batch, phase=Phase.CHECKING, row_count=len(table.rows), upload=b"")
            plan = _plan(importer, batch.user, table, batch.filename)
            _record(batch, table, plan)
        # Only a batch still being checked by this run: one failed as stalled, or expired, meanwhile stays so.
        ImportBatch.objects.filter(pk=batch.pk, status=Status.READING, phase=Phase.CHECKING).update(
            **{name: getattr(batch, name) for name in RECORDED_FIELDS},
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


def _expire(batch: ImportBatch) -> None:
    batch.status, batch.phase, batch.rows = ImportBatch.Status.EXPIRED, ImportBatch.Phase.NONE, b""
    batch.save(update_fields=["status", "phase", "rows", "updated_at"])


def _apply(*, user: User, batch: ImportBatch, applicable: str) -> ImportBatch:
    """Write a previewed file in one transaction, checking it again against the data as it is now; the
    batch must be in the ``applicable`` status when locked (``NotApplicableError`` otherwise)."""
    importer = importer_for(user=user, kind=batch.kind)
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != applicable:
            raise NotApplicableError(str(NOT_APPLICABLE))
        with _bulk_work():
            table = _previewed_table(locked)
            if table is not None:
                plan = _plan(importer, user, table, locked.filename)
                if plan.report.ok:
                    plan.write()
        if table is None:
            _expire(locked)
        else:
            if plan.report.ok:
                locked.status, locked.applied_at = ImportBatch.Status.APPLIED, timezone.now()
            else:
                locked.status = ImportBatch.Status.REFUSED
            locked.created_count, locked.updated_count, locked.unchanged_count = (
                plan.created,
                plan.updated,
                plan.unchanged,
            )
            locked.problems, locked.problem_count = plan.report.as_dicts(), len(plan.report)
            locked.rows, locked.phase, locked.error = b"", ImportBatch.Phase.NONE, ""
            locked.save(
                update_fields=[
                    "status",
                    "phase",
                    "error",
                    "applied_at",
                    "created_count",
                    "updated_count",
                    "unchanged_count",
                    "problems",
                    "problem_count",
                    "rows",
                    "updated_at",
                ]
            )
    if table is None:
        raise ExpiredError(str(EXPIRED).format(hours=RETENTION_HOURS))
    if not plan.report.ok:
        raise ImportRefusedError(str(FILE_REFUSED), plan.report)
    return locked


def import_apply(*, user: User, batch: ImportBatch) -> ImportBatch:
    """Write a previewed file in one transaction, checking it again against the data as it is now. The
    command line's way; the pages queue the same work (``import_apply_queue``)."""
    if batch.status != ImportBatch.Status.READY:
        raise ApplicationError(str(NOT_APPLICABLE))
    return _apply(user=user, batch=batch, applicable=ImportBatch.Status.READY)


def import_apply_queue(*, user: User, batch: ImportBatch) -> ImportBatch:
    """Mark a ready preview "being applied" and queue its apply (``import_batch_apply`` in a background
    task, as ``user``) once that is committed. Only one request wins: another one, or a batch not ready,
    is refused with a message and queues nothing."""
    from vungcao.imports import tasks  # the tasks call this module's functions

    importer_for(user=user, kind=batch.kind)
    Status, Phase = ImportBatch.Status, ImportBatch.Phase
    with transaction.atomic():
        if not ImportBatch.objects.filter(pk=batch.pk, status=Status.READY).update(
            status=Status.APPLYING, phase=Phase.QUEUED, error="", updated_at=timezone.now()
        ):
            current = ImportBatch.objects.filter(pk=batch.pk).values_list("status", flat=True).first()
            raise NotApplicableError(str(ALREADY_APPLYING if current == Status.APPLYING else NOT_APPLICABLE))
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
        _apply(user=user, batch=batch, applicable=Status.APPLYING)
    except (NotApplicableError, ImportRefusedError, ExpiredError):
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
