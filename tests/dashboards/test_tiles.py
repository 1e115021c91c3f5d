"""The tile-grid layouts shipped as data: every province of its era placed once, no two on one square;
the reader refuses a broken file; the drawing is escaped, linked and has its legend."""

import re

import pytest

from vungcao.dashboards import tiles
from vungcao.geo.models import AdministrativeUnit, Era, Level


@pytest.mark.django_db
@pytest.mark.parametrize(("era", "count"), [(Era.CURRENT, 34), (Era.PRE2025, 63)])
def test_every_province_of_the_era_is_placed_once_on_its_own_square(era, count) -> None:
    grid = tiles.province_grid(era)
    provinces = AdministrativeUnit.objects.filter(era=era, level=Level.PROVINCE).values_list(
        "code", flat=True
    )
    assert len(provinces) == count == len(grid.tiles)
    assert tiles.grid_problems(grid, provinces) == []
    assert len({(tile.row, tile.column) for tile in grid.tiles}) == count


@pytest.mark.parametrize("era", [Era.CURRENT, Era.PRE2025])
def test_the_layout_runs_north_to_south(era) -> None:
    """Hà Nội lies north of Huế, Huế north of Hồ Chí Minh City, Cà Mau last; Lạng Sơn east of Điện Biên."""
    rows = {tile.code: tile.row for tile in tiles.province_grid(era).tiles}
    columns = {tile.code: tile.column for tile in tiles.province_grid(era).tiles}
    assert rows["01"] < rows["46"] < rows["79"] < rows["96"]
    assert columns["11"] < columns["20"]


def test_the_problems_of_a_layout_are_named() -> None:
    grid = tiles.parse_grid(["code,row,column,short_name", "01,0,0,A", "02,0,0,B", "01,1,1,A", "99,2,2,C"])
    assert tiles.grid_problems(grid, ["01", "02", "03"]) == [
        "02 and 01 share row 0, column 0",
        "01 is placed twice",
        "99 is not a unit of this map",
        "03 is not placed",
    ]


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        (["code,row,column"], "the columns must be"),
        (["code,row,column,short_name", "01,x,0,A"], "line 2: row and column must be whole numbers"),
        (["code,row,column,short_name", "01,-1,0,A"], "must lie between 0 and 59"),
        (["code,row,column,short_name", "01,999999999,0,A"], "must lie between 0 and 59"),
        (["code,row,column,short_name", ",0,0,A"], "needs a code and a short name"),
    ],
)
def test_a_broken_layout_file_is_refused_with_the_line(lines, reason) -> None:
    with pytest.raises(tiles.TileGridError, match=re.escape(reason)):
        tiles.parse_grid(lines)


def test_comment_lines_hold_the_source_and_are_skipped() -> None:
    text = (tiles.DATA / "tiles-current.csv").read_text(encoding="utf-8")
    assert text.startswith("# Tile-grid map of the 34 provinces")
    assert len(tiles.province_grid(Era.CURRENT).tiles) == 34


def test_the_grouped_grid_is_deterministic_and_says_it_is_not_geographic() -> None:
    groups = [("Phường", [("1", "A"), ("2", "B"), ("3", "C")]), ("Xã", [("4", "D")]), ("Đặc khu", [])]
    grid = tiles.grouped_grid(groups, columns=2)
    assert not grid.is_geographic
    assert [(tile.code, tile.row, tile.column) for tile in grid.tiles] == [
        ("1", 1, 0),
        ("2", 1, 1),
        ("3", 2, 0),
        ("4", 4, 0),
    ]
    assert [(heading.row, heading.text) for heading in grid.headings] == [(0, "Phường"), (3, "Xã")]
    assert tiles.grouped_grid(groups, columns=2) == grid


def test_the_map_links_each_tile_colours_by_class_and_escapes_names() -> None:
    grid = tiles.parse_grid(["code,row,column,short_name", "01,0,0,<b>Hà Nội</b>", "02,0,1,B", "03,1,0,C"])
    svg = tiles.render_tile_map(
        grid,
        values={"01": 10.0, "02": 30.0, "03": None},
        links={"01": "/dashboards/current/01/?year=2024&measure=poverty"},
        labels=tiles.TileMapLabels("Tỷ lệ <nghèo>", "Chú giải", "Không có số liệu"),
        format_value=lambda value: f"{value:.1f}%",
    )
    assert "<b>" not in svg
    assert "&lt;b&gt;Hà" in svg
    assert "Tỷ lệ &lt;nghèo&gt;" in svg
    assert '<a href="/dashboards/current/01/?year=2024&amp;measure=poverty">' in svg
    assert svg.count("<a ") == 1
    assert "Không có số liệu (1)" in svg
    assert "10.0% – 30.0%" not in svg  # two values: the classes run between them
    assert "10.0%" in svg
    assert "30.0%" in svg
    assert re.search(r'viewBox="0 0 \d+ \d+"', svg)
