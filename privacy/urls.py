from django.urls import path

from privacy import views


app_name = "privacy"

urlpatterns = [
    path("registre/", views.registre, name="registre"),
    path("jeunes/<int:pk>/", views.jeune_rights, name="jeune_rights"),
    path("jeunes/<int:pk>/export.json", views.jeune_export_json, name="jeune_export_json"),
    path("jeunes/<int:pk>/export.pdf", views.jeune_export_pdf, name="jeune_export_pdf"),
    path("jeunes/<int:pk>/effacement/", views.jeune_erase, name="jeune_erase"),
]
