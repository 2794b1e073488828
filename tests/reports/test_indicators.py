"""Hand-computed fixtures for reports.indicators.compute (DESIGN.md counting rules)."""

import json
from datetime import date

import pytest

from funding.models import Objectif
from reports.indicators import compute
from tests.funding.factories import ObjectifFactory, OperationFactory
from tests.reports.factories import bulk_participants, participant


pytestmark = pytest.mark.django_db

DU, AU = date(2017, 1, 1), date(2017, 12, 31)


def test_design_keys_and_json_serialisable(operation):
    data = compute(operation, DU, AU)
    for key in (
        "operation",
        "periode",
        "reperes",
        "entrees",
        "actifs",
        "sorties",
        "sorties_par_categorie",
        "taux_sorties_positives",
        "emploi_pendant_parcours",
        "entrees_par_sexe",
        "entrees_par_age",
        "indicateurs",
        "objectifs",
        "completude",
        "contactabilite",
        "entrees_par_sexe_et_age",
        "sorties_par_situation",
    ):
        assert key in data
    assert data["operation"] == "NOEX"
    assert data["periode"] == {"du": "2017-01-01", "au": "2017-12-31"}
    assert set(data["sorties_par_categorie"]) == {"emploi", "formation", "dispositif", "autre"}
    assert set(data["entrees_par_sexe"]) == {"F", "H", "X"}
    assert set(data["entrees_par_age"]) == {"16-17", "18-25", "26-29"}
    for code in ("EECO01", "EECO02", "EECO04", "EECO05", "EECO06", "EECO07", "EECO09", "EECO10", "EECO11"):
        assert code in data["indicateurs"]
    for code in ("EECO12", "EECO13", "EECO14", "EECO16", "EECR02", "EECR04"):
        assert code in data["indicateurs"]
    assert data["taux_sorties_positives"] == 0.0
    assert data["completude"] == {"taux": 0.0, "complets": 0, "total": 0, "alerte": False}
    json.dumps(data)
    assert compute(operation, "2017-01-01", "2017-12-31") == data


def test_period_boundaries_same_day_and_actifs(operation):
    participant(operation, entree=DU)  # entry on du: counted
    participant(operation, entree=AU)  # entry on au: counted
    participant(operation, entree=date(2016, 12, 31))  # before: not an entry, but active
    participant(operation, entree=date(2018, 1, 1))  # after: neither
    participant(operation, entree=date(2016, 6, 1), sortie=DU, situation="emploi_cdi")  # exit on du: exit and active
    participant(operation, entree=date(2016, 6, 1), sortie=date(2016, 12, 31), situation="inactif")  # left before
    participant(operation, entree=date(2017, 3, 3), sortie=date(2017, 3, 3), situation="abandon")  # same day: excluded
    participant(operation, entree=date(2017, 2, 1), sortie=AU, situation="alternance")  # in, out on au
    participant(operation, entree=None, reperage=date(2017, 5, 5))  # repéré, never entered
    participant(operation, entree=None, reperage=date(2016, 5, 5))  # repéré before P
    data = compute(operation, DU, AU)
    assert data["entrees"] == 3
    assert data["actifs"] == 5
    assert data["sorties"] == 2
    assert data["sorties_par_categorie"] == {"emploi": 1, "formation": 1, "dispositif": 0, "autre": 0}
    assert data["taux_sorties_positives"] == 1.0
    # reperes by date_reperage (default 2017-01-05 for the participants above) whether or not they entered
    assert data["reperes"] == 9
    assert data["sorties_par_situation"]["emploi_cdi"] == 1
    assert data["sorties_par_situation"]["abandon"] == 0


def test_other_operation_is_not_counted(operation):
    other = OperationFactory()
    participant(other, entree=date(2017, 2, 1))
    participant(operation, entree=date(2017, 2, 1))
    assert compute(operation, DU, AU)["entrees"] == 1


def test_seed_split_30_13_23_gives_066(operation):
    sortie = date(2017, 6, 30)
    entree = date(2017, 1, 10)
    bulk_participants(operation, 30, entree=entree, sortie=sortie, situation="emploi_cdd_moins_6m")
    bulk_participants(operation, 13, entree=entree, sortie=sortie, situation="formation_qualifiante", start=100)
    bulk_participants(operation, 23, entree=entree, sortie=sortie, situation="dispositif_cej", start=200)
    bulk_participants(operation, 34, entree=entree, sortie=sortie, situation="recherche_emploi", start=300)
    data = compute(operation, DU, AU)
    assert data["sorties"] == 100
    assert data["sorties_par_categorie"] == {"emploi": 30, "formation": 13, "dispositif": 23, "autre": 34}
    assert data["taux_sorties_positives"] == 0.66
    assert data["taux_par_categorie"] == {"emploi": 0.3, "formation": 0.13, "dispositif": 0.23, "autre": 0.34}


