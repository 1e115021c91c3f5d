"""Boundary geometry (ranh giới đơn vị hành chính): GeoJSON polygons read and validated, offline.

:func:`parse_geometry` validates a GeoJSON geometry (``Polygon`` or ``MultiPolygon``, WGS 84
longitude/latitude within Vietnam's extent, closed rings of at least four positions) and raises a
:class:`GeometryError` with a code, the English reason and its parameters, so that a caller can show the
reason in the user's language. :mod:`vungcao.engine.choropleth` draws maps from these geometries.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

Position = tuple[float, float]
Ring = tuple[Position, ...]
Polygon = tuple[Ring, ...]  # the exterior ring, then its holes
BoundingBox = tuple[float, float, float, float]  # west, south, east, north

# Mainland Vietnam spans longitude 102.1–109.5 and latitude 8.4–23.4; the island special zones
# (đặc khu Hoàng Sa, Trường Sa) reach about 117.8 °E and 6.5 °N.
VIETNAM_BOUNDS: BoundingBox = (101.5, 6.0, 118.0, 24.0)

NOT_AN_OBJECT = "not_an_object"
UNSUPPORTED_TYPE = "unsupported_type"
BAD_STRUCTURE = "bad_structure"
EMPTY = "empty"
BAD_POSITION = "bad_position"
NOT_FINITE = "not_finite"
OUT_OF_BOUNDS = "out_of_bounds"
SWAPPED = "swapped"
PROJECTED = "projected"
RING_TOO_SHORT = "ring_too_short"
RING_NOT_CLOSED = "ring_not_closed"
RING_DEGENERATE = "ring_degenerate"

# The English reason of each code; the placeholders are the keys of ``GeometryError.params``.
MESSAGES: Mapping[str, str] = {
    NOT_AN_OBJECT: "The geometry is not a GeoJSON object.",
    UNSUPPORTED_TYPE: "The geometry is a {type}; only Polygon and MultiPolygon boundaries can be drawn.",
    BAD_STRUCTURE: "The coordinates of polygon {polygon} are not nested lists of rings of positions.",
    EMPTY: "The geometry has no polygon.",
    BAD_POSITION: (
        "Polygon {polygon}, ring {ring}, position {position} is not a pair of numbers (longitude, latitude)."
    ),
    NOT_FINITE: "Polygon {polygon}, ring {ring}, position {position} is not a finite number.",
    OUT_OF_BOUNDS: (
        "Polygon {polygon}, ring {ring}, position {position} ({longitude}, {latitude}) lies outside "
        "Vietnam (longitude 101.5–118, latitude 6–24)."
    ),
    SWAPPED: (
        "Polygon {polygon}, ring {ring}, position {position} ({longitude}, {latitude}) lies outside "
        "Vietnam; longitude and latitude seem swapped (GeoJSON writes the longitude first)."
    ),
    PROJECTED: (
        "Polygon {polygon}, ring {ring}, position {position} ({longitude}, {latitude}) is not in degrees; "
        "export the file as WGS 84 longitude/latitude (EPSG:4326), not in a projected system such as VN-2000."
    ),
    RING_TOO_SHORT: "Polygon {polygon}, ring {ring} has {count} positions; a ring needs at least 4.",
    RING_NOT_CLOSED: "Polygon {polygon}, ring {ring} is not closed: its last position differs from its first.",
    RING_DEGENERATE: "Polygon {polygon}, ring {ring} has fewer than 3 distinct positions: it has no area.",
}


class GeometryError(ValueError):
    """A geometry refused; ``code`` is one of the codes above and ``params`` fill its message."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params: dict[str, object] = params
        self.message = MESSAGES[code].format(**params)
        super().__init__(self.message)


@dataclass(frozen=True)
class Geometry:
    """A validated Polygon or MultiPolygon in longitude/latitude degrees."""

    kind: str  # "Polygon" or "MultiPolygon", as read
    polygons: tuple[Polygon, ...]

    @property
    def bbox(self) -> BoundingBox:
        return bounding_box([self])

    def to_geojson(self) -> dict[str, object]:
        def ring(points: Ring) -> list[list[float]]:
            return [[lon, lat] for lon, lat in points]

        polygons = [[ring(r) for r in polygon] for polygon in self.polygons]
        coordinates: object = polygons[0] if self.kind == "Polygon" else polygons
        return {"type": self.kind, "coordinates": coordinates}

    def to_json(self) -> str:
        """The canonical text: the same geometry always gives the same text."""
        return json.dumps(self.to_geojson(), separators=(",", ":"))


