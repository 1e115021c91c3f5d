"""The log of reads of personal data, as an administrator filters it."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.registry.models import PersonalDataRead


@dataclass(frozen=True)
class PersonalDataReadFilter:
    username: str | None = None
    household_code: str | None = None
    kind: str | None = None
    identity_numbers_whole: bool = False
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight of ``day`` where the application keeps its time (Asia/Ho_Chi_Minh)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def personal_data_read_list(*, user: User, filters: PersonalDataReadFilter) -> QuerySet[PersonalDataRead]:
    """Reads the user may see, newest first; each filter has its index with the time."""
    reads = access.restrict_personal_data_reads(
        PersonalDataRead.objects.select_related("user", "household"), user
    )
    if filters.username:
        reads = reads.filter(user__username=filters.username)
    if filters.household_code:
        reads = reads.filter(household__code=filters.household_code)
    if filters.kind:
        reads = reads.filter(kind=filters.kind)
    if filters.identity_numbers_whole:
        reads = reads.filter(identity_numbers_whole=True)
    if filters.date_from:
        reads = reads.filter(read_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        reads = reads.filter(read_at__lt=_start_of(filters.date_to + datetime.timedelta(days=1)))
    return reads.order_by("-read_at", "-pk")
