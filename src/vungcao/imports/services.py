"""Preview a file, then apply it: nothing is written until a clean preview is confirmed.

Two ways in, the same work. The web pages never read or apply a file in the request (a 100,000-household
questionnaire takes tens of seconds per step): they queue background tasks (``imports.background``), which
do the work of this module. The command line (``vungcao import_file``) calls ``import_preview`` and
``import_apply`` directly and waits.

The preview records what applying the file would change (``imports.changes``) and a fingerprint of it; the
apply plans the file again under lock and writes it only when it finds the same fingerprint, so what is
written is what the official saw (otherwise nothing is written and the new preview is shown). Records the
file leaves out (a household's members no longer in it) are kept unless the official explicitly chooses,
when applying, to record them as removed (``remove_missing``).

The file itself is never stored in clear. A clean preview keeps the rows read from it, and its described
changes, sealed, for ``RETENTION`` at most: apply empties them, and so does ``import_batches_expire`` (run
at every upload, and by ``vungcao imports_purge`` with a safety net over the whole table) for a preview
left waiting, which then expires and must be uploaded again.
"""

import datetime
import gc
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vungcao.accounts.models import User
from vungcao.common import file_limits, sealing
from vungcao.common.errors import ApplicationError, ImportRefusedError, PermissionDeniedError
from vungcao.common.files import Table, read_cells
from vungcao.common.importing import Importer, ImportPlan, Rows
from vungcao.engine.tabular import ValidationReport
from vungcao.imports import changes
from vungcao.imports.models import ImportBatch
from vungcao.imports.registry import importers

MAX_FILE_BYTES = file_limits.MAX_FILE_BYTES
# How long the rows of a clean preview wait to be applied: a working day and a night, time enough to check
# the preview and confirm it; after that the batch expires and its rows (personal data) are removed.
RETENTION = datetime.timedelta(hours=24)
RETENTION_HOURS = int(RETENTION.total_seconds() // 3600)
SEAL_PURPOSE = "vungcao import rows"
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
CHANGED_SINCE_PREVIEW = gettext_lazy(
    "The registry changed since this preview (another import or an entry): applying the file now would not "
    "do what the preview showed, so nothing was written. The preview below shows what it would do now; "
    "check it and apply again."
)
MISSING_MUST_GO = gettext_lazy(
    "Some records missing from the file cannot be kept (see the preview): apply the file recording them "
    "as removed, or add them to the file and upload it again."
)


class NotApplicableError(ApplicationError):
    """The batch is not (or no longer) in the state the apply expects: applied, refused, expired, or
    already being applied by another request or task."""


class ChangedSincePreviewError(NotApplicableError):
    """The file, planned again at apply, would not do what its preview showed (the registry changed in
    between): nothing was written, and the batch shows the new preview, ready to be confirmed again."""


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
def bulk_work() -> Iterator[None]:
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


def plan_table(importer: Importer, user: User, table: Table, filename: str) -> ImportPlan:
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
        status=Status.EXPIRED, phase=Phase.NONE, rows=b"", changes=b"", upload=b"", updated_at=timezone.now()
    )


def import_batches_purge(*, now: datetime.datetime | None = None) -> int:
    """``import_batches_expire``, then, as a safety net over the whole table (every step already does it),
    empty the rows of every batch not waiting to be applied and the sealed file of every batch not waiting
    to be read; the number of batches expired. What ``vungcao imports_purge`` runs daily."""
    Status = ImportBatch.Status
    expired = import_batches_expire(now=now)
    waiting = [Status.READY, Status.APPLYING]
    ImportBatch.objects.exclude(status__in=waiting).exclude(rows=b"").update(rows=b"")
    ImportBatch.objects.exclude(status__in=waiting).exclude(changes=b"").update(changes=b"")
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


def upload_content(stream: IO[bytes]) -> bytes:
    content = stream.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise ApplicationError(str(file_limits.FILE_TOO_LARGE))
    return content


# What a preview records on its batch (``record_preview``).
RECORDED_FIELDS = (
    "status",
    "created_count",
    "updated_count",
    "unchanged_count",
    "problems",
    "problem_count",
    "rows",
    "changes",
    "change_counts",
    "changes_fingerprint",
    "missing_count",
    "missing_must_go",
)


def record_preview(batch: ImportBatch, table: Table, plan: ImportPlan) -> None:
    """Put what the preview found on the batch (not saved), and the rows read, sealed, when it is clean."""
    batch.status = ImportBatch.Status.READY if plan.report.ok else ImportBatch.Status.REFUSED
    batch.created_count, batch.updated_count, batch.unchanged_count = (
        plan.created,
        plan.updated,
        plan.unchanged,
    )
    batch.problems, batch.problem_count = plan.report.as_dicts(), len(plan.report)
    batch.rows = _seal(batch, table) if plan.report.ok else b""
    changes.record_changes(batch, plan if plan.report.ok else ImportPlan(report=plan.report))


