"""Boundary validation, projection, simplification, classes and the SVG choropleth, without a database."""

import math
import xml.etree.ElementTree as ElementTree

import pytest

from vungcao.engine import choropleth, geometry
from vungcao.engine.choropleth import (
    MapLabels,
    MapLayout,
    MapUnit,
    Projection,
    check_breaks,
    class_of,
    douglas_peucker,
    format_percent,
    quantile_breaks,
    render_choropleth,
    simplify_ring,
)
from vungcao.engine.geometry import GeometryError, parse_geometry

SVG = "{http://www.w3.org/2000/svg}"


def square(lon: float, lat: float, side: float = 0.1) -> list[list[float]]:
    return [[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]


def polygon(*rings: list[list[float]]) -> dict[str, object]:
    return {"type": "Polygon", "coordinates": list(rings)}


def refused(value: object) -> GeometryError:
    with pytest.raises(GeometryError) as caught:
        parse_geometry(value)
    return caught.value


# --- Validation ------------------------------------------------------------------------------------


def test_given_a_polygon_with_a_hole_then_it_is_read_with_its_bounding_box_and_canonical_text() -> None:
    geometry = parse_geometry(polygon(square(107, 21, 1), square(107.25, 21.25, 0.5)))
    assert geometry.kind == "Polygon"
    assert len(geometry.polygons) == 1
    assert len(geometry.polygons[0]) == 2
    assert geometry.bbox == (107.0, 21.0, 108.0, 22.0)
    assert geometry.to_json() == (
        '{"type":"Polygon","coordinates":[[[107.0,21.0],[108.0,21.0],[108.0,22.0],[107.0,22.0],[107.0,21.0]],'
        "[[107.25,21.25],[107.75,21.25],[107.75,21.75],[107.25,21.75],[107.25,21.25]]]}"
    )
    assert parse_geometry(geometry.to_geojson()) == geometry


def test_a_multipolygon_keeps_every_polygon_and_its_type() -> None:
    geometry = parse_geometry({"type": "MultiPolygon", "coordinates": [[square(107, 21)], [square(108, 22)]]})
    assert geometry.kind == "MultiPolygon"
    assert len(geometry.polygons) == 2
    assert geometry.bbox == (107.0, 21.0, 108.1, 22.1)
    assert geometry.to_geojson()["type"] == "MultiPolygon"


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("not a geometry", geometry.NOT_AN_OBJECT, "The geometry is not a GeoJSON object."),
        (
            {"type": "Point", "coordinates": [107, 21]},
            geometry.UNSUPPORTED_TYPE,
            "The geometry is a Point; only Polygon and MultiPolygon boundaries can be drawn.",
        ),
        (
            {"coordinates": []},
            geometry.UNSUPPORTED_TYPE,
            "The geometry is a null; only Polygon and MultiPolygon boundaries can be drawn.",
        ),
        (
            {"type": "Polygon", "coordinates": "107 21"},
            geometry.BAD_STRUCTURE,
            "The coordinates of polygon 1 are not nested lists of rings of positions.",
        ),
        ({"type": "MultiPolygon", "coordinates": []}, geometry.EMPTY, "The geometry has no polygon."),
        (
            polygon([[107, 21], [107.1, "21"], [107.1, 21.1], [107, 21]]),
            geometry.BAD_POSITION,
            "Polygon 1, ring 1, position 2 is not a pair of numbers (longitude, latitude).",
        ),
        (
            polygon([[107, 21], [107.1, 21], [107.1, math.nan], [107, 21]]),
            geometry.NOT_FINITE,
            "Polygon 1, ring 1, position 3 is not a finite number.",
        ),
        (
            polygon(square(120, 21)),
            geometry.OUT_OF_BOUNDS,
            "Polygon 1, ring 1, position 1 (120, 21) lies outside Vietnam (longitude 101.5–118, latitude 6–24).",
        ),
        (
            polygon([[21, 107], [21, 107.1], [21.1, 107.1], [21, 107]]),
            geometry.SWAPPED,
            "Polygon 1, ring 1, position 1 (21, 107) lies outside Vietnam; longitude and latitude seem "
            "swapped (GeoJSON writes the longitude first).",
        ),
        (
            polygon([[430000, 2350000], [431000, 2350000], [431000, 2351000], [430000, 2350000]]),
            geometry.PROJECTED,
            "Polygon 1, ring 1, position 1 (430000, 2.35e+06) is not in degrees; export the file as WGS 84 "
            "longitude/latitude (EPSG:4326), not in a projected system such as VN-2000.",
        ),
        (
            polygon([[107, 21], [107.1, 21], [107, 21]]),
            geometry.RING_TOO_SHORT,
            "Polygon 1, ring 1 has 3 positions; a ring needs at least 4.",
        ),
        (
            polygon(square(107, 21), [[107, 21], [107.1, 21], [107.1, 21.1], [107, 21.1]]),
            geometry.RING_NOT_CLOSED,
            "Polygon 1, ring 2 is not closed: its last position differs from its first.",
        ),
        (
            polygon([[107, 21], [107.1, 21], [107, 21], [107.1, 21], [107, 21]]),
            geometry.RING_DEGENERATE,
            "Polygon 1, ring 1 has fewer than 3 distinct positions: it has no area.",
        ),
    ],
)
def test_every_refused_geometry_has_its_code_and_message(value: object, code: str, message: str) -> None:
    error = refused(value)
    assert (error.code, error.message, str(error)) == (code, message, message)


