"""Preview a file, then apply it: nothing is written until a clean preview is confirmed."""

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
from vungcao.common.errors import ApplicationError, ImportRefusedError, PermissionDeniedError
from vungcao.common.files import Table, read_cells
from vungcao.common.importing import Importer, ImportPlan, Rows
from vungcao.engine.tabular import ValidationReport
from vungcao.imports.models import ImportBatch
from vungcao.imports.registry import importers

MAX_FILE_BYTES = 50 * 1024 * 1024
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


def _plan(importer: Importer, user: User | None, rows: Rows, filename: str) -> ImportPlan:
    report = ValidationReport()
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


def import_preview(*, user: User | None, kind: str, stream: IO[bytes], filename: str) -> ImportBatch:
    """Read and check the whole file; store it with what applying it would do. Writes no domain data."""
    importer = importer_for(user=user, kind=kind)
    content = stream.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise ApplicationError(_("The file is larger than 50 MB; split it."))
    with _bulk_work():
        table = read_cells(io.BytesIO(content), filename)
        plan = _plan(importer, user, table.records(), filename)
        rows = table.packed() if plan.report.ok else b""
    return ImportBatch.objects.create(
        user=user,
        kind=kind,
        filename=filename[:255],
        content=content,
        rows=rows,
        status=ImportBatch.Status.READY if plan.report.ok else ImportBatch.Status.REFUSED,
        created_count=plan.created,
        updated_count=plan.updated,
        unchanged_count=plan.unchanged,
        problems=plan.report.as_dicts(),
    )


def _previewed_table(batch: ImportBatch) -> Table:
    """The rows read at preview; the file read again for a batch previewed before they were kept."""
    if batch.rows:
        return Table.unpacked(batch.rows)
    return read_cells(io.BytesIO(bytes(batch.content)), batch.filename)


def import_apply(*, user: User | None, batch: ImportBatch) -> ImportBatch:
    """Write a previewed file in one transaction, checking it again against the data as it is now."""
    if batch.status != ImportBatch.Status.READY:
        raise ApplicationError(_("Only a file whose preview had no problems can be applied, and only once."))
    importer = importer_for(user=user, kind=batch.kind)
    with transaction.atomic():
        # The file itself is read only for a batch without rows (``_previewed_table``).
        locked = ImportBatch.objects.select_for_update().defer("content").get(pk=batch.pk)
        if locked.status != ImportBatch.Status.READY:
            raise ApplicationError(
                _("Only a file whose preview had no problems can be applied, and only once.")
            )
        with _bulk_work():
            plan = _plan(importer, user, _previewed_table(locked).records(), locked.filename)
            if plan.report.ok:
                plan.write()
        if plan.report.ok:
            locked.status, locked.applied_at = ImportBatch.Status.APPLIED, timezone.now()
        else:
            locked.status = ImportBatch.Status.REFUSED
        locked.created_count, locked.updated_count, locked.unchanged_count = (
            plan.created,
            plan.updated,
            plan.unchanged,
        )
        locked.problems = plan.report.as_dicts()
        locked.rows = b""
        # Not ``content``, which is unchanged and as large as the file.
        locked.save(
            update_fields=[
                "status",
                "applied_at",
                "created_count",
                "updated_count",
                "unchanged_count",
                "problems",
                "rows",
                "updated_at",
            ]
        )
    if not plan.report.ok:
        raise ImportRefusedError(str(FILE_REFUSED), plan.report)
    return locked
