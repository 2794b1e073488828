from django.urls import path

from reports import views


app_name = "reports"

urlpatterns = [
    path("", views.bilan_index, name="bilan_index"),
    path("operations/<int:pk>/", views.bilan_operation, name="bilan_operation"),
    path("operations/<int:pk>/pdf/", views.bilan_job_launch_view, name="bilan_job_launch"),
    path("operations/<int:pk>/export/<slug:kind>/", views.bilan_export, name="bilan_export"),
    path("operations/<int:pk>/textes/", views.bilan_textes, name="bilan_textes"),
    path("operations/<int:pk>/correspondance/", views.bilan_correspondance, name="bilan_correspondance"),
    path("grilles-densite/", views.grille_densite_list, name="grille_densite_list"),
    path("travaux/<int:pk>/", views.bilan_job_progress, name="bilan_job_progress"),
    path("travaux/<int:pk>/relancer/", views.bilan_job_relaunch_view, name="bilan_job_relaunch"),
    path("travaux/<int:pk>/telecharger/", views.bilan_job_download, name="bilan_job_download"),
    path("operations/<int:pk>/controle/", views.csf_index, name="csf_index"),
    path("controles/<int:pk>/", views.csf_pack_progress, name="csf_pack_progress"),
    path("controles/<int:pk>/relancer/", views.csf_pack_relaunch_view, name="csf_pack_relaunch"),
    path("controles/<int:pk>/telecharger/", views.csf_pack_download, name="csf_pack_download"),
    path("imports/", views.import_index, name="import_index"),
    path("imports/erreurs/", views.import_errors, name="import_errors"),
    path("imports/lancer/", views.import_launch, name="import_launch"),
    path("imports/<int:pk>/", views.import_job_progress, name="import_job_progress"),
    path("imports/<int:pk>/relancer/", views.import_job_relaunch_view, name="import_job_relaunch"),
    path("imports/<int:pk>/fichier/", views.import_job_file, name="import_job_file"),
]
