"""Template helpers shared by every app."""

from collections.abc import Mapping

from django import template

from vungcao.common.language import reader_language
from vungcao.engine.text import format_number, format_percent
from vungcao.registry.reference import ethnic_groups

register = template.Library()


@register.filter
def get_item(mapping: Mapping[str, object] | None, key: str) -> object:
    """``{{ counts|get_item:flow }}``: a mapping's value for a key held in a variable."""
    return mapping.get(key) if mapping else None


@register.filter
def ethnic_group(code: str) -> str:
    """``"09"`` → ``"Dao"``: an ethnic group's name in the reader's language, from its statistics code."""
    group = ethnic_groups().get(code)
    return group.name if group else code


@register.filter
def localized(label: object) -> str:
    """A bilingual label of the engines (``.vi``/``.en``) in the reader's language."""
    return str(getattr(label, reader_language(), label))


@register.filter
def number(value: float | str | None, places: int | None = None) -> str:
    """``{{ 1500000|number }}`` → ``1.500.000`` (vi) or ``1,500,000`` (en), and ``{{ 12.345|number:2 }}``
    → ``12,35`` (exactly that many decimals), by `engine.text.format_number`; ``—`` for no value."""
    if value is None or value == "":
        return "—"
    figure = float(value) if isinstance(value, str) else value
    return format_number(figure, reader_language(), None if places is None else int(places))


@register.filter
def percent(value: float | str | None, places: int = 1) -> str:
    """A rate already in per cent: ``{{ 12.5|percent }}`` → ``12,5%``, ``{{ 2|percent:2 }}`` → ``2,00%``, by
    `engine.text.format_percent`; ``—`` for no value."""
    if value is None or value == "":
        return "—"
    return format_percent(float(value), reader_language(), int(places))


@register.filter
def ratio_percent(value: float | str | None, places: int = 1) -> str:
    """A ratio from 0 to 1 as a percentage: ``{{ 0.197|ratio_percent }}`` → ``19,7%``; ``—`` for no value."""
    if value is None or value == "":
        return "—"
    return format_percent(float(value) * 100, reader_language(), int(places))
