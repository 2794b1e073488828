"""import_participants and the participant data of issue 15: one person one record, eligibility, new columns,
sex labels, XLSX phone numbers, export → re-import."""

from datetime import date

import pytest
from django.core.management import call_command

from funding.models import Operation
from reports import exports
from tests.reports.test_import import HEADER, ROWS, bilan_json, run, run_failing, write
from tests.youth.factories import JeuneFactory, ParticipationFactory
from youth.models import Jeune, Participation, SuiviPostSortie


pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    from io import StringIO

    call_command("seed_demo", "--empty", stdout=StringIO())
    return Operation.objects.get(code="NOE")


def test_same_person_under_two_references_in_the_file_is_refused_naming_both_lines(seeded, tmp_path):
    twin = ROWS[0].replace("N1;Martin;Léa", "N7;MARTIN;Lea")
    lines = run_failing(write(tmp_path, [HEADER, ROWS[0], ROWS[1], twin]))
    assert lines == [
        "ligne 4, colonne nom : même personne (Lea MARTIN, née le 04/03/2000) qu'à la ligne 2 sous une autre "
        "référence (« N1 ») : une personne n'a qu'un dossier par opération"
    ]
    assert Jeune.objects.count() == 0


def test_reentry_under_a_new_reference_is_refused_and_counted_once(seeded, tmp_path):
    run(write(tmp_path, [HEADER, *ROWS]))
    again = (
        ROWS[0]
        .replace("N1;Martin;Léa", "N1bis;Martin;Léa")
        .replace("2017-02-01;2017-08-01;emploi_cdi", "2017-09-01;;")
    )
    lines = run_failing(write(tmp_path, [HEADER, again], name="again.csv"))
    assert len(lines) == 1
    assert "déjà enregistrée dans l'opération NOE sous la référence « N1 »" in lines[0]
    assert bilan_json()["entrees"] == 4  # unchanged: the person counts once


def test_reentry_under_the_same_reference_reopens_with_the_first_entry(seeded, tmp_path):
    run(write(tmp_path, [HEADER, *ROWS]))
    again = ROWS[0].replace("2017-02-01;2017-08-01;emploi_cdi", "2017-09-15;2017-12-01;formation_autre")
    out, _ = run(write(tmp_path, [HEADER, again], name="again.csv"))
    assert "ré-entrée le 15/09/2017" in out
    n1 = Participation.objects.get(reference="N1")
    assert (n1.date_entree, n1.date_sortie, n1.situation_sortie) == (
        date(2017, 2, 1),
        date(2017, 12, 1),
        "formation_autre",
    )
    assert Participation.objects.filter(jeune=n1.jeune).count() == 1


def test_known_dossier_without_participation_is_attached_not_duplicated(seeded, tmp_path):
    known = JeuneFactory(organisation=seeded.organisation, nom="MARTIN", prenom="Lea", date_naissance=date(2000, 3, 4))
    run(write(tmp_path, [HEADER, ROWS[0]]))
    assert Jeune.objects.filter(organisation=seeded.organisation).count() == 1
    participation = Participation.objects.get(reference="N1")
    assert participation.jeune_id == known.pk
    # a web-created participation without a reference is matched by person and receives the reference
    other = JeuneFactory(
        organisation=seeded.organisation, nom="Durand", prenom="Yanis", date_naissance=date(1998, 12, 12)
    )
    web = ParticipationFactory(jeune=other, operation=seeded, organisation=seeded.organisation)
    run(write(tmp_path, [HEADER, ROWS[1]], name="n2.csv"))
    web.refresh_from_db()
    assert web.reference == "N2"
    assert web.date_entree == date(2017, 3, 1)
    assert Participation.objects.filter(operation=seeded).count() == 2


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (ROWS[0].replace("2017-02-01;2017-08-01", "2015-12-31;2017-08-01"), "date_entree : entrée le 31/12/2015 hors"),
        (ROWS[0].replace("2017-01-10", "2017-02-02"), "date_reperage : le repérage (02/02/2017) suit l'entrée"),
        (ROWS[0].replace(";chomeur;", ";emploi;"), "colonne statut_entree : personne en emploi à l'entrée"),
    ],
)  # fmt: skip
def test_eligibility_at_entry_is_enforced(seeded, tmp_path, row, message):
    lines = run_failing(write(tmp_path, [HEADER, row]))
    assert any(message in line for line in lines), lines


