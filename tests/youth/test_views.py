import pytest
from django.urls import reverse

from tests.core.factories import MembershipFactory
from tests.youth.factories import JeuneFactory


pytestmark = pytest.mark.django_db


def test_jeune_list_isolation_and_queries(client, django_assert_max_num_queries):
    membership = MembershipFactory()
    mine = JeuneFactory.create_batch(3, organisation=membership.organisation)
    JeuneFactory()  # other organisation
    client.force_login(membership.user)
    url = reverse("youth:jeune_list")
    with django_assert_max_num_queries(8) as ctx:
        response = client.get(url)
    baseline = len(ctx.captured_queries)
    assert set(response.context["page"].object_list) == set(mine)
    JeuneFactory.create_batch(20, organisation=membership.organisation)
    with django_assert_max_num_queries(baseline):
        client.get(url)


def test_jeune_detail_other_organisation_is_404(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    assert client.get(reverse("youth:jeune_detail", args=[JeuneFactory().pk])).status_code == 404
