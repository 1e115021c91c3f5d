"""The dashboards' own figure: a crosswalk share as a percentage (counts and rates are written by the
shared filters ``number`` and ``percent`` of ``web.templatetags.vungcao``)."""

from decimal import Decimal

from django import template

from vungcao.common.language import reader_language
from vungcao.engine.text import format_percent

register = template.Library()


@register.filter
def share(value: Decimal | None) -> str:
    """A crosswalk share 0–1 as a percentage: ``0.5`` → ``50,0%``."""
    return "—" if value is None else format_percent(float(value) * 100, reader_language())
