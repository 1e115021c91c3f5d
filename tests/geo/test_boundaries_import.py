"""Unit boundaries imported from GeoJSON through the imports app, and the choropleth drawn from them.

No real boundary data ships with the project: the features here are small squares around the rough
locations of real communes.
"""

import datetime
import io
import json
import re
from collections.abc import Iterator

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from tests.conftest import BA_CHE, MUONG_PHANG, TIEN_YEN, client_for
from tests.imports.helpers import applied, preview, preview_and_apply, problems, uploaded
from vungcao.common.errors import ApplicationError, PermissionDeniedError
from vungcao.common.files import read_table
from vungcao.geo.models import AdministrativeUnit, UnitBoundary
from vungcao.geo.selectors_maps import choropleth_svg
from vungcao.geo.services import boundaries
from vungcao.imports.models import ImportBatch
from vungcao.imports.registry import importers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The messages are asserted in English, the catalogue's source language."""
    with translation.override("en"):
        yield


# Rough centres (longitude, latitude) of real communes.
CENTRES = {BA_CHE: (107.28, 21.27), TIEN_YEN: (107.40, 21.33), MUONG_PHANG: (103.15, 21.45)}


def square(lon: float, lat: float, side: float = 0.08) -> dict[str, object]:
    half = side / 2
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(properties: dict[str, object] | None, geometry: object) -> dict[str, object]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(*features: object) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False)


def commune(code: str, **properties: object) -> dict[str, object]:
    return feature({"code": code, **properties}, square(*CENTRES[code]))


GOOD = collection(
    commune(BA_CHE, name="Ba Chẽ"),
    commune(TIEN_YEN, era="current", name="Tiên Yên"),
    commune(MUONG_PHANG, name="Mường Phăng", population=9000),
)


def stored() -> dict[str, tuple[float, float, float, float, str]]:
    return {
        b.unit.code: (round(b.west, 6), round(b.south, 6), round(b.east, 6), round(b.north, 6), b.source)
        for b in UnitBoundary.objects.select_related("unit")
    }


def test_a_geojson_file_reads_as_one_row_per_feature_with_its_geometry_as_text() -> None:
    content = collection(
        feature(
            {"Code": 6970, "ERA": "current", "name": " Ba Chẽ "}, {"type": "Point", "coordinates": [107, 21]}
        ),
        feature(None, None),
        "not a feature",
    )
    rows = read_table(io.BytesIO(content.encode("utf-8-sig")), "communes.GeoJSON")
    assert rows == [
        {
            "code": "6970",
            "era": "current",
            "name": "Ba Chẽ",
            "geometry": '{"type":"Point","coordinates":[107,21]}',
        },
        {"code": "", "era": "", "name": "", "geometry": ""},
        {"code": "", "era": "", "name": "", "geometry": ""},
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe not json", "The file is not valid GeoJSON (UTF-8 JSON text)."),
        (b'{"type": "Feature"}', "The GeoJSON file must hold one FeatureCollection."),
        (b'{"type": "FeatureCollection"}', "The FeatureCollection has no list of features."),
    ],
)
def test_a_file_that_is_not_a_feature_collection_is_refused_whole(content: bytes, message: str) -> None:
    with pytest.raises(ApplicationError, match=re.escape(message)):
        preview("boundaries", content, "communes.geojson")
    assert ImportBatch.objects.count() == 0
    assert stored() == {}


def test_given_a_clean_file_when_applied_then_each_unit_gets_its_boundary_and_bounding_box() -> None:
    batch = preview_and_apply("boundaries", GOOD, "communes.geojson")
    assert (batch.status, batch.created_count, batch.updated_count, batch.unchanged_count) == (
        ImportBatch.Status.APPLIED,
        3,
        0,
        0,
    )
    assert stored() == {
        BA_CHE: (107.24, 21.23, 107.32, 21.31, "communes.geojson"),
        TIEN_YEN: (107.36, 21.29, 107.44, 21.37, "communes.geojson"),
        MUONG_PHANG: (103.11, 21.41, 103.19, 21.49, "communes.geojson"),
    }
    ba_che = UnitBoundary.objects.get(unit__code=BA_CHE)
    assert json.loads(ba_che.geometry)["type"] == "Polygon"
    assert ba_che.unit.era == "current"


def test_importing_the_same_file_again_changes_nothing() -> None:
    preview_and_apply("boundaries", GOOD, "communes.geojson")
    before = list(UnitBoundary.objects.order_by("pk").values())
    again = preview_and_apply("boundaries", GOOD, "communes.geojson")
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    assert list(UnitBoundary.objects.order_by("pk").values()) == before


