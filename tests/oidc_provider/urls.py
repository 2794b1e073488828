import json

from django.conf import settings
from django.contrib.auth import get_user_model, views as auth_views
from django.http import HttpResponseForbidden, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.models import get_application_model

from tests.oidc_provider import identities


@csrf_exempt
def control(request):
    """Test set-up only (a token shared with the fixture): redirect URIs of the client, people and their claims."""
    if request.method != "POST" or request.headers.get("X-Control-Token") != settings.CONTROL_TOKEN:
        return HttpResponseForbidden()
    data = json.loads(request.body)
    application = get_application_model().objects.get(client_id=settings.CLIENT_ID)
    for field, uris in (
        ("redirect_uris", data.get("redirect_uris", [])),
        ("post_logout_redirect_uris", data.get("post_logout_redirect_uris", [])),
    ):
        known = getattr(application, field).split()
        setattr(application, field, " ".join(known + [uri for uri in uris if uri not in known]))
    application.save()
    people = identities.load()
    for person in data.get("people", []):
        user, _ = get_user_model().objects.get_or_create(username=person["username"])
        user.email = person.get("email", "")
        user.set_password(person["password"])
        user.save()
        people[person["username"]] = {key: value for key, value in person.items() if key != "password"}
    identities.save(people)
    return JsonResponse({"ok": True})


urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("_control/", control),
]
