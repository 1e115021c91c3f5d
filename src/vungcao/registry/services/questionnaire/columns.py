"""The questionnaire file's columns, their labels, the values officials write in them, and the messages
of its checks."""

from collections.abc import Callable

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy

from vungcao.common.language import reader_language
from vungcao.engine import codes, households
from vungcao.engine.choices import ChoiceSet
from vungcao.engine.text import Label
from vungcao.registry.fields import FIELDS, HOUSEHOLD_FIELDS, MEMBER_FIELDS, choice_codes, choice_sets

HOUSEHOLD_COLUMNS = tuple(spec.name for spec in HOUSEHOLD_FIELDS)
MEMBER_COLUMNS = tuple(spec.name for spec in MEMBER_FIELDS)
COLUMNS = HOUSEHOLD_COLUMNS + MEMBER_COLUMNS
OPTIONAL_COLUMNS = frozenset(spec.name for spec in FIELDS.values() if not spec.required)
LABELS = {spec.name: spec.label for spec in FIELDS.values()}
CODE_COLUMNS: dict[str, codes.CodeShape] = {spec.name: spec.code for spec in FIELDS.values() if spec.code}
"""Columns holding codes: kept as text in the template, their dropped leading zeros restored."""


def _in_reader_language(text: Callable[[], Label]) -> str:
    """An engine's bilingual text, lazily in the language of whoever reads it."""
    return lazy(lambda: text().in_language(reader_language()), str)()


def _choice_label(column: str, code: str) -> str:
    return _in_reader_language(lambda: choice_sets()[column].label(code))


class ChoiceLookup:
    """A choice column as the mapping planning reads (``.get(text)``: the code, or None)."""

    def __init__(self, column: str) -> None:
        self.column = column

    def get(self, text: str) -> str | None:
        return choice_sets()[self.column].get(text)

    def choice_set(self) -> ChoiceSet:
        return choice_sets()[self.column]


AREA_VALUES = ChoiceLookup("area")
TEMPLATE_CHOICES = tuple(
    (spec.name, tuple(_choice_label(spec.name, code) for code in choice_codes(spec.name)))
    for spec in FIELDS.values()
    if spec.choices and spec.listed
)
"""The template's drop-down lists: each column's labels in the reader's language (either is read)."""
EXAMPLE = tuple(lazy(spec.example, str)() for spec in FIELDS.values())

INSTRUCTIONS = (
    gettext_lazy(
        "One row per member of a household: the household's columns are written the same on each of its "
        "members' rows."
    ),
    gettext_lazy(
        "A household already registered is updated: the preview shows what changes, field by field and "
        "member by member. Its members who are not in the file are kept, unless you choose, on the "
        "preview, to record them as having left."
    ),
    gettext_lazy(
        "The answer columns are the questions of your commune's open review, under its poverty standard: "
        "numbers (people, square metres), or “có” / “không” as the answer to the column's own words: “có” "
        "under “Hộ tiếp cận được nguồn nước sạch…” means it does; “có” under “Hộ thiếu hụt chỉ số…” means "
        "it is deprived."
    ),
)
"""What the template's instructions sheet says of a questionnaire file."""

REQUIRED = gettext_lazy("This column is required.")
UNKNOWN_HOUSEHOLD = gettext_lazy("No household with this code in the registry that you may see.")
UNKNOWN_VILLAGE = gettext_lazy("No open village with this code in a commune you may change.")
NO_OPEN_REVIEW = gettext_lazy("The commune has no review of {year} open for entry.")
DIFFERS_FROM_FIRST_ROW = gettext_lazy("Differs from the household's first row ({row}).")
SAME_IDENTITY_IN_FILE = gettext_lazy("The same identity number is on row {row}, in household {code}.")
SAME_IDENTITY_STORED = gettext_lazy("This identity number already belongs to a member of household {code}.")
BAD_IDENTITY = _in_reader_language(lambda: households.BAD_IDENTITY)
UNKNOWN_ETHNIC_GROUP = gettext_lazy("Unknown ethnic group; write its code (01–54) or its name.")
HOUSEHOLD_ELSEWHERE = gettext_lazy("This household code belongs to a household of another commune.")
CHANGED_MEANWHILE = gettext_lazy(
    "Another import or entry registered some of these households or identity numbers while this file was "
    "being applied; nothing was written. Preview the file again."
)
