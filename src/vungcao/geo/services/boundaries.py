"""Boundaries of administrative units imported from a GeoJSON FeatureCollection (one feature a unit).

Each feature names its unit by the property ``code`` (and ``era``, ``current`` when absent); its
geometry is validated by :mod:`vungcao.engine.choropleth`. Problems are reported by feature number
(the first feature is 1). Nothing is written unless every feature is clean; importing the same file
again changes nothing.
"""

import json
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import PermissionDeniedError
from vungcao.common.files import GEOJSON_SUFFIXES
from vungcao.common.importing import ImportPlan, Rows, cell
from vungcao.engine import geometry
from vungcao.geo.models import AdministrativeUnit, Era, UnitBoundary

BOUNDARY_COLUMNS = ("code", "era", "name", "geometry")

NOT_ALLOWED = gettext_lazy("Only administrators may import unit boundaries.")
NOT_GEOJSON = gettext_lazy("Boundaries are imported from a GeoJSON file (.geojson or .json).")
REQUIRED = gettext_lazy("This property is required.")
UNKNOWN_ERA = gettext_lazy("Unknown era; use one of: {eras}.")
UNKNOWN_CODE = gettext_lazy("No administrative unit has this code.")
LOST_ZEROS = gettext_lazy(
    "No administrative unit has this code; codes keep their leading zeros (did you mean {code}?)."
)
WRONG_ERA = gettext_lazy("No unit of era {era} has this code; a unit of era {other} has it.")
DUPLICATE_UNIT = gettext_lazy("The same unit is already drawn by feature {feature}.")
MISSING_GEOMETRY = gettext_lazy("The feature has no geometry.")
NOT_JSON = gettext_lazy("The geometry is not valid JSON.")

# The reason of each geometry problem in the reader's language, filled with the engine's parameters.
GEOMETRY_MESSAGES = {
    geometry.NOT_AN_OBJECT: gettext_lazy("The geometry is not a GeoJSON object."),
    geometry.UNSUPPORTED_TYPE: gettext_lazy(
        "The geometry is a {type}; only Polygon and MultiPolygon boundaries can be drawn."
    ),
    geometry.BAD_STRUCTURE: gettext_lazy(
        "The coordinates of polygon {polygon} are not nested lists of rings of positions."
    ),
    geometry.EMPTY: gettext_lazy("The geometry has no polygon."),
    geometry.BAD_POSITION: gettext_lazy(
        "Polygon {polygon}, ring {ring}, position {position} is not a pair of numbers (longitude, latitude)."
    ),
    geometry.NOT_FINITE: gettext_lazy(
        "Polygon {polygon}, ring {ring}, position {position} is not a finite number."
    ),
    geometry.OUT_OF_BOUNDS: gettext_lazy(
        "Polygon {polygon}, ring {ring}, position {position} ({longitude}, {latitude}) lies outside "
        "Vietnam (longitude 101.5–118, latitude 6–24)."
    ),
    geometry.SWAPPED: gettext_lazy(
        "Polygon {polygon}, ring {ring}, position {position} ({longitude}, {latitude}) lies outside "
        "Vietnam; longitude and latitude seem swapped (GeoJSON writes the longitude first)."
    ),
    geometry.PROJECTED: gettext_lazy(
        "Polygon {polygon}, ring {ring}, position {position} ({longitude}, {latitude}) is not in degrees; "
        "export the file as WGS 84 longitude/latitude (EPSG:4326), not in a projected system such as VN-2000."
    ),
    geometry.RING_TOO_SHORT: gettext_lazy(
        "Polygon {polygon}, ring {ring} has {count} positions; a ring needs at least 4."
    ),
    geometry.RING_NOT_CLOSED: gettext_lazy(
        "Polygon {polygon}, ring {ring} is not closed: its last position differs from its first."
    ),
    geometry.RING_DEGENERATE: gettext_lazy(
        "Polygon {polygon}, ring {ring} has fewer than 3 distinct positions: it has no area."
    ),
}


def geometry_problem(error: geometry.GeometryError) -> str:
    """The engine's reason for a refused geometry, translated."""
    return str(GEOMETRY_MESSAGES[error.code]).format(**error.params)


