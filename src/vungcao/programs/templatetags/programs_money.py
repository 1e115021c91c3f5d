"""Template filters for money: dong with dot thousands, rates as percentages in the reader's language."""

from fractions import Fraction

from django import template

from vungcao.common.language import reader_language
from vungcao.engine import money
from vungcao.engine.text import format_percent

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    return "—" if amount is None else money.format_vnd(amount)


@register.filter
def rate(value: Fraction | None) -> str:
    shown = money.percent(value)
    return "—" if shown is None else format_percent(float(shown), reader_language())
