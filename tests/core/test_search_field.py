"""Search fields (core.widgets): the htmx view returns at most 20 matches of the current scope; without JavaScript
the form comes back with the matches to choose from; the POST is validated against the scope."""

import pytest
from django.urls import reverse

from core.models import Role
from core.widgets import SEARCH_LIMIT
from tests.core.factories import MembershipFactory
from tests.youth.factories import JeuneFactory
from youth.models import Jeune


pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    membership = MembershipFactory(role=Role.COORDINATEUR)
    client.force_login(membership.user)
    return membership


def _many(organisation, count, nom):
    model = JeuneFactory(organisation=organisation, nom=nom)
    copies = []
    for i in range(count):
        copy = Jeune.objects.get(pk=model.pk)
        copy.pk = None
        copy.prenom = f"Prénom{i:03d}"
        copy.recherche = copy.build_search_key()
        copies.append(copy)
    Jeune.objects.bulk_create(copies)
    return model


def test_view_returns_at_most_20_matches_of_the_scope(client, staff):
    _many(staff.organisation, 30, "Dupont")
    other = JeuneFactory(nom="Dupont", prenom="Ailleurs")  # another organisation
    response = client.get(reverse("search"), {"type": "jeune", "champ": "jeune", "jeune__q": "dupont"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('type="radio" name="jeune"') == SEARCH_LIMIT
    assert "Les 20 premiers résultats" in html
    assert f'value="{other.pk}"' not in html
    assert "Ailleurs" not in html
    by_number = client.get(reverse("search"), {"type": "jeune", "champ": "jeune", "jeune__q": str(other.pk)})
    assert f'value="{other.pk}"' not in by_number.content.decode()
    assert client.get(reverse("search"), {"type": "inconnu", "champ": "jeune"}).status_code == 404


def test_without_javascript_the_form_shows_the_matches_then_accepts_one(client, staff):
    jeune = JeuneFactory(organisation=staff.organisation, nom="Lefèvre", prenom="Léa")
    JeuneFactory(organisation=staff.organisation, nom="Martin")
    url = reverse("workshops:immersion_create")
    page = client.get(url).content.decode()
    assert 'name="jeune__q"' in page
    assert "<select" not in page.split('name="jeune__q"')[0].rsplit("<label", 1)[-1]
    searched = client.post(url, {"jeune__q": "lefevre"})
    html = searched.content.decode()
    assert searched.status_code in (200, 422)
    assert "Choisissez dans la liste des résultats" in html
    assert f'name="jeune" value="{jeune.pk}"' in html
    assert "MARTIN" not in html
    form = searched.context["form"]
    assert "jeune" in form.errors


def test_a_number_typed_picks_the_record_of_the_scope_only(staff, rf):
    from workshops.forms import InscriptionForm

    mine = JeuneFactory(organisation=staff.organisation)
    other = JeuneFactory()
    request = rf.post("/")
    request.user = staff.user
    from core.scope import Scope

    request.scope = Scope.for_membership(staff, user=staff.user)
    request.organisation = staff.organisation
    assert InscriptionForm({"jeune__q": str(mine.pk)}, request=request).is_valid()
    refused = InscriptionForm({"jeune__q": str(other.pk)}, request=request)
    assert not refused.is_valid()
    refused_id = InscriptionForm({"jeune": str(other.pk)}, request=request)
    assert not refused_id.is_valid()
    assert "jeune" in refused_id.errors
