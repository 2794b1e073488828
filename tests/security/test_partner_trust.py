"""The partner trust model (docs/security.md): a partner shared by two porteurs is never a bridge between them.

In the harness world, ``partner_a`` works with both porteurs (``org_a`` as ACSRV, ``org_b`` as the CCAS de Carvin).
"""

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Membership, Organisation, Role
from outreach import services
from outreach.models import InvitationPartenaire, Orientation
from tests.core.factories import MembershipFactory
from tests.outreach.factories import OrientationFactory


pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _coordination(world, org):
    if org == world.org_a:
        return world.users_a[Role.COORDINATEUR]
    return next(u for u in world.intruders if u.memberships.get().role == Role.COORDINATEUR)


def _invite_and_accept(world, porteur, email="invitee@partenaire.example"):
    client = _client(_coordination(world, porteur))
    response = client.post(reverse("outreach:partenaire_invite"), {"partenaire": world.partner_a.pk, "email": email})
    assert response.status_code == 302, response.content.decode()
    invitation = InvitationPartenaire.objects.filter(email=email).order_by("-pk").first()
    return services.invitation_accept(invitation=invitation, password="un-mot-de-passe-solide-2026"), invitation


def test_an_account_invited_by_one_porteur_sees_that_partnership_only(world):
    outward_a = OrientationFactory(organisation=world.org_a, partenaire=world.partner_a, sortante=True, nom="Zzacsrv")
    inward_a = OrientationFactory(organisation=world.org_a, partenaire=world.partner_a, nom="Zzentrante")
    inward_b = OrientationFactory(organisation=world.org_b, partenaire=world.partner_a, nom="Zzcarvin")
    user, invitation = _invite_and_accept(world, world.org_b)
    assert not invitation.acces_complet  # partner_a was not created by org_b: a partnership-limited account
    assert Membership.objects.get(user=user).porteurs_limites == [world.org_b.pk]

    client = _client(user)
    pages = [reverse("portal:home"), reverse("portal:recues"), reverse("portal:export_csv")]
    content = "".join(client.get(url).content.decode() for url in pages).upper()
    assert "ZZCARVIN" in content
    assert "ZZACSRV" not in content
    assert "ZZENTRANTE" not in content
    for orientation in (outward_a, inward_a):
        assert client.get(reverse("portal:orientation_detail", args=[orientation.pk])).status_code == 404
    answer = client.post(reverse("portal:orientation_answer", args=[outward_a.pk]), {"decision": "accepter"})
    assert answer.status_code == 404
    outward_a.refresh_from_db()
    assert outward_a.statut == Orientation.Statut.RECUE
    assert client.get(reverse("portal:orientation_detail", args=[inward_b.pk])).status_code == 200
    # The portal form offers only the porteur of its partnership.
    form = client.get(reverse("portal:orientation_create")).context["form"]
    assert list(form.fields["organisation"].queryset) == [world.org_b]


def test_the_partners_own_account_still_sees_its_whole_organisation(world):
    OrientationFactory(organisation=world.org_a, partenaire=world.partner_a, nom="Zzacsrv")
    OrientationFactory(organisation=world.org_b, partenaire=world.partner_a, nom="Zzcarvin")
    content = _client(world.users_a[Role.PARTENAIRE]).get(reverse("portal:home")).content.decode().upper()
    assert "ZZACSRV" in content
    assert "ZZCARVIN" in content


def test_a_porteur_never_deactivates_another_organisations_people(world):
    own_staff = Membership.objects.get(user=world.users_a[Role.PARTENAIRE])
    limited_to_a = MembershipFactory(
        organisation=world.partner_a, role=Role.PARTENAIRE, porteurs_limites=[world.org_a.pk]
    )
    carvin = _client(_coordination(world, world.org_b))
    for membership in (own_staff, limited_to_a):
        response = carvin.post(reverse("outreach:partenaire_compte_toggle", args=[membership.pk]))
        assert response.status_code == 404
        membership.refresh_from_db()
        assert membership.is_active
    # Its own invitee: access to its partnership is withdrawn, then restored.
    user, _invitation = _invite_and_accept(world, world.org_b)
    invited = Membership.objects.get(user=user)
    carvin.post(reverse("outreach:partenaire_compte_toggle", args=[invited.pk]))
    invited.refresh_from_db()
    assert not invited.is_active
    carvin.post(reverse("outreach:partenaire_compte_toggle", args=[invited.pk]))
    invited.refresh_from_db()
    assert invited.is_active


