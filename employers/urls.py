from django.urls import path

from employers import views


app_name = "employers"

urlpatterns = [
    path("", views.entreprise_list, name="entreprise_list"),
    path("nouvelle/", views.entreprise_create, name="entreprise_create"),
    path("<int:pk>/", views.entreprise_detail, name="entreprise_detail"),
    path("<int:pk>/modifier/", views.entreprise_update, name="entreprise_update"),
    path("<int:pk>/contacts/nouveau/", views.contact_create, name="contact_create"),
    path("<int:pk>/echanges/nouveau/", views.interaction_create, name="interaction_create"),
    path("<int:pk>/offres/nouvelle/", views.offre_create, name="offre_create"),
    path("placements/", views.placement_list, name="placement_list"),
    path("placements/nouveau/", views.placement_create, name="placement_create"),
    path("placements/<int:pk>/", views.placement_detail, name="placement_detail"),
    path("placements/<int:pk>/modifier/", views.placement_update, name="placement_update"),
]
