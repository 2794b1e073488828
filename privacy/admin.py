from django.contrib import admin

from privacy.models import RetentionRun


@admin.register(RetentionRun)
class RetentionRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "dry_run", "archived_count", "anonymised_count"]
    list_filter = ["dry_run"]
    readonly_fields = [f.name for f in RetentionRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
