"""The policy simulation's form: which standard, which year of the snapshot, which cut-off, and a value
assumed for every household for each field the standard reads and the snapshot lacks."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vungcao.common.bounds import FIRST_YEAR, LAST_YEAR
from vungcao.common.language import reader_language
from vungcao.engine.poverty import default_catalogue
from vungcao.engine.poverty.simulation import Assumption, SimulationRefused, assumption
from vungcao.engine.poverty.standard import InputField, Standard
from vungcao.engine.text import Label

ASSUMPTION_PREFIX = "assume__"

CUTOFFS = [("1/4", "1/4"), ("1/3", "1/3"), ("1/2", "1/2")]


class PolicySimulationForm(forms.Form):
    standard = forms.ChoiceField(label=_("Standard to simulate"))
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text=_("The latest year of the snapshot when left empty."),
    )
    k = forms.ChoiceField(label=_("Alkire-Foster cut-off k"), choices=CUTOFFS, initial="1/3")

    def __init__(
        self,
        *args: Any,
        standard: Standard | None = None,
        missing_fields: Sequence[InputField] = (),
        **kwargs: Any,
    ) -> None:
        """``missing_fields``: the fields ``standard`` reads and the snapshot lacks; one field of the
        form each, labelled with the standard's wording, empty unless the user assumes a value."""
        super().__init__(*args, **kwargs)
        self.chosen_standard = standard
        language = reader_language()
        self.fields["standard"].choices = [  # type: ignore[attr-defined]
            (choice.identifier, f"{choice.identifier} · {choice.name.in_language(language)}")
            for choice in default_catalogue()
        ]
        for missing in missing_fields if standard is not None else ():
            self.fields[ASSUMPTION_PREFIX + missing.name] = self._assumption_field(missing, language)

    def _assumption_field(self, missing: InputField, language: str) -> forms.Field:
        label = missing.label.in_language(language)
        if missing.type == "boolean" and self.chosen_standard is not None:
            standard = self.chosen_standard
            words = [(word, assumption(standard, missing.name, word).value_text) for word in ("no", "yes")]
            return forms.ChoiceField(label=label, required=False, choices=self._choices(words, language))
        if missing.type == "category":
            values = list(missing.allowed_values.items())
            return forms.ChoiceField(label=label, required=False, choices=self._choices(values, language))
        return forms.CharField(label=label, required=False, max_length=40)

    @staticmethod
    def _choices(values: list[tuple[str, Label]], language: str) -> list[tuple[str, str]]:
        return [
            ("", str(_("— not assumed —"))),
            *((code, text.in_language(language)) for code, text in values),
        ]

    @property
    def assumption_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(ASSUMPTION_PREFIX)]

    def clean(self) -> dict[str, Any]:
        """The values assumed, read by the engine (its refusal, in the reader's language, on the field)."""
        cleaned = super().clean() or {}
        assumptions: list[Assumption] = []
        for name in self.fields:
            value = cleaned.get(name)
            if not name.startswith(ASSUMPTION_PREFIX) or not value or self.chosen_standard is None:
                continue
            try:
                assumptions.append(
                    assumption(self.chosen_standard, name.removeprefix(ASSUMPTION_PREFIX), value)
                )
            except SimulationRefused as refused:
                self.add_error(name, refused.message.in_language(reader_language()))
        cleaned["assumptions"] = assumptions
        return cleaned
