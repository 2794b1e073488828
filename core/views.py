import logging

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import proconnect
from core.forms import LoginForm
from core.heartbeat import heartbeat_status
from core.middleware import ENDED_KEY, SESSION_KEY


logger = logging.getLogger(__name__)


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["proconnect_enabled"] = proconnect.enabled()
        return context

    def get(self, request, *args, **kwargs):
        ended = request.session.pop(ENDED_KEY, None)  # set by core.middleware when a deactivation ended a session
        if ended:
            messages.warning(request, ended)
        return super().get(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    """Django's logout; after a ProConnect login, the browser then ends the ProConnect session too."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get(proconnect.ID_TOKEN_SESSION_KEY)
        response = super().post(request, *args, **kwargs)
        if id_token and proconnect.enabled():
            end_session = proconnect.end_session_url(request, id_token)
            if end_session:
                # A page that moves on by itself: a redirect to another site would break the CSP's form-action.
                return render(request, "registration/proconnect_logout.html", {"end_session_url": end_session})
        return response


@require_POST
def switch_organisation(request):
    try:
        organisation_id = int(request.POST.get("organisation", ""))
    except ValueError as exc:
        raise Http404 from exc
    membership = next((m for m in request.memberships if m.organisation_id == organisation_id), None)
    if membership is None:
        raise Http404
    request.session[SESSION_KEY] = organisation_id
    messages.success(request, f"Vous travaillez maintenant pour {membership.organisation}.")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    return redirect(next_url)


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_broker():
    from django.conf import settings

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    import redis

    redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2).ping()
    return "ok"


def _check_storage():
    """Object storage: one cheap HEAD on the bucket (« s3 »). Local disk: write then delete a probe file."""
    bucket = getattr(default_storage, "bucket_name", None)
    if bucket:
        default_storage.connection.meta.client.head_bucket(Bucket=bucket)
        return "s3"
    name = default_storage.save("sante/.probe", ContentFile(b"ok"))
    default_storage.delete(name)
    return "ok"


CHECKS = (
    ("database", _check_database),
    ("broker", _check_broker),
    ("storage", _check_storage),
    ("worker", heartbeat_status),
)


@login_not_required
@never_cache
def sante(request):
    """Health check: 200 when database, broker, storage and the worker's heartbeat answer, 503 otherwise."""
    status = {}
    healthy = True
    for name, check in CHECKS:
        try:
            result = check()
            status[name] = result if isinstance(result, str) else "ok"
        except Exception as exc:  # noqa: BLE001 - any failure is reported, not raised
            logger.warning("Health check %s failed: %s", name, exc)
            status[name] = "erreur"
            healthy = False
    status["status"] = "ok" if healthy else "erreur"
    return JsonResponse(status, status=200 if healthy else 503)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def login_url():
    return reverse("login")


LOCKOUT_MESSAGE = (
    "Trop de tentatives de connexion échouées : la connexion à ce compte depuis cet appareil est bloquée "
    "pendant {minutes} minutes. Réessayez plus tard, ou utilisez « Mot de passe oublié ? »."
)


def lockout(request, original_response=None, credentials=None):
    """django-axes lockout: the login page again, with a clear French message (HTTP 429)."""
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    # An unbound form (binding it would try to authenticate again); it keeps the e-mail that was typed.
    form = LoginForm(request, initial={"username": request.POST.get("username", "")})
    message = LOCKOUT_MESSAGE.format(minutes=minutes)
    return render(
        request,
        "registration/login.html",
        {
            "form": form,
            "lockout_message": message,
            "next": request.POST.get("next", ""),
            "proconnect_enabled": proconnect.enabled(),
        },
        status=429,
    )


@never_cache
def search(request):
    """The matches of a search field (``core.widgets``): at most ``SEARCH_LIMIT`` records of the current scope."""
    from django.core.exceptions import PermissionDenied

    from core.forms import scope_choices
    from core.widgets import get_kind, results_context, run_search

    if request.membership is None:
        raise PermissionDenied
    kind = get_kind(request.GET.get("type", ""))
    name = request.GET.get("champ", "")
    if kind is None or not name.replace("-", "").replace("_", "").isalnum():
        raise Http404
    text = request.GET.get(f"{name}__q", request.GET.get("q", ""))
    queryset = scope_choices(kind.queryset(request), request.scope)
    matches = run_search(request.GET["type"], queryset, text)
    context = results_context(
        request.GET["type"], name, matches, text.strip(), multiple=request.GET.get("multiple") == "1", label=kind.label
    )
    return render(request, "core/widgets/search_results.html", {"results": context})
