"""Exports written by a background task, never in the request (xuất tệp): a province's household list, or
the whole country's money report, takes longer to write than a request may run.

``export_start`` records what the user asked for (its kind and parameters) and queues the writing on
commit; the task (``exports.tasks``, run by ``vungcao db_worker``) calls ``export_write``, which has the
kind's writer (``exports.writers``) write the file as that user may see the data when it runs (their
scope and role looked up again), in their language, and keeps it sealed (``common.sealing``, bound to the
export) for the user alone. A download is recorded as the kind's writer says (a household list is a read
of personal data).

The file is kept for ``RETENTION``: ``exports_expire`` (run at every new export, and by
``vungcao exports_purge``) removes it. A writing whose worker stopped without a word (killed, restarted)
fails once it has not moved for ``STALLED_AFTER`` (``export_check_stalled``, the page does it): the user
asks again.
"""

import datetime
import logging
from collections.abc import Mapping
from functools import partial

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from vungcao.accounts.models import User
from vungcao.common import sealing
from vungcao.common.errors import ApplicationError, NotFoundError, PermissionDeniedError
from vungcao.exports.models import Export
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
    return Export.objects.filter(status__in=waiting, created_at__lt=cutoff).update(
        status=Status.EXPIRED, content=b"", updated_at=timezone.now()
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
        content=b"",
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
    export = Export.objects.select_related("user").defer("content").get(pk=export_id)
    writer = WRITERS[export.kind]
    try:
        if not export.user.is_active or not writer.allowed(export.user):
            raise ApplicationError(str(writer.refusal))
        content, rows = writer.write(export.user, export.parameters)
        sealed = sealing.seal(content, purpose=SEAL_PURPOSE, associated=export.pk.bytes)
        Export.objects.filter(pk=export_id, status=Status.RUNNING).update(
            status=Status.READY,
            content=sealed,
            row_count=rows,
            filename=writer.filename(export),
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
    except ApplicationError as error:
        _failed(export_id, error.message)
    except Exception:
        logger.exception("export %s (%s): writing failed", export_id, export.kind)
        _failed(export_id, str(WRITING_FAILED))
        raise


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


def export_file(*, user: User, export: Export, address: str | None) -> bytes:
    """The file of a ready export, for the user who asked for it, its download recorded as its kind says
    (a household list's as a read of personal data). A file past its retention is expired and refused."""
    if export.user_id != user.pk:
        raise NotFoundError(f"export {export.pk}")
    if export.status == Status.READY and export.created_at < timezone.now() - RETENTION:
        exports_expire()
        export.refresh_from_db(fields=["status"])
    if export.status == Status.EXPIRED:
        raise ApplicationError(str(EXPIRED).format(hours=RETENTION_HOURS))
    if export.status != Status.READY:
        raise ApplicationError(str(NOT_READY))
    stored = Export.objects.filter(pk=export.pk).values_list("content", flat=True).get()
    try:
        content = sealing.unseal(stored, purpose=SEAL_PURPOSE, associated=export.pk.bytes)
    except sealing.SealBrokenError as error:
        raise ApplicationError(str(EXPIRED).format(hours=RETENTION_HOURS)) from error
    WRITERS[export.kind].downloaded(user, export, address)
    return content
