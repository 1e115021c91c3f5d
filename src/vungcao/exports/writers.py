"""What each kind of export knows of itself (``Export.Kind``): who may ask for it, how its file is written
from the recorded parameters, how those are shown in words, where its page leads back to, and what a
download records. The domain apps write the files; this table joins them to the one export machinery."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.exports.models import Export
from vungcao.programs import money_report
from vungcao.programs.forms import DashboardForm
from vungcao.registry.selectors import exports as household_export_selectors
from vungcao.registry.services import exports as household_exports

Parameters = Mapping[str, object]
Progress = Callable[[int], None]


@dataclass(frozen=True)
class Writer:
    # Who may ask for this kind at all (each file is still written as its user may see the data).
    allowed: Callable[[User], bool]
    refusal: Promise
    # Write the file to the (temporary) file given, telling the rows written so far now and then (a long
    # writing is then seen to move); the number of rows it holds. ApplicationError, in the reader's
    # words, for a refusal.
    write: Callable[[User, Parameters, BinaryIO, Progress], int]
    # The parameters as label and value in the active language, for the export's page.
    choices: Callable[[User, Parameters], list[tuple[str, str]]]
    # The page the export was asked from, with its choices.
    back: Callable[[Parameters], str]
    # The downloaded file's name.
    filename: Callable[[Export], str]
    # Whether the file holds personal data: its download is then a read the registry records.
    personal_data: bool
    downloaded: Callable[[User, Export, str | None], None]


def _household_choices(user: User, parameters: Parameters) -> list[tuple[str, str]]:
    return [
        (item.label, item.value)
        for item in household_export_selectors.household_filter_labels(user=user, values=parameters)
    ]


def _household_back(parameters: Parameters) -> str:
    chosen = ((name, parameters.get(name)) for name in household_export_selectors.FILTER_NAMES)
    query = {"q" if name == "search" else name: value for name, value in chosen if value}
    return reverse("registry:household-list") + (f"?{urlencode(query)}" if query else "")


def _household_downloaded(user: User, export: Export, address: str | None) -> None:
    household_exports.household_list_downloaded(
        user=user, parameters=export.parameters, row_count=export.row_count, address=address
    )


def _money_back(parameters: Parameters) -> str:
    """The dashboard with the recorded choices, in the form's order (PostgreSQL keeps JSON keys in its own)."""
    chosen = ((name, parameters.get(name)) for name in DashboardForm.base_fields)
    query = {name: value for name, value in chosen if value not in ("", None)}
    return reverse("programs:dashboard") + f"?{urlencode(query)}"


def _money_filename(export: Export) -> str:
    parameters = export.parameters
    years = f"{parameters['from_year']}-{parameters['to_year']}"
    return f"money-{parameters['era']}-{parameters['unit'] or 'VN'}-{years}.xlsx"


WRITERS: dict[str, Writer] = {
    Export.Kind.HOUSEHOLDS: Writer(
        allowed=access.can_view_households,
        refusal=household_exports.NOT_ALLOWED,
        write=lambda user, parameters, target, progress: household_exports.household_list_workbook(
            user=user, parameters=parameters, target=target, progress=progress
        ),
        choices=_household_choices,
        back=_household_back,
        filename=lambda export: f"households-{timezone.localtime(export.created_at):%Y%m%d-%H%M}.xlsx",
        personal_data=True,
        downloaded=_household_downloaded,
    ),
    Export.Kind.MONEY: Writer(
        allowed=lambda user: user.is_authenticated,
        refusal=_("Log in to export."),
        write=lambda user, parameters, target, _progress: money_report.money_report_workbook(
            user=user, parameters=parameters, target=target
        ),
        choices=lambda user, parameters: money_report.money_report_choices(user=user, parameters=parameters),
        back=_money_back,
        filename=_money_filename,
        personal_data=False,
        downloaded=lambda user, export, address: None,
    ),
}
