"""The youth list counts at most 1 000 rows (core.pagination.CappedPaginator): « Plus de 1000 jeunes »."""

import pytest

from core.models import User
from core.pagination import CappedPaginator


pytestmark = pytest.mark.django_db


def test_count_stops_at_the_cap_and_grows_with_the_page_asked():
    User.objects.bulk_create(User(email=f"u{i}@exemple.fr") for i in range(30))
    users = User.objects.order_by("pk")
    paginator = CappedPaginator(users, 2, cap=10)  # page 1 + 5 pages of 2 = 12 counted
    assert paginator.count == 12
    assert paginator.capped is True
    assert paginator.num_pages == 6
    deep = CappedPaginator(users, 2, page="9", cap=10)  # page 9 + 5 pages of 2 = 28 counted
    assert deep.count == 28
    assert deep.get_page(9).object_list[0] == users[16]
    exact = CappedPaginator(users, 2, cap=100)
    assert (exact.count, exact.capped) == (30, False)


def test_youth_list_says_more_than(client):
    from core.models import Role
    from tests.core.factories import MembershipFactory
    from tests.youth.factories import JeuneFactory
    from youth.models import Jeune

    membership = MembershipFactory(role=Role.COORDINATEUR)
    jeune = JeuneFactory(organisation=membership.organisation)
    copies = []
    for i in range(1005):
        copy = Jeune.objects.get(pk=jeune.pk)
        copy.pk = None
        copy.nom = f"Nom{i:04d}"
        copy.telephone = ""  # « Nom0001 » has four digits: the search also reads phone numbers
        copy.recherche = copy.build_search_key()  # bulk_create does not call save()
        copies.append(copy)
    Jeune.objects.bulk_create(copies)
    client.force_login(membership.user)
    page = client.get("/jeunes/").content.decode()
    assert "Plus de 1" in page
    assert "000 jeunes" in page
    found = client.get("/jeunes/?q=Nom0001")
    assert "Plus de" not in found.content.decode()
    assert [j.nom for j in found.context["page"]] == ["Nom0001"]
