"""The project's URLs plus one view that fails, to see what error reporting sends."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as project_urlpatterns


@csrf_exempt
@login_not_required
def boom(request):
    nom_du_jeune = request.POST["nom"]  # personal data in a local variable: it must not leave the server
    raise RuntimeError(f"échec de test ({len(nom_du_jeune)})")


urlpatterns = [*project_urlpatterns, path("test-erreur/", boom)]
