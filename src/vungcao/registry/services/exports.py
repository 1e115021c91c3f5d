"""The household list exported to a spreadsheet by a background task (xuất danh sách hộ), never in the
request: a province's list takes longer to write than the server lets a request run.

``household_export_start`` records what the user asked for (the list's filter) and queues the writing on
commit; the task (``registry.tasks``, run by ``vungcao db_worker``) calls ``household_export_write``, which
writes the list as that user may see it when it runs (their scope, their role, looked up again) in their
language, and keeps the file sealed (``common.sealing``, bound to the export) for the user alone. The read
of personal data is recorded when the file is downloaded (``household_export_file``), with the number of
households and the filter.

The file is kept for ``RETENTION``: ``household_exports_expire`` (run at every new export, and by
``vungcao household_exports_purge``) removes it. A writing whose worker stopped without a word (killed,
restarted) fails once it has not moved for ``STALLED_AFTER`` (``household_export_check_stalled``, the
page does it): the user asks again.
"""

import datetime
import logging
from collections.abc import Iterator
from functools import partial

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common import sealing
from vungcao.common.errors import ApplicationError, NotFoundError, PermissionDeniedError
from vungcao.common.report_workbooks import Heading, exported_by
from vungcao.geo import selectors as geo_selectors
from vungcao.geo.models import Era
from vungcao.geo.names import unit_full_name
from vungcao.registry.models import Household, HouseholdExport, PersonalDataRead
from vungcao.registry.selectors import exports as export_selectors
from vungcao.registry.selectors import households as household_selectors
from vungcao.registry.selectors.households import HouseholdFilter
from vungcao.registry.services.personal_data_reads import household_filter_values, personal_data_read_record
from vungcao.registry.spreadsheets import household_workbook

