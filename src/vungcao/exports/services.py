"""Exports written by a background task, never in the request (xuất tệp): a province's household list, or
the whole country's money report, takes longer to write than a request may run.

``export_start`` records what the user asked for (its kind and parameters) and queues the writing on
commit; the task (``exports.tasks``, run by ``vungcao db_worker``) calls ``export_write``, which has the
kind's writer (``exports.writers``) write the file to a temporary file as that user may see the data when
it runs (their scope and role looked up again), in their language, and keeps it in sealed pieces
(``common.sealing.seal_pieces``, bound to the export, ``ExportPiece``) for the user alone; a download
opens and sends one piece at a time. Neither holds the file in memory: a country's list costs the worker
and the server no more memory than a commune's. A download is recorded as the kind's writer says (a household list is a read
of personal data).

The file is kept for ``RETENTION``: ``exports_expire`` (run at every new export, and by
``vungcao exports_purge``) removes it. A writing whose worker stopped without a word (killed, restarted)
fails once it has not moved for ``STALLED_AFTER`` (``export_check_stalled``, the page does it): the user
asks again.
"""

import datetime
import io
import itertools
import logging
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import BinaryIO

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from vungcao.accounts.models import User
from vungcao.common import sealing
from vungcao.common.errors import ApplicationError, NotFoundError, PermissionDeniedError
from vungcao.exports.models import Export, ExportPiece
from vungcao.exports.writers import WRITERS