def test_rate_rounded_to_four_decimals(operation):
    for i, situation in enumerate(["emploi_cdi", "recherche_emploi", "inconnu"]):
        participant(operation, entree=date(2017, 1, 2 + i), sortie=date(2017, 5, 1), situation=situation)
    data = compute(operation, DU, AU)
    assert data["taux_sorties_positives"] == 0.3333
    participant(operation, entree=date(2017, 1, 9), sortie=date(2017, 5, 1), situation="")
    data = compute(operation, DU, AU)
    assert data["sorties_par_situation"]["non_renseignee"] == 1
    assert data["sorties_par_categorie"]["autre"] == 3
    assert data["taux_sorties_positives"] == 0.25


def test_sex_and_age_bands_with_birthday_on_entry_date(operation):
    entree = date(2017, 4, 10)
    participant(operation, entree=entree, sexe="F", naissance=date(1999, 4, 10))  # 18 on the day → 18-25
    participant(operation, entree=entree, sexe="F", naissance=date(1999, 4, 11))  # still 17 → 16-17
    participant(operation, entree=entree, sexe="H", naissance=date(1991, 4, 10))  # 26 on the day → 26-29
    participant(operation, entree=entree, sexe="H", naissance=date(1991, 4, 11))  # 25 → 18-25
    participant(operation, entree=entree, sexe="X", naissance=date(1987, 4, 11))  # 29 → 26-29
    participant(operation, entree=entree, sexe="X", naissance=date(2000, 1, 1))  # 17 → 16-17
    data = compute(operation, DU, AU)
    assert data["entrees_par_sexe"] == {"F": 2, "H": 2, "X": 2}
    assert data["entrees_par_age"] == {"16-17": 2, "18-25": 2, "26-29": 2}
    assert data["entrees_par_sexe_et_age"] == {
        "F": {"16-17": 1, "18-25": 1, "26-29": 0},
        "H": {"16-17": 0, "18-25": 1, "26-29": 1},
        "X": {"16-17": 1, "18-25": 0, "26-29": 1},
    }
    ind = data["indicateurs"]
    assert ind["EECO06"] == 2
    assert ind["EECO07"] == 4
    assert ind["EECO06"] + ind["EECO07"] == ind["EECO01"] == 6
    assert data["indicateurs_par_sexe"]["F"]["EECO06"] == 1


def test_eeco_partition_isced_and_sensitive_items(operation):
    entree = date(2017, 2, 2)
    participant(operation, entree=entree, statut="chomeur", diplome="aucun", handicap="oui", nationalite="hors_ue")
    participant(operation, entree=entree, statut="chomeur", diplome="brevet", handicap="refus")
    participant(operation, entree=entree, statut="inactif", diplome="bac", parent_ne_etranger="oui")
    participant(operation, entree=entree, statut="emploi", diplome="bac_2", sans_logement="oui")
    participant(operation, entree=entree, statut="inactif", diplome="bac_3_plus", sans_logement="refus")
    ind = compute(operation, DU, AU)["indicateurs"]
    assert ind["EECO01"] == 5
    assert ind["EECO01"] == ind["EECO02"] + ind["EECO04"] + ind["EECO05"]
    assert (ind["EECO02"], ind["EECO04"], ind["EECO05"]) == (2, 2, 1)
    assert (ind["EECO09"], ind["EECO10"], ind["EECO11"]) == (2, 1, 2)
    assert ind["EECO09"] + ind["EECO10"] + ind["EECO11"] == ind["EECO01"]
    assert (ind["EECO12"], ind["EECO13"], ind["EECO14"], ind["EECO16"]) == (1, 1, 1, 1)
    refus = compute(operation, DU, AU)["indicateurs_refus"]
    assert refus == {"EECO12": 1, "EECO14": 0, "EECO16": 1}


def test_result_indicators_on_exits(operation):
    sortie = date(2017, 9, 1)
    participant(operation, entree=date(2017, 1, 2), sortie=sortie, situation="formation_qualifiante")
    participant(operation, entree=date(2017, 1, 2), sortie=sortie, situation="alternance", statut="inactif")
    participant(operation, entree=date(2017, 1, 2), sortie=sortie, situation="emploi_cdi", statut="emploi")
    participant(
        operation, entree=date(2017, 1, 2), sortie=sortie, situation="recherche_emploi", statut="inactif",
        qualification_obtenue=True,
    )  # fmt: skip
    ind = compute(operation, DU, AU)["indicateurs"]
    assert ind["EECR01"] == 1
    assert ind["EECR02"] == 1  # alternance is employment for EECR (funder default)
    assert ind["EECR03"] == 1
    assert ind["EECR04"] == 1  # emploi_cdi but already employed at entry: not counted


def test_emploi_pendant_parcours_counts_actifs(operation):
    participant(operation, entree=date(2016, 5, 1), emploi_pendant_parcours=True)  # active in 2017
    participant(operation, entree=date(2016, 5, 1), sortie=date(2016, 9, 1), emploi_pendant_parcours=True)  # gone
    participant(operation, entree=date(2017, 5, 1))
    assert compute(operation, DU, AU)["emploi_pendant_parcours"] == 1


