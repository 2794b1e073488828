import pytest
from django.core import mail
from django.urls import reverse

from outreach.models import Orientation
from tests.outreach.factories import OrientationFactory, OrientationMessageFactory
from tests.youth.factories import JeuneFactory, ParticipationFactory
from youth.models import Jeune


pytestmark = pytest.mark.django_db


def test_queue_lists_open_incoming_orientations_of_the_organisation(client, reseau):
    mine = OrientationFactory(organisation=reseau.porteur, partenaire=reseau.capep, nom="Recu")
    OrientationFactory(organisation=reseau.porteur, partenaire=reseau.capep, nom="Brouillonne", brouillon=True)
    OrientationFactory(organisation=reseau.porteur, partenaire=reseau.capep, nom="Refusee", statut="refusee")
    OrientationFactory(organisation=reseau.autre_porteur, partenaire=reseau.capep, nom="Ailleurs")
    client.force_login(reseau.conseillere)
    response = client.get(reverse("outreach:orientation_list"))
    assert list(response.context["page"]) == [mine]
    response = client.get(reverse("outreach:orientation_list") + "?statut=")
    names = {o.nom for o in response.context["page"]}
    assert names == {"Recu", "Refusee"}


def test_other_porteur_gets_404_and_partner_403(client, reseau):
    orientation = OrientationFactory(organisation=reseau.porteur, partenaire=reseau.capep)
    client.force_login(reseau.autre_conseillere)
    for name in (
        "outreach:orientation_detail",
        "outreach:orientation_accept",
        "outreach:orientation_decline",
        "outreach:orientation_examine",
        "outreach:orientation_message",
    ):
        assert client.post(reverse(name, args=[orientation.pk])).status_code == 404
    client.force_login(reseau.partenaire_capep)
    assert client.get(reverse("outreach:orientation_detail", args=[orientation.pk])).status_code == 403
    orientation.refresh_from_db()
    assert orientation.statut == Orientation.Statut.RECUE


def test_accept_creates_the_dossier_and_partner_sees_it(client, reseau, django_capture_on_commit_callbacks):
    orientation = OrientationFactory(
        organisation=reseau.porteur, partenaire=reseau.capep, nom="Lefebvre", prenom="Inès", commune="Anzin"
    )
    client.force_login(reseau.conseillere)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outreach:orientation_accept", args=[orientation.pk]), {"jeune": "nouveau"})
    jeune = Jeune.objects.get()
    assert response["Location"] == jeune.get_absolute_url()
    assert (jeune.nom, jeune.prenom, jeune.commune) == ("Lefebvre", "Inès", "Anzin")
    assert jeune.organisation == reseau.porteur
    assert jeune.statut == Jeune.Statut.REPERE
    assert jeune.origine == Jeune.Origine.PARTENAIRE
    assert jeune.organisation_orienteuse == reseau.capep
    assert jeune.referent == reseau.conseillere
    orientation.refresh_from_db()
    assert orientation.statut == Orientation.Statut.ACCEPTEE
    assert orientation.jeune == jeune
    assert mail.outbox[-1].to == [reseau.partenaire_capep.email]
    assert "acceptée" in mail.outbox[-1].subject
    client.force_login(reseau.partenaire_capep)
    response = client.get(reverse("portal:orientation_detail", args=[orientation.pk]))
    assert "Acceptée" in response.content.decode()
    ParticipationFactory(jeune=jeune, entree=True)
    response = client.get(reverse("portal:orientation_detail", args=[orientation.pk]))
    assert "Entré·e en parcours" in response.content.decode()


def test_duplicate_is_proposed_and_accept_links_the_existing_dossier(client, reseau):
    existing = JeuneFactory(organisation=reseau.porteur, nom="DUPONT-MARTIN", prenom="Eloise")
    JeuneFactory(organisation=reseau.autre_porteur, nom="Dupont-Martin", prenom="Éloïse")  # other org: never proposed
    orientation = OrientationFactory(
        organisation=reseau.porteur,
        partenaire=reseau.capep,
        nom="Dupont Martin",
        prenom="Éloïse",
        date_naissance=existing.date_naissance,
    )
    client.force_login(reseau.conseillere)
    response = client.get(reverse("outreach:orientation_detail", args=[orientation.pk]))
    assert response.context["doublons"] == [existing]
    # Creating a new dossier without confirming is refused while a match exists
    client.post(reverse("outreach:orientation_accept", args=[orientation.pk]), {"jeune": "nouveau"})
    orientation.refresh_from_db()
    assert orientation.statut == Orientation.Statut.RECUE
    client.post(reverse("outreach:orientation_accept", args=[orientation.pk]), {"jeune": existing.pk})
    orientation.refresh_from_db()
    assert orientation.jeune == existing
    assert Jeune.objects.filter(organisation=reseau.porteur).count() == 1
    existing.refresh_from_db()
    assert existing.organisation_orienteuse == reseau.capep


