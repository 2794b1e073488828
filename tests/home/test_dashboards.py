"""Home dashboards: figures that agree with the bilans, years printed as years."""

from datetime import date

import pytest
from django.utils import timezone

from core.models import Role
from reports import indicators
from tests.funding.factories import OperationFactory
from tests.youth.factories import JeuneFactory, ParticipationFactory
from youth.models import Jeune


pytestmark = pytest.mark.django_db


def test_coordination_dashboard_counts_entries_and_exits_like_the_bilan(client, world):
    today = timezone.localdate()
    year_start = date(today.year, 1, 1)
    operation = OperationFactory(organisation=world.org_a, date_debut=date(today.year - 1, 1, 1))
    ParticipationFactory.create_batch(2, operation=operation, jeune__organisation=world.org_a, date_entree=today)
    # entered and left the same day: not an FSE participant, the bilan does not count it
    ParticipationFactory(
        operation=operation, jeune__organisation=world.org_a, date_entree=year_start, date_sortie=year_start
    )
    bilan = indicators.compute(operation, year_start, today)
    client.force_login(world.users_a[Role.COORDINATEUR])
    response = client.get("/")
    row = next(op for op in response.context["operations"] if op.pk == operation.pk)
    assert (row.nb_entrees, row.nb_sorties) == (bilan["entrees"], bilan["sorties"]) == (2, 0)
    assert "comptées comme dans les bilans FSE" in response.content.decode()


def test_dashboard_prints_the_year_without_a_thousands_separator(client, world):
    OperationFactory(organisation=world.org_a)
    client.force_login(world.users_a[Role.COORDINATEUR])
    content = client.get("/").content.decode()
    year = timezone.localdate().year
    assert f"Entrées {year}" in content
    assert f"l'année {year}" in content
    assert f"{str(year)[0]}\u202f{str(year)[1:]}" not in content
    assert f"{str(year)[0]}\xa0{str(year)[1:]}" not in content


def test_caseload_count_matches_the_linked_list_and_links_to_the_rest(client, world):
    conseillere = world.users_a[Role.CONSEILLERE]
    JeuneFactory.create_batch(52, organisation=world.org_a, referent=conseillere, statut=Jeune.Statut.EN_PARCOURS)
    JeuneFactory.create_batch(3, organisation=world.org_a, referent=conseillere, statut=Jeune.Statut.SORTI)
    client.force_login(conseillere)
    home = client.get("/")
    content = home.content.decode()
    assert home.context["caseload_count"] == 52
    assert len(home.context["caseload"]) == 50
    assert 'href="/jeunes/?mes_jeunes=1&amp;suivis=1"' in content
    assert "Voir tout (52 jeunes" in content
    listed = client.get("/jeunes/?mes_jeunes=1&suivis=1")
    assert listed.context["page"].paginator.count == 52


def test_caseload_no_contact_badge_follows_the_dossier_alert(client, world):
    conseillere = world.users_a[Role.CONSEILLERE]
    today = timezone.localdate()
    JeuneFactory(organisation=world.org_a, referent=conseillere, date_dernier_contact=None, date_reperage=today)
    client.force_login(conseillere)
    assert client.get("/").context["sans_contact"] == 0


def test_coordination_counts_are_kept_until_a_record_is_written(client, world, django_assert_max_num_queries):
    operation = OperationFactory(organisation=world.org_a)
    ParticipationFactory(operation=operation, jeune__organisation=world.org_a, date_entree=timezone.localdate())
    client.force_login(world.users_a[Role.COORDINATEUR])
    first = client.get("/").context
    with django_assert_max_num_queries(40) as kept:
        again = client.get("/").context
    assert again["counts"] == first["counts"]
    assert again["participations_count"] == first["participations_count"]
    assert not [q for q in kept.captured_queries if 'COUNT("youth_participation"' in q["sql"]]

    ParticipationFactory(operation=operation, jeune__organisation=world.org_a, date_entree=timezone.localdate())
    after = client.get("/").context
    assert after["counts"]["total"] == first["counts"]["total"] + 1
    assert after["participations_count"] == first["participations_count"] + 1
    row = next(op for op in after["operations"] if op.pk == operation.pk)
    assert row.nb_actifs == 2
    ParticipationFactory(jeune__organisation=world.org_b, operation__organisation=world.org_b)
    assert client.get("/").context["counts"] == after["counts"]  # another organisation's write
