from django.contrib import admin

from reports.models import BilanJob


@admin.register(BilanJob)
class BilanJobAdmin(admin.ModelAdmin):
    """Technical view of the PDF jobs (no case data: figures only exist in the generated file)."""

    list_display = ["pk", "operation", "du", "au", "status", "progress", "attempts", "created_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["operation"]
    readonly_fields = [field.name for field in BilanJob._meta.fields]

    def has_add_permission(self, request):
        return False
