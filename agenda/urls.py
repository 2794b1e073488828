from django.urls import path

from agenda import views


app_name = "agenda"

urlpatterns = [
    path("", views.agenda, name="agenda"),
    path("rendez-vous/nouveau/", views.rendez_vous_create, name="rendez_vous_create"),
    path("rendez-vous/<int:pk>/", views.rendez_vous_detail, name="rendez_vous_detail"),
    path("rendez-vous/<int:pk>/modifier/", views.rendez_vous_update, name="rendez_vous_update"),
    path("rendez-vous/<int:pk>/statut/", views.rendez_vous_statut, name="rendez_vous_statut"),
    path("rendez-vous/<int:pk>/entretien/", views.rendez_vous_entretien, name="rendez_vous_entretien"),
    path("mon-calendrier/", views.flux, name="flux"),
    path("flux/<str:token>.ics", views.flux_ics, name="flux_ics"),
]
