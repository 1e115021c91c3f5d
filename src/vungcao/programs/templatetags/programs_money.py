"""Template filters for money: dong with dot thousands, rates as percentages with a decimal comma."""

from fractions import Fraction

from django import template

from vungcao.engine import money

register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    return "—" if amount is None else money.format_vnd(amount)


@register.filter
def rate(value: Fraction | None) -> str:
    shown = money.percent(value)
    return "—" if shown is None else f"{shown}%".replace(".", ",")
