"""Rendez-vous: planning (form, past, archived), status actions, signals on commit, entretien prefill and link."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agenda import services, signals
from agenda.models import RendezVous
from core.models import Role
from tests.agenda.factories import RendezVousFactory, dans
from tests.core.factories import MembershipFactory
from tests.youth.factories import EntretienFactory, JeuneFactory
from youth.models import Entretien


pytestmark = pytest.mark.django_db
S = RendezVous.Statut


@pytest.fixture
def received():
    """Every agenda signal received, as (name, kwargs without signal/sender)."""
    calls = []

    def make(name):
        def receiver(sender, **kwargs):
            kwargs.pop("signal")
            calls.append((name, kwargs))

        return receiver

    receivers = {
        signals.rendez_vous_planifie: make("planifie"),
        signals.rendez_vous_modifie: make("modifie"),
        signals.rendez_vous_statut_change: make("statut"),
    }
    for signal, receiver in receivers.items():
        signal.connect(receiver)
    yield calls
    for signal, receiver in receivers.items():
        signal.disconnect(receiver)


def _post(jeune, conseillere, **extra):
    day = timezone.localdate() + datetime.timedelta(days=2)
    return {
        "jeune": jeune.pk,
        "conseillere": conseillere.pk,
        "jour": day.isoformat(),
        "heure": "14:30",
        "duree_minutes": "60",
        "modalite": "telephone",
        "lieu": "06 00 00 00 00",
        "objet": "Point CV",
        **extra,
    }


def test_plan_from_the_dossier_preselects_and_creates(
    logged, jeune, conseillere, received, django_capture_on_commit_callbacks
):
    page = logged.get(reverse("youth:jeune_detail", args=[jeune.pk]))
    assert "Planifier un rendez-vous" in page.content.decode()
    url = reverse("agenda:rendez_vous_create") + f"?jeune={jeune.pk}"
    form = logged.get(url).context["form"]
    assert form["jeune"].value() == jeune.pk
    assert form["conseillere"].value() == conseillere.pk
    assert "prevenir_representant" not in form.fields  # an adult: no guardian option
    with django_capture_on_commit_callbacks(execute=True):
        response = logged.post(url, _post(jeune, conseillere))
    assert response.status_code == 302
    rdv = RendezVous.objects.get()
    assert (rdv.jeune, rdv.conseillere, rdv.cree_par, rdv.statut) == (jeune, conseillere, conseillere, S.PLANIFIE)
    assert timezone.localtime(rdv.debut).time() == datetime.time(14, 30)
    assert rdv.organisation == jeune.organisation
    assert received == [("planifie", {"rendez_vous": rdv})]
    panel = logged.get(reverse("youth:jeune_detail", args=[jeune.pk])).content.decode()
    assert rdv.debut.astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y à %H:%M") in panel


def test_minor_guardian_option(logged, org, conseillere):
    mineur = JeuneFactory(organisation=org, mineur=True)
    url = reverse("agenda:rendez_vous_create") + f"?jeune={mineur.pk}"
    assert "prevenir_representant" in logged.get(url).context["form"].fields
    logged.post(url, _post(mineur, conseillere, prevenir_representant="on"))
    assert RendezVous.objects.get().prevenir_representant is True


def test_past_rendez_vous_refused_in_french(logged, jeune, conseillere, received):
    hier = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = logged.post(reverse("agenda:rendez_vous_create"), _post(jeune, conseillere, jour=hier))
    assert response.status_code == 422
    assert "ne peut pas être planifié dans le passé" in response.content.decode()
    assert response.context["form"]["objet"].value() == "Point CV"  # what was typed is kept
    assert not RendezVous.objects.exists()
    assert received == []


def test_archived_dossier_refused(org, conseillere):
    jeune = JeuneFactory(organisation=org, archived_at=timezone.now())
    with pytest.raises(ValidationError, match="archivé"):
        services.planifier(jeune=jeune, conseillere=conseillere, debut=dans(2))


def test_conseillere_must_be_a_member(logged, jeune, conseillere):
    outsider = MembershipFactory(role=Role.CONSEILLERE).user
    response = logged.post(reverse("agenda:rendez_vous_create"), _post(jeune, outsider))
    assert response.status_code == 422
    assert not RendezVous.objects.exists()


def test_signal_sent_once_on_commit_only(jeune, conseillere, received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rdv = services.planifier(jeune=jeune, conseillere=conseillere, debut=dans(2))
        assert received == []  # not before the commit
    for callback in callbacks:
        callback()
    assert received == [("planifie", {"rendez_vous": rdv})]


def test_modify_sends_the_changes(logged, jeune, conseillere, received, django_capture_on_commit_callbacks):
    rdv = RendezVousFactory(jeune=jeune, conseillere=conseillere, lieu="Bureau 1")
    url = reverse("agenda:rendez_vous_update", args=[rdv.pk])
    data = _post(jeune, conseillere, lieu="Bureau 2", modalite="presentiel", duree_minutes="45")
    data["jour"] = timezone.localtime(rdv.debut).date().isoformat()
    data["heure"] = "10:00"
    data.pop("jeune")
    with django_capture_on_commit_callbacks(execute=True):
        assert logged.post(url, data).status_code == 302
    assert received == [("modifie", {"rendez_vous": rdv, "changes": {"lieu": ("Bureau 1", "Bureau 2")}})]
    received.clear()
    data["heure"] = "11:15"
    with django_capture_on_commit_callbacks(execute=True):
        logged.post(url, data)
    rdv.refresh_from_db()
    assert list(received[0][1]["changes"]) == ["debut"]
    assert timezone.localtime(rdv.debut).time() == datetime.time(11, 15)


def test_status_actions_recorded_with_signal(logged, jeune, conseillere, received, django_capture_on_commit_callbacks):
    rdv = RendezVousFactory(jeune=jeune, conseillere=conseillere, debut=dans(-1, 9))
    url = reverse("agenda:rendez_vous_statut", args=[rdv.pk])
    assert logged.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        assert logged.post(url, {"statut": "manque"}).status_code == 302
    rdv.refresh_from_db()
    assert rdv.statut == S.MANQUE
    assert rdv.statut_change_le is not None
    assert received == [("statut", {"rendez_vous": rdv, "ancien": "planifie", "nouveau": "manque"})]
    assert [h.statut for h in rdv.history.order_by("history_id")] == ["planifie", "manque"]
    # The missed rendez-vous is on the dossier's timeline.
    page = logged.get(reverse("youth:jeune_detail", args=[jeune.pk]))
    assert any(event.kind == "rendez_vous_manque" for event in page.context["timeline"])
    # A correction: excused; then cancelling an excused one is not a transition.
    logged.post(url, {"statut": "excuse"})
    rdv.refresh_from_db()
    assert rdv.statut == S.EXCUSE
    logged.post(url, {"statut": "annule"})
    rdv.refresh_from_db()
    assert rdv.statut == S.EXCUSE


def test_future_rendez_vous_cannot_be_honoured_or_missed(jeune, conseillere):
    rdv = RendezVousFactory(jeune=jeune, conseillere=conseillere, debut=dans(2))
    for statut in (S.HONORE, S.MANQUE):
        with pytest.raises(ValidationError, match="à venir"):
            services.changer_statut(rdv, statut)
    services.changer_statut(rdv, S.ANNULE)
    services.changer_statut(rdv, S.PLANIFIE)  # a cancelled future one can be planned again
    services.changer_statut(rdv, S.EXCUSE)
    assert RendezVous.objects.get().statut == S.EXCUSE


def test_honoured_then_entretien_prefilled_and_linked(logged, jeune, conseillere):
    rdv = RendezVousFactory(
        jeune=jeune, conseillere=conseillere, debut=dans(-1, 9), duree_minutes=50, modalite="telephone"
    )
    logged.post(reverse("agenda:rendez_vous_statut", args=[rdv.pk]), {"statut": "honore"})
    panel = logged.get(reverse("youth:jeune_detail", args=[jeune.pk])).content.decode()
    assert reverse("agenda:rendez_vous_entretien", args=[rdv.pk]) in panel
    url = reverse("agenda:rendez_vous_entretien", args=[rdv.pk])
    form = logged.get(url).context["form"]
    assert form["date"].value() == timezone.localdate() - datetime.timedelta(days=1)
    assert form["duree_minutes"].value() == 50
    assert form["kind"].value() == Entretien.Kind.TELEPHONE
    data = {"date": form["date"].value().isoformat(), "duree_minutes": "50", "kind": "telephone", "notes": "CV revu."}
    assert logged.post(url, data).status_code == 302
    rdv.refresh_from_db()
    assert rdv.entretien.notes == "CV revu."
    assert rdv.entretien.auteur == conseillere
    assert rdv.statut == S.HONORE
    # Logged once: the link now goes to the dossier, no second entretien.
    logged.post(url, data)
    assert Entretien.objects.count() == 1


def test_entretien_next_rendez_vous_becomes_a_rendez_vous(
    logged, jeune, conseillere, received, django_capture_on_commit_callbacks
):
    jour = timezone.localdate() + datetime.timedelta(days=7)
    data = {
        "date": timezone.localdate().isoformat(),
        "duree_minutes": "30",
        "kind": "individuel",
        "prochain_rdv": jour.isoformat(),
        "prochain_rdv_heure": "15:00",
        "depuis": "dossier",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = logged.post(reverse("youth:entretien_create", args=[jeune.pk]), data)
    assert response.status_code == 302
    entretien = Entretien.objects.get()
    assert entretien.prochain_rdv == jour  # the old column stays filled
    rdv = RendezVous.objects.get()
    assert rdv.planifie_depuis == entretien
    assert rdv.conseillere == conseillere
    assert timezone.localtime(rdv.debut) == timezone.make_aware(datetime.datetime.combine(jour, datetime.time(15)))
    assert rdv.lieu == "2 rue des Alpes, Valenciennes"
    assert [name for name, _ in received] == ["planifie"]
    # Moving it on the entretien moves the same rendez-vous.
    update = reverse("youth:entretien_update", args=[jeune.pk, entretien.pk])
    with django_capture_on_commit_callbacks(execute=True):
        logged.post(update, {**data, "prochain_rdv_heure": "16:00"})
    assert RendezVous.objects.count() == 1
    assert timezone.localtime(RendezVous.objects.get().debut).hour == 16
    assert [name for name, _ in received] == ["planifie", "modifie"]


def test_entretien_next_rendez_vous_in_the_past_or_without_time(logged, jeune, conseillere):
    base = {"date": timezone.localdate().isoformat(), "duree_minutes": "30", "kind": "individuel"}
    url = reverse("youth:entretien_create", args=[jeune.pk])
    today = timezone.localdate().isoformat()
    response = logged.post(url, {**base, "prochain_rdv": today, "prochain_rdv_heure": "00:00"})
    assert "ne peut pas être dans le passé" in response.content.decode()
    response = logged.post(url, {**base, "prochain_rdv": today})
    assert response.context["form"].errors["prochain_rdv_heure"] == ["Indiquez l'heure du prochain rendez-vous."]
    assert not Entretien.objects.exists()
    assert not RendezVous.objects.exists()
    # An old entretien with a past next date still saves (nothing re-planned).
    old = EntretienFactory(
        jeune=jeune, auteur=conseillere, prochain_rdv=datetime.date(2025, 1, 10), date=datetime.date(2025, 1, 3)
    )
    response = logged.post(
        reverse("youth:entretien_update", args=[jeune.pk, old.pk]),
        {"date": "2025-01-03", "duree_minutes": "30", "kind": "individuel", "prochain_rdv": "2025-01-10"},
    )
    assert response.status_code == 302
    assert not RendezVous.objects.exists()


def test_other_organisation_cannot_act(client, jeune):
    rdv = RendezVousFactory(jeune=jeune, debut=dans(-1))
    intruder = MembershipFactory(role=Role.CONSEILLERE).user
    client.force_login(intruder)
    assert client.post(reverse("agenda:rendez_vous_statut", args=[rdv.pk]), {"statut": "manque"}).status_code == 404
    rdv.refresh_from_db()
    assert rdv.statut == S.PLANIFIE
