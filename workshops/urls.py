from django.urls import path

from workshops import views


app_name = "workshops"

urlpatterns = [
    path("", views.atelier_list, name="atelier_list"),
    path("nouveau/", views.atelier_create, name="atelier_create"),
    path("<int:pk>/", views.atelier_detail, name="atelier_detail"),
    path("<int:pk>/modifier/", views.atelier_update, name="atelier_update"),
    path("<int:pk>/seances/nouvelle/", views.seance_create, name="seance_create"),
    path("seances/<int:pk>/", views.seance_detail, name="seance_detail"),
    path("seances/<int:pk>/modifier/", views.seance_update, name="seance_update"),
    path("seances/<int:pk>/inscrire/", views.inscription_create, name="inscription_create"),
    path("seances/<int:pk>/presences/", views.presences_update, name="presences_update"),
    path("seances/<int:pk>/emargement.pdf", views.emargement_pdf, name="emargement_pdf"),
    path("seances/<int:pk>/emargement-signe/", views.emargement_upload, name="emargement_upload"),
    path("seances/<int:pk>/emargement-signe/fichier/", views.emargement_download, name="emargement_download"),
    path("inscriptions/<int:pk>/retirer/", views.inscription_delete, name="inscription_delete"),
    path("immersions/", views.immersion_list, name="immersion_list"),
    path("immersions/nouvelle/", views.immersion_create, name="immersion_create"),
    path("immersions/<int:pk>/", views.immersion_detail, name="immersion_detail"),
    path("immersions/<int:pk>/modifier/", views.immersion_update, name="immersion_update"),
    path("immersions/<int:pk>/evaluation/", views.immersion_evaluate, name="immersion_evaluate"),
    path("immersions/<int:pk>/convention.pdf", views.immersion_pdf, name="immersion_pdf"),
]
