"""Youth search at scale: trigram indexes on PostgreSQL, and the accent-free key kept right by the bulk import."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from funding.models import Operation
from youth.filters import JeuneFilter
from youth.models import Jeune


pytestmark = pytest.mark.django_db

HEADER = "reference;nom;prenom;sexe;date_naissance;date_reperage;origine"


def _search(organisation, text):
    queryset = Jeune.objects.filter(organisation=organisation)
    return set(_filtered(queryset, text).values_list("pk", flat=True))


def _filtered(queryset, text):
    return JeuneFilter.search(None, queryset, "q", text)  # the list's search, without the rest of the form


def test_trigram_indexes_exist_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'youth_jeune'")
        indexes = dict(cursor.fetchall())
    for name in (
        "youth_jeune_recherche_trgm",
        "youth_jeune_nom_upper_trgm",
        "youth_jeune_prenom_upper_trgm",
        "youth_jeune_reference_upper_trgm",
    ):
        assert "gin_trgm_ops" in indexes[name]


def test_search_uses_the_trigram_index_when_scanning_is_costly():
    """With sequential scans priced out, the planner can answer the whole OR of the search from the indexes."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    queryset = _filtered(Jeune.objects.all(), "lefevre")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "youth_jeune_recherche_trgm" in plan
    assert "Seq Scan on youth_jeune" not in plan


def test_imported_youth_are_found_without_accents_and_after_a_renaming(tmp_path):
    call_command("seed_demo", "--empty", stdout=StringIO())
    operation = Operation.objects.get(code="NOE")
    path = tmp_path / "import.csv"
    path.write_text(f"{HEADER}\nIMP1;Lefèvre;Éloïse;F;2000-03-04;2017-01-10;aller-vers\n", encoding="utf-8")
    call_command("import_participants", str(path), "--operation", "NOE", stdout=StringIO())
    jeune = Jeune.objects.get(nom="Lefèvre")
    assert _search(operation.organisation, "lefevre eloise") == {jeune.pk}
    assert jeune.recherche == jeune.build_search_key() == "lefevre eloise imp1"

    path.write_text(f"{HEADER}\nIMP1;Dupré;Éloïse;F;2000-03-04;2017-01-10;aller-vers\n", encoding="utf-8")
    call_command("import_participants", str(path), "--operation", "NOE", stdout=StringIO())
    jeune.refresh_from_db()
    assert jeune.nom == "Dupré"
    assert jeune.recherche == "dupre eloise imp1"
    assert _search(operation.organisation, "dupre") == {jeune.pk}
