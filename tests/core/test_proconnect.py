"""ProConnect sign-in (core/proconnect.py) against a real OpenID Connect provider (tests/oidc_provider/).

Tremplin runs in the Django test client; the person signs in and consents at the provider with ``requests`` (its
own cookies), and the code goes back to Tremplin's callback, which exchanges it with the provider over HTTP
(token, JWKS, userinfo). The browser journey is tests/browser/test_journey_proconnect.py.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from axes.models import AccessAttempt
from django.core.cache import cache
from django.utils.html import escape
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import proconnect
from core.models import IdentiteProConnect, LoginEvent, Role, User
from tests.core.factories import MembershipFactory
from tests.oidc_provider.fixture import callback_uri, oidc_provider, proconnect_settings  # noqa: F401


pytestmark = pytest.mark.django_db

TESTSERVER = "http://testserver"
PROCONNECT_URLS = ("/connexion/proconnect/", "/connexion/proconnect/retour/", "/deconnexion/proconnect/")


class _Forms(HTMLParser):
    """The first form of a page: its action and its inputs (hidden ones included)."""

    def __init__(self):
        super().__init__()
        self.action, self.fields, self._in_form = None, {}, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.action is None:
            self.action, self._in_form = attrs.get("action") or "", True
        elif tag == "input" and self._in_form and attrs.get("name") and attrs.get("type") != "submit":
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False


def _form(response):
    parser = _Forms()
    parser.feed(response.text)
    return urljoin(response.url, parser.action or response.url), parser.fields


def sign_in_at_provider(authorize_url, username, password, *, allow=True):
    """Log in at the provider and answer its consent page; returns the redirect (Tremplin's callback URL)."""
    browser = requests.Session()
    login_page = browser.get(authorize_url, timeout=10)
    assert "/accounts/login/" in login_page.url
    action, fields = _form(login_page)
    fields.update(username=username, password=password)
    consent = browser.post(action, data=fields, headers={"Referer": login_page.url}, timeout=10)
    assert "authorizationForm" in consent.text, consent.text[:500]
    action, fields = _form(consent)
    if allow:
        fields["allow"] = "Authorize"
    answer = browser.post(action, data=fields, headers={"Referer": consent.url}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:500]
    return answer.headers["Location"]


def proconnect_login(client, username, password, *, next_url=None):
    """The whole journey: Tremplin → provider (login, consent) → Tremplin's callback. Returns the final response."""
    start = client.get("/connexion/proconnect/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302
    callback = sign_in_at_provider(start["Location"], username, password)
    assert callback.startswith(TESTSERVER + "/connexion/proconnect/retour/")
    parts = urlsplit(callback)
    return client.get(f"{parts.path}?{parts.query}")


@pytest.fixture
def provider(request):
    provider = request.getfixturevalue("proconnect_settings")
    provider.configure(redirect_uris=[callback_uri(TESTSERVER)])
    return provider


def test_without_configuration_the_button_is_absent_and_the_urls_answer_404(client, settings):
    settings.PROCONNECT_CLIENT_ID = settings.PROCONNECT_CLIENT_SECRET = settings.PROCONNECT_ISSUER = ""
    settings.PROCONNECT_AUTHORIZATION_ENDPOINT = ""
    page = client.get("/connexion/")
    assert page.status_code == 200
    assert "ProConnect" not in page.content.decode()
    for url in PROCONNECT_URLS:
        assert client.get(url).status_code == 404, url
    # A client id alone is not a configuration.
    settings.PROCONNECT_CLIENT_ID = "tremplin"
    assert "S'identifier avec" not in client.get("/connexion/").content.decode()
    assert client.get("/connexion/proconnect/").status_code == 404


def test_the_button_shows_when_configured_and_the_request_follows_proconnect(client, provider):
    page = client.get("/connexion/?next=/jeunes/").content.decode()
    assert re.search(r'<a class="proconnect-button" href="/connexion/proconnect/\?next=/jeunes/">', page)
    assert "Qu'est-ce que ProConnect ?" in page
    start = client.get("/connexion/proconnect/?next=/jeunes/")
    query = dict(p.split("=", 1) for p in urlsplit(start["Location"]).query.split("&"))
    assert start["Location"].startswith(provider.issuer + "/authorize/")
    assert query["scope"] == "openid+email+given_name+usual_name+siret+uid"
    assert len(query["state"]) >= 32
    assert len(query["nonce"]) >= 32
    assert "amr" in requests.utils.unquote(query["claims"])
    assert "code_challenge" not in query  # not among ProConnect's parameters


def test_an_existing_conseillere_is_linked_by_email_and_logged_in(client, provider):
    membership = MembershipFactory(user__email="claire.martin@acsrv.demo", role=Role.CONSEILLERE)
    provider.person("claire.martin@acsrv.demo", email="Claire.Martin@ACSRV.demo ", sub="sub-claire")
    response = proconnect_login(client, "claire.martin@acsrv.demo", "mot-de-passe-du-fournisseur", next_url="/jeunes/")
    assert response.status_code == 302
    assert response["Location"] == "/jeunes/"
    home = client.get("/")
    assert home.status_code == 200
    assert home.wsgi_request.user == membership.user
    assert home.wsgi_request.scope.role == Role.CONSEILLERE
    identity = IdentiteProConnect.objects.get(user=membership.user)
    assert (identity.sub, identity.idp_id) == ("sub-claire", "fi-de-test")
    assert LoginEvent.objects.filter(user=membership.user, kind=LoginEvent.Kind.SUCCES).count() == 1
    assert client.session[proconnect.ID_TOKEN_SESSION_KEY].count(".") == 2  # kept for the ProConnect logout
    assert not AccessAttempt.objects.exists()  # django-axes never saw it
    # The second login with the same identity goes through; still one link.
    client.logout()
    proconnect_login(client, "claire.martin@acsrv.demo", "mot-de-passe-du-fournisseur")
    assert client.get("/").wsgi_request.user == membership.user
    assert IdentiteProConnect.objects.filter(user=membership.user).count() == 1


def test_an_unknown_email_is_refused_and_creates_no_account(client, provider):
    provider.person("inconnue@ailleurs.fr", sub="sub-inconnue")
    users_before = User.objects.count()
    response = proconnect_login(client, "inconnue@ailleurs.fr", "mot-de-passe-du-fournisseur")
    assert response.status_code == 302
    assert response["Location"] == "/connexion/"
    page = client.get("/connexion/")
    assert escape(proconnect.REFUS_INCONNU) in page.content.decode()
    assert not page.wsgi_request.user.is_authenticated
    assert User.objects.count() == users_before
    assert not IdentiteProConnect.objects.exists()
    event = LoginEvent.objects.get()
    assert (event.kind, event.username, event.user) == (LoginEvent.Kind.ECHEC, "inconnue@ailleurs.fr", None)


def test_someone_invited_but_not_registered_is_sent_to_her_invitation_and_no_account_is_made(client, provider):
    from tests.team.factories import InvitationFactory

    InvitationFactory(email="nouvelle@acsrv.demo")
    provider.person("nouvelle@acsrv.demo", sub="sub-nouvelle")
    users_before = User.objects.count()
    proconnect_login(client, "nouvelle@acsrv.demo", "mot-de-passe-du-fournisseur")
    page = client.get("/connexion/").content.decode()
    assert escape(proconnect.REFUS_INVITATION) in page
    assert User.objects.count() == users_before


def test_a_deactivated_account_is_refused(client, provider):
    MembershipFactory(user__email="partie@acsrv.demo", user__is_active=False)
    provider.person("partie@acsrv.demo", sub="sub-partie")
    proconnect_login(client, "partie@acsrv.demo", "mot-de-passe-du-fournisseur")
    page = client.get("/connexion/")
    assert escape(proconnect.REFUS_INACTIF) in page.content.decode()
    assert not page.wsgi_request.user.is_authenticated


def test_a_login_whose_sub_differs_from_the_linked_one_is_refused(client, provider):
    membership = MembershipFactory(user__email="lea.dumont@acsrv.demo")
    IdentiteProConnect.objects.create(user=membership.user, sub="sub-du-premier-lien")
    provider.person("lea.dumont@acsrv.demo", sub="sub-usurpateur")
    proconnect_login(client, "lea.dumont@acsrv.demo", "mot-de-passe-du-fournisseur")
    page = client.get("/connexion/")
    assert escape(proconnect.REFUS_AUTRE_IDENTITE) in page.content.decode()
    assert not page.wsgi_request.user.is_authenticated
    assert IdentiteProConnect.objects.get(user=membership.user).sub == "sub-du-premier-lien"
    assert LoginEvent.objects.filter(user=membership.user, kind=LoginEvent.Kind.ECHEC).count() == 1
    assert not LoginEvent.objects.filter(kind=LoginEvent.Kind.SUCCES).exists()


def test_a_sub_already_linked_to_another_account_is_refused(client, provider):
    other = MembershipFactory(user__email="autre@acsrv.demo")
    IdentiteProConnect.objects.create(user=other.user, sub="sub-partage")
    MembershipFactory(user__email="nouvelle@acsrv.demo")
    provider.person("nouvelle@acsrv.demo", sub="sub-partage")
    proconnect_login(client, "nouvelle@acsrv.demo", "mot-de-passe-du-fournisseur")
    assert escape(proconnect.REFUS_AUTRE_IDENTITE) in client.get("/connexion/").content.decode()


def test_coordination_without_mfa_asserted_still_gives_tremplins_code(client, provider, settings):
    settings.REQUIRE_2FA = True
    membership = MembershipFactory(user__email="coordination@acsrv.demo", role=Role.COORDINATEUR)
    TOTPDevice.objects.create(user=membership.user, name="Téléphone", confirmed=True)
    provider.person("coordination@acsrv.demo", sub="sub-coord", amr=["pwd"])
    proconnect_login(client, "coordination@acsrv.demo", "mot-de-passe-du-fournisseur")
    home = client.get("/jeunes/")
    assert home.status_code == 302
    assert home["Location"].startswith("/connexion/verification/")


def test_coordination_with_mfa_asserted_skips_tremplins_code(client, provider, settings):
    settings.REQUIRE_2FA = True
    membership = MembershipFactory(user__email="coordination@acsrv.demo", role=Role.COORDINATEUR)
    TOTPDevice.objects.create(user=membership.user, name="Téléphone", confirmed=True)
    provider.person("coordination@acsrv.demo", sub="sub-coord", amr=["pwd", "totp", "mfa"])
    proconnect_login(client, "coordination@acsrv.demo", "mot-de-passe-du-fournisseur")
    assert client.get("/jeunes/").status_code == 200
    assert client.get("/connexion/verification/").status_code == 302  # nothing left to verify
    # A later password login in the same browser does not inherit it.
    client.post("/deconnexion/")
    client.post("/connexion/", {"username": "coordination@acsrv.demo", "password": "mot-de-passe-solide-2026"})
    assert client.get("/jeunes/")["Location"].startswith("/connexion/verification/")


def test_coordination_without_device_and_without_mfa_must_enrol(client, provider, settings):
    settings.REQUIRE_2FA = True
    MembershipFactory(user__email="coordination@acsrv.demo", role=Role.COORDINATEUR)
    provider.person("coordination@acsrv.demo", sub="sub-coord", acr="eidas1")
    proconnect_login(client, "coordination@acsrv.demo", "mot-de-passe-du-fournisseur")
    assert client.get("/jeunes/")["Location"].startswith("/compte/securite/activer/")


def test_a_2fa_acr_counts_as_mfa():
    assert proconnect.asserts_mfa({"acr": "eidas2"})
    assert proconnect.asserts_mfa({"acr": "https://proconnect.gouv.fr/assurance/consistency-checked-2fa"})
    assert proconnect.asserts_mfa({"amr": ["pwd", "mfa"]})
    assert not proconnect.asserts_mfa({"acr": "eidas1", "amr": ["pwd"]})
    assert not proconnect.asserts_mfa({"amr": ["mail"]})
    assert not proconnect.asserts_mfa({})


def test_a_replayed_or_unknown_state_exchanges_nothing(client, provider):
    MembershipFactory(user__email="claire.martin@acsrv.demo")
    provider.person("claire.martin@acsrv.demo", sub="sub-claire")
    start = client.get("/connexion/proconnect/")
    callback = urlsplit(
        sign_in_at_provider(start["Location"], "claire.martin@acsrv.demo", "mot-de-passe-du-fournisseur")
    )
    forged = client.get(callback.path + "?" + re.sub(r"state=[^&]+", "state=" + "x" * 32, callback.query))
    assert forged["Location"] == "/connexion/"
    assert not client.get("/").wsgi_request.user.is_authenticated
    assert not LoginEvent.objects.exists()


def test_the_discovery_document_is_fetched_once(provider, monkeypatch):
    cache.clear()
    calls = []
    real_get = requests.get
    monkeypatch.setattr(proconnect.requests, "get", lambda url, **kw: calls.append(url) or real_get(url, **kw))
    first = proconnect.endpoints()
    second = proconnect.endpoints()
    assert first == second
    assert first["token_endpoint"] == provider.issuer + "/token/"
    assert calls == [provider.issuer + "/.well-known/openid-configuration"]


def test_explicit_endpoints_need_no_discovery(settings, monkeypatch):
    settings.PROCONNECT_ISSUER = ""
    for name in ("AUTHORIZATION", "TOKEN", "USERINFO", "JWKS", "END_SESSION"):
        setattr(settings, f"PROCONNECT_{name}_ENDPOINT", f"https://pc.example/{name.lower()}")
    monkeypatch.setattr(proconnect.requests, "get", lambda *a, **kw: pytest.fail("no discovery expected"))
    assert proconnect.endpoints()["jwks_uri"] == "https://pc.example/jwks"


def test_logout_ends_the_proconnect_session_too(client, provider):
    provider.configure(post_logout_redirect_uris=[TESTSERVER + "/deconnexion/proconnect/"])
    MembershipFactory(user__email="claire.martin@acsrv.demo")
    provider.person("claire.martin@acsrv.demo", sub="sub-claire")
    proconnect_login(client, "claire.martin@acsrv.demo", "mot-de-passe-du-fournisseur")
    id_token = client.session[proconnect.ID_TOKEN_SESSION_KEY]
    response = client.post("/deconnexion/")
    assert response.status_code == 200
    location = re.search(r'<a class="btn btn-primary" href="([^"]+)"', response.content.decode()).group(1)
    location = location.replace("&amp;", "&")
    assert f'<meta http-equiv="refresh" content="0;url={escape(location)}">' in response.content.decode()
    assert location.startswith(provider.issuer + "/logout/?")
    assert "id_token_hint=" + id_token in location
    assert "post_logout_redirect_uri=http%3A%2F%2Ftestserver%2Fdeconnexion%2Fproconnect%2F" in location
    assert not client.get("/").wsgi_request.user.is_authenticated
    # The provider ends its session and sends the browser back with the state.
    back = requests.get(location, allow_redirects=False, timeout=10)
    assert back.status_code == 302
    assert back.headers["Location"].startswith(TESTSERVER + "/deconnexion/proconnect/")
    parts = urlsplit(back.headers["Location"])
    final = client.get(f"{parts.path}?{parts.query}", follow=True)
    assert "Vous êtes déconnecté de Tremplin et de ProConnect." in final.content.decode()


def test_an_unreachable_proconnect_sends_back_to_the_password_login(client, settings):
    from tests.oidc_provider.fixture import free_port

    settings.PROCONNECT_CLIENT_ID, settings.PROCONNECT_CLIENT_SECRET = "tremplin", "secret"
    settings.PROCONNECT_ISSUER = f"http://127.0.0.1:{free_port()}/api/v2"  # nothing listens there
    settings.PROCONNECT_AUTHORIZATION_ENDPOINT = ""
    settings.PROCONNECT_TIMEOUT = 2
    response = client.get("/connexion/proconnect/", follow=True)
    assert response.redirect_chain == [("/connexion/", 302)]
    assert escape(proconnect.INDISPONIBLE) in response.content.decode()
