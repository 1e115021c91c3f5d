"""Counts and rates as the reader writes them (``engine.text.format_number``): 1.234 and 12,5% in Vietnamese."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from vungcao.common.language import reader_language
from vungcao.engine.text import format_number

register = template.Library()


@register.filter
def number(value: int | float | Decimal | None) -> str:
    """A count (carried counts may hold a share of a household: shown whole)."""
    if value is None:
        return "—"
    return format_number(round(value), reader_language())


@register.filter
def percent(value: float | None) -> str:
    """A rate already in per cent, with one decimal: ``12.5`` → ``12,5%``."""
    if value is None:
        return "—"
    return _("{number}%").format(number=format_number(round(value, 1), reader_language()))


@register.filter
def share(value: Decimal | None) -> str:
    """A crosswalk share 0–1 as a percentage: ``0.5`` → ``50%``."""
    return "—" if value is None else percent(float(value) * 100)
