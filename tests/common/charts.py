"""The charts of a page as the browser's script reads them (``common.charts``)."""

import json
import re

CHART_DATA = re.compile(
    r'<figure class="chart-figure">.*?<script type="application/json">(.*?)</script>', re.DOTALL
)


def chart_descriptions(html: str) -> list[dict[str, object]]:
    """Each chart of ``html``, in page order, as the JSON the server wrote for it."""
    return [json.loads(found) for found in CHART_DATA.findall(html)]


def series_of(chart: dict[str, object]) -> dict[str, dict[str, object]]:
    """A chart's values by series label, then by category."""
    categories = chart["categories"]
    assert isinstance(categories, list)
    return {
        series["label"]: dict(zip(categories, series["values"], strict=True))
        for series in chart["series"]  # type: ignore[attr-defined]
    }
