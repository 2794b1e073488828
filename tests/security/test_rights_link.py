"""The rights page of a young person (/rgpd/jeunes/<id>/) is reachable from the dossier, for coordination."""

import pytest
from django.urls import reverse

from core.models import Role
from tests.youth.factories import JeuneFactory


pytestmark = pytest.mark.django_db


def test_dossier_links_to_the_rights_page_for_coordination_only(client, world):
    jeune = JeuneFactory(organisation=world.org_a)
    rights = reverse("privacy:jeune_rights", args=[jeune.pk])
    client.force_login(world.users_a[Role.COORDINATEUR])
    content = client.get(jeune.get_absolute_url()).content.decode()
    assert f'href="{rights}"' in content
    assert client.get(rights).status_code == 200
    client.force_login(world.users_a[Role.CONSEILLERE])
    assert rights not in client.get(jeune.get_absolute_url()).content.decode()
