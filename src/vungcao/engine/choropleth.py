"""Choropleth maps drawn as SVG, offline (bản đồ phân vùng).

No tiles, no script, no font from the internet: a map is one self-contained SVG string drawn from the
boundaries a deployment imported (validated by :mod:`vungcao.engine.geometry`).

:func:`render_choropleth` projects the units (equirectangular, longitude scaled by the cosine of the
middle latitude), simplifies their outlines to about half a pixel (Douglas–Peucker) and draws one
``<path>`` per unit with a ``<title>``, coloured by class from a colour-blind-safe sequential palette
(ColorBrewer YlOrRd, lightness rising with the value so that it reads in grey-scale print), with a
legend of the class ranges and a hatched "no data" swatch. All text is escaped; the same input gives the
same bytes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from itertools import pairwise

from vungcao.engine.geometry import BoundingBox, Geometry, Polygon, Ring, bounding_box

# --- Classes and colours ---------------------------------------------------------------------------

# ColorBrewer 2.0 YlOrRd (Cynthia A. Brewer, Pennsylvania State University; Apache-2.0 licence):
# sequential, colour-blind safe, lightness falls as the value rises.
PALETTES: Mapping[int, tuple[str, ...]] = {
    1: ("#fd8d3c",),
    2: ("#fecc5c", "#e31a1c"),
    3: ("#ffeda0", "#feb24c", "#f03b20"),
    4: ("#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"),
    5: ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"),
    6: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"),
    7: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"),
    8: ("#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"),
    9: ("#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026"),
}
MAX_CLASSES = max(PALETTES)
STROKE = "#404040"


def quantile_breaks(values: Iterable[float], classes: int = 5) -> tuple[float, ...]:
    """Class bounds ``(minimum, …, maximum)`` at quantiles of ``values`` (linear interpolation).

    Equal bounds are merged, so fewer classes come out when many values are equal; one value (or many
    equal ones) gives ``(v, v)``: one class. No value gives ``()``.
    """
    if not 1 <= classes <= MAX_CLASSES:
        raise ValueError(f"between 1 and {MAX_CLASSES} classes, not {classes}")
    ordered = sorted(v for v in values if math.isfinite(v))
    if not ordered:
        return ()
    last = len(ordered) - 1
    bounds = [ordered[0]]
    for step in range(1, classes):
        place = step * last / classes
        low = math.floor(place)
        high = min(low + 1, last)
        bound = ordered[low] + (ordered[high] - ordered[low]) * (place - low)
        if bound > bounds[-1]:
            bounds.append(bound)
    if ordered[-1] > bounds[-1] or len(bounds) == 1:
        bounds.append(ordered[-1])
    return tuple(bounds)


def check_breaks(breaks: Sequence[float]) -> tuple[float, ...]:
    """Caller-given class bounds: finite, increasing (or one ``(v, v)`` class), at most 9 classes."""
    bounds = tuple(float(b) for b in breaks)
    if len(bounds) < 2 or len(bounds) - 1 > MAX_CLASSES:
        raise ValueError(f"breaks need 2 to {MAX_CLASSES + 1} bounds, not {len(bounds)}")
    if not all(math.isfinite(b) for b in bounds):
        raise ValueError("breaks must be finite numbers")
    if bounds != (bounds[0], bounds[0]) and any(low >= high for low, high in pairwise(bounds)):
        raise ValueError(f"breaks must increase: {bounds}")
    return bounds


def class_of(value: float, breaks: Sequence[float]) -> int:
    """The class (0-based) of ``value``: ``breaks[i] <= value < breaks[i + 1]``, the last class closed."""
    if not breaks[0] <= value <= breaks[-1]:
        raise ValueError(f"the value {value} lies outside the breaks {tuple(breaks)}")
    classes = len(breaks) - 1
    for index in range(classes):
        if value < breaks[index + 1]:
            return index
    return classes - 1


# --- Projection and simplification -------------------------------------------------------------------

Point = tuple[float, float]


@dataclass(frozen=True)
class Projection:
    """Equirectangular: x grows with longitude times cos(middle latitude), y grows southwards."""

    west: float
    north: float
    cos_latitude: float
    scale: float  # pixels per degree of latitude
    left: float
    top: float

    @classmethod
    def fit(cls, bbox: BoundingBox, *, left: float, top: float, width: float, height: float) -> Projection:
        west, south, east, north = bbox
        cos_latitude = math.cos(math.radians((south + north) / 2))
        span_x = max((east - west) * cos_latitude, 1e-9)
        span_y = max(north - south, 1e-9)
        scale = min(width / span_x, height / span_y)
        # Centre the drawing in the box.
        left += (width - span_x * scale) / 2
        top += (height - span_y * scale) / 2
        return cls(west, north, cos_latitude, scale, left, top)

    def __call__(self, lon: float, lat: float) -> Point:
        return (
            self.left + (lon - self.west) * self.cos_latitude * self.scale,
            self.top + (self.north - lat) * self.scale,
        )

    def ring(self, points: Ring) -> list[Point]:
        x_scale, x0 = self.cos_latitude * self.scale, self.left - self.west * self.cos_latitude * self.scale
        y_scale, y0 = self.scale, self.top + self.north * self.scale
        return [(x0 + lon * x_scale, y0 - lat * y_scale) for lon, lat in points]


def _segment_distance(point: Point, start: Point, end: Point) -> float:
    dx, dy = end[0] - start[0], end[1] - start[1]
    if dx == 0 and dy == 0:
        return math.hypot(point[0] - start[0], point[1] - start[1])
    t = max(0.0, min(1.0, ((point[0] - start[0]) * dx + (point[1] - start[1]) * dy) / (dx * dx + dy * dy)))
    return math.hypot(point[0] - start[0] - t * dx, point[1] - start[1] - t * dy)


def douglas_peucker(points: Sequence[Point], tolerance: float) -> list[Point]:
    """The points of an open line kept by Douglas–Peucker (iterative; the ends are always kept)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, distance = first, -1.0
        for index in range(first + 1, last):
            d = _segment_distance(points[index], points[first], points[last])
            if d > distance:
                farthest, distance = index, d
        if distance > tolerance:
            keep[farthest] = True
            stack.append((first, farthest))
            stack.append((farthest, last))
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def simplify_ring(points: Sequence[Point], tolerance: float) -> list[Point] | None:
    """A closed ring simplified to ``tolerance``; None when it shrinks below a triangle."""
    # First drop the points closer than ``tolerance`` to the last one kept (cheap), then Douglas–Peucker.
    distinct: list[Point] = []
    last_x = last_y = math.inf
    squared = tolerance * tolerance
    for x, y in points[:-1]:  # the closing position repeats the first
        if (x - last_x) ** 2 + (y - last_y) ** 2 > squared:
            distinct.append((x, y))
            last_x, last_y = x, y
    if len(distinct) < 3:
        return None
    # Split the ring at the position farthest from its first, and simplify both halves.
    far = max(range(len(distinct)), key=lambda i: math.hypot(*_minus(distinct[i], distinct[0])))
    first = douglas_peucker(distinct[: far + 1], tolerance)
    second = douglas_peucker([*distinct[far:], distinct[0]], tolerance)
    kept = first + second[1:-1]
    if len(kept) < 3:
        return None
    return [*kept, kept[0]]


