from django.urls import path

from youth import views


app_name = "youth"

urlpatterns = [
    path("", views.jeune_list, name="jeune_list"),
    path("nouveau/", views.jeune_create, name="jeune_create"),
    path("<int:pk>/", views.jeune_detail, name="jeune_detail"),
    path("<int:pk>/modifier/", views.jeune_update, name="jeune_update"),
    path("<int:pk>/historique/", views.jeune_history, name="jeune_history"),
    path("<int:pk>/entretiens/", views.entretien_list, name="entretien_list"),
    path("<int:pk>/entretiens/nouveau/", views.entretien_create, name="entretien_create"),
    path("<int:pk>/entretiens/<int:epk>/modifier/", views.entretien_update, name="entretien_update"),
    path("<int:pk>/participations/nouvelle/", views.participation_create, name="participation_create"),
    path("<int:pk>/participations/<int:ppk>/", views.participation_detail, name="participation_detail"),
    path("<int:pk>/participations/<int:ppk>/entree/", views.participation_entree, name="participation_entree"),
    path(
        "<int:pk>/participations/<int:ppk>/questionnaire/",
        views.participation_questionnaire,
        name="participation_questionnaire",
    ),
    path("<int:pk>/participations/<int:ppk>/sortie/", views.participation_sortie, name="participation_sortie"),
    path("<int:pk>/participations/<int:ppk>/reouvrir/", views.participation_reouvrir, name="participation_reouvrir"),
    path("<int:pk>/participations/<int:ppk>/suivi/", views.suivi_create, name="suivi_create"),
    path("<int:pk>/participations/<int:ppk>/contrat.pdf", views.contrat_pdf, name="contrat_pdf"),
    path("<int:pk>/synthese.pdf", views.synthese_pdf, name="synthese_pdf"),
    path("<int:pk>/etapes/nouvelle/", views.etape_create, name="etape_create"),
    path("<int:pk>/etapes/<int:epk>/fait/", views.etape_fait, name="etape_fait"),
    path("<int:pk>/freins/nouveau/", views.frein_create, name="frein_create"),
    path("<int:pk>/freins/<int:fpk>/lever/", views.frein_lever, name="frein_lever"),
    path("<int:pk>/documents/nouveau/", views.document_create, name="document_create"),
    path("<int:pk>/documents/<int:dpk>/", views.document_download, name="document_download"),
    path("<int:pk>/supprimer/", views.jeune_delete, name="jeune_delete"),
    path("<int:pk>/fusionner/", views.jeune_merge, name="jeune_merge"),
    path(
        "<int:pk>/entretiens/<int:rpk>/supprimer/",
        views.record_delete,
        {"kind": "entretien"},
        name="entretien_delete",
    ),
    path("<int:pk>/etapes/<int:rpk>/modifier/", views.record_update, {"kind": "etape"}, name="etape_update"),
    path("<int:pk>/etapes/<int:rpk>/supprimer/", views.record_delete, {"kind": "etape"}, name="etape_delete"),
    path("<int:pk>/freins/<int:rpk>/modifier/", views.record_update, {"kind": "frein"}, name="frein_update"),
    path("<int:pk>/freins/<int:rpk>/supprimer/", views.record_delete, {"kind": "frein"}, name="frein_delete"),
    path("<int:pk>/documents/<int:rpk>/modifier/", views.record_update, {"kind": "document"}, name="document_update"),
    path("<int:pk>/documents/<int:rpk>/supprimer/", views.record_delete, {"kind": "document"}, name="document_delete"),
    path("corbeille/", views.corbeille, name="corbeille"),
    path("corbeille/<str:label>/<int:rpk>/restaurer/", views.corbeille_restore, name="corbeille_restore"),
]
