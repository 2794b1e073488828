import pytest

from tests.authz import PUBLIC_URLS, collect_registry, iter_patterns, run_harness
from tests.youth.factories import JeuneFactory


pytestmark = pytest.mark.django_db


def test_every_url_of_the_project_is_protected(world):
    failures = run_harness(world)
    assert failures == []


def test_harness_covers_every_pattern_with_arguments():
    object_urls, _ = collect_registry()
    for name, route, _pattern in iter_patterns():
        if "<" in route and not name.startswith("admin:") and name not in PUBLIC_URLS:
            assert name in object_urls, f"{name} n'est pas dans le harnais d'autorisation"


def test_harness_catches_an_unscoped_view_and_a_public_view(world, settings):
    settings.ROOT_URLCONF = "tests.core.planted_urls"
    object_urls, list_urls = collect_registry()
    object_urls["planted_unscoped"] = lambda w: {"pk": JeuneFactory(organisation=w.org_a).pk}
    failures = run_harness(world, urlconf="tests.core.planted_urls", object_urls=object_urls, list_urls=list_urls)
    assert any(f.startswith("planted_unscoped") and "→ 200" in f for f in failures)
    assert any(f.startswith("planted_public") and "anonyme → 200" in f for f in failures)
    assert all(f.startswith("planted_") for f in failures)


def test_harness_fails_on_a_url_missing_from_the_registry(world, settings):
    settings.ROOT_URLCONF = "tests.core.planted_urls"
    object_urls, list_urls = collect_registry()
    failures = run_harness(world, urlconf="tests.core.planted_urls", object_urls=object_urls, list_urls=list_urls)
    assert any(f.startswith("planted_unscoped") and "aucune entrée" in f for f in failures)
