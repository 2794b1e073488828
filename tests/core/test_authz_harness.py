import pytest

from tests.authz import (
    PUBLIC_URLS,
    collect_registry,
    iter_patterns,
    run_archive_check,
    run_harness,
    run_read_audit_check,
    run_two_organisation_check,
    run_write_probe,
)
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


def _planted_registry():
    object_urls, list_urls = collect_registry()
    jeune_of_a = lambda w: {"pk": JeuneFactory(organisation=w.org_a).pk}  # noqa: E731
    object_urls.update(
        {
            "planted_unscoped": jeune_of_a,
            "planted_membership_scope": jeune_of_a,
            "planted_archive_blind": jeune_of_a,
            "planted_unaudited": jeune_of_a,
        }
    )
    return object_urls


def test_a_two_organisation_user_reaches_only_its_current_organisation(world):
    assert run_two_organisation_check(world) == []


def test_two_organisation_check_catches_a_membership_scoped_view(world, settings):
    settings.ROOT_URLCONF = "tests.core.planted_urls"
    failures = run_two_organisation_check(world, urlconf="tests.core.planted_urls", object_urls=_planted_registry())
    assert any(f.startswith("planted_membership_scope") and "→ 200" in f for f in failures)
    assert all(f.startswith("planted_") for f in failures)


def test_archived_dossiers_are_out_of_reach_except_for_coordination(world):
    assert run_archive_check(world) == []


def test_archive_check_catches_a_view_that_ignores_the_archive(world, settings):
    settings.ROOT_URLCONF = "tests.core.planted_urls"
    failures = run_archive_check(world, urlconf="tests.core.planted_urls", object_urls=_planted_registry())
    assert any(f.startswith("planted_archive_blind") for f in failures)
    assert all(f.startswith("planted_") for f in failures)


def test_write_probe_finds_no_form_that_accepts_another_organisations_id(world):
    failures, probed = run_write_probe(world)
    assert failures == []
    assert probed > 20  # the probe reaches the forms (not vacuous)


def test_write_probe_catches_an_unscoped_form(world, settings):
    settings.ROOT_URLCONF = "tests.core.planted_urls"
    failures, _probed = run_write_probe(world, urlconf="tests.core.planted_urls", object_urls=_planted_registry())
    planted = [f for f in failures if f.startswith("planted_unscoped_form")]
    assert any("propose youth.Jeune" in f for f in planted)
    assert any("la base a changé" in f for f in planted)
    assert all(f.startswith("planted_") for f in failures)


def test_every_page_showing_a_young_persons_data_records_the_read(world):
    failures, checked = run_read_audit_check(world)
    assert failures == []
    assert checked > 30


def test_read_audit_check_catches_a_read_around_the_shortcut(world, settings):
    settings.ROOT_URLCONF = "tests.core.planted_urls"
    failures, _checked = run_read_audit_check(
        world, urlconf="tests.core.planted_urls", object_urls=_planted_registry()
    )
    assert any(f.startswith("planted_unaudited") for f in failures)
    assert all(f.startswith("planted_") for f in failures)
