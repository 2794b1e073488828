"""Exports: figures (CSV/XLSX), participant list with versioned column maps, formula injection neutralised."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from reports import exports
from reports.columns import COLUMN_MAPS, DEFAULT_COLUMN_MAP, get_column_map
from reports.indicators import compute
from tests.funding.factories import ObjectifFactory, OperationFactory
from tests.reports.factories import bulk_participants, participant


pytestmark = pytest.mark.django_db

DU, AU = date(2017, 1, 1), date(2017, 12, 31)
DANGEROUS = ['=HYPERLINK("http://x")', "+33 6 12", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


def read_csv(text):
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_neutralise():
    for value in DANGEROUS:
        assert exports.neutralise(value) == "'" + value
    assert exports.neutralise("Martin") == "Martin"
    assert exports.neutralise(-3) == -3
    assert exports.neutralise("") == ""


def test_figures_csv_and_xlsx(operation):
    ObjectifFactory(operation=operation, indicateur="entrees", cible=4)
    participant(operation, entree=date(2017, 2, 1), sortie=date(2017, 6, 1), situation="emploi_cdi")
    participant(operation, entree=date(2017, 2, 1), sexe="H")
    data = compute(operation, DU, AU)
    rows = read_csv(exports.figures_csv(data))
    assert ["Entrées", "2"] in rows
    assert ["Taux de sorties positives", "1"] in rows
    assert ["Entrées (suivis)", "4", "2", "0,5"] in rows
    assert ["EECO01", "Nombre total de participants", "2", "1", "1", "0"] in rows
    assert ["Emploi", "1", "1"] in rows
    workbook = load_workbook(io.BytesIO(exports.figures_xlsx(data)))
    assert "Synthèse" in workbook.sheetnames
    synthese = {row[0]: row[1] for row in workbook["Synthèse"].iter_rows(min_row=2, values_only=True)}
    assert synthese["Entrées"] == 2
    assert synthese["Taux de sorties positives"] == 1.0
    objectifs = list(workbook["Objectifs"].iter_rows(min_row=2, values_only=True))
    assert objectifs == [("Entrées (suivis)", 4, 2, 0.5)]


def test_figures_neutralise_operation_code():
    data = {
        "operation": "=cmd",
        "periode": {"du": "2017-01-01", "au": "2017-12-31"},
        "reperes": 0, "entrees": 0, "actifs": 0, "sorties": 0,
        "sorties_par_categorie": {"emploi": 0, "formation": 0, "dispositif": 0, "autre": 0},
        "taux_sorties_positives": 0.0, "emploi_pendant_parcours": 0,
        "entrees_par_sexe": {"F": 0, "H": 0, "X": 0},
        "entrees_par_age": {"16-17": 0, "18-25": 0, "26-29": 0},
        "entrees_par_sexe_et_age": {s: {"16-17": 0, "18-25": 0, "26-29": 0} for s in "FHX"},
        "indicateurs": {"EECO01": 0}, "objectifs": {"@obj": {"cible": 1, "realise": 0, "taux": 0.0}},
        "completude": {"taux": 0.0, "complets": 0, "total": 0, "alerte": False},
        "contactabilite": {"taux": 0.0, "joignables": 0, "total": 0},
        "sorties_par_situation": {},
    }  # fmt: skip
    rows = read_csv(exports.figures_csv(data))
    assert ["Opération", "'=cmd"] in rows
    assert ["'@obj", "1", "0", "0"] in rows
    workbook = load_workbook(io.BytesIO(exports.figures_xlsx(data)))
    values = [c.value for row in workbook["Synthèse"].iter_rows() for c in row]
    assert "'=cmd" in values
    assert all(not (isinstance(v, str) and v.startswith("=")) for v in values)


def test_participants_export_period_and_same_day_exclusion(operation):
    participant(operation, entree=date(2017, 3, 1), reference="A-1")
    participant(operation, entree=date(2016, 3, 1), sortie=date(2016, 12, 31), reference="OLD")  # left before P
    participant(operation, entree=date(2017, 4, 4), sortie=date(2017, 4, 4), reference="SAME")  # same day
    participant(operation, entree=None, reference="REP")  # never entered
    participant(operation, entree=date(2016, 5, 1), sortie=date(2017, 2, 1), situation="dispositif_cej", reference="B")
    participant(OperationFactory(), entree=date(2017, 3, 1), reference="OTHER")
    headers, rows = exports.participants_rows(operation, DU, AU)
    assert headers == [h for h, _ in COLUMN_MAPS[DEFAULT_COLUMN_MAP]]
    ids = [row[0] for row in rows]
    assert ids == ["B", "A-1"]
    b = dict(zip(headers, rows[0], strict=True))
    assert b["Date de sortie"] == date(2017, 2, 1)
    assert b["Catégorie de sortie"] == "Dispositif d'accompagnement"
    assert b["Niveau CITE"] == "CITE 3-4"
    assert b["Questionnaire d'entrée complet"] == "oui"


def test_participants_csv_xlsx_neutralise_injection(operation):
    p = participant(operation, entree=date(2017, 3, 1), reference="=1+1", telephone="+33 6 12 34 56 78")
    p.jeune.nom = '=HYPERLINK("http://evil")'
    p.jeune.prenom = "@SUM(A1)"
    p.jeune.save()
    rows = read_csv(exports.participants_csv(operation, DU, AU))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Identifiant du participant"] == "'=1+1"
    assert row["Nom"] == '\'=HYPERLINK("http://evil")'
    assert row["Prénom"] == "'@SUM(A1)"
    assert row["Téléphone"] == "'+33 6 12 34 56 78"
    assert row["Date d'entrée"] == "01/03/2017"
    sheet = load_workbook(io.BytesIO(exports.participants_xlsx(operation, DU, AU))).active
    header = [c.value for c in sheet[1]]
    values = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert values["Nom"] == '\'=HYPERLINK("http://evil")'
    assert values["Téléphone"] == "'+33 6 12 34 56 78"
    assert values["Date d'entrée"].date() == date(2017, 3, 1)
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_column_map_selection_and_roundtrip_format(operation, tmp_path):
    participant(operation, entree=date(2017, 3, 1), reference="R1", telephone="+33 6 00")
    headers, rows = exports.participants_rows(operation, DU, AU, column_map="tremplin-import-v1")
    assert headers[:7] == ["reference", "nom", "prenom", "sexe", "date_naissance", "date_reperage", "origine"]
    assert rows[0][0] == "R1"
    with pytest.raises(KeyError):
        get_column_map("inconnu-v9")
    # the neutralised phone goes back unchanged through the importer
    from reports.importer import read_table

    path = tmp_path / "export.csv"
    path.write_text(exports.participants_csv(operation, DU, AU, "tremplin-import-v1"), encoding="utf-8")
    read_headers, read_rows = read_table(path)
    assert read_headers == headers
    assert read_rows[0][headers.index("telephone")] == "+33 6 00"


def test_participants_export_query_count_bounded(operation, django_assert_max_num_queries):
    bulk_participants(operation, 5, entree=date(2017, 2, 1))
    with django_assert_max_num_queries(1):
        _, rows = exports.participants_rows(operation, DU, AU)
    assert len(rows) == 5
    bulk_participants(operation, 200, entree=date(2017, 2, 1), start=100)
    with django_assert_max_num_queries(1):
        _, rows = exports.participants_rows(operation, DU, AU)
    assert len(rows) == 205
