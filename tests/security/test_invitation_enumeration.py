"""The partner invitation form discloses nothing about the accounts of other organisations."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from core.models import Membership, Role, User
from outreach.models import InvitationPartenaire
from outreach.tokens import invitation_token
from tests.core.factories import MembershipFactory
from tests.outreach.factories import PartenariatFactory


pytestmark = pytest.mark.django_db


def _answer(client, world, email, capture):
    with capture(execute=True):
        response = client.post(
            reverse("outreach:partenaire_invite"),
            {"partenaire": world.partner_a.pk, "email": email, "first_name": "Lina", "last_name": "Roux"},
            follow=True,
        )
    # what the inviting side sees, with the typed address taken out
    page = response.content.decode()
    return response.status_code, page.replace(email, "<adresse>").replace(email.lower(), "<adresse>")


def test_invitation_answer_is_the_same_whether_the_address_exists_elsewhere_or_not(
    client, world, django_capture_on_commit_callbacks
):
    PartenariatFactory(porteur=world.org_a, partenaire=world.partner_a)
    other_org_user = MembershipFactory(
        organisation=world.org_b, role=Role.CONSEILLERE, user__email="autre@pb.test"
    ).user
    User.objects.create_superuser("admin@tremplin.test", "x")
    client.force_login(world.users_a[Role.COORDINATEUR])

    answers = [
        _answer(client, world, email, django_capture_on_commit_callbacks)
        for email in (
            "inconnue1@pta.test",
            "autre@pb.test",
            "Autre@PB.test",
            "admin@tremplin.test",
            "inconnue2@pta.test",
        )
    ]
    statuses = {status for status, _ in answers}
    assert statuses == {200}
    for _, page in answers:
        assert "Invitation envoyée à <adresse> (valable 7 jours)." in page
        assert "appartient déjà" not in page
        assert "autre organisation" not in page
    # the same page each time, but for the CSRF token and the pending list, which grows by one row per answer
    pages = [
        re.sub(r"<caption>Invitations en attente.*?</table>|[\w-]*[Cc][Ss][Rr][Ff][^>]*", "", page, flags=re.S)
        for _, page in answers
    ]
    assert len(set(pages)) == 1
    assert InvitationPartenaire.objects.count() == 5  # every answer is recorded the same way

    # one e-mail per invitation; the existing accounts get no link, and nothing attaches them to the partner
    assert len(mail.outbox) == 5
    by_address = {m.to[0]: m.body for m in mail.outbox}
    assert "/portail/invitation/" in by_address["inconnue1@pta.test"]
    assert "/portail/invitation/" not in by_address["autre@pb.test"]
    assert "/portail/invitation/" not in by_address["admin@tremplin.test"]
    for invitation in InvitationPartenaire.objects.filter(email__in=["autre@pb.test", "admin@tremplin.test"]):
        assert client.get(reverse("portal:invitation_accept", args=[invitation_token(invitation)])).status_code == 404
    assert not Membership.objects.filter(user=other_org_user, organisation=world.partner_a).exists()
