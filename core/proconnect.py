"""ProConnect sign-in: OpenID Connect (authorization code flow) with mozilla-django-oidc, off unless configured.

- **Off unless configured**: without ``PROCONNECT_CLIENT_ID``, ``PROCONNECT_CLIENT_SECRET`` and an issuer (or the
  explicit endpoints) the login page shows no ProConnect button and the three URLs answer 404.
- **Endpoints**: the explicit ``PROCONNECT_*_ENDPOINT`` settings, else the issuer's discovery document
  (``<issuer>/.well-known/openid-configuration``), fetched once and cached (``PROCONNECT_DISCOVERY_CACHE_SECONDS``).
- **Request** (ProConnect's documented parameters only): ``openid email given_name usual_name siret uid`` scopes,
  ``state`` and ``nonce`` of 32 characters, and ``claims`` asking for ``amr`` and ``acr`` in the ID token.
- **Checks**: the ID token is signed with ``PROCONNECT_SIGN_ALGO`` (RS256/ES256, keys from the JWKS), its nonce,
  issuer and audience are checked; the userinfo (JSON or signed JWT) must name the same ``sub``.
- **Linking**: a ProConnect identity is linked by e-mail (``core.accounts.normalize_email``) to an existing active
  account, never creates one; its ``sub`` is stored (``IdentiteProConnect``) at the first link and a later login
  whose ``sub`` differs for the same account is refused.
- **Second factor**: when the ID token asserts MFA (``amr`` holds ``PROCONNECT_MFA_AMR`` or ``acr`` is one of
  ``PROCONNECT_MFA_ACR``) the session is marked (``core.twofactor.IDP_MFA_SESSION_KEY``) and Tremplin's one-time
  code is not asked again; otherwise the usual rule of ``core.twofactor`` applies (coordination: code required).
- **Events**: a login goes through ``django.contrib.auth.login`` (``LoginEvent`` « Connexion réussie », the
  enrolment flag); a refusal is a ``LoginEvent`` « Échec de connexion ». django-axes is not involved: no password
  is checked, so a refusal does not count towards the lockout of the password login.
- **Logout**: the ID token is kept in the session; ``core.views.LogoutView`` then sends the browser to
  ProConnect's ``end_session_endpoint`` (``id_token_hint``, ``state``, ``post_logout_redirect_uri``).
"""

import hashlib
import json
import logging
from dataclasses import dataclass
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationRequestView
from requests.exceptions import RequestException

from core.accounts import normalize_email
from core.models import IdentiteProConnect, LoginEvent, User
from core.twofactor import IDP_MFA_SESSION_KEY


logger = logging.getLogger(__name__)

BACKEND_PATH = "core.proconnect.ProConnectBackend"
ID_TOKEN_SESSION_KEY = "proconnect_id_token"  # nosec B105 - a session key name, not a secret
LOGOUT_STATE_SESSION_KEY = "proconnect_logout_state"
STATE_SIZE = 32  # ProConnect: state and nonce of at least 32 characters

REFUS_INCONNU = "Aucun compte Tremplin n'est associé à cette adresse : demandez une invitation à votre coordination."
REFUS_INVITATION = (
    "Une invitation à rejoindre Tremplin vous attend : ouvrez le lien reçu par e-mail pour activer votre compte, "
    "puis connectez-vous avec ProConnect."
)

# Apps that know why an address has no account yet (team: a pending invitation) register a function
# ``email -> bool`` in their AppConfig.ready; ProConnect never creates the account itself.
PENDING_ACCOUNT_CHECKS = []


def unknown_account_message(email):
    if any(check(email) for check in PENDING_ACCOUNT_CHECKS):
        return REFUS_INVITATION
    return REFUS_INCONNU


