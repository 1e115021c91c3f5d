"""Maps drawn offline from the imported unit boundaries (bản đồ), through accounts.access."""

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from django.db.models import QuerySet
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.language import reader_language
from vungcao.engine import choropleth, geometry, text
from vungcao.geo.models import AdministrativeUnit, UnitBoundary

Number = float | int | Decimal | Fraction


# Outlines read from their JSON text once per process and version: (boundary id, updated_at) → geometry.
_GEOMETRIES: dict[tuple[int, str], geometry.Geometry] = {}
_GEOMETRIES_KEPT = 5000


def _geometry(boundary: UnitBoundary) -> geometry.Geometry:
    key = (boundary.pk, boundary.updated_at.isoformat())
    found = _GEOMETRIES.get(key)
    if found is None:
        if len(_GEOMETRIES) >= _GEOMETRIES_KEPT:
            _GEOMETRIES.clear()
        found = _GEOMETRIES[key] = geometry.load_geometry(boundary.geometry)
    return found


def _percent(value: float) -> str:
    """A rate 0–1 as a percentage in the reader's language: ``0.125`` → ``12,5%`` in Vietnamese."""
    return text.format_percent(value * 100, reader_language())


def _number(value: float) -> str:
    return text.format_number(value, reader_language(), 0 if value == int(value) else 2)


def choropleth_svg(
    *,
    user: User,
    units: "QuerySet[AdministrativeUnit] | Iterable[AdministrativeUnit]",
    values: Mapping[str, Number | None],
    title: str,
    breaks: Sequence[Number] | None = None,
    legend_title: str = "",
    percent: bool = True,
    classes: int = 5,
) -> SafeString | None:
    """An SVG choropleth of ``units`` the user may see, by ``values`` (keyed by unit code; a rate 0–1
    when ``percent``), or None when none of them has an imported boundary.

    Classes are at ``breaks`` (bounds from the lowest to the highest, in the unit of ``values``) or at
    quantiles of the values. The SVG's text is escaped by the engine, so it is safe to insert as is.
    """
    queryset = (
        units
        if isinstance(units, QuerySet)
        else AdministrativeUnit.objects.filter(pk__in=[unit.pk for unit in units])
    )
    visible = list(access.restrict_units(queryset, user).select_related("boundary").order_by("path"))
    drawn = [unit for unit in visible if hasattr(unit, "boundary")]
    if not drawn:
        return None
    map_units = []
    for unit in drawn:
        value = values.get(unit.code)
        map_units.append(
            choropleth.MapUnit(
                code=unit.code,
                name=unit.name,
                geometry=_geometry(unit.boundary),
                value=None if value is None else float(value),
            )
        )
    description = ""
    if len(drawn) < len(visible):
        description = _(
            "{drawn} of {total} units have an imported boundary; the others are not drawn."
        ).format(drawn=len(drawn), total=len(visible))
    digest = hashlib.sha256("\n".join([title, *(unit.code for unit in drawn)]).encode()).hexdigest()[:10]
    svg = choropleth.render_choropleth(
        map_units,
        choropleth.MapLabels(
            title=title, legend_title=legend_title, no_data=_("No data"), description=description
        ),
        breaks=[float(bound) for bound in breaks] if breaks is not None else None,
        classes=classes,
        format_value=_percent if percent else _number,
        layout=choropleth.MapLayout(id_prefix="choropleth-" + digest),
    )
    return mark_safe(svg)  # every text in it was escaped by the engine