def test_the_error_names_the_polygon_of_a_multipolygon_and_carries_its_parameters() -> None:
    error = refused({"type": "MultiPolygon", "coordinates": [[square(107, 21)], [square(107, 25)]]})
    assert error.code == geometry.OUT_OF_BOUNDS
    assert error.params == {"polygon": 2, "ring": 1, "position": 1, "longitude": "107", "latitude": "25"}


def test_the_island_special_zones_lie_inside_the_accepted_extent() -> None:
    truong_sa = parse_geometry(polygon(square(114.3, 8.6)))  # đặc khu Trường Sa
    assert truong_sa.bbox == pytest.approx((114.3, 8.6, 114.4, 8.7))


# --- Classes ---------------------------------------------------------------------------------------


def test_quantile_breaks_interpolate_and_merge_equal_bounds() -> None:
    assert quantile_breaks([0.5, 0.1, 0.3, 0.2, 0.4], 2) == (0.1, 0.3, 0.5)
    assert quantile_breaks([0.0, 1.0], 4) == (0.0, 0.25, 0.5, 0.75, 1.0)
    assert quantile_breaks([0.2, 0.2, 0.2, 0.9], 4) == (0.2, 0.375, 0.9)
    assert quantile_breaks([0.3, 0.3], 5) == (0.3, 0.3)
    assert quantile_breaks([], 5) == ()
    with pytest.raises(ValueError, match="between 1 and 9 classes"):
        quantile_breaks([1.0], 10)


def test_classes_are_closed_below_and_the_last_class_is_closed_above() -> None:
    breaks = (0.0, 0.1, 0.3, 1.0)
    assert [class_of(v, breaks) for v in (0.0, 0.0999, 0.1, 0.29, 0.3, 1.0)] == [0, 0, 1, 1, 2, 2]
    assert class_of(0.3, (0.3, 0.3)) == 0
    with pytest.raises(ValueError, match="outside the breaks"):
        class_of(1.01, breaks)


def test_caller_breaks_must_be_finite_increasing_and_at_most_nine_classes() -> None:
    assert check_breaks([0, 0.5, 1]) == (0.0, 0.5, 1.0)
    for bad in ([0.5], [0, 0.5, 0.5], [1, 0], [0, math.inf], list(range(11))):
        with pytest.raises(ValueError, match="breaks"):
            check_breaks(bad)


def test_every_palette_is_sequential_from_light_to_dark() -> None:
    def luminance(colour: str) -> float:
        red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    for count, palette in choropleth.PALETTES.items():
        assert len(palette) == count
        shades = [luminance(colour) for colour in palette]
        assert shades == sorted(shades, reverse=True), count


# --- Projection and simplification -----------------------------------------------------------------


def test_the_projection_scales_longitude_by_the_cosine_of_the_middle_latitude_and_centres() -> None:
    project = Projection.fit((104.0, 20.0, 106.0, 22.0), left=0, top=0, width=100, height=100)
    cos21 = math.cos(math.radians(21))
    assert project.scale == 50
    assert project(104.0, 22.0) == pytest.approx(((100 - 100 * cos21) / 2, 0.0))
    assert project(106.0, 20.0) == pytest.approx(((100 + 100 * cos21) / 2, 100.0))
    assert project(105.0, 21.0) == pytest.approx((50.0, 50.0))