def test_a_moved_outline_is_counted_as_changed_and_replaced() -> None:
    preview_and_apply("boundaries", GOOD, "communes.geojson")
    moved = collection(feature({"code": BA_CHE}, square(107.30, 21.27)), commune(TIEN_YEN))
    batch = preview_and_apply("boundaries", moved, "communes.geojson")
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 1, 1)
    assert stored()[BA_CHE][:4] == (107.26, 21.23, 107.34, 21.31)
    assert UnitBoundary.objects.count() == 3


def test_a_bad_file_is_refused_whole_with_every_problem_by_feature_number() -> None:
    preview_and_apply("boundaries", collection(commune(TIEN_YEN)), "first.geojson")
    before = list(UnitBoundary.objects.values())
    lon, lat = CENTRES[BA_CHE]
    open_ring = square(lon, lat)
    open_ring["coordinates"][0].pop()  # type: ignore[index]
    bad = collection(
        commune(BA_CHE),  # 1: clean
        feature({"name": "no code"}, square(lon, lat)),  # 2
        feature({"code": BA_CHE, "era": "1990"}, square(lon, lat)),  # 3
        feature({"code": "99999"}, square(lon, lat)),  # 4
        feature({"code": 6970}, square(lon, lat)),  # 5: read as a number, zero lost
        feature({"code": "202"}, square(lon, lat)),  # 6: Ba Chẽ district exists before 2025 only
        commune(BA_CHE),  # 7: duplicate of 1
        feature({"code": MUONG_PHANG}, None),  # 8
        feature({"code": MUONG_PHANG, "era": "pre2025"}, open_ring),  # 9
        feature({"code": TIEN_YEN}, square(lat, lon)),  # 10: swapped
        feature({"code": "22"}, {"type": "LineString", "coordinates": [[107, 21], [108, 21]]}),  # 11
    )
    batch = preview("boundaries", bad, "communes.geojson")
    assert batch.status == ImportBatch.Status.REFUSED
    assert problems(batch) == [
        (2, "code", "", "This property is required."),
        (3, "era", "1990", "Unknown era; use one of: pre2025, current."),
        (4, "code", "99999", "No administrative unit has this code."),
        (
            5,
            "code",
            "6970",
            "No administrative unit has this code; codes keep their leading zeros (did you mean 06970?).",
        ),
        (6, "era", "current", "No unit of era current has this code; a unit of era pre2025 has it."),
        (7, "code", BA_CHE, "The same unit is already drawn by feature 1."),
        (8, "geometry", "", "The feature has no geometry."),
        (
            9,
            "geometry",
            '{"type":"Polygon","coordinates":[[[107.24,21.23],[107.32000000000001,21.23],[10…',
            "Polygon 1, ring 1 is not closed: its last position differs from its first.",
        ),
        (
            10,
            "geometry",
            '{"type":"Polygon","coordinates":[[[21.23,107.24],[21.31,107.24],[21.31,107.3200…',
            "Polygon 1, ring 1, position 1 (21.23, 107.24) lies outside Vietnam; longitude and latitude "
            "seem swapped (GeoJSON writes the longitude first).",
        ),
        (
            11,
            "geometry",
            '{"type":"LineString","coordinates":[[107,21],[108,21]]}',
            "The geometry is a LineString; only Polygon and MultiPolygon boundaries can be drawn.",
        ),
    ]
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 0, 0)
    assert list(UnitBoundary.objects.values()) == before


def test_boundaries_come_only_from_a_geojson_file() -> None:
    csv = 'code,era,name,geometry\n06970,current,Ba Chẽ,"{}"\n'
    batch = preview("boundaries", csv, "communes.csv")
    assert problems(batch) == [
        (1, "", "communes.csv", "Boundaries are imported from a GeoJSON file (.geojson or .json).")
    ]
    assert stored() == {}


def test_only_administrators_import_boundaries(province_officer, commune_officer, administrator) -> None:
    for user in (province_officer, commune_officer):
        assert not importers()["boundaries"].may_import(user)
        with pytest.raises(PermissionDeniedError):
            preview("boundaries", GOOD, "communes.geojson", user=user)
        with (
            translation.override("en"),
            pytest.raises(PermissionDeniedError, match="Only administrators may import unit boundaries"),
        ):
            boundaries.boundaries_plan(user=user, rows=[], source="communes.geojson")
        response = client_for(user).post(
            "/imports/new/boundaries/", {"file": io.BytesIO(GOOD.encode())}, follow=False
        )
        assert response.status_code == 404
    assert stored() == {}
    assert ImportBatch.objects.count() == 0
    batch = preview_and_apply("boundaries", GOOD, "communes.geojson", user=administrator)
    assert batch.created_count == 3


