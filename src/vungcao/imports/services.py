"""Preview a file, then apply it: nothing is written until a clean preview is confirmed.

The file itself is never stored. A clean preview keeps the rows read from it, sealed, for ``RETENTION``
at most: apply empties them, and so does ``import_batches_purge`` (run at every preview and by ``vungcao
imports_purge``) for a preview left waiting, which then expires and must be uploaded again.
"""

import datetime
import gc
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from django.db import transaction
from django.utils import timezone
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
SEAL_PURPOSE = "vungcao import rows"
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


def importer_for(*, user: User | None, kind: str) -> Importer:
    importer = importers().get(kind)
    if importer is None:
        raise ApplicationError(_("Unknown kind of import: {kind}.").format(kind=kind))
    if user is not None and not importer.may_import(user):
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


def _plan(importer: Importer, user: User | None, table: Table, filename: str) -> ImportPlan:
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
    return importer.plan(user, rows, filename)


def import_batches_purge(*, now: datetime.datetime | None = None) -> int:
    """Expire every preview older than ``RETENTION`` and empty the rows of every batch not waiting to be
    applied; the number of batches expired."""
    cutoff = (now or timezone.now()) - RETENTION
    expired = ImportBatch.objects.filter(status=ImportBatch.Status.READY, created_at__lt=cutoff).update(
        status=ImportBatch.Status.EXPIRED, rows=b"", updated_at=timezone.now()
    )
    ImportBatch.objects.exclude(status=ImportBatch.Status.READY).exclude(rows=b"").update(rows=b"")
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


def import_preview(*, user: User | None, kind: str, stream: IO[bytes], filename: str) -> ImportBatch:
    """Read and check the whole file; record what applying it would do, and keep the rows read (sealed)
    when it has no problem. A file refused before it is read (too large, not of its kind, past a limit of
    ``common.file_limits``) raises ``ApplicationError`` and leaves nothing. Writes no domain data."""
    importer = importer_for(user=user, kind=kind)
    import_batches_purge()
    content = stream.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise ApplicationError(str(file_limits.FILE_TOO_LARGE))
    with _bulk_work():
        table = read_cells(io.BytesIO(content), filename)
        del content
        plan = _plan(importer, user, table, filename)
        batch = ImportBatch(
            user=user,
            kind=kind,
            filename=filename[:255],
            status=ImportBatch.Status.READY if plan.report.ok else ImportBatch.Status.REFUSED,
            created_count=plan.created,
            updated_count=plan.updated,
            unchanged_count=plan.unchanged,
            problems=plan.report.as_dicts(),
            problem_count=len(plan.report),
        )
        batch.rows = _seal(batch, table) if plan.report.ok else b""
    batch.save(force_insert=True)
    return batch


def _expire(batch: ImportBatch) -> None:
    batch.status, batch.rows = ImportBatch.Status.EXPIRED, b""
    batch.save(update_fields=["status", "rows", "updated_at"])


def import_apply(*, user: User | None, batch: ImportBatch) -> ImportBatch:
    """Write a previewed file in one transaction, checking it again against the data as it is now."""
    if batch.status != ImportBatch.Status.READY:
        raise ApplicationError(str(NOT_APPLICABLE))
    importer = importer_for(user=user, kind=batch.kind)
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportBatch.Status.READY:
            raise ApplicationError(str(NOT_APPLICABLE))
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
            locked.rows = b""
            locked.save(
                update_fields=[
                    "status",
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
        raise ApplicationError(str(EXPIRED).format(hours=int(RETENTION.total_seconds() // 3600)))
    if not plan.report.ok:
        raise ImportRefusedError(str(FILE_REFUSED), plan.report)
    return locked
