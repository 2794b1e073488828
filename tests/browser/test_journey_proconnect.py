"""ProConnect journey against a real OpenID Connect provider (django-oauth-toolkit, tests/oidc_provider/).

The login page shows « S'identifier avec ProConnect »; the conseillère signs in and consents at the provider and
comes back logged in as her account with her role, then logs out of both; an e-mail Tremplin does not know gets
the French refusal and no account; the coordinatrice, whose provider asserts no MFA, lands on Tremplin's
one-time code step and finishes with her authenticator.
"""

import pytest
from django.utils.html import escape
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from core import proconnect
from core.models import IdentiteProConnect, LoginEvent, Role, User
from tests.browser.test_journey_coordination import current_code
from tests.core.factories import MembershipFactory
from tests.oidc_provider.fixture import (  # noqa: F401
    DEFAULT_PASSWORD,
    callback_uri,
    logout_uri,
    oidc_provider,
    proconnect_settings,
)


pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def sign_in_with_proconnect(page, base_url, username, check=None):
    page.goto(f"{base_url}/connexion/")
    button = page.get_by_role("link", name="S'identifier avec ProConnect")
    expect(button).to_be_visible()
    expect(page.get_by_role("link", name="Qu'est-ce que ProConnect ?")).to_have_attribute("target", "_blank")
    if check is not None:
        check(page, "connexion avec ProConnect")
    button.click()
    # At the identity provider: its own login page, then its consent page.
    expect(page.get_by_role("heading", name="Fournisseur d'identité de test")).to_be_visible()
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter au fournisseur").click()
    expect(page.get_by_role("heading", name="Autoriser Tremplin ?")).to_be_visible()
    page.get_by_role("button", name="Autoriser").click()
    page.wait_for_url(f"{base_url}/**")


def test_proconnect_journey(browser_session, base_url, check, request, settings):
    provider = request.getfixturevalue("proconnect_settings")
    provider.configure(redirect_uris=[callback_uri(base_url)], post_logout_redirect_uris=[logout_uri(base_url)])
    settings.REQUIRE_2FA = True
    conseillere = MembershipFactory(
        user__email="claire.martin@acsrv.demo",
        role=Role.CONSEILLERE,
        organisation__nom="ACSRV",
        organisation__sigle="ACSRV",
    )
    coordination = MembershipFactory(
        user__email="coordination@acsrv.demo", role=Role.COORDINATEUR, organisation=conseillere.organisation
    )
    device = TOTPDevice.objects.create(user=coordination.user, name="Téléphone", confirmed=True)
    provider.person("claire.martin@acsrv.demo", sub="sub-claire", given_name="Claire", usual_name="Martin")
    provider.person("inconnue@ailleurs.fr", sub="sub-inconnue")
    provider.person("coordination@acsrv.demo", sub="sub-coordination", amr=["pwd"])
    accounts = User.objects.count()

    # 1. The conseillère: linked by e-mail, back on her home page with her role.
    page = browser_session.new_page()
    sign_in_with_proconnect(page, base_url, "claire.martin@acsrv.demo", check=check)
    assert page.url == f"{base_url}/"
    navigation = page.get_by_role("navigation", name="Navigation principale")
    expect(navigation).to_contain_text("ACSRV — Conseillère d'insertion")
    check(page, "accueil après ProConnect")
    assert IdentiteProConnect.objects.get(user=conseillere.user).sub == "sub-claire"
    assert LoginEvent.objects.filter(user=conseillere.user, kind=LoginEvent.Kind.SUCCES).exists()
    # Logging out ends the ProConnect session too, and comes back to Tremplin's login page.
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{base_url}/connexion/")
    expect(page.get_by_role("status")).to_have_text("Vous êtes déconnecté de Tremplin et de ProConnect.")

    # 2. An e-mail Tremplin does not know: the French refusal, no account.
    page = browser_session.new_page()
    sign_in_with_proconnect(page, base_url, "inconnue@ailleurs.fr")
    assert page.url == f"{base_url}/connexion/"
    expect(page.get_by_role("alert")).to_have_text(proconnect.REFUS_INCONNU)
    check(page, "refus ProConnect")
    assert User.objects.count() == accounts
    assert not User.objects.filter(email="inconnue@ailleurs.fr").exists()

    # 3. The coordinatrice, no MFA asserted by her provider: Tremplin's one-time code step.
    page = browser_session.new_page()
    sign_in_with_proconnect(page, base_url, "coordination@acsrv.demo")
    assert "/connexion/verification/" in page.url
    check(page, "double authentification après ProConnect")
    page.get_by_label("Code à usage unique").fill(current_code(device))
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("navigation", name="Navigation principale")).to_contain_text("ACSRV — Coordination")
    assert escape(proconnect.REFUS_INCONNU) not in page.content()
