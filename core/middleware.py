"""Sets ``request.scope`` (``core.scope.Scope``: the current organisation and role), ``request.organisation`` and
``request.membership``. A request acts in exactly one organisation, the current one."""

import time
from urllib.parse import parse_qsl

from django.conf import settings
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY, logout
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponseBadRequest
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string

from core.models import Membership
from core.scope import Scope


SESSION_KEY = "organisation_id"
# Why the previous session ended (shown once on the login page, ``core.views.LoginView``).
ENDED_KEY = "session_terminee"
ACCESS_ENDED = (
    "Votre accès à {organisation} a été désactivé par la coordination : vous avez été déconnecté·e. "
    "Si vous faites partie d'autres organisations, reconnectez-vous pour y accéder."
)
ACCOUNT_ENDED = (
    "Votre compte a été désactivé : vous avez été déconnecté·e. Contactez la coordination de votre structure."
)
ORGANISATION_ENDED = "Votre accès à cette organisation a pris fin : vous avez été déconnecté·e."


def end_session(request, message):
    """Log out now (whatever the session engine: the check runs on each request) and say why on the login page."""
    logout(request)
    request.session[ENDED_KEY] = message


RENEWED_KEY = "_renouvelee"


class SessionRenewalMiddleware:
    """Slide the idle expiry of a session without writing it on every request.

    A session is saved only when something in it changed, or when its last renewal is older than
    ``SESSION_RENEW_AFTER`` seconds: then the timestamp below is refreshed, which saves it with a new expiry.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            renewed = session.get(RENEWED_KEY, 0)
            if session.modified or now - renewed >= settings.SESSION_RENEW_AFTER:
                session[RENEWED_KEY] = now
        return response


class OrganisationMiddleware:
    """Also ends the session of a user whose account or current membership was deactivated since her last request
    (team management, ``/equipe/``): the request goes on as anonymous, so the login page answers it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organisation = None
        request.membership = None
        request.memberships = []
        if not request.user.is_authenticated and AUTH_SESSION_KEY in request.session:
            # An inactive user's session: Django's auth no longer loads her, but the session is still there.
            end_session(request, ACCOUNT_ENDED)
        if request.user.is_authenticated:
            memberships = list(Membership.objects.active().filter(user=request.user).select_related("organisation"))
            wanted = request.session.get(SESSION_KEY)
            current = next((m for m in memberships if m.organisation_id == wanted), None)
            if current is None and (wanted is not None or not memberships) and self._lost_access(request, wanted):
                return self.get_response(request)
            request.memberships = memberships
            if current is None and memberships:
                current = memberships[0]
                request.session[SESSION_KEY] = current.organisation_id
            if current is not None:
                request.membership = current
                request.organisation = current.organisation
        request.scope = Scope.for_membership(request.membership, user=request.user)
        return self.get_response(request)

    def _lost_access(self, request, wanted):
        """The membership of the session's organisation (or, on a first request, every membership) is no longer
        active: log out. No membership row at all (a platform administrator): the session goes on."""
        lost = Membership.objects.filter(user=request.user).select_related("organisation")  # none active here
        if wanted is not None:
            lost = lost.filter(organisation_id=wanted)
        membership = lost.first()
        if membership is None:
            return False
        if membership.is_active:  # the organisation itself was closed
            end_session(request, ORGANISATION_ENDED)
        else:
            end_session(request, ACCESS_ENDED.format(organisation=membership.organisation))
        request.scope = Scope.for_membership(None, user=request.user)
        return True


class RejectBadInputMiddleware:
    """Answer a French 400 to a request whose parameters no page can handle, before any view reads them.

    PostgreSQL refuses a NUL character in a text value (a 500 on any search), and Django replaces invalid UTF-8
    with U+FFFD without telling the view. So: any query-string or form key or value (``application/x-www-form-
    urlencoded`` and ``multipart/form-data`` bodies) holding a NUL character or bytes that are not UTF-8, a NUL in
    the path, and a query-string value longer than ``MAX_QUERY_VALUE_LENGTH`` (searches and filters are short;
    form bodies are bounded by ``DATA_UPLOAD_MAX_MEMORY_SIZE``) get a 400 instead of reaching a view.
    """

    MAX_QUERY_VALUE_LENGTH = 2000
    FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reason = self.problem(request)
        if reason:
            return HttpResponseBadRequest(render_to_string("400.html", {"reason": reason}))
        return self.get_response(request)

    def problem(self, request):
        """Why this request is refused, or None."""
        if "\x00" in request.path:
            return "L'adresse de la page contient un caractère interdit."
        reason = self._check_urlencoded(request.META.get("QUERY_STRING", ""), max_length=self.MAX_QUERY_VALUE_LENGTH)
        if reason or request.method != "POST":
            return reason
        if request.content_type == self.FORM_CONTENT_TYPE:
            try:
                body = request.body
            except RequestDataTooBig:
                return None  # Django answers 400 itself when the view reads the form
            return self._check_urlencoded(body.decode("latin-1"), max_length=None)
        if request.content_type == "multipart/form-data":
            try:
                items = list(request.POST.lists())
            except (RequestDataTooBig, TooManyFieldsSent, MultiPartParserError):
                return None  # left to Django's own 400
            for key, values in items:
                for text in (key, *values):
                    if "\x00" in text:
                        return self.NUL
        return None

    NUL = "La saisie contient un caractère interdit (caractère nul)."
    NOT_UTF8 = "La saisie contient des caractères mal encodés."
    TOO_LONG = "Une valeur de l'adresse est trop longue."

    def _check_urlencoded(self, raw, *, max_length):
        if not raw:
            return None
        if "\x00" in raw:  # a raw NUL byte, not percent-encoded
            return self.NUL
        try:
            pairs = parse_qsl(raw, keep_blank_values=True, encoding="utf-8", errors="strict")
        except UnicodeDecodeError:
            return self.NOT_UTF8
        except ValueError:
            return None  # too many fields etc.: Django's own checks answer
        for key, value in pairs:
            if "\x00" in key or "\x00" in value:
                return self.NUL
            if max_length is not None and (len(key) > max_length or len(value) > max_length):
                return self.TOO_LONG
        return None
