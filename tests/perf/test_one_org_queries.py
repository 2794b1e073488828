"""One large organisation (bench/one_org.py): the same query count for every measured page — the territory pages,
the immersion and placement forms, the search field, a far page of the youth list — when the measured organisation
grows (bench.one_org.grow, the benchmark's own bulk generator) from 60 to 240 young people."""

import random

import pytest
from django.test import Client

from bench.one_org import grow, pages
from bench.seed_scale import seed
from core import dataversion
from core.models import Organisation


def counts(django_assert_max_num_queries):
    found = {}
    for name, user, url in pages():
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 200, name  # warm-up: session, content types, kept figures
        with django_assert_max_num_queries(40) as captured:
            assert client.get(url).status_code == 200, name
        found[name] = len(captured.captured_queries)
    return found


@pytest.mark.django_db
def test_query_counts_do_not_grow_in_one_organisation(django_assert_max_num_queries):
    seed(0.001, stdout=lambda message: None)
    rng = random.Random(3)
    grow(60, rng, stdout=lambda message: None)
    small = counts(django_assert_max_num_queries)
    grow(240, rng, stdout=lambda message: None)
    large = counts(django_assert_max_num_queries)
    assert small == large
    assert {"immersion (formulaire)", "placement (formulaire)", "recherche (champ)", "bilan"} <= set(small)


@pytest.mark.django_db
def test_the_kept_bilan_costs_fewer_queries_than_a_cold_one(django_assert_max_num_queries):
    seed(0.001, stdout=lambda message: None)
    bilan = next((user, url) for name, user, url in pages() if name == "bilan")
    client = Client()
    client.force_login(bilan[0])
    client.get(bilan[1])
    with django_assert_max_num_queries(40) as warm:
        client.get(bilan[1])
    dataversion.bump(Organisation.objects.get(sigle="BENCH-0").pk)
    with django_assert_max_num_queries(40) as cold:
        client.get(bilan[1])
    assert len(warm.captured_queries) < len(cold.captured_queries)
