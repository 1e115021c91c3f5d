"""Small server-side SVG charts: no script, no CDN, readable in print and by screen readers."""

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#b2182b", "#ef8a62", "#2166ac", "#67a9cf", "#1b7837")


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]


def line_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    unit: str = "%",
    width: int = 640,
    height: int = 280,
) -> str:
    """Lines over categories (e.g. years), with points labelled by their value and a legend."""
    left, right, top, bottom = 48, 16, 36, 52
    plot_width, plot_height = width - left - right, height - top - bottom
    known = [value for each in series for value in each.values if value is not None]
    ceiling = max([*known, 1.0]) * 1.15
    step_x = plot_width / max(len(categories) - 1, 1)

    def x(index: int) -> float:
        return left + (index * step_x if len(categories) > 1 else plot_width / 2)

    def y(value: float) -> float:
        return top + plot_height - value / ceiling * plot_height

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
        f'<text x="{left}" y="20" font-size="14" font-weight="600">{escape(title)}</text>',
    ]
    for fraction in (0, 0.25, 0.5, 0.75, 1):
        value = ceiling / 1.15 * fraction
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#d9e0e6"/>'
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" font-size="11" text-anchor="end" fill="#61707d">{value:.0f}{escape(unit)}</text>'
        )
    for index, category in enumerate(categories):
        parts.append(
            f'<text x="{x(index):.1f}" y="{top + plot_height + 18}" font-size="12" text-anchor="middle">{escape(category)}</text>'
        )
    for number, each in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        points = [(x(index), y(value), value) for index, value in enumerate(each.values) if value is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _value in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for px, py, value in points:
            parts.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{colour}"><title>{escape(each.label)}: {value:.2f}{escape(unit)}</title></circle>'
                f'<text x="{px:.1f}" y="{py - 8:.1f}" font-size="11" text-anchor="middle" fill="{colour}">{value:.2f}</text>'
            )
        legend_x = left + number * 200
        parts.append(
            f'<rect x="{legend_x}" y="{height - 18}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{legend_x + 18}" y="{height - 8}" font-size="12">{escape(each.label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
