"""Forms of plans, their objectives and the opening of reporting periods: parsing only. Names, years and
positions go to the services as typed, which check every field and name each problem (as for the API)."""

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vungcao.common.language import reader_language
from vungcao.engine.indicators.calendar import ReportingLevel, ReportSubject, default_deadline
from vungcao.engine.indicators.catalogue import Catalogue
from vungcao.geo.models import Era
from vungcao.indicators.forms import UNIT_HELP, ServiceForm, indicator_choices, refreshed_on_change
from vungcao.indicators.models import Objective, Plan
from vungcao.programs.forms.money import set_choices


class PlanForm(ServiceForm):
    name = forms.CharField(label=_("Name of the plan"), max_length=300)
    era = forms.ChoiceField(label=_("Era of the unit"), choices=Era.choices, initial=Era.CURRENT)
    unit_code = forms.CharField(label=_("Unit code"), max_length=60, help_text=UNIT_HELP)
    from_year = forms.CharField(label=_("First year"), max_length=4)
    to_year = forms.CharField(label=_("Last year"), max_length=4)


class PlanChangeForm(ServiceForm):
    name = forms.CharField(label=_("Name of the plan"), max_length=300)
    from_year = forms.CharField(label=_("First year"), max_length=4)
    to_year = forms.CharField(label=_("Last year"), max_length=4)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        initial = {"name": plan.name, "from_year": plan.from_year, "to_year": plan.to_year}
        super().__init__(*args, initial=initial, **kwargs)
        self.plan = plan

    def arguments(self) -> dict[str, object]:
        return {"plan_id": self.plan.pk, **super().arguments()}


class ObjectiveForm(ServiceForm):
    name = forms.CharField(label=_("Objective"), max_length=500)
    position = forms.CharField(
        label=_("Position"), max_length=4, help_text=_("1 for the first; empty for the end.")
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan

    def arguments(self) -> dict[str, object]:
        return {"plan_id": self.plan.pk, **super().arguments()}


class ObjectiveChangeForm(ServiceForm):
    """A new name or a new position: only the fields sent are changed (a name sent empty is refused)."""

    name = forms.CharField(max_length=500)
    position = forms.CharField(max_length=4)

    def __init__(self, *args: Any, objective: Objective, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.objective = objective

    def arguments(self) -> dict[str, object]:
        values = {name: value for name, value in self.cleaned_data.items() if name in self.data}
        return {"objective_id": self.objective.pk, "values": values}


# Opening a reporting period ------------------------------------------------------------------------------

REVIEW = ReportSubject.REVIEW.value
INDICATOR_PREFIX = "indicator:"
"""What a period asks, as one choice: the annual review, or ``indicator:<code>`` of an entered indicator."""


def asked_subject(asked: str) -> tuple[str, str]:
    """The subject and indicator code of a choice of what is asked (an unknown choice asks nothing)."""
    if asked == REVIEW:
        return REVIEW, ""
    if asked.startswith(INDICATOR_PREFIX):
        return ReportSubject.INDICATOR.value, asked.removeprefix(INDICATOR_PREFIX)
    return "", ""


def calendar_deadline(asked: str, level: str, year: str) -> tuple[datetime.date, str] | None:
    """The reporting calendar's deadline of what is asked, by whom, for ``year``, and its source in the
    reader's language; None when one of them is not given or unknown."""
    subject, _code = asked_subject(asked)
    if not (subject and level in ReportingLevel.__members__.values() and year.isdigit() and len(year) == 4):
        return None
    deadline, source = default_deadline(
        subject=ReportSubject(subject), level=ReportingLevel(level), year=int(year)
    )
    return deadline, source.in_language(reader_language())


class CalendarDeadlineInput(forms.TextInput):
    """The deadline's box, with the source of the calendar's deadline beside it; htmx replaces both when
    what is asked, the year or who reports changes."""

    template_name = "indicators/_deadline_input.html"
    source = ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["source"] = self.source
        return context


class ReportingPeriodForm(ServiceForm):
    """The choices of what is asked are shown, not enforced: the service names an indicator refused."""

    asked = forms.CharField(label=_("What is asked"), max_length=80, widget=forms.Select)
    year = forms.CharField(label=_("Year reported on"), max_length=4)
    level = forms.ChoiceField(label=_("Who reports"))
    owner_code = forms.CharField(
        label=_("Province code"),
        max_length=60,
        help_text=_("The province whose communes report, e.g. 22 for Quảng Ninh."),
    )
    era = forms.ChoiceField(label=_("Era of the reporting units"), choices=Era.choices, initial=Era.CURRENT)
    deadline = forms.CharField(label=_("Deadline"), max_length=10, widget=CalendarDeadlineInput)
    source = forms.CharField(
        label=_("Source of the deadline"),
        max_length=500,
        help_text=_("The document that sets another deadline than the calendar's."),
    )

    def __init__(self, *args: Any, catalogue: Catalogue, national: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = reader_language()
        entered = [
            (f"{INDICATOR_PREFIX}{code}", name) for code, name in indicator_choices(catalogue, enterable=True)
        ]
        asked = self.fields["asked"].widget
        assert isinstance(asked, forms.Select)
        asked.choices = [
            (REVIEW, ReportSubject.REVIEW.label.in_language(language)),
            (_("Entered indicators"), entered),
        ]
        set_choices(
            self, "level", [(level.value, level.label.in_language(language)) for level in ReportingLevel]
        )
        if not national:  # the communes of the user's province report: the level is not a choice
            del self.fields["level"]
        refreshed_on_change(
            self, ("asked", "year", "level"), "indicators:reporting-deadline", "deadline-field"
        )
        self.refresh_deadline()

    def _asked(self, name: str) -> str:
        """A field's value as the reader left it (sent, or as first shown)."""
        value = self.data.get(name) if self.is_bound else None
        return str(value if value is not None else self.get_initial_for_field(self.fields[name], name) or "")

    def refresh_deadline(self) -> None:
        """The calendar's deadline of what is asked, shown beside the box and, on a new form, in it."""
        level = self._asked("level") if "level" in self.fields else ReportingLevel.COMMUNE.value
        found = calendar_deadline(self._asked("asked"), level, self._asked("year"))
        if found is None:
            return
        deadline, source = found
        widget = self.fields["deadline"].widget
        assert isinstance(widget, CalendarDeadlineInput)
        widget.source = str(_("The reporting calendar's: {source}")).format(source=source)
        if not self.is_bound:
            self.initial["deadline"] = deadline.strftime("%d/%m/%Y")

    def arguments(self) -> dict[str, object]:
        values = super().arguments()["values"]
        assert isinstance(values, dict)
        subject, code = asked_subject(str(values.pop("asked", "")))
        values.update({"subject": subject, "indicator": code} if subject else {})
        return {"values": values}

    def refusal(self, name: str, message: str) -> None:
        """What is asked is one field here: the service's subject and indicator."""
        super().refusal("asked" if name in ("subject", "indicator") else name, message)