def test_completeness_and_contactability(operation):
    entree = date(2017, 3, 1)
    participant(operation, entree=entree)  # complete
    participant(operation, entree=entree, handicap="refus", parent_ne_etranger="refus")  # refus = answered
    participant(operation, entree=entree, telephone="", email="a@b.fr")  # complete via e-mail
    participant(operation, entree=entree, telephone="", contact_nom="Mère", contact_telephone="0611223344")  # contact
    participant(operation, entree=entree, telephone="")  # not contactable
    participant(operation, entree=entree, complet=False)  # questionnaire not answered
    data = compute(operation, DU, AU)
    assert data["completude"] == {"taux": 0.6667, "complets": 4, "total": 6, "alerte": False}
    assert data["contactabilite"] == {"taux": 0.8333, "joignables": 5, "total": 6}
    participant(operation, entree=entree, complet=False)
    assert compute(operation, DU, AU)["completude"] == {"taux": 0.5714, "complets": 4, "total": 7, "alerte": True}


def test_noe_objectives_110_and_101_25_percent(operation):
    ObjectifFactory(operation=operation, indicateur=Objectif.Indicateur.REPERES, cible=300)
    ObjectifFactory(operation=operation, indicateur=Objectif.Indicateur.ENTREES, cible=160)
    du, au = date(2016, 1, 1), date(2018, 12, 31)
    bulk_participants(operation, 162, entree=date(2016, 3, 1), reperage=date(2016, 2, 1))
    bulk_participants(operation, 168, entree=None, reperage=date(2017, 2, 1), start=1000)
    data = compute(operation, du, au)
    assert data["reperes"] == 330
    assert data["entrees"] == 162
    assert data["objectifs"]["reperes"]["cible"] == 300
    assert data["objectifs"]["reperes"]["realise"] == 330
    assert data["objectifs"]["reperes"]["taux"] == 1.1
    assert data["objectifs"]["entrees"]["realise"] == 162
    assert data["objectifs"]["entrees"]["taux"] == 1.0125
    assert f"{data['objectifs']['entrees']['taux'] * 100:.2f}" == "101.25"
    assert f"{data['objectifs']['reperes']['taux'] * 100:.2f}" == "110.00"


def test_yearly_objective_overrides_global_for_that_year(operation):
    ObjectifFactory(operation=operation, indicateur="entrees", cible=160)
    ObjectifFactory(operation=operation, indicateur="entrees", cible=50, annee=2017)
    ObjectifFactory(operation=operation, indicateur="sorties_positives", cible=10, annee=2016)
    participant(operation, entree=date(2017, 2, 2))
    data = compute(operation, DU, AU)
    assert data["objectifs"]["entrees"]["cible"] == 50
    assert data["objectifs"]["entrees"]["taux"] == 0.02
    assert "sorties_positives" not in data["objectifs"]
    data = compute(operation, date(2016, 1, 1), AU)  # across two years: global targets only
    assert data["objectifs"]["entrees"]["cible"] == 160


def test_permis_am_objective_counts_aids_in_period(operation):
    from funding.models import Aide, LigneBudgetaire

    ObjectifFactory(operation=operation, indicateur="permis_am", cible=15)
    ligne = LigneBudgetaire.objects.create(operation=operation, categorie="participants", libelle="Aides")
    p1 = participant(operation, entree=date(2017, 1, 3))
    for day in (date(2017, 2, 1), date(2017, 3, 1), date(2018, 1, 1)):
        Aide.objects.create(
            organisation=operation.organisation, participation=p1, ligne_budgetaire=ligne, kind="permis_am",
            date_attribution=day, montant=300,
        )  # fmt: skip
    Aide.objects.create(
        organisation=operation.organisation, participation=p1, ligne_budgetaire=ligne, kind="veture",
        date_attribution=date(2017, 2, 1), montant=50,
    )  # fmt: skip
    objectif = compute(operation, DU, AU)["objectifs"]["permis_am"]
    assert objectif == {
        "cible": 15, "realise": 2, "taux": 0.1333, "annee": None, "libelle": "Permis AM financés",
        "portee": "toute l'opération",
    }  # fmt: skip


def test_query_count_does_not_grow_with_participants(operation, django_assert_max_num_queries):
    ObjectifFactory(operation=operation, indicateur="permis_am", cible=15)
    ObjectifFactory(operation=operation, indicateur="entrees", cible=160)
    bulk_participants(operation, 5, entree=date(2017, 2, 1))
    with django_assert_max_num_queries(5):  # aggregate, targets, permis AM, density grid, participant rows
        small = compute(operation, DU, AU)
    bulk_participants(operation, 300, entree=date(2017, 2, 1), sortie=date(2017, 8, 1), situation="interim", start=10)
    with django_assert_max_num_queries(5):
        big = compute(operation, DU, AU)
    assert small["entrees"] == 5
    assert big["entrees"] == 305
    assert big["sorties_par_categorie"]["emploi"] == 300
