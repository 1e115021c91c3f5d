"""The money charts (``common.charts``): allocated against disbursed money, by month of the document and
by item (a component, a capital source, a unit), in billions of dong, each item with its disbursement
rate beside it."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from vungcao.common.charts import Chart, Kind, Series, chart_figure
from vungcao.common.language import reader_language
from vungcao.engine.money import MoneyTotals, percent
from vungcao.engine.text import format_percent

BILLION = 10**9


@dataclass(frozen=True)
class BarRow:
    """An item of a money chart: its name, its allocated and disbursed amounts, and its rate in words."""

    label: str
    allocated: int
    disbursed: int
    note: str


def rate_note(totals: MoneyTotals) -> str:
    """The disbursement rate in the reader's language (``73,4%``), or "—" where nothing is allocated."""
    rate = percent(totals.disbursement_rate)
    return "—" if rate is None else format_percent(float(rate), reader_language())


def item_row(name: str, totals: MoneyTotals) -> BarRow:
    return BarRow(name, totals.allocated, totals.disbursed, rate_note(totals))


def _billions(amounts: Sequence[int]) -> list[float | None]:
    return [amount / BILLION for amount in amounts]


def money_by_month(
    *, months: Sequence[str], allocated: Sequence[int], disbursed: Sequence[int]
) -> SafeString:
    """Allocated and disbursed money by month of the document (``months`` as ``"03/2024"``)."""
    return chart_figure(
        Chart(
            kind=Kind.BARS,
            title=_("Allocation and disbursement by month of the document"),
            categories=months,
            series=[
                Series(_("Allocated"), _billions(allocated)),
                Series(_("Disbursed"), _billions(disbursed)),
            ],
            unit=_("billion VND"),
            places=2,
        )
    )


def money_bars(*, rows: Sequence[BarRow], title: str) -> SafeString:
    """Allocated and disbursed money by item, one bar pair per row, its rate in the tooltip and table."""
    return chart_figure(
        Chart(
            kind=Kind.HORIZONTAL_BARS,
            title=title,
            categories=[row.label for row in rows],
            series=[
                Series(_("Allocated"), _billions([row.allocated for row in rows])),
                Series(_("Disbursed"), _billions([row.disbursed for row in rows])),
            ],
            unit=_("billion VND"),
            places=2,
            notes=[row.note for row in rows],
        )
    )
