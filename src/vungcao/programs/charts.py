"""Charts drawn on the server as inline SVG: no script, no CDN, readable in print."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from vungcao.engine.money import format_vnd

COLOURS = ("#0b6e4f", "#e0a526", "#5b7fa6", "#b5483a")
BILLION = 10**9


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[int]


def _n(number: float) -> str:
    return f"{number:.1f}"


def _billions(amount: int) -> str:
    return f"{amount / BILLION:,.1f}".replace(",", " ").replace(".", ",")


def grouped_bars(
    *, categories: Sequence[str], series: Sequence[Series], title: str, unit_label: str
) -> SafeString:
    """Vertical bars, one group per category (e.g. month), one bar per series; amounts in tỷ (10⁹)."""
    width, height, left, bottom, top = 720, 260, 56, 40, 28
    plot_height = height - bottom - top
    peak = max([max(s.values, default=0) for s in series] + [1])
    slot = (width - left - 10) / max(len(categories), 1)
    bar = slot * 0.8 / max(len(series), 1)
    bars = []
    label_every = -(-len(categories) // 12) or 1
    for index, category in enumerate(categories):
        for number, one in enumerate(series):
            value = one.values[index]
            bar_height = plot_height * value / peak
            x = left + index * slot + slot * 0.1 + number * bar
            bars.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{} {}: {} VND</title></rect>',
                    _n(x),
                    _n(top + plot_height - bar_height),
                    _n(bar - 1),
                    _n(bar_height),
                    COLOURS[number % 4],
                    category,
                    one.label,
                    format_vnd(value),
                )
            )
        if index % label_every:
            continue
        bars.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" class="axis">{}</text>',
                _n(left + index * slot + slot / 2),
                height - bottom + 16,
                category,
            )
        )
    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" class="grid"/><text x="{}" y="{}" text-anchor="end" class="axis">{}</text>',
        (
            (
                left,
                width - 10,
                _n(top + plot_height * (1 - f)),
                _n(top + plot_height * (1 - f)),
                left - 6,
                _n(top + plot_height * (1 - f) + 4),
                _billions(int(peak * f)),
            )
            for f in (0, 0.25, 0.5, 0.75, 1)
        ),
    )
    legend = format_html_join(
        "",
        '<rect x="{}" y="6" width="12" height="12" fill="{}"/><text x="{}" y="16" class="legend">{}</text>',
        ((left + 170 * n, COLOURS[n % 4], left + 170 * n + 16, s.label) for n, s in enumerate(series)),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}"><title>{}</title>{}{}{}'
        '<text x="4" y="{}" class="axis">{}</text></svg>',
        width,
        height,
        title,
        title,
        grid,
        SafeString("".join(bars)),
        legend,
        height - 4,
        unit_label,
    )


@dataclass(frozen=True)
class BarRow:
    label: str
    value: int
    secondary: int
    note: str


def horizontal_bars(
    *, rows: Sequence[BarRow], title: str, value_label: str, secondary_label: str
) -> SafeString:
    """One row per item: the value as a full bar, the secondary (e.g. disbursed) drawn over it."""
    width, row_height, label_width = 720, 26, 260
    height = 30 + row_height * max(len(rows), 1)
    peak = max([row.value for row in rows] + [1])
    plot = width - label_width - 120
    parts = []
    for index, row in enumerate(rows):
        y = 28 + index * row_height
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" class="axis">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="16" fill="{}" opacity=".35"><title>{}: {} VND</title></rect>'
                '<rect x="{}" y="{}" width="{}" height="16" fill="{}"><title>{}: {} VND</title></rect>'
                '<text x="{}" y="{}" class="axis">{}</text>',
                label_width - 8,
                y + 12,
                row.label[:42],
                label_width,
                y,
                _n(plot * row.value / peak),
                COLOURS[0],
                value_label,
                format_vnd(row.value),
                label_width,
                y,
                _n(plot * min(row.secondary, row.value or row.secondary) / peak),
                COLOURS[0],
                secondary_label,
                format_vnd(row.secondary),
                _n(label_width + plot * row.value / peak + 6),
                y + 12,
                row.note,
            )
        )
    legend = format_html(
        '<rect x="{}" y="4" width="12" height="12" fill="{}" opacity=".35"/><text x="{}" y="14" class="legend">{}</text>'
        '<rect x="{}" y="4" width="12" height="12" fill="{}"/><text x="{}" y="14" class="legend">{}</text>',
        label_width,
        COLOURS[0],
        label_width + 16,
        value_label,
        label_width + 170,
        COLOURS[0],
        label_width + 186,
        secondary_label,
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}"><title>{}</title>{}{}</svg>',
        width,
        height,
        title,
        title,
        legend,
        SafeString("".join(parts)),
    )