def bounding_box(geometries: Iterable[Geometry]) -> BoundingBox:
    west = south = math.inf
    east = north = -math.inf
    for geometry in geometries:
        for polygon in geometry.polygons:
            for lon, lat in polygon[0]:  # holes lie inside their exterior ring
                west, east = min(west, lon), max(east, lon)
                south, north = min(south, lat), max(north, lat)
    if west == math.inf:
        raise ValueError("no geometry to bound")
    return (west, south, east, north)


def _position(value: object, where: dict[str, int]) -> Position:
    if (
        not isinstance(value, list | tuple)
        or len(value) < 2
        or not all(isinstance(n, int | float) and not isinstance(n, bool) for n in value[:2])
    ):
        raise GeometryError(BAD_POSITION, **where)
    lon, lat = float(value[0]), float(value[1])
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise GeometryError(NOT_FINITE, **where)
    west, south, east, north = VIETNAM_BOUNDS
    if not (west <= lon <= east and south <= lat <= north):
        found = {**where, "longitude": _short(lon), "latitude": _short(lat)}
        if west <= lat <= east and south <= lon <= north:
            raise GeometryError(SWAPPED, **found)
        if abs(lon) > 360 or abs(lat) > 90:
            raise GeometryError(PROJECTED, **found)
        raise GeometryError(OUT_OF_BOUNDS, **found)
    return (lon, lat)


def _short(number: float) -> str:
    return f"{number:.6g}"


def _ring(value: object, polygon: int, ring: int) -> Ring:
    if not isinstance(value, list | tuple):
        raise GeometryError(BAD_STRUCTURE, polygon=polygon)
    points = tuple(
        _position(item, {"polygon": polygon, "ring": ring, "position": number})
        for number, item in enumerate(value, start=1)
    )
    if len(points) < 4:
        raise GeometryError(RING_TOO_SHORT, polygon=polygon, ring=ring, count=len(points))
    if points[0] != points[-1]:
        raise GeometryError(RING_NOT_CLOSED, polygon=polygon, ring=ring)
    if len(set(points)) < 3:
        raise GeometryError(RING_DEGENERATE, polygon=polygon, ring=ring)
    return points


def _polygon(value: object, polygon: int) -> Polygon:
    if not isinstance(value, list | tuple) or not value:
        raise GeometryError(BAD_STRUCTURE, polygon=polygon)
    return tuple(_ring(item, polygon, number) for number, item in enumerate(value, start=1))


def load_geometry(text: str) -> Geometry:
    """A geometry stored by :meth:`Geometry.to_json` after :func:`parse_geometry` validated it, read
    without checking each position again (ten times faster)."""
    value = json.loads(text)
    kind = value["type"]
    polygons = [value["coordinates"]] if kind == "Polygon" else value["coordinates"]
    return Geometry(
        kind,
        tuple(
            tuple(tuple((float(lon), float(lat)) for lon, lat, *_rest in ring) for ring in polygon)
            for polygon in polygons
        ),
    )


def parse_geometry(value: object) -> Geometry:
    """Validate a GeoJSON geometry object (as ``json.loads`` gives it); raise :class:`GeometryError`."""
    if not isinstance(value, Mapping):
        raise GeometryError(NOT_AN_OBJECT)
    kind = value.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        raise GeometryError(UNSUPPORTED_TYPE, type=str(kind) if kind is not None else "null")
    coordinates = value.get("coordinates")
    if not isinstance(coordinates, list | tuple):
        raise GeometryError(BAD_STRUCTURE, polygon=1)
    if not coordinates:
        raise GeometryError(EMPTY)
    if kind == "Polygon":
        return Geometry("Polygon", (_polygon(coordinates, 1),))
    return Geometry(
        "MultiPolygon", tuple(_polygon(item, number) for number, item in enumerate(coordinates, start=1))
    )
