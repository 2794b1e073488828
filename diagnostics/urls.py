from django.urls import path

from diagnostics import views


app_name = "diagnostics"

urlpatterns = [
    path("questionnaires/", views.questionnaire_list, name="questionnaire_list"),
    path("questionnaires/installer/", views.questionnaire_install, name="questionnaire_install"),
    path("questionnaires/<int:questionnaire_id>/nouvelle-version/", views.version_create, name="version_create"),
    path("versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("jeunes/<int:jeune_id>/", views.jeune_diagnostics, name="jeune_diagnostics"),
    path("jeunes/<int:jeune_id>/evaluations/nouvelle/", views.evaluation_create, name="evaluation_create"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/fiche.pdf", views.evaluation_pdf, name="evaluation_pdf"),
    path("evaluations/<int:pk>/corriger/", views.evaluation_update, name="evaluation_update"),
    path("evaluations/<int:pk>/supprimer/", views.evaluation_delete, name="evaluation_delete"),
    path("progression/", views.progression, name="progression"),
]
