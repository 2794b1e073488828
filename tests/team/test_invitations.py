import datetime

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from core.middleware import SESSION_KEY
from core.models import LoginEvent, Membership, Role, User
from team.models import EvenementEquipe, Invitation
from tests.core.factories import MembershipFactory, UserFactory
from tests.team.conftest import link_in_last_mail


pytestmark = pytest.mark.django_db

PASSWORD = "Accompagner-2026!"


def _accept(link, password=PASSWORD, client=None):
    client = client or Client()
    response = client.post(
        link, {"first_name": "Lina", "last_name": "Roux", "password1": password, "password2": password}
    )
    return client, response


def test_invitation_e_mail_is_french_and_carries_no_case_data(invite, world):
    link = invite()
    message = mail.outbox[-1]
    assert message.to == ["nouvelle@exemple.fr"]
    assert message.subject == "[Tremplin] Invitation à rejoindre PA"
    assert "avec le rôle « Conseillère d'insertion »" in message.body
    assert "valable 7 jours, une seule fois" in message.body
    assert "aucune donnée sur les personnes accompagnées" in message.body
    invitation = Invitation.objects.get(email="nouvelle@exemple.fr")
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_hash not in link
    assert len(invitation.token_hash) == 64
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())


def test_the_invitee_sets_her_password_and_lands_with_the_invited_role(invite, world):
    link = invite()
    client = Client()
    page = client.get(link)
    assert page.status_code == 200
    assert "Rejoindre PA" in page.content.decode()
    # weak password: French error, nothing created, what was typed is kept
    _client, response = _accept(link, password="123", client=client)
    assert response.status_code == 422
    assert "Ce mot de passe est trop court" in response.content.decode()
    assert 'value="Roux"' in response.content.decode()
    assert not User.objects.filter(email="nouvelle@exemple.fr").exists()
    _client, response = _accept(link, client=client)
    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get(email="nouvelle@exemple.fr")
    assert user.check_password(PASSWORD)
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.role, membership.is_active) == (world.org_a, Role.CONSEILLERE, True)
    assert client.session[SESSION_KEY] == world.org_a.pk
    home = client.get("/")
    assert home.status_code == 200
    assert "PA — Conseillère d&#x27;insertion" in home.content.decode()
    assert EvenementEquipe.objects.filter(
        organisation=world.org_a, kind=EvenementEquipe.Kind.INVITATION_ACCEPTEE, membre=user
    ).exists()


def _assert_refused(link, before_users):
    response = Client().get(link)
    assert response.status_code == 404
    assert "Ce lien d'invitation n'est plus valable" in response.content.decode()
    _client, response = _accept(link)
    assert response.status_code == 404
    assert User.objects.count() == before_users


def test_a_link_works_once(invite, world):
    link = invite()
    _accept(link)
    before = User.objects.count()
    memberships = Membership.objects.count()
    _assert_refused(link, before)
    assert Membership.objects.count() == memberships


def test_an_expired_link_is_refused(invite):
    link = invite()
    before = User.objects.count()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)):
        _assert_refused(link, before)


def test_a_tampered_or_truncated_link_is_refused(invite):
    link = invite()
    before = User.objects.count()
    prefix, token = link.rstrip("/").rsplit("/", 1)
    _assert_refused(f"{prefix}/{token[:-2]}xy/", before)
    _assert_refused(f"{prefix}/{token.split(':')[0]}/", before)
    _assert_refused(f"{prefix}/n-importe-quoi/", before)


def test_resending_replaces_the_link_and_cancelling_ends_it(
    invite, coordination, world, django_capture_on_commit_callbacks
):
    first = invite()
    invitation = Invitation.objects.get(email="nouvelle@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        assert coordination.post(f"/equipe/invitations/{invitation.pk}/renvoyer/").status_code == 302
    second = link_in_last_mail()
    assert second != first
    before = User.objects.count()
    _assert_refused(first, before)
    assert Client().get(second).status_code == 200
    assert coordination.post(f"/equipe/invitations/{invitation.pk}/annuler/").status_code == 302
    _assert_refused(second, before)
    kinds = set(EvenementEquipe.objects.filter(organisation=world.org_a).values_list("kind", flat=True))
    assert {"invitation", "invitation_renvoyee", "invitation_annulee"} <= kinds


def test_a_second_pending_invitation_for_the_same_address_is_refused(invite, coordination):
    invite()
    response = coordination.post("/equipe/inviter/", {"email": "Nouvelle@Exemple.fr", "role": Role.CONSEILLERE})
    assert response.status_code == 422
    assert "Une invitation est déjà en attente" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_a_member_of_another_organisation_joins_with_her_own_password(invite, world):
    elsewhere = MembershipFactory(organisation=world.org_b, role=Role.CONSEILLERE, user__email="multi@exemple.fr").user
    link = invite(email="multi@exemple.fr", role=Role.CHARGE_ENTREPRISES)
    client = Client()
    page = client.get(link).content.decode()
    assert "Vous avez déjà un compte Tremplin" in page
    assert "password1" not in page
    response = client.post(link, {"password": "pas-le-bon-mot-de-passe"})
    assert response.status_code == 422
    assert "Mot de passe incorrect." in response.content.decode()
    assert not Membership.objects.filter(user=elsewhere, organisation=world.org_a).exists()
    response = client.post(link, {"password": "mot-de-passe-solide-2026"})
    assert response.status_code == 302
    assert User.objects.filter(email="multi@exemple.fr").count() == 1
    elsewhere.refresh_from_db()
    assert elsewhere.check_password("mot-de-passe-solide-2026")  # unchanged
    roles = dict(Membership.objects.filter(user=elsewhere).values_list("organisation__nom", "role"))
    assert roles == {"Porteur B": Role.CONSEILLERE, "Porteur A": Role.CHARGE_ENTREPRISES}
    assert client.session[SESSION_KEY] == world.org_a.pk


def test_an_administrator_account_cannot_be_pulled_into_an_organisation(invite):
    UserFactory(email="admin@exemple.fr", is_staff=True)
    link = invite(email="admin@exemple.fr")
    assert Client().get(link).status_code == 404


def test_the_invitation_requires_a_role_of_the_organisation(coordination):
    response = coordination.post("/equipe/inviter/", {"email": "x@exemple.fr", "role": Role.PARTENAIRE})
    assert response.status_code == 422
    assert not Invitation.objects.exists()


def test_a_deactivated_person_cannot_log_in_again(invite, coordination, world):
    link = invite()
    _accept(link)
    membership = Membership.objects.get(user__email="nouvelle@exemple.fr")
    coordination.post(f"/equipe/membres/{membership.pk}/desactiver/")
    client = Client()
    response = client.post("/connexion/", {"username": "nouvelle@exemple.fr", "password": PASSWORD}, follow=True)
    assert "Votre accès à PA a été désactivé" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert LoginEvent.objects.filter(user=membership.user, kind=LoginEvent.Kind.DECONNEXION).exists()