def test_douglas_peucker_drops_points_within_the_tolerance_and_keeps_a_spike() -> None:
    line = [(0.0, 0.0), (1.0, 0.1), (2.0, -0.1), (3.0, 5.0), (4.0, 0.0), (5.0, 0.0)]
    assert douglas_peucker(line, 0.5) == [(0.0, 0.0), (2.0, -0.1), (3.0, 5.0), (4.0, 0.0), (5.0, 0.0)]
    assert douglas_peucker([(0.0, 0.0), (1.0, 0.2), (2.0, 0.0)], 0.5) == [(0.0, 0.0), (2.0, 0.0)]


def test_a_ring_keeps_its_corners_and_a_ring_below_a_triangle_disappears() -> None:
    edge = [(float(x), 0.0) for x in range(10)]
    ring = [
        *edge,
        *((10.0, float(y)) for y in range(10)),
        *((10.0 - x, 10.0) for x in range(10)),
        *((0.0, 10.0 - y) for y in range(10)),
        (0.0, 0.0),
    ]
    assert simplify_ring(ring, 0.5) == [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (0.0, 0.0)]
    assert simplify_ring([(0.0, 0.0), (0.1, 0.0), (0.1, 0.1), (0.0, 0.0)], 0.5) is None


# --- Rendering -------------------------------------------------------------------------------------


def unit(code: str, name: str, lon: float, value: float | None, side: float = 0.1) -> MapUnit:
    return MapUnit(code, name, parse_geometry(polygon(square(lon, 21.0, side))), value)


SMALL = MapLayout(width=300, legend_width=100)


def test_given_two_units_then_the_svg_is_exactly_the_golden_one() -> None:
    units = [unit("06970", "Ba Chẽ", 107.0, 0.25), unit("06862", "Tiên Yên", 107.1, None)]
    svg = render_choropleth(units, MapLabels(title="T"), breaks=(0, 0.5), layout=SMALL)
    assert svg == (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 217" width="300" height="217" role="img" '
        'aria-labelledby="choropleth-title" class="choropleth" style="max-width:100%;height:auto" '
        'font-family="Noto Sans, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif" font-size="12" '
        'fill="#1f2933"><title id="choropleth-title">T</title><defs><pattern id="choropleth-no-data" '
        'width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" '
        'height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#8c8c8c" stroke-width="2"/>'
        '</pattern></defs><rect width="300" height="217" fill="#ffffff"/><text x="12" y="28" font-size="16" '
        'font-weight="bold" aria-hidden="true">T</text><g class="units" stroke="#404040" stroke-width="0.75" '
        'stroke-linejoin="round" fill-rule="evenodd"><path d="M12.0 168.9L94.0 168.9L94.0 81.1L12.0 81.1Z" '
        'fill="#fd8d3c" class="choropleth-class-1" data-code="06970"><title>Ba Chẽ: 0.25</title></path>'
        '<path d="M94.0 168.9L176.0 168.9L176.0 81.1L94.0 81.1Z" fill="url(#choropleth-no-data)" '
        'class="choropleth-no-data" data-code="06862"><title>Tiên Yên: No data</title></path></g>'
        '<g class="legend"><g class="choropleth-class-1"><rect x="188" y="45" width="22" height="14" '
        'fill="#fd8d3c" stroke="#404040" stroke-width="0.75"/><text x="216" y="57">0 – 0.5 (1)</text></g>'
        '<g class="choropleth-no-data"><rect x="188" y="65" width="22" height="14" '
        'fill="url(#choropleth-no-data)" stroke="#404040" stroke-width="0.75"/><text x="216" y="77">'
        "No data (1)</text></g></g></svg>"
    )
    assert render_choropleth(units, MapLabels(title="T"), breaks=(0, 0.5), layout=SMALL) == svg


def legend_texts(svg: str) -> list[str]:
    root = ElementTree.fromstring(svg)
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
    return [t.text or "" for t in legend.iter(f"{SVG}text")]


