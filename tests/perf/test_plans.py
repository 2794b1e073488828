"""Query plans that keep pages flat in the size of one organisation (bench/RESULTS.md, issue 20).

- PostgreSQL's JIT is off on the application's connections (it compiled the caseload's to-do counts for 3.4 s);
- the scope hides the records of archived or deleted dossiers with one NOT EXISTS over a partial index, not a join
  on every young person;
- a search by name reads its matches through the trigram index instead of walking the name index.
"""

import pytest
from django.db import connection
from django.utils import timezone

from core.models import Role
from core.scope import Scope
from outreach.models import Orientation
from tests.core.factories import MembershipFactory, OrganisationFactory
from tests.outreach.factories import OrientationFactory, PartenariatFactory
from tests.youth.factories import EntretienFactory, JeuneFactory
from youth.forms import BY_NAME_FOR_SEARCH
from youth.models import Entretien, Jeune, words_condition


pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


@postgresql_only
def test_jit_is_off_on_the_application_connections():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@postgresql_only
def test_the_hidden_dossiers_have_their_partial_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'youth_jeune_hidden'")
        (definition,) = cursor.fetchone()
    assert "WHERE ((archived_at IS NOT NULL) OR (supprime_le IS NOT NULL))" in definition


def test_records_of_a_dossier_are_scoped_without_a_join_on_the_young_people():
    porteur = OrganisationFactory()
    partner = OrganisationFactory(partenaire=True)
    for model, scope in (
        (Orientation, Scope(organisation=partner, role=Role.PARTENAIRE)),
        (Entretien, Scope(organisation=porteur, role=Role.CONSEILLERE)),
    ):
        sql = str(model.objects.for_scope(scope).query)
        assert "NOT EXISTS" in sql
        assert 'JOIN "youth_jeune"' not in sql, model


def test_the_not_exists_hides_exactly_the_archived_and_deleted_dossiers():
    partnership = PartenariatFactory()
    porteur, partner = partnership.porteur, partnership.partenaire
    live, archived, deleted = (JeuneFactory(organisation=porteur) for _ in range(3))
    Jeune.objects.filter(pk=archived.pk).update(archived_at=timezone.now())
    Jeune.objects.filter(pk=deleted.pk).update(supprime_le=timezone.now())
    orientations = {
        name: OrientationFactory(organisation=porteur, partenaire=partner, jeune=jeune)
        for name, jeune in (("live", live), ("archived", archived), ("deleted", deleted), ("sans dossier", None))
    }
    seen = set(Orientation.objects.for_scope(Scope(organisation=partner, role=Role.PARTENAIRE)))
    assert seen == {orientations["live"], orientations["sans dossier"]}

    notes = {jeune: EntretienFactory(jeune=jeune, organisation=porteur) for jeune in (live, archived, deleted)}
    conseillere = set(Entretien.objects.for_scope(Scope(organisation=porteur, role=Role.CONSEILLERE)))
    coordination = set(Entretien.objects.for_organisation(porteur))
    assert conseillere == {notes[live]}
    assert coordination == {notes[live], notes[archived]}  # coordination reads the archive, never the deleted
    corbeille_and_all = set(Entretien.objects.for_organisation(porteur, deleted=None))
    assert corbeille_and_all == set(notes.values())


@postgresql_only
def test_a_search_by_name_reads_the_trigram_index_and_keeps_the_name_order():
    """The matches of a name are adjacent in name order: walking the name index to reach them grows with the
    organisation. Ordered by the expression of ``core.sorting.unindexed``, the planner reads them from an index
    of the filter (the trigram index at scale, bench/RESULTS.md) and sorts them; the order stays the name order."""
    membership = MembershipFactory(role=Role.COORDINATEUR)
    model = JeuneFactory(organisation=membership.organisation)
    rows = []
    names = ["Lefèvre", "Martin", "Zola", "Durand", "Bernard", "Petit", "Robert", "Richard", "Moreau", "Simon"]
    names += [f"{name}-{suffix}" for name in names for suffix in ("Aubry", "Caron")]
    for i in range(1000):
        copy = Jeune.objects.get(pk=model.pk) if i == 0 else rows[0]
        copy = Jeune(**{f.attname: getattr(copy, f.attname) for f in Jeune._meta.concrete_fields})
        copy.pk = None
        copy.nom = names[i % len(names)]
        copy.prenom = f"Prénom{i:03d}"
        copy.recherche = copy.build_search_key()
        rows.append(copy)
    Jeune.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE youth_jeune")
    matches = Jeune.objects.filter(organisation=membership.organisation).filter(words_condition("zola"))
    queryset = matches.order_by(*BY_NAME_FOR_SEARCH, "pk")[:21]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'youth_jeune' AND indexdef LIKE %s",
            ["%(organisation_id, nom, prenom)%"],
        )
        (name_index,) = cursor.fetchone()
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
        ordered_by_the_index = matches.order_by("nom", "prenom", "pk")[:21].explain()
    assert name_index in ordered_by_the_index  # what a plain ORDER BY nom does: walk the name index …
    assert name_index not in plan  # … which the search's order does not
    found = list(queryset.values_list("nom", "prenom"))
    assert found == sorted(found)
    assert len(found) == 21
    assert {n for n, _ in found} == {"Zola"}
