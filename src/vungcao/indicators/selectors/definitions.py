"""A province's own indicators as their page shows them: by province, each with its formula in words."""

from dataclasses import dataclass

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import NotFoundError
from vungcao.engine.indicators.definitions import Indicator as Definition
from vungcao.geo.models import AdministrativeUnit
from vungcao.indicators.models import Indicator
from vungcao.indicators.selectors.catalogue import catalogue_with, own_indicators
from vungcao.indicators.selectors.pages import formula_in_words


@dataclass(frozen=True)
class OwnIndicator:
    row: Indicator  # who defined it, and when
    indicator: Definition
    formula: str  # in words; empty unless derived


@dataclass(frozen=True)
class ProvinceIndicators:
    province: AdministrativeUnit
    indicators: list[OwnIndicator]
    changeable: bool  # whether the user may change and remove them


def province_indicators(*, user: User) -> list[ProvinceIndicators]:
    """The provinces' own indicators the user may read (the user's province's, or every province's for
    national users), by province and code, each province saying whether the user may change them."""
    rows = own_indicators(user=user)
    catalogue = catalogue_with(rows)
    found: dict[int, ProvinceIndicators] = {}
    for row in rows:
        if row.code not in catalogue:  # a row the catalogue leaves out (see catalogue_with)
            continue
        definition = catalogue.get(row.code)
        listed = found.setdefault(
            row.owner_id,
            ProvinceIndicators(row.owner, [], access.can_define_indicators(user, row.owner)),
        )
        listed.indicators.append(OwnIndicator(row, definition, formula_in_words(definition, catalogue)))
    return list(found.values())


def own_indicator_get(*, user: User, code: str) -> Indicator:
    """A province's own indicator the user may read, by code; :class:`NotFoundError` for any other code
    (shipped, of another province, or none)."""
    rows = access.restrict_indicators(Indicator.objects.select_related("owner", "created_by"), user)
    row = rows.filter(code=code).first()
    if row is None:
        raise NotFoundError(f"province indicator {code}")
    return row