def test_the_legend_has_one_range_per_quantile_class_with_its_count_and_the_no_data_swatch() -> None:
    units = [unit(f"0{i}", f"Xã {i}", 107 + i / 10, v) for i, v in enumerate([0.1, 0.2, 0.3, 0.4, None])]
    svg = render_choropleth(
        units,
        MapLabels(title="Poverty rate", legend_title="Share of households", no_data="Không có số liệu"),
        classes=2,
        format_value=format_percent,
    )
    assert legend_texts(svg) == [
        "Share of households",
        "10.0% – 25.0% (2)",
        "25.0% – 40.0% (2)",
        "Không có số liệu (1)",
    ]
    paths = list(ElementTree.fromstring(svg).iter(f"{SVG}path"))
    assert [(p.get("data-code"), p.get("fill"), p.get("class")) for p in paths] == [
        ("00", "#fecc5c", "choropleth-class-1"),
        ("01", "#fecc5c", "choropleth-class-1"),
        ("02", "#e31a1c", "choropleth-class-2"),
        ("03", "#e31a1c", "choropleth-class-2"),
        ("04", "url(#choropleth-no-data)", "choropleth-no-data"),
    ]
    assert [p.find(f"{SVG}title").text for p in paths] == [  # type: ignore[union-attr]
        "Xã 0: 10.0%",
        "Xã 1: 20.0%",
        "Xã 2: 30.0%",
        "Xã 3: 40.0%",
        "Xã 4: Không có số liệu",
    ]


def test_without_any_value_every_unit_is_no_data_and_the_legend_has_only_that_swatch() -> None:
    svg = render_choropleth([unit("01", "A", 107, None)], MapLabels(title="T"))
    assert legend_texts(svg) == ["No data (1)"]


def test_every_text_is_escaped_and_the_svg_stays_well_formed() -> None:
    hostile = "Xã <script>alert(\"x\")</script> & 'Bản'\x00\x0b"
    svg = render_choropleth(
        [unit('0"1', hostile, 107, 0.5)],
        MapLabels(title=hostile, legend_title=hostile, no_data=hostile, description=hostile),
        layout=MapLayout(id_prefix='bad" id'),
    )
    assert "<script" not in svg
    assert "\x00" not in svg
    assert "\x0b" not in svg
    assert "Xã &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;Bản&#x27;" in svg
    assert 'data-code="0&quot;1"' in svg
    assert 'id="bad--id-title"' in svg
    root = ElementTree.fromstring(svg)
    assert root.find(f"{SVG}title").text == "Xã <script>alert(\"x\")</script> & 'Bản'"  # type: ignore[union-attr]
    assert root.get("aria-labelledby") == "bad--id-title bad--id-desc"


def test_outlines_are_simplified_to_keep_the_svg_small() -> None:
    steps = 2000
    ring = [
        [107 + 0.5 * math.cos(2 * math.pi * i / steps), 21 + 0.5 * math.sin(2 * math.pi * i / steps)]
        for i in range(steps)
    ]
    circle = MapUnit("01", "A", parse_geometry(polygon([*ring, ring[0]])), 0.3)
    svg = render_choropleth([circle], MapLabels(title="T"))
    d = next(ElementTree.fromstring(svg).iter(f"{SVG}path")).get("d") or ""
    assert 20 < d.count("L") < 150
    assert len(svg) < 5000


def test_a_value_outside_the_caller_breaks_is_refused() -> None:
    with pytest.raises(ValueError, match="outside the breaks"):
        render_choropleth([unit("01", "A", 107, 1.5)], MapLabels(title="T"), breaks=(0, 1))
    with pytest.raises(ValueError, match="no unit"):
        render_choropleth([], MapLabels(title="T"))


def test_a_stored_geometry_loads_back_to_the_validated_one() -> None:
    outline = parse_geometry({"type": "MultiPolygon", "coordinates": [[square(107, 21)], [square(108, 22)]]})
    assert geometry.load_geometry(outline.to_json()) == outline


def test_a_hole_is_drawn_as_its_own_subpath_and_an_island_below_a_pixel_is_left_out() -> None:
    geometry = parse_geometry(
        {
            "type": "MultiPolygon",
            "coordinates": [
                [square(107, 21, 1), square(107.25, 21.25, 0.5)],
                [square(108.5, 21.5, 0.0001)],
            ],
        }
    )
    project = Projection.fit(geometry.bbox, left=0, top=0, width=100, height=100)
    d = choropleth.svg_path(geometry.polygons, project, 0.5)
    assert d.count("M") == 2
    assert d.count("Z") == 2
