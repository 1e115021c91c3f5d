"""Tile-grid maps (bản đồ ô vuông): one square a unit, placed roughly where it lies, drawn as SVG.

They work out of the box, without imported boundaries. The provinces' layouts of both eras are shipped
as data (``data/tiles-<era>.csv``, with their source in the file's comment lines), read and checked here:
every tile on its own square, every province of the era placed once (:func:`grid_problems`, run by the
tests and by the dashboard, which refuses a grid that does not fit the units).

No commune coordinates are shipped, so a province's communes are laid out by :func:`grouped_grid`: not
geographic, grouped by kind (phường, xã, đặc khu) and in alphabetical order, and said so on the page.

Colours, classes and escaping are those of the boundary choropleth (``engine.choropleth``), so both maps
read the same. Pure Python: no Django.
"""

import csv
import functools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from vungcao.engine import choropleth

DATA = Path(__file__).parent / "data"
COLUMNS = ("code", "row", "column", "short_name")
MAX_SIDE = 60  # rows or columns: a grid larger than this is a mistake in the file


class TileGridError(ValueError):
    """A layout file that cannot be read: the reason names the line."""


@dataclass(frozen=True)
class Tile:
    code: str
    row: int
    column: int
    label: str


@dataclass(frozen=True)
class Heading:
    """A line of text over a group of tiles (a grouped grid's group)."""

    row: int
    text: str


@dataclass(frozen=True)
class TileGrid:
    tiles: tuple[Tile, ...]
    headings: tuple[Heading, ...] = ()
    is_geographic: bool = True

    @property
    def rows(self) -> int:
        return 1 + max(
            [tile.row for tile in self.tiles] + [heading.row for heading in self.headings], default=-1
        )

    @property
    def columns(self) -> int:
        return 1 + max((tile.column for tile in self.tiles), default=-1)


def parse_grid(lines: Iterable[str]) -> TileGrid:
    """A layout from CSV lines (``#`` lines are comments): ``code,row,column,short_name``."""
    rows = csv.DictReader(line for line in lines if not line.startswith("#"))
    if tuple(rows.fieldnames or ()) != COLUMNS:
        raise TileGridError(f"the columns must be {', '.join(COLUMNS)}, not {rows.fieldnames}")
    tiles = []
    for row in rows:
        where = f"line {rows.line_num}"
        try:
            place = int(row["row"]), int(row["column"])
        except (TypeError, ValueError) as error:
            raise TileGridError(f"{where}: row and column must be whole numbers") from error
        if not all(0 <= number < MAX_SIDE for number in place):
            raise TileGridError(f"{where}: row and column must lie between 0 and {MAX_SIDE - 1}")
        code, label = (row["code"] or "").strip(), (row["short_name"] or "").strip()
        if not code or not label:
            raise TileGridError(f"{where}: a tile needs a code and a short name")
        tiles.append(Tile(code, *place, label))
    return TileGrid(tuple(tiles))


def grid_problems(grid: TileGrid, codes: Iterable[str]) -> list[str]:
    """What is wrong with a layout for the units ``codes``: units missing or placed twice, unknown codes,
    tiles sharing a square (empty when the layout fits)."""
    expected = set(codes)
    problems = []
    seen: dict[str, Tile] = {}
    squares: dict[tuple[int, int], Tile] = {}
    for tile in grid.tiles:
        if tile.code in seen:
            problems.append(f"{tile.code} is placed twice")
        seen[tile.code] = tile
        other = squares.setdefault((tile.row, tile.column), tile)
        if other is not tile:
            problems.append(f"{tile.code} and {other.code} share row {tile.row}, column {tile.column}")
        if tile.code not in expected:
            problems.append(f"{tile.code} is not a unit of this map")
    problems.extend(f"{code} is not placed" for code in sorted(expected - set(seen)))
    return problems


@functools.cache
def province_grid(era: str) -> TileGrid:
    """The shipped layout of the provinces of ``era`` (``current`` or ``pre2025``)."""
    if era not in {"current", "pre2025"}:
        raise TileGridError(f"no layout for the era {era!r}")
    with (DATA / f"tiles-{era}.csv").open(encoding="utf-8") as lines:
        return parse_grid(lines)


