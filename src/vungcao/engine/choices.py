"""Reading a choice as officials write it: the one resolver every import and form uses.

A text is the choice whose code, Vietnamese or English label, or one of its abbreviations it is —
compared folded (``engine.text.fold``: no diacritics, any case, single spaces), so ``"THCS"``,
``"trung hoc co so"``, ``"Lower secondary"`` and ``"lower_secondary"`` are all lower secondary. Failing
that, a text of at least :data:`SHORTEST_PREFIX` characters that begins the label or code of exactly
one choice is that choice (``"tieu"`` is primary); one that begins several is refused as ambiguous, and
any other text is refused, each with the allowed values as labels in the reader's language.

Yes/no is a choice set like any other (:data:`YES_NO`): the words any column or answer accepts as yes or
no are declared once, here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from vungcao.engine.text import Label, fold

SHORTEST_PREFIX = 3

NOT_ONE_OF = Label("Không thuộc các giá trị: {values}.", "Not one of: {values}.")
AMBIGUOUS_CHOICE = Label(
    "Không rõ là giá trị nào trong: {values}; ghi đầy đủ hơn.",
    "Could be any of: {values}; write more of it.",
)
REQUIRED_CHOICE = Label("Bắt buộc chọn một trong: {values}.", "Choose one of: {values}.")


@dataclass(frozen=True)
class Choice:
    """An allowed value: its stored ``code``, its ``label`` in both languages, and the other ways
    officials write it (abbreviations, older or local words), in any case and with or without
    diacritics."""

    code: str
    label: Label
    abbreviations: tuple[str, ...] = ()

    def names(self) -> Iterable[str]:
        yield self.code
        yield self.code.replace("_", " ")
        yield self.label.vi
        yield self.label.en
        yield from self.abbreviations


class ChoiceError(ValueError):
    """A text that is none of the choices, or several; ``reason`` lists the allowed labels."""

    def __init__(self, text: str, reason: Label) -> None:
        super().__init__(f"{text[:60]!r}: {reason.en}")
        self.text = text
        self.reason = reason

    def message(self, language: str) -> str:
        return self.reason.in_language(language)


@dataclass(frozen=True)
class ChoiceSet:
    """The allowed values of one field, in their order. ``blank`` is what an empty text stands for, or
    None when a value is required."""

    choices: tuple[Choice, ...]
    blank: str | None = None
    # Whether a text that begins one choice's label is that choice (not for short words like yes/no).
    prefixes: bool = True
    _exact: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        exact: dict[str, str] = {}
        for choice in self.choices:
            for name in choice.names():
                folded = fold(name)
                if exact.setdefault(folded, choice.code) != choice.code:
                    raise ValueError(f"{name!r} names both {exact[folded]!r} and {choice.code!r}")
        object.__setattr__(self, "_exact", exact)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(choice.code for choice in self.choices)

    def label(self, code: str) -> Label:
        for choice in self.choices:
            if choice.code == code:
                return choice.label
        raise KeyError(code)

    def labels(self, language: str) -> tuple[str, ...]:
        return tuple(choice.label.in_language(language) for choice in self.choices)

    def resolve(self, value: object) -> str:
        """The code ``value`` stands for; :class:`ChoiceError` when it is none or several."""
        text = "" if value is None else str(value)
        folded = fold(text)
        if not folded:
            if self.blank is None:
                raise ChoiceError(text, self._listed(REQUIRED_CHOICE, self.choices))
            return self.blank
        code = self._exact.get(folded)
        if code is not None:
            return code
        if self.prefixes and len(folded) >= SHORTEST_PREFIX:
            begun = [
                choice
                for choice in self.choices
                if any(
                    fold(name).startswith(folded) for name in (choice.code, choice.label.vi, choice.label.en)
                )
            ]
            if len(begun) == 1:
                return begun[0].code
            if begun:
                raise ChoiceError(text, self._listed(AMBIGUOUS_CHOICE, begun))
        raise ChoiceError(text, self._listed(NOT_ONE_OF, self.choices))

    def get(self, value: object) -> str | None:
        """The code, or None where :meth:`resolve` refuses."""
        try:
            return self.resolve(value)
        except ChoiceError:
            return None

    @staticmethod
    def _listed(template: Label, choices: Sequence[Choice]) -> Label:
        return Label(
            template.vi.format(values=", ".join(choice.label.vi for choice in choices)),
            template.en.format(values=", ".join(choice.label.en for choice in choices)),
        )


YES, NO = "yes", "no"
YES_NO = ChoiceSet(
    (
        Choice(YES, Label("Có", "Yes"), ("c", "x", "y", "1", "true")),
        Choice(NO, Label("Không", "No"), ("k", "ko", "kg", "khg", "không có", "n", "0", "false")),
    ),
    prefixes=False,
)
"""Yes or no, as every column and answer accepts it (the codes stand for True and False)."""


def yes_no_words(answer: str) -> tuple[str, ...]:
    """Every lower-case text read as ``answer`` (:data:`YES` or :data:`NO`), with and without diacritics,
    for a table engine that compares lower-cased text without calling Python per row."""
    choice = next(choice for choice in YES_NO.choices if choice.code == answer)
    return tuple(sorted({form for name in choice.names() for form in (name.lower(), fold(name))}))
