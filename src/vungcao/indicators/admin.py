"""The indicators app in Django's admin, for administrators; officers use the pages and the API.

A province's own indicator added here is checked by the same rules as through the service (the
catalogue's, against its province's catalogue), so the admin cannot store one the catalogue would refuse.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from vungcao.common.language import reader_language
from vungcao.engine.indicators.catalogue import additional_indicator_problems
from vungcao.indicators.models import (
    Indicator,
    IndicatorValue,
    Objective,
    Plan,
    ReportingPeriod,
    Target,
    UnitGroup,
)
from vungcao.indicators.selectors.catalogue import indicator_definition, province_catalogue
from vungcao.indicators.services.revisions import CHANGED_FIELDS, changed_value, indicator_values_changed


class IndicatorForm(forms.ModelForm[Indicator]):
    """The admin's form of a province's indicator: its fields, then the catalogue's rules."""

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        row = Indicator(**{name: value for name, value in cleaned.items() if name != "id"})
        definition, problems = indicator_definition(row)
        if definition is not None and row.owner_id is not None:
            catalogue = province_catalogue(row.owner, excluding=self.instance.pk)
            problems += additional_indicator_problems(definition, catalogue=catalogue)
        if problems:
            language = reader_language()
            raise forms.ValidationError([problem.reason.in_language(language) for problem in problems])
        return cleaned


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin[Indicator]):
    form = IndicatorForm
    list_display = ("code", "name_vi", "kind", "unit", "aggregation", "owner")
    list_filter = ("kind", "unit")
    search_fields = ("code", "name_vi", "name_en")
    raw_id_fields = ("owner", "created_by")


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin[IndicatorValue]):
    """Entered values; each change gives the indicators whose values it changed a new revision
    (``indicators.services.revisions``), as the services do."""

    list_display = ("indicator", "unit", "year", "value", "entered_by", "updated_at")
    list_filter = ("indicator", "year")
    search_fields = ("indicator", "unit__code", "unit__name")
    raw_id_fields = ("unit", "entered_by")

    def save_model(self, request: HttpRequest, obj: IndicatorValue, form: Any, change: bool) -> None:
        # A value moved to another indicator, unit or year changes the figures of both places.
        before = list(_changed(IndicatorValue.objects.filter(pk=obj.pk)))
        super().save_model(request, obj, form, change)
        indicator_values_changed(changed=[*before, changed_value(obj)])

    def delete_model(self, request: HttpRequest, obj: IndicatorValue) -> None:
        super().delete_model(request, obj)
        indicator_values_changed(changed=[changed_value(obj)])

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[IndicatorValue]) -> None:
        changed = list(_changed(queryset))
        super().delete_queryset(request, queryset)
        indicator_values_changed(changed=changed)


def _changed(values: QuerySet[IndicatorValue]) -> QuerySet[IndicatorValue, tuple[str, int, int]]:
    """The indicator, unit and year of each of ``values``, as their revision logs a write of them."""
    return values.order_by().values_list(*CHANGED_FIELDS)


@admin.register(UnitGroup)
class UnitGroupAdmin(admin.ModelAdmin[UnitGroup]):
    list_display = ("name", "owner", "era")
    raw_id_fields = ("owner", "members", "created_by")


class ObjectiveInline(admin.TabularInline[Objective, Plan]):
    """A plan's objectives, renamed here; added and moved on the plan's page, which keeps their positions
    1, 2, 3 … (``services.plans``)."""

    model = Objective
    extra = 0
    readonly_fields = ("position",)

    def has_add_permission(self, request: HttpRequest, obj: Plan | None = None) -> bool:
        return False


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin[Plan]):
    list_display = ("name", "unit", "from_year", "to_year")
    raw_id_fields = ("unit",)
    inlines = [ObjectiveInline]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin[Target]):
    list_display = ("indicator", "unit", "group", "kind", "value", "baseline_year", "target_year")
    list_filter = ("kind", "indicator")
    raw_id_fields = ("unit", "group", "objective", "created_by")


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin[ReportingPeriod]):
    list_display = ("subject", "indicator", "year", "level", "era", "owner", "deadline")
    list_filter = ("subject", "level", "year")
    raw_id_fields = ("owner", "created_by")
