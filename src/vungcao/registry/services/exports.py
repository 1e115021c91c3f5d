"""The household list written to a spreadsheet (xuất danh sách hộ), as its user may see it when it is
written: the export's writer for the household list (``exports.writers``). The queue, the progress page,
the sealing and the retention are the exports app's (``exports.services``); this module knows what the
list's filter means and what a download of it records.

``household_list_workbook`` writes the list chosen by the filter recorded at the request, as that user may
see it now (their scope, their role, looked up again) in the active language, headed by the unit, the
year and the filter in words. The read of personal data is recorded when the file is downloaded
(``household_list_downloaded``), with the number of households and the filter.
"""

from collections.abc import Callable, Iterator, Mapping
from typing import BinaryIO

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import ApplicationError, NotFoundError
from vungcao.common.report_workbooks import Heading, exported_by
from vungcao.geo import selectors as geo_selectors
from vungcao.geo.models import Era
from vungcao.geo.names import unit_full_name
from vungcao.registry.models import Household, PersonalDataRead
from vungcao.registry.selectors import exports as export_selectors
from vungcao.registry.selectors import households as household_selectors
from vungcao.registry.selectors.households import HouseholdFilter
from vungcao.registry.services.personal_data_reads import personal_data_read_record
from vungcao.registry.spreadsheets import household_workbook

PROGRESS_EVERY = 10_000
"""Households written between two words of progress (a province's list writes about 6,000 a second)."""
NOT_ALLOWED = gettext_lazy("Your role sees aggregated figures only.")
UNIT_OUT_OF_SCOPE = gettext_lazy(
    "The area chosen in the filter is no longer within your scope: nothing was exported. Choose the "
    "filter again and export once more."
)


def _filter(user: User, values: Mapping[str, object]) -> HouseholdFilter:
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


def _heading(user: User, values: Mapping[str, object], filters: HouseholdFilter) -> Heading:
    """The report's heading: the unit filtered (or the user's scope, or the whole country) by its full
    name, the year (or the day the list was written), and the other filters in words."""
    unit = filters.unit or user.scope
    if filters.year is not None:
        period = _("Year {year}").format(year=filters.year)
    else:
        today = timezone.localdate().strftime("%d/%m/%Y")
        period = _("Households registered on {date}").format(date=today)
    labels = export_selectors.household_filter_labels(user=user, values=values)
    return Heading(
        title=_("List of households"),
        unit=unit_full_name(unit) if unit else _("Whole country"),
        period=period,
        notes=tuple(f"{item.label}: {item.value}" for item in labels if item.name not in ("unit", "year")),
        exported_by=exported_by(user),
    )


def household_list_workbook(
    *,
    user: User,
    parameters: Mapping[str, object],
    target: BinaryIO,
    progress: Callable[[int], None] = lambda written: None,
) -> int:
    """The household list chosen by the recorded filter, as ``user`` may see it now (role and scope looked
    up again), written to ``target``, ``progress`` told the households written every ``PROGRESS_EVERY``;
    the number of households written. ApplicationError, in the reader's words, for a user who may no
    longer see households or whose filter's unit has left their scope."""
    if not user.is_active or not access.can_view_households(user):
        raise ApplicationError(str(NOT_ALLOWED))
    filters = _filter(user, parameters)
    households = household_selectors.household_list(user=user, filters=filters)
    written = 0

    def counted() -> Iterator[Household]:
        nonlocal written
        for household in households.iterator(chunk_size=2000):
            written += 1
            if written % PROGRESS_EVERY == 0:
                progress(written)
            yield household

    household_workbook(
        counted(), heading=_heading(user, parameters, filters), year=filters.year, target=target
    )
    return written


def household_list_downloaded(
    *, user: User, parameters: Mapping[str, object], row_count: int, address: str | None
) -> None:
    """A downloaded household list is a read of personal data: recorded with its count and filter."""
    personal_data_read_record(
        user=user,
        kind=PersonalDataRead.Kind.EXPORT,
        address=address,
        household_count=row_count,
        filters=parameters,
    )
