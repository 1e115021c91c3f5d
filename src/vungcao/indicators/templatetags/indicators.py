"""Template filters of the indicator pages."""

from django import template

from vungcao.common.language import reader_language
from vungcao.engine.indicators.targets import TargetKind

register = template.Library()


@register.filter
def target_kind(kind: str) -> str:
    """A target's kind in the reader's language (``at_most`` → "không quá"); the model's choices carry
    the engine's English label, which a Vietnamese page must not show."""
    return TargetKind(kind).label.in_language(reader_language())
