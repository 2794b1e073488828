"""A URL configuration with a staff page that forgot its role check (used to prove the matrix would see it)."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def leaky(request):
    return HttpResponse("liste du personnel")


urlpatterns = [*project_urlpatterns, path("fuite/", leaky, name="leaky")]
