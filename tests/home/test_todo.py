"""The to-do list of the home page: each count exact, each link a list of exactly those rows, the same rule as the
dossier alerts (docs/conseillere.md, "À faire")."""

import pytest
from django.utils import timezone

from core.models import Role
from home import todo
from tests.home.todo_data import EXPECTED_CONSEILLERE, EXPECTED_COORDINATION, create
from tests.youth.factories import JeuneFactory
from youth.dossier import alerts_for
from youth.models import Jeune


pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world):
    return create(world.org_a, world.partner_a)


def _todo(client, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response, {item.key: item for item in response.context["todo"]}


def _list_count(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


@pytest.mark.parametrize(
    ("who", "expected"), [("conseillere", EXPECTED_CONSEILLERE), ("coordination", EXPECTED_COORDINATION)]
)
def test_each_count_is_exact_and_its_link_lists_exactly_those_rows(client, data, who, expected):
    _, items = _todo(client, getattr(data, who))
    assert {key: item.count for key, item in items.items()} == expected
    for key, item in items.items():
        assert _list_count(client, item.url) == item.count, key


def test_the_sans_contact_badge_is_the_link_to_the_list(client, data):
    response, items = _todo(client, data.conseillere)
    content = response.content.decode()
    assert 'href="/jeunes/?a_faire=sans_contact&amp;mes_jeunes=1"' in content
    assert "2 sans contact depuis 30 jours" in content
    listed = client.get("/jeunes/?a_faire=sans_contact&mes_jeunes=1")
    days = sorted((timezone.localdate() - j.date_dernier_contact).days for j in listed.context["page"])
    assert days == [31, 40]


def test_the_lists_agree_with_the_dossier_alerts(client, data, world):
    """Every young person of the organisation: in the list exactly when the dossier page shows the alert."""
    client.force_login(data.coordination)
    rules = {
        "sans_contact": "contact",
        "questionnaire_incomplet": "questionnaire d'entrée incomplet",
        "fin_parcours": "le parcours de 6 mois",
    }
    jeunes = list(
        Jeune.objects.for_organisation(world.org_a).prefetch_related("participations__operation").order_by("pk")
    )
    assert len(jeunes) > 15
    for key, words in rules.items():
        listed = {j.pk for j in client.get(f"/jeunes/?a_faire={key}").context["page"]}
        alerted = {j.pk for j in jeunes if any(words in text for _, text in alerts_for(j, j.participations.all()))}
        assert listed == alerted, key


def test_orientations_overdue_first_then_by_urgency_flagged(client, data):
    _, items = _todo(client, data.conseillere)
    assert items["orientations"].en_retard == 2
    response = client.get("/a-faire/orientations/")
    noms = [o.nom for o in response.context["page"]]
    assert noms == ["Urgente-retard", "Prioritaire-retard", "Urgente-recente", "Normale"]
    assert response.content.decode().count("Hors délai</span>") == 2


def test_overdue_items_come_first(client, data):
    response, _ = _todo(client, data.conseillere)
    keys = [item.key for item in response.context["todo"]]
    urgent = {"rdv_manques", "orientations", "suivis_en_retard"}
    assert set(keys[:3]) == urgent


def test_a_conseillere_sees_neither_a_colleagues_young_people_nor_another_organisation(client, data, world):
    JeuneFactory(organisation=world.org_b, date_dernier_contact=timezone.localdate().replace(year=2020))
    other = create(world.org_b, world.partner_b)
    _, items = _todo(client, data.conseillere)
    assert items["sans_contact"].count == EXPECTED_CONSEILLERE["sans_contact"]
    _, items_b = _todo(client, other.coordination)
    assert items_b["sans_contact"].count == EXPECTED_COORDINATION["sans_contact"] + 1  # and the one above


def test_chargee_entreprises_home_has_no_todo(client, world, data):
    client.force_login(world.users_a[Role.CHARGE_ENTREPRISES])
    assert "todo" not in client.get("/").context


def test_due_date_bounds_invert_add_months():
    from datetime import date, timedelta

    from youth.dossier import add_months
    from youth.todo import first_reaching, last_within

    day = date(2026, 1, 1)
    for _ in range(800):
        for months in (1, 3, 6):
            lo, hi = first_reaching(day, months), last_within(day, months)
            assert add_months(lo, months) >= day > add_months(lo - timedelta(days=1), months)
            assert add_months(hi, months) <= day < add_months(hi + timedelta(days=1), months)
        day += timedelta(days=1)


def test_todo_module_is_the_home_of_the_deadlines():
    assert todo.DELAIS[todo.Orientation.Urgence.URGENTE].total_seconds() == 48 * 3600


def test_the_counts_are_kept_until_a_write_changes_them(client, data, world, django_assert_max_num_queries):
    """The young people's counts are one pass over the caseload (the whole organisation for coordination): kept
    by ``core.dataversion`` until a record of the organisation is written."""
    _, before = _todo(client, data.coordination)
    with django_assert_max_num_queries(40) as kept:
        _, again = _todo(client, data.coordination)
    assert {k: i.count for k, i in again.items()} == {k: i.count for k, i in before.items()}
    assert not [q for q in kept.captured_queries if '"date_dernier_contact" <' in q["sql"]]  # sans contact

    long_ago = timezone.localdate() - timezone.timedelta(days=45)
    JeuneFactory(organisation=world.org_a, date_dernier_contact=long_ago, date_reperage=long_ago)
    _, after = _todo(client, data.coordination)
    assert after["sans_contact"].count == before["sans_contact"].count + 1
    JeuneFactory(organisation=world.org_b, date_dernier_contact=long_ago, date_reperage=long_ago)
    _, other = _todo(client, data.coordination)
    assert other["sans_contact"].count == after["sans_contact"].count  # another organisation's write
