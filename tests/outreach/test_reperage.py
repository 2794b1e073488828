from datetime import date

import pytest
from django.urls import reverse

from core.dossier import DossierContext
from outreach.dossier import contribute
from outreach.models import ActionReperage, ContactReperage
from tests.outreach.factories import ActionReperageFactory, ContactReperageFactory, OrientationFactory
from tests.scope import events_for, scope_for
from tests.youth.factories import JeuneFactory
from youth.models import Jeune


pytestmark = pytest.mark.django_db


def test_create_action_then_add_anonymous_contact(client, reseau):
    client.force_login(reseau.conseillere)
    response = client.post(
        reverse("outreach:action_create"),
        {
            "date": "2025-04-02",
            "type": "rue",
            "lieu": "Quartier Chasse Royale",
            "personnes_rencontrees": "7",
            "intervenants": [reseau.conseillere.pk],
            "notes": "Beaucoup de jeunes au city stade.",
        },
    )
    action = ActionReperage.objects.get()
    assert response["Location"] == reverse("outreach:action_detail", args=[action.pk])
    assert action.organisation == reseau.porteur
    assert list(action.intervenants.all()) == [reseau.conseillere]
    client.post(
        reverse("outreach:action_detail", args=[action.pk]),
        {"prenom_ou_pseudo": "Momo", "age_approximatif": "19", "sexe": "H", "moyen_contact": "snap momo59"},
    )
    contact = ContactReperage.objects.get()
    assert contact.organisation == reseau.porteur
    assert contact.date_contact == date(2025, 4, 2)
    assert contact.jeune is None


