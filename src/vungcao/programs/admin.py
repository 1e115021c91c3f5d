"""The programmes app in Django's admin, for administrators; pages and the API are the way for officers.

Components are retired, never deleted, so money recorded against them is kept: the admin offers no
deletion of programmes, components or capital sources.
"""

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from vungcao.programs.models import (
    CapitalSource,
    Component,
    HouseholdSupport,
    MoneyRecord,
    Programme,
    RevolvingHolding,
    RevolvingModel,
    Work,
)
from vungcao.programs.rollups import money_totals_refresh


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin[Programme]):
    list_display = ("code", "name_vi", "name_en", "start_year", "end_year", "owner", "owner_unit")
    search_fields = ("code", "name_vi", "name_en", "legal_basis")
    raw_id_fields = ("owner_unit",)

    def has_delete_permission(self, request: HttpRequest, obj: Programme | None = None) -> bool:
        return False


@admin.register(Component)
class ComponentAdmin(admin.ModelAdmin[Component]):
    list_display = ("code", "numbering", "name_vi", "kind", "programme", "is_active")
    list_filter = ("programme", "kind", "is_active")
    search_fields = ("code", "name_vi", "name_en", "numbering")
    readonly_fields = ("path", "programme", "parent", "code")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # components are added on the programme's page, which keeps the tree's paths

    def has_delete_permission(self, request: HttpRequest, obj: Component | None = None) -> bool:
        return False


@admin.register(CapitalSource)
class CapitalSourceAdmin(admin.ModelAdmin[CapitalSource]):
    list_display = ("code", "name_vi", "name_en", "is_budget", "position")
    list_filter = ("is_budget",)

    def has_delete_permission(self, request: HttpRequest, obj: CapitalSource | None = None) -> bool:
        return False


@admin.register(MoneyRecord)
class MoneyRecordAdmin(admin.ModelAdmin[MoneyRecord]):
    list_display = ("kind", "year", "to_year", "unit", "component", "source", "amount_vnd", "document_no")
    list_filter = ("kind", "year", "source")
    search_fields = ("document_no", "unit__code", "component__code")
    raw_id_fields = ("unit", "component", "work")
    list_select_related = ("unit", "component", "source")
    date_hierarchy = "document_date"

    def save_model(self, request: HttpRequest, obj: MoneyRecord, form: Any, change: bool) -> None:
        # A record moved to another unit changes the totals of both.
        before = list(MoneyRecord.objects.filter(pk=obj.pk).values_list("unit", flat=True))
        super().save_model(request, obj, form, change)
        money_totals_refresh([*before, obj.unit_id])

    def delete_model(self, request: HttpRequest, obj: MoneyRecord) -> None:
        super().delete_model(request, obj)
        money_totals_refresh([obj.unit_id])

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[MoneyRecord]) -> None:
        units = list(queryset.order_by().values_list("unit", flat=True).distinct())
        super().delete_queryset(request, queryset)
        money_totals_refresh(units)


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin[Work]):
    list_display = ("name", "kind", "unit", "component", "investment_total_vnd", "status", "progress_percent")
    list_filter = ("kind", "status")
    search_fields = ("name", "unit__code", "component__code")
    raw_id_fields = ("unit", "component")
    list_select_related = ("unit", "component")


@admin.register(HouseholdSupport)
class HouseholdSupportAdmin(admin.ModelAdmin[HouseholdSupport]):
    list_display = (
        "household_code",
        "household",
        "kind",
        "year",
        "component",
        "amount_vnd",
        "recorded_status",
    )
    list_filter = ("kind", "year", "recorded_status")
    search_fields = ("household_code", "unit__code", "component__code")
    raw_id_fields = ("unit", "household", "component")
    list_select_related = ("unit", "household", "component")


class RevolvingHoldingInline(admin.TabularInline[RevolvingHolding, RevolvingModel]):
    model = RevolvingHolding
    extra = 0


@admin.register(RevolvingModel)
class RevolvingModelAdmin(admin.ModelAdmin[RevolvingModel]):
    list_display = ("name", "item", "unit", "component")
    search_fields = ("name", "unit__code")
    raw_id_fields = ("unit", "component")
    inlines = (RevolvingHoldingInline,)


@admin.register(RevolvingHolding)
class RevolvingHoldingAdmin(admin.ModelAdmin[RevolvingHolding]):
    list_display = ("model", "sequence", "household_code", "received_on", "due_on", "handed_on")
    list_filter = ("handed_on",)
    search_fields = ("household_code", "model__name")
    raw_id_fields = ("model",)
