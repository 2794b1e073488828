from django.urls import path

from youth import views


app_name = "youth"

urlpatterns = [
    path("", views.jeune_list, name="jeune_list"),
    path("<int:pk>/", views.jeune_detail, name="jeune_detail"),
]
