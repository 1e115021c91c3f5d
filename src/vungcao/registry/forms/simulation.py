"""The policy simulation's form: which standard, which year of the snapshot, which cut-off."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vungcao.common.bounds import FIRST_YEAR, LAST_YEAR
from vungcao.common.language import reader_language
from vungcao.engine.poverty import default_catalogue

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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = reader_language()
        self.fields["standard"].choices = [  # type: ignore[attr-defined]
            (standard.identifier, f"{standard.identifier} · {standard.name.in_language(language)}")
            for standard in default_catalogue()
        ]
