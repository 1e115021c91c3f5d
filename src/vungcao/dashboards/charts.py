"""The dashboards' pictures: the tile-grid maps and the money bars (``programs.charts``), in the reader's
language."""

import hashlib
from collections.abc import Mapping, Sequence
from functools import partial

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from vungcao.common.language import reader_language
from vungcao.dashboards import tiles
from vungcao.dashboards.figures import Measure, Row
from vungcao.engine.text import format_percent
from vungcao.programs import charts as money_charts
from vungcao.programs.selectors.dashboard import Line
from vungcao.registry.charts import poverty_rates_chart
from vungcao.registry.selectors.national import AreaFigures

COMMUNE_COLUMNS = 6


def tile_map(
    grid: tiles.TileGrid, *, values: Mapping[str, float | None], links: Mapping[str, str], measure: Measure
) -> SafeString:
    digest = hashlib.sha256(repr((measure.key, [tile.code for tile in grid.tiles])).encode()).hexdigest()[:10]
    svg = tiles.render_tile_map(
        grid,
        values=values,
        links=links,
        labels=tiles.TileMapLabels(
            title=str(measure.description), legend_title=_("Legend"), no_data=_("No data")
        ),
        format_value=partial(format_percent, language=reader_language()),
        id_prefix=f"tiles-{digest}",
    )
    return mark_safe(svg)  # every text in it was escaped by tiles.render_tile_map


KINDS = {"phường": 0, "xã": 1, "đặc khu": 2}


def _short(name: str, division_type: str) -> str:
    """``"Xã Ba Chẽ"`` → ``"Ba Chẽ"``: the division's word is the group's heading."""
    return name[len(division_type) :].strip() if name.lower().startswith(division_type.lower()) else name


def commune_grid(rows: Sequence[Row]) -> tiles.TileGrid:
    """The communes as a grouped grid (not geographic: no commune coordinates are shipped): wards, communes
    and special zones apart, each in alphabetical order."""
    groups: dict[str, list[Row]] = {}
    for row in sorted(rows, key=lambda row: (KINDS.get(row.unit.division_type, 9), row.unit.name_folded)):
        groups.setdefault(row.unit.division_type, []).append(row)
    return tiles.grouped_grid(
        [
            (kind.capitalize(), [(row.unit.code, _short(row.unit.name, kind)) for row in members])
            for kind, members in groups.items()
        ],
        COMMUNE_COLUMNS,
    )


def _money_bars(rows: Sequence[money_charts.BarRow], title: str) -> SafeString | None:
    return money_charts.money_bars(rows=rows, title=title) if rows else None


def money_charts_of(rows: Sequence[Row], by_source: Sequence[Line]) -> dict[str, SafeString | None]:
    """Allocated against disbursed money by unit (those with money) and by capital source; None where
    there is no money to draw."""
    return {
        "unit_money_chart": _money_bars(
            [
                money_charts.item_row(row.unit.name, row.money)
                for row in rows
                if row.money.allocated or row.money.disbursed
            ],
            _("Allocated and disbursed"),
        ),
        "source_money_chart": _money_bars(
            [money_charts.item_row(line.name, line.totals) for line in by_source], _("By capital source")
        ),
    }


def over_years_chart(over_years: Sequence[tuple[int, AreaFigures]]) -> SafeString:
    """The country's poverty and near-poverty rates in every review year (approved communes only)."""
    return poverty_rates_chart(
        title=_("Poverty and near-poverty rates, whole country (approved communes)"),
        years=[str(year) for year, _total in over_years],
        poverty_rates=[total.poverty_rate for _year, total in over_years],
        near_poverty_rates=[total.near_poverty_rate for _year, total in over_years],
    )