REFUS_INACTIF = "Votre compte Tremplin est désactivé : adressez-vous à votre coordination."
REFUS_AUTRE_IDENTITE = (
    "Ce compte Tremplin est déjà lié à une autre identité ProConnect : la connexion est refusée. "
    "Si vous avez changé de fournisseur d'identité, demandez à l'administrateur de Tremplin de retirer l'ancien lien."
)
REFUS_INCOMPLET = "ProConnect n'a pas transmis d'adresse e-mail : la connexion à Tremplin est impossible."
ECHEC = "La connexion avec ProConnect n'a pas abouti. Réessayez, ou connectez-vous avec votre mot de passe."
INDISPONIBLE = (
    "ProConnect ne répond pas pour le moment. Réessayez plus tard, ou connectez-vous avec votre mot de passe."
)


# --- Configuration --------------------------------------------------------------------------------------------


def enabled():
    """True when ProConnect is configured: client id, secret and an issuer or the explicit endpoints."""
    return bool(
        settings.PROCONNECT_CLIENT_ID
        and settings.PROCONNECT_CLIENT_SECRET
        and (settings.PROCONNECT_ISSUER or settings.PROCONNECT_AUTHORIZATION_ENDPOINT)
    )


def _explicit_endpoints():
    return {
        "authorization_endpoint": settings.PROCONNECT_AUTHORIZATION_ENDPOINT,
        "token_endpoint": settings.PROCONNECT_TOKEN_ENDPOINT,
        "userinfo_endpoint": settings.PROCONNECT_USERINFO_ENDPOINT,
        "jwks_uri": settings.PROCONNECT_JWKS_ENDPOINT,
        "end_session_endpoint": settings.PROCONNECT_END_SESSION_ENDPOINT,
    }


REQUIRED_ENDPOINTS = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")


def discovery(issuer):
    """The issuer's OpenID Provider metadata, fetched once per ``PROCONNECT_DISCOVERY_CACHE_SECONDS``."""
    issuer = issuer.rstrip("/")
    key = "proconnect:discovery:" + hashlib.sha256(issuer.encode()).hexdigest()
    metadata = cache.get(key)
    if metadata is None:
        response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=settings.PROCONNECT_TIMEOUT)
        response.raise_for_status()
        metadata = response.json()
        if str(metadata.get("issuer", "")).rstrip("/") != issuer:
            raise SuspiciousOperation("ProConnect discovery: the document names another issuer")
        cache.set(key, metadata, settings.PROCONNECT_DISCOVERY_CACHE_SECONDS)
    return metadata


def endpoints():
    """``authorization_endpoint``, ``token_endpoint``, ``userinfo_endpoint``, ``jwks_uri``, ``end_session_endpoint``
    and ``issuer``: the explicit settings first, the discovery document for the others."""
    found = _explicit_endpoints()
    issuer = settings.PROCONNECT_ISSUER.rstrip("/")
    if issuer and not all(found[name] for name in (*REQUIRED_ENDPOINTS, "end_session_endpoint")):
        metadata = discovery(issuer)
        found = {name: value or str(metadata.get(name) or "") for name, value in found.items()}
    found["issuer"] = issuer
    return found


