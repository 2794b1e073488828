"""Hand-computed fixtures for the indicators of issue 15: EECO03, EECO17 (density grid), EECR03/05/06, « non
collecté », the programme's own indicator set, age after a birth-date correction, multi-year targets, partitions."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from reports.indicators import compute, partition_faults
from reports.reference import load_density_grid
from tests.funding.factories import ObjectifFactory, OperationFactory
from tests.reports.factories import participant
from tests.youth.factories import SuiviPostSortieFactory


pytestmark = pytest.mark.django_db

DU, AU = date(2017, 1, 1), date(2017, 12, 31)
ENTREE = date(2017, 3, 1)


@pytest.fixture
def operation():
    return OperationFactory(code="NOEX", date_debut=date(2016, 1, 1), date_fin=date(2018, 12, 31), age_max=29)


def test_eeco03_long_term_unemployed_at_24_and_25(operation):
    # under 25 at entry: more than 6 months before entry; 25 and over: more than 12 months
    participant(
        operation, entree=ENTREE, naissance=date(1992, 3, 2), date_debut_chomage=date(2016, 8, 31)
    )  # 24, 6m+1d
    participant(operation, entree=ENTREE, naissance=date(1992, 3, 2), date_debut_chomage=date(2016, 9, 1))  # 24, 6 m
    participant(operation, entree=ENTREE, naissance=date(1992, 3, 1), date_debut_chomage=date(2016, 8, 31))  # 25, 6 m+
    participant(operation, entree=ENTREE, naissance=date(1992, 3, 1), date_debut_chomage=date(2016, 2, 28))  # 25, 12m+
    participant(operation, entree=ENTREE, statut="inactif")
    data = compute(operation, DU, AU)
    assert data["indicateurs"]["EECO03"] == 2
    assert data["indicateurs"]["EECO02"] == 4


def test_not_collected_is_none_never_zero(operation):
    participant(operation, entree=ENTREE, sortie=date(2017, 9, 1), situation="emploi_cdi")  # no dates, no follow-up
    data = compute(operation, DU, AU)
    ind = data["indicateurs"]
    assert ind["EECO03"] is None  # a chômeur without unemployment start date
    assert ind["EECR05"] is None
    assert ind["EECR06"] is None
    assert ind["EECR03"] == 0  # existing key: unchanged meaning…
    assert "EECR03" in data["indicateurs_non_collectes"]  # …but flagged as not collected
    assert data["indicateurs_programme"]["EECO17"] is None  # no density grid loaded
    assert {"EECO03", "EECO15", "EECO17", "EECR05", "EECR06"} <= set(data["indicateurs_non_collectes"])
    json.dumps(data)
    empty = compute(operation, date(2010, 1, 1), date(2010, 12, 31))
    assert empty["indicateurs"]["EECO03"] == 0  # nobody to collect from: a true zero


def test_eecr05_eecr06_from_the_6_month_follow_up(operation):
    sortie = date(2017, 6, 1)
    a = participant(operation, entree=ENTREE, sortie=sortie, situation="interim", qualification_obtenue=True)
    b = participant(operation, entree=ENTREE, sortie=sortie, situation="recherche_emploi", qualification_obtenue=False)
    c = participant(
        operation, entree=ENTREE, sortie=sortie, situation="emploi_cdd_moins_6m", statut="emploi",
        qualification_obtenue=False,
    )  # fmt: skip
    participant(operation, entree=ENTREE, sortie=sortie, situation="inactif")  # no follow-up
    SuiviPostSortieFactory(participation=a, echeance=6, date=date(2017, 12, 1), situation="emploi_cdi")
    SuiviPostSortieFactory(participation=b, echeance=6, date=date(2017, 12, 1), situation="recherche_emploi")
    SuiviPostSortieFactory(participation=c, echeance=6, date=date(2017, 12, 1), situation="emploi_cdi")
    SuiviPostSortieFactory(participation=b, echeance=3, date=date(2017, 9, 1), situation="interim")  # not 6 months
    ind = compute(operation, DU, AU)["indicateurs"]
    assert ind["EECR05"] == 2  # a and c employed 6 months after
    assert ind["EECR06"] == 1  # c: employed at entry, precarious → stable
    assert ind["EECR03"] == 1


def test_eeco17_rural_from_a_loaded_grid_and_its_edition(operation, tmp_path):
    path = tmp_path / "grille.csv"
    path.write_text("CODGEO;LIBGEO;DENS\n59122;Carvin;2\n59001;Abancourt;4\n2A004;Ajaccio;1\n59002;Abscon;3\n")
    participant(operation, entree=ENTREE, commune_insee="59122")  # intermediate density
    participant(operation, entree=ENTREE, commune_insee="59001")  # very low density: rural
    participant(operation, entree=ENTREE, commune_insee="59002")  # low density: rural
    participant(operation, entree=ENTREE, commune_insee="")
    grid, problems = load_density_grid(
        path, organisation=operation.organisation, millesime=2016, valable_du=date(2016, 1, 1)
    )
    assert problems == []
    assert grid.communes == 4
    assert grid.niveaux == 4
    data = compute(operation, DU, AU)
    assert data["indicateurs_programme"]["EECO17"] == 2
    assert data["grille_densite"] == 2016
    # a newer 7-level edition applies to periods ending after its date; the old one stays for old bilans
    path.write_text("CODGEO;DENS\n59122;4\n59001;7\n59002;5\n")
    load_density_grid(path, organisation=operation.organisation, millesime=2018, valable_du=date(2018, 1, 1))
    assert compute(operation, DU, AU)["grille_densite"] == 2016
    later = compute(operation, date(2017, 1, 1), date(2018, 6, 30))
    assert (later["grille_densite"], later["indicateurs_programme"]["EECO17"]) == (2018, 2)
    # another organisation's grid never applies
    other = OperationFactory(date_debut=date(2016, 1, 1), date_fin=date(2018, 12, 31))
    participant(other, entree=ENTREE, commune_insee="59001")
    assert compute(other, DU, AU)["indicateurs_programme"]["EECO17"] is None


def test_load_grille_densite_command(operation, tmp_path):
    path = tmp_path / "grille.csv"
    path.write_text("CODGEO;DENS\n59122;2\n59001;x\n")
    err = StringIO()
    with pytest.raises(Exception, match="Grille refusée"):
        call_command(
            "load_grille_densite", str(path), "--organisation", operation.organisation.nom, "--millesime", "2020",
            stderr=err, stdout=StringIO(),
        )  # fmt: skip
    assert "ligne 3" in err.getvalue()
    path.write_text("CODGEO;DENS\n59122;2\n59001;4\n")
    out = StringIO()
    call_command(
        "load_grille_densite", str(path), "--organisation", operation.organisation.nom, "--millesime", "2020",
        stdout=out,
    )  # fmt: skip
    assert "2 communes" in out.getvalue()


def test_age_bands_follow_a_birth_date_correction(operation):
    p = participant(operation, entree=ENTREE, naissance=date(2000, 6, 15))  # 16 at entry (wrong birth date)
    assert compute(operation, DU, AU)["entrees_par_age"]["16-17"] == 1
    p.jeune.date_naissance = date(1996, 6, 15)  # corrected: 20 at entry
    p.jeune.save()
    data = compute(operation, DU, AU)
    assert data["entrees_par_age"] == {"16-17": 0, "18-25": 1, "26-29": 0}
    assert data["indicateurs"]["EECO06"] == 0


def test_programme_sets_fse_plus_and_iej_2014_2020(operation):
    participant(operation, entree=ENTREE, naissance=date(1996, 1, 1), date_debut_chomage=date(2016, 1, 1))
    participant(
        operation, entree=ENTREE, statut="inactif", sortie=date(2017, 9, 1), situation="formation_qualifiante",
        a_termine=True, qualification_obtenue=True,
    )  # fmt: skip
    data = compute(operation, DU, AU)
    assert data["programme"]["code"] == "fse_plus"
    codes = set(data["indicateurs_programme"])
    assert codes == {f"EECO{n:02d}" for n in range(1, 18)} | {f"EECR{n:02d}" for n in range(1, 7)}
    assert data["indicateurs_programme"]["EECO03"] == 1
    operation.programme = "iej"
    operation.save()
    data = compute(operation, DU, AU)
    ip = data["indicateurs_programme"]
    expected = (
        {f"CO{n:02d}" for n in range(1, 24)} | {f"CR{n:02d}" for n in range(1, 10)}
        | {f"IEJ-CR{n:02d}" for n in range(1, 13)}
    )  # fmt: skip
    assert set(ip) == expected
    assert (ip["CO01"], ip["CO02"], ip["CO03"], ip["CO04"], ip["CO06"]) == (1, 1, 1, 1, 2)
    assert (ip["CR02"], ip["CR03"], ip["IEJ-CR07"], ip["IEJ-CR08"], ip["IEJ-CR09"]) == (1, 1, 1, 1, 1)
    assert ip["CO20"] is None
    # the FSE+ keys of ``indicateurs`` keep their meaning whatever the programme
    assert data["indicateurs"]["EECO01"] == 2
    assert data["indicateurs"]["EECO02"] == 1


def test_bilan_json_noe_carries_iej_set_and_eme_the_fse_plus_set():
    call_command("seed_demo", "--empty", stdout=StringIO())
    for code, first in (("NOE", "CO01"), ("EME", "EECO01")):
        out = StringIO()
        call_command("bilan", "--operation", code, "--du", "2017-01-01", "--au", "2017-12-31", stdout=out)
        data = json.loads(out.getvalue())
        assert first in data["indicateurs_programme"]
        for key in ("EECO03", "EECR03", "EECR05", "EECR06"):
            assert key in data["indicateurs"]


def test_multi_year_period_compares_with_the_sum_of_yearly_targets(operation):
    ObjectifFactory(operation=operation, indicateur="entrees", cible=300)  # whole operation
    for annee, cible in ((2016, 40), (2017, 60), (2018, 50)):
        ObjectifFactory(operation=operation, indicateur="entrees", cible=cible, annee=annee)
    for _ in range(50):
        participant(operation, entree=ENTREE)
    two_years = compute(operation, date(2016, 1, 1), date(2017, 12, 31))["objectifs"]["entrees"]
    assert (two_years["cible"], two_years["taux"], two_years["portee"]) == (
        100,
        0.5,
        "somme des objectifs 2016 à 2017",
    )
    one_year = compute(operation, DU, AU)["objectifs"]["entrees"]
    assert (one_year["cible"], one_year["annee"]) == (60, 2017)


def test_partitions_and_records_at_fault(operation):
    participant(operation, entree=ENTREE)
    fault = participant(operation, entree=ENTREE, statut="", diplome="")
    data = compute(operation, DU, AU)
    assert data["partitions"]["statut_entree"] == {"total": 2, "somme": 1, "ecart": 1}
    assert data["partitions"]["diplome"]["ecart"] == 1
    assert partition_faults(operation, DU, AU) == [fault]


def test_immediate_results_window(operation):
    sortie = date(2017, 6, 1)
    participant(operation, entree=ENTREE, sortie=sortie, situation="interim", date_situation_sortie=date(2017, 6, 29))
    participant(operation, entree=ENTREE, sortie=sortie, situation="interim", date_situation_sortie=date(2017, 6, 30))
    participant(operation, entree=ENTREE, sortie=sortie, situation="interim")
    ri = compute(operation, DU, AU)["resultats_immediats"]
    assert (ri["constatees_4_semaines"], ri["constatees_plus_tard"], ri["sans_date"]) == (1, 1, 1)
