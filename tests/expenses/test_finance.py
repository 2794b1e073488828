"""Period finance from the ledger, with hand-computed fixtures."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest

from expenses import finance
from expenses.models import Depense, Poste, PrevisionAnnuelle, eligible_staff_cost
from expenses.services import feuille_temps_save
from tests.expenses.factories import DepenseFactory, FeuilleTempsFactory, RessourceRecueFactory, SalarieFactory
from tests.funding.factories import LigneBudgetaireFactory, OperationFactory, RessourceFactory


pytestmark = pytest.mark.django_db

Y2025 = (date(2025, 1, 1), date(2025, 12, 31))


@pytest.fixture
def operation():
    operation = OperationFactory(date_debut=date(2024, 1, 1), date_fin=date(2027, 12, 31))
    LigneBudgetaireFactory(operation=operation, categorie="personnel", montant_prevu=Decimal("10000"))
    LigneBudgetaireFactory(operation=operation, categorie="fonctionnement", libelle="Locaux", montant_prevu=2500)
    # planned total = 12 500 + 15 % × 10 000 = 14 000; FSE 8 400 → 60 %
    RessourceFactory(operation=operation, montant=Decimal("8400"))
    RessourceFactory(operation=operation, kind="autofinancement", financeur="Porteur", montant=Decimal("5600"))
    return operation


def _ledger(operation):
    staff = {"operation": operation, "poste": Poste.PERSONNEL}
    DepenseFactory(**staff, montant=Decimal("1000.00"), date_paiement=date(2025, 3, 31))
    DepenseFactory(**staff, montant=Decimal("500.00"), date_paiement=date(2026, 1, 5))
    DepenseFactory(operation=operation, montant=Decimal("300.00"), date_paiement=date(2025, 6, 1))
    DepenseFactory(operation=operation, montant=Decimal("200.00"), date=date(2025, 5, 1), non_acquittee=True)
    # dated in 2024, paid in 2025: counts in 2025
    DepenseFactory(
        operation=operation, montant=Decimal("50.00"), date=date(2024, 12, 20), date_paiement=date(2025, 1, 10)
    )
    RessourceRecueFactory(operation=operation, montant=Decimal("400.00"), date_reception=date(2025, 2, 15))
    RessourceRecueFactory(operation=operation, montant=Decimal("999.00"), date_reception=date(2024, 11, 1))
    RessourceRecueFactory(operation=operation, fse=False, kind="cofinancement", montant=Decimal("77.00"))


def test_expenses_count_by_payment_date_and_unpaid_are_listed_not_counted(operation):
    _ledger(operation)
    result = finance.period_finance(operation, *Y2025)
    assert result["dont_personnel"] == Decimal("1000.00")
    assert result["depenses_directes"] == Decimal("1350.00")
    assert result["non_acquittees"] == 1
    assert result["montant_non_acquitte"] == Decimal("200.00")
    fonctionnement = next(p for p in result["postes"] if p["code"] == "fonctionnement")
    assert fonctionnement["realise"] == Decimal("350.00")
    assert fonctionnement["non_acquittees"] == 1


def test_flat_rate_fse_due_advances_and_balance(operation):
    _ledger(operation)
    result = finance.period_finance(operation, *Y2025)
    assert result["couts_indirects"] == Decimal("150.00")  # 15 % × 1 000
    assert result["cout_total_eligible"] == Decimal("1500.00")
    assert result["cout_total_prevu"] == Decimal("14000.00")
    assert result["taux_cofinancement"] == Decimal("0.6000")
    assert result["fse_du"] == Decimal("900.00")  # 1 500 × 8 400 / 14 000
    assert result["avances_recues"] == Decimal("400.00")  # FSE, received in 2025 only
    assert result["solde_demande"] == Decimal("500.00")
    assert finance.finance_json(result) == {
        "depenses_directes": "1350.00",
        "dont_personnel": "1000.00",
        "couts_indirects": "150.00",
        "cout_total_eligible": "1500.00",
        "fse_du": "900.00",
        "avances_recues": "400.00",
        "solde_demande": "500.00",
    }


def test_forty_percent_option_covers_the_other_costs(operation):
    _ledger(operation)
    operation.forfait_40 = True
    operation.save()
    result = finance.period_finance(operation, *Y2025)
    assert result["depenses_directes"] == Decimal("1000.00")  # staff only
    assert result["autres_directes_couvertes"] == Decimal("350.00")
    assert result["couts_indirects"] == Decimal("400.00")
    assert result["cout_total_eligible"] == Decimal("1400.00")
    assert result["cout_total_prevu"] == Decimal("14000.00")  # 10 000 × 1,40
    assert result["fse_du"] == Decimal("840.00")


def test_fse_due_is_capped_at_the_convention_amount(operation):
    DepenseFactory(operation=operation, poste=Poste.PERSONNEL, montant=Decimal("20000.00"))
    result = finance.period_finance(operation, *Y2025)
    assert result["cout_total_eligible"] == Decimal("23000.00")
    assert result["fse_du"] == Decimal("8400.00")  # 13 800 computed, capped
    assert finance.fse_due(Decimal("1006076"), Decimal("1006076"), Decimal("603645")) == Decimal("603645.00")


def test_tiers_nature_and_recettes_enter_the_eligible_total(operation):
    DepenseFactory(operation=operation, poste=Poste.TIERS, montant=Decimal("10.00"))
    DepenseFactory(operation=operation, poste=Poste.NATURE, montant=Decimal("5.00"))
    DepenseFactory(operation=operation, poste=Poste.RECETTES, montant=Decimal("3.00"))
    result = finance.period_finance(operation, *Y2025)
    assert result["depenses_directes"] == Decimal("0.00")
    assert result["cout_total_eligible"] == Decimal("12.00")


def test_staff_cost_is_cost_times_share_to_the_cent():
    assert eligible_staff_cost(Decimal("2000.00"), Decimal("1"), Decimal("3")) == Decimal("666.67")
    assert eligible_staff_cost(Decimal("1000.01"), Decimal("1"), Decimal("2")) == Decimal("500.01")  # half up
    assert eligible_staff_cost(Decimal("3210.55"), Decimal("75.85"), Decimal("151.67")) == Decimal("1605.59")
    assert eligible_staff_cost(Decimal("3000"), Decimal("10"), Decimal("0")) == Decimal("0.00")


def test_time_sheet_creates_its_staff_expense_and_keeps_it_in_step(operation):
    salarie = SalarieFactory(operation=operation)
    feuille = FeuilleTempsFactory.build(
        salarie=salarie, heures_operation=Decimal("1"), heures_travaillees=Decimal("3"), cout_charge_mensuel=2000
    )
    depense = feuille_temps_save(feuille=feuille, user=None, date_paiement=date(2025, 2, 5))
    assert depense.montant == Decimal("666.67")
    assert depense.poste == Poste.PERSONNEL
    assert depense.date == date(2025, 1, 31)
    assert depense.ligne_budgetaire.categorie == "personnel"
    feuille.heures_operation = Decimal("2")
    feuille_temps_save(feuille=feuille, user=None, reason="Correction des heures")
    depense = Depense.objects.get(feuille_temps=feuille)
    assert depense.montant == Decimal("1333.33")
    assert depense.date_paiement == date(2025, 2, 5)  # kept
    assert depense.history.count() == 2  # the change is recorded, not silent
    assert depense.history.first().history_change_reason == "Correction des heures"


def test_sheet_over_100_percent_and_missing_months_are_flagged(operation):
    salarie = SalarieFactory(operation=operation, date_debut=date(2025, 1, 15), date_fin=date(2025, 4, 10))
    FeuilleTempsFactory(salarie=salarie, mois=date(2025, 1, 1))
    FeuilleTempsFactory(
        salarie=salarie, mois=date(2025, 3, 1), heures_operation=Decimal("160"), heures_travaillees=Decimal("151.67")
    )
    alerts = finance.staff_alerts(operation, *Y2025)
    assert [(a["salarie"], a["mois"]) for a in alerts["depassements"]] == [(salarie.nom, date(2025, 3, 1))]
    assert [a["mois"] for a in alerts["manquantes"]] == [date(2025, 2, 1), date(2025, 4, 1)]
    table = finance.staff_table(operation, *Y2025)
    assert table[0]["manquantes"] == [date(2025, 2, 1), date(2025, 4, 1)]
    assert table[0]["feuilles"][1].depasse


def test_planned_per_year_and_prorata(operation):
    PrevisionAnnuelle.objects.create(operation=operation, poste=Poste.PERSONNEL, annee=2025, montant_prevu=3000)
    result = finance.period_finance(operation, *Y2025)
    planned = {p["code"]: p["prevu"] for p in result["postes"]}
    assert planned["personnel"] == Decimal("3000.00")
    # no yearly plan: 2 500 € spread over the 1 461 days of the convention, 365 of them in 2025
    assert planned["fonctionnement"] == Decimal("624.57")
    half = finance.period_finance(operation, date(2025, 1, 1), date(2025, 6, 30))
    assert next(p for p in half["postes"] if p["code"] == "personnel")["prevu"] == Decimal("1487.67")


def test_query_count_does_not_grow_with_the_ledger(operation, django_assert_max_num_queries):
    _ledger(operation)
    with django_assert_max_num_queries(7):
        finance.period_finance(operation, *Y2025)
    DepenseFactory.create_batch(20, operation=operation)
    salarie = SalarieFactory(operation=operation)
    for month in range(1, 13):
        FeuilleTempsFactory(salarie=salarie, mois=date(2025, month, 1))
    with django_assert_max_num_queries(7):
        finance.period_finance(operation, *Y2025)


def test_bilan_json_gains_period_finance(operation):
    import json

    from django.core.management import call_command

    _ledger(operation)
    out = StringIO()
    call_command(
        "bilan",
        "--operation",
        operation.code,
        "--du",
        "2025-01-01",
        "--au",
        "2025-12-31",
        "--format",
        "json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert data["finance"] == {
        "depenses_directes": "1350.00",
        "dont_personnel": "1000.00",
        "couts_indirects": "150.00",
        "cout_total_eligible": "1500.00",
        "fse_du": "900.00",
        "avances_recues": "400.00",
        "solde_demande": "500.00",
    }
    for key in ("operation", "periode", "reperes", "entrees", "actifs", "sorties", "indicateurs", "objectifs"):
        assert key in data


def test_bilan_pdf_and_page_show_the_period_finance(operation, client):
    from io import BytesIO

    from django.urls import reverse
    from pypdf import PdfReader

    from core.models import Role
    from reports.pdf import render_bilan_pdf
    from tests.core.factories import MembershipFactory

    _ledger(operation)
    pdf = render_bilan_pdf(operation, date(2025, 1, 1), date(2025, 12, 31))
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "Solde demandé" in text
    assert "900,00" in text
    coord = MembershipFactory(organisation=operation.organisation, role=Role.COORDINATEUR)
    client.force_login(coord.user)
    page = client.get(reverse("reports:bilan_operation", args=[operation.pk]) + "?du=2025-01-01&au=2025-12-31")
    html = page.content.decode()
    assert "Solde demandé" in html
    assert "500,00\u00a0€" in html
    assert "non acquittée" in html
