from django.contrib import admin

from vungcao.geo.models import AdministrativeUnit, CrosswalkLink, UnitAttribute


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin[AdministrativeUnit]):
    list_display = ("code", "name", "era", "level", "division_type", "valid_from", "valid_to")
    list_filter = ("era", "level", "is_official")
    search_fields = ("code", "name", "name_folded")
    raw_id_fields = ("parent",)
    readonly_fields = ("path", "depth", "name_folded")


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
