from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from core.models import AccesDossier, IdentiteProConnect, LoginEvent, Membership, Organisation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_superuser"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identité", {"fields": ("first_name", "last_name")}),
        ("Droits", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    inlines = [MembershipInline]
    filter_horizontal = []
    list_filter = ["is_active", "is_superuser"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["nom", "sigle", "kind", "commune", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["nom", "sigle"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LoginEvent)
class LoginEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "username", "kind", "ip_address"]
    list_filter = ["kind"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]


@admin.register(AccesDossier)
class AccesDossierAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "organisation", "jeune_id", "url"]
    list_filter = ["organisation"]
    search_fields = ["user__email", "url"]
    date_hierarchy = "created_at"
    list_select_related = ["user", "organisation"]


@admin.register(IdentiteProConnect)
class IdentiteProConnectAdmin(admin.ModelAdmin):
    """Delete a row to let the account link another ProConnect identity at its next ProConnect login."""

    list_display = ["user", "idp_id", "lie_le", "derniere_connexion"]
    search_fields = ["user__email"]
    readonly_fields = ["user", "sub", "idp_id", "lie_le", "derniere_connexion"]

    def has_add_permission(self, request):
        return False
