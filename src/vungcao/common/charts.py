"""Charts for reading figures (biểu đồ), drawn in the browser by Chart.js — a maintained library served
from the application's own static files, never from a CDN — with tooltips, a legend, and a button that
saves the chart as an image.

The server sends a chart as data, never as drawing: :func:`chart_figure` writes a ``<figure>`` holding
the chart's description as JSON (Django's ``json_script``: no markup a name could smuggle in is ever
executed) and the same figures as a table, which is what prints, what a screen reader reads and what
shows where script does not run; ``web/charts.js`` draws the chart from the JSON. Numbers are formatted
in the reader's language by the browser (1.500.000 and 30,5 in Vietnamese).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from vungcao.common.language import reader_language
from vungcao.engine.text import format_number


class Kind(StrEnum):
    LINE = "line"  # values over years
    BARS = "bars"  # vertical bars, one group per category (e.g. month)
    HORIZONTAL_BARS = "horizontal_bars"  # one row per item (a unit, a capital source)


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class Chart:
    """What a chart shows: ``series`` over ``categories``, in ``unit`` (e.g. "%", "billion VND") with
    ``places`` decimals, and, where given, one note per category (e.g. its disbursement rate) that the
    tooltip and the table show beside the values."""

    kind: Kind
    title: str
    categories: Sequence[str]
    series: Sequence[Series]
    unit: str = ""
    places: int = 1
    notes: Sequence[str] = field(default_factory=tuple)

    def description(self) -> dict[str, object]:
        """The chart as ``web/charts.js`` reads it; its texts in the active language."""
        return {
            "kind": str(self.kind),
            "title": self.title,
            "categories": list(self.categories),
            "series": [{"label": one.label, "values": list(one.values)} for one in self.series],
            "unit": self.unit,
            "places": self.places,
            "notes": list(self.notes),
            "save": _("Save as image (PNG)"),
        }

    def rows(self) -> list[tuple[str, list[str], str]]:
        """The table's rows: each category, its values written in the reader's language, its note."""
        language = reader_language()

        def shown(value: float | None) -> str:
            return "—" if value is None else format_number(value, language, self.places)

        notes = list(self.notes) or [""] * len(self.categories)
        return [
            (category, [shown(one.values[index]) for one in self.series], notes[index])
            for index, category in enumerate(self.categories)
        ]


def chart_figure(chart: Chart) -> SafeString:
    """The chart as a ``<figure>``: its JSON for the browser and its figures as a table."""
    return render_to_string("web/_chart.html", {"chart": chart, "description": chart.description()})