def test_an_account_invited_by_both_porteurs_loses_one_partnership_only(world):
    _invite_and_accept(world, world.org_b, email="deux@partenaire.example")
    user, _invitation = _invite_and_accept(world, world.org_a, email="deux@partenaire.example")
    membership = Membership.objects.get(user=user)
    assert membership.porteurs_limites == [world.org_a.pk, world.org_b.pk]
    _client(_coordination(world, world.org_b)).post(reverse("outreach:partenaire_compte_toggle", args=[membership.pk]))
    membership.refresh_from_db()
    assert (membership.is_active, membership.porteurs_limites) == (True, [world.org_a.pk])


def test_a_porteur_ends_its_partnership(world):
    carvin = _client(_coordination(world, world.org_b))
    partenariat = world.org_b.partenariats.get(partenaire=world.partner_a)
    assert carvin.post(reverse("outreach:partenariat_toggle", args=[partenariat.pk])).status_code == 302
    partenariat.refresh_from_db()
    assert not partenariat.is_active
    form = carvin.get(reverse("outreach:partenaire_invite")).context["form"]
    assert world.partner_a not in form.fields["partenaire"].queryset
    assert Membership.objects.get(user=world.users_a[Role.PARTENAIRE]).is_active  # the partner's people stay
    acsrv_partnership = world.org_a.partenariats.get(partenaire=world.partner_a)
    assert carvin.post(reverse("outreach:partenariat_toggle", args=[acsrv_partnership.pk])).status_code == 404


def test_the_first_account_of_a_partner_the_porteur_created_sees_the_whole_partner(world):
    carvin = _client(_coordination(world, world.org_b))
    response = carvin.post(
        reverse("outreach:partenaire_create"), {"nom": "Point Information Jeunesse", "sigle": "PIJ"}
    )
    assert response.status_code == 302
    pij = Organisation.objects.get(sigle="PIJ")
    assert pij.cree_par == world.org_b
    carvin.post(reverse("outreach:partenaire_invite"), {"partenaire": pij.pk, "email": "premier@pij.example"})
    first = InvitationPartenaire.objects.get(email="premier@pij.example")
    assert first.acces_complet
    services.invitation_accept(invitation=first, password="un-mot-de-passe-solide-2026")
    carvin.post(reverse("outreach:partenaire_invite"), {"partenaire": pij.pk, "email": "second@pij.example"})
    assert not InvitationPartenaire.objects.get(email="second@pij.example").acces_complet


def test_a_partner_created_by_one_porteur_is_not_offered_to_another(world):
    carvin = _client(_coordination(world, world.org_b))
    carvin.post(reverse("outreach:partenaire_create"), {"nom": "Point Information Jeunesse", "sigle": "PIJ"})
    pij = Organisation.objects.get(sigle="PIJ")
    acsrv = _client(world.users_a[Role.CONSEILLERE])
    offered = acsrv.get(reverse("youth:jeune_create")).context["form"].fields["organisation_orienteuse"].queryset
    assert pij not in offered
    assert world.partner_a in offered
    assert pij in carvin.get(reverse("youth:jeune_create")).context["form"].fields["organisation_orienteuse"].queryset


def test_a_porteur_cannot_invite_into_a_partner_it_has_no_partnership_with(world):
    outsider_partner = Organisation.objects.create(nom="Sans partenariat", kind=Organisation.Kind.PARTENAIRE)
    carvin = _client(_coordination(world, world.org_b))
    response = carvin.post(
        reverse("outreach:partenaire_invite"), {"partenaire": outsider_partner.pk, "email": "x@exemple.fr"}
    )
    assert response.status_code == 200
    assert "partenaire" in response.context["form"].errors
    assert not InvitationPartenaire.objects.exists()


def test_the_charge_entreprises_neither_reads_orientations_nor_creates_dossiers(world):
    orientation = OrientationFactory(organisation=world.org_a, partenaire=world.partner_a)
    charge = _client(world.users_a[Role.CHARGE_ENTREPRISES])
    for url in (
        reverse("outreach:orientation_list"),
        reverse("outreach:orientation_detail", args=[orientation.pk]),
        reverse("outreach:orientation_sortante_create"),
    ):
        assert charge.get(url).status_code == 403, url
    assert charge.post(reverse("outreach:orientation_accept", args=[orientation.pk])).status_code == 403
    orientation.refresh_from_db()
    assert orientation.statut == Orientation.Statut.RECUE


def test_notifications_go_only_to_the_partner_accounts_that_see_the_partnership(world):
    from outreach.tasks import orientation_recipients

    user, _invitation = _invite_and_accept(world, world.org_b)
    orientation_a = OrientationFactory(organisation=world.org_a, partenaire=world.partner_a)
    orientation_b = OrientationFactory(organisation=world.org_b, partenaire=world.partner_a)
    recipients_a, _url = orientation_recipients(orientation_a, "acceptee")
    recipients_b, _url = orientation_recipients(orientation_b, "acceptee")
    assert user.email not in recipients_a
    assert world.users_a[Role.PARTENAIRE].email in recipients_a
    assert user.email in recipients_b
