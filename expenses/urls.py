"""Under ``/financements/<operation pk>/``: the ledger, staff time and resources received."""

from django.urls import path

from expenses import views


app_name = "expenses"

urlpatterns = [
    path("<int:pk>/depenses/", views.depense_list, name="depense_list"),
    path("<int:pk>/depenses/nouvelle/", views.depense_create, name="depense_create"),
    path("<int:pk>/depenses/import/", views.depense_import, name="depense_import"),
    path("<int:pk>/depenses/import/erreurs.csv", views.depense_import_errors, name="depense_import_errors"),
    path("<int:pk>/depenses/<int:depense_pk>/", views.depense_detail, name="depense_detail"),
    path("<int:pk>/depenses/<int:depense_pk>/justificatif/", views.depense_justificatif, name="depense_justificatif"),
    path("<int:pk>/temps/", views.temps, name="temps"),
    path("<int:pk>/temps/salaries/nouveau/", views.salarie_create, name="salarie_create"),
    path("<int:pk>/temps/feuilles/nouvelle/", views.feuille_create, name="feuille_create"),
    path("<int:pk>/temps/feuilles/<int:feuille_pk>/", views.feuille_edit, name="feuille_edit"),
    path("<int:pk>/temps/feuilles/<int:feuille_pk>/scan/", views.feuille_scan, name="feuille_scan"),
    path("<int:pk>/temps/feuilles/<int:feuille_pk>/imprimer/", views.feuille_print, name="feuille_print"),
    path("<int:pk>/ressources-recues/", views.ressource_list, name="ressource_list"),
]
