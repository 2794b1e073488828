import re

import pytest
from django.core import mail
from django.urls import reverse

from core.models import Membership, Organisation, Role, User
from outreach.models import InvitationPartenaire, PartenariatOrientation
from outreach.services import invitation_token


pytestmark = pytest.mark.django_db


def _invite(client, reseau, capture, email="nouvelle@capep.test"):
    client.force_login(reseau.coordinatrice)
    with capture(execute=True):
        response = client.post(
            reverse("outreach:partenaire_invite"),
            {"partenaire": reseau.capep.pk, "email": email, "first_name": "Lina", "last_name": "Roux"},
        )
    assert response.status_code == 302
    return re.search(r"/portail/invitation/[^/\s]+/", mail.outbox[-1].body).group(0)


def test_invitation_flow(client, reseau, django_capture_on_commit_callbacks):
    link = _invite(client, reseau, django_capture_on_commit_callbacks)
    assert mail.outbox[-1].to == ["nouvelle@capep.test"]
    client.logout()
    response = client.get(link)
    assert response.status_code == 200
    assert "pour <strong>CAPEP</strong>" in response.content.decode()
    # weak password refused, in French
    response = client.post(link, {"first_name": "Lina", "last_name": "Roux", "password1": "123", "password2": "123"})
    assert response.status_code == 200
    assert not User.objects.filter(email="nouvelle@capep.test").exists()
    response = client.post(
        link,
        {
            "first_name": "Lina",
            "last_name": "Roux",
            "password1": "Orientations-2026!",
            "password2": "Orientations-2026!",
        },
    )
    assert response["Location"] == reverse("portal:home")
    user = User.objects.get(email="nouvelle@capep.test")
    assert user.check_password("Orientations-2026!")
    membership = Membership.objects.get(user=user)
    assert membership.organisation == reseau.capep
    assert membership.role == Role.PARTENAIRE
    assert client.get(reverse("portal:home")).status_code == 200
    # single use
    client.logout()
    assert client.get(link).status_code == 404


def test_expired_or_forged_invitation(client, reseau, django_capture_on_commit_callbacks):
    invitation = InvitationPartenaire.objects.create(porteur=reseau.porteur, partenaire=reseau.capep, email="x@y.fr")
    token = invitation_token(invitation)
    assert client.get(reverse("portal:invitation_accept", args=[token + "x"])).status_code == 404
    from django.core import signing

    signer = signing.TimestampSigner(salt="outreach.invitation")
    old = signer.sign(str(invitation.pk))
    import unittest.mock

    with unittest.mock.patch("django.core.signing.time.time", return_value=signing.time.time() + 8 * 86400):
        assert client.get(reverse("portal:invitation_accept", args=[old])).status_code == 404
    assert client.get(reverse("portal:invitation_accept", args=[old])).status_code == 200


def test_coordinateur_invites_only_into_linked_partners(client, reseau):
    stranger = Organisation.objects.create(nom="Inconnu", kind=Organisation.Kind.PARTENAIRE)
    client.force_login(reseau.coordinatrice)
    response = client.post(reverse("outreach:partenaire_invite"), {"partenaire": stranger.pk, "email": "a@b.fr"})
    assert response.status_code == 200
    assert not InvitationPartenaire.objects.exists()
    client.force_login(reseau.conseillere)
    assert client.get(reverse("outreach:partenaire_invite")).status_code == 403


def test_coordinateur_creates_a_partner(client, reseau):
    client.force_login(reseau.coordinatrice)
    client.post(reverse("outreach:partenaire_create"), {"nom": "PLIE du Valenciennois", "sigle": "PLIE"})
    plie = Organisation.objects.get(sigle="PLIE")
    assert plie.kind == Organisation.Kind.PARTENAIRE
    assert PartenariatOrientation.objects.filter(porteur=reseau.porteur, partenaire=plie).exists()


def test_deactivate_partner_account(client, reseau):
    """The porteur withdraws the access of an account it invited into its partnership (docs/security.md)."""
    membership = Membership.objects.get(user=reseau.partenaire_capep)
    membership.porteurs_limites = [reseau.porteur.pk]
    membership.save()
    client.force_login(reseau.coordinatrice)
    assert reseau.partenaire_capep.email in client.get(reverse("outreach:partenaire_list")).content.decode()
    client.post(reverse("outreach:partenaire_compte_toggle", args=[membership.pk]))
    membership.refresh_from_db()
    assert not membership.is_active
    client.force_login(reseau.partenaire_capep)
    response = client.get(reverse("portal:home"))  # no active membership left: logged out (core.middleware)
    assert response["Location"].startswith("/connexion/")
    assert "Votre accès à CAPEP a été désactivé" in client.get(response["Location"]).content.decode()
    # another porteur's coordinateur cannot touch it
    other = Membership.objects.create(
        user=User.objects.create_user("coord@carvin.test", "x"), organisation=reseau.autre_porteur, role="coordinateur"
    )
    client.force_login(other.user)
    assert client.post(reverse("outreach:partenaire_compte_toggle", args=[membership.pk])).status_code == 404
    assert reseau.partenaire_capep.email not in client.get(reverse("outreach:partenaire_list")).content.decode()


def test_inviting_an_address_of_another_organisation_or_an_admin_discloses_nothing(
    client, reseau, django_capture_on_commit_callbacks
):
    """Same answer as for a new address (tests/security/test_invitation_enumeration.py), and no link is sent."""
    User.objects.create_superuser("admin@tremplin.test", "x")
    client.force_login(reseau.coordinatrice)
    for email in (reseau.autre_conseillere.email, reseau.partenaire_cao.email, "ADMIN@tremplin.test"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("outreach:partenaire_invite"), {"partenaire": reseau.capep.pk, "email": email}
            )
        assert response.status_code == 302
        assert "/portail/invitation/" not in mail.outbox[-1].body
    assert not Membership.objects.filter(organisation=reseau.capep, user__email="admin@tremplin.test").exists()
