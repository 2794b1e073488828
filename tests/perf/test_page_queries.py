"""Query counts of the benchmarked pages (bench/pages.py) do not grow with the data.

Each page is measured on the benchmark's own shape of data (bench/seed_scale.py at its smallest scale: 200 youth,
20 entretiens each, 200 for the long dossier), then the organisation measured gets ~10x more of everything the page
shows (youth in the caseload and the list, entretiens in the dossier, orientations in the partner portal,
registrations in the session, participants in the bilan) and the count must stay the same.
"""

from datetime import date, timedelta

import pytest
from django.test import Client

import bench.pages as bench_pages
from bench.seed_scale import seed
from core.models import Organisation
from funding.models import Operation
from outreach.models import Orientation
from workshops.models import Inscription, Seance
from youth.models import Entretien, Jeune, Participation


# Upper bounds measured at the small size (tests/perf guards them against regressions). Every page counts the
# notification bell (one query, notifications.context_processors).
MAX_QUERIES = {
    "caseload": 14,  # +4 the to-do list (rendez-vous, orientations, young people), +1 the notification bell
    "jeunes (liste)": 14,
    "jeunes (recherche)": 14,
    "dossier": 34,  # +1 fixed query: the « Messages envoyés » panel (messaging)
    "portail partenaire": 13,
    "séance d'atelier": 10,
    # +10 fixed queries since the bilan d'exécution: the period finance of the ledger (issue 16) and the programme's
    # indicator set with its partitions (issue 15) — still the same count at ten times the data.
    "bilan": 23,
}


@pytest.fixture
def bench_data(db):
    seed(0.001, stdout=lambda message: None)
    return list(bench_pages.pages())


def _count(user, url, django_assert_max_num_queries, limit):
    client = Client()
    client.force_login(user)
    assert client.get(url).status_code == 200  # warm-up: session, content types
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _grow(factor):
    """Multiply what the measured pages show by about ``factor``."""
    porteur = Organisation.objects.get(sigle="BENCH-0")
    partenaire = Organisation.objects.get(sigle="BP-0")
    operation = Operation.objects.get(organisation=porteur)
    dossier = Jeune.objects.get(reference="BENCH-DOSSIER")
    existing = list(Jeune.objects.filter(organisation=porteur).order_by("pk"))
    new = []
    for i in range(len(existing) * (factor - 1)):
        model = existing[i % len(existing)]
        jeune = Jeune(
            organisation=porteur,
            nom="Lefèvre" if i % 3 == 0 else model.nom,
            prenom=model.prenom,
            sexe="F",
            date_naissance=model.date_naissance,
            date_reperage=date(2025, 3, 1) + timedelta(days=i % 200),
            statut="en_parcours",
            referent=dossier.referent,
            reference=f"GROW{i:05d}",
            date_dernier_contact=date(2026, 11, 1),
        )
        jeune.recherche = jeune.build_search_key()
        new.append(jeune)
    new = Jeune.objects.bulk_create(new)
    Participation.objects.bulk_create(
        [
            Participation(
                organisation=porteur,
                jeune=j,
                operation=operation,
                date_entree=date(2025, 4, 1),
                date_signature_contrat=date(2025, 4, 1),
                date_sortie=date(2025, 10, 1) if k % 2 else None,
                situation_sortie="emploi_cdi" if k % 2 else "",
                statut_entree="chomeur",
                diplome="cap_bep",
            )
            for k, j in enumerate(new)
        ]
    )
    count = dossier.entretiens.count()
    Entretien.objects.bulk_create(
        [
            Entretien(
                organisation=porteur,
                jeune=dossier,
                auteur=dossier.referent,
                date=date(2020, 1, 1) + timedelta(days=k),
                duree_minutes=30,
                kind="individuel",
                sujets=["emploi"],
                notes="Entretien ajouté",
            )
            for k in range(count * (factor - 1))
        ]
    )
    count = Orientation.objects.filter(partenaire=partenaire).count()
    Orientation.objects.bulk_create(
        [
            Orientation(
                organisation=porteur,
                partenaire=partenaire,
                statut="recue",
                nom=f"Ajoutée{k}",
                prenom="Bench",
                sexe="F",
                date_naissance=date(2005, 1, 1),
                motif="Orientation ajoutée",
                attestation_information=True,
            )
            for k in range(count * (factor - 1))
        ]
    )
    seance = Seance.objects.get(atelier__organisation=porteur, atelier__intitule="Atelier bench")
    Inscription.objects.bulk_create(
        [Inscription(seance=seance, jeune=j) for j in new[: seance.inscriptions.count() * (factor - 1)]]
    )
    seance.capacite = seance.inscriptions.count() + 10  # places left, like before
    seance.save()


@pytest.mark.django_db
def test_benchmarked_pages_keep_their_query_count_with_ten_times_the_data(bench_data, django_assert_max_num_queries):
    assert {name for name, _user, url in bench_data if url} == set(MAX_QUERIES)
    before = {
        name: _count(user, url, django_assert_max_num_queries, MAX_QUERIES[name]) for name, user, url in bench_data
    }
    _grow(10)
    after = {
        name: _count(user, url, django_assert_max_num_queries, MAX_QUERIES[name]) for name, user, url in bench_data
    }
    assert after == before


@pytest.mark.django_db
def test_growth_really_adds_what_the_pages_show(bench_data):
    porteur = Organisation.objects.get(sigle="BENCH-0")
    dossier = Jeune.objects.get(reference="BENCH-DOSSIER")
    jeunes, entretiens = Jeune.objects.filter(organisation=porteur).count(), dossier.entretiens.count()
    orientations = Orientation.objects.filter(partenaire__sigle="BP-0").count()
    inscriptions = Inscription.objects.filter(seance__atelier__organisation=porteur).count()
    _grow(10)
    assert Jeune.objects.filter(organisation=porteur).count() == jeunes * 10
    assert dossier.entretiens.count() == entretiens * 10
    assert Orientation.objects.filter(partenaire__sigle="BP-0").count() == orientations * 10
    assert Inscription.objects.filter(seance__atelier__organisation=porteur).count() == inscriptions * 10


@pytest.mark.django_db
def test_dossier_timeline_reads_a_bounded_window_of_identity_history(bench_data):
    """Each entretien saves the young person: the timeline reads only the latest versions, compared right."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.dossier import DossierContext
    from tests.scope import scope_for
    from youth.dossier import contribute

    dossier = Jeune.objects.get(reference="BENCH-DOSSIER")
    user = dossier.referent
    for k in range(12):
        dossier.telephone = f"06000000{k:02d}"
        dossier.save()
    with CaptureQueriesContext(connection) as captured:
        contribution = contribute(DossierContext(scope=scope_for(user), jeune=dossier, limit=5))
        events = [e for e in contribution.events if e.kind == "modification"]
    history_sql = [q["sql"] for q in captured.captured_queries if "youth_historicaljeune" in q["sql"]]
    assert len(history_sql) == 1
    assert "LIMIT 6" in history_sql[0]
    assert len(events) == 5
    label = str(Jeune._meta.get_field("telephone").verbose_name)
    phones = [next(c for c in e.extra["changes"] if c["field"] == label) for e in events]
    assert [c["new"] for c in phones] == [f"06000000{k:02d}" for k in (11, 10, 9, 8, 7)]
    assert phones[-1]["old"] == "0600000006"  # compared with the version before the window
