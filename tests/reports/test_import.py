"""import_participants: seed_demo --empty + a CSV/XLSX written here; all or nothing; idempotent."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from funding.models import Operation
from youth.models import Jeune, Participation


pytestmark = pytest.mark.django_db

HEADER = (
    "reference;nom;prenom;sexe;date_naissance;date_reperage;origine;telephone;email;statut_entree;diplome;"
    "date_entree;date_sortie;situation_sortie;emploi_pendant_parcours"
)
ROWS = [
    "N1;Martin;Léa;F;2000-03-04;2017-01-10;CAPEP;0601020304;;chomeur;cap_bep;2017-02-01;2017-08-01;emploi_cdi;non",
    "N2;Durand;Yanis;H;12/12/1998;2017-01-12;aller-vers;;y@exemple.fr;inactif;aucun;01/03/2017;;;oui",
    "N3;Petit;Inès;F;1999-05-05;2017-02-12;cao 59;;;;;;;;",
    "N4;Roux;Sam;X;2001-06-01;2016-12-31;Mission Locale du Valenciennois;;;inactif;bac;2017-12-31;;;non",
    "N5;Leroy;Tom;H;1999-01-01;2017-03-01;aller-vers;0600000000;;chomeur;bac;2017-04-01;2017-10-01;alternance;non",
    "N6;Blanc;Zoé;F;2000-01-01;2017-03-01;aller-vers;0600000000;;chomeur;bac;2017-05-05;2017-05-05;abandon;non",
]


def write(tmp_path, lines, name="import.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def run(path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_participants", str(path), "--operation", "NOE", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(path, *args):
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_participants", str(path), "--operation", "NOE", *args, stdout=out, stderr=err)
    assert excinfo.value.returncode == 1
    return err.getvalue().strip().splitlines()


@pytest.fixture
def seeded():
    call_command("seed_demo", "--empty", stdout=StringIO())
    return Operation.objects.get(code="NOE")


def bilan_json(du="2017-01-01", au="2017-12-31"):
    out = StringIO()
    call_command("bilan", "--operation", "NOE", "--du", du, "--au", au, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_import_then_bilan_gives_expected_figures(seeded, tmp_path):
    out, err = run(write(tmp_path, [HEADER, *ROWS]))
    assert "6 participant(s) créé(s), 0 mis à jour" in out
    assert err == ""
    data = bilan_json()
    assert data["reperes"] == 5  # N4 repéré in 2016
    assert data["entrees"] == 4  # N1, N2, N4 (on au), N5; N6 same day excluded; N3 never entered
    assert data["sorties"] == 2
    assert data["sorties_par_categorie"] == {"emploi": 1, "formation": 1, "dispositif": 0, "autre": 0}
    assert data["taux_sorties_positives"] == 1.0
    assert data["entrees_par_sexe"] == {"F": 1, "H": 2, "X": 1}
    assert data["entrees_par_age"] == {"16-17": 2, "18-25": 2, "26-29": 0}  # N1 and N4 are 16 at entry
    assert data["emploi_pendant_parcours"] == 1
    ind = data["indicateurs"]
    assert (ind["EECO01"], ind["EECO02"], ind["EECO04"], ind["EECO05"]) == (4, 2, 2, 0)
    assert data["objectifs"]["reperes"] == {
        "cible": 300, "realise": 5, "taux": 0.0167, "annee": None, "libelle": "Jeunes repérés",
        "portee": "toute l'opération",
    }  # fmt: skip
    # contactability: N1, N2, N5 have a phone or e-mail, N4 none
    assert data["contactabilite"] == {"taux": 0.75, "joignables": 3, "total": 4}
    assert data["completude"]["alerte"] is True  # nationalité etc. not in the file
    n1 = Participation.objects.select_related("jeune").get(reference="N1")
    assert n1.organisation == seeded.organisation
    assert n1.jeune.organisation == seeded.organisation
    assert n1.jeune.organisation_orienteuse.sigle == "CAPEP"
    assert n1.jeune.statut == Jeune.Statut.SORTI
    assert n1.age_entree == 16  # derived from the birth date
    assert Participation.objects.get(reference="N2").jeune.statut == Jeune.Statut.EN_PARCOURS
    n3 = Participation.objects.get(reference="N3")
    assert n3.jeune.statut == Jeune.Statut.ORIENTE
    assert n3.date_entree is None
    assert n1.jeune.history.count() == 1


def test_reimport_updates_and_never_duplicates(seeded, tmp_path):
    run(write(tmp_path, [HEADER, *ROWS]))
    changed = [
        ROWS[0].replace("Martin", "Martin-Dupont"),
        ROWS[1].replace("2017-01-12;aller-vers;;", "2017-01-12;aller-vers;0611;"),
    ]
    changed[1] = changed[1].replace(";;;oui", ";2017-09-01;dispositif_cej;oui")
    out, _ = run(write(tmp_path, [HEADER, *changed, *ROWS[2:]], name="again.csv"))
    assert "0 participant(s) créé(s), 2 mis à jour, 4 inchangé(s)" in out
    assert Participation.objects.filter(operation=seeded).count() == 6
    assert Jeune.objects.count() == 6
    n1 = Participation.objects.get(reference="N1")
    assert n1.jeune.nom == "Martin-Dupont"
    assert n1.jeune.history.count() == 2
    n2 = Participation.objects.get(reference="N2")
    assert n2.date_sortie == date(2017, 9, 1)
    assert n2.jeune.telephone == "0611"
    assert n2.jeune.statut == Jeune.Statut.SORTI
    assert Participation.objects.get(reference="N3").jeune.history.count() == 1  # unchanged: no new version
    assert bilan_json()["sorties_par_categorie"]["dispositif"] == 1


def test_dry_run_writes_nothing(seeded, tmp_path):
    path = write(tmp_path, [HEADER, *ROWS])
    out, _ = run(path, "--dry-run")
    assert "Simulation" in out
    assert "6 participant(s) créé(s)" in out
    assert Jeune.objects.count() == 0
    run(path)
    changed = write(tmp_path, [HEADER, ROWS[0].replace("Martin", "Autre"), *ROWS[1:]], name="changed.csv")
    out, _ = run(changed, "--dry-run")
    assert "0 participant(s) créé(s), 1 mis à jour, 5 inchangé(s)" in out
    assert Jeune.objects.filter(nom="Autre").count() == 0
    assert Jeune.history.count() == 6


def test_comma_delimiter_and_bom(seeded, tmp_path):
    lines = [HEADER.replace(";", ","), *[r.replace(";", ",") for r in ROWS[:2]]]
    run(write(tmp_path, lines, encoding="utf-8-sig"))
    assert Participation.objects.filter(operation=seeded).count() == 2


def test_xlsx_import(seeded, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    row = ROWS[0].split(";")
    row[4] = date(2000, 3, 4)  # real date cells
    row[11] = date(2017, 2, 1)
    sheet.append(row)
    sheet.append(ROWS[1].split(";"))
    path = tmp_path / "import.xlsx"
    workbook.save(path)
    run(path)
    n1 = Participation.objects.select_related("jeune").get(reference="N1")
    assert n1.jeune.date_naissance == date(2000, 3, 4)
    assert n1.date_entree == date(2017, 2, 1)
    assert Participation.objects.get(reference="N2").jeune.date_naissance == date(1998, 12, 12)


ERRORS = [
    (ROWS[0].replace("2000-03-04", "2000-13-04"), "ligne 2, colonne date_naissance : date invalide"),
    (ROWS[0].replace(";F;", ";Q;"), "ligne 2, colonne sexe : code inconnu « Q »"),
    (ROWS[0].replace(";chomeur;", ";retraite;"), "ligne 2, colonne statut_entree : code inconnu"),
    (ROWS[0].replace("emploi_cdi", "vacances"), "ligne 2, colonne situation_sortie : code inconnu"),
    (
        ROWS[0].replace("2017-02-01;2017-08-01", "05/02/2017;03/02/2017"),
        "ligne 2, colonne date_sortie : la sortie (03/02/2017) précède l'entrée (05/02/2017)",
    ),
    (
        ROWS[0].replace("2017-02-01;2017-08-01", ";2017-08-01"),
        "ligne 2, colonne date_sortie : sortie le 01/08/2017 sans",
    ),
    (ROWS[0].replace("2000-03-04", "1985-03-04"), "ligne 2, colonne date_naissance : âge à l'entrée de 31 ans"),
    (ROWS[0].replace(";Léa;", ";;"), "ligne 2, colonne prenom : valeur obligatoire manquante"),
    (ROWS[0].replace("CAPEP", "Inconnue"), "ligne 2, colonne origine : organisation orienteuse inconnue"),
    (ROWS[0].replace(";non", ";peut-être"), "ligne 2, colonne emploi_pendant_parcours"),
]


@pytest.mark.parametrize(("row", "message"), ERRORS)
def test_each_error_names_line_and_column_and_writes_nothing(seeded, tmp_path, row, message):
    lines = run_failing(write(tmp_path, [HEADER, ROWS[1], row.replace("N1;", "N9;")]))
    assert len(lines) == 1
    assert lines[0].startswith(message.replace("ligne 2", "ligne 3"))
    assert Jeune.objects.count() == 0
    assert Participation.objects.count() == 0


def test_duplicate_reference_and_many_problems_all_reported(seeded, tmp_path):
    bad = ROWS[1].replace(";H;", ";Z;")
    lines = run_failing(write(tmp_path, [HEADER, ROWS[0], ROWS[0], bad]))
    assert lines == [
        "ligne 3, colonne reference : référence « N1 » déjà utilisée à la ligne 2",
        "ligne 4, colonne sexe : code inconnu « Z » (attendu : F, H ou X, ou Femme, Homme)",
    ]
    assert Jeune.objects.count() == 0


def test_missing_required_column(seeded, tmp_path):
    header = HEADER.replace("origine;", "")
    row = ROWS[0].replace("CAPEP;", "")
    lines = run_failing(write(tmp_path, [header, row]))
    assert lines == ["ligne 1, colonne origine : colonne obligatoire absente de l'en-tête"]


def test_invalid_row_after_valid_rows_keeps_existing_data_untouched(seeded, tmp_path):
    run(write(tmp_path, [HEADER, ROWS[0]]))
    rows = [ROWS[0].replace("Martin", "Changé"), ROWS[1].replace("12/12/1998", "31/02/1998")]
    run_failing(write(tmp_path, [HEADER, *rows], name="bad.csv"))
    assert Jeune.objects.get().nom == "Martin"


def test_unknown_operation_and_unreadable_file(seeded, tmp_path):
    path = write(tmp_path, [HEADER, ROWS[0]])
    with pytest.raises(CommandError, match="Opération inconnue"):
        call_command("import_participants", str(path), "--operation", "XXX", stdout=StringIO(), stderr=StringIO())
    latin = tmp_path / "latin.csv"
    latin.write_bytes("reference;nom\nA;Hélène\n".encode("latin-1"))
    with pytest.raises(CommandError, match="UTF-8"):
        run(latin)


def _many_rows(n, start=0):
    return [
        f"M{start + i};Nom{start + i};Prénom{start + i};{'FHX'[i % 3]};2000-01-01;2017-01-02;aller-vers;0600000000;;"
        "chomeur;aucun;"
        f"2017-02-01;{'2017-06-01;interim' if i % 2 else ';'};non"
        for i in range(n)
    ]


def test_import_query_count_does_not_grow_with_rows(seeded, tmp_path, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        run(write(tmp_path, [HEADER, *_many_rows(20)], name="small.csv"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        run(write(tmp_path, [HEADER, *_many_rows(600, start=1000)], name="big.csv"))
    assert Participation.objects.filter(operation=seeded).count() == 620
    data = bilan_json()
    assert data["entrees"] == 620
    assert data["sorties_par_categorie"]["emploi"] == 310


def test_import_2000_rows_is_fast(seeded, tmp_path):
    import time

    path = write(tmp_path, [HEADER, *_many_rows(2000)], name="volume.csv")
    started = time.monotonic()
    run(path)
    created = time.monotonic() - started
    started = time.monotonic()
    out, _ = run(path)  # unchanged re-import
    again = time.monotonic() - started
    assert "0 mis à jour, 2000 inchangé(s)" in out
    assert Participation.objects.filter(operation=seeded).count() == 2000
    # 10 000 rows take ~6 s on PostgreSQL (docs/reports-indicators.md); generous bound for slow CI machines.
    assert created < 15
    assert again < 15


def test_absent_optional_columns_leave_stored_values(seeded, tmp_path):
    run(write(tmp_path, [HEADER, ROWS[0]]))
    short_header = "reference;nom;prenom;sexe;date_naissance;date_reperage;origine"
    run(write(tmp_path, [short_header, "N1;Martin;Léa;F;2000-03-04;2017-01-10;CAPEP"], name="short.csv"))
    n1 = Participation.objects.select_related("jeune").get(reference="N1")
    assert n1.date_entree == date(2017, 2, 1)
    assert n1.date_sortie == date(2017, 8, 1)
    assert n1.situation_sortie == "emploi_cdi"
    assert n1.jeune.telephone == "0601020304"
    assert n1.jeune.statut == Jeune.Statut.SORTI