def grouped_grid(groups: Sequence[tuple[str, Sequence[tuple[str, str]]]], columns: int) -> TileGrid:
    """A deterministic, non-geographic layout: each group (heading, [(code, label)]) under its heading,
    its tiles in the given order, ``columns`` to a row."""
    tiles: list[Tile] = []
    headings: list[Heading] = []
    row = 0
    for heading, members in groups:
        if not members:
            continue
        headings.append(Heading(row, heading))
        row += 1
        for index, (code, label) in enumerate(members):
            tiles.append(Tile(code, row + index // columns, index % columns, label))
        row += math.ceil(len(members) / columns)
    return TileGrid(tuple(tiles), tuple(headings), is_geographic=False)


@dataclass(frozen=True)
class TileMapLabels:
    """The words of a map, in the reader's language."""

    title: str
    legend_title: str
    no_data: str


TILE = 58
GAP = 3
HEADING = 22
LEGEND_ROW = 20
DARK_CLASSES_FROM = 3  # classes drawn dark enough to need white text


def _wrapped(label: str, limit: int = 9) -> list[str]:
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines[:2]


def render_tile_map(
    grid: TileGrid,
    *,
    values: Mapping[str, float | None],
    links: Mapping[str, str],
    labels: TileMapLabels,
    format_value: Callable[[float], str],
    classes: int = 5,
    id_prefix: str = "tiles",
) -> str:
    """An SVG of the grid, each tile coloured by its unit's value (classes at quantiles, as the boundary
    choropleth), labelled with its short name and value, linking to ``links[code]``; legend below. The
    title is the SVG's accessible name; the page shows it as a heading, so that it wraps on a phone."""
    known = [value for value in values.values() if value is not None and math.isfinite(value)]
    bounds = choropleth.quantile_breaks(known, classes) if known else ()
    palette = choropleth.PALETTES.get(len(bounds) - 1, ())
    heading_rows = {heading.row for heading in grid.headings}

    def top_of(row: int) -> int:
        below_headings = sum(1 for heading_row in heading_rows if heading_row < row)
        tile_rows = row - below_headings
        return 4 + below_headings * HEADING + tile_rows * (TILE + GAP)

    width = max(grid.columns * (TILE + GAP) + 8, 300)
    map_bottom = top_of(grid.rows)
    text = choropleth.text
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="tile-map" role="img" aria-labelledby="{id_prefix}-title" '
        f'viewBox="0 0 {width} {{height}}" style="max-width:{width}px" font-family="Noto Sans, Segoe UI, Roboto, Arial, sans-serif" '
        f'font-size="10" fill="#1f2933">',
        f'<title id="{id_prefix}-title">{text(labels.title)}</title>',
        f'<defs><pattern id="{id_prefix}-no-data" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="#b0b0b0" stroke-width="2"/></pattern></defs>',
    ]
    for heading in grid.headings:
        out.append(
            f'<text x="4" y="{top_of(heading.row) + 15}" font-size="12" font-weight="bold">{text(heading.text)}</text>'
        )
    for tile in grid.tiles:
        value = values.get(tile.code)
        x, y = 4 + tile.column * (TILE + GAP), top_of(tile.row)
        if value is None or not bounds:
            fill, ink, shown = f"url(#{id_prefix}-no-data)", "#1f2933", labels.no_data
        else:
            index = choropleth.class_of(value, bounds)
            fill, shown = palette[index], format_value(value)
            ink = "#ffffff" if index >= DARK_CLASSES_FROM else "#1f2933"
        lines = _wrapped(tile.label)
        body = [
            f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="3" fill="{fill}" stroke="#404040" '
            f'stroke-width="0.75"/>'
        ]
        for number, line in enumerate(lines):
            body.append(f'<text x="{x + 4}" y="{y + 13 + number * 11}" fill="{ink}">{text(line)}</text>')
        if value is not None and bounds:
            body.append(
                f'<text x="{x + 4}" y="{y + TILE - 6}" fill="{ink}" font-size="11" font-weight="bold">'
                f"{text(shown)}</text>"
            )
        tooltip = f"<title>{text(tile.label)}: {text(shown)}</title>"
        link = links.get(tile.code)
        group = f'<g class="tile" data-code="{text(tile.code)}">{tooltip}{"".join(body)}</g>'
        out.append(f'<a href="{text(link)}">{group}</a>' if link else group)
    y = map_bottom + 10
    out.append(
        f'<text x="4" y="{y + 12}" font-weight="bold" font-size="12">{text(labels.legend_title)}</text>'
    )
    y += 20
    for index in range(len(bounds) - 1):
        out.append(
            f'<rect x="4" y="{y}" width="20" height="14" fill="{palette[index]}" stroke="#404040" stroke-width="0.75"/>'
            f'<text x="30" y="{y + 11}">{text(format_value(bounds[index]))} – {text(format_value(bounds[index + 1]))}</text>'
        )
        y += LEGEND_ROW
    missing = sum(1 for tile in grid.tiles if values.get(tile.code) is None)
    out.append(
        f'<rect x="4" y="{y}" width="20" height="14" fill="url(#{id_prefix}-no-data)" stroke="#404040" '
        f'stroke-width="0.75"/><text x="30" y="{y + 11}">{text(labels.no_data)} ({missing})</text>'
    )
    out.append("</svg>")
    return "".join(out).replace("{height}", str(y + 24), 1)
