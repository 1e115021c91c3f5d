"""A model's choices as the engine's choice set (``engine.choices``): each value with its label in both
languages and the other ways officials write it, so that imports and forms read "Dự án", "du an",
"Project" or "project" alike and refuse anything else with the labels in the reader's language."""

from collections.abc import Mapping

from django.db import models
from django.utils import translation

from vungcao.engine.choices import Choice, ChoiceSet
from vungcao.engine.text import Label


def bilingual(label: object) -> Label:
    """A translatable label in Vietnamese and English."""
    with translation.override("vi"):
        vietnamese = str(label)
    with translation.override("en"):
        english = str(label)
    return Label(vietnamese, english)


def model_choice_set(
    choices: type[models.TextChoices],
    abbreviations: Mapping[str, tuple[str, ...]] | None = None,
    blank: str | None = None,
) -> ChoiceSet:
    """``choices`` as a choice set; ``abbreviations`` are the other words for each value (by code)."""
    others = abbreviations or {}
    return ChoiceSet(
        tuple(
            Choice(str(value), bilingual(label), others.get(str(value), ()))
            for value, label in choices.choices
        ),
        blank=blank,
    )
