"""The iCalendar feed: secret URL shown once, hash stored, parses, revocation and deactivation → 404."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from agenda.feed import token_hash
from agenda.models import FluxAgenda
from core.models import Membership, Role
from tests.agenda.factories import RendezVousFactory, dans
from tests.core.factories import MembershipFactory
from tests.workshops.factories import SeanceFactory


pytestmark = pytest.mark.django_db


def _create(client):
    response = client.post(reverse("agenda:flux"), {"action": "creer"})
    assert response.status_code == 200
    url = re.search(r'value="(http://testserver/agenda/flux/[^"]+\.ics)"', response.content.decode()).group(1)
    return url.removeprefix("http://testserver")


def test_feed_created_shown_once_and_parses(logged, client, org, conseillere, jeune):
    rdv = RendezVousFactory(jeune=jeune, conseillere=conseillere, debut=dans(2, 14), lieu="Bureau 3")
    RendezVousFactory(jeune=jeune, conseillere=conseillere, debut=dans(200, 14))  # beyond +180 days
    RendezVousFactory(jeune=jeune, conseillere=conseillere, debut=dans(-40, 14))  # before -30 days
    RendezVousFactory(jeune=jeune, debut=dans(2, 9))  # another conseillère's
    SeanceFactory(atelier__organisation=org, atelier__intitule="CV", date=timezone.localdate(), animatrice=conseillere)
    url = _create(logged)
    token = url.removeprefix("/agenda/flux/").removesuffix(".ics")
    flux = FluxAgenda.objects.get()
    assert flux.token_hash == token_hash(token)
    assert token not in flux.token_hash
    assert token not in logged.get(reverse("agenda:flux")).content.decode()  # shown once only
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    summaries = sorted(str(e["SUMMARY"]) for e in events)
    assert summaries == ["Atelier : CV", "RDV Léa M. (en présentiel)"]
    rdv_event = next(e for e in events if str(e["UID"]) == f"rdv-{rdv.pk}@tremplin")
    assert rdv_event.decoded("DTSTART") == rdv.debut
    assert str(rdv_event["LOCATION"]) == "Bureau 3"
    assert "Martin" not in response.content.decode()
    assert "MARTIN" not in response.content.decode()
    assert FluxAgenda.objects.get().dernier_acces_le is not None


def test_revoked_regenerated_unknown_token_404(logged, client):
    first = _create(logged)
    second = _create(logged)  # regenerating revokes the first
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    logged.post(reverse("agenda:flux"), {"action": "revoquer"})
    assert client.get(second).status_code == 404
    assert client.get("/agenda/flux/inconnu.ics").status_code == 404


def test_deactivated_user_or_membership_404(logged, client, conseillere, org):
    url = _create(logged)
    Membership.objects.filter(user=conseillere, organisation=org).update(is_active=False)
    assert client.get(url).status_code == 404
    Membership.objects.filter(user=conseillere, organisation=org).update(is_active=True)
    assert client.get(url).status_code == 200
    conseillere.is_active = False
    conseillere.save()
    assert client.get(url).status_code == 404


def test_feed_only_reads_the_organisation_it_was_made_in(client, org, conseillere, jeune):
    other = MembershipFactory(user=conseillere, role=Role.CONSEILLERE).organisation
    RendezVousFactory(jeune__organisation=other, jeune__prenom="Ailleurs", conseillere=conseillere, debut=dans(1))
    RendezVousFactory(jeune=jeune, conseillere=conseillere, debut=dans(1))
    client.force_login(conseillere)
    session = client.session
    session["organisation_id"] = org.pk
    session.save()
    url = _create(client)
    body = client.get(url).content.decode()
    assert "Léa M." in body
    assert "Ailleurs" not in body
