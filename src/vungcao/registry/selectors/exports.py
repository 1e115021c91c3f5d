"""The filter a household list was exported with, in words."""

from collections.abc import Mapping
from typing import NamedTuple

from django.utils.translation import gettext as _

from vungcao.accounts.models import User
from vungcao.common.errors import NotFoundError
from vungcao.common.language import reader_language
from vungcao.geo import selectors as geo_selectors
from vungcao.geo.models import Era
from vungcao.geo.names import unit_full_name
from vungcao.registry.forms import CHANGE_LABELS, STATUS_CHOICES, HouseholdFilterForm
from vungcao.registry.reference import ethnic_groups
from vungcao.registry.selectors import reviews

# The filters as the list page names them (``registry.services.personal_data_reads.household_filter_values``).
FILTER_NAMES = ("unit", "year", "status", "ethnic_group", "deprived", "change", "search")


class FilterLabel(NamedTuple):
    name: str
    label: str
    value: str


def household_filter_labels(*, user: User, values: Mapping[str, object]) -> list[FilterLabel]:
    """The filter of an export as its reader reads it, in the list page's order: each filter's label and
    its value's label in the active language (the unit by its full name, a status, a change and an
    indicator by their labels, an ethnic group by its name, the search as typed). A unit no longer in the
    user's scope is named by its code."""
    fields = HouseholdFilterForm.base_fields
    labels = []
    for name in FILTER_NAMES:
        value = values.get(name)
        if value is None or value == "":
            continue
        text = str(value)
        label = _("Unit") if name == "unit" else str(fields["q" if name == "search" else name].label)
        if name == "unit":
            text = _unit_name(user, text)
        elif name == "status":
            text = str(dict(STATUS_CHOICES).get(text, text))
        elif name == "ethnic_group":
            group = ethnic_groups().get(text)
            text = group.name if group else text
        elif name == "deprived":
            text = dict(reviews.indicator_choices(user=user, language=reader_language())).get(text, text)
        elif name == "change":
            text = str(CHANGE_LABELS.get(text, text))
        labels.append(FilterLabel(name, label, text))
    return labels


def _unit_name(user: User, code: str) -> str:
    try:
        return unit_full_name(geo_selectors.unit_get(user=user, era=Era.CURRENT, code=code))
    except NotFoundError:
        return code
