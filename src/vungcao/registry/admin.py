"""The registry in Django's admin: the log of reads of personal data, read-only."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from vungcao.accounts import access
from vungcao.registry.models import PersonalDataRead


@admin.register(PersonalDataRead)
class PersonalDataReadAdmin(admin.ModelAdmin[PersonalDataRead]):
    """Nothing can be added, changed or deleted here: reads are recorded by the pages and the API alone."""

    list_display = (
        "read_at",
        "user",
        "kind",
        "household",
        "household_count",
        "identity_numbers_whole",
        "query",
        "address",
    )
    list_filter = ("kind", "identity_numbers_whole", "read_at")
    search_fields = ("=user__username", "=household__code")
    date_hierarchy = "read_at"
    list_select_related = ("user", "household")
    # A foreign key is shown as its text, never as a select of every household or user.
    raw_id_fields = ("user", "household")
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[PersonalDataRead]:
        return access.restrict_personal_data_reads(
            super().get_queryset(request), access.request_user(request)
        )

    def has_view_permission(self, request: HttpRequest, obj: PersonalDataRead | None = None) -> bool:
        return request.user.is_staff and access.can_see_personal_data_reads(access.request_user(request))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PersonalDataRead | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: PersonalDataRead | None = None) -> bool:
        return False
