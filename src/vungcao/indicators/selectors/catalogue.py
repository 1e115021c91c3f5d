"""The catalogue a user sees: the shipped indicators and the provinces' own that the user may read.

A province's own indicator is a row (``models.Indicator``) turned into an engine ``Indicator`` by the
same reader as the catalogue file, so one set of rules checks both.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.engine.indicators import definitions
from vungcao.engine.indicators.catalogue import Catalogue, indicator_from_mapping, shipped_catalogue
from vungcao.engine.indicators.reasons import CatalogueProblem
from vungcao.geo.models import AdministrativeUnit
from vungcao.indicators.models import Indicator


def indicator_mapping(row: Indicator) -> dict[str, Any]:
    """A row as the catalogue file would write it (keys left out where the row has no value). Its source,
    typed once in the province's language, is its source in both languages; a description written in one
    language only is its description in both."""
    mapping: dict[str, Any] = {
        "code": row.code,
        "name_vi": row.name_vi,
        "name_en": row.name_en,
        "unit": row.unit,
        "kind": row.kind,
        "aggregation": row.aggregation,
        "source_vi": row.source,
        "source_en": row.source,
    }
    optional = {
        "decimals": row.decimals,
        "minimum": row.minimum,
        "maximum": row.maximum,
        "direction": row.direction or None,
        "formula": _decimals(row.formula) if row.formula is not None else None,
    }
    mapping.update({key: value for key, value in optional.items() if value is not None})
    if row.description_vi or row.description_en:
        mapping.update(
            description_vi=row.description_vi or row.description_en,
            description_en=row.description_en or row.description_vi,
        )
    return mapping


def _decimals(formula: object) -> object:
    """A formula read from JSON, its numbers as the catalogue reader takes them (``Decimal``, not float)."""
    if isinstance(formula, dict):
        return {key: _decimals(value) for key, value in formula.items()}
    if isinstance(formula, float):
        return Decimal(str(formula))
    return formula


def indicator_definition(row: Indicator) -> tuple[definitions.Indicator | None, list[CatalogueProblem]]:
    """The engine's indicator of a row, and the problems of its values."""
    return indicator_from_mapping(indicator_mapping(row))


def own_indicators(*, user: User) -> list[Indicator]:
    """The provinces' own indicators the user may read, by province and code."""
    return list(access.restrict_indicators(Indicator.objects.select_related("owner", "created_by"), user))


def catalogue_for(*, user: User) -> Catalogue:
    """The shipped catalogue with the provinces' own indicators the user may read."""
    return catalogue_with(own_indicators(user=user))


def province_catalogue(province: AdministrativeUnit, *, excluding: int | None = None) -> Catalogue:
    """The catalogue a province's own indicators are checked against: the shipped indicators and the
    province's own (``excluding`` one of them, being changed), never another province's, which its
    readers do not see. Without the one being changed it is not checked: another indicator's formula may
    read it, and is checked when the changed one joins (``additional_indicator_problems``)."""
    rows = Indicator.objects.filter(owner=province)
    if excluding is None:
        return catalogue_with(rows)
    shipped = shipped_catalogue()
    return Catalogue(shipped.version, [*shipped, *_definitions(rows.exclude(pk=excluding))])


def _definitions(rows: Iterable[Indicator]) -> list[definitions.Indicator]:
    """The engine's indicators of ``rows``, those whose values can be read."""
    return [indicator for indicator, _problems in map(indicator_definition, rows) if indicator is not None]


def catalogue_with(rows: Iterable[Indicator]) -> Catalogue:
    """The shipped catalogue with ``rows`` (stored rows, checked when they were created)."""
    return shipped_catalogue().with_indicators(_definitions(rows))
