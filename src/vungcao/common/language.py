"""The reader's language as the engines' bilingual labels name it: ``"vi"`` (the default) or ``"en"``."""

from django.utils.translation import get_language


def reader_language() -> str:
    """``"en"`` when the active language is English (``en``, ``en-gb`` …), otherwise ``"vi"``."""
    return "en" if (get_language() or "vi").startswith("en") else "vi"
