from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.contrib import admin
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from vungcao.engine.text import fold
from vungcao.geo.models import AdministrativeUnit, CrosswalkLink, Era, Level, UnitAttribute
from vungcao.geo.services.crosswalk import history_links_changing
from vungcao.geo.services.revision import unit_tree_changed

TreeModel = TypeVar("TreeModel", bound=Model)


class TreeChangingAdmin(admin.ModelAdmin[TreeModel]):
    """An admin of units or links: each change gives the tree a new revision (``geo.selectors_tree``)."""

    def save_model(self, request: HttpRequest, obj: TreeModel, form: Any, change: bool) -> None:
        with self.changing():
            super().save_model(request, obj, form, change)

    def delete_model(self, request: HttpRequest, obj: TreeModel) -> None:
        with self.changing():
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[TreeModel]) -> None:
        with self.changing():
            super().delete_queryset(request, queryset)

    @contextmanager
    def changing(self) -> Iterator[None]:
        """Around a change, in one transaction: after it, the tree's readers are told."""
        with transaction.atomic():
            yield
            unit_tree_changed()


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(TreeChangingAdmin[AdministrativeUnit]):
    list_display = ("code", "name", "era", "level", "division_type", "valid_from", "valid_to")
    list_filter = ("era", "level", "is_official")
    search_fields = ("code", "name", "name_folded")
    raw_id_fields = ("parent",)
    # What places a unit in the tree (its path, read by every scope and figure, and the paths and the
    # households' provinces under it) is changed by `vungcao load_units` and the village services, which
    # move everything under it; here, only what names and dates it.
    readonly_fields = ("era", "code", "level", "parent", "path", "depth", "is_official", "name_folded")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: AdministrativeUnit, form: Any, change: bool) -> None:
        obj.name_folded = fold(obj.name)  # what the unit is searched by
        super().save_model(request, obj, form, change)

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
class CrosswalkLinkAdmin(TreeChangingAdmin[CrosswalkLink]):
    list_display = ("old_unit", "new_unit", "share", "provenance")
    list_filter = ("provenance",)
    raw_id_fields = ("old_unit", "new_unit")

    @contextmanager
    def changing(self) -> Iterator[None]:
        """Around a change of a link: the old units are locked and what is carried across told, as for
        any write of the links."""
        with history_links_changing():
            yield
