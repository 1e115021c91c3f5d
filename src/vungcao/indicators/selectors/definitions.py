"""A province's own indicators as their page shows them: by province, each with its formula in words."""

from dataclasses import dataclass

from vungcao.accounts.models import User
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


def province_indicators(*, user: User) -> list[ProvinceIndicators]:
    """The provinces' own indicators the user may read (the user's province's, or every province's for
    national users), by province and code."""
    rows = own_indicators(user=user)
    catalogue = catalogue_with(rows)
    found: dict[int, ProvinceIndicators] = {}
    for row in rows:
        if row.code not in catalogue:  # a row the catalogue leaves out (see catalogue_with)
            continue
        definition = catalogue.get(row.code)
        listed = found.setdefault(row.owner_id, ProvinceIndicators(row.owner, []))
        listed.indicators.append(OwnIndicator(row, definition, formula_in_words(definition, catalogue)))
    return list(found.values())