def test_future_entry_refused(seeded, tmp_path):
    seeded.date_fin = date(2099, 12, 31)
    seeded.save()
    row = ROWS[1].replace("01/03/2017", "01/03/2098").replace("12/12/1998", "12/12/2080")
    lines = run_failing(write(tmp_path, [HEADER, row]))
    assert "une date d'entrée ne peut pas être dans le futur" in lines[0]


def test_employed_at_entry_accepted_when_the_operation_allows_it(seeded, tmp_path):
    seeded.emploi_entree_autorise = True
    seeded.save()
    run(write(tmp_path, [HEADER, ROWS[0].replace(";chomeur;", ";emploi;")]))
    assert Participation.objects.get(reference="N1").statut_entree == "emploi"


NEW_HEADER = (
    "reference;nom;prenom;sexe;date_naissance;date_reperage;origine;telephone;contact_nom;contact_telephone;"
    "commune_insee;statut_entree;date_debut_chomage;inscrit_france_travail;qpv;date_entree;date_sortie;"
    "situation_sortie;date_situation_sortie;qualification_obtenue;situation_6_mois"
)


def test_new_columns_and_sex_labels(seeded, tmp_path):
    rows = [
        "A1;Martin;Léa;Femme;2000-03-04;2017-01-10;aller-vers;;Mme Martin;612345678;59122;chomeur;2016-01-15;oui;"
        "non;2017-02-01;2017-08-01;emploi_cdi;2017-08-10;oui;emploi_cdi",
        "A2;Durand;Yanis;Homme;1998-12-12;2017-01-12;aller-vers;0611223344;;;59270;inactif;;non;oui;2017-03-01;;;;;",
    ]
    run(write(tmp_path, [NEW_HEADER, *rows]))
    a1 = Participation.objects.select_related("jeune").get(reference="A1")
    assert a1.jeune.sexe == "F"
    assert a1.jeune.contact_telephone == "0612345678"  # leading 0 restored
    assert a1.jeune.est_joignable
    assert a1.jeune.commune_insee == "59122"
    assert (a1.date_debut_chomage, a1.inscrit_france_travail, a1.qpv) == (date(2016, 1, 15), "oui", "non")
    assert (a1.date_situation_sortie, a1.qualification_obtenue) == (date(2017, 8, 10), True)
    suivi = SuiviPostSortie.objects.get(participation=a1)
    assert (suivi.echeance, suivi.date, suivi.situation) == (6, date(2018, 2, 1), "emploi_cdi")
    a2 = Participation.objects.select_related("jeune").get(reference="A2")
    assert a2.jeune.sexe == "H"
    assert a2.qualification_obtenue is None
    # re-import: unchanged, then the 6-month situation corrected
    out, _ = run(write(tmp_path, [NEW_HEADER, *rows], name="again.csv"))
    assert "0 mis à jour, 2 inchangé(s)" in out
    corrected = rows[0].rsplit(";", 1)[0] + ";interim"
    out, _ = run(write(tmp_path, [NEW_HEADER, corrected, rows[1]], name="b.csv"))
    assert "1 mis à jour, 1 inchangé(s)" in out
    assert SuiviPostSortie.objects.get(participation=a1).situation == "interim"


def test_xlsx_phone_number_cell_keeps_its_leading_zero(seeded, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    row = ROWS[0].split(";")
    row[7] = 601020304  # the spreadsheet stored 0601020304 as a number
    sheet.append(row)
    path = tmp_path / "phones.xlsx"
    workbook.save(path)
    run(path)
    assert Participation.objects.get(reference="N1").jeune.telephone == "0601020304"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_participant_export_with_readable_headers_reimports(seeded, tmp_path, kind):
    rows = [
        "A1;Martin;Léa;F;2000-03-04;2017-01-10;CAPEP;0601020304;;;59122;chomeur;2016-01-15;oui;non;2017-02-01;"
        "2017-08-01;emploi_cdi;2017-08-10;oui;emploi_cdi",
    ]
    run(write(tmp_path, [NEW_HEADER, *rows]))
    before = bilan_json()
    if kind == "csv":
        path = tmp_path / "export.csv"
        path.write_text(exports.participants_csv(seeded, "2017-01-01", "2017-12-31"), encoding="utf-8")
    else:
        path = tmp_path / "export.xlsx"
        path.write_bytes(exports.participants_xlsx(seeded, "2017-01-01", "2017-12-31"))
    out, _ = run(path)
    assert "0 participant(s) créé(s), 0 mis à jour, 1 inchangé(s)" in out
    assert "Colonne ignorée" not in out
    assert bilan_json() == before
