"""Template filters of the indicator pages."""

from django import template

from vungcao.common.language import reader_language
from vungcao.engine.indicators.definitions import MeasureUnit
from vungcao.engine.indicators.targets import TargetKind, target_in_words
from vungcao.indicators.models import Target

register = template.Library()


@register.filter
def target_words(target: Target, unit: str | None) -> str:
    """A target as reports write it, in the reader's language: ``{{ target|target_words:indicator.unit }}``
    → "không quá 10%", "giảm 3 điểm %/năm" (the model's choices carry the engine's English label, which a
    Vietnamese page must not show); the figure alone for an indicator no longer known."""
    measure = MeasureUnit(unit) if unit else None
    return target_in_words(TargetKind(target.kind), target.value, measure, reader_language())