def oidc_setting(attr, *default):
    """mozilla-django-oidc's ``get_settings``, answered from the ``PROCONNECT_*`` settings (read at call time, so
    a test or an operator changing them is followed without a restart of the URL configuration)."""
    values = {
        "OIDC_RP_CLIENT_ID": settings.PROCONNECT_CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": settings.PROCONNECT_CLIENT_SECRET,
        "OIDC_RP_SIGN_ALGO": settings.PROCONNECT_SIGN_ALGO,
        "OIDC_RP_SCOPES": settings.PROCONNECT_SCOPES,
        "OIDC_RP_IDP_SIGN_KEY": None,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "proconnect_callback",
        "OIDC_REDIRECT_FIELD_NAME": "next",
        "OIDC_STATE_SIZE": STATE_SIZE,
        "OIDC_NONCE_SIZE": STATE_SIZE,
        "OIDC_USE_NONCE": True,
        "OIDC_USE_PKCE": False,  # not among ProConnect's documented parameters (any other one is refused)
        "OIDC_CREATE_USER": False,
        "OIDC_STORE_ID_TOKEN": False,  # nosec B105 - stored by the callback after the login (may flush the session)
        "OIDC_STORE_ACCESS_TOKEN": False,  # nosec B105 - a setting's name, no secret
        "OIDC_TIMEOUT": settings.PROCONNECT_TIMEOUT,
        "OIDC_VERIFY_SSL": True,
        "OIDC_ALLOW_UNSECURED_JWT": False,
        "OIDC_VERIFY_KID": True,
        "LOGIN_REDIRECT_URL": settings.LOGIN_REDIRECT_URL,
    }
    if attr in values:
        return values[attr]
    op_names = {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
        "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",  # nosec B105 - a discovery document key
        "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
        "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    }
    if attr in op_names:
        return endpoints()[op_names[attr]]
    if default:
        return default[0]
    return getattr(settings, attr)


def asserts_mfa(id_claims):
    """True when the identity provider says the person used a second factor (``amr`` / ``acr`` of the ID token)."""
    amr = id_claims.get("amr") or []
    if isinstance(amr, str):
        amr = amr.split()
    if set(map(str, amr)) & set(settings.PROCONNECT_MFA_AMR):
        return True
    return str(id_claims.get("acr") or "") in settings.PROCONNECT_MFA_ACR


def authorization_claims():
    """The ``claims`` request parameter: ``amr`` (ProConnect sends it only when asked) and ``acr`` in the ID token."""
    return json.dumps({"id_token": {"amr": {"essential": True}, "acr": None}}, separators=(",", ":"))


# --- Backend --------------------------------------------------------------------------------------------------


@dataclass
class Refusal:
    message: str
    user: object = None
    username: str = ""


class ProConnectBackend(OIDCAuthenticationBackend):
    """Authenticates the code of ProConnect's callback; links by e-mail, never creates an account.

    Listed in ``AUTHENTICATION_BACKENDS`` so the session of a ProConnect login names it (``get_user`` refuses an
    inactive account, as Django's model backend does); ``authenticate`` acts only when the callback view passes
    ``proconnect=True`` — a password login never reaches the identity provider.
    """

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # Django builds a backend on every request of a logged-in session (``get_user``): no endpoint look-up here.
        self.UserModel = User
        self.refusal = None
        self.mfa = False
        self.id_token = ""  # nosec B105 - filled with the ID token of the login

    def _configure(self):
        super().__init__()
        self.issuer = endpoints()["issuer"]

    def get_user(self, user_id):
        return ModelBackend.get_user(self, user_id)

    def authenticate(self, request, proconnect=False, nonce=None, code_verifier=None):
        if not proconnect or request is None or not enabled():
            return None
        self._configure()
        return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        if "nonce" in kwargs:  # the ID token (the userinfo JWT is verified without a nonce)
            audience = payload.get("aud")
            audiences = audience if isinstance(audience, list) else [audience]
            if self.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation("ProConnect: the ID token is meant for another client")
            if self.issuer and str(payload.get("iss", "")).rstrip("/") != self.issuer:
                raise SuspiciousOperation("ProConnect: the ID token comes from another issuer")
        return payload

    def store_tokens(self, access_token, id_token):
        self.id_token = id_token or ""

    def _refuse(self, message, user=None, username=""):
        self.refusal = Refusal(message=message, user=user, username=username)
        return None

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        sub = str(payload.get("sub") or "")
        if not sub or str(claims.get("sub") or sub) != sub:
            raise SuspiciousOperation("ProConnect: the userinfo names another subject than the ID token")
        email = normalize_email(claims.get("email"))
        if not email:
            return self._refuse(REFUS_INCOMPLET)
        user = User.objects.get_by_email(email)
        if user is None:
            return self._refuse(unknown_account_message(email), username=email)
        if not user.is_active:
            return self._refuse(REFUS_INACTIF, user=user)
        identity = IdentiteProConnect.objects.filter(user=user).first()
        now = timezone.now()
        if identity is None:
            if IdentiteProConnect.objects.filter(sub=sub).exists():
                return self._refuse(REFUS_AUTRE_IDENTITE, user=user)
            identity = IdentiteProConnect(user=user, sub=sub)
        elif identity.sub != sub:
            return self._refuse(REFUS_AUTRE_IDENTITE, user=user)
        identity.idp_id = str(claims.get("idp_id") or payload.get("idp_id") or "")[:255]
        identity.derniere_connexion = now
        identity.save()
        self.mfa = asserts_mfa(payload)
        return user


# --- Views ----------------------------------------------------------------------------------------------------


def _record_failure(request, refusal):
    from core.signals import record_login_event

    record_login_event(LoginEvent.Kind.ECHEC, request, user=refusal.user, username=refusal.username)


def _back_to_login(request, message):
    messages.error(request, message)
    return redirect("login")


@method_decorator(never_cache, name="dispatch")
class ProConnectLoginView(OIDCAuthenticationRequestView):
    """``/connexion/proconnect/``: state and nonce in the session, then the browser goes to ProConnect."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):  # the endpoints are looked up on the request, not when the view is built
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        if not enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = endpoints()["authorization_endpoint"]
        except (RequestException, ValueError, SuspiciousOperation) as exc:
            logger.warning("ProConnect discovery failed: %s", exc.__class__.__name__)
            return _back_to_login(request, INDISPONIBLE)
        self.OIDC_RP_CLIENT_ID = settings.PROCONNECT_CLIENT_ID
        return super().get(request)

    def get_extra_params(self, request):
        params = {"claims": authorization_claims()}
        if settings.PROCONNECT_ACR_VALUES:
            params["acr_values"] = settings.PROCONNECT_ACR_VALUES
        return params


@never_cache
def proconnect_callback(request):
    """``/connexion/proconnect/retour/`` (the redirect URI declared at ProConnect)."""
    if not enabled():
        raise Http404
    states = request.session.get("oidc_states") or {}
    state = request.GET.get("state", "")
    entry = states.pop(state, None) if state else None
    request.session["oidc_states"] = states
    next_url = request.session.pop("oidc_login_next", None)
    if request.GET.get("error") or entry is None or not request.GET.get("code"):
        # The person cancelled at ProConnect, or an unknown / replayed state: nothing is exchanged.
        return _back_to_login(request, ECHEC)
    backend = ProConnectBackend()
    try:
        user = backend.authenticate(
            request, proconnect=True, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier")
        )
    except (RequestException, ValueError, SuspiciousOperation, jwt.PyJWTError) as exc:
        logger.warning("ProConnect callback failed: %s: %s", exc.__class__.__name__, exc)
        return _back_to_login(request, ECHEC)
    if user is None:
        refusal = backend.refusal or Refusal(message=ECHEC)
        _record_failure(request, refusal)
        return _back_to_login(request, refusal.message)
    auth.login(request, user, backend=BACKEND_PATH)  # LoginEvent « Connexion réussie », the enrolment flag
    request.session[ID_TOKEN_SESSION_KEY] = backend.id_token
    if backend.mfa:
        request.session[IDP_MFA_SESSION_KEY] = True
    return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


def end_session_url(request, id_token):
    """Where to send the browser after Tremplin's logout to end the ProConnect session too ("" if unknown)."""
    try:
        endpoint = endpoints()["end_session_endpoint"]
    except (RequestException, ValueError, SuspiciousOperation):
        return ""
    if not endpoint:
        return ""
    state = get_random_string(STATE_SIZE)
    request.session[LOGOUT_STATE_SESSION_KEY] = state
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": state,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("proconnect_logout_callback")),
        }
    )
    return f"{endpoint}?{query}"


@never_cache
def proconnect_logout_callback(request):
    """``/deconnexion/proconnect/`` (the post-logout redirect URI declared at ProConnect)."""
    if not enabled():
        raise Http404
    expected = request.session.pop(LOGOUT_STATE_SESSION_KEY, None)
    if expected and request.GET.get("state") == expected:
        messages.success(request, "Vous êtes déconnecté de Tremplin et de ProConnect.")
    return redirect("login")
