import random

import pytest
from django.utils import timezone
from faker import Faker

from home.management.commands.seed_demo import SeedContext, seed_base, seed_operations
from youth import seed
from youth.models import Entretien, Jeune, Participation, age_on


pytestmark = pytest.mark.django_db


def test_youth_seed_builds_plausible_eme_and_noe_populations():
    orgs, users = seed_base()
    operations = seed_operations(orgs)
    faker = Faker("fr_FR")
    faker.seed_instance(7)
    ctx = SeedContext(
        orgs=orgs, users=users, operations=operations, faker=faker, rng=random.Random(7), today=timezone.localdate()
    )
    seed.seed_demo(ctx)

    noe = Participation.objects.filter(operation=operations["NOE"])
    assert noe.count() == 330
    fse = noe.fse()
    assert fse.count() == 162
    assert noe.filter(date_entree__isnull=False).exclude(pk__in=fse).count() == 3  # same-day entry/exit
    positive = fse.exclude(situation_sortie__in=["recherche_emploi", "inactif", "abandon", "demenagement", "inconnu"])
    assert positive.count() == 107
    assert not fse.filter(date_sortie__isnull=True).exists()
    for operation in operations.values():
        entered = Participation.objects.filter(operation=operation, date_entree__isnull=False).select_related("jeune")
        for p in entered:
            assert operation.age_min <= age_on(p.jeune.date_naissance, p.date_entree) <= operation.age_max
            assert p.date_sortie is None or p.date_sortie >= p.date_entree
    # the seed's own split of NOE's exits (30 / 13 / 23 % of 162) and its 60 short jobs, computed from the rates
    from reports.indicators import compute

    data = compute(operations["NOE"], "2016-01-01", "2018-12-31")
    assert data["sorties_par_categorie"] == {"emploi": 49, "formation": 21, "dispositif": 37, "autre": 55}
    assert [round(data["taux_par_categorie"][c] * 100) for c in ("emploi", "formation", "dispositif")] == [30, 13, 23]
    assert round(data["taux_sorties_positives"] * 100) == 66
    assert data["emploi_pendant_parcours"] == 60
    assert data["indicateurs"]["EECO05"] == 0  # NEET operation: nobody employed at entry
    # En mode emploi: about 150 entries a year
    eme = operations["EME"]
    for year in range(eme.date_debut.year, timezone.localdate().year):
        entrees = compute(eme, f"{year}-01-01", f"{year}-12-31")["entrees"]
        assert 130 <= entrees <= 170, (year, entrees)
    eme_jeunes = Jeune.objects.filter(organisation=orgs["acsrv"])
    assert set(eme_jeunes.values_list("statut", flat=True)) >= {"repere", "accueilli", "en_parcours", "sorti"}
    minors = [j for j in Jeune.objects.all() if j.est_mineur]
    assert minors
    assert all(j.representant_legal_nom and j.obligation_formation for j in minors)
    assert Entretien.objects.count() > 1000
    assert not Jeune.objects.filter(recherche="").exists()
