"""The review's chart (``common.charts``): the poverty and near-poverty rates over the review years."""

from collections.abc import Sequence

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from vungcao.common.charts import Chart, Kind, Series, chart_figure


def poverty_rates_chart(
    *,
    title: str,
    years: Sequence[str],
    poverty_rates: Sequence[float | None],
    near_poverty_rates: Sequence[float | None],
) -> SafeString:
    """The rates (per cent) of each year, poverty and near-poverty, as two lines."""
    return chart_figure(
        Chart(
            kind=Kind.LINE,
            title=title,
            categories=years,
            series=[
                Series(_("Poverty rate"), poverty_rates),
                Series(_("Near-poverty rate"), near_poverty_rates),
            ],
            unit="%",
            places=2,
        )
    )