def test_accept_cannot_link_another_organisations_jeune(client, reseau):
    other = JeuneFactory(organisation=reseau.autre_porteur)
    orientation = OrientationFactory(organisation=reseau.porteur, partenaire=reseau.capep)
    client.force_login(reseau.conseillere)
    response = client.post(reverse("outreach:orientation_accept", args=[orientation.pk]), {"jeune": other.pk})
    assert response.status_code == 404
    orientation.refresh_from_db()
    assert orientation.jeune is None


def test_different_date_of_birth_is_not_a_duplicate(client, reseau):
    JeuneFactory(organisation=reseau.porteur, nom="Dupont", prenom="Eloise", date_naissance="2001-01-01")
    orientation = OrientationFactory(
        organisation=reseau.porteur, partenaire=reseau.capep, nom="Dupont", prenom="Eloise"
    )
    client.force_login(reseau.conseillere)
    assert client.get(reverse("outreach:orientation_detail", args=[orientation.pk])).context["doublons"] == []


def test_decline_requires_a_reason_which_the_partner_sees(client, reseau, django_capture_on_commit_callbacks):
    orientation = OrientationFactory(organisation=reseau.porteur, partenaire=reseau.capep)
    client.force_login(reseau.conseillere)
    client.post(reverse("outreach:orientation_decline", args=[orientation.pk]), {"motif": "  "})
    orientation.refresh_from_db()
    assert orientation.statut == Orientation.Statut.RECUE
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("outreach:orientation_decline", args=[orientation.pk]), {"motif": "Plus de 29 ans."})
    orientation.refresh_from_db()
    assert orientation.statut == Orientation.Statut.REFUSEE
    assert "refusée" in mail.outbox[-1].subject
    client.force_login(reseau.partenaire_capep)
    content = client.get(reverse("portal:orientation_detail", args=[orientation.pk])).content.decode()
    assert "Plus de 29 ans." in content
    assert "Refusée" in content


def test_examine_notifies_partner(client, reseau, django_capture_on_commit_callbacks):
    orientation = OrientationFactory(organisation=reseau.porteur, partenaire=reseau.capep)
    client.force_login(reseau.conseillere)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("outreach:orientation_examine", args=[orientation.pk]))
    orientation.refresh_from_db()
    assert orientation.statut == Orientation.Statut.EN_EXAMEN
    assert mail.outbox[-1].to == [reseau.partenaire_capep.email]


def test_accepting_twice_is_refused(client, reseau):
    orientation = OrientationFactory(organisation=reseau.porteur, partenaire=reseau.capep)
    client.force_login(reseau.conseillere)
    client.post(reverse("outreach:orientation_accept", args=[orientation.pk]), {"jeune": "nouveau"})
    client.post(reverse("outreach:orientation_accept", args=[orientation.pk]), {"jeune": "nouveau"})
    assert Jeune.objects.count() == 1


def test_queue_query_count_is_bounded(client, reseau, django_assert_max_num_queries):
    OrientationFactory.create_batch(3, organisation=reseau.porteur, partenaire=reseau.capep)
    client.force_login(reseau.conseillere)
    url = reverse("outreach:orientation_list") + "?statut="
    with django_assert_max_num_queries(12) as ctx:
        client.get(url)
    baseline = len(ctx.captured_queries)
    OrientationFactory.create_batch(20, organisation=reseau.porteur, partenaire=reseau.cao)
    for _ in range(5):
        jeune = JeuneFactory(organisation=reseau.porteur)
        OrientationFactory(organisation=reseau.porteur, partenaire=reseau.capep, statut="acceptee", jeune=jeune)
    with django_assert_max_num_queries(baseline):
        response = client.get(url)
    assert len(response.context["page"]) == 28


def test_triage_detail_query_count_is_bounded(client, reseau, django_assert_max_num_queries):
    orientation = OrientationFactory(organisation=reseau.porteur, partenaire=reseau.capep)
    OrientationMessageFactory(orientation=orientation)
    client.force_login(reseau.conseillere)
    url = reverse("outreach:orientation_detail", args=[orientation.pk])
    with django_assert_max_num_queries(14) as ctx:
        client.get(url)
    baseline = len(ctx.captured_queries)
    for _ in range(10):
        OrientationMessageFactory(orientation=orientation, auteur=reseau.partenaire_capep)
    JeuneFactory.create_batch(5, organisation=reseau.porteur, date_naissance=orientation.date_naissance)
    with django_assert_max_num_queries(baseline):
        client.get(url)