def _minus(a: Point, b: Point) -> Point:
    return (a[0] - b[0], a[1] - b[1])


def _number(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def svg_path(polygons: Sequence[Polygon], project: Projection, tolerance: float) -> str:
    """The ``d`` attribute of a unit: every ring projected and simplified; tiny islands and holes drop."""
    parts: list[str] = []
    largest: tuple[float, list[Point]] | None = None
    for polygon in polygons:
        projected_exterior = project.ring(polygon[0])
        exterior = simplify_ring(projected_exterior, tolerance)
        if exterior is None:
            size = _extent(projected_exterior)
            if largest is None or size > largest[0]:
                largest = (size, projected_exterior)
            continue
        parts.append(_ring_path(exterior))
        for hole in polygon[1:]:
            simplified = simplify_ring(project.ring(hole), tolerance)
            if simplified is not None:
                parts.append(_ring_path(simplified))
    if not parts and largest is not None:
        # A unit smaller than a pixel is still drawn, as it is.
        parts.append(_ring_path(largest[1]))
    return "".join(parts)


def _extent(points: Sequence[Point]) -> float:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return max(xs) - min(xs) + max(ys) - min(ys)


def _ring_path(points: Sequence[Point]) -> str:
    head, *rest = points[:-1]
    return (
        "M"
        + _number(head[0])
        + " "
        + _number(head[1])
        + "".join("L" + _number(x) + " " + _number(y) for x, y in rest)
        + "Z"
    )


# --- Rendering -------------------------------------------------------------------------------------

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def text(value: object) -> str:
    """Escaped for XML text and attributes, without the control characters XML forbids."""
    return escape(_NOT_XML.sub("", str(value)), quote=True)


def format_number(value: float) -> str:
    return f"{value:g}"


def format_percent(value: float) -> str:
    """A rate 0–1 as a percentage with one decimal: ``0.125`` → ``12.5%``."""
    return f"{value * 100:.1f}%"


@dataclass(frozen=True)
class MapUnit:
    """One unit to draw: its code, name, validated boundary and value (None: no data)."""

    code: str
    name: str
    geometry: Geometry
    value: float | None = None


@dataclass(frozen=True)
class MapLabels:
    """The words of a map, passed in the reader's language by the caller."""

    title: str
    legend_title: str = ""
    no_data: str = "No data"
    description: str = ""


@dataclass(frozen=True)
class MapLayout:
    width: int = 760
    legend_width: int = 210
    max_map_height: int = 720
    padding: int = 12
    title_size: int = 16
    text_size: int = 12
    tolerance: float = 0.5  # pixels: outlines simplified to half a pixel
    id_prefix: str = "choropleth"


def _wrap(words: str, limit: int) -> list[str]:
    lines: list[str] = []
    for word in words.split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def render_choropleth(
    units: Sequence[MapUnit],
    labels: MapLabels,
    *,
    breaks: Sequence[float] | None = None,
    classes: int = 5,
    format_value: Callable[[float], str] = format_number,
    layout: MapLayout | None = None,
) -> str:
    """An accessible SVG choropleth of ``units``: classes at ``breaks`` (bounds, from the lowest to the
    highest) or at quantiles of the values in ``classes`` classes."""
    if not units:
        raise ValueError("no unit to draw")
    layout = layout or MapLayout()
    values = [unit.value for unit in units if unit.value is not None]
    if any(not math.isfinite(value) for value in values):
        raise ValueError("values must be finite numbers")
    bounds = check_breaks(breaks) if breaks is not None else quantile_breaks(values, classes)
    class_count = len(bounds) - 1 if bounds else 0
    palette = PALETTES.get(class_count, ())
    unit_classes = [None if unit.value is None else class_of(unit.value, bounds) for unit in units]
    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", layout.id_prefix)
    pad, size = layout.padding, layout.text_size

    # Title (wrapped), then the map on the left and the legend on the right.
    title_lines = _wrap(labels.title, max(10, int((layout.width - 2 * pad) / (layout.title_size * 0.55))))
    title_height = len(title_lines) * round(layout.title_size * 1.3)
    map_top = pad + title_height + pad
    map_width = layout.width - layout.legend_width - 3 * pad
    bbox = bounding_box(unit.geometry for unit in units)
    west, south, east, north = bbox
    cos_latitude = math.cos(math.radians((south + north) / 2))
    aspect = max(north - south, 1e-9) / max((east - west) * cos_latitude, 1e-9)
    map_height = min(layout.max_map_height, max(160, round(map_width * aspect)))
    project = Projection.fit(bbox, left=pad, top=map_top, width=map_width, height=map_height)

    legend_left = layout.width - layout.legend_width - pad
    legend: list[str] = []
    y = map_top
    legend_lines = (
        _wrap(labels.legend_title, int(layout.legend_width / (size * 0.55))) if labels.legend_title else []
    )
    for line in legend_lines:
        legend.append(f'<text x="{legend_left}" y="{y + size}" font-weight="bold">{text(line)}</text>')
        y += round(size * 1.4)
    if legend_lines:
        y += 4
    counts = [sum(1 for c in unit_classes if c == index) for index in range(class_count)]
    swatch_w, swatch_h, step = 22, 14, 20
    rows: list[tuple[str, str, str]] = [
        (
            f'fill="{palette[index]}"',
            f"{format_value(bounds[index])} – {format_value(bounds[index + 1])} ({counts[index]})",
            f"{prefix}-class-{index + 1}",
        )
        for index in range(class_count)
    ]
    missing = sum(1 for c in unit_classes if c is None)
    rows.append((f'fill="url(#{prefix}-no-data)"', f"{labels.no_data} ({missing})", f"{prefix}-no-data"))
    for fill, label, css in rows:
        legend.append(
            f'<g class="{css}"><rect x="{legend_left}" y="{y}" width="{swatch_w}" height="{swatch_h}" '
            f'{fill} stroke="{STROKE}" stroke-width="0.75"/>'
            f'<text x="{legend_left + swatch_w + 6}" y="{y + swatch_h - 2}">{text(label)}</text></g>'
        )
        y += step
    height = max(map_top + map_height, y) + pad

    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {layout.width} {height}" '
        f'width="{layout.width}" height="{height}" role="img" '
        f'aria-labelledby="{prefix}-title{f" {prefix}-desc" if labels.description else ""}" '
        f'class="choropleth" style="max-width:100%;height:auto" '
        f'font-family="Noto Sans, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif" '
        f'font-size="{size}" fill="#1f2933">',
        f'<title id="{prefix}-title">{text(labels.title)}</title>',
    ]
    if labels.description:
        out.append(f'<desc id="{prefix}-desc">{text(labels.description)}</desc>')
    out.append(
        f'<defs><pattern id="{prefix}-no-data" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="#8c8c8c" stroke-width="2"/></pattern></defs>'
    )
    out.append(f'<rect width="{layout.width}" height="{height}" fill="#ffffff"/>')
    for number, line in enumerate(title_lines):
        baseline = pad + layout.title_size + number * round(layout.title_size * 1.3)
        out.append(
            f'<text x="{pad}" y="{baseline}" font-size="{layout.title_size}" font-weight="bold" '
            f'aria-hidden="true">{text(line)}</text>'
        )
    out.append(
        f'<g class="units" stroke="{STROKE}" stroke-width="0.75" stroke-linejoin="round" fill-rule="evenodd">'
    )
    for unit, unit_class in zip(units, unit_classes, strict=True):
        if unit_class is None:
            fill, css, shown = f"url(#{prefix}-no-data)", f"{prefix}-no-data", labels.no_data
        else:
            fill, css, shown = (
                palette[unit_class],
                f"{prefix}-class-{unit_class + 1}",
                format_value(unit.value or 0.0),
            )
        d = svg_path(unit.geometry.polygons, project, layout.tolerance)
        out.append(
            f'<path d="{d}" fill="{fill}" class="{css}" data-code="{text(unit.code)}">'
            f"<title>{text(unit.name)}: {text(shown)}</title></path>"
        )
    out.append("</g>")
    out.append(f'<g class="legend">{"".join(legend)}</g>')
    out.append("</svg>")
    return "".join(out)
