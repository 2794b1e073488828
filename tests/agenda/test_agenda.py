"""/agenda/: week and day views, navigation, sessions she runs, another member's agenda, bounded queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from tests.agenda.factories import RendezVousFactory, dans
from tests.core.factories import MembershipFactory
from tests.workshops.factories import SeanceFactory
from tests.youth.factories import JeuneFactory


pytestmark = pytest.mark.django_db
URL = reverse("agenda:agenda")


def _lundi(day):
    return day - datetime.timedelta(days=day.weekday())


def test_week_shows_her_rendez_vous_and_sessions(logged, org, conseillere, jeune):
    today = timezone.localdate()
    RendezVousFactory(jeune=jeune, conseillere=conseillere, debut=dans(0, 23, 30))
    autre = MembershipFactory(organisation=org, role=Role.CONSEILLERE).user
    RendezVousFactory(jeune=JeuneFactory(organisation=org, nom="Autrui"), conseillere=autre, debut=dans(0, 23))
    SeanceFactory(atelier__organisation=org, atelier__intitule="CV et lettre", date=today, animatrice=conseillere)
    SeanceFactory(atelier__organisation=org, atelier__intitule="Code de la route", date=today, animatrice=autre)
    response = logged.get(URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert [j["date"] for j in response.context["jours"]] == [
        _lundi(today) + datetime.timedelta(days=i) for i in range(7)
    ]
    assert "Léa MARTIN" in content
    assert "AUTRUI" not in content
    assert "Atelier : CV et lettre" in content
    assert "Code de la route" not in content
    assert "aujourd'hui" in content


def test_day_view_and_navigation(logged, conseillere, jeune):
    day = timezone.localdate() + datetime.timedelta(days=10)
    RendezVousFactory(jeune=jeune, conseillere=conseillere, debut=dans(10, 9))
    response = logged.get(URL, {"vue": "jour", "date": day.isoformat()})
    assert [j["date"] for j in response.context["jours"]] == [day]
    assert "Léa MARTIN" in response.content.decode()
    assert response.context["suivant"] == f"?vue=jour&date={(day + datetime.timedelta(days=1)).isoformat()}"
    assert response.context["precedent"] == f"?vue=jour&date={(day - datetime.timedelta(days=1)).isoformat()}"
    week = logged.get(URL, {"date": day.isoformat()})
    assert week.context["suivant"] == f"?vue=semaine&date={(day + datetime.timedelta(days=7)).isoformat()}"
    assert logged.get(URL, {"vue": "jour", "date": "pas-une-date"}).status_code == 200


def test_another_members_agenda(client, org, conseillere, jeune):
    coordination = MembershipFactory(organisation=org, role=Role.COORDINATEUR).user
    RendezVousFactory(jeune=jeune, conseillere=conseillere, debut=dans(0, 23))
    client.force_login(coordination)
    response = client.get(URL, {"conseillere": conseillere.pk})
    assert response.status_code == 200
    assert "Léa MARTIN" in response.content.decode()
    assert response.context["cible"] == conseillere
    assert f"conseillere={conseillere.pk}" in response.context["suivant"]
    outsider = MembershipFactory(role=Role.CONSEILLERE).user
    assert client.get(URL, {"conseillere": outsider.pk}).status_code == 404
    chargee = MembershipFactory(organisation=org, role=Role.CHARGE_ENTREPRISES).user
    assert client.get(URL, {"conseillere": chargee.pk}).status_code == 404


def test_charge_entreprises_has_no_agenda(client, org):
    client.force_login(MembershipFactory(organisation=org, role=Role.CHARGE_ENTREPRISES).user)
    assert client.get(URL).status_code == 403


def test_week_queries_are_bounded(logged, org, conseillere, django_assert_max_num_queries):
    def fill(n):
        for i in range(n):
            RendezVousFactory(jeune=JeuneFactory(organisation=org), conseillere=conseillere, debut=dans(i % 5, 23))
            SeanceFactory(atelier__organisation=org, date=timezone.localdate(), animatrice=conseillere)

    fill(2)
    with django_assert_max_num_queries(12) as small:
        logged.get(URL)
    fill(15)
    for params in ({}, {"vue": "jour"}):
        with django_assert_max_num_queries(len(small.captured_queries)):
            logged.get(URL, params)


def test_dossier_page_queries_bounded_with_rendez_vous(logged, jeune, conseillere, django_assert_max_num_queries):
    RendezVousFactory(jeune=jeune, conseillere=conseillere)
    url = reverse("youth:jeune_detail", args=[jeune.pk])
    logged.get(url)
    with django_assert_max_num_queries(100) as few:
        logged.get(url)
    for i in range(10):
        RendezVousFactory(jeune=jeune, conseillere=conseillere, debut=dans(-i - 1), statut="manque")
    with django_assert_max_num_queries(len(few.captured_queries)):
        logged.get(url)


def test_rendez_vous_pages_queries_are_bounded(logged, conseillere, jeune, django_assert_max_num_queries):
    rdv = RendezVousFactory(jeune=jeune, conseillere=conseillere)
    for statut in ("annule", "planifie", "annule"):
        logged.post(reverse("agenda:rendez_vous_statut", args=[rdv.pk]), {"statut": statut})
    for url in (
        reverse("agenda:rendez_vous_detail", args=[rdv.pk]),
        reverse("agenda:rendez_vous_create") + f"?jeune={jeune.pk}",
        reverse("agenda:flux"),
    ):
        with django_assert_max_num_queries(15):
            assert logged.get(url).status_code == 200
