"""Caseload transfer: coordination moves a conseillère's dossiers and future rendez-vous to another, at once,
recorded in each dossier's history; another organisation's user cannot be named."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agenda.models import RendezVous
from core.audit import changes_for
from core.models import Role
from notifications.models import Notification
from tests.core.factories import MembershipFactory
from tests.home.factories import RendezVousFactory
from tests.youth.factories import JeuneFactory
from youth.models import Jeune


pytestmark = pytest.mark.django_db


@pytest.fixture
def caseload(world):
    source = world.users_a[Role.CONSEILLERE]
    cible = MembershipFactory(organisation=world.org_a, role=Role.CONSEILLERE, user__first_name="Zoé").user
    jeunes = JeuneFactory.create_batch(3, organisation=world.org_a, referent=source)
    JeuneFactory(organisation=world.org_a, referent=source, statut=Jeune.Statut.SORTI)
    other = JeuneFactory(organisation=world.org_a, referent=cible)
    now = timezone.now()
    future = [
        RendezVousFactory(jeune=j, conseillere=source, debut=now + timedelta(days=i + 1)) for i, j in enumerate(jeunes)
    ]
    past = RendezVousFactory(jeune=jeunes[0], conseillere=source, debut=now - timedelta(days=1), statut="honore")
    cancelled = RendezVousFactory(jeune=jeunes[1], conseillere=source, debut=now + timedelta(days=3), statut="annule")
    return {
        "source": source,
        "cible": cible,
        "jeunes": jeunes,
        "other": other,
        "future": future,
        "past": past,
        "cancelled": cancelled,
    }


def test_only_coordination_transfers(client, world, caseload):
    client.force_login(world.users_a[Role.CONSEILLERE])
    assert client.get("/portefeuille/transfert/").status_code == 403
    data = {"source": caseload["source"].pk, "cible": caseload["cible"].pk}
    assert client.post("/portefeuille/transfert/", data).status_code == 403
    assert Jeune.objects.filter(referent=caseload["cible"]).count() == 1


def test_preview_then_one_post_moves_the_dossiers_and_the_future_rendez_vous(client, world, caseload):
    coordination = world.users_a[Role.COORDINATEUR]
    source, cible = caseload["source"], caseload["cible"]
    client.force_login(coordination)
    preview = client.get("/portefeuille/transfert/", {"source": source.pk, "cible": cible.pk})
    assert preview.context["preview"] == {"dossiers": 4, "rendez_vous": 3}
    assert "4 dossiers et 3 rendez-vous à venir" in preview.content.decode()
    assert Jeune.objects.filter(referent=source).count() == 4  # a preview writes nothing
    response = client.post("/portefeuille/transfert/", {"source": source.pk, "cible": cible.pk}, follow=True)
    assert "Portefeuille transféré : 4 dossiers et 3 rendez-vous" in response.content.decode()
    assert not Jeune.objects.filter(referent=source).exists()
    assert Jeune.objects.filter(referent=cible).count() == 5
    assert set(RendezVous.objects.filter(conseillere=cible)) == set(caseload["future"])
    for kept in (caseload["past"], caseload["cancelled"]):
        kept.refresh_from_db()
        assert kept.conseillere == source
    # each dossier's history says it, by whom: the audit of changes lists it
    jeune = caseload["jeunes"][0]
    record = jeune.history.order_by("-history_date", "-history_id").first()
    reason = f"Transfert de portefeuille de {source.get_full_name()} à {cible.get_full_name()}"
    assert record.history_change_reason == reason
    assert record.history_user == coordination
    assert record.referent_id == cible.pk
    audit = list(changes_for(world.org_a, jeune_id=jeune.pk, user_id=coordination.pk))
    assert audit
    [notification] = Notification.objects.filter(destinataire=cible)
    assert notification.titre.startswith("4 dossiers et 3 rendez-vous à venir vous ont été transférés")
    assert notification.url == "/jeunes/?mes_jeunes=1"


def test_a_user_of_another_organisation_cannot_be_named(client, world, caseload):
    client.force_login(world.users_a[Role.COORDINATEUR])
    outsider = world.intruders[0]  # conseillère of org_b
    for data in (
        {"source": caseload["source"].pk, "cible": outsider.pk},
        {"source": outsider.pk, "cible": caseload["cible"].pk},
    ):
        response = client.post("/portefeuille/transfert/", data)
        assert response.status_code == 200
        assert "Sélectionnez un choix valide" in response.content.decode()
    assert Jeune.objects.filter(referent=caseload["source"]).count() == 4
    assert not Notification.objects.exists()


def test_source_and_target_must_differ_and_the_target_be_active(client, world, caseload):
    client.force_login(world.users_a[Role.COORDINATEUR])
    same = client.post("/portefeuille/transfert/", {"source": caseload["source"].pk, "cible": caseload["source"].pk})
    assert "Choisissez une autre personne" in same.content.decode()
    caseload["cible"].memberships.update(is_active=False)
    inactive = client.post(
        "/portefeuille/transfert/", {"source": caseload["source"].pk, "cible": caseload["cible"].pk}
    )
    assert "Sélectionnez un choix valide" in inactive.content.decode()
    assert Jeune.objects.filter(referent=caseload["source"]).count() == 4


def test_another_organisations_dossiers_are_not_moved(client, world, caseload):
    """A conseillère member of two organisations: only the current organisation's dossiers move."""
    source = caseload["source"]
    MembershipFactory(user=source, organisation=world.org_b, role=Role.CONSEILLERE)
    elsewhere = JeuneFactory(organisation=world.org_b, referent=source)
    client.force_login(world.users_a[Role.COORDINATEUR])
    client.post("/portefeuille/transfert/", {"source": source.pk, "cible": caseload["cible"].pk})
    elsewhere.refresh_from_db()
    assert elsewhere.referent == source


def test_the_team_page_link_preselects_the_person_who_leaves(client, world, caseload):
    client.force_login(world.users_a[Role.COORDINATEUR])
    response = client.get("/portefeuille/transfert/", {"conseillere": caseload["source"].pk})
    form = response.context["form"]
    assert not form.is_bound
    assert str(form["source"].value()) == str(caseload["source"].pk)