# How long a written file waits to be downloaded: a working day and a night.
RETENTION = datetime.timedelta(hours=24)
RETENTION_HOURS = int(RETENTION.total_seconds() // 3600)
# Writing a province's list takes seconds; a writing that has not ended after this has lost its worker.
STALLED_AFTER = datetime.timedelta(minutes=15)
SEAL_PURPOSE = "vungcao export"
logger = logging.getLogger(__name__)

Status = Export.Status

WRITING_FAILED = gettext_lazy(
    "The export could not be written because of an error on the server. Export again; if it fails again, "
    "tell the administrator (the details are in the server's log)."
)
WRITING_STALLED = gettext_lazy(
    "The writing of this export stopped before it ended (the server's background worker was stopped). "
    "Export again."
)
EXPIRED = gettext_lazy("This export has expired: its file is kept for {hours} hours only. Export again.")
NOT_READY = gettext_lazy("This export has no file to download.")


def exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Expire every export older than ``RETENTION`` (its file removed, a writing not started never
    started); the number expired. Cheap (by status and age): every new export runs it."""
    cutoff = (now or timezone.now()) - RETENTION
    waiting = [Status.QUEUED, Status.RUNNING, Status.READY]
    with transaction.atomic():
        expired = list(
            Export.objects.filter(status__in=waiting, created_at__lt=cutoff).values_list("pk", flat=True)
        )
        ExportPiece.objects.filter(export__in=expired).delete()
        return Export.objects.filter(pk__in=expired, status__in=waiting).update(
            status=Status.EXPIRED, pieces=0, updated_at=timezone.now()
        )


def export_start(*, user: User, kind: str, parameters: Mapping[str, object]) -> Export:
    """Record an export of ``kind`` with its ``parameters`` (checked by the caller, as the kind's page
    checks them) for ``user`` and queue its writing once committed, in the language active now; expire
    the exports past the retention."""
    from vungcao.exports import tasks  # the task calls this module's functions

    writer = WRITERS[kind]
    if not writer.allowed(user):
        raise PermissionDeniedError(str(writer.refusal))
    exports_expire()
    language = translation.get_language() or ""
    with transaction.atomic():
        export = Export.objects.create(user=user, kind=kind, parameters=dict(parameters))
        transaction.on_commit(partial(tasks.export_task.enqueue, export_id=str(export.pk), language=language))
    return export


def _failed(export_id: str, message: str) -> None:
    Export.objects.filter(pk=export_id, status=Status.RUNNING).update(
        status=Status.FAILED,
        error=message,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def export_write(*, export_id: str) -> None:
    """The background writing of an export, as its user may see the data now. An export no longer queued
    (written by an earlier run of the task, expired) is left as it is: a task run twice writes once. A
    refusal is recorded as the export's error; an unexpected error too, in general words (its details go
    to the log), and is raised again for the task to fail."""
    if not Export.objects.filter(pk=export_id, status=Status.QUEUED).update(
        status=Status.RUNNING, updated_at=timezone.now()
    ):
        return
    export = Export.objects.select_related("user").get(pk=export_id)
    writer = WRITERS[export.kind]
    try:
        if not export.user.is_active or not writer.allowed(export.user):
            raise ApplicationError(str(writer.refusal))
        with tempfile.TemporaryFile() as written:
            rows = writer.write(export.user, export.parameters, written, partial(_moved, export.pk))
            _kept(export, written, rows=rows, filename=writer.filename(export))
    except ApplicationError as error:
        _failed(export_id, error.message)
    except Exception:
        logger.exception("export %s (%s): writing failed", export_id, export.kind)
        _failed(export_id, str(WRITING_FAILED))
        raise


def _moved(export_id: uuid.UUID, rows: int) -> None:
    """A long writing's word of progress: its rows so far, and the time it last moved (so that it is not
    taken for a writing whose worker stopped, ``export_check_stalled``)."""
    Export.objects.filter(pk=export_id, status=Status.RUNNING).update(
        row_count=rows, updated_at=timezone.now()
    )


def _kept(export: Export, written: BinaryIO, *, rows: int, filename: str) -> None:
    """Keep the written file in sealed pieces with the export made ready, in one transaction: an export
    expired or failed meanwhile keeps nothing."""
    size = written.seek(0, io.SEEK_END)
    written.seek(0)
    plain = iter(partial(written.read, sealing.PIECE_BYTES), b"")
    with transaction.atomic():
        count = 0
        for count, piece in enumerate(
            sealing.seal_pieces(plain, purpose=SEAL_PURPOSE, associated=export.pk.bytes), start=1
        ):
            ExportPiece.objects.create(export=export, number=count - 1, content=piece)
        if not Export.objects.filter(pk=export.pk, status=Status.RUNNING).update(
            status=Status.READY,
            size=size,
            pieces=count,
            row_count=rows,
            filename=filename,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        ):
            transaction.set_rollback(True)


def export_check_stalled(*, export: Export, now: datetime.datetime | None = None) -> Export:
    """The export as it is, failed if its writing has not moved for ``STALLED_AFTER`` (its worker was
    stopped), expired if it is past ``RETENTION``. One waiting for a worker is never stalled: it expires."""
    if export.status != Status.EXPIRED and export.created_at < (now or timezone.now()) - RETENTION:
        exports_expire(now=now)
        export.refresh_from_db(fields=["status", "updated_at"])
    cutoff = (now or timezone.now()) - STALLED_AFTER
    if export.status != Status.RUNNING or export.updated_at >= cutoff:
        return export
    if Export.objects.filter(pk=export.pk, status=Status.RUNNING, updated_at__lt=cutoff).update(
        status=Status.FAILED,
        error=str(WRITING_STALLED),
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    ):
        logger.warning("export %s (%s): its writing stalled", export.pk, export.kind)
        export.refresh_from_db(fields=["status", "error", "finished_at", "updated_at"])
    return export


@dataclass(frozen=True)
class ExportFile:
    """A file to send: its size in bytes and its plain pieces, each opened when it is sent."""

    size: int
    pieces: Iterator[bytes]


def export_file(*, user: User, export: Export, address: str | None) -> ExportFile:
    """The file of a ready export, for the user who asked for it, its download recorded as its kind says
    (a household list's as a read of personal data), its pieces opened one at a time as they are sent. A
    file past its retention is expired and refused; so is one whose pieces are not all there, or whose
    first or last does not open at its place, before anything is sent."""
    if export.user_id != user.pk:
        raise NotFoundError(f"export {export.pk}")
    if export.status == Status.READY and export.created_at < timezone.now() - RETENTION:
        exports_expire()
        export.refresh_from_db(fields=["status"])
    if export.status == Status.EXPIRED:
        raise ApplicationError(str(EXPIRED).format(hours=RETENTION_HOURS))
    if export.status != Status.READY:
        raise ApplicationError(str(NOT_READY))
    pieces = ExportPiece.objects.filter(export=export).values_list("content", flat=True)
    count, associated = export.pieces, export.pk.bytes
    try:
        # Before anything is sent: every piece is there, the last opens as the last (the file was not cut
        # short) and the first as the first (the key has not changed).
        if pieces.count() != count:
            raise sealing.SealBrokenError("pieces are missing")
        sealing.unseal_piece(
            pieces.get(number=count - 1),
            number=count - 1,
            count=count,
            purpose=SEAL_PURPOSE,
            associated=associated,
        )
        stored = (pieces.get(number=number) for number in range(count))
        opened = sealing.unseal_pieces(stored, count=count, purpose=SEAL_PURPOSE, associated=associated)
        first = next(opened)
    except sealing.SealBrokenError as error:
        raise ApplicationError(str(EXPIRED).format(hours=RETENTION_HOURS)) from error
    WRITERS[export.kind].downloaded(user, export, address)
    return ExportFile(export.size, itertools.chain([first], opened))