def test_action_form_rejects_partner_as_intervenant_and_future_date(client, reseau):
    client.force_login(reseau.conseillere)
    response = client.post(
        reverse("outreach:action_create"),
        {
            "date": "2999-01-01",
            "type": "rue",
            "lieu": "X",
            "personnes_rencontrees": "1",
            "intervenants": [reseau.partenaire_capep.pk],
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "date" in form.errors
    assert "intervenants" in form.errors
    assert not ActionReperage.objects.exists()


def test_convert_contact_into_named_jeune(client, reseau):
    contact = ContactReperageFactory(
        action=ActionReperageFactory(organisation=reseau.porteur, date=date(2025, 2, 10)),
        prenom_ou_pseudo="Sarah",
        sexe="F",
        moyen_contact="06 99 88 77 66",
    )
    client.force_login(reseau.conseillere)
    response = client.get(reverse("outreach:contact_convert", args=[contact.pk]))
    form = response.context["form"]
    assert form.initial["prenom"] == "Sarah"
    assert form.initial["telephone"] == "06 99 88 77 66"
    response = client.post(
        reverse("outreach:contact_convert", args=[contact.pk]),
        {
            "nom": "Benali",
            "prenom": "Sarah",
            "sexe": "F",
            "date_naissance": "2005-06-01",
            "telephone": "06 99 88 77 66",
            "statut": "contact",
        },
    )
    jeune = Jeune.objects.get()
    assert response["Location"] == jeune.get_absolute_url()
    assert jeune.origine == Jeune.Origine.ALLER_VERS
    assert jeune.date_reperage == date(2025, 2, 10)
    assert jeune.statut == Jeune.Statut.CONTACT
    assert jeune.organisation == reseau.porteur
    contact.refresh_from_db()
    assert contact.jeune == jeune
    # A second conversion does not create another dossier
    client.post(reverse("outreach:contact_convert", args=[contact.pk]), {"nom": "X", "prenom": "Y"})
    assert Jeune.objects.count() == 1


def test_convert_requires_a_way_to_reach_the_person(client, reseau):
    contact = ContactReperageFactory(action=ActionReperageFactory(organisation=reseau.porteur))
    client.force_login(reseau.conseillere)
    response = client.post(
        reverse("outreach:contact_convert", args=[contact.pk]),
        {"nom": "Benali", "prenom": "Sarah", "sexe": "F", "date_naissance": "2005-06-01", "statut": "repere"},
    )
    assert response.status_code == 200
    assert "au moins un téléphone ou un e-mail" in response.content.decode()
    assert not Jeune.objects.exists()


def test_other_organisation_cannot_see_actions_or_contacts(client, reseau):
    action = ActionReperageFactory(organisation=reseau.porteur, lieu="Lieu-secret")
    contact = ContactReperageFactory(action=action)
    client.force_login(reseau.autre_conseillere)
    assert client.get(reverse("outreach:action_detail", args=[action.pk])).status_code == 404
    assert (
        client.post(reverse("outreach:action_detail", args=[action.pk]), {"prenom_ou_pseudo": "x"}).status_code == 404
    )
    assert client.get(reverse("outreach:contact_convert", args=[contact.pk])).status_code == 404
    assert "Lieu-secret" not in client.get(reverse("outreach:index")).content.decode()
    assert contact.prenom_ou_pseudo not in client.get(reverse("outreach:contact_list")).content.decode()
    assert ContactReperage.objects.count() == 1


def test_action_list_query_count_is_bounded(client, reseau, django_assert_max_num_queries):
    for _ in range(3):
        ContactReperageFactory(action=ActionReperageFactory(organisation=reseau.porteur))
    client.force_login(reseau.conseillere)
    url = reverse("outreach:index")
    with django_assert_max_num_queries(12) as ctx:
        client.get(url)
    baseline = len(ctx.captured_queries)
    for _ in range(15):
        ContactReperageFactory(action=ActionReperageFactory(organisation=reseau.porteur))
    with django_assert_max_num_queries(baseline):
        client.get(url)
    with django_assert_max_num_queries(baseline):
        client.get(reverse("outreach:contact_list"))


def test_timeline_shows_reperage_and_orientation_events(reseau):
    jeune = JeuneFactory(organisation=reseau.porteur)
    ContactReperageFactory(action=ActionReperageFactory(organisation=reseau.porteur, lieu="Gare"), jeune=jeune)
    OrientationFactory(organisation=reseau.porteur, partenaire=reseau.capep, jeune=jeune, statut="acceptee")
    events = events_for(reseau.conseillere, jeune)
    titles = [e.title for e in events]
    assert any(t.startswith("Repéré·e en aller-vers") for t in titles)
    assert any(t == f"Orienté·e par {reseau.capep}" for t in titles)
    # Scoped: another organisation's user gets no outreach event of this dossier
    assert contribute(DossierContext(scope=scope_for(reseau.autre_conseillere), jeune=jeune)).events == []
    assert len(contribute(DossierContext(scope=scope_for(reseau.conseillere), jeune=jeune)).events) == 2


def test_timeline_provider_query_count(reseau, django_assert_max_num_queries):
    jeune = JeuneFactory(organisation=reseau.porteur)
    for _ in range(5):
        ContactReperageFactory(action=ActionReperageFactory(organisation=reseau.porteur), jeune=jeune)
        OrientationFactory(organisation=reseau.porteur, partenaire=reseau.capep, jeune=jeune)
    scope = scope_for(reseau.conseillere)
    with django_assert_max_num_queries(2):
        assert len(contribute(DossierContext(scope=scope, jeune=jeune)).events) == 10


def test_dossier_panel_lists_orientations(client, reseau):
    jeune = JeuneFactory(organisation=reseau.porteur)
    OrientationFactory(organisation=reseau.porteur, partenaire=reseau.capep, jeune=jeune, statut="acceptee")
    client.force_login(reseau.conseillere)
    content = client.get(jeune.get_absolute_url()).content.decode()
    assert f"Orienté·e par {reseau.capep}" in content
    assert f"/reperage/orientations/sortantes/nouvelle/?jeune={jeune.pk}" in content


def test_charge_entreprises_reads_reperage_but_neither_writes_nor_is_offered_links_it_cannot_use(client, reseau):
    from core.models import Role
    from tests.core.factories import MembershipFactory

    action = ActionReperageFactory(organisation=reseau.porteur)
    ContactReperageFactory(action=action, prenom_ou_pseudo="Momo")
    charge = MembershipFactory(organisation=reseau.porteur, role=Role.CHARGE_ENTREPRISES).user
    client.force_login(charge)
    page = client.get(reverse("outreach:action_detail", args=[action.pk])).content.decode()
    assert "Momo" in page
    assert reverse("outreach:action_edit", args=[action.pk]) not in page
    assert "/dossier/" not in page  # no "Créer le dossier" link
    assert "Ajouter le contact" not in page
    assert reverse("outreach:orientation_list") not in page
    index = client.get(reverse("outreach:index")).content.decode()
    assert reverse("outreach:action_create") not in index
    assert reverse("outreach:orientation_list") not in index
    response = client.post(reverse("outreach:action_detail", args=[action.pk]), {"prenom_ou_pseudo": "Intrus"})
    assert response.status_code == 403
    assert not ContactReperage.objects.filter(prenom_ou_pseudo="Intrus").exists()
