from django.urls import include, path  # noqa: F401


app_name = "funding"

urlpatterns = [
    path("aides/", include("funding.aid_urls")),
]
