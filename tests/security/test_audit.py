"""Audit trail: dossier reads (AccesDossier) and changes (django-simple-history), page and CSV export."""

import pytest
from django.test import RequestFactory
from django.utils import timezone

from core.audit import log_read_of
from core.models import AccesDossier, Role
from core.scope import Scope
from core.security_views import csv_safe
from tests.core.factories import MembershipFactory
from tests.youth.factories import JeuneFactory, ParticipationFactory


pytestmark = pytest.mark.django_db


def test_a_dossier_get_is_logged_once(client, world):
    user = world.users_a[Role.CONSEILLERE]
    jeune = JeuneFactory(organisation=world.org_a)
    client.force_login(user)
    assert client.get(f"/jeunes/{jeune.pk}/").status_code == 200
    read = AccesDossier.objects.get()
    assert (read.user, read.organisation, read.jeune_id, read.url) == (
        user,
        world.org_a,
        jeune.pk,
        f"/jeunes/{jeune.pk}/",
    )
    # a 404 (other organisation) and a list are not dossier reads
    other = JeuneFactory(organisation=world.org_b)
    assert client.get(f"/jeunes/{other.pk}/").status_code == 404
    client.get("/jeunes/")
    assert AccesDossier.objects.count() == 1


def test_log_read_helper_prevents_a_double_entry(world):
    user = world.users_a[Role.CONSEILLERE]
    jeune = JeuneFactory(organisation=world.org_a)
    participation = ParticipationFactory(jeune=jeune)
    request = RequestFactory().get(f"/jeunes/{jeune.pk}/")
    request.user = user
    request.scope = Scope(organisation=world.org_a, role=Role.CONSEILLERE, user=user)
    log_read_of(request, jeune)
    log_read_of(request, participation)  # the same young person, through another record
    assert AccesDossier.objects.filter(jeune_id=jeune.pk).count() == 1


def test_audit_page_is_for_coordinateurs_of_the_organisation(client, world):
    jeune_a = JeuneFactory(organisation=world.org_a)
    AccesDossier.objects.create(
        user=world.users_a[Role.CONSEILLERE], organisation=world.org_a, jeune_id=jeune_a.pk, url="/jeunes/a-lu/"
    )
    AccesDossier.objects.create(user=world.intruders[0], organisation=world.org_b, jeune_id=999, url="/jeunes/b-lu/")
    client.force_login(world.users_a[Role.CONSEILLERE])
    assert client.get("/audit/").status_code == 403
    client.force_login(world.users_a[Role.COORDINATEUR])
    content = client.get("/audit/").content.decode()
    assert "/jeunes/a-lu/" in content
    assert "/jeunes/b-lu/" not in content
    # filters
    assert "/jeunes/a-lu/" not in client.get("/audit/?jeune=12345").content.decode()
    assert "/jeunes/a-lu/" in client.get(f"/audit/?jeune={jeune_a.pk}").content.decode()
    assert "/jeunes/a-lu/" not in client.get("/audit/?du=2999-01-01").content.decode()


def test_audit_page_shows_changes_with_fields_and_author(client, world):
    coordinatrice = world.users_a[Role.COORDINATEUR]
    client.force_login(coordinatrice)
    jeune = JeuneFactory(organisation=world.org_a, nom="Avant")
    jeune.nom = "Apres"
    jeune._history_user = coordinatrice
    jeune.save()
    JeuneFactory(organisation=world.org_b, nom="Intrus")
    response = client.get(f"/audit/?vue=modifications&jeune={jeune.pk}")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Modification" in content
    assert "Création" in content
    assert "nom" in content
    assert str(coordinatrice) in content
    assert f'href="/jeunes/{jeune.pk}/"' in content
    assert timezone.localtime().strftime("%d/%m/%Y") in content
    assert "Intrus" not in client.get("/audit/?vue=modifications").content.decode()


def test_audit_pages_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    coordinatrice = world.users_a[Role.COORDINATEUR]
    client.force_login(coordinatrice)
    JeuneFactory.create_batch(3, organisation=world.org_a)
    for vue in ("lectures", "modifications"):
        AccesDossier.objects.create(user=coordinatrice, organisation=world.org_a, jeune_id=1, url="/jeunes/1/")
        with django_assert_max_num_queries(20) as ctx:
            client.get(f"/audit/?vue={vue}")
        baseline = len(ctx.captured_queries)
        JeuneFactory.create_batch(30, organisation=world.org_a)
        AccesDossier.objects.bulk_create(
            [
                AccesDossier(user=coordinatrice, organisation=world.org_a, jeune_id=i, url=f"/jeunes/{i}/")
                for i in range(40)
            ]
        )
        with django_assert_max_num_queries(baseline):
            client.get(f"/audit/?vue={vue}")


def test_csv_export_neutralises_formulas(client, world):
    coordinatrice = world.users_a[Role.COORDINATEUR]
    AccesDossier.objects.create(user=coordinatrice, organisation=world.org_a, jeune_id=1, url='=HYPERLINK("http://x")')
    AccesDossier.objects.create(user=world.intruders[0], organisation=world.org_b, jeune_id=2, url="/jeunes/b/")
    client.force_login(coordinatrice)
    response = client.get("/audit/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    content = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in content
    assert "/jeunes/b/" not in content
    assert content.splitlines()[0] == "date;utilisateur;dossier;page"
    changes = client.get("/audit/export.csv?vue=modifications").content.decode("utf-8-sig")
    assert changes.splitlines()[0].startswith("date;utilisateur;action")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+33", "'+33"), ("-2", "'-2"), ("@SUM", "'@SUM"), ("ok", "ok"), (None, "")],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected


def test_admin_is_not_reachable_by_non_staff(client):
    membership = MembershipFactory(role=Role.COORDINATEUR)
    client.force_login(membership.user)
    response = client.get("/admin/core/accesdossier/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_audit_links_are_not_localised(client, world):
    """Ids over 999 must not get a thousands separator in links (USE_THOUSAND_SEPARATOR is on)."""
    coordinatrice = world.users_a[Role.COORDINATEUR]
    AccesDossier.objects.create(user=coordinatrice, organisation=world.org_a, jeune_id=12345, url="/jeunes/12345/")
    client.force_login(coordinatrice)
    assert 'href="/jeunes/12345/"' in client.get("/audit/").content.decode()


def test_audit_changes_speak_french_in_the_page_and_the_csv(client, world):
    coordinatrice = world.users_a[Role.COORDINATEUR]
    client.force_login(coordinatrice)
    jeune = JeuneFactory(organisation=world.org_a, nom="Avant")
    jeune.nom = "Apres"
    jeune._history_user = coordinatrice
    jeune.save()
    page = client.get(f"/audit/?vue=modifications&jeune={jeune.pk}").content.decode()
    csv_text = client.get(f"/audit/export.csv?vue=modifications&jeune={jeune.pk}").content.decode("utf-8-sig")
    for content in (page, csv_text):
        assert " as of " not in content
        assert str(jeune) in content
