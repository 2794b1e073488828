"""import_depenses: CSV/XLSX, all or nothing with French messages naming line and column, idempotent on reference."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from core.models import Role
from expenses.models import Depense, FeuilleTemps, Salarie
from tests.core.factories import MembershipFactory
from tests.funding.factories import LigneBudgetaireFactory, OperationFactory


pytestmark = pytest.mark.django_db

HEADER = (
    "reference;poste;libelle;beneficiaire;montant;date;date_paiement;"
    "salarie;mois;heures_operation;heures_travaillees;cout_charge_mensuel"
)
GOOD = [
    "F-001;fonctionnement;Loyer janvier;SCI du Port;1 200,50;2025-01-05;10/01/2025;;;;;",
    "F-002;prestations_externes;Atelier théâtre;Compagnie X;800.00;2025-02-01;;;;;;",
    "P-2025-01-AD;personnel;Salaire janvier;;;2025-01-31;2025-02-02;Awa Diallo;2025-01;1;3;2000",
    (
        "P-2025-02-AD;personnel;Salaire février;Awa Diallo;1000,20;2025-02-28;2025-03-02;"
        "Awa Diallo;2025-02;75.85;151.67;2000"
    ),
]


@pytest.fixture
def operation():
    operation = OperationFactory(code="IMP", date_debut=date(2024, 1, 1), date_fin=date(2026, 12, 31))
    LigneBudgetaireFactory(operation=operation, categorie="personnel")
    return operation


def _csv(tmp_path, lines, name="depenses.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def _run(path, *extra):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_depenses", str(path), "--operation", "IMP", *extra, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()


def test_import_creates_ledger_and_time_sheets_and_is_idempotent(operation, tmp_path):
    path = _csv(tmp_path, GOOD)
    code, out, err = _run(path)
    assert code == 0, err
    assert "4 dépense(s) créée(s)" in out
    loyer = Depense.objects.get(reference="F-001")
    assert loyer.montant == Decimal("1200.50")
    assert loyer.date_paiement == date(2025, 1, 10)
    assert Depense.objects.get(reference="F-002").date_paiement is None  # non acquittée
    janvier = Depense.objects.get(reference="P-2025-01-AD")
    assert janvier.montant == Decimal("666.67")  # computed: 2 000 × 1 / 3
    assert janvier.beneficiaire == "Awa Diallo"
    assert janvier.feuille_temps.heures_travaillees == Decimal("3")
    assert janvier.ligne_budgetaire is not None
    assert Salarie.objects.get(operation=operation).date_debut == date(2025, 1, 1)
    code, out, _ = _run(path)
    assert code == 0
    assert "0 dépense(s) créée(s), 0 mise(s) à jour, 4 inchangée(s)" in out
    assert Depense.objects.count() == 4
    assert FeuilleTemps.objects.count() == 2
    changed = [*GOOD[:1], GOOD[1].replace(";;;;;;", ";2025-02-20;;;;;"), *GOOD[2:]]
    code, out, _ = _run(_csv(tmp_path, changed))
    assert "1 mise(s) à jour" in out
    assert Depense.objects.get(reference="F-002").date_paiement == date(2025, 2, 20)
    assert Depense.objects.get(reference="F-002").history.count() == 2


def test_import_is_all_or_nothing_with_line_and_column(operation, tmp_path):
    bad = [
        *GOOD,
        "F-003;voyages;Billet;SNCF;12;2025-01-01;;;;;;",
        "F-004;fonctionnement;Papier;Bureau;12,345;2025-13-01;hier;;;;;",
        "F-001;fonctionnement;Doublon;X;1;2025-01-01;;;;;;",
        "P-X;personnel;Salaire;Awa Diallo;500;2025-03-31;;Awa Diallo;2025-03;1;3;2000",
        "P-Y;fonctionnement;Mauvais poste;Z;1;2025-03-31;;Awa Diallo;2025-04;1;3;2000",
    ]
    code, out, err = _run(_csv(tmp_path, bad))
    assert code == 1
    assert "ligne 6, colonne poste : « voyages » inconnu" in err
    assert "ligne 7, colonne montant : « 12,345 » n'est pas un montant" in err
    assert "ligne 7, colonne date : « 2025-13-01 » n'est pas une date" in err
    assert "ligne 7, colonne date_paiement : « hier » n'est pas une date" in err
    assert "ligne 8, colonne reference : « F-001 » déjà présente ligne 2" in err
    assert "ligne 9, colonne montant : 500,00 € ne correspond pas au coût × heures" in err
    assert "(666,67 €)" in err
    assert "ligne 10, colonne poste" in err
    assert "rien n'a été écrit" in err
    assert Depense.objects.count() == 0


def test_missing_column_and_dry_run(operation, tmp_path):
    path = tmp_path / "sans.csv"
    path.write_text("reference;poste;libelle;montant;date\nA;recettes;Vente;10;2025-01-01\n", encoding="utf-8")
    code, _, err = _run(path)
    assert code == 1
    assert "ligne 1, colonne beneficiaire : colonne obligatoire absente" in err
    code, out, _ = _run(_csv(tmp_path, GOOD), "--dry-run")
    assert code == 0
    assert "Simulation" in out
    assert Depense.objects.count() == 0


def test_xlsx(operation, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    sheet.append(
        ["X-1", "depenses_participants", "Permis AM", "Auto-école", 450.5, date(2025, 4, 1), date(2025, 4, 30)]
    )
    path = tmp_path / "depenses.xlsx"
    workbook.save(path)
    code, _, err = _run(path)
    assert code == 0, err
    depense = Depense.objects.get(reference="X-1")
    assert depense.montant == Decimal("450.50")
    assert depense.date_paiement == date(2025, 4, 30)


def test_browser_import_with_error_file(client, operation):
    coord = MembershipFactory(organisation=operation.organisation, role=Role.COORDINATEUR)
    client.force_login(coord.user)
    url = reverse("expenses:depense_import", args=[operation.pk])
    content = "\n".join(
        [HEADER, GOOD[0], "F-9;inconnu;X;Y;1;2025-01-01;;;;;;", "=1+1;=cmd;X;Y;1;2025-01-01;;;;;;"]
    ).encode()
    response = client.post(url, {"fichier": SimpleUploadedFile("d.csv", content, content_type="text/csv")})
    assert response.status_code == 200
    assert "ligne 3, colonne poste" in response.content.decode()
    assert Depense.objects.count() == 0
    errors = client.get(reverse("expenses:depense_import_errors", args=[operation.pk]))
    assert errors.status_code == 200
    text = errors.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "ligne;colonne;probleme"
    assert text.splitlines()[1].startswith("3;poste;")
    cells = [cell for line in text.splitlines()[1:] for cell in line.split(";")]
    assert "=cmd" in text
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)  # never run as a formula
    good = "\n".join([HEADER, *GOOD]).encode()
    response = client.post(url, {"fichier": SimpleUploadedFile("d.csv", good, content_type="text/csv")})
    assert response.status_code == 302
    assert Depense.objects.count() == 4
    assert Depense.objects.get(reference="F-001").created_by == coord.user
