"""The sentence an official reads aloud to say why a household has its status (vi and en).

It names the income against the threshold of the household's area, the deprived indicators by name,
and the rule that decided with its legal clause, all taken from the standard's data file.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from vungcao.engine.poverty.reference import HouseholdClassification, Value, classify_household
from vungcao.engine.poverty.standard import AREA, AREA_LABELS, INCOME, InputField, Standard
from vungcao.engine.text import Label, format_number

LANGUAGES = ("vi", "en")
NO_DEPRIVATION = Label(vi="không thiếu hụt chỉ số nào", en="no indicator")
SOURCE = Label(vi="{rule} theo {standard}, {clause}.", en="{rule} under the {standard}, {clause}.")
EXPLANATION_COLUMN = "explanation_{language}"
YES = Label(vi="Có", en="Yes")
NO = Label(vi="Không", en="No")
NOT_ANSWERED = "—"


def explain_classification(
    classification: HouseholdClassification, income: int, area: str, standard: Standard, language: str
) -> str:
    names = [
        standard.indicator(identifier).label.in_language(language)
        for identifier, deprived in classification.deprived.items()
        if deprived
    ]
    area_label = AREA_LABELS.get(area, Label(area, area)).in_language(language)
    values = {
        "income": format_number(income, language),
        "area": area_label,
        "deprivation_count": str(classification.deprivation_count),
        "deprived_indicators": ", ".join(names) if names else NO_DEPRIVATION.in_language(language),
        **{name: format_number(value, language) for name, value in classification.thresholds.items()},
    }
    rule = classification.rule
    sentence = rule.explanation.in_language(language).format(**values)
    source = SOURCE.in_language(language).format(
        rule=rule.label.in_language(language).capitalize(),
        standard=standard.name.in_language(language),
        clause=rule.cited(language),
    )
    return f"{sentence} {source}"


def explain_household(answers: Mapping[str, Value], standard: Standard, language: str = "vi") -> str:
    """Why this household (valid answers, as for `classify_household`) has its status under ``standard``."""
    classification = classify_household(answers, standard)
    income = answers[INCOME]
    area = answers[AREA]
    assert isinstance(income, int)
    assert isinstance(area, str)
    return explain_classification(classification, income, area, standard, language)


def with_explanations(classified: pl.DataFrame, standard: Standard) -> pl.DataFrame:
    """Add ``explanation_vi`` and ``explanation_en`` to a classified table (one sentence per household)."""
    sentences: dict[str, list[str]] = {language: [] for language in LANGUAGES}
    for household in classified.iter_rows(named=True):
        classification = classify_household(household, standard)
        for language in LANGUAGES:
            sentences[language].append(
                explain_classification(classification, household[INCOME], household[AREA], standard, language)
            )
    return classified.with_columns(
        pl.Series(EXPLANATION_COLUMN.format(language=language), sentences[language]) for language in LANGUAGES
    )


def answer_text(input_field: InputField, value: Value, language: str) -> str:
    """A stored answer as the reader reads it: a yes/no as the answer to the question as forms ask it
    ("yes" = the household has or meets it), a number grouped as the language writes it with its unit,
    a choice by its label."""
    if value is None or value == "":
        return NOT_ANSWERED
    if input_field.type == "boolean" and isinstance(value, bool):
        answer = value != input_field.inverted
        return (YES if answer else NO).in_language(language)
    if input_field.type in ("integer", "number") and isinstance(value, int | float):
        unit = f" {input_field.unit.in_language(language)}" if input_field.unit else ""
        return format_number(value, language) + unit
    if input_field.type == "category":
        label = input_field.allowed_values.get(str(value))
        return label.in_language(language) if label else str(value)
    return str(value)


def answers_shown(answers: Mapping[str, Value], standard: Standard, language: str) -> list[tuple[str, str]]:
    """Every answer the standard reads, as (question, answer) in ``language``, in the standard's order."""
    return [
        (
            input_field.asked.in_language(language),
            answer_text(input_field, answers.get(input_field.name), language),
        )
        for input_field in standard.all_fields
    ]
