from django.urls import path

from aids import views as aid_views


app_name = "aids"

urlpatterns = [
    path("", aid_views.aide_list, name="aide_list"),
    path("nouvelle/", aid_views.aide_create, name="aide_create"),
    path("<int:pk>/modifier/", aid_views.aide_update, name="aide_update"),
    path("consommation/", aid_views.aide_consommation, name="aide_consommation"),
]
