import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from tests.core.factories import MembershipFactory, OrganisationFactory, UserFactory


pytestmark = pytest.mark.django_db


def test_anonymous_is_redirected_to_connexion(client):
    response = client.get("/jeunes/")
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/?next=/jeunes/")


def test_login_page_is_french(client):
    response = client.get("/connexion/")
    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in content
    assert "Adresse e-mail" in content
    assert "Mot de passe" in content
    assert "Aller au contenu" in content


def test_login_with_email_case_insensitive_and_logout(client):
    membership = MembershipFactory(user__email="sophie@exemple.fr")
    response = client.post("/connexion/", {"username": "Sophie@Exemple.fr", "password": "mot-de-passe-solide-2026"})
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert str(membership.organisation) in home.content.decode()
    client.post("/deconnexion/")
    assert client.get("/").status_code == 302


def test_bad_password_gives_a_french_error_and_keeps_the_email(client):
    MembershipFactory(user__email="sophie@exemple.fr")
    response = client.post("/connexion/", {"username": "sophie@exemple.fr", "password": "faux"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect" in content
    assert 'value="sophie@exemple.fr"' in content


def test_password_reset_sends_a_french_email(client):
    UserFactory(email="claire@exemple.fr")
    response = client.post(reverse("password_reset"), {"email": "claire@exemple.fr"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "nouveau mot de passe" in mail.outbox[0].subject
    assert "/mot-de-passe/nouveau/" in mail.outbox[0].body


def _is_logged_in(client):
    response = client.get("/")
    if response.status_code == 302:
        assert response["Location"].startswith("/connexion/")
        return False
    assert response.status_code == 200
    return True


def test_session_expires_after_inactivity(client, settings):
    """Sessions are not written on every request (SessionRenewalMiddleware renews them at most every
    SESSION_RENEW_AFTER seconds): an hour of inactivity still logs out, minutes of activity never do."""
    assert settings.SESSION_COOKIE_AGE <= 60 * 60
    assert settings.SESSION_RENEW_AFTER < settings.SESSION_COOKIE_AGE
    client.force_login(MembershipFactory(role=Role.CONSEILLERE).user)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert _is_logged_in(client)
        traveller.shift(datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))
        assert not _is_logged_in(client)


def test_session_stays_open_while_active(client, settings):
    client.force_login(MembershipFactory(role=Role.CONSEILLERE).user)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        # Active every four minutes for twice the idle timeout: never logged out.
        for _ in range(2 * settings.SESSION_COOKIE_AGE // (4 * 60)):
            traveller.shift(datetime.timedelta(minutes=4))
            assert _is_logged_in(client)
        # Then idle: still open just under the guaranteed window, closed past the full age.
        traveller.shift(datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - settings.SESSION_RENEW_AFTER - 60))
        assert _is_logged_in(client)
        traveller.shift(datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))
        assert not _is_logged_in(client)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.CONSEILLERE, "Ma file active"),
        (Role.COORDINATEUR, "Tableau de bord"),
        (Role.CHARGE_ENTREPRISES, "Tableau de bord"),
    ],
)
def test_home_page_by_role(client, role, expected):
    membership = MembershipFactory(role=role)
    client.force_login(membership.user)
    response = client.get("/")
    assert expected in response.content.decode()


def test_partner_home_redirects_to_portal(client):
    membership = MembershipFactory(partenaire=True)
    client.force_login(membership.user)
    response = client.get("/")
    assert response["Location"] == "/portail/"


def test_user_switches_between_organisations(client):
    first = MembershipFactory(organisation__nom="Premier")
    second = MembershipFactory(user=first.user, organisation__nom="Second", role=Role.COORDINATEUR)
    client.force_login(first.user)
    assert "Ma file active" in client.get("/").content.decode()
    client.post("/organisation/changer/", {"organisation": second.organisation_id, "next": "/"})
    response = client.get("/")
    assert "Tableau de bord — S" in response.content.decode()
    # someone else's organisation cannot be selected
    other = OrganisationFactory()
    assert client.post("/organisation/changer/", {"organisation": other.pk}).status_code == 404


def test_user_without_membership_sees_an_explanation(client):
    client.force_login(UserFactory())
    response = client.get("/")
    assert response.status_code == 403
    assert "Aucune structure" in response.content.decode()
