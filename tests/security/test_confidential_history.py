"""History never shows a reader what the reader could not read at the time (confidential entretiens)."""

import pytest
from django.urls import reverse

from core.models import Role
from tests.core.factories import MembershipFactory
from tests.youth.factories import EntretienFactory, JeuneFactory


pytestmark = pytest.mark.django_db
SECRET = "Violences intrafamiliales signalees"
SECRET_STEPS = "Appeler le 119 avec elle"


@pytest.fixture
def note(world):
    """An entretien written confidential, then made non-confidential with a new text, then edited again."""
    author = world.users_a[Role.CONSEILLERE]
    jeune = JeuneFactory(organisation=world.org_a, referent=author)
    entretien = EntretienFactory(
        jeune=jeune, auteur=author, confidentielle=True, notes=SECRET, prochaines_etapes=SECRET_STEPS
    )
    entretien.notes = "Point sur la recherche d'emploi"
    entretien.prochaines_etapes = ""
    entretien.confidentielle = False
    entretien.save()
    entretien.notes = "Point sur la recherche d'emploi, CV envoye"
    entretien.save()
    return entretien


def _history(client, user, entretien):
    client.force_login(user)
    response = client.get(reverse("youth:jeune_history", args=[entretien.jeune_id]))
    assert response.status_code == 200
    return response.content.decode()


def test_other_conseillere_never_sees_the_confidential_version(client, world, note):
    other = MembershipFactory(organisation=world.org_a, role=Role.CONSEILLERE).user
    page = _history(client, other, note)
    assert SECRET not in page
    assert SECRET_STEPS not in page
    assert "note confidentielle" in page
    # what was readable stays readable: the non-confidential versions and their own changes
    assert "Point sur la recherche d&#x27;emploi, CV envoye" in page


def test_author_and_coordination_see_every_version(client, world, note):
    for user in (world.users_a[Role.CONSEILLERE], world.users_a[Role.COORDINATEUR]):
        page = _history(client, user, note)
        assert SECRET in page
        assert SECRET_STEPS in page
