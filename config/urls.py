from django.contrib import admin
from django.urls import include, path


admin.site.site_header = "Tremplin — administration technique"
admin.site.site_title = "Tremplin"

urlpatterns = [
    path("", include("home.urls")),
    path("", include("core.urls")),
    path("jeunes/", include("youth.urls")),
    path("reperage/", include("outreach.urls")),
    path("portail/", include("outreach.portal_urls")),
    path("diagnostics/", include("diagnostics.urls")),
    path("ateliers/", include("workshops.urls")),
    path("entreprises/", include("employers.urls")),
    path("financements/aides/", include("aids.urls")),
    path("financements/", include("expenses.urls")),
    path("financements/", include("funding.urls")),
    path("agenda/", include("agenda.urls")),
    path("bilans/", include("reports.urls")),
    path("rgpd/", include("privacy.urls")),
    path("", include("team.urls")),
    path("notifications/", include("notifications.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
