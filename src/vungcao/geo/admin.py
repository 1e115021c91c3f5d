from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from vungcao.engine.text import fold
from vungcao.geo.models import AdministrativeUnit, CrosswalkLink, Era, Level, UnitAttribute


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin[AdministrativeUnit]):
    list_display = ("code", "name", "era", "level", "division_type", "valid_from", "valid_to")
    list_filter = ("era", "level", "is_official")
    search_fields = ("code", "name", "name_folded")
    raw_id_fields = ("parent",)
    readonly_fields = ("path", "depth", "name_folded")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[AdministrativeUnit], search_term: str
    ) -> tuple[QuerySet[AdministrativeUnit], bool]:
        """Searched by code or name, with or without diacritics (the term is folded as ``name_folded`` is);
        for a user's scope, only the units a scope can be: open provinces and communes of the current era."""
        results, may_have_duplicates = super().get_search_results(request, queryset, fold(search_term))
        if request.GET.get("model_name") == "user" and request.GET.get("field_name") == "scope":
            results = results.filter(
                era=Era.CURRENT, level__in=(Level.PROVINCE, Level.COMMUNE), valid_to__isnull=True
            )
        return results, may_have_duplicates


@admin.register(UnitAttribute)
class UnitAttributeAdmin(admin.ModelAdmin[UnitAttribute]):
    list_display = ("unit", "kind", "value", "valid_from", "valid_to", "legal_basis")
    list_filter = ("kind",)
    raw_id_fields = ("unit",)


@admin.register(CrosswalkLink)
class CrosswalkLinkAdmin(admin.ModelAdmin[CrosswalkLink]):
    list_display = ("old_unit", "new_unit", "share", "provenance")
    list_filter = ("provenance",)
    raw_id_fields = ("old_unit", "new_unit")
