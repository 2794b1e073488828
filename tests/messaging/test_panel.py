"""The « Messages envoyés » panel of the dossier, scoped like the dossier, and anonymisation of the log."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from messaging import services
from messaging.models import Message
from privacy.retention import jeunes_anonymise
from tests.core.factories import MembershipFactory
from tests.messaging.factories import RendezVousFactory
from tests.youth.factories import JeuneFactory


pytestmark = pytest.mark.django_db


def _messages(rdv, n=1, **fields):
    rows = []
    for i in range(n):
        for envoi in services._envois(rdv, "rappel", f"v{i}"):
            message = services._create(envoi)
            Message.objects.filter(pk=message.pk).update(**fields)
            rows.append(message)
    return rows


def _page(client, jeune):
    return client.get(reverse("youth:jeune_detail", args=[jeune.pk]))


def test_the_panel_lists_messages_with_their_outcome(client):
    membership = MembershipFactory(role=Role.CONSEILLERE)
    jeune = JeuneFactory(
        organisation=membership.organisation, accepte_sms=True, accepte_email=False, telephone="06 12 34 56 78"
    )
    rdv = RendezVousFactory(jeune=jeune, organisation=jeune.organisation)
    [sent] = _messages(rdv, statut="envoye", envoye_le=timezone.now(), tentatives=1)
    [failed] = _messages(
        RendezVousFactory(jeune=jeune, organisation=jeune.organisation),
        statut="echec",
        tentatives=1,
        erreur="Tentative 1 (01/12/2026 10:00:00) : Brevo HTTP 402 not_enough_credits : Not enough credits",
    )
    client.force_login(membership.user)
    html = _page(client, jeune).content.decode()
    assert "Messages envoyés" in html
    assert 'data-panel="messages"' in html
    assert "SMS : <strong>accepté</strong>" in html
    assert "E-mails : <strong>refusés</strong> (aucun e-mail envoyé)" in html
    assert html.count("par SMS à +33612345678") == 2
    assert "envoyé le" in html
    assert "échec" in html
    assert "not_enough_credits : Not enough credits" in html
    assert "ne peut pas recevoir de SMS" not in html
    assert {sent.pk, failed.pk} <= set(Message.objects.values_list("pk", flat=True))


def test_the_panel_says_when_a_number_cannot_receive_an_sms(client):
    membership = MembershipFactory(role=Role.CONSEILLERE)
    jeune = JeuneFactory(organisation=membership.organisation, telephone="03 27 11 22 33")
    client.force_login(membership.user)
    html = _page(client, jeune).content.decode()
    assert "Ce numéro ne peut pas recevoir de SMS : 03 27 11 22 33 (téléphone du jeune)." in html
    assert "Aucun message envoyé." in html


def test_the_panel_runs_a_constant_number_of_queries(client):
    membership = MembershipFactory(role=Role.CONSEILLERE)
    jeune = JeuneFactory(organisation=membership.organisation, accepte_sms=True, accepte_email=True, email="a@b.fr")
    client.force_login(membership.user)
    rdv = RendezVousFactory(jeune=jeune, organisation=jeune.organisation)
    _messages(rdv)
    _page(client, jeune)
    with CaptureQueriesContext(connection) as few:
        _page(client, jeune)
    _messages(RendezVousFactory(jeune=jeune, organisation=jeune.organisation), n=15)
    with CaptureQueriesContext(connection) as many:
        html = _page(client, jeune).content.decode()
    assert len(many) == len(few)
    assert "Seuls les 20 derniers messages sont affichés." in html
    messaging_queries = [q for q in many.captured_queries if "messaging_message" in q["sql"]]
    assert len(messaging_queries) == 1


def test_other_organisations_and_roles_do_not_see_the_messages(client, world):
    jeune = JeuneFactory(organisation=world.org_a, accepte_sms=True)
    _messages(RendezVousFactory(jeune=jeune, organisation=world.org_a))
    client.force_login(world.users_a[Role.CHARGE_ENTREPRISES])
    html = _page(client, jeune).content.decode()
    assert "Messages envoyés" not in html
    assert "+33612345678" not in html
    for role in (Role.CONSEILLERE, Role.COORDINATEUR):
        intruder = MembershipFactory(organisation=world.org_b, role=role)
        assert Message.objects.for_organisation(world.org_b, role=role).count() == 0
        client.force_login(intruder.user)
        assert _page(client, jeune).status_code == 404
    assert Message.objects.for_organisation(world.org_a, role=Role.CHARGE_ENTREPRISES).count() == 0
    assert Message.objects.for_organisation(world.org_a, role=Role.CONSEILLERE).count() == 1


def test_anonymisation_clears_the_messages(world):
    jeune = JeuneFactory(
        organisation=world.org_a,
        prenom="Georgiano",
        nom="Leducquinn",
        telephone="06 98 76 54 32",
        email="georgiano@exemple.fr",
        accepte_sms=True,
        accepte_email=True,
    )
    rdv = RendezVousFactory(jeune=jeune, organisation=world.org_a, debut=timezone.now() + datetime.timedelta(days=2))
    rows = services.rendez_vous_inviter(rendez_vous=rdv)
    assert len(rows) == 2
    assert jeunes_anonymise(ids=[jeune.pk]) == 1
    for message in Message.objects.filter(jeune=jeune):
        assert "Georgiano" not in message.texte + message.sujet + message.adresse
        assert "+33698765432" not in message.adresse
        assert "georgiano@" not in message.adresse
        assert message.dedupe_key.startswith(f"rdv:{rdv.pk}:invitation:")  # kept: no personal data in it
