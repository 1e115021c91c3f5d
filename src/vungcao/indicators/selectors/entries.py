"""Values officials entered (``IndicatorValue``), as the pages that correct and remove them read them."""

from collections.abc import Iterable

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import NotFoundError
from vungcao.indicators.models import IndicatorValue


def indicator_value_get(*, user: User, value_id: int) -> IndicatorValue:
    """An entered value of a unit the user may see, with its unit and who entered it last;
    :class:`NotFoundError` for any other id, whether it exists or not."""
    entries = IndicatorValue.objects.select_related("unit", "entered_by")
    stored = access.restrict_by_unit(entries, user, "unit").filter(pk=value_id).first()
    if stored is None:
        raise NotFoundError(f"indicator value {value_id}")
    return stored


def correctable_values(*, user: User, value_ids: Iterable[int]) -> set[int]:
    """Of ``value_ids``, those the user may correct and remove."""
    entries = IndicatorValue.objects.filter(pk__in=list(value_ids))
    return set(access.restrict_value_entries(entries, user).values_list("pk", flat=True))
