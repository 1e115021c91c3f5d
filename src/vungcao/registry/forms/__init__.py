"""Forms of the registry pages: parsing only; the rules live in services."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vungcao.common.bounds import FIRST_YEAR, LAST_YEAR, column_length, date_validators
from vungcao.common.language import reader_language
from vungcao.engine import numbers
from vungcao.engine.poverty import Standard
from vungcao.engine.poverty.validation import ABOVE_MAXIMUM, BELOW_MINIMUM
from vungcao.engine.text import format_number
from vungcao.geo.models import AdministrativeUnit
from vungcao.registry.fields import form_choices
from vungcao.registry.models import Household, Member
from vungcao.registry.reference import ethnic_group_choices
from vungcao.registry.selectors.households import CHANGES

UNIT_CODE_LENGTH = column_length(AdministrativeUnit, "code")
HOUSEHOLD_CODE_LENGTH = column_length(Household, "code")

STATUS_CHOICES = [
    ("", _("Any status")),
    ("poor", _("Poor")),
    ("near_poor", _("Near-poor")),
    ("average", _("Average living standard")),
    ("not_poor", _("Not poor")),
]
GROUPING_LABELS = {
    "village": _("Village"),
    "commune": _("Commune"),
    "province": _("Province"),
    "ethnic_group": _("Ethnic group of the head"),
}
CHANGE_LABELS = {
    "escaped": _("Escaped poverty"),
    "fell_into": _("Fell into poverty"),
    "stayed_poor": _("Stayed poor"),
    "became_near_poor": _("Became near-poor"),
    "fell_back": _("Fell back after escaping"),
    "new": _("New this year"),
    "dissolved": _("Dissolved"),
}


class OpenReviewForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2016, max_value=2035)
    standard = forms.CharField(label=_("Standard (empty: the one in force)"), required=False, max_length=40)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class HouseholdFilterForm(forms.Form):
    unit = forms.CharField(label=_("Unit code"), required=False, max_length=UNIT_CODE_LENGTH)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2016, max_value=2035)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    ethnic_group = forms.ChoiceField(label=_("Ethnic group of the head"), required=False)
    deprived = forms.ChoiceField(label=_("Deprived in"), required=False)
    change = forms.ChoiceField(
        label=_("Change since last year"),
        required=False,
        choices=[("", _("Any")), *[(key, CHANGE_LABELS[key]) for key in CHANGES]],
    )
    q = forms.CharField(label=_("Search code, address or member"), required=False, max_length=100)

    def __init__(self, *args: Any, indicators: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        """``indicators``: the deprivation indicators offered, as (identifier, label) pairs."""
        super().__init__(*args, **kwargs)
        self.fields["ethnic_group"].choices = [("", _("Any")), *ethnic_group_choices()]  # type: ignore[attr-defined]
        self.fields["deprived"].choices = [("", _("Any")), *indicators]  # type: ignore[attr-defined]


class MoveForm(forms.Form):
    village_code = forms.CharField(label=_("To village (code)"), max_length=UNIT_CODE_LENGTH)
    on = forms.DateField(
        label=_("On"), widget=forms.DateInput(attrs={"type": "date"}), validators=date_validators()
    )


class MergeForm(forms.Form):
    into_code = forms.CharField(label=_("Into household (code)"), max_length=HOUSEHOLD_CODE_LENGTH)
    on = forms.DateField(
        label=_("On"), widget=forms.DateInput(attrs={"type": "date"}), validators=date_validators()
    )


class SplitForm(forms.Form):
    members = forms.MultipleChoiceField(label=_("Members who leave"), widget=forms.CheckboxSelectMultiple)
    new_head = forms.ChoiceField(label=_("Head of the new household"))
    new_code = forms.CharField(label=_("Code of the new household"), max_length=HOUSEHOLD_CODE_LENGTH)
    on = forms.DateField(
        label=_("On"), widget=forms.DateInput(attrs={"type": "date"}), validators=date_validators()
    )

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(pk), name) for pk, name in members]
        self.fields["members"].choices = choices  # type: ignore[attr-defined]
        self.fields["new_head"].choices = choices  # type: ignore[attr-defined]


class HouseholdForm(forms.Form):
    village_code = forms.CharField(label=_("Village (code)"), max_length=UNIT_CODE_LENGTH)
    code = forms.CharField(label=_("Household code"), max_length=column_length(Household, "code"))
    area = forms.ChoiceField(label=_("Area"), choices=form_choices("area"))
    address = forms.CharField(
        label=_("Address"), max_length=column_length(Household, "address"), required=False
    )


class MemberForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=column_length(Member, "full_name"))
    sex = forms.ChoiceField(label=_("Sex"), choices=form_choices("sex"))
    birth_year = forms.IntegerField(label=_("Year of birth"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    ethnic_group = forms.ChoiceField(label=_("Ethnic group"))
    relation_to_head = forms.ChoiceField(
        label=_("Relation to the head"), choices=form_choices("relation_to_head")
    )
    identity_number = forms.CharField(
        label=_("Identity number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ethnic_group"].choices = ethnic_group_choices()  # type: ignore[attr-defined]


MemberFormSet = forms.formset_factory(MemberForm, extra=6, max_num=30)


class NumberField(forms.Field):
    """A number typed as officials write it (``1.500.000``, ``1,5 triệu``, ``1 200 000``), read by the one
    number parser (``engine.numbers``). A saved number is shown as the reader writes it (``1.200.000``,
    ``32,5`` in Vietnamese), which reads back the same; three decimals would read as grouped thousands or
    be refused as ambiguous (``1,125``), so they are shown with a fourth zero (``1,1250``:
    ``engine.numbers.format_unambiguous_number``)."""

    widget = forms.TextInput

    def __init__(
        self, *, whole: bool, min_value: float | None = None, max_value: float | None = None, **kwargs: Any
    ) -> None:
        self.whole, self.min_value, self.max_value = whole, min_value, max_value
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric" if whole else "decimal", "autocomplete": "off"})

    def to_python(self, value: Any) -> int | float | None:
        if value in self.empty_values:
            return None
        language = reader_language()
        try:
            number = numbers.parse_number(
                value, whole=self.whole, amount=True, negative=True, language=language
            )
        except numbers.NumberError as error:
            raise forms.ValidationError(error.message(language)) from error
        return int(number) if self.whole else float(number)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        language = reader_language()
        if self.min_value is not None and value < self.min_value:
            raise forms.ValidationError(
                BELOW_MINIMUM.in_language(language).format(minimum=format_number(self.min_value, language))
            )
        if self.max_value is not None and value > self.max_value:
            raise forms.ValidationError(
                ABOVE_MAXIMUM.in_language(language).format(maximum=format_number(self.max_value, language))
            )

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return value
        return numbers.format_unambiguous_number(value, reader_language())


class YesNoField(forms.TypedChoiceField):
    """A yes/no answer as a choice of "Yes", "No" or none: a saved answer (``True``/``False``) is shown
    chosen when the form is opened again, and what is chosen comes back as ``True``/``False``, as
    stored: for a question asked the other way round from its stored column (``inverted``: "does the
    household meet the indicator?" for "is it deprived?"), "Yes" is stored ``False``."""

    def __init__(self, *, label: str, required: bool, inverted: bool = False) -> None:
        self.inverted = inverted
        super().__init__(
            label=label,
            choices=[("", "—"), ("true", _("Yes")), ("false", _("No"))],
            coerce=lambda value: (value == "true") != inverted,
            required=required,
        )

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, bool):
            return "true" if value != self.inverted else "false"
        return super().prepare_value(value)


def answers_form(
    standard: Standard, language: str, data: object = None, initial: dict[str, object] | None = None
) -> forms.Form:
    """A form with one field per answer the standard reads, labelled from its data file."""
    fields: dict[str, forms.Field] = {}
    for input_field in standard.all_fields:
        label = input_field.asked.in_language(language)
        if input_field.unit:
            label = f"{label} ({input_field.unit.in_language(language)})"
        if input_field.type == "boolean":
            fields[input_field.name] = YesNoField(
                label=label, required=input_field.required, inverted=input_field.inverted
            )
        elif input_field.type == "category":
            choices = [
                (value, text.in_language(language)) for value, text in input_field.allowed_values.items()
            ] or [(area, area) for area in standard.areas]
            fields[input_field.name] = forms.ChoiceField(
                label=label, choices=choices, required=input_field.required
            )
        else:
            fields[input_field.name] = NumberField(
                label=label,
                required=input_field.required,
                whole=input_field.type == "integer",
                min_value=input_field.minimum,
                max_value=input_field.maximum,
            )
    form_class = type("AnswersForm", (forms.Form,), fields)
    return form_class(data=data, initial=initial)  # type: ignore[no-any-return]
