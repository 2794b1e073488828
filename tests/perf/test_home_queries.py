"""The home page with its to-do list and the bell: the same number of queries at two data sizes."""

import pytest
from django.test import Client

from tests.home.factories import NotificationFactory
from tests.home.todo_data import EXPECTED_CONSEILLERE, create


pytestmark = pytest.mark.django_db

# conseillère: session, user, memberships, caseload (count + 50 rows), to-do (2 rendez-vous counts, orientations,
# young people: one aggregate each), the bell
MAX_QUERIES = {"conseillere": 13, "coordination": 14}


def _measure(user, django_assert_max_num_queries, limit):
    client = Client()
    client.force_login(user)
    assert client.get("/").status_code == 200  # warm-up: session, content types
    with django_assert_max_num_queries(limit) as captured:
        response = client.get("/")
    assert response.status_code == 200
    return len(captured.captured_queries), response


@pytest.mark.parametrize("who", ["conseillere", "coordination"])
def test_home_queries_do_not_grow_with_the_data(world, django_assert_max_num_queries, who):
    data = create(world.org_a, world.partner_a)
    user = getattr(data, who)
    NotificationFactory(organisation=world.org_a, destinataire=user)
    small, _ = _measure(user, django_assert_max_num_queries, MAX_QUERIES[who])
    create(world.org_a, world.partner_a, scale=4, users=data)
    NotificationFactory.create_batch(20, organisation=world.org_a, destinataire=user)
    large, response = _measure(user, django_assert_max_num_queries, MAX_QUERIES[who])
    assert large == small
    if who == "conseillere":  # the data did grow
        items = {item.key: item.count for item in response.context["todo"]}
        assert items["sans_contact"] == 5 * EXPECTED_CONSEILLERE["sans_contact"]
        assert 'data-testid="notifications-unread">21<' in response.content.decode()