# How long a written file waits to be downloaded: a working day and a night.
RETENTION = datetime.timedelta(hours=24)
RETENTION_HOURS = int(RETENTION.total_seconds() // 3600)
# Writing a province's list takes seconds; a writing that has not ended after this has lost its worker.
STALLED_AFTER = datetime.timedelta(minutes=15)
SEAL_PURPOSE = "vungcao household export"
logger = logging.getLogger(__name__)

Status = HouseholdExport.Status

NOT_ALLOWED = gettext_lazy("Your role sees aggregated figures only.")
UNIT_OUT_OF_SCOPE = gettext_lazy(
    "The area chosen in the filter is no longer within your scope: nothing was exported. Choose the "
    "filter again and export once more."
)
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


def household_exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Expire every export older than ``RETENTION`` (its file removed, a writing not started never
    started); the number expired. Cheap (by status and age): every new export runs it."""
    cutoff = (now or timezone.now()) - RETENTION
    waiting = [Status.QUEUED, Status.RUNNING, Status.READY]
    return HouseholdExport.objects.filter(status__in=waiting, created_at__lt=cutoff).update(
        status=Status.EXPIRED, content=b"", updated_at=timezone.now()
    )


def household_export_start(*, user: User, filters: HouseholdFilter) -> HouseholdExport:
    """Record an export of the household list chosen by ``filters`` for ``user`` and queue its writing
    once committed (in the language active now); expire the exports past the retention."""
    from vungcao.registry import tasks  # the task calls this module's functions

    if not access.can_view_households(user):
        raise PermissionDeniedError(str(NOT_ALLOWED))
    household_exports_expire()
    language = translation.get_language() or ""
    with transaction.atomic():
        export = HouseholdExport.objects.create(user=user, filters=household_filter_values(filters))
        transaction.on_commit(
            partial(tasks.household_export_task.enqueue, export_id=str(export.pk), language=language)
        )
    return export


def _filter(user: User, values: dict[str, object]) -> HouseholdFilter:
    """The filter recorded at the request, its unit looked up again in the user's scope as it is now."""
    unit = None
    if values.get("unit"):
        try:
            unit = geo_selectors.unit_get(user=user, era=Era.CURRENT, code=str(values["unit"]))
        except NotFoundError as error:
            raise ApplicationError(str(UNIT_OUT_OF_SCOPE)) from error

    def text(name: str) -> str | None:
        value = values.get(name)
        return str(value) if value else None

    year = values.get("year")
    return HouseholdFilter(
        unit=unit,
        year=int(str(year)) if year else None,
        status=text("status"),
        ethnic_group=text("ethnic_group"),
        deprived=text("deprived"),
        change=text("change"),
        search=text("search"),
    )


def _heading(export: HouseholdExport, user: User, filters: HouseholdFilter) -> Heading:
    """The report's heading: the unit filtered (or the user's scope, or the whole country) by its full
    name, the year (or the day the list was written), and the other filters in words."""
    unit = filters.unit or user.scope
    if filters.year is not None:
        period = _("Year {year}").format(year=filters.year)
    else:
        today = timezone.localdate().strftime("%d/%m/%Y")
        period = _("Households registered on {date}").format(date=today)
    labels = export_selectors.household_filter_labels(user=user, values=export.filters)
    return Heading(
        title=_("List of households"),
        unit=unit_full_name(unit) if unit else _("Whole country"),
        period=period,
        notes=tuple(f"{item.label}: {item.value}" for item in labels if item.name not in ("unit", "year")),
        exported_by=exported_by(user),
    )


def _failed(export_id: str, message: str) -> None:
    HouseholdExport.objects.filter(pk=export_id, status=Status.RUNNING).update(
        status=Status.FAILED,
        error=message,
        content=b"",
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )


def household_export_write(*, export_id: str) -> None:
    """The background writing of an export, as its user may see the list now (role and scope looked up
    again). An export no longer queued (written by an earlier run of the task, expired) is left as it is:
    a task run twice writes once. A refusal is recorded as the export's error; an unexpected error too, in
    general words (its details go to the log), and is raised again for the task to fail."""
    if not HouseholdExport.objects.filter(pk=export_id, status=Status.QUEUED).update(
        status=Status.RUNNING, updated_at=timezone.now()
    ):
        return
    export = HouseholdExport.objects.select_related("user").get(pk=export_id)
    try:
        user = export.user
        if not user.is_active or not access.can_view_households(user):
            raise ApplicationError(str(NOT_ALLOWED))
        filters = _filter(user, export.filters)
        households = household_selectors.household_list(user=user, filters=filters)
        written = 0

        def counted() -> Iterator[Household]:
            nonlocal written
            for household in households.iterator(chunk_size=2000):
                written += 1
                yield household

        content = household_workbook(counted(), heading=_heading(export, user, filters), year=filters.year)
        sealed = sealing.seal(content, purpose=SEAL_PURPOSE, associated=export.pk.bytes)
        HouseholdExport.objects.filter(pk=export_id, status=Status.RUNNING).update(
            status=Status.READY,
            content=sealed,
            row_count=written,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
    except ApplicationError as error:
        _failed(export_id, error.message)
    except Exception:
        logger.exception("household export %s: writing failed", export_id)
        _failed(export_id, str(WRITING_FAILED))
        raise


def household_export_check_stalled(
    *, export: HouseholdExport, now: datetime.datetime | None = None
) -> HouseholdExport:
    """The export as it is, failed if its writing has not moved for ``STALLED_AFTER`` (its worker was
    stopped), expired if it is past ``RETENTION``. One waiting for a worker is never stalled: it expires."""
    if export.status != Status.EXPIRED and export.created_at < (now or timezone.now()) - RETENTION:
        household_exports_expire(now=now)
        export.refresh_from_db(fields=["status", "updated_at"])
    cutoff = (now or timezone.now()) - STALLED_AFTER
    if export.status != Status.RUNNING or export.updated_at >= cutoff:
        return export
    if HouseholdExport.objects.filter(pk=export.pk, status=Status.RUNNING, updated_at__lt=cutoff).update(
        status=Status.FAILED,
        error=str(WRITING_STALLED),
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    ):
        logger.warning("household export %s: its writing stalled", export.pk)
        export.refresh_from_db(fields=["status", "error", "finished_at", "updated_at"])
    return export


def household_export_file(*, user: User, export: HouseholdExport, address: str | None) -> bytes:
    """The file of a ready export, for the user who asked for it, and the read of personal data recorded
    (the households written and the filter). A file past its retention is expired and refused."""
    if export.user_id != user.pk:
        raise NotFoundError(f"household export {export.pk}")
    if export.status == Status.READY and export.created_at < timezone.now() - RETENTION:
        household_exports_expire()
        export.refresh_from_db(fields=["status"])
    if export.status == Status.EXPIRED:
        raise ApplicationError(str(EXPIRED).format(hours=RETENTION_HOURS))
    if export.status != Status.READY:
        raise ApplicationError(str(NOT_READY))
    stored = HouseholdExport.objects.filter(pk=export.pk).values_list("content", flat=True).get()
    try:
        content = sealing.unseal(stored, purpose=SEAL_PURPOSE, associated=export.pk.bytes)
    except sealing.SealBrokenError as error:
        raise ApplicationError(str(EXPIRED).format(hours=RETENTION_HOURS)) from error
    personal_data_read_record(
        user=user,
        kind=PersonalDataRead.Kind.EXPORT,
        address=address,
        household_count=export.row_count,
        filters=export.filters,
    )
    return content
