"""Template helpers shared by every app."""

from collections.abc import Mapping

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Mapping[str, object] | None, key: str) -> object:
    """``{{ counts|get_item:flow }}``: a mapping's value for a key held in a variable."""
    return mapping.get(key) if mapping else None