def test_an_administrator_uploads_a_geojson_file_through_the_import_pages(administrator) -> None:
    client = client_for(administrator)
    batch = uploaded(client, "boundaries", GOOD, "communes.geojson")
    assert (batch.kind, batch.status, batch.created_count) == ("boundaries", ImportBatch.Status.READY, 3)
    assert stored() == {}
    assert applied(client, batch).status == ImportBatch.Status.APPLIED
    assert set(stored()) == {BA_CHE, TIEN_YEN, MUONG_PHANG}


# --- The map drawn from the boundaries ---------------------------------------------------------------


def communes() -> list[AdministrativeUnit]:
    return list(AdministrativeUnit.objects.filter(era="current", code__in=CENTRES))


def drawn_codes(svg: str) -> list[str]:
    return re.findall(r'<path d="[^"]*" fill="[^"]*" class="[^"]*" data-code="(\d+)"', svg)


def test_without_boundaries_there_is_no_map_and_the_include_says_who_imports_them(administrator) -> None:
    svg = choropleth_svg(user=administrator, units=communes(), values={BA_CHE: 0.3}, title="Poverty rate")
    assert svg is None
    request = RequestFactory().get("/")
    html = render_to_string("geo/_choropleth.html", {"svg": svg}, request=request)
    assert "No map: the boundaries of these units have not been imported." in html
    assert (
        "An administrator imports them once, as a GeoJSON file with one feature per unit and its code, on the "
        '<a href="/imports/">Imports</a> page.'
    ) in html
    assert "<svg" not in html


def test_the_map_draws_only_the_units_the_user_may_see_with_their_values(
    administrator, province_officer
) -> None:
    preview_and_apply("boundaries", GOOD, "communes.geojson")
    values = {BA_CHE: 0.42, TIEN_YEN: 0.1, MUONG_PHANG: 0.25}
    national = choropleth_svg(user=administrator, units=communes(), values=values, title="Poverty <rate>")
    assert national is not None
    assert sorted(drawn_codes(national)) == sorted([BA_CHE, TIEN_YEN, MUONG_PHANG])
    assert "Poverty &lt;rate&gt;" in national
    scoped = choropleth_svg(
        user=province_officer,
        units=AdministrativeUnit.objects.filter(era="current", code__in=CENTRES),
        values=values,
        title="Quảng Ninh",
        breaks=(0, 0.2, 0.5),
        legend_title="Poverty rate",
    )
    assert scoped is not None
    assert sorted(drawn_codes(scoped)) == sorted([BA_CHE, TIEN_YEN])
    assert "<title>Xã Ba Chẽ: 42.0%</title>" in scoped
    assert "0.0% – 20.0% (1)" in scoped
    assert "20.0% – 50.0% (1)" in scoped
    html = render_to_string("geo/_choropleth.html", {"svg": scoped})
    assert html.count("<svg") == 1
    assert "No map" not in html


def test_units_without_a_boundary_are_left_out_and_said_so(administrator) -> None:
    preview_and_apply("boundaries", collection(commune(BA_CHE)), "one.geojson")
    svg = choropleth_svg(user=administrator, units=communes(), values={}, title="T")
    assert svg is not None
    assert drawn_codes(svg) == [BA_CHE]
    assert "1 of 3 units have an imported boundary; the others are not drawn." in svg
    assert "No data (1)" in svg


def test_values_are_written_the_vietnamese_way_in_vietnamese(administrator) -> None:
    preview_and_apply("boundaries", collection(commune(BA_CHE)), "one.geojson")
    with translation.override("vi"):
        svg = choropleth_svg(user=administrator, units=communes(), values={BA_CHE: 0.425}, title="T")
    assert svg is not None
    assert ": 42,5%</title>" in svg


def test_imported_at_is_kept_when_nothing_changed() -> None:
    preview_and_apply("boundaries", GOOD, "communes.geojson")
    first = UnitBoundary.objects.get(unit__code=BA_CHE).imported_at
    assert isinstance(first, datetime.datetime)
    preview_and_apply("boundaries", GOOD, "communes.geojson")
    assert UnitBoundary.objects.get(unit__code=BA_CHE).imported_at == first
    assert boundaries.BOUNDARY_COLUMNS == ("code", "era", "name", "geometry")
