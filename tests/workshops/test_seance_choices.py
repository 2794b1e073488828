"""The registration picker of a session stays bounded whatever the size of the organisation: a search field (at
most 20 matches shown), validated against the whole scope on POST."""

import pytest
from django.urls import reverse

from core.models import Role
from core.widgets import SEARCH_LIMIT
from tests.core.factories import MembershipFactory
from tests.workshops.factories import SeanceFactory
from tests.youth.factories import JeuneFactory
from workshops.models import Inscription
from workshops.views import MAX_JEUNES_PROPOSES


pytestmark = pytest.mark.django_db


def test_session_lists_at_most_the_cap_and_the_search_finds_the_others(client):
    membership = MembershipFactory(role=Role.CONSEILLERE)
    org = membership.organisation
    seance = SeanceFactory(atelier__organisation=org, capacite=10)
    JeuneFactory.create_batch(MAX_JEUNES_PROPOSES + 5, organisation=org, nom="Martin")
    zoe = JeuneFactory(organisation=org, nom="Zyx", prenom="Zoé")
    client.force_login(membership.user)
    url = reverse("workshops:seance_detail", args=[seance.pk])

    page = client.get(url).content.decode()
    assert "<select" not in page.split('id="id_jeune"')[0][-2000:]  # no list of everyone before the field
    assert page.count('type="radio" name="jeune"') <= SEARCH_LIMIT

    response = client.get(url, {"jeune_q": "zoe zyx"})  # accent-insensitive
    assert list(response.context["inscription_form"]["jeune"].field.queryset) == [zoe]
    assert 'value="zoe zyx"' in response.content.decode()

    # A young person outside the displayed list can still be registered (the POST validates the whole scope).
    client.post(reverse("workshops:inscription_create", args=[seance.pk]), {"jeune": zoe.pk})
    assert Inscription.objects.filter(seance=seance, jeune=zoe).exists()
    assert zoe not in client.get(url).context["inscription_form"]["jeune"].field.queryset  # already registered