def _geometry(text: str) -> geometry.Geometry | str:
    """The validated geometry of a feature, or the reason it is refused."""
    if not text:
        return str(MISSING_GEOMETRY)
    try:
        value = json.loads(text)
    except ValueError:
        return str(NOT_JSON)
    try:
        return geometry.parse_geometry(value)
    except geometry.GeometryError as error:
        return geometry_problem(error)


def _padded(code: str) -> list[str]:
    """A code a spreadsheet or GIS read as a number (``6970``) with its zeros back (``06970``)."""
    if not code.isdigit():
        return []
    return [code.zfill(width) for width in (2, 3, 5) if width > len(code)]


def _shown(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def boundaries_plan(*, user: User, rows: Rows, source: str) -> ImportPlan:
    """Plan the boundaries of a GeoJSON file: one feature per unit, every feature checked."""
    if not access.can_manage_reference_data(user):
        raise PermissionDeniedError(str(NOT_ALLOWED))
    plan = ImportPlan()
    report = plan.report
    if Path(source).suffix.lower() not in GEOJSON_SUFFIXES:
        report.add(1, "", source, str(NOT_GEOJSON))
        return plan
    codes = {cell(row, "code") for row in rows}
    codes |= {padded for code in codes for padded in _padded(code)}
    units: dict[tuple[str, str], AdministrativeUnit] = {
        (unit.era, unit.code): unit for unit in AdministrativeUnit.objects.filter(code__in=codes)
    }
    eras_of: dict[str, list[str]] = {}
    for era, code in sorted(units):
        eras_of.setdefault(code, []).append(era)
    seen: dict[tuple[str, str], int] = {}
    wanted: list[tuple[AdministrativeUnit, geometry.Geometry]] = []
    for number, row in enumerate(rows, start=1):
        code, era = cell(row, "code"), cell(row, "era") or Era.CURRENT
        unit: AdministrativeUnit | None = None
        if not code:
            report.add(number, "code", code, str(REQUIRED))
        elif era not in Era.values:
            report.add(number, "era", era, str(UNKNOWN_ERA).format(eras=", ".join(Era.values)))
        elif (era, code) in seen:
            report.add(number, "code", code, str(DUPLICATE_UNIT).format(feature=seen[(era, code)]))
        else:
            seen[(era, code)] = number
            unit = units.get((era, code))
            if unit is None and code in eras_of:
                report.add(number, "era", era, str(WRONG_ERA).format(era=era, other=", ".join(eras_of[code])))
            elif unit is None:
                guesses = [padded for padded in _padded(code) if padded in eras_of]
                reason = str(LOST_ZEROS).format(code=guesses[0]) if guesses else str(UNKNOWN_CODE)
                report.add(number, "code", code, reason)
        outline = _geometry(cell(row, "geometry"))
        if isinstance(outline, str):
            report.add(number, "geometry", _shown(cell(row, "geometry")), outline)
        elif unit is not None:
            wanted.append((unit, outline))
    if not report.ok:
        return plan
    stored = {
        boundary.unit_id: boundary
        for boundary in UnitBoundary.objects.filter(unit__in=[unit for unit, _geometry in wanted])
    }
    now = timezone.now()
    to_create: list[UnitBoundary] = []
    to_update: list[UnitBoundary] = []
    for unit, outline in wanted:
        text = outline.to_json()
        west, south, east, north = outline.bbox
        boundary = stored.get(unit.pk)
        if boundary is None:
            to_create.append(
                UnitBoundary(
                    unit=unit,
                    geometry=text,
                    west=west,
                    south=south,
                    east=east,
                    north=north,
                    source=source[:255],
                    imported_at=now,
                )
            )
        elif (boundary.geometry, boundary.source) != (text, source[:255]):
            boundary.geometry, boundary.source, boundary.imported_at = text, source[:255], now
            boundary.updated_at = now
            boundary.west, boundary.south, boundary.east, boundary.north = west, south, east, north
            to_update.append(boundary)
        else:
            plan.unchanged += 1

    def write() -> None:
        UnitBoundary.objects.bulk_create(to_create, batch_size=500)
        UnitBoundary.objects.bulk_update(
            to_update,
            ["geometry", "west", "south", "east", "north", "source", "imported_at", "updated_at"],
            batch_size=500,
        )

    plan.created, plan.updated, plan.write = len(to_create), len(to_update), write
    return plan
