from django.contrib import admin

from vungcao.imports.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin[ImportBatch]):
    list_display = ("created_at", "filename", "kind", "status", "user", "created_count", "updated_count")
    list_filter = ("kind", "status")
    exclude = ("content",)
    readonly_fields = ("user", "kind", "filename", "status", "problems", "applied_at")