def import_preview(*, user: User, kind: str, stream: IO[bytes], filename: str) -> ImportBatch:
    """Read and check the whole file; record what applying it would do, and keep the rows read (sealed)
    when it has no problem. A file refused before it is read (too large, not of its kind, past a limit of
    ``common.file_limits``) raises ``ApplicationError`` and leaves nothing. Writes no domain data. The
    command line's way; the pages queue the same work (``import_upload``)."""
    importer = importer_for(user=user, kind=kind)
    import_batches_expire()
    content = upload_content(stream)
    with bulk_work():
        table = read_cells(io.BytesIO(content), filename)
        del content
        plan = plan_table(importer, user, table, filename)
        batch = ImportBatch(user=user, kind=kind, filename=filename[:255], row_count=len(table.rows))
        record_preview(batch, table, plan)
    batch.save(force_insert=True)
    return batch


def _expire(batch: ImportBatch) -> None:
    batch.status, batch.phase, batch.rows = ImportBatch.Status.EXPIRED, ImportBatch.Phase.NONE, b""
    batch.changes = b""
    batch.save(update_fields=["status", "phase", "rows", "changes", "updated_at"])


def _previewed_again(batch: ImportBatch, plan: ImportPlan, message: str) -> None:
    """The apply found the file would now do other than its preview showed: nothing is written, and the
    batch shows the new preview, ready to be applied, with ``message``."""
    changes.record_changes(batch, plan)
    batch.status, batch.phase, batch.error = ImportBatch.Status.READY, ImportBatch.Phase.NONE, message
    batch.created_count, batch.updated_count, batch.unchanged_count = (
        plan.created,
        plan.updated,
        plan.unchanged,
    )
    batch.save(
        update_fields=[
            "status",
            "phase",
            "error",
            "created_count",
            "updated_count",
            "unchanged_count",
            "changes",
            "change_counts",
            "changes_fingerprint",
            "missing_count",
            "missing_must_go",
            "updated_at",
        ]
    )


def _refusal(plan: ImportPlan, batch: ImportBatch, remove_missing: bool) -> ApplicationError | None:
    """Why a clean plan made again at apply may not be written: it differs from the preview the official
    confirmed, or it must remove records missing from the file and they chose to keep them."""
    if plan.fingerprint != batch.changes_fingerprint:
        return ChangedSincePreviewError(str(CHANGED_SINCE_PREVIEW))
    if plan.missing_must_go and not remove_missing:
        return NotApplicableError(str(MISSING_MUST_GO))
    return None


def apply_batch(*, user: User, batch: ImportBatch, applicable: str, remove_missing: bool) -> ImportBatch:
    """Write a previewed file in one transaction, checking it again against the data as it is now; the
    batch must be in the ``applicable`` status when locked (``NotApplicableError`` otherwise). The plan
    made again must be the one the preview showed: otherwise nothing is written, and the batch shows the
    new preview, ready to be confirmed again (``ChangedSincePreviewError``). The records the file leaves
    out (a household's members) are removed only when ``remove_missing``."""
    importer = importer_for(user=user, kind=batch.kind)
    refusal: ApplicationError | None = None
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != applicable:
            raise NotApplicableError(str(NOT_APPLICABLE))
        with bulk_work():
            table = _previewed_table(locked)
            if table is not None:
                plan = plan_table(importer, user, table, locked.filename)
                refusal = _refusal(plan, locked, remove_missing) if plan.report.ok else None
                if plan.report.ok and refusal is None:
                    plan.remove_missing = remove_missing
                    plan.write()
        if refusal is not None:
            _previewed_again(locked, plan, refusal.message)
        elif table is None:
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
            locked.rows, locked.changes, locked.phase, locked.error = b"", b"", ImportBatch.Phase.NONE, ""
            locked.remove_missing = remove_missing and plan.report.ok
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
                    "changes",
                    "remove_missing",
                    "updated_at",
                ]
            )
    if refusal is not None:
        raise refusal
    if table is None:
        raise ExpiredError(str(EXPIRED).format(hours=RETENTION_HOURS))
    if not plan.report.ok:
        raise ImportRefusedError(str(FILE_REFUSED), plan.report)
    return locked


def import_apply(*, user: User, batch: ImportBatch, remove_missing: bool = False) -> ImportBatch:
    """Write a previewed file in one transaction, checking it again against the data as it is now; the
    records the file leaves out are removed only when ``remove_missing`` (see ``apply_batch``). The command
    line's way; the pages queue the same work (``import_apply_queue``)."""
    if batch.status != ImportBatch.Status.READY:
        raise ApplicationError(str(NOT_APPLICABLE))
    return apply_batch(
        user=user, batch=batch, applicable=ImportBatch.Status.READY, remove_missing=remove_missing
    )
