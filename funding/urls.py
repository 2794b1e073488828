from django.urls import path

from funding import views


app_name = "funding"

urlpatterns = [
    path("", views.operation_list, name="operation_list"),
    path("nouvelle/", views.operation_create, name="operation_create"),
    path("<int:pk>/", views.operation_detail, name="operation_detail"),
    path("<int:pk>/modifier/", views.operation_edit, name="operation_edit"),
    path("<int:pk>/objectifs/", views.objectifs_edit, name="objectifs_edit"),
    path("<int:pk>/budget/", views.budget_edit, name="budget_edit"),
    path("<int:pk>/ressources/", views.ressources_edit, name="ressources_edit"),
]
