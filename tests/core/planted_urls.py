"""A URL configuration with two deliberately broken views, used to prove the harness catches them."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from youth.models import Jeune


def unscoped_jeune(request, pk):
    jeune = Jeune.objects.get(pk=pk)  # the bug: no for_user()
    return HttpResponse(str(jeune))


@login_not_required
def public_by_mistake(request):
    return HttpResponse("ouvert")


urlpatterns = [
    *project_urlpatterns,
    path("plante/<int:pk>/", unscoped_jeune, name="planted_unscoped"),
    path("plante/ouvert/", public_by_mistake, name="planted_public"),
]
